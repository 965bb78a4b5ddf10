"""Deciding on a follow request: follow (with conditions) or decline on weighed arguments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from innovatieregister import limits, policies
from innovatieregister.domain.arguments import Assessment, WeighedArgument, assess, repeated_criteria
from innovatieregister.domain.workflow import (
    LIVE_REQUEST_STATES,
    FollowRequestEvent,
    FollowRequestState,
    InitiativeEvent,
    InvalidTransition,
    Party,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.formatting import datum
from innovatieregister.models import (
    ArgumentCriterion,
    Decision,
    DecisionArgument,
    DecisionKind,
    FollowRequest,
    Initiative,
    InitiativeProvider,
    RequestKind,
    User,
)
from innovatieregister.models.base import utcnow
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.criteria import list_criteria, weighty_threshold
from innovatieregister.services.mediation import binding_finding, close_when_followed
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.standing import everyone_follows, standing_decisions

MAX_ARGUMENTS = 10


@dataclass
class ArgumentInput:
    criterion: str  # the criterion's code
    strength: int | str | None
    explanation: str
    evidence: str = ""
    # The argument's number as the user sees it (a form row); by default its place in the list.
    number: int | None = None


def _active_criteria() -> dict[str, ArgumentCriterion]:
    """The catalogue's criteria a decider may choose, by code."""
    return {c.code: c for c in list_criteria(active_only=True)}


def _repeats(arguments: list[ArgumentInput], criteria: dict[str, ArgumentCriterion]) -> dict[str, list[str]]:
    """A message at every argument that names a criterion an earlier one already named."""
    numbered = [(argument.number or i, (argument.criterion or "").strip())
                for i, argument in enumerate(arguments, start=1)]
    known = [(number, code) for number, code in numbered if code in criteria]
    errors = {}
    for repeat, first in repeated_criteria(code for _number, code in known).items():
        (number, code), (first_number, _code) = known[repeat], known[first]
        errors[f"arguments-{number}"] = [
            _("Argument %(number)s: het criterium '%(name)s' staat al bij argument %(first_number)s. "
              "Geef per criterium één argument; vul de toelichting daar aan.",
              number=number, name=criteria[code].name, first_number=first_number)]
    return errors


def repeated_arguments(arguments: list[ArgumentInput]) -> dict[str, list[str]]:
    """For the preview: the arguments that repeat a criterion (recording them is refused)."""
    return _repeats(arguments, _active_criteria())


def _check_arguments(kind: DecisionKind, arguments: list[ArgumentInput]):
    """The arguments as (criterion, strength, explanation, evidence), or Invalid."""
    errors: dict[str, list[str]] = {}
    if kind == DecisionKind.FOLLOW and arguments:
        errors["arguments"] = [_("Argumenten horen bij een afwijzing; bij volgen kunt u voorwaarden noemen.")]
    if kind == DecisionKind.DECLINE and not arguments:
        errors["arguments"] = [_("Een afwijzing vraagt minstens één argument uit de catalogus.")]
    if len(arguments) > MAX_ARGUMENTS:
        errors["arguments"] = [_("Geef hoogstens %(n)s argumenten.", n=MAX_ARGUMENTS)]
    criteria = _active_criteria()
    checked = []
    for key, messages in _repeats(arguments, criteria).items():
        errors.setdefault(key, []).extend(messages)
    for index, argument in enumerate(arguments):
        i = argument.number or index + 1
        key = f"arguments-{i}"
        criterion = criteria.get((argument.criterion or "").strip())
        if criterion is None:
            errors.setdefault(key, []).append(_("Argument %(i)s: kies een criterium uit de catalogus.", i=i))
        strength: int | None
        try:
            strength = int(argument.strength) if argument.strength is not None else None
        except (TypeError, ValueError):
            strength = None
        if strength not in (1, 2, 3) or isinstance(argument.strength, bool | float):
            errors.setdefault(key, []).append(_("Argument %(i)s: de sterkte is 1, 2 of 3.", i=i))
        explanation = limits.checked_text(argument.explanation, limits.TEXT, key, errors,
                                          _("Argument %(i)s: de toelichting", i=i),
                                          required=_("Argument %(i)s: licht het argument toe.", i=i))
        evidence = (argument.evidence or "").strip()
        if evidence and not evidence.startswith(("https://", "http://")) or len(evidence) > limits.URL:
            errors.setdefault(key, []).append(_("Argument %(i)s: de onderbouwing is een link (http(s)://…).", i=i))
        checked.append((criterion, strength, explanation, evidence))
    if errors:
        raise Invalid(_("Het besluit is niet vastgelegd. Verbeter de gemarkeerde velden."), errors)
    return checked


def follow_required(request_id: int) -> str | None:
    """Why this request may only be followed: the 'follow required' finding that binds it, by its
    date and reasoning (services.mediation.binding_finding); None when nothing binds it."""
    case = binding_finding(request_id)
    if case is None:
        return None
    reasoning = case.finding_reasoning if len(case.finding_reasoning) <= 200 else case.finding_reasoning[:199] + "…"
    return _("Uw organisatie kan alleen volgen: de bemiddelaar heeft op %(date)s de bevinding 'Volgen vereist' "
             "vastgelegd (zaak %(case)s: “%(reasoning)s”). Een afwijzing wordt niet vastgelegd.",
             date=datum(case.finding_at, time=False), case=case.id, reasoning=reasoning)


def preview(arguments: list[ArgumentInput]) -> Assessment:
    """The weighted score of arguments as they are being filled in (nothing is stored)."""
    criteria = _active_criteria()
    weighed: list[WeighedArgument] = []
    for argument in arguments:
        criterion = criteria.get((argument.criterion or "").strip())
        if argument.strength is None:
            continue
        try:
            strength = int(argument.strength)
        except (TypeError, ValueError):
            continue
        # A repeated criterion counts once here too (recording it is refused).
        if criterion is not None and strength in (1, 2, 3) and all(w.criterion != criterion.code for w in weighed):
            weighed.append(WeighedArgument(criterion.code, criterion.weight, strength))
    return assess(weighed, weighty_threshold())


def _own_follow_request(user: User, initiative_id: int) -> FollowRequest:
    """The follow request addressed to the user's own organisation, locked for the decision."""
    follow_request = db.session.scalar(
        sa.select(FollowRequest)
        .where(FollowRequest.initiative_id == initiative_id, FollowRequest.kind == RequestKind.FOLLOW,
               FollowRequest.insurer_id == user.organisation_id)
        .with_for_update(of=FollowRequest)
    )
    if follow_request is None:
        raise NotFound(_("Er ligt bij uw organisatie geen verzoek om dit initiatief te volgen."))
    return follow_request


def decide(user: User, initiative_id: int, kind: str, conditions: str,
           arguments: list[ArgumentInput], idempotency_key: str | None, today: date) -> Decision:
    """Record a new version of the user's own insurer's decision on an initiative."""
    _require_insurer_staff(user)
    with write_transaction():
        return _decide(user, _own_follow_request(user, initiative_id), kind, conditions, arguments,
                       idempotency_key)


def decide_on_request(user: User, request_id: int, kind: str, conditions: str,
                      arguments: list[ArgumentInput], idempotency_key: str | None, today: date) -> Decision:
    """Decide on one request by its id (an adoption request); only its addressee may."""
    _require_insurer_staff(user)
    with write_transaction():
        follow_request = db.session.scalar(
            sa.select(FollowRequest).where(FollowRequest.id == request_id).with_for_update(of=FollowRequest))
        if follow_request is None or not policies.can_decide(user, follow_request):
            raise NotFound(_("Dit verzoek bestaat niet."))
        return _decide(user, follow_request, kind, conditions, arguments, idempotency_key)


def _same_submission(decision: Decision, kind: DecisionKind, conditions: str,
                     arguments: list[ArgumentInput]) -> bool:
    """Whether this input is what `decision` was recorded from (compared as it was stored)."""
    def strength(value) -> int | None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    stored = [(a.criterion.code, a.strength, a.explanation, a.evidence_url) for a in decision.arguments]
    given = [((a.criterion or "").strip(), strength(a.strength), (a.explanation or "").strip(),
              (a.evidence or "").strip()) for a in arguments]
    given_conditions = (conditions or "").strip() if kind == DecisionKind.FOLLOW else ""
    return decision.kind == kind and decision.conditions == given_conditions and stored == given


def _require_insurer_staff(user: User) -> None:
    if not policies.is_insurer_staff(user):
        raise NotAllowed(_("Alleen medewerkers van een zorgverzekeraar besluiten over volgen."))


def _decide(user: User, follow_request: FollowRequest, kind: str, conditions: str,
            arguments: list[ArgumentInput], idempotency_key: str | None) -> Decision:
    """One mechanism for every request: versioned, weighed, audited, notified."""
    try:
        kind = DecisionKind(kind)
    except ValueError:
        raise Invalid(_("Het besluit is niet vastgelegd."),
                      {"decision": [_("Kies volgen (follow) of afwijzen (decline).")]}) from None
    if idempotency_key:
        earlier = db.session.scalar(sa.select(Decision).where(Decision.idempotency_key == idempotency_key))
        if earlier is not None:
            # The same submission again returns the version stored under its key, even when a
            # later version stands now; the key never stands for anything else (as Stripe does).
            if (earlier.follow_request_id != follow_request.id or earlier.decided_by_id != user.id
                    or not _same_submission(earlier, kind, conditions, arguments)):
                message = _("Onder deze sleutel (Idempotency-Key) is al een ander besluit vastgelegd; "
                            "een nieuw besluit krijgt een nieuwe sleutel.")
                raise Conflict(message, {"idempotency_key": [message]})
            return earlier
    try:
        new_state = transition(follow_request.state, FollowRequestEvent.DECIDE, Party.INSURER)
    except InvalidTransition:
        raise Conflict(_("Dit verzoek is gesloten; het besluit kan niet meer worden gewijzigd.")) from None
    if kind == DecisionKind.DECLINE and (message := follow_required(follow_request.id)) is not None:
        raise Conflict(message, {"decision": [message]})
    checked = _check_arguments(kind, arguments)
    condition_errors: dict[str, list[str]] = {}
    conditions = limits.checked_text(conditions, limits.TEXT, "conditions", condition_errors, _("De voorwaarden"))
    if condition_errors:
        raise Invalid(_("Het besluit is niet vastgelegd. Verbeter de gemarkeerde velden."), condition_errors)
    threshold = weighty_threshold()
    assessment = assess([WeighedArgument(c.code, c.weight, s) for c, s, _text, _url in checked], threshold) \
        if kind == DecisionKind.DECLINE else None

    previous = db.session.scalar(sa.select(Decision).where(
        Decision.follow_request_id == follow_request.id, Decision.standing.is_(True)))
    version = 1 + (db.session.scalar(sa.select(sa.func.max(Decision.version)).where(
        Decision.follow_request_id == follow_request.id)) or 0)
    if previous is not None:
        previous.standing = False
        db.session.flush()  # the partial unique index allows one standing version at a time
    decision = Decision(
        follow_request_id=follow_request.id, version=version, kind=kind,
        conditions=conditions if kind == DecisionKind.FOLLOW else "",
        standing=True, decided_by_id=user.id, idempotency_key=idempotency_key or None,
        score=assessment.score if assessment else None,
        threshold=assessment.threshold if assessment else None,
        weighty=assessment.weighty if assessment else None,
    )
    decision.arguments = [
        DecisionArgument(criterion_id=c.id, criterion_name=c.name, weight=c.weight, strength=s,
                         explanation=e, evidence_url=ev)
        for c, s, e, ev in checked
    ]
    before_state = follow_request.state
    follow_request.state = new_state
    db.session.add(decision)
    db.session.flush()
    record(Actor(user=user), "decision.record", follow_request,
           before={"state": str(before_state),
                   "decision": str(previous.kind) if previous else None,
                   "version": previous.version if previous else None},
           after={"state": str(new_state), "kind": str(follow_request.kind), "decision": str(kind),
                  "version": version, "conditions": decision.conditions, "score": decision.score,
                  "threshold": decision.threshold, "weighty": decision.weighty,
                  "arguments": [[c.code, c.weight, s] for c, s, _text, _url in checked]})
    initiative = db.session.get_one(Initiative, follow_request.initiative_id)
    _notify_decision(initiative, follow_request, decision, user)
    close_when_followed(follow_request, decision, utcnow())
    _settle_if_all_follow(initiative, user)
    return decision


def _notify_decision(initiative: Initiative, follow_request: FollowRequest, decision: Decision,
                     user: User) -> None:
    if decision.kind == DecisionKind.FOLLOW:
        said = Said("%(organisation)s volgt: '%(title)s'.", organisation=user.organisation.name, title=initiative.title)
    elif decision.weighty:
        said = Said("%(organisation)s wijst af (zwaarwegend onderbouwd): '%(title)s'.",
                    organisation=user.organisation.name, title=initiative.title)
    else:
        said = Said("%(organisation)s wijst af — onvoldoende onderbouwd: '%(title)s'.",
                    organisation=user.organisation.name, title=initiative.title)
    providers = db.session.scalars(sa.select(InitiativeProvider.provider_id).where(
        InitiativeProvider.initiative_id == initiative.id)).all()
    # On an adoption request the addressee is a party to the outcome too (A, B and the provider).
    addressee = [follow_request.insurer_id] if follow_request.kind == RequestKind.ADOPTION else []
    notify_organisations(
        [initiative.lead_insurer_id, *providers, *addressee], "decision.recorded",
        said, f"/initiatieven/{initiative.id}",
    )


def _settle_if_all_follow(initiative: Initiative, user: User) -> None:
    """When every insurer asked follows, the initiative is fully funded and decisions are final."""
    if not everyone_follows(initiative):
        return
    try:
        new_state = transition(initiative.status, InitiativeEvent.ALL_FOLLOWED, Party.SYSTEM)
    except InvalidTransition:
        return  # e.g. already in mediation: the mediation closes it
    before = initiative.status
    initiative.status = new_state
    requests = db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative.id)).all()
    for follow_request in requests:
        if follow_request.state == FollowRequestState.DECIDED:
            follow_request.state = transition(follow_request.state, FollowRequestEvent.CLOSE, Party.SYSTEM)
    db.session.flush()
    record(Actor(label="register: alle verzekeraars volgen"), "initiative.fully_funded", initiative,
           before={"status": str(before)}, after={"status": str(new_state)})
    notify_organisations([initiative.lead_insurer_id, *(r.insurer_id for r in requests)],
                         "initiative.fully_funded",
                         Said("Alle verzekeraars volgen '%(title)s': volledig gefinancierd.", title=initiative.title),
                         f"/initiatieven/{initiative.id}")


@dataclass
class QueueItem:
    request: FollowRequest
    standing: Decision | None


QUEUE_ORDER = (FollowRequest.deadline, FollowRequest.id)  # the nearest deadline first


def queue_query(user: User) -> sa.Select:
    """The requests still open that wait for the insurer's decision (the queue and the dashboard)."""
    return (sa.select(FollowRequest)
            .where(FollowRequest.insurer_id == user.organisation_id, FollowRequest.state.in_(LIVE_REQUEST_STATES))
            .options(joinedload(FollowRequest.initiative).joinedload(Initiative.region),
                     joinedload(FollowRequest.initiative).joinedload(Initiative.lead_insurer)))


def queue(user: User, page: int = 1, per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """'Wacht op ons besluit': my organisation's requests still open, nearest deadline first,
    one page of QueueItem (ix_follow_requests_insurer_state serves the filter; the three states
    merged by deadline are sorted, on the keys alone: paginate narrow)."""
    if not policies.is_insurer_staff(user):
        return Page([], 1, per_page, 0)
    result = paginate(queue_query(user), page, per_page, order=QUEUE_ORDER, cursor=cursor, narrow=True)
    standing = standing_decisions([r.id for r in result.items])
    result.items = [QueueItem(r, standing.get(r.id)) for r in result.items]
    return result
