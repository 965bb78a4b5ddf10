"""The life cycle through the API (issue 10): activate, the calendar, evaluations, extend, end.
The same services and rules as the web; refusals are problem+json (403/404/409, 422 per field)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import _body, _field, _page_args, bp, listing
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, lifecycle


def _lifecycle(initiative_id: int, **evaluations) -> lifecycle.Lifecycle:
    """`evaluations`: the page of them to read (the evaluations list); none otherwise."""
    return lifecycle.lifecycle_of(current_user, initiative_id, clock.today(), listing=bool(evaluations),
                                  **evaluations)


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def evaluation_json(e) -> dict:
    return {"id": e.id, "kind": e.kind.value, "verdict": e.verdict.value, "reasoning": e.reasoning,
            "organisation": e.organisation.code, "recorded_at": e.created_at.isoformat(),
            "moment": e.moment_id, "measurements": [m.id for m in e.measurements],
            "documents": [d.id for d in e.documents]}


def lifecycle_json(life: lifecycle.Lifecycle) -> dict:
    i = life.initiative
    return {
        "id": i.id, "status": life.status.value,
        "activated_at": i.activated_at.isoformat() if i.activated_at else None,
        "term_start": _iso(i.term_start), "start_up_end": _iso(i.start_up_end), "term_end": _iso(i.term_end),
        "gap_acceptance_reasons": i.gap_acceptance_reasons,
        "ended_on": _iso(i.ended_on), "end_reasons": i.end_reasons,
        "end_outcome": i.end_outcome.value if i.end_outcome else None,
        "calendar": [{"id": m.moment.id, "kind": m.moment.kind.value, "due_on": m.moment.due_on.isoformat(),
                      "status": m.status.value} for m in life.moments],
        "extensions": [{"previous_end": x.previous_end.isoformat(), "new_end": x.new_end.isoformat(),
                        "reasons": x.reasons, "evaluation": x.evaluation_id} for x in life.extensions],
        "stop_criteria": [reason.value for reason in life.stop],
        "may": [event.value for event in life.may],
    }


def _texts(*names: str, required: tuple[str, ...] = ()) -> dict:
    errors: dict[str, list[str]] = {}
    body = _body()
    values = {name: _field(body, name, str, errors, default="", required=name in required) or "" for name in names}
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return values


@bp.route("/initiatives/<int:initiative_id>/activate", methods=["POST"])
@allow(any_user)
def activate(initiative_id: int):
    values = _texts("gap_acceptance_reasons")
    lifecycle.activate(current_user, initiative_id, values["gap_acceptance_reasons"], clock.today(), clock.now())
    return lifecycle_json(_lifecycle(initiative_id))


# GET and POST share one rule: two rules on one path answer an id out of range with a 405, not a 404.
@bp.route("/initiatives/<int:initiative_id>/calendar", methods=["GET", "POST"])
@allow(any_user)
def calendar(initiative_id: int):
    if request.method == "GET":
        return lifecycle_json(_lifecycle(initiative_id))
    return _adjust_calendar(initiative_id)


def _adjust_calendar(initiative_id: int):
    errors: dict[str, list[str]] = {}
    moments = _field(_body(), "moments", list, errors, required=True) or []
    dates: dict[int, str] = {}
    for n, item in enumerate(moments, start=1):
        moment_id = item.get("id") if isinstance(item, dict) else None
        due_on = item.get("due_on") if isinstance(item, dict) else None
        if not isinstance(moment_id, int) or isinstance(moment_id, bool) or not isinstance(due_on, str):
            errors.setdefault(f"moments-{n}", []).append(
                f"Moment {n}: een object met id en due_on (jjjj-mm-dd of dd-mm-jjjj).")
        else:
            dates[moment_id] = due_on
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    lifecycle.adjust_calendar(current_user, initiative_id, dates, clock.today())
    return lifecycle_json(_lifecycle(initiative_id))


@bp.route("/initiatives/<int:initiative_id>/evaluations", methods=["GET", "POST"])
@allow(any_user)
def evaluations(initiative_id: int):
    if request.method == "GET":
        page = _lifecycle(initiative_id, **_page_args()).evaluations
        return listing(page, [evaluation_json(e) for e in page.items])
    return _record_evaluation(initiative_id)


def _record_evaluation(initiative_id: int):
    errors: dict[str, list[str]] = {}
    body = _body()
    data = lifecycle.EvaluationInput(
        kind=_field(body, "kind", str, errors, required=True) or "",
        verdict=_field(body, "verdict", str, errors, required=True) or "",
        reasoning=_field(body, "reasoning", str, errors, required=True) or "",
        measurement_ids=_field(body, "measurements", list, errors, default=[]),
        document_ids=_field(body, "documents", list, errors, default=[]))
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    evaluation = lifecycle.record_evaluation(current_user, initiative_id, data, clock.now())
    return evaluation_json(evaluation), 201


@bp.route("/initiatives/<int:initiative_id>/extend", methods=["POST"])
@allow(any_user)
def extend(initiative_id: int):
    values = _texts("new_end", "reasons", required=("new_end", "reasons"))
    lifecycle.extend(current_user, initiative_id, values["new_end"], values["reasons"])
    return lifecycle_json(_lifecycle(initiative_id))


@bp.route("/initiatives/<int:initiative_id>/end", methods=["POST"])
@allow(any_user)
def end(initiative_id: int):
    values = _texts("reasons", "outcome", required=("reasons", "outcome"))
    lifecycle.end(current_user, initiative_id, values["reasons"], values["outcome"], clock.today())
    return lifecycle_json(_lifecycle(initiative_id))


@bp.route("/initiatives/<int:initiative_id>/withdraw", methods=["POST"])
@allow(any_user)
def withdraw(initiative_id: int):
    values = _texts("reasons", required=("reasons",))
    lifecycle.withdraw(current_user, initiative_id, values["reasons"], clock.today(), clock.now())
    return lifecycle_json(_lifecycle(initiative_id))
