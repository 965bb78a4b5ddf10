"""'What if' through the API (issue 12): the recorded declines reassessed under proposed weights or
threshold. A POST because the proposal is a body; it changes nothing."""

from __future__ import annotations

from typing import Annotated

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp
from innovatieregister.api.schema import In, Out, Text, body, operation, responses
from innovatieregister.models import RequestKind
from innovatieregister.paging import PER_PAGE
from innovatieregister.policies import allow, can_weigh_what_if
from innovatieregister.services import what_if
from innovatieregister.services.criteria import MAX_WEIGHT, THRESHOLD_RANGE


class WhatIfIn(In):
    # The service says which criterion codes exist (weight-<code>) and reads a left-out one as in force.
    weights: dict[Text(limits.CODE), Annotated[int, Field(ge=0, le=MAX_WEIGHT)]] = Field(  # type: ignore[valid-type]
        {}, max_length=100, description="proposed weight per criterion code (GET /criteria); a criterion left out "
                                        "keeps the weight in force")
    threshold: int | None = Field(None, ge=THRESHOLD_RANGE[0], le=THRESHOLD_RANGE[1],
                                  description="the proposed threshold; left out: the one in force")
    case: int | None = Field(None, ge=1, le=limits.ID_MAX,
                             description="only the declines on this mediation case's initiative (the mediator)")
    page: int = Field(1, ge=1, le=limits.PAGE_MAX)
    per_page: int = Field(PER_PAGE, ge=1, le=limits.PER_PAGE_MAX)


class Assessment(Out):
    score: int
    threshold: int
    weighty: bool


class Reassessed(Out):
    initiative: int
    insurer: str
    request_kind: RequestKind
    version: int
    recorded: Assessment
    proposed: Assessment
    changes: bool


class WhatIf(Out):
    weights: dict[str, int]
    threshold: int
    case: int | None
    declines: int = Field(ge=0, description="standing declines reassessed")
    weighty_recorded: int = Field(ge=0)
    weighty_proposed: int = Field(ge=0)
    becomes_weighty: int = Field(ge=0)
    becomes_insufficient: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    total: int = Field(ge=0)
    items: list[Reassessed]


def _assessment(a) -> dict:
    return {"score": a.score, "threshold": a.threshold, "weighty": a.weighty}


@bp.route("/criteria/what-if", methods=["POST"])
@allow(can_weigh_what_if)
@operation(json=WhatIfIn, resp=responses(WhatIf))
def criteria_what_if():
    """Wat als: de staande afwijzingen herberekend met voorgestelde gewichten of drempel
    (bemiddelaar en beheerder)

    Verandert niets: er wordt niets opgeslagen en de vastgelegde beoordeling (score, drempel, oordeel) blijft
    zoals ze is. Een POST omdat het voorstel een body is. Met `case` alleen de afwijzingen van het initiatief
    van die bemiddelingszaak. De gewijzigde oordelen eerst."""
    data: WhatIfIn = body()
    proposal = what_if.proposal_from(data.weights, data.threshold)
    today = clock.today()
    if data.case is None:
        result = what_if.reassess(current_user, proposal, today, page=data.page, per_page=data.per_page)
    else:
        result = what_if.reassess_case(current_user, data.case, proposal, today, data.page, data.per_page)
    p = result.page
    return {
        "weights": proposal.weights, "threshold": proposal.threshold, "case": data.case,
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
