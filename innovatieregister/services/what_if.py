"""'What if' (issue 12): the recorded declines reassessed under proposed weights or a proposed
threshold, side by side with how they were assessed, so that a weight change's consequences are
seen before it is made. Nothing is stored: the recorded assessment (the decision's score,
threshold and verdict, and each argument's weight) never changes.

The score is domain/arguments.py's `assess`, the one that weighed the declines when they were
recorded; only the weights and the threshold it is given differ. The mediator asks it on a case
(the declines on the case's initiative), the admin for every standing decline. Either sees only
the decisions the visibility rule shows them (both see every decision today).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from innovatieregister import limits, visibility
from innovatieregister.domain.arguments import Assessment, WeighedArgument, assess
from innovatieregister.extensions import db
from innovatieregister.models import (
    ArgumentCriterion,
    Decision,
    DecisionArgument,
    DecisionKind,
    FollowRequest,
    MediationCase,
    User,
)
from innovatieregister.paging import PER_PAGE, Page, clamp
from innovatieregister.services import Invalid, NotFound
from innovatieregister.services.criteria import MAX_WEIGHT, THRESHOLD_RANGE, list_criteria, weighty_threshold


@dataclass(frozen=True)
class Proposal:
    weights: dict[str, int]  # criterion code → proposed weight
    threshold: int


@dataclass(frozen=True)
class Reassessed:
    decision: Decision  # with its request, the request's insurer and initiative
    recorded: Assessment  # as the decline was assessed when it was recorded
    proposed: Assessment

    @property
    def changes(self) -> bool:
        return self.recorded.weighty != self.proposed.weighty


@dataclass
class WhatIf:
    proposal: Proposal
    page: Page  # items: Reassessed, the declines whose verdict would change first
    declines: int = 0
    weighty_recorded: int = 0
    weighty_proposed: int = 0
    becomes_weighty: int = 0
    becomes_insufficient: int = 0


def current_proposal(criteria: list[ArgumentCriterion] | None = None) -> Proposal:
    """The weights and threshold in force (of `criteria`, the catalogue when not given): the form's
    starting point."""
    return Proposal({c.code: c.weight for c in (list_criteria() if criteria is None else criteria)},
                    weighty_threshold())


def proposal_from(weights: Mapping[str, object], threshold: object, current: Proposal | None = None) -> Proposal:
    """A proposal from input (text from a form, numbers from JSON); what is left out stays as in
    force (`current`, read when not given). Invalid, per field (`weight-<code>`, `threshold`), for
    what is out of range or unknown."""
    current = current or current_proposal()
    errors: dict[str, list[str]] = {}
    proposed = dict(current.weights)
    for code, value in weights.items():
        if code not in proposed:
            errors[f"weight-{str(code)[:limits.CODE]}"] = [_("Onbekend criterium.")]
            continue
        number = _whole(value, 0, MAX_WEIGHT)
        if number is None:
            errors[f"weight-{code}"] = [_("Het gewicht is een geheel getal van 0 tot en met %(max)s.",
                                           max=MAX_WEIGHT)]
        else:
            proposed[code] = number
    bar = current.threshold if threshold is None or threshold == "" else _whole(threshold, *THRESHOLD_RANGE)
    if bar is None:
        low, high = THRESHOLD_RANGE
        errors["threshold"] = [_("De drempel is een geheel getal van %(low)s tot en met %(high)s.", low=low, high=high)]
    if errors or bar is None:  # the errors name a bad threshold
        raise Invalid(_("Niet herberekend: verbeter de gemarkeerde velden."), errors)
    return Proposal(proposed, bar)


def _whole(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > limits.CODE or not text.lstrip("-").isdigit():
            return None
        value = int(text)
    return value if isinstance(value, int) and low <= value <= high else None


def reassess(user: User, proposal: Proposal, today: date, initiative_id: int | None = None,
             page: int = 1, per_page: int = PER_PAGE) -> WhatIf:
    """The standing declines (on one initiative, or all) the user may see, each assessed as recorded
    and under the proposal; the totals over all of them and one page, the changed verdicts first.
    Reads only."""
    declines = (sa.select(Decision.id).join(FollowRequest, FollowRequest.id == Decision.follow_request_id)
                .where(Decision.standing.is_(True), Decision.kind == DecisionKind.DECLINE,
                       visibility.decisions_clause(user, today)))
    if initiative_id is not None:
        declines = declines.where(FollowRequest.initiative_id == initiative_id)
    arguments: dict[int, list[WeighedArgument]] = {}
    recorded: dict[int, Assessment] = {}
    # One pass over the arguments and one over the decisions: the count of queries stays the same
    # however many declines there are.
    for decision_id, code, strength in db.session.execute(
            sa.select(DecisionArgument.decision_id, ArgumentCriterion.code, DecisionArgument.strength)
            .join(ArgumentCriterion, ArgumentCriterion.id == DecisionArgument.criterion_id)
            .where(DecisionArgument.decision_id.in_(declines))):
        arguments.setdefault(decision_id, []).append(WeighedArgument(code, proposal.weights[code], strength))
    for decision_id, score, threshold, weighty in db.session.execute(
            sa.select(Decision.id, Decision.score, Decision.threshold, Decision.weighty)
            .where(Decision.id.in_(declines))):
        recorded[decision_id] = Assessment(score or 0, threshold or proposal.threshold, bool(weighty))
    proposed = {d: assess(arguments.get(d, []), proposal.threshold) for d in recorded}
    changed = {d for d in recorded if recorded[d].weighty != proposed[d].weighty}
    order = sorted(recorded, key=lambda d: (d not in changed, -d))
    number, size = clamp(page, per_page)
    result = Page([], number, size, len(order))
    shown = order[result.offset:result.offset + size]
    rows = {d.id: d for d in db.session.scalars(
        sa.select(Decision).where(Decision.id.in_(shown))
        .options(joinedload(Decision.follow_request).joinedload(FollowRequest.insurer),
                 joinedload(Decision.follow_request).joinedload(FollowRequest.initiative)))}
    result.items = [Reassessed(rows[d], recorded[d], proposed[d]) for d in shown]
    return WhatIf(proposal, result, declines=len(recorded),
                  weighty_recorded=sum(a.weighty for a in recorded.values()),
                  weighty_proposed=sum(a.weighty for a in proposed.values()),
                  becomes_weighty=sum(1 for d in changed if proposed[d].weighty),
                  becomes_insufficient=sum(1 for d in changed if not proposed[d].weighty))


def reassess_case(user: User, case_id: int, proposal: Proposal, today: date, page: int = 1,
                  per_page: int = PER_PAGE) -> WhatIf:
    """The same on a mediation case: the declines on its initiative. Only for whoever sees the case."""
    case = db.session.get(MediationCase, case_id)
    if case is None or not visibility.sees_case(user, case):
        raise NotFound(_("Deze zaak bestaat niet."))
    return reassess(user, proposal, today, case.initiative_id, page, per_page)
