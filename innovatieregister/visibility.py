"""Who may see what: one predicate per object, its Python form beside its SQL form.

Views, templates (through flags on view objects), the API, notifications, counts, sums and
timelines ask these; none derives the rule itself. A second copy of a visibility rule is how
information leaks. tests/web/test_visibility_rule.py proves, for every user of the
authorization matrix and every object, that each Python predicate and its SQL clause agree.

The rules (README, "What you can do": "Decide", "Mediation"):
- an initiative: its lead, the providers involved and admins always; once it is open, the
  insurers asked and the mediator too. A draft stays with the lead and its providers.
- the decisions on a request (versions, arguments, score, conditions, the request's state):
  the insurer it is addressed to; the lead, the providers involved, the mediator and admins;
  any other insurer asked only once it has decided itself or its own deadline has passed
  (decisions stay independent). Hidden decisions count as undecided in every total.
- a mediation case: its parties only, the mediator, the lead, the insurer concerned and the
  providers involved; nobody else.
- a statement (zienswijze): the mediator and the party it was asked of.
- a mediator's note: the mediator only; a party never learns that one exists.
- a co-funder (municipality, care office) sees the initiatives its organisation has a pledge on,
  in any state (also a declined or lapsed one: it took part), with their pledges; it is no party
  (documents, cases), and it sees no insurer's decision (each counts as undecided for it, so a
  pending one never leaks).
- shared savings (agreement, results): the initiative's parties and the co-funders its split key
  names; the insurers' lines only to whoever may see those insurers' decisions.
- a document (an uploaded file): the initiative's parties only (is_party), whoever else may
  come to see the initiative (issue 12 publishes goals, progress and verdicts, never files).
- a process-log entry: whoever sees the initiative, but one written by an insurer other than
  the lead tells that this insurer follows (only funders write there), so it is seen only by
  whoever may see that insurer's decisions on the initiative (the decisions rule).
- the register's summary of an initiative past its draft (title, region, lead, status as shown,
  evaluation verdicts): every logged-in user; it is what anyone may follow, and all a follower
  who is no party is told (issue 12).
- the public register (anyone, no account; issue 12): an initiative the lead has published, and
  of it only what services/publication.py lists (never decisions, arguments, shares, amounts or
  mediation); its status as anyone may see it, so "in mediation" shows as it would be without.
- a settlement (nacalculatie, issue 11): the lead, the providers involved, the mediator and
  admins; the insurers that fund it (its lines say who funds) and the co-funders counted in it.
  A non-funder's part is uncovered, but it is no party to the settlement. The settlements page
  of an initiative: whoever sees the initiative, and the co-funders whose pledge was frozen.
- a case about a contested settlement: also the organisations that contested it.
- an initiative's status: "in mediation" tells of an impasse (a decline, a missed deadline, a
  disagreement), so whoever may not see the others' decisions and is no party to a live case
  sees it as "open", which it would be without the mediation (their own request still runs),
  and its timeline leaves out the status changes into and out of mediation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute

from innovatieregister.domain.workflow import LIVE_MEDIATION_STATES, STILL_DECIDING, FollowRequestState, InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import (
    AuditEntry,
    CoFundingPledge,
    Document,
    FollowRequest,
    Initiative,
    InitiativeProvider,
    MediationCase,
    MediatorNote,
    Organisation,
    OrganisationKind,
    ProcessLogEntry,
    RequestKind,
    Role,
    StatementRequest,
    User,
)
from innovatieregister.models.funding import Settlement, SettlementCoFunding, SettlementContest, SettlementLine
from innovatieregister.policies import (
    any_user,
    is_admin,
    is_co_funder_staff,
    is_insurer_staff,
    is_involved_provider,
    is_lead_staff,
    is_mediator,
    is_provider_staff,
)

# Audit actions about notes: a party's timeline never shows them (nor that a note exists).
NOTE_ACTIONS = frozenset({"mediation.note"})
# Audit actions about a statement: seen by whoever sees that statement (sees_statement).
STATEMENT_ACTIONS = frozenset({"mediation.statement_request", "mediation.statement_answer"})


def _slim(model, *names: str) -> sa.TableClause:
    """A model's table with only the columns a clause below asks of it (their types kept). Its
    .alias() is the same SQL as an ORM alias of the model at a fraction of the cost: an ORM
    alias of a wide table (initiatives) builds a proxy of every column, each time a clause is
    made, i.e. on every request (~1-2 ms for decisions_clause)."""
    table = model.__table__
    return sa.table(table.name, *(sa.column(name, table.c[name].type) for name in names))


# The tables the clauses' EXISTS read, each aliased afresh where it is used (the query around
# it may read the same table).
_PROVIDER_LINKS = _slim(InitiativeProvider, "initiative_id", "provider_id")
_LEADS = _slim(Initiative, "id", "lead_insurer_id")
_REQUESTS = _slim(FollowRequest, "id", "initiative_id", "insurer_id", "kind", "state", "deadline")
_PLEDGES = _slim(CoFundingPledge, "initiative_id", "organisation_id")
_ORGANISATION_KINDS = _slim(Organisation, "id", "kind")


def _provider_involved_clause(user: User, initiative_id) -> sa.ColumnElement[bool]:
    link = _PROVIDER_LINKS.alias().c
    return sa.exists().where(link.initiative_id == initiative_id, link.provider_id == user.organisation_id)


def _lead_clause(user: User, initiative_id) -> sa.ColumnElement[bool]:
    led = _LEADS.alias().c
    return sa.exists().where(led.id == initiative_id, led.lead_insurer_id == user.organisation_id)


# Initiative --------------------------------------------------------------------------------------

def is_party(user: User, initiative: Initiative, asked_insurer_ids: Iterable[int]) -> bool:
    """The initiative's parties: its lead, the providers involved and admins; once it is open the
    mediator and the insurers asked (by a follow or an adoption request) too. A draft has no other."""
    if is_admin(user) or is_lead_staff(user, initiative) or is_involved_provider(user, initiative):
        return True
    if initiative.status == InitiativeState.CONCEPT:
        return False
    if is_mediator(user):
        return True
    return is_insurer_staff(user) and user.organisation_id in set(asked_insurer_ids)


def party_clause(user: User) -> sa.ColumnElement[bool]:
    """is_party as a WHERE clause on Initiative."""
    if is_admin(user):
        return sa.true()
    if is_provider_staff(user):
        return _provider_involved_clause(user, Initiative.id)
    if is_mediator(user):
        return Initiative.status != InitiativeState.CONCEPT
    if is_insurer_staff(user):
        asked = _REQUESTS.alias().c
        requested = sa.exists().where(asked.initiative_id == Initiative.id, asked.insurer_id == user.organisation_id)
        return sa.or_(Initiative.lead_insurer_id == user.organisation_id,
                      sa.and_(Initiative.status != InitiativeState.CONCEPT, requested))
    return sa.false()


def _co_funder_clause(user: User, initiative_id) -> sa.ColumnElement[bool]:
    pledge = _PLEDGES.alias().c
    return sa.exists().where(pledge.initiative_id == initiative_id, pledge.organisation_id == user.organisation_id)


def co_funds(user: User, initiative: Initiative) -> bool:
    """A co-funder's staff and an initiative its organisation has (or had) a pledge on."""
    return is_co_funder_staff(user) and bool(db.session.scalar(sa.select(_co_funder_clause(user, initiative.id))))


def sees_initiative(user: User, initiative: Initiative, asked_insurer_ids: Iterable[int]) -> bool:
    """The parties see an initiative (and its measurements, evaluations, calendar and process log),
    and so does a co-funder with a pledge on it."""
    return is_party(user, initiative, asked_insurer_ids) or co_funds(user, initiative)


def initiative_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_initiative as a WHERE clause on Initiative."""
    if is_co_funder_staff(user):
        return _co_funder_clause(user, Initiative.id)
    return party_clause(user)


def linked_initiative_ids(user: User) -> sa.Select | None:
    """initiative_clause as the ids of a link table, for the users who see an initiative by a link
    alone (providers: involved; co-funders: a pledge): counted through the link's index instead of
    testing every initiative of the country. None for the others."""
    if is_co_funder_staff(user):
        # Grouped, not DISTINCT: a count replaces the columns (paging.capped_count), a group stays one row.
        return sa.select(CoFundingPledge.initiative_id).where(
            CoFundingPledge.organisation_id == user.organisation_id).group_by(CoFundingPledge.initiative_id)
    if is_provider_staff(user):
        return sa.select(InitiativeProvider.initiative_id).where(InitiativeProvider.provider_id == user.organisation_id)
    return None


def sees_documents(user: User, initiative: Initiative, asked_insurer_ids: Iterable[int]) -> bool:
    """An initiative's uploaded documents: its parties only, even where others see the initiative."""
    return is_party(user, initiative, asked_insurer_ids)


def document_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_documents as a WHERE clause on Document."""
    return Document.initiative_id.in_(sa.select(Initiative.id).where(party_clause(user)))


def sees_register_entry(user: User, initiative: Initiative) -> bool:
    """The register's summary of an initiative (/register/<id>): every logged-in user once it is
    past its draft. What anyone may follow (issue 12). No SQL form yet: no list filters on it (the
    register lists originals past their draft, services/adoption.registry)."""
    return any_user(user) and initiative.status != InitiativeState.CONCEPT


# Shared savings (issue 11, part 3) -----------------------------------------------------------------

def sees_savings(user: User, initiative: Initiative, asked_insurer_ids: Iterable[int],
                 key_organisation_ids: Iterable[int]) -> bool:
    """An initiative's savings agreement and results: its parties, and the staff of a municipality
    or care office the split key names (its share is theirs to see). Which insurers fund, and so
    their part of the insurers' share, follows the decisions rule (sees_everyones_decisions)."""
    return is_party(user, initiative, asked_insurer_ids) or (
        any_user(user) and user.role == Role.CO_FUNDER_STAFF and user.organisation_id in set(key_organisation_ids))


# Decisions on a request ----------------------------------------------------------------------------

def own_follow_request(user: User, requests: Iterable[FollowRequest]) -> FollowRequest | None:
    """The follow request addressed to the user's own insurer among an initiative's requests."""
    if not is_insurer_staff(user):
        return None
    return next((r for r in requests if r.insurer_id == user.organisation_id and r.kind == RequestKind.FOLLOW),
                None)


def sees_everyones_decisions(user: User, initiative: Initiative, own_request: FollowRequest | None,
                             today: date) -> bool:
    """Decisions stay independent: an insurer asked sees the others' only once its own
    organisation has decided or its deadline has passed. The lead, the providers involved,
    mediators and admins always see them all."""
    if is_admin(user) or is_mediator(user) or is_lead_staff(user, initiative) or is_involved_provider(user, initiative):
        return True
    if own_request is None:
        return False
    return own_request.state != FollowRequestState.OPEN or own_request.deadline < today


def sees_decisions(user: User, request: FollowRequest, own_request: FollowRequest | None, today: date) -> bool:
    """May the user see the decisions on this request (every version, arguments, score,
    conditions) and the request's state? `own_request`: the user's insurer's follow request
    on the same initiative (own_follow_request)."""
    if is_insurer_staff(user) and request.insurer_id == user.organisation_id:
        return True
    return sees_everyones_decisions(user, request.initiative, own_request, today)


def _everyones_decisions_clause(user: User, initiative_id, today: date) -> sa.ColumnElement[bool]:
    """sees_everyones_decisions as a clause on an initiative id column."""
    if is_admin(user) or is_mediator(user):
        return sa.true()
    if is_provider_staff(user):
        return _provider_involved_clause(user, initiative_id)
    if is_insurer_staff(user):
        own = _REQUESTS.alias().c
        decided_or_late = sa.exists().where(
            own.initiative_id == initiative_id, own.insurer_id == user.organisation_id,
            own.kind == RequestKind.FOLLOW,
            sa.or_(own.state != FollowRequestState.OPEN, own.deadline < today))
        return sa.or_(_lead_clause(user, initiative_id), decided_or_late)
    return sa.false()


def decisions_clause(user: User, today: date | None) -> sa.ColumnElement[bool]:
    """sees_decisions as a WHERE clause on FollowRequest. `today` is optional only in the callers'
    signatures (a viewer comes with the day); without it what a viewer sees is undefined."""
    if today is None:
        raise ValueError("decisions_clause needs today")
    everyones = _everyones_decisions_clause(user, FollowRequest.initiative_id, today)
    if is_insurer_staff(user):
        return sa.or_(FollowRequest.insurer_id == user.organisation_id, everyones)
    return everyones


# The process log -----------------------------------------------------------------------------------

def sees_process_entry(user: User, entry: ProcessLogEntry, initiative: Initiative,
                       own_request: FollowRequest | None, today: date) -> bool:
    """A process-log entry of an initiative the user sees. One written by an insurer other than
    the lead reveals that it follows, so it goes as that insurer's decisions do (sees_decisions):
    to that insurer itself and to whoever sees everyone's decisions."""
    if entry.organisation_id == initiative.lead_insurer_id or entry.organisation.kind != OrganisationKind.INSURER:
        return True
    if is_insurer_staff(user) and entry.organisation_id == user.organisation_id:
        return True
    return sees_everyones_decisions(user, initiative, own_request, today)


def process_entry_clause(user: User, today: date) -> sa.ColumnElement[bool]:
    """sees_process_entry as a WHERE clause on ProcessLogEntry."""
    author, led = _ORGANISATION_KINDS.alias().c, _LEADS.alias().c
    by_other_insurer = sa.and_(
        sa.exists().where(author.id == ProcessLogEntry.organisation_id, author.kind == OrganisationKind.INSURER),
        sa.not_(sa.exists().where(led.id == ProcessLogEntry.initiative_id,
                                  led.lead_insurer_id == ProcessLogEntry.organisation_id)))
    shown = [sa.not_(by_other_insurer), _everyones_decisions_clause(user, ProcessLogEntry.initiative_id, today)]
    if is_insurer_staff(user):
        shown.append(ProcessLogEntry.organisation_id == user.organisation_id)
    return sa.or_(*shown)


# Mediation -----------------------------------------------------------------------------------------

def case_party_ids(case: MediationCase) -> set[int]:
    """The organisations party to a case besides the mediator: the lead, the insurer
    concerned and the providers involved."""
    initiative = case.initiative
    parties = {initiative.lead_insurer_id, *(p.provider_id for p in initiative.providers)}
    if case.follow_request is not None:
        parties.add(case.follow_request.insurer_id)
    parties.update(_contesting(case))
    return parties


def _contesting(case: MediationCase) -> set[int]:
    """The organisations that contested the settlement a case is about (none for other cases)."""
    if case.settlement_id is None:
        return set()
    return set(db.session.scalars(sa.select(SettlementContest.organisation_id).where(
        SettlementContest.settlement_id == case.settlement_id)))


def _contested_clause(user: User) -> sa.ColumnElement[bool]:
    """The user's organisation contested the settlement of the case (MediationCase)."""
    return sa.exists().where(SettlementContest.settlement_id == MediationCase.settlement_id,
                             SettlementContest.organisation_id == user.organisation_id)


def sees_case(user: User, case: MediationCase) -> bool:
    """A case, its requester's statement and its finding: its parties only."""
    if is_mediator(user):
        return True
    initiative = case.initiative
    if is_provider_staff(user):
        return is_involved_provider(user, initiative)
    if is_insurer_staff(user) and (is_lead_staff(user, initiative) or (
            case.follow_request is not None and case.follow_request.insurer_id == user.organisation_id)):
        return True
    if is_insurer_staff(user) or is_co_funder_staff(user):
        return user.organisation_id in _contesting(case)
    return False


def case_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_case as a WHERE clause on MediationCase."""
    if is_mediator(user):
        return sa.true()
    if is_provider_staff(user):
        return _provider_involved_clause(user, MediationCase.initiative_id)
    if is_insurer_staff(user):
        concerned = _REQUESTS.alias().c
        return sa.or_(_lead_clause(user, MediationCase.initiative_id), sa.exists().where(
            concerned.id == MediationCase.follow_request_id, concerned.insurer_id == user.organisation_id),
            _contested_clause(user))
    if is_co_funder_staff(user):
        return _contested_clause(user)
    return sa.false()


def sees_statement(user: User, statement: StatementRequest) -> bool:
    """A statement (question and answer): the mediator and the party it was asked of."""
    if is_mediator(user):
        return True
    return (is_insurer_staff(user) or is_provider_staff(user)) and statement.party_id == user.organisation_id


def statement_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_statement as a WHERE clause on StatementRequest."""
    if is_mediator(user):
        return sa.true()
    if is_insurer_staff(user) or is_provider_staff(user):
        return StatementRequest.party_id == user.organisation_id
    return sa.false()


def sees_notes(user: User) -> bool:
    """The mediator's notes, and that they exist: the mediator only."""
    return is_mediator(user)


def sees_note(user: User, note: MediatorNote) -> bool:
    return sees_notes(user)


def note_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_note as a WHERE clause on MediatorNote."""
    return sa.true() if sees_notes(user) else sa.false()


def hidden_audit_actions(user: User) -> frozenset[str]:
    """Audit actions a timeline leaves out for this user."""
    return frozenset() if sees_notes(user) else NOTE_ACTIONS


# The status -----------------------------------------------------------------------------------------

def sees_mediation(user: User, initiative: Initiative, own_request: FollowRequest | None, today: date) -> bool:
    """May the user learn that the initiative is (or was) in mediation? Whoever sees the
    others' decisions, and the parties to a live case on it."""
    return sees_everyones_decisions(user, initiative, own_request, today) or any(
        case.state in LIVE_MEDIATION_STATES and sees_case(user, case) for case in initiative.mediation_cases)


def mediation_clause(user: User, today: date) -> sa.ColumnElement[bool]:
    """sees_mediation as a WHERE clause on Initiative."""
    party = sa.exists().where(MediationCase.initiative_id == Initiative.id,
                              MediationCase.state.in_(LIVE_MEDIATION_STATES), case_clause(user))
    return sa.or_(_everyones_decisions_clause(user, Initiative.id, today), party)


def _status_without_mediation(initiative_id) -> sa.ColumnElement:
    """What an initiative in mediation would be without it, as services.mediation._leave_mediation
    decides when the last case closes: open while a request is still being decided, else partially
    funded (a mediation that everyone's follow has made moot closes at once, so fully funded while
    a case still runs is left out)."""
    deciding = sa.exists().where(FollowRequest.initiative_id == initiative_id,
                                 FollowRequest.state.in_(STILL_DECIDING))
    return sa.case((deciding, InitiativeState.OPEN.value), else_=InitiativeState.PARTIALLY_FUNDED.value)


def shown_status(user: User, initiative: Initiative, own_request: FollowRequest | None,
                 today: date) -> InitiativeState:
    """The initiative's status as the user may see it: to whoever may not learn of the mediation
    (sees_mediation), "in mediation" shows as what it would be without it."""
    return _as_seen(user, initiative, initiative.status, own_request, today)


def shown_status_before(user: User, initiative: Initiative, before: InitiativeState,
                        own_request: FollowRequest | None, today: date) -> InitiativeState:
    """The status an initiative had before a change (`before`), as the user may see it now: a
    mediation hidden from them shows as what the initiative would be without it (shown_status)."""
    return _as_seen(user, initiative, before, own_request, today)


def _as_seen(user: User, initiative: Initiative, status: InitiativeState, own_request: FollowRequest | None,
             today: date) -> InitiativeState:
    if status == InitiativeState.IN_MEDIATION and not sees_mediation(user, initiative, own_request, today):
        return InitiativeState(db.session.execute(sa.select(_status_without_mediation(initiative.id))).scalar_one())
    return status


def status_column(user: User, today: date) -> sa.ColumnElement[InitiativeState] | QueryableAttribute[InitiativeState]:
    """shown_status as a column expression on Initiative: filter, count and order on this."""
    if is_admin(user) or is_mediator(user):
        return Initiative.status
    masked = sa.and_(Initiative.status == InitiativeState.IN_MEDIATION, sa.not_(mediation_clause(user, today)))
    return sa.type_coerce(sa.case((masked, _status_without_mediation(Initiative.id)), else_=Initiative.status),
                          Initiative.status.type)


# The public register (issue 12) ------------------------------------------------------------------

def is_public(initiative: Initiative) -> bool:
    """May anyone, without an account, read the initiative's public fields? Once published."""
    return initiative.published_at is not None


def public_clause() -> sa.ColumnElement[bool]:
    """is_public as a WHERE clause on Initiative (ix_initiatives_published)."""
    return Initiative.published_at.is_not(None)


def public_status_column() -> sa.ColumnElement[InitiativeState]:
    """The status as anyone may see it: like status_column for a viewer who sees no decisions and
    is party to no case, "in mediation" shows as what it would be without the mediation."""
    return sa.type_coerce(sa.case((Initiative.status == InitiativeState.IN_MEDIATION,
                                   _status_without_mediation(Initiative.id)), else_=Initiative.status),
                          Initiative.status.type)


def reveals_mediation(entry: AuditEntry) -> bool:
    """An audit entry that moves an initiative into or out of mediation."""
    statuses = {(entry.before or {}).get("status"), (entry.after or {}).get("status")}
    return entry.object_type == "Initiative" and InitiativeState.IN_MEDIATION.value in statuses


def reveals_mediation_clause() -> sa.ColumnElement[bool]:
    """reveals_mediation as a WHERE clause on AuditEntry (a timeline leaves these out in SQL,
    so that each of its pages is full)."""
    status = InitiativeState.IN_MEDIATION.value
    return sa.and_(AuditEntry.object_type == "Initiative", sa.or_(
        sa.func.coalesce(AuditEntry.before["status"].as_string(), "") == status,
        sa.func.coalesce(AuditEntry.after["status"].as_string(), "") == status))


def sees_case_entry(entry: AuditEntry, seen_statement_ids: set[int]) -> bool:
    """A case timeline's entry about a statement only for whoever sees that statement
    (`seen_statement_ids`: those sees_statement allows the viewer). Entries about notes never
    reach a party's timeline: the query leaves them out (hidden_audit_actions)."""
    if entry.action in STATEMENT_ACTIONS:
        return (entry.after or {}).get("statement") in seen_statement_ids
    return True


def case_entry_clause(seen_statement_ids: set[int]) -> sa.ColumnElement[bool]:
    """sees_case_entry as a WHERE clause on AuditEntry."""
    return sa.or_(AuditEntry.action.notin_(list(STATEMENT_ACTIONS)),
                  sa.func.coalesce(AuditEntry.after["statement"].as_integer(), 0).in_(sorted(seen_statement_ids)))


# Settlements (nacalculatie, issue 11) ---------------------------------------------------------------

def sees_settlements_of(user: User, initiative: Initiative, asked_insurer_ids: Iterable[int],
                        co_funder_ids: Iterable[int]) -> bool:
    """The settlements page of an initiative: whoever sees the initiative, and the co-funders whose
    pledge was frozen with the key (`co_funder_ids`). Which settlements it lists: sees_settlement."""
    return sees_initiative(user, initiative, asked_insurer_ids) or (
        is_co_funder_staff(user) and user.organisation_id in set(co_funder_ids))


def sees_settlement(user: User, settlement: Settlement) -> bool:
    """A settlement, every version, its lines and contests: the lead, the providers involved, the
    mediator and admins; the insurers that fund it and the co-funders counted in it."""
    initiative = settlement.initiative
    if is_admin(user) or is_mediator(user) or is_lead_staff(user, initiative) or is_involved_provider(user, initiative):
        return True
    if is_insurer_staff(user):
        return any(line.insurer_id == user.organisation_id and line.funds for line in settlement.lines)
    if is_co_funder_staff(user):
        return any(c.organisation_id == user.organisation_id for c in settlement.co_funding_lines)
    return False


def settlement_clause(user: User) -> sa.ColumnElement[bool]:
    """sees_settlement as a WHERE clause on Settlement."""
    if is_admin(user) or is_mediator(user):
        return sa.true()
    if is_provider_staff(user):
        return _provider_involved_clause(user, Settlement.initiative_id)
    if is_insurer_staff(user):
        return sa.or_(_lead_clause(user, Settlement.initiative_id), sa.exists().where(
            SettlementLine.settlement_id == Settlement.id, SettlementLine.insurer_id == user.organisation_id,
            SettlementLine.funds.is_(True)))
    if is_co_funder_staff(user):
        return sa.exists().where(SettlementCoFunding.settlement_id == Settlement.id,
                                 SettlementCoFunding.organisation_id == user.organisation_id)
    return sa.false()
