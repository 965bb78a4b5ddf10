"""The lead's verdict on the conditions of a follow (issue 13; README "Conditions": a follow may
carry conditions).

Accepted, the follow stands as it is and shows its conditions as accepted. Rejected (with reasons),
the follow no longer stands: the insurer's request is open again with a new deadline of
DECISION_DEADLINE_WORKING_DAYS working days, and a funded initiative is open for decisions again.
Both are transitions of the follow request's table (domain/workflow.py), audited in the same
transaction and told to the insurer. Who sees the verdict: whoever sees the decision
(visibility.sees_decisions); it is part of it.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.workflow import (
    FollowRequestEvent,
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    Party,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.models import ConditionsVerdict, Decision, FollowRequest, Initiative, User
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.notifications import Said, notify_organisations

# While the decisions are being taken: once the initiative runs, its funding is settled.
JUDGED_WHILE = (InitiativeState.OPEN, InitiativeState.FULLY_FUNDED, InitiativeState.PARTIALLY_FUNDED,
                InitiativeState.IN_MEDIATION)
EVENTS = {ConditionsVerdict.ACCEPTED: FollowRequestEvent.ACCEPT_CONDITIONS,
          ConditionsVerdict.REJECTED: FollowRequestEvent.REJECT_CONDITIONS}


def lead_request(user: User, request_id: int, lock: bool = False) -> FollowRequest:
    """A request on an initiative the user's insurer leads. NotFound when the user may not see
    the initiative; NotAllowed for anyone but the lead's staff."""
    query = sa.select(FollowRequest).where(FollowRequest.id == request_id)
    follow_request = db.session.scalar(query.with_for_update(of=FollowRequest) if lock else query)
    asked = db.session.scalars(sa.select(FollowRequest.insurer_id).where(
        FollowRequest.initiative_id == (follow_request.initiative_id if follow_request else None)))
    if follow_request is None or not visibility.sees_initiative(user, follow_request.initiative, asked):
        raise NotFound(_("Dit verzoek bestaat niet."))
    if not policies.can_judge_conditions(user, follow_request.initiative):
        raise NotAllowed(_("Alleen de leidende verzekeraar beoordeelt de voorwaarden van een volgbesluit."))
    return follow_request


def to_judge(follow_request: FollowRequest) -> Decision:
    """The standing follow whose conditions are still to be judged; Conflict when there is none."""
    standing = db.session.scalar(sa.select(Decision).where(
        Decision.follow_request_id == follow_request.id, Decision.standing.is_(True)))
    if standing is None or not standing.conditions_to_judge:
        raise Conflict(_("Er liggen geen voorwaarden van %(insurer)s om te beoordelen.",
                         insurer=follow_request.insurer.name))
    if follow_request.initiative.status not in JUDGED_WHILE:
        raise Conflict(_("De voorwaarden worden beoordeeld zolang over de financiering wordt besloten; dit "
                         "initiatief is daar voorbij."))
    return standing


def awaiting_judgement(initiative_id: int) -> list[str]:
    """The insurers whose follow with conditions still waits for the lead's judgement
    (Decision.conditions_to_judge), by name: the initiative is not activated before they are judged."""
    standing = db.session.scalars(
        sa.select(Decision).join(FollowRequest, FollowRequest.id == Decision.follow_request_id)
        .where(FollowRequest.initiative_id == initiative_id, Decision.standing.is_(True))
        .order_by(FollowRequest.id))
    return [d.follow_request.insurer.name for d in standing if d.conditions_to_judge]


def new_deadline(today: date) -> date:
    """The deadline a request gets when its conditions are rejected."""
    return add_working_days(today, current_app.config["DECISION_DEADLINE_WORKING_DAYS"])


def judge(user: User, request_id: int, verdict: str, reasons: str, today: date, now: datetime) -> Decision:
    """Record the lead's verdict on the conditions of the standing follow on a request."""
    with write_transaction():
        follow_request = lead_request(user, request_id, lock=True)
        decision = to_judge(follow_request)
        errors: dict[str, list[str]] = {}
        chosen: ConditionsVerdict | None = None
        try:
            chosen = ConditionsVerdict(verdict)
        except ValueError:
            errors["verdict"] = [_("Kies: de voorwaarden aanvaarden of afwijzen.")]
        reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De redenen"),
                                      required=_("Geef de redenen van uw oordeel over de voorwaarden."))
        if errors or chosen is None:  # the errors say so
            raise Invalid(_("De voorwaarden zijn niet beoordeeld. Verbeter de gemarkeerde velden."), errors)
        before = {"state": str(follow_request.state), "deadline": follow_request.deadline.isoformat()}
        try:
            follow_request.state = transition(follow_request.state, EVENTS[chosen], Party.LEAD_INSURER)
        except InvalidTransition as refused:
            raise Conflict(str(refused)) from None
        decision.conditions_verdict, decision.conditions_reasons = chosen, reasons
        decision.conditions_judged_by_id, decision.conditions_judged_at = user.id, now
        initiative = follow_request.initiative
        if chosen == ConditionsVerdict.REJECTED:
            # The follow was given on these conditions: without them it no longer stands, and the
            # insurer decides again (follow without them, or decline) within a new deadline.
            decision.standing = False
            follow_request.deadline = new_deadline(today)
            follow_request.closed_at = None
        db.session.flush()
        record(Actor(user=user), "decision.conditions", follow_request, before=before,
               after={"state": str(follow_request.state), "deadline": follow_request.deadline.isoformat(),
                      "version": decision.version, "conditions_verdict": str(chosen), "reasons": reasons})
        if chosen == ConditionsVerdict.REJECTED:
            _reopen_initiative(initiative, user)
            message = Said("%(organisation)s wijst de voorwaarden bij uw volgbesluit over '%(title)s' af: "
                           "%(reasons)s Uw verzoek staat weer open; besluit uiterlijk %(date)s.",
                           organisation=user.organisation.name, title=initiative.title, reasons=reasons,
                           date=follow_request.deadline)
        else:
            message = Said("%(organisation)s aanvaardt de voorwaarden bij uw volgbesluit over '%(title)s': "
                           "%(reasons)s", organisation=user.organisation.name, title=initiative.title,
                           reasons=reasons)
        notify_organisations([follow_request.insurer_id], "decision.conditions", message,
                             f"/initiatieven/{initiative.id}")
        return decision


def _reopen_initiative(initiative: Initiative, user: User) -> None:
    """A funded initiative waits for a decision again; open (or in mediation) it stays as it is."""
    try:
        new_state = transition(initiative.status, InitiativeEvent.CONDITIONS_REJECTED, Party.SYSTEM)
    except InvalidTransition:
        return
    before, initiative.status = initiative.status, new_state
    db.session.flush()
    record(Actor(user=user), "initiative.status", initiative, before={"status": str(before)},
           after={"status": str(new_state)})
