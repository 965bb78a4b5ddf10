"""After the decision (issue 10): activate, adjust the evaluation calendar, evaluate, extend, end;
and what the scheduler does when a monitoring moment nears or passes, or a stop criterion is met.

Every step goes through the initiative's transition table (domain.workflow), so a refusal says in
Dutch who may do what from here; the rules of term, calendar, extension and ending are in
domain.lifecycle. Each step is audited on the Initiative (its timeline shows the whole life) and
notifies the parties: the lead, the providers involved and the insurers that fund it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.calendar import add_working_days, dutch_date
from innovatieregister.domain.lifecycle import (
    AWAITING_FINAL,
    STOP_REASON_LABELS,
    CalendarEntry,
    MomentStatus,
    PlannedMoment,
    StopReason,
    Term,
    TermPolicy,
    activation_problems,
    calendar_problems,
    end_problems,
    evaluation_calendar,
    evaluation_problems,
    extends_on,
    extension_calendar,
    extension_problems,
    moment_status,
    stop_reasons,
    term_at_activation,
)
from innovatieregister.domain.monitoring import LABELS, EndOutcome, MeasurementKind, Verdict
from innovatieregister.domain.phase import activates_without_follow_requests
from innovatieregister.domain.registration import cross_institution_problem
from innovatieregister.domain.workflow import (
    LIVE_MEDIATION_STATES,
    LIVE_REQUEST_STATES,
    FollowRequestEvent,
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    Party,
    allowed_events,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.formatting import euro
from innovatieregister.i18n import translated
from innovatieregister.models import FollowRequest, Initiative, User
from innovatieregister.models.mediation import MediationCase
from innovatieregister.models.monitoring import Document, Evaluation, Measurement, MonitoringMoment, TermExtension
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import (
    Conflict,
    Invalid,
    NotAllowed,
    NotFound,
    co_funding,
    conditions,
    savings,
    write_transaction,
)
from innovatieregister.services.audit import Actor, iso, record
from innovatieregister.services.deadlines import claim
from innovatieregister.services.initiatives import _load_for_update, _requested_insurers
from innovatieregister.services.mediation import _gaps, end_with_withdrawn_initiative, mediator_organisations
from innovatieregister.services.monitoring import funding_insurers
from innovatieregister.services.notifications import Said, notify_organisations

SYSTEM = Actor(label="register: looptijdbewaking")
IE = InitiativeEvent
# The life-cycle steps a page offers, in the order it shows them.
LIFECYCLE_EVENTS = (IE.ACTIVATE, IE.EVALUATE_INTERIM, IE.EVALUATE, IE.ADJUST_CALENDAR, IE.EXTEND, IE.END,
                    IE.WITHDRAW)


def term_policy() -> TermPolicy:
    config = current_app.config
    return TermPolicy(config["START_UP_MONTHS"], config["TERM_YEARS"], config["BASELINE_MONTHS"])


def reminder_horizon(today: date) -> date:
    """The last due date the scheduler reminds of today (the page calls such a moment 'due')."""
    return add_working_days(today, current_app.config["EVALUATION_REMINDER_WORKING_DAYS"])


# Who acts, and the transition table ------------------------------------------------------------

def party_of(user: User, initiative: Initiative) -> Party:
    """The part the user plays towards this initiative (one who sees it; see _running)."""
    if policies.is_lead_staff(user, initiative):
        return Party.LEAD_INSURER
    if policies.is_involved_provider(user, initiative):
        return Party.PROVIDER
    if policies.is_mediator(user):
        return Party.MEDIATOR
    if policies.is_admin(user):
        return Party.ADMIN
    return Party.INSURER


def _seen_as_party(user: User, initiative: Initiative | None) -> tuple[Initiative, Party]:
    """The initiative and the user's part; NotFound for whoever may not see it."""
    if initiative is None or not visibility.sees_initiative(user, initiative, _requested_insurers(initiative.id)):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative, party_of(user, initiative)


def _locked_for(user: User, initiative_id: int) -> tuple[Initiative, Party]:
    """The initiative, locked for the change, and the user's part."""
    return _seen_as_party(user, _load_for_update(initiative_id))


def _read_for(user: User, initiative_id: int) -> tuple[Initiative, Party]:
    """The initiative as read for a confirmation step (nothing changes), and the user's part."""
    return _seen_as_party(user, db.session.get(Initiative, initiative_id))


def _step(initiative: Initiative, event: InitiativeEvent, party: Party) -> InitiativeState:
    """The state after this step, or the table's Dutch refusal: 403 for the wrong party, 409 otherwise."""
    try:
        return transition(initiative.status, event, party)
    except InvalidTransition as refused:
        raise (NotAllowed if refused.wrong_role else Conflict)(str(refused)) from None


def _notify(initiative: Initiative, message: Said, kind: str = "initiative.lifecycle",
            mediator: bool = False, also: Iterable[int] = ()) -> None:
    """Tell the funders and the providers involved (and `also` these organisations)."""
    parties = {*funding_insurers(initiative), *(p.provider_id for p in initiative.providers), *also}
    notify_organisations(sorted({*parties, *(mediator_organisations() if mediator else [])}), kind, message,
                         f"/initiatieven/{initiative.id}/looptijd")


def _term_after(initiative: Initiative) -> dict:
    return {"status": str(initiative.status),
            "term_start": iso(initiative.term_start), "start_up_end": iso(initiative.start_up_end),
            "term_end": iso(initiative.term_end)}


def _calendar_rows(initiative: Initiative, planned: list[PlannedMoment]) -> list[MonitoringMoment]:
    moments = [MonitoringMoment(initiative_id=initiative.id, kind=m.kind, due_on=m.due_on) for m in planned]
    db.session.add_all(moments)
    return moments


def _pending(initiative_id: int) -> list[MonitoringMoment]:
    return list(db.session.scalars(sa.select(MonitoringMoment).where(
        MonitoringMoment.initiative_id == initiative_id, MonitoringMoment.done_at.is_(None))
        .order_by(MonitoringMoment.due_on, MonitoringMoment.id)))


def _moment_evaluated(initiative_id: int, kind: MeasurementKind, today: date) -> MonitoringMoment | None:
    """The calendar moment an evaluation of `kind` recorded today fulfils. A term has one baseline and
    one final moment: an evaluation of that kind fulfils it whenever it comes. Periodic moments recur
    yearly: an evaluation fulfils the earliest one that is due (within the reminder window) or
    overdue; one recorded long before is an extra evaluation and must not use up next year's moment,
    or no reminder would come when that one falls due."""
    horizon = reminder_horizon(today)
    return next((m for m in _pending(initiative_id)
                 if m.kind == kind and (kind != MeasurementKind.PERIODIC or m.due_on <= horizon)), None)


def _lapse_pending(initiative_id: int) -> list[str]:
    """A final evaluation or the end closes the term's calendar: moments not evaluated by then
    lapse (else the scheduler would chase them for ever). Returns them for the audit entry."""
    lapsed = _pending(initiative_id)
    for moment in lapsed:
        db.session.delete(moment)
    return [f"{m.kind}:{m.due_on.isoformat()}" for m in lapsed]


def _latest_final(initiative_id: int) -> Evaluation | None:
    return db.session.scalar(sa.select(Evaluation).where(
        Evaluation.initiative_id == initiative_id, Evaluation.kind == MeasurementKind.FINAL)
        .order_by(Evaluation.id.desc()).limit(1))


def _enum(value, enum, field_name: str, errors: dict, message: str):
    try:
        return enum(value)
    except ValueError:
        errors.setdefault(field_name, []).append(message)
        return None


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    """The domain's problems added to the errors, in the reader's language."""
    for key, messages in more.items():
        errors.setdefault(key, []).extend(translated(m) for m in messages)


# Activation ------------------------------------------------------------------------------------

@dataclass
class ActivationPlan:
    """What activating now would fix: shown on the confirmation page, written by `activate`."""

    term: Term
    calendar: list[PlannedMoment]
    partially_funded: bool
    gap: Decimal
    gap_reasons: str


def _plan_activation(user: User, initiative: Initiative, party: Party, gap_reasons: str, today: date) -> ActivationPlan:
    _step(initiative, IE.ACTIVATE, party)
    if initiative.status == InitiativeState.CONCEPT:
        _check_activation_from_draft(initiative)
    if waiting := awaiting_conditions(initiative):
        raise Conflict(_("Nog niet geactiveerd: de voorwaarden van %(insurers)s wachten op uw oordeel. "
                         "Accepteer of wijs ze eerst af; er is niets gewijzigd.", insurers=", ".join(waiting)))
    errors: dict[str, list[str]] = {}
    reasons = limits.checked_text(gap_reasons, limits.TEXT, "gap_acceptance_reasons", errors, _("De redenen"))
    partially = initiative.status == InitiativeState.PARTIALLY_FUNDED
    _merge(errors, activation_problems(partially, reasons))
    if errors:
        raise Invalid(_("Niet geactiveerd. Verbeter de gemarkeerde velden; er is niets gewijzigd."), errors)
    policy = term_policy()
    term = term_at_activation(today, initiative.term_start, initiative.term_end, policy)
    # Whoever may activate is the lead, who sees every decision: this gap is the true one.
    gap = _gaps([initiative], user, today)[initiative.id] if partially else Decimal("0.00")
    return ActivationPlan(term, evaluation_calendar(term, policy), partially, gap, reasons if partially else "")


def awaiting_conditions(initiative: Initiative) -> list[str]:
    """The insurers whose conditions still wait for the lead's judgement while the funding is being
    decided: the initiative is not activated before (a condition judged after activation could
    reopen funding that is already running)."""
    if initiative.status not in conditions.JUDGED_WHILE:
        return []
    return conditions.awaiting_judgement(initiative.id)


def _check_activation_from_draft(initiative: Initiative) -> None:
    """Only a start-up innovation goes from its draft straight to active: it asks nobody to follow.
    Everything else is activated once the insurers asked have decided."""
    if not activates_without_follow_requests(initiative.kind, initiative.phase):
        raise Conflict(_("Dit concept wordt pas geactiveerd als de verzekeraars erover hebben besloten: "
                       "de leidende verzekeraar opent het eerst voor besluiten."))
    problem = cross_institution_problem(len(initiative.providers), initiative.cross_institution_justification)
    if problem:
        raise Conflict(problem)
    if initiative.annual_budget <= 0:
        raise Conflict(_("Vul eerst het jaarbudget in: ook een innovatie in de opstartfase heeft een begroting."))


def preview_activation(user: User, initiative_id: int, gap_reasons: str, today: date) -> ActivationPlan:
    """The activation checked, not done (the confirmation step): the same refusals as `activate`."""
    initiative, party = _read_for(user, initiative_id)
    return _plan_activation(user, initiative, party, gap_reasons, today)


def activate(user: User, initiative_id: int, gap_reasons: str, today: date, now: datetime) -> Initiative:
    """The lead activates a funded initiative (partially funded: accepting the gap, with reasons);
    this fixes the term and the evaluation calendar."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        plan = _plan_activation(user, initiative, party, gap_reasons, today)
        before = _term_after(initiative)
        from_draft = initiative.status == InitiativeState.CONCEPT  # a start-up innovation: never opened
        initiative.status = _step(initiative, IE.ACTIVATE, party)
        initiative.activated_at = now
        if from_draft:  # what opening would have frozen is frozen now: confirmed pledges, the savings agreement
            co_funding.freeze_at_opening(initiative, Actor(user=user), now)
            savings.freeze(initiative, Actor(user=user), now)
        initiative.term_start, initiative.start_up_end, initiative.term_end = (
            plan.term.start, plan.term.start_up_end, plan.term.end)
        initiative.gap_acceptance_reasons = plan.gap_reasons
        _calendar_rows(initiative, plan.calendar)
        db.session.flush()
        record(Actor(user=user), "initiative.activate", initiative, before=before, after={
            **_term_after(initiative), "gap": str(plan.gap), "gap_acceptance_reasons": plan.gap_reasons,
            "calendar": [f"{m.kind}:{m.due_on.isoformat()}" for m in plan.calendar]})
        if plan.partially_funded:
            _notify(initiative, Said("'%(title)s' is geactiveerd: de looptijd loopt tot %(date)s, de nulmeting is "
                                     "gepland. Het tekort van %(gap)s per jaar is geaccepteerd.",
                                     title=initiative.title, date=plan.term.end, gap=euro(plan.gap)))
        else:
            _notify(initiative, Said("'%(title)s' is geactiveerd: de looptijd loopt tot %(date)s, de nulmeting is "
                                     "gepland.", title=initiative.title, date=plan.term.end))
    return initiative


# The calendar ------------------------------------------------------------------------------------

def _term_of(initiative: Initiative) -> Term:
    start, start_up_end, end = initiative.term_start, initiative.start_up_end, initiative.term_end
    if start is None or start_up_end is None or end is None:  # activation sets all three
        raise RuntimeError(f"initiative {initiative.id} has no term")
    return Term(start, start_up_end, end)


def adjust_calendar(user: User, initiative_id: int, dates: dict[int, str], today: date) -> Initiative:
    """The lead moves planned monitoring moments (`dates`: moment id → a typed date) within the term."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        _step(initiative, IE.ADJUST_CALENDAR, party)
        pending = _pending(initiative.id)
        errors: dict[str, list[str]] = {}
        if set(dates) - {m.id for m in pending}:
            errors["moments"] = [_("Alleen geplande momenten van dit initiatief kunnen worden verplaatst.")]
        wanted: dict[int, date] = {}
        for moment in pending:
            day = limits.parse_date(dates.get(moment.id, moment.due_on))
            if day is None:
                errors[f"moment_{moment.id}"] = [limits.invalid_date(_("De datum"))]
            else:
                wanted[moment.id] = day
        if not errors:
            entries = [CalendarEntry(m.id, m.kind, wanted[m.id], wanted[m.id] != m.due_on) for m in pending]
            for key, message in calendar_problems(entries, _term_of(initiative), today).items():
                errors[f"moment_{key}"] = [translated(message)]
        moved = [m for m in pending if not errors and wanted[m.id] != m.due_on]
        if not errors and not moved:
            errors["moments"] = [_("Er is geen datum gewijzigd.")]
        if errors:
            raise Invalid(_("De kalender is niet aangepast. Verbeter de gemarkeerde data; er is niets gewijzigd."),
                          errors)
        before = {str(m.id): m.due_on.isoformat() for m in moved}
        for moment in moved:
            moment.due_on = wanted[moment.id]
        db.session.flush()
        record(Actor(user=user), "initiative.calendar", initiative, before={"moments": before},
               after={"moments": {str(m.id): m.due_on.isoformat() for m in moved}})
        _notify(initiative, Said("De evaluatiekalender van '%(title)s' is aangepast.", title=initiative.title))
    return initiative


# Evaluation --------------------------------------------------------------------------------------

@dataclass
class EvaluationInput:
    kind: str
    verdict: str
    reasoning: str
    measurement_ids: list = field(default_factory=list)
    document_ids: list = field(default_factory=list)


def _own_rows(model, ids: list, initiative_id: int, name: str, errors: dict, what: str) -> list:
    """Rows chosen by id that belong to this initiative: a forged id of another's is refused."""
    if len(ids) > limits.EVALUATION_MEASUREMENTS:
        errors[name] = [_("Kies hoogstens %(n)s %(what)s.", n=limits.EVALUATION_MEASUREMENTS, what=what)]
        return []
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= limits.ID_MAX}
    rows = list(db.session.scalars(sa.select(model).where(
        model.id.in_(wanted), model.initiative_id == initiative_id).order_by(model.id))) if wanted else []
    if len(wanted) != len(ids) or len(rows) != len(set(ids)):
        errors[name] = [_("Kies alleen %(what)s van dit initiatief.", what=what)]
    return rows


def record_evaluation(user: User, initiative_id: int, data: EvaluationInput, now: datetime) -> Evaluation:
    """The lead or a provider involved records an evaluation; a final one moves the initiative to
    'evaluated' and closes the term's calendar, a baseline or periodic one marks its moment done."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        errors: dict[str, list[str]] = {}
        kind = _enum(data.kind, MeasurementKind, "kind", errors,
                     _("Kies nulmeting, periodieke meting of eindevaluatie."))
        if kind is not None:
            event = IE.EVALUATE if kind == MeasurementKind.FINAL else IE.EVALUATE_INTERIM
            new_state = _step(initiative, event, party)
        verdict = _enum(data.verdict, Verdict, "verdict", errors, _("Kies een oordeel."))
        _merge(errors, evaluation_problems(kind, verdict))
        reasoning = limits.checked_text(data.reasoning, limits.TEXT, "reasoning", errors, _("De onderbouwing"),
                                        required=_("Onderbouw het oordeel."))
        measurements = _own_rows(Measurement, data.measurement_ids, initiative.id, "measurements", errors,
                                 _("metingen"))
        documents = _own_rows(Document, data.document_ids, initiative.id, "documents", errors, _("documenten"))
        if errors:
            raise Invalid(_("De evaluatie is niet vastgelegd. Verbeter de gemarkeerde velden; er is niets gewijzigd."),
                          errors)
        moment = _moment_evaluated(initiative.id, kind, dutch_date(now))
        evaluation = Evaluation(initiative_id=initiative.id, moment=moment, kind=kind, verdict=verdict,
                                reasoning=reasoning, recorded_by_id=user.id, organisation_id=user.organisation_id,
                                measurements=measurements, documents=documents)
        db.session.add(evaluation)
        if moment is not None:
            moment.done_at = now
        before = _term_after(initiative)
        lapsed = []
        if kind == MeasurementKind.FINAL:
            initiative.status = new_state
            db.session.flush()
            lapsed = _lapse_pending(initiative.id)
        db.session.flush()
        record(Actor(user=user), "initiative.evaluation", initiative, before=before, after={
            **_term_after(initiative), "evaluation": evaluation.id, "kind": str(kind), "verdict": str(verdict),
            "moment": moment.id if moment else None, "measurements": [m.id for m in measurements],
            "documents": [d.id for d in documents], "lapsed": lapsed})
        _notify(initiative, Said("%(organisation)s legde een evaluatie vast voor '%(title)s': %(kind)s, %(verdict)s.",
                                 organisation=user.organisation.name, title=initiative.title,
                                 kind=Said(LABELS.raw(kind), lower=True),
                                 verdict=Said(LABELS.raw(verdict), lower=True)))
    return evaluation


# Extension and ending ----------------------------------------------------------------------------

def extend(user: User, initiative_id: int, new_end: str, reasons: str) -> TermExtension:
    """The lead extends the term after a final evaluation that says the results are in sight."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        new_state = _step(initiative, IE.EXTEND, party)
        errors: dict[str, list[str]] = {}
        reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De redenen"))
        end_date = limits.parse_date(new_end)
        final = _latest_final(initiative.id)
        _merge(errors, extension_problems(final.verdict if final else None, _term_of(initiative).end, end_date,
                                          reasons, term_policy()))
        if errors or final is None or end_date is None:  # the problems name a missing evaluation or date
            raise Invalid(_("Niet verlengd. Verbeter de gemarkeerde velden; er is niets gewijzigd."), errors)
        before = _term_after(initiative)
        extension = TermExtension(initiative_id=initiative.id, evaluation_id=final.id,
                                  previous_end=initiative.term_end, new_end=end_date, reasons=reasons,
                                  decided_by_id=user.id)
        db.session.add(extension)
        planned = extension_calendar(_term_of(initiative).end, end_date)
        _calendar_rows(initiative, planned)
        initiative.term_end, initiative.status = end_date, new_state
        db.session.flush()
        record(Actor(user=user), "initiative.extend", initiative, before=before, after={
            **_term_after(initiative), "evaluation": final.id, "reasons": reasons,
            "calendar": [f"{m.kind}:{m.due_on.isoformat()}" for m in planned]})
        _notify(initiative, Said("'%(title)s' is verlengd tot %(date)s.", title=initiative.title, date=end_date))
    return extension


@dataclass
class EndPlan:
    reasons: str
    outcome: EndOutcome
    requests: list[FollowRequest]  # still being decided (or overdue): cancelled with the initiative


def _live_requests(initiative_id: int) -> list[FollowRequest]:
    """The requests still being decided (or overdue) on the initiative. A closed request stays
    closed: its decision was final, and the record keeps it."""
    return list(db.session.scalars(sa.select(FollowRequest).where(
        FollowRequest.initiative_id == initiative_id,
        FollowRequest.state.in_(LIVE_REQUEST_STATES)).order_by(FollowRequest.id)))


def _cancel_requests(actor: Actor, initiative: Initiative, requests: list[FollowRequest]) -> list[int]:
    """Cancel these requests (the initiative no longer asks anything of them), each audited; their ids."""
    for request in requests:
        request_before = {"state": str(request.state)}
        request.state = transition(request.state, FollowRequestEvent.CANCEL, Party.SYSTEM)
        db.session.flush()
        record(actor, "follow_request.cancel", request, before=request_before,
               after={"state": str(request.state), "initiative": initiative.id})
    return [r.id for r in requests]


def _plan_end(initiative: Initiative, party: Party, reasons: str, outcome: str) -> EndPlan:
    _step(initiative, IE.END, party)
    errors: dict[str, list[str]] = {}
    reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De redenen"))
    chosen = _enum(outcome, EndOutcome, "outcome", {}, "")
    _merge(errors, end_problems(reasons, chosen))
    if errors:
        raise Invalid(_("Niet beëindigd. Verbeter de gemarkeerde velden; er is niets gewijzigd."), errors)
    return EndPlan(reasons, chosen, _live_requests(initiative.id))


def preview_end(user: User, initiative_id: int, reasons: str, outcome: str) -> EndPlan:
    """Ending checked, not done (the confirmation step): the same refusals as `end`."""
    initiative, party = _read_for(user, initiative_id)
    return _plan_end(initiative, party, reasons, outcome)


def end(user: User, initiative_id: int, reasons: str, outcome: str, today: date) -> Initiative:
    """The lead ends a running initiative, saying why and what happens to the care. Requests still
    being decided (a scale-up asks while it runs) are cancelled, and the insurers asked are told."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        plan = _plan_end(initiative, party, reasons, outcome)
        actor = Actor(user=user)
        before = _term_after(initiative)
        told = funding_insurers(initiative)  # before the requests are cancelled: who funded it
        initiative.status = _step(initiative, IE.END, party)
        initiative.ended_on, initiative.end_reasons, initiative.end_outcome = today, plan.reasons, plan.outcome
        db.session.flush()
        lapsed = _lapse_pending(initiative.id)
        cancelled = _cancel_requests(actor, initiative, plan.requests)
        db.session.flush()
        record(actor, "initiative.end", initiative, before=before, after={
            **_term_after(initiative), "ended_on": today.isoformat(), "reasons": plan.reasons,
            "outcome": str(plan.outcome), "lapsed": lapsed, "cancelled_requests": cancelled})
        _notify(initiative, Said("'%(title)s' is beëindigd: %(outcome)s.", title=initiative.title,
                                 outcome=Said(LABELS.raw(plan.outcome), lower=True)),
                also=[*told, *(r.insurer_id for r in plan.requests)])
    return initiative


# Withdrawal: before it runs, the lead may still call it off ---------------------------------------

@dataclass
class WithdrawPlan:
    reasons: str
    requests: list[FollowRequest]  # still being decided (or overdue): cancelled with the initiative
    cases: int  # live mediation cases: they end with it


def _plan_withdraw(initiative: Initiative, party: Party, reasons: str) -> WithdrawPlan:
    _step(initiative, IE.WITHDRAW, party)
    errors: dict[str, list[str]] = {}
    reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De redenen"),
                                  required=_("Geef de redenen om het initiatief in te trekken."))
    if errors:
        raise Invalid(_("Niet ingetrokken. Verbeter de gemarkeerde velden; er is niets gewijzigd."), errors)
    live = _live_requests(initiative.id)
    cases = db.session.execute(sa.select(sa.func.count(MediationCase.id)).where(
        MediationCase.initiative_id == initiative.id, MediationCase.state.in_(LIVE_MEDIATION_STATES))).scalar_one()
    return WithdrawPlan(reasons, live, cases)


def preview_withdraw(user: User, initiative_id: int, reasons: str) -> WithdrawPlan:
    """Withdrawal checked, not done (the confirmation step): the same refusals as `withdraw`."""
    initiative, party = _read_for(user, initiative_id)
    return _plan_withdraw(initiative, party, reasons)


def withdraw(user: User, initiative_id: int, reasons: str, today: date, now: datetime) -> Initiative:
    """The lead withdraws an initiative that does not run yet: the requests still being decided are
    cancelled and live mediation cases end with it; everyone asked and involved is told."""
    with write_transaction():
        initiative, party = _locked_for(user, initiative_id)
        plan = _plan_withdraw(initiative, party, reasons)
        actor = Actor(user=user)
        asked = _requested_insurers(initiative.id)  # before the state changes: who was ever asked
        before = {"status": str(initiative.status)}
        # The initiative first, so the cases ending below do not move it out of mediation again.
        initiative.status = _step(initiative, IE.WITHDRAW, party)
        initiative.ended_on, initiative.end_reasons = today, plan.reasons
        cancelled = _cancel_requests(actor, initiative, plan.requests)
        ended_cases = end_with_withdrawn_initiative(initiative, actor, now)
        db.session.flush()
        record(actor, "initiative.withdraw", initiative, before=before, after={
            "status": str(initiative.status), "ended_on": today.isoformat(), "reasons": plan.reasons,
            "cancelled_requests": cancelled, "ended_cases": ended_cases})
        told = {*asked, *(p.provider_id for p in initiative.providers),
                *(mediator_organisations() if ended_cases else [])} - {initiative.lead_insurer_id}
        notify_organisations(sorted(told), "initiative.lifecycle",
                             Said("'%(title)s' is ingetrokken door de leidende verzekeraar: %(reasons)s",
                                  title=initiative.title, reasons=plan.reasons),
                             f"/initiatieven/{initiative.id}")
    return initiative


# Reading -----------------------------------------------------------------------------------------

@dataclass
class MomentView:
    moment: MonitoringMoment
    status: MomentStatus


@dataclass
class Lifecycle:
    """An initiative's life after the decision, as one viewer may see and act on it."""

    initiative: Initiative
    status: InitiativeState  # as the viewer may see it (visibility.shown_status)
    moments: list[MomentView]
    evaluations: Page | None  # one page, newest first; None where a step's form does not list them
    extensions: list[TermExtension]  # oldest first
    stop: list[StopReason]
    may: list[InitiativeEvent]  # the life-cycle steps this viewer may take now

    def can(self, event: str) -> bool:
        return IE(event) in self.may


_UNREAD = object()


def steps_for(user: User, initiative: Initiative, final: Evaluation | None | object = _UNREAD) -> list[InitiativeEvent]:
    """The life-cycle steps the table allows this user from the initiative's state, less an extension
    the latest final evaluation (`final`, read here unless the caller has it) does not carry."""
    allowed = allowed_events(initiative.status, party_of(user, initiative))
    if initiative.status == InitiativeState.CONCEPT and not activates_without_follow_requests(
            initiative.kind, initiative.phase):
        allowed = [event for event in allowed if event != IE.ACTIVATE]  # see _check_activation_from_draft
    if IE.EXTEND in allowed:
        final = _latest_final(initiative.id) if final is _UNREAD else final
        if not extends_on(final.verdict if isinstance(final, Evaluation) else None):
            allowed = [event for event in allowed if event != IE.EXTEND]
    return [event for event in LIFECYCLE_EVENTS if event in allowed]


def visible(user: User, initiative_id: int, today: date) -> tuple[Initiative, InitiativeState]:
    """The initiative and its status as the user may see it, in two queries (the life-cycle pages
    need neither its cost shares nor its decisions); NotFound when they may not see it."""
    initiative = db.session.scalars(sa.select(Initiative).where(Initiative.id == initiative_id)
                                    .options(sa.orm.joinedload(Initiative.providers))).unique().one_or_none()
    requests = list(db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative_id))
                    ) if initiative is not None else []
    if initiative is None or not visibility.sees_initiative(user, initiative, [r.insurer_id for r in requests]):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative, visibility.shown_status(user, initiative, visibility.own_follow_request(user, requests), today)


def lifecycle_of(user: User, initiative_id: int, today: date, *, listing: bool = False, page: int = 1,
                 per_page: int = PER_PAGE, cursor: Cursor | None = None,
                 seen: tuple[Initiative, InitiativeState] | None = None) -> Lifecycle:
    """The life cycle as the user may see it (NotFound otherwise). `listing`: with one page of the
    evaluations, each with what it rests on, as the life-cycle page shows them. `seen`: the
    initiative and its shown status where the caller has loaded them already (visible)."""
    initiative, status = seen or visible(user, initiative_id, today)
    moments = list(db.session.scalars(sa.select(MonitoringMoment).where(
        MonitoringMoment.initiative_id == initiative.id).order_by(MonitoringMoment.due_on, MonitoringMoment.id)))
    horizon = reminder_horizon(today)
    evaluations = None
    if listing:
        evaluations = paginate(sa.select(Evaluation).where(Evaluation.initiative_id == initiative.id)
                               .options(sa.orm.selectinload(Evaluation.measurements),
                                        sa.orm.selectinload(Evaluation.documents),
                                        sa.orm.joinedload(Evaluation.organisation)),
                               page, per_page, order=(Evaluation.id,), descending=True, cursor=cursor)
    # One per extension decided: a few over a life, never a list that grows on its own.
    extensions = list(db.session.scalars(sa.select(TermExtension).where(
        TermExtension.initiative_id == initiative.id).order_by(TermExtension.id)))
    final = _latest_final(initiative.id)
    return Lifecycle(
        initiative, status,
        [MomentView(m, moment_status(m.due_on, m.done_at is not None, today, horizon)) for m in moments],
        evaluations, extensions,
        stop_reasons(initiative.status, initiative.term_end, final.verdict if final else None, today),
        steps_for(user, initiative, final))


def evidence_choices(initiative_id: int) -> tuple[list[Measurement], list[Document]]:
    """What an evaluation may rest on: the initiative's own measurements and documents."""
    measurements = list(db.session.scalars(sa.select(Measurement).where(Measurement.initiative_id == initiative_id)
                                           .options(sa.orm.joinedload(Measurement.goal))
                                           .order_by(Measurement.measured_on.desc(), Measurement.id.desc())
                                           .limit(limits.EVALUATION_MEASUREMENTS)))
    documents = list(db.session.scalars(sa.select(Document).where(Document.initiative_id == initiative_id)
                                        .order_by(Document.id.desc()).limit(limits.EVALUATION_MEASUREMENTS)))
    return measurements, documents


# Stop criteria (002) -----------------------------------------------------------------------------

def _latest_final_verdict(initiative_id) -> sa.ScalarSelect:
    return (sa.select(Evaluation.verdict).where(Evaluation.initiative_id == initiative_id,
                                                Evaluation.kind == MeasurementKind.FINAL)
            .order_by(Evaluation.id.desc()).limit(1).scalar_subquery())


def stop_clause(today: date) -> sa.ColumnElement[bool]:
    """domain.lifecycle.stop_reasons as a WHERE clause on Initiative (not empty)."""
    return sa.or_(
        sa.and_(Initiative.status.in_(list(AWAITING_FINAL)), Initiative.term_end < today),
        sa.and_(Initiative.status == InitiativeState.EVALUATED,
                _latest_final_verdict(Initiative.id) == Verdict.NOT_ACHIEVED))


@dataclass
class Flagged:
    initiative: Initiative
    reasons: list[StopReason]


def flagged_count(user: User, today: date) -> int:
    return db.session.execute(sa.select(sa.func.count(Initiative.id)).where(
        stop_clause(today), visibility.initiative_clause(user))).scalar_one()


def flagged(user: User, page: int, today: date, per_page: int = 25) -> Page:
    """The initiatives that meet a stop criterion and that the user may see, most overdue first."""
    page = min(max(1, page), limits.PAGE_MAX)
    query = sa.select(Initiative, _latest_final_verdict(Initiative.id)).where(
        stop_clause(today), visibility.initiative_clause(user))
    rows = db.session.execute(query.options(sa.orm.joinedload(Initiative.region),
                                            sa.orm.joinedload(Initiative.lead_insurer))
                              .order_by(Initiative.term_end, Initiative.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    items = [Flagged(i, stop_reasons(i.status, i.term_end, verdict, today)) for i, verdict in rows]
    return Page(items, page, per_page, flagged_count(user, today))


# When time passes (the scheduler; jobs/lifecycle.py selects) --------------------------------------

def _moment_waiting(moment_id: int) -> MonitoringMoment | None:
    """A moment still to be evaluated of an initiative that awaits its evaluations, else None."""
    moment = db.session.scalar(sa.select(MonitoringMoment).where(MonitoringMoment.id == moment_id)
                               .with_for_update(of=MonitoringMoment))
    if moment is None or moment.done_at is not None or moment.initiative.status not in AWAITING_FINAL:
        return None
    return moment


def remind_moment(moment_id: int, today: date) -> bool:
    """Remind the lead and the providers of a monitoring moment that falls due; once per date."""
    with write_transaction():
        moment = _moment_waiting(moment_id)
        if moment is None or not today <= moment.due_on <= reminder_horizon(today):
            return False
        if not claim("evaluation_reminder", moment, moment.due_on.isoformat()):
            return False
        initiative = moment.initiative
        notify_organisations([initiative.lead_insurer_id, *(p.provider_id for p in initiative.providers)],
                             "reminder.evaluation",
                             Said("Herinnering: de %(kind)s van '%(title)s' staat gepland op %(date)s. Leg de "
                                  "evaluatie vast.", kind=Said(LABELS.raw(moment.kind), lower=True),
                                  title=initiative.title, date=moment.due_on),
                             f"/initiatieven/{initiative.id}/looptijd")
        return True


def escalate_moment(moment_id: int, today: date) -> bool:
    """A monitoring moment passed without its evaluation is never silent: the parties, the funding
    insurers and the mediator hear of it; once per date."""
    with write_transaction():
        moment = _moment_waiting(moment_id)
        if moment is None or moment.due_on >= today:
            return False
        if not claim("evaluation_overdue", moment, moment.due_on.isoformat()):
            return False
        initiative = moment.initiative
        record(SYSTEM, "initiative.evaluation_overdue", initiative,
               after={"moment": moment.id, "kind": str(moment.kind), "due_on": moment.due_on.isoformat()})
        _notify(initiative, Said("De %(kind)s van '%(title)s' had op %(date)s vastgelegd moeten zijn en ontbreekt "
                                 "nog.", kind=Said(LABELS.raw(moment.kind), lower=True), title=initiative.title,
                                 date=moment.due_on),
                "escalation.evaluation_overdue", mediator=True)
        return True


def flag_stop_criteria(initiative_id: int, today: date) -> bool:
    """Tell the lead, the funding insurers and the mediator that a stop criterion is met; once per
    criterion and term (or final evaluation)."""
    with write_transaction():
        initiative = _load_for_update(initiative_id)
        final = _latest_final(initiative.id)
        flagged_any = False
        for reason in stop_reasons(initiative.status, initiative.term_end, final.verdict if final else None, today):
            if reason == StopReason.PAST_TERM:
                due_key = f"{reason}:{iso(initiative.term_end)}"
            elif final is not None:
                due_key = f"{reason}:{final.id}"
            else:  # the other reasons come from the final evaluation's verdict
                continue
            if not claim("stop_criteria", initiative, due_key):
                continue
            record(SYSTEM, "initiative.stop_criteria", initiative, after={"reason": str(reason),
                                                                           "term_end": iso(initiative.term_end)})
            notify_organisations([*funding_insurers(initiative), *mediator_organisations()], "initiative.stop_criteria",
                                 Said("Stopcriterium voor '%(title)s': %(reason)s. Beëindig het initiatief of leg "
                                      "vast waarom het doorgaat.", title=initiative.title,
                                      reason=Said(STOP_REASON_LABELS.raw(reason), lower=True)),
                                 f"/initiatieven/{initiative.id}/looptijd")
            flagged_any = True
        return flagged_any
