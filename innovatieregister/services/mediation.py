"""Mediation on an impasse (README "Mediation"; source 000: an independent body): the mediator
mediates and, in the last resort, holds parties to their responsibility; it never decides
purchasing or edits a decision.

Rights: the parties to an initiative may ask for mediation (an insurer asked only about its
own request); a case is seen by its parties only (visibility.sees_case); parties answer the
statements asked of them; mediators read everything within cases and write only mediation records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import overload

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.util import identity_key

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.allocation import CoFunded
from innovatieregister.domain.calendar import add_working_days, written
from innovatieregister.domain.workflow import (
    LIVE_MEDIATION_STATES,
    STILL_DECIDING,
    FollowRequestEvent,
    FollowRequestState,
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    MediationEvent,
    MediationState,
    Party,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.formatting import datum
from innovatieregister.models import (
    Decision,
    DecisionKind,
    Finding,
    FollowRequest,
    Initiative,
    MediationCase,
    MediationReason,
    MediatorNote,
    Organisation,
    OrganisationKind,
    Region,
    StatementRequest,
    User,
)
from innovatieregister.models.base import Money
from innovatieregister.models.mediation import MEDIATION_LABELS
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.co_funding import (
    annual_budget_column,
    counted_co_funding,
    counted_co_funding_column,
    fair_shares,
)
from innovatieregister.services.market_shares import weights_of_sets
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.standing import everyone_follows, insurer_states

SYSTEM = Actor(label="register: termijnbewaking")


def _asked(initiative: Initiative) -> list[int]:
    return list(db.session.scalars(sa.select(FollowRequest.insurer_id).where(
        FollowRequest.initiative_id == initiative.id)))


def mediator_organisations() -> list[int]:
    return list(db.session.scalars(sa.select(Organisation.id).where(Organisation.kind == OrganisationKind.MEDIATOR)))


def _party(user: User, initiative: Initiative) -> Party:
    if policies.is_mediator(user):
        return Party.MEDIATOR
    if policies.is_lead_staff(user, initiative):
        return Party.LEAD_INSURER
    return Party.PROVIDER if policies.is_provider_staff(user) else Party.INSURER


def _enter_mediation(initiative: Initiative, actor: Actor) -> None:
    try:
        new_state = transition(initiative.status, InitiativeEvent.MEDIATION_OPENED, Party.SYSTEM)
    except InvalidTransition:
        return  # already in mediation, or past the decision phase: the case runs beside it
    before, initiative.status = initiative.status, new_state
    db.session.flush()
    record(actor, "initiative.status", initiative, before={"status": str(before)}, after={"status": str(new_state)})


def _leave_mediation(initiative: Initiative, actor: Actor) -> None:
    """When its last live case closes, the initiative returns to where its decisions stand."""
    if initiative.status != InitiativeState.IN_MEDIATION:
        return
    live = db.session.scalar(sa.select(sa.func.count(MediationCase.id)).where(
        MediationCase.initiative_id == initiative.id, MediationCase.state.in_(LIVE_MEDIATION_STATES)))
    if live:
        return
    requests = db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative.id)).all()
    if everyone_follows(initiative):
        event = InitiativeEvent.MEDIATION_CLOSED_FUNDED
    elif any(r.state in STILL_DECIDING for r in requests):
        event = InitiativeEvent.MEDIATION_CLOSED_UNDECIDED
    else:
        event = InitiativeEvent.MEDIATION_CLOSED_WITH_GAP
    before = initiative.status
    initiative.status = transition(initiative.status, event, Party.SYSTEM)
    db.session.flush()
    record(actor, "initiative.status", initiative, before={"status": str(before)},
           after={"status": str(initiative.status)})


def _snapshot(case: MediationCase) -> dict:
    return {"state": str(case.state), "reason": str(case.reason), "request": case.follow_request_id,
            **({"settlement": case.settlement_id} if case.settlement_id else {}),
            "finding": str(case.finding) if case.finding else None,
            "follow_up_deadline": case.follow_up_deadline.isoformat() if case.follow_up_deadline else None}


def _open_case(initiative: Initiative, reason: MediationReason, statement: str, request: FollowRequest | None,
               actor: Actor, notify: bool = True, settlement=None) -> MediationCase:
    """`settlement`: a contested settlement (issue 11) the case is about, instead of a request."""
    case = MediationCase(initiative_id=initiative.id, follow_request_id=request.id if request else None,
                         settlement_id=settlement.id if settlement is not None else None,
                         reason=reason, statement=statement, state=MediationState.OPEN,
                         opened_by_id=actor.user.id if actor.user else None,
                         opened_by_organisation_id=actor.organisation_id)
    db.session.add(case)
    db.session.flush()
    record(actor, "mediation.open", case, after={**_snapshot(case), "initiative": initiative.id})
    _enter_mediation(initiative, actor)
    if notify:
        notify_organisations([*mediator_organisations(), *visibility.case_party_ids(case)], "mediation.update",
                             Said("Bemiddeling aangevraagd over '%(title)s': %(reason)s.", title=initiative.title,
                                  reason=Said(MEDIATION_LABELS.raw(reason), lower=True)), f"/bemiddeling/{case.id}")
    return case


def _live_case_for(request_id: int) -> MediationCase | None:
    return db.session.scalar(sa.select(MediationCase).where(
        MediationCase.follow_request_id == request_id, MediationCase.state.in_(LIVE_MEDIATION_STATES)))


def request_mediation(user: User, initiative_id: int, reason: str, statement: str,
                      request_id: int | None = None) -> MediationCase:
    """A party asks for mediation on an impasse, saying why."""
    with write_transaction():
        initiative = db.session.scalar(sa.select(Initiative).where(Initiative.id == initiative_id)
                                       .with_for_update(of=Initiative))
        if initiative is None or not policies.can_ask_mediation(user, initiative, _asked(initiative)):
            raise NotFound(_("Dit initiatief bestaat niet, of uw organisatie is er geen partij bij."))
        if initiative.status in (InitiativeState.CONCEPT, InitiativeState.WITHDRAWN):
            raise Conflict(_("Bemiddeling gaat over een initiatief dat is opengesteld voor besluiten."))
        chosen, statement = _reason_and_statement(reason, statement)
        request = _request_about(user, initiative, chosen, request_id)
        if request is not None:
            _check_request_fits(request, chosen)
        return _open_case(initiative, chosen, statement, request, Actor(user=user))


def _reason_and_statement(reason: str, statement: str) -> tuple[MediationReason, str]:
    """A known reason, and a statement that says why (at most limits.TEXT)."""
    try:
        chosen = MediationReason(reason)
    except ValueError:
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"reason": [_("Kies een reden.")]}) from None
    errors: dict[str, list[str]] = {}
    statement = limits.checked_text(statement, limits.TEXT, "statement", errors, _("De toelichting"))
    if errors:
        raise Invalid(_("Geen bemiddeling aangevraagd."), errors)
    if not statement:
        raise Invalid(_("Geen bemiddeling aangevraagd."),
                      {"statement": [_("Leg uit waarom u bemiddeling vraagt.")]})
    return chosen, statement


def _request_about(user: User, initiative: Initiative, reason: MediationReason,
                   request_id: int | None) -> FollowRequest | None:
    """The request the mediation is about: the one chosen, or an insurer's own; None only for a
    disagreement about the whole initiative."""
    request = db.session.get(FollowRequest, request_id) if request_id else None
    if request_id and (request is None or request.initiative_id != initiative.id):
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"request": [_("Kies het verzoek waarover het gaat.")]})
    speaks_for_all = policies.is_lead_staff(user, initiative) or policies.is_involved_provider(user, initiative)
    if request is None and not speaks_for_all:
        # An insurer asked speaks for itself: its disagreement is about its own request.
        request = visibility.own_follow_request(user, db.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative.id)))
    if request is None and reason != MediationReason.DISAGREEMENT:
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"request": [_("Kies het verzoek waarover het gaat.")]})
    if not policies.can_ask_mediation_about(user, initiative, request):
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"request": [
            _("Uw organisatie vraagt alleen bemiddeling over het verzoek aan uzelf.")]})
    return request


def _check_request_fits(request: FollowRequest, reason: MediationReason) -> None:
    """The reason holds for the request (a weak decline, a passed deadline) and no case runs on it yet."""
    standing = db.session.scalar(sa.select(Decision).where(
        Decision.follow_request_id == request.id, Decision.standing.is_(True)))
    if reason == MediationReason.INSUFFICIENT_DECLINE and (
            standing is None or not standing.insufficiently_substantiated):
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"reason": [
            _("Dit verzoek heeft geen afwijzing die als onvoldoende onderbouwd is vastgelegd.")]})
    if reason == MediationReason.DEADLINE_PASSED and request.state != FollowRequestState.OVERDUE:
        raise Invalid(_("Geen bemiddeling aangevraagd."), {"reason": [
            _("De termijn van dit verzoek is niet verstreken zonder besluit.")]})
    if _live_case_for(request.id) is not None:
        raise Conflict(_("Over dit verzoek loopt al een bemiddeling."))


def escalate_overdue_request(request: FollowRequest) -> MediationCase | None:
    """Called when a deadline passes without a decision: the request lands in the mediator's
    queue by itself (joining a live case when there is one)."""
    if _live_case_for(request.id) is not None:
        return None
    initiative = db.session.get_one(Initiative, request.initiative_id)
    insurer = db.session.get_one(Organisation, request.insurer_id)
    # The escalation itself has told the lead, the providers, the insurer and the mediator.
    return _open_case(initiative, MediationReason.DEADLINE_PASSED,
                      f"{insurer.name} heeft vóór {written(request.deadline)} niet besloten.", request, SYSTEM,
                      notify=False)


def _case_for_mediator(user: User, case_id: int) -> MediationCase:
    if not policies.is_mediator(user):
        raise NotAllowed(_("Alleen de bemiddelaar doet dit."))
    case = db.session.scalar(sa.select(MediationCase).where(MediationCase.id == case_id)
                             .with_for_update(of=MediationCase))
    if case is None:
        raise NotFound(_("Deze zaak bestaat niet."))
    return case


def _move(case: MediationCase, event: MediationEvent, party: Party) -> None:
    try:
        case.state = transition(case.state, event, party)
    except InvalidTransition as refused:
        raise Conflict(str(refused)) from None


def take(user: User, case_id: int) -> MediationCase:
    with write_transaction():
        case = _case_for_mediator(user, case_id)
        before = _snapshot(case)
        _move(case, MediationEvent.TAKE, Party.MEDIATOR)
        case.mediator_id = user.id
        db.session.flush()
        record(Actor(user=user), "mediation.take", case, before=before, after=_snapshot(case))
        return case


# The latest deadline a mediator may set for a statement: about three months ahead.
STATEMENT_DEADLINE_MAX_DAYS = 92


def default_statement_deadline(today: date) -> date:
    """The deadline the statement form proposes: STATEMENT_DEADLINE_WORKING_DAYS working days ahead."""
    return add_working_days(today, current_app.config["STATEMENT_DEADLINE_WORKING_DAYS"])


def _statement_deadline(value: date | str | None, today: date, errors: dict[str, list[str]]) -> date | None:
    """The mediator's chosen deadline (empty: the default), from tomorrow to about three months ahead."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default_statement_deadline(today)
    latest = today + timedelta(days=STATEMENT_DEADLINE_MAX_DAYS)
    deadline = limits.parse_date(value)
    if deadline is None:
        errors["deadline"] = [
            _("Vul de termijn in als datum (%(format)s, bijvoorbeeld %(example)s).",
              format=limits.DATE_INPUT, example=limits.date_input(latest))]
    elif not today < deadline <= latest:
        errors["deadline"] = [_("Kies een termijn na vandaag en uiterlijk %(date)s (ongeveer drie maanden).",
                                date=datum(latest))]
    return deadline


def request_statement(user: User, case_id: int, party_code: str, question: str, today: date,
                      deadline: date | str | None = None) -> StatementRequest:
    """The mediator asks a party of the case for its statement, by `deadline` (its choice; by
    default STATEMENT_DEADLINE_WORKING_DAYS working days ahead)."""
    with write_transaction():
        case = _case_for_mediator(user, case_id)
        party = db.session.scalar(sa.select(Organisation).where(Organisation.code == (party_code or "").upper()))
        errors: dict[str, list[str]] = {}
        if party is None or party.id not in visibility.case_party_ids(case):
            errors["party"] = [_("Kies een partij bij deze zaak.")]
        question = limits.checked_text(question, limits.TEXT, "question", errors, _("De vraag"),
                                       required=_("Formuleer de vraag aan de partij."))
        deadline = _statement_deadline(deadline, today, errors)
        if errors or party is None or deadline is None:  # the errors name a missing party or date
            raise Invalid(_("Geen zienswijze gevraagd."), errors)
        _move(case, MediationEvent.REQUEST_STATEMENTS, Party.MEDIATOR)
        statement = StatementRequest(case_id=case.id, party_id=party.id, question=question,
                                     deadline=deadline, requested_by_id=user.id)
        db.session.add(statement)
        db.session.flush()
        record(Actor(user=user), "mediation.statement_request", case,
               after={"statement": statement.id, "party": party.code, "deadline": deadline.isoformat()})
        notify_organisations([party.id], "mediation.update",
                             Said("De bemiddelaar vraagt uw zienswijze over '%(title)s', uiterlijk %(date)s.",
                                  title=case.initiative.title, date=deadline), f"/bemiddeling/{case.id}")
        return statement


def answer_statement(user: User, statement_id: int, answer: str, now: datetime) -> StatementRequest:
    with write_transaction():
        statement = db.session.scalar(sa.select(StatementRequest).where(StatementRequest.id == statement_id)
                                      .with_for_update(of=StatementRequest))
        # The party asked answers, and only while it is party to the case (a statement asked of
        # someone who no longer is, under an older rule, is not theirs to answer).
        if statement is None or policies.is_mediator(user) or not visibility.sees_statement(user, statement) \
                or not visibility.sees_case(user, statement.case):
            raise NotFound(_("Dit verzoek om een zienswijze bestaat niet."))
        if statement.answered_at is not None:
            raise Conflict(_("Deze zienswijze is al gegeven."))
        errors: dict[str, list[str]] = {}
        answer = limits.checked_text(answer, limits.TEXT, "answer", errors, _("De zienswijze"),
                                     required=_("Schrijf uw zienswijze."))
        if errors:
            raise Invalid(_("Geen zienswijze gegeven."), errors)
        statement.answer, statement.answered_by_id, statement.answered_at = answer, user.id, now
        db.session.flush()
        record(Actor(user=user), "mediation.statement_answer", statement.case,
               after={"statement": statement.id, "party": user.organisation.code})
        notify_organisations(mediator_organisations(), "mediation.update",
                             Said("%(organisation)s heeft een zienswijze gegeven over '%(title)s'.",
                                  organisation=user.organisation.name, title=statement.case.initiative.title),
                             f"/bemiddeling/{statement.case_id}")
        return statement


def add_note(user: User, case_id: int, body: str) -> MediatorNote:
    with write_transaction():
        case = _case_for_mediator(user, case_id)
        errors: dict[str, list[str]] = {}
        body = limits.checked_text(body, limits.TEXT, "body", errors, _("De notitie"),
                                   required=_("De notitie is leeg."))
        if errors:
            raise Invalid(_("Geen notitie opgeslagen."), errors)
        note = MediatorNote(case_id=case.id, author_id=user.id, body=body)
        db.session.add(note)
        db.session.flush()
        # The audit trail records that a note was made, not what it says: parties read timelines.
        record(Actor(user=user), "mediation.note", case, after={"note": note.id})
        return note


@dataclass(frozen=True)
class FindingPlan:
    """What recording a finding will do (the confirmation step restates it)."""

    case: MediationCase
    finding: Finding
    reasoning: str
    follow_up_deadline: date | None  # "follow required": the insurer's new deadline
    consequence: Said | str  # in words, as the parties are told: each in its own language


def _finding_checked(case: MediationCase, finding: str, reasoning: str, today: date) -> FindingPlan:
    """The refusals of a finding; what it will do."""
    try:
        finding = Finding(finding)
    except ValueError:
        raise Invalid(_("Geen bevinding vastgelegd."), {"finding": [_("Kies een bevinding.")]}) from None
    errors: dict[str, list[str]] = {}
    reasoning = limits.checked_text(reasoning, limits.TEXT, "reasoning", errors, _("De onderbouwing"),
                                    required=_("Onderbouw de bevinding."))
    if errors:
        raise Invalid(_("Geen bevinding vastgelegd."), errors)
    if finding == Finding.FOLLOW_REQUIRED and case.follow_request is None:
        raise Invalid(_("Geen bevinding vastgelegd."), {"finding": [
            _("'Volgen vereist' kan alleen bij een zaak over het verzoek aan een verzekeraar.")]})
    try:
        transition(case.state, MediationEvent.RECORD_FINDING, Party.MEDIATOR)
        if finding == Finding.FOLLOW_REQUIRED and case.follow_request is not None:  # checked above
            transition(case.follow_request.state, FollowRequestEvent.REOPEN, Party.MEDIATOR)
    except InvalidTransition as refused:
        raise Conflict(str(refused)) from None
    deadline = add_working_days(today, current_app.config["MEDIATION_FOLLOW_UP_WORKING_DAYS"]) \
        if finding == Finding.FOLLOW_REQUIRED else None
    consequence = {
        Finding.DECLINE_UPHELD: Said("de afwijzing blijft staan"),
        Finding.SETTLED: Said("de partijen zijn tot overeenstemming gekomen"),
        Finding.FOLLOW_REQUIRED: Said("de verzekeraar moet uiterlijk %(date)s zijn volgbesluit vastleggen",
                                      date=deadline)
        if deadline else "",
    }[finding]
    return FindingPlan(case, finding, reasoning, deadline, consequence)


def preview_finding(user: User, case_id: int, finding: str, reasoning: str, today: date) -> FindingPlan:
    """The finding checked, not recorded (the confirmation step): the same refusals as `record_finding`."""
    if not policies.is_mediator(user):
        raise NotAllowed(_("Alleen de bemiddelaar doet dit."))
    case = db.session.get(MediationCase, case_id)
    if case is None:
        raise NotFound(_("Deze zaak bestaat niet."))
    return _finding_checked(case, finding, reasoning, today)


def record_finding(user: User, case_id: int, finding: str, reasoning: str, today: date, now: datetime) -> MediationCase:
    """The finding with its reasoning. "Follow required" reopens the insurer's request with a new
    deadline; the mediator never records or edits a decision itself."""
    with write_transaction():
        case = _case_for_mediator(user, case_id)
        plan = _finding_checked(case, finding, reasoning, today)
        finding, reasoning = plan.finding, plan.reasoning
        before = _snapshot(case)
        _move(case, MediationEvent.RECORD_FINDING, Party.MEDIATOR)
        case.finding, case.finding_reasoning, case.finding_at = finding, reasoning, now
        request, deadline = case.follow_request, plan.follow_up_deadline
        # _finding_checked: "follow required" has a request and a new deadline
        if finding == Finding.FOLLOW_REQUIRED and request is not None and deadline is not None:
            try:
                request.state = transition(request.state, FollowRequestEvent.REOPEN, Party.MEDIATOR)
            except InvalidTransition as refused:
                raise Conflict(str(refused)) from None
            request.deadline = deadline
            case.follow_up_deadline = deadline
            record(Actor(user=user), "follow_request.reopened", request,
                   after={"state": str(request.state), "deadline": request.deadline.isoformat()})
        db.session.flush()
        record(Actor(user=user), "mediation.finding", case, before=before,
               after={**_snapshot(case), "reasoning": case.finding_reasoning})
        if finding != Finding.FOLLOW_REQUIRED:
            _close(case, Actor(user=user), now)
        notify_organisations(visibility.case_party_ids(case), "mediation.update",
                             Said("Bevinding van de bemiddelaar over '%(title)s': %(consequence)s.",
                                  title=case.initiative.title, consequence=plan.consequence),
                             f"/bemiddeling/{case.id}")
        return case


def _close(case: MediationCase, actor: Actor, now: datetime) -> None:
    before = _snapshot(case)
    case.state = transition(case.state, MediationEvent.CLOSE, Party.SYSTEM)
    case.closed_at = now
    db.session.flush()
    record(actor, "mediation.close", case, before=before, after=_snapshot(case))
    _leave_mediation(case.initiative, actor)


def binding_finding(request_id: int) -> MediationCase | None:
    """The case whose 'follow required' finding binds this request: its insurer may only follow.

    The finding binds until the matter is closed otherwise, which in this model means a later
    case on the same request records another finding (decline upheld, or settled). The case
    closing because the insurer recorded the very follow it demanded does not lift it: turning
    that follow back into a decline would undo the finding. A case with a finding can no longer
    be withdrawn (MEDIATION_TRANSITIONS), and a cancelled request takes no decision at all.
    """
    latest = db.session.scalar(
        sa.select(MediationCase)
        .where(MediationCase.follow_request_id == request_id, MediationCase.finding.is_not(None))
        .order_by(MediationCase.finding_at.desc(), MediationCase.id.desc()).limit(1))
    return latest if latest is not None and latest.finding == Finding.FOLLOW_REQUIRED else None


def close_when_followed(request: FollowRequest, decision: Decision, now: datetime) -> None:
    """A 'follow required' case ends when the insurer records its follow."""
    if decision.kind != DecisionKind.FOLLOW:
        return
    case = db.session.scalar(sa.select(MediationCase).where(
        MediationCase.follow_request_id == request.id, MediationCase.state == MediationState.FINDING))
    if case is not None:
        _close(case, Actor(label="register: volgbesluit na bevinding"), now)


def withdraw(user: User, case_id: int, now: datetime) -> MediationCase:
    with write_transaction():
        case = db.session.scalar(sa.select(MediationCase).where(MediationCase.id == case_id)
                                 .with_for_update(of=MediationCase))
        if case is None or not visibility.sees_case(user, case):
            raise NotFound(_("Deze zaak bestaat niet."))
        if policies.is_mediator(user) or case.opened_by_organisation_id != user.organisation_id:
            raise NotAllowed(_("Alleen de partij die de bemiddeling vroeg, trekt haar in."))
        _withdraw_case(case, _party(user, case.initiative), Actor(user=user), now)
        _leave_mediation(case.initiative, Actor(user=user))
        return case


def end_with_withdrawn_initiative(initiative: Initiative, actor: Actor, now: datetime) -> list[int]:
    """The lead withdrew the initiative (services.lifecycle.withdraw): its live cases end with it,
    withdrawn by the lead, or closed when a finding was already recorded. Returns their ids."""
    cases = db.session.scalars(sa.select(MediationCase).where(
        MediationCase.initiative_id == initiative.id, MediationCase.state.in_(LIVE_MEDIATION_STATES))
        .order_by(MediationCase.id)).all()
    for case in cases:
        if case.state == MediationState.FINDING:
            _close(case, actor, now)
            continue
        _withdraw_case(case, Party.LEAD_INSURER, actor, now)
    return [case.id for case in cases]


def _withdraw_case(case: MediationCase, party: Party, actor: Actor, now: datetime) -> None:
    before = _snapshot(case)
    _move(case, MediationEvent.WITHDRAW, party)
    case.closed_at = now
    db.session.flush()
    record(actor, "mediation.withdraw", case, before=before, after=_snapshot(case))


# Reading ---------------------------------------------------------------------------------------

@dataclass
class Stake:
    """What a case puts at stake: the contested insurer's share of the budget by the frozen key
    (domain/allocation via co_funding.fair_shares), or, for a case about no one insurer's request,
    the initiative's funding gap."""

    amount: Decimal
    insurer: str | None  # whose share; None: the funding gap


@dataclass
class QueueRow:
    case: MediationCase
    stake: Stake
    title: str  # the initiative's
    region: str  # the initiative's region's name
    insurer: str | None  # the name of the insurer the request is addressed to; None: no request
    insurer_code: str | None

    @property
    def at_stake(self) -> Decimal:
        return self.stake.amount


@dataclass(frozen=True)
class FundingKey:
    """What an initiative's funding is computed from (co_funding.fair_shares): taken from an
    Initiative, or read as plain columns for a page of them."""

    id: int
    lead_insurer_id: int
    market_share_set_id: int | None  # the frozen key; None before opening
    region_id: int
    annual_budget: Decimal
    co_funding: tuple[tuple[str, Decimal], ...]  # counted_co_funding: (co-funder, amount per year)

    @classmethod
    def of(cls, initiative: Initiative, co_funding: list[tuple[str, Decimal]]) -> FundingKey:
        return cls(initiative.id, initiative.lead_insurer_id, initiative.market_share_set_id, initiative.region_id,
                   initiative.annual_budget, tuple(co_funding))

    def weights(self, weights: dict[tuple[int, int], dict[int, int]]) -> dict[int, int]:
        """Its frozen key's insured per insurer, from weights_of_sets; empty before a key is frozen."""
        if self.market_share_set_id is None:
            return {}
        return weights.get((self.market_share_set_id, self.region_id), {})


def _weights(keys: Iterable[FundingKey]) -> dict[tuple[int, int], dict[int, int]]:
    return weights_of_sets({(k.market_share_set_id, k.region_id) for k in keys if k.market_share_set_id})


def _stake(insurer_id: int | None, insurer: str | None, funded: CoFunded | None, gap: Decimal | None) -> Stake | None:
    if funded is not None and insurer_id is not None:
        share = next((s for s in funded.shares if s.insurer == insurer_id), None)
        if share is not None:
            return Stake(share.amount, insurer)
    if funded is not None:
        return Stake(funded.gap, None)
    return Stake(gap, None) if gap is not None else None


@overload
def stake_of(case: MediationCase, funded: CoFunded | None, gap: Decimal) -> Stake: ...
@overload
def stake_of(case: MediationCase, funded: CoFunded | None, gap: None = None) -> Stake | None: ...
def stake_of(case: MediationCase, funded: CoFunded | None, gap: Decimal | None = None) -> Stake | None:
    """The stake of `case` from its initiative's funding as the viewer may see it (`funded`; None
    before a key is frozen, then `gap`). The share does not depend on anyone's decision; the gap
    counts the decisions hidden from the viewer as undecided."""
    request = case.follow_request
    return _stake(request.insurer_id if request else None, request.insurer.name if request else None, funded, gap)


def _funding(keys: list[FundingKey], user: User, today: date,
             weights: dict[tuple[int, int], dict[int, int]] | None = None
             ) -> dict[int, tuple[CoFunded | None, Decimal]]:
    """Each initiative's funding as this user may see it, and its gap: decisions hidden from them
    count as undecided, so what is at stake never tells who follows. Before a key is frozen there
    is no funding, and the gap is the budget less the confirmed co-funding. `weights`: from
    _weights, when already read."""
    weights = _weights(keys) if weights is None else weights
    states = insurer_states(keys, seen_by=user, today=today)
    result: dict[int, tuple[CoFunded | None, Decimal]] = {}
    for key in keys:
        insured = key.weights(weights)
        if not sum(insured.values()):
            result[key.id] = (None, key.annual_budget - sum((amount for _name, amount in key.co_funding),
                                                            Decimal("0.00")))
            continue
        decisions = {k: v for k, v in states[key.id].items() if k in insured}
        funded = fair_shares(key, insured, decisions, list(key.co_funding))
        result[key.id] = (funded, funded.gap)
    return result


def _gaps(initiatives: list[Initiative], user: User, today: date) -> dict[int, Decimal]:
    """The funding gap of each initiative as this user may see it (_funding)."""
    co_funding = counted_co_funding([i.id for i in initiatives])
    keys = [FundingKey.of(i, co_funding[i.id]) for i in initiatives]
    return {initiative_id: gap for initiative_id, (_funded, gap) in _funding(keys, user, today).items()}


@dataclass(frozen=True)
class _Listed:
    """A case of a queue page with what its row shows, read as plain columns."""

    case_id: int
    key: FundingKey
    title: str
    region: str
    insurer_id: int | None
    insurer: str | None
    insurer_code: str | None


def _listed(case_ids: list[int]) -> list[_Listed]:
    """The initiative, the region and the insurer of each case, and its initiative's budget and
    counted co-funding (summed in SQL, exact on both databases): one query of plain rows."""
    if not case_ids:
        return []
    rows = db.session.execute(
        sa.select(MediationCase.id, Initiative.id.label("initiative_id"), Initiative.lead_insurer_id,
                  Initiative.market_share_set_id, Initiative.region_id,
                  annual_budget_column().label("budget"),
                  sa.type_coerce(counted_co_funding_column(), Money()).label("co_funding"),
                  Initiative.title, Region.name.label("region"), FollowRequest.insurer_id,
                  Organisation.name.label("insurer"), Organisation.code.label("insurer_code"))
        .join(Initiative, Initiative.id == MediationCase.initiative_id)
        .join(Region, Region.id == Initiative.region_id)
        .outerjoin(FollowRequest, FollowRequest.id == MediationCase.follow_request_id)
        .outerjoin(Organisation, Organisation.id == FollowRequest.insurer_id)
        .where(MediationCase.id.in_(case_ids))).all()
    return [_Listed(r.id, FundingKey(r.initiative_id, r.lead_insurer_id, r.market_share_set_id, r.region_id,
                                     r.budget, (("", r.co_funding),) if r.co_funding else ()),
                    r.title, r.region, r.insurer_id, r.insurer, r.insurer_code) for r in rows]


def _stakes(listed: list[_Listed], user: User, today: date) -> dict[int, Stake]:
    """The stake of each case as this user may see it. A case about one insurer's request puts
    that insurer's share at stake, which no decision moves: the decisions are read (once, for all
    of them) only for the initiatives with a case about their gap."""
    keys = {row.key.id: row.key for row in listed}
    weights = _weights(keys.values())
    about_gap = {row.key.id for row in listed if not sum(row.key.weights(weights).values())
                 or row.insurer_id not in row.key.weights(weights)}
    # None about a gap: not even the decisions' visibility clause is built.
    funding = _funding([keys[i] for i in sorted(about_gap)], user, today, weights) if about_gap else {}
    stakes: dict[int, Stake] = {}
    for row in listed:
        funded, gap = funding.get(row.key.id) or (
            fair_shares(row.key, row.key.weights(weights), {}, list(row.key.co_funding)), None)
        stake = _stake(row.insurer_id, row.insurer, funded, gap)
        assert stake is not None  # a funding, or the gap before a key is frozen
        stakes[row.case_id] = stake
    return stakes


def stake_for(user: User, case: MediationCase, today: date) -> Stake:
    """What one case puts at stake as the user may see it: read as a queue row is (the same figure as
    stake_of with the initiative page's funding, without reading the rest of that page)."""
    return _stakes(_listed([case.id]), user, today)[case.id]


def queue_for(user: User, today: date, page: int = 1, per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The mediator's queue (all live cases), or the cases a party is party to; oldest first,
    one page of QueueRow. What is at stake (Stake) is computed for that page
    only, from the requests of its initiatives (a bounded, indexed read): sorting the whole
    queue by it would recompute every gap from every decision on every request. Not a stored
    column either: the gap counts the decisions hidden from the viewer as undecided, so no one
    stored number serves every viewer. The rows' texts and figures are read as plain columns
    (_listed), not as the objects behind them."""
    query = sa.select(MediationCase).where(visibility.case_clause(user))
    if policies.is_mediator(user):
        query = query.where(MediationCase.state.in_(LIVE_MEDIATION_STATES))  # ix_mediation_cases_state_opened
    result = paginate(query, page, per_page, order=(MediationCase.opened_at, MediationCase.id), cursor=cursor)
    listed = {row.case_id: row for row in _listed([c.id for c in result.items])}
    stakes = _stakes(list(listed.values()), user, today)
    result.items = [QueueRow(c, stakes[c.id], listed[c.id].title, listed[c.id].region, listed[c.id].insurer,
                             listed[c.id].insurer_code) for c in result.items]
    return result


@dataclass
class CaseView:
    case: MediationCase
    statements: list[StatementRequest]  # those the viewer may see (visibility.sees_statement)
    notes: list[MediatorNote]  # the mediator only (visibility.sees_notes)
    is_mediator: bool
    may_withdraw: bool
    sees_notes: bool  # the notes and that they exist


def case_view(user: User, case_id: int, with_notes: bool = True) -> CaseView:
    """The case as `user` may see it; `with_notes=False`: without reading the notes (a timeline
    shows none)."""
    case = db.session.scalars(sa.select(MediationCase).where(MediationCase.id == case_id).options(
        joinedload(MediationCase.initiative), joinedload(MediationCase.statements),
        joinedload(MediationCase.follow_request).joinedload(FollowRequest.insurer),
        joinedload(MediationCase.opened_by_organisation))).unique().one_or_none()
    if case is None or not visibility.sees_case(user, case):
        raise NotFound(_("Deze zaak bestaat niet."))
    # Not asked at all where note_clause would find none (sa.false()): the same empty list.
    notes = list(db.session.scalars(sa.select(MediatorNote).where(
        MediatorNote.case_id == case.id, visibility.note_clause(user)).order_by(MediatorNote.id))) \
        if with_notes and visibility.sees_notes(user) else []
    statements = [s for s in case.statements if visibility.sees_statement(user, s)]
    mediator = policies.is_mediator(user)
    may_withdraw = (not mediator and case.opened_by_organisation_id == user.organisation_id
                    and case.state in (MediationState.OPEN, MediationState.IN_PROGRESS))
    return CaseView(case, statements, notes, mediator, may_withdraw, visibility.sees_notes(user))


def party_organisations(case: MediationCase) -> list[Organisation]:
    """The organisations the mediator may ask for a statement: the case's parties. The case page has
    read most of them already (its lead, providers and the insurer concerned): only the others are queried."""
    ids = visibility.case_party_ids(case)
    found = {i: o for i in ids if (o := db.session.identity_map.get(identity_key(Organisation, i)))}
    if missing := ids - found.keys():
        found.update((o.id, o) for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(missing))))
    return sorted(found.values(), key=lambda o: (o.name, o.id))
