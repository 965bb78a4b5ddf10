"""The life cycle through the API (issue 10): activate, the calendar, evaluations, extend, end.
The same services and rules as the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from datetime import date, datetime

from flask.views import MethodView
from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import InitiativeStatusName, bp
from innovatieregister.api.schema import (
    Choice,
    DateIn,
    IdIn,
    In,
    Out,
    PageQuery,
    Text,
    body,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.lifecycle import MomentStatus, StopReason
from innovatieregister.domain.monitoring import EndOutcome, MeasurementKind, Verdict
from innovatieregister.policies import allow, any_user
from innovatieregister.services import lifecycle


class Moment(Out):
    id: int
    kind: MeasurementKind
    due_on: date
    status: MomentStatus = Field(description="due: within the reminder window")


class Extension(Out):
    previous_end: date
    new_end: date
    reasons: str
    evaluation: int


class Lifecycle(Out):
    id: int
    status: InitiativeStatusName
    activated_at: datetime | None
    term_start: date | None
    start_up_end: date | None
    term_end: date | None
    gap_acceptance_reasons: str
    ended_on: date | None
    end_reasons: str
    end_outcome: EndOutcome | None
    calendar: list[Moment]
    extensions: list[Extension]
    stop_criteria: list[StopReason]
    may: list[str] = Field(description="the life-cycle steps the caller may take now")


class Evaluation(Out):
    id: int
    kind: MeasurementKind
    verdict: Verdict
    reasoning: str
    organisation: str
    recorded_at: datetime
    moment: int | None
    measurements: list[int]
    documents: list[int]


class ActivateIn(In):
    gap_acceptance_reasons: Text(limits.TEXT) = ""


class MomentIn(In):
    id: IdIn
    due_on: DateIn


class CalendarIn(In):
    moments: list[MomentIn] = Field(max_length=limits.CALENDAR_MOMENTS)


class EvaluationIn(In):
    kind: Choice(MeasurementKind)
    verdict: Choice(Verdict)
    reasoning: Text(limits.TEXT, min_length=1)
    measurements: list[IdIn] = Field([], max_length=limits.EVALUATION_MEASUREMENTS,
                                    description="ids of this initiative's measurements")
    documents: list[IdIn] = Field([], max_length=limits.EVALUATION_MEASUREMENTS,
                                 description="ids of this initiative's documents")


class ExtendIn(In):
    new_end: DateIn
    reasons: Text(limits.TEXT, min_length=1)


class EndIn(In):
    reasons: Text(limits.TEXT, min_length=1)
    outcome: Choice(EndOutcome)


class WithdrawIn(In):
    reasons: Text(limits.TEXT, min_length=1)


def _lifecycle(initiative_id: int, **evaluations) -> lifecycle.Lifecycle:
    """`evaluations`: the page of them to read (the evaluations list); none otherwise."""
    return lifecycle.lifecycle_of(current_user, initiative_id, clock.today(), listing=bool(evaluations),
                                  **evaluations)


def evaluation_json(e) -> Evaluation:
    return Evaluation(id=e.id, kind=e.kind, verdict=e.verdict, reasoning=e.reasoning,
                      organisation=e.organisation.code, recorded_at=e.created_at, moment=e.moment_id,
                      measurements=[m.id for m in e.measurements], documents=[d.id for d in e.documents])


def lifecycle_json(life: lifecycle.Lifecycle) -> Lifecycle:
    i = life.initiative
    return Lifecycle(
        id=i.id, status=life.status.value, activated_at=i.activated_at,
        term_start=i.term_start, start_up_end=i.start_up_end, term_end=i.term_end,
        gap_acceptance_reasons=i.gap_acceptance_reasons,
        ended_on=i.ended_on, end_reasons=i.end_reasons, end_outcome=i.end_outcome,
        calendar=[Moment(id=m.moment.id, kind=m.moment.kind, due_on=m.moment.due_on, status=m.status)
                  for m in life.moments],
        extensions=[Extension(previous_end=x.previous_end, new_end=x.new_end, reasons=x.reasons,
                              evaluation=x.evaluation_id) for x in life.extensions],
        stop_criteria=list(life.stop),
        may=[event.value for event in life.may],
    )


@bp.route("/initiatives/<int:initiative_id>/activate", methods=["POST"])
@allow(any_user)
@operation(json=ActivateIn, resp=responses(Lifecycle))
def activate(initiative_id: int):
    """Activeer (leidende verzekeraar): legt looptijd en evaluatiekalender vast; bij deels gefinancierd met redenen
    om het tekort te accepteren"""
    data: ActivateIn = body()
    lifecycle.activate(current_user, initiative_id, data.gap_acceptance_reasons, clock.today(), clock.now())
    return lifecycle_json(_lifecycle(initiative_id))


# GET and POST on one rule (a MethodView): two rules on one path answer an id out of range with a 405, not a 404.
class Calendar(MethodView):
    @operation(resp=responses(Lifecycle))
    def get(self, initiative_id: int):
        """Looptijd, evaluatiekalender, verlengingen en stopcriteria"""
        return lifecycle_json(_lifecycle(initiative_id))

    @operation(json=CalendarIn, resp=responses(Lifecycle))
    def post(self, initiative_id: int):
        """Verplaats geplande evaluatiemomenten binnen de looptijd (leidende verzekeraar)"""
        data: CalendarIn = body()
        lifecycle.adjust_calendar(current_user, initiative_id, {m.id: m.due_on for m in data.moments},
                                  clock.today())
        return lifecycle_json(_lifecycle(initiative_id))


class Evaluations(MethodView):
    @operation(query=PageQuery, resp=responses(page_of(Evaluation)))
    def get(self, initiative_id: int):
        """De evaluaties, nieuwste eerst"""
        args: PageQuery = query()
        page = _lifecycle(initiative_id, **args.paging()).evaluations
        assert page is not None  # read when a page is asked for
        return listing(page, [evaluation_json(e) for e in page.items])

    @operation(json=EvaluationIn, resp=responses(Evaluation, 201))
    def post(self, initiative_id: int):
        """Leg een evaluatie vast (leidende verzekeraar of betrokken zorgaanbieder); een eindevaluatie maakt het
        initiatief 'evaluated'"""
        data: EvaluationIn = body()
        evaluation = lifecycle.record_evaluation(current_user, initiative_id, lifecycle.EvaluationInput(
            kind=data.kind, verdict=data.verdict, reasoning=data.reasoning,
            measurement_ids=data.measurements, document_ids=data.documents), clock.now())
        return evaluation_json(evaluation), 201


bp.add_url_rule("/initiatives/<int:initiative_id>/calendar",
                view_func=allow(any_user)(Calendar.as_view("calendar")))
bp.add_url_rule("/initiatives/<int:initiative_id>/evaluations",
                view_func=allow(any_user)(Evaluations.as_view("evaluations")))


@bp.route("/initiatives/<int:initiative_id>/extend", methods=["POST"])
@allow(any_user)
@operation(json=ExtendIn, resp=responses(Lifecycle))
def extend(initiative_id: int):
    """Verleng na een eindevaluatie met resultaten in zicht (leidende verzekeraar)"""
    data: ExtendIn = body()
    lifecycle.extend(current_user, initiative_id, data.new_end, data.reasons)
    return lifecycle_json(_lifecycle(initiative_id))


@bp.route("/initiatives/<int:initiative_id>/end", methods=["POST"])
@allow(any_user)
@operation(json=EndIn, resp=responses(Lifecycle))
def end(initiative_id: int):
    """Beëindig (leidende verzekeraar): redenen en wat er met de zorg gebeurt"""
    data: EndIn = body()
    lifecycle.end(current_user, initiative_id, data.reasons, data.outcome, clock.today())
    return lifecycle_json(_lifecycle(initiative_id))


@bp.route("/initiatives/<int:initiative_id>/withdraw", methods=["POST"])
@allow(any_user)
@operation(json=WithdrawIn, resp=responses(Lifecycle))
def withdraw(initiative_id: int):
    """Trek in (leidende verzekeraar), zolang het initiatief nog niet loopt: verzoeken waarover nog besloten wordt
    vervallen en lopende bemiddeling eindigt"""
    data: WithdrawIn = body()
    lifecycle.withdraw(current_user, initiative_id, data.reasons, clock.today(), clock.now())
    return lifecycle_json(_lifecycle(initiative_id))
