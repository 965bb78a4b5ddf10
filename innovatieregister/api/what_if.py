"""'What if' through the API (issue 12): the recorded declines reassessed under proposed weights or
threshold. A POST because the proposal is a body; it changes nothing."""

from __future__ import annotations

from flask_login import current_user

from innovatieregister import clock, limits
from innovatieregister.api import _body, _field, bp
from innovatieregister.paging import PER_PAGE
from innovatieregister.policies import allow, can_weigh_what_if
from innovatieregister.services import Invalid, what_if

BODY_FIELDS = {"weights", "threshold", "case", "page", "per_page"}


def _assessment(a) -> dict:
    return {"score": a.score, "threshold": a.threshold, "weighty": a.weighty}


@bp.route("/criteria/what-if", methods=["POST"])
@allow(can_weigh_what_if)
def criteria_what_if():
    body = _body()
    errors: dict[str, list[str]] = {}
    for name in sorted(set(body) - BODY_FIELDS):
        errors[name[:limits.CODE] or "(leeg)"] = [f"Onbekend veld; kies uit {', '.join(sorted(BODY_FIELDS))}."]
    weights = _field(body, "weights", dict, errors, default={})
    threshold = _field(body, "threshold", int, errors)
    case_id = _field(body, "case", int, errors)
    page = _field(body, "page", int, errors, default=1)
    per_page = _field(body, "per_page", int, errors, default=PER_PAGE)
    if not 1 <= page <= limits.PAGE_MAX:
        errors["page"] = [f"Een pagina van 1 tot en met {limits.PAGE_MAX}."]
    if not 1 <= per_page <= limits.PER_PAGE_MAX:
        errors["per_page"] = [f"Hoogstens {limits.PER_PAGE_MAX} per pagina."]
    if case_id is not None and not 1 <= case_id <= limits.ID_MAX:
        errors["case"] = ["Onbekende zaak."]
    try:
        proposal = what_if.proposal_from(weights, threshold)
    except Invalid as invalid:
        errors.update(invalid.field_errors)
    if errors:
        raise Invalid("Niet herberekend: verbeter de gemarkeerde velden.", errors)
    today = clock.today()
    if case_id is None:
        result = what_if.reassess(current_user, proposal, today, page=page, per_page=per_page)
    else:
        result = what_if.reassess_case(current_user, case_id, proposal, today, page, per_page)
    p = result.page
    return {
        "weights": proposal.weights, "threshold": proposal.threshold, "case": case_id,
        "declines": result.declines, "weighty_recorded": result.weighty_recorded,
        "weighty_proposed": result.weighty_proposed, "becomes_weighty": result.becomes_weighty,
        "becomes_insufficient": result.becomes_insufficient,
        "page": p.page, "per_page": p.per_page, "total": p.total,
        "items": [{"initiative": r.decision.follow_request.initiative_id,
                   "insurer": r.decision.follow_request.insurer.code,
                   "request_kind": r.decision.follow_request.kind.value, "version": r.decision.version,
                   "recorded": _assessment(r.recorded), "proposed": _assessment(r.proposed),
                   "changes": r.changes} for r in p.items],
    }
