"""The allowed transitions of an initiative, a follow request and a mediation case.

Each machine is one explicit table: (state, event) → (parties, new state). `transition` is
the only way a state changes; anything not in a table is refused with a message that says who
may do what from the current state.

A Party is the part someone plays towards one object (the lead insurer of this initiative,
the insurer a request is addressed to, ...), not an account role (models.organisation.Role).
SYSTEM is the registry itself: the scheduler and consequences of other transitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar, cast

from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_, say


class Party(StrEnum):
    LEAD_INSURER = "lead_insurer"
    INSURER = "insurer"  # the insurer a follow request or adoption request is addressed to
    PROVIDER = "provider"  # a provider involved in the initiative
    MEDIATOR = "mediator"
    ADMIN = "admin"
    SYSTEM = "system"


PARTY_LABELS = Labels({
    Party.LEAD_INSURER: N_("de leidende verzekeraar"),
    Party.INSURER: N_("de aangesproken verzekeraar"),
    Party.PROVIDER: N_("een betrokken zorgaanbieder"),
    Party.MEDIATOR: N_("de bemiddelaar"),
    Party.ADMIN: N_("de beheerder"),
    Party.SYSTEM: N_("het register"),
})


class InitiativeState(StrEnum):
    CONCEPT = "concept"
    OPEN = "open"
    FULLY_FUNDED = "fully_funded"
    PARTIALLY_FUNDED = "partially_funded"
    IN_MEDIATION = "in_mediation"
    ACTIVE = "active"
    EVALUATED = "evaluated"
    EXTENDED = "extended"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"


# Decided on by every insurer asked, with or without a gap: ready to be activated.
FUNDED_STATES = frozenset({InitiativeState.FULLY_FUNDED, InitiativeState.PARTIALLY_FUNDED})
# Activated and not ended: measured, evaluated, monitored.
RUNNING_STATES = frozenset({InitiativeState.ACTIVE, InitiativeState.EVALUATED, InitiativeState.EXTENDED})


class ShownState(StrEnum):
    """Where an insurer stands on an initiative as one viewer may see it: its InsurerState
    (domain.allocation), or HIDDEN while its decision is hidden from the viewer (decisions stay
    independent until one's own decision or deadline; visibility.sees_decisions)."""

    FOLLOWS = "follows"
    DECLINES = "declines"
    UNDECIDED = "undecided"
    HIDDEN = "hidden"


class InitiativeEvent(StrEnum):
    OPEN = "open"  # open for decisions: freeze the allocation key, send follow requests
    ALL_FOLLOWED = "all_followed"
    DECISIONS_CLOSED_WITH_GAP = "decisions_closed_with_gap"
    MEDIATION_OPENED = "mediation_opened"
    MEDIATION_CLOSED_FUNDED = "mediation_closed_funded"
    MEDIATION_CLOSED_WITH_GAP = "mediation_closed_with_gap"
    MEDIATION_CLOSED_UNDECIDED = "mediation_closed_undecided"  # requests still running: back to open
    CONDITIONS_REJECTED = "conditions_rejected"  # the lead rejected a follower's conditions: deciding again
    ACTIVATE = "activate"
    EVALUATE = "evaluate"  # the final evaluation of the term
    EVALUATE_INTERIM = "evaluate_interim"  # a baseline or periodic evaluation: no change of state
    ADJUST_CALENDAR = "adjust_calendar"
    EXTEND = "extend"
    END = "end"
    WITHDRAW = "withdraw"


class FollowRequestState(StrEnum):
    OPEN = "open"  # waiting for the addressee's decision
    DECIDED = "decided"  # a standing decision that may still change until the deadline
    OVERDUE = "overdue"  # deadline passed without a decision: escalated
    CLOSED = "closed"  # decision final
    CANCELLED = "cancelled"  # the initiative was withdrawn


# The named sets of states: code asks "is this request live?", never compares with a value.
# Requests the addressee may still decide on (FollowRequestEvent.DECIDE exists from each).
LIVE_REQUEST_STATES = frozenset({FollowRequestState.OPEN, FollowRequestState.DECIDED, FollowRequestState.OVERDUE})
# Requests still being decided (their deadline has not passed): while one is, an initiative
# leaving mediation is open again.
STILL_DECIDING = frozenset({FollowRequestState.OPEN, FollowRequestState.DECIDED})
# Requests without a decision (yet): the ones a dashboard counts as waiting.
UNDECIDED_REQUEST_STATES = frozenset({FollowRequestState.OPEN, FollowRequestState.OVERDUE})


class FollowRequestEvent(StrEnum):
    DECIDE = "decide"
    DEADLINE_PASSED = "deadline_passed"
    CLOSE = "close"  # every insurer follows: the initiative is funded, decisions are final
    REOPEN = "reopen"  # a mediator's finding "follow required" sets a new deadline
    CANCEL = "cancel"
    ACCEPT_CONDITIONS = "accept_conditions"  # the lead accepts the conditions of a follow
    REJECT_CONDITIONS = "reject_conditions"  # the lead rejects them: the insurer decides again


class MediationState(StrEnum):
    OPEN = "open"  # asked for, in the mediator's queue
    IN_PROGRESS = "in_progress"
    FINDING = "finding"  # finding recorded; a follow-up may be running
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Cases the mediator still works on (one live case per request: models.mediation's partial index).
LIVE_MEDIATION_STATES = frozenset({MediationState.OPEN, MediationState.IN_PROGRESS, MediationState.FINDING})


class MediationEvent(StrEnum):
    TAKE = "take"
    REQUEST_STATEMENTS = "request_statements"
    RECORD_FINDING = "record_finding"
    CLOSE = "close"
    WITHDRAW = "withdraw"


Table = Mapping[tuple[StrEnum, StrEnum], tuple[frozenset[Party], StrEnum]]

_LEAD = frozenset({Party.LEAD_INSURER})
_LEAD_AND_PROVIDERS = frozenset({Party.LEAD_INSURER, Party.PROVIDER})  # who evaluates (issue 10)
_INSURER = frozenset({Party.INSURER})
_MEDIATOR = frozenset({Party.MEDIATOR})
_SYSTEM = frozenset({Party.SYSTEM})
_PARTIES = frozenset({Party.LEAD_INSURER, Party.INSURER, Party.PROVIDER})

S, IE = InitiativeState, InitiativeEvent
INITIATIVE_TRANSITIONS: Table = {
    (S.CONCEPT, IE.OPEN): (_LEAD, S.OPEN),
    (S.CONCEPT, IE.WITHDRAW): (_LEAD, S.WITHDRAWN),
    # Only a start-up innovation, which no one is asked to follow (domain/phase.py
    # activates_without_follow_requests); everything else is activated once funded.
    (S.CONCEPT, IE.ACTIVATE): (_LEAD, S.ACTIVE),
    (S.OPEN, IE.ALL_FOLLOWED): (_SYSTEM, S.FULLY_FUNDED),
    (S.OPEN, IE.DECISIONS_CLOSED_WITH_GAP): (_SYSTEM, S.PARTIALLY_FUNDED),
    (S.OPEN, IE.MEDIATION_OPENED): (_SYSTEM, S.IN_MEDIATION),
    (S.OPEN, IE.WITHDRAW): (_LEAD, S.WITHDRAWN),
    (S.PARTIALLY_FUNDED, IE.ALL_FOLLOWED): (_SYSTEM, S.FULLY_FUNDED),
    (S.PARTIALLY_FUNDED, IE.MEDIATION_OPENED): (_SYSTEM, S.IN_MEDIATION),
    (S.PARTIALLY_FUNDED, IE.ACTIVATE): (_LEAD, S.ACTIVE),
    (S.PARTIALLY_FUNDED, IE.WITHDRAW): (_LEAD, S.WITHDRAWN),
    (S.FULLY_FUNDED, IE.ACTIVATE): (_LEAD, S.ACTIVE),
    (S.FULLY_FUNDED, IE.WITHDRAW): (_LEAD, S.WITHDRAWN),
    # A follower's conditions rejected by the lead: its request runs again, so the funding is open again.
    (S.FULLY_FUNDED, IE.CONDITIONS_REJECTED): (_SYSTEM, S.OPEN),
    (S.PARTIALLY_FUNDED, IE.CONDITIONS_REJECTED): (_SYSTEM, S.OPEN),
    (S.IN_MEDIATION, IE.MEDIATION_CLOSED_FUNDED): (_SYSTEM, S.FULLY_FUNDED),
    (S.IN_MEDIATION, IE.MEDIATION_CLOSED_WITH_GAP): (_SYSTEM, S.PARTIALLY_FUNDED),
    (S.IN_MEDIATION, IE.MEDIATION_CLOSED_UNDECIDED): (_SYSTEM, S.OPEN),
    (S.IN_MEDIATION, IE.WITHDRAW): (_LEAD, S.WITHDRAWN),
    (S.ACTIVE, IE.EVALUATE_INTERIM): (_LEAD_AND_PROVIDERS, S.ACTIVE),
    (S.ACTIVE, IE.ADJUST_CALENDAR): (_LEAD, S.ACTIVE),
    (S.ACTIVE, IE.EVALUATE): (_LEAD_AND_PROVIDERS, S.EVALUATED),
    (S.ACTIVE, IE.END): (_LEAD, S.ENDED),
    (S.EVALUATED, IE.EXTEND): (_LEAD, S.EXTENDED),
    (S.EVALUATED, IE.END): (_LEAD, S.ENDED),
    (S.EXTENDED, IE.EVALUATE_INTERIM): (_LEAD_AND_PROVIDERS, S.EXTENDED),
    (S.EXTENDED, IE.ADJUST_CALENDAR): (_LEAD, S.EXTENDED),
    (S.EXTENDED, IE.EVALUATE): (_LEAD_AND_PROVIDERS, S.EVALUATED),
    (S.EXTENDED, IE.END): (_LEAD, S.ENDED),
}

F, FE = FollowRequestState, FollowRequestEvent
FOLLOW_REQUEST_TRANSITIONS: Table = {
    (F.OPEN, FE.DECIDE): (_INSURER, F.DECIDED),
    (F.OPEN, FE.DEADLINE_PASSED): (_SYSTEM, F.OVERDUE),
    (F.OPEN, FE.CANCEL): (_SYSTEM, F.CANCELLED),
    (F.DECIDED, FE.DECIDE): (_INSURER, F.DECIDED),  # a changed decision is a new version
    (F.DECIDED, FE.DEADLINE_PASSED): (_SYSTEM, F.CLOSED),
    (F.DECIDED, FE.CLOSE): (_SYSTEM, F.CLOSED),
    (F.DECIDED, FE.REOPEN): (_MEDIATOR, F.OPEN),  # "follow required": a new decision is due
    (F.DECIDED, FE.CANCEL): (_SYSTEM, F.CANCELLED),
    (F.OVERDUE, FE.DECIDE): (_INSURER, F.CLOSED),  # late, so final at once
    (F.OVERDUE, FE.REOPEN): (_MEDIATOR, F.OPEN),
    (F.OVERDUE, FE.CANCEL): (_SYSTEM, F.CANCELLED),
    (F.CLOSED, FE.REOPEN): (_MEDIATOR, F.OPEN),
    # A follow with conditions: the lead accepts them (the decision stands as it is) or rejects them
    # with reasons (the request is open again, with a new deadline).
    (F.DECIDED, FE.ACCEPT_CONDITIONS): (_LEAD, F.DECIDED),
    (F.CLOSED, FE.ACCEPT_CONDITIONS): (_LEAD, F.CLOSED),
    (F.DECIDED, FE.REJECT_CONDITIONS): (_LEAD, F.OPEN),
    (F.CLOSED, FE.REJECT_CONDITIONS): (_LEAD, F.OPEN),
}

M, ME = MediationState, MediationEvent
MEDIATION_TRANSITIONS: Table = {
    (M.OPEN, ME.TAKE): (_MEDIATOR, M.IN_PROGRESS),
    (M.OPEN, ME.WITHDRAW): (_PARTIES, M.WITHDRAWN),
    (M.IN_PROGRESS, ME.REQUEST_STATEMENTS): (_MEDIATOR, M.IN_PROGRESS),
    (M.IN_PROGRESS, ME.RECORD_FINDING): (_MEDIATOR, M.FINDING),
    (M.IN_PROGRESS, ME.WITHDRAW): (_PARTIES, M.WITHDRAWN),
    (M.FINDING, ME.REQUEST_STATEMENTS): (_MEDIATOR, M.FINDING),
    (M.FINDING, ME.CLOSE): (_SYSTEM, M.CLOSED),
}

MACHINES: dict[type[StrEnum], tuple[type[StrEnum], Table]] = {
    InitiativeState: (InitiativeEvent, INITIATIVE_TRANSITIONS),
    FollowRequestState: (FollowRequestEvent, FOLLOW_REQUEST_TRANSITIONS),
    MediationState: (MediationEvent, MEDIATION_TRANSITIONS),
}


# Dutch labels, so a refusal never shows a raw value such as 'evaluated'; also the ones the pages show
# (innovatieregister.labels gathers them). One table per enum: members of different enums share values
# ('open', 'closed', 'withdraw') and a StrEnum member is equal to its value, so one dict would mix them.
STATE_LABELS: dict[type[StrEnum], Labels] = {
    InitiativeState: Labels({
        S.CONCEPT: N_("Concept"),
        S.OPEN: N_("Open voor besluiten"),
        S.FULLY_FUNDED: N_("Volledig gefinancierd"),
        S.PARTIALLY_FUNDED: N_("Deels gefinancierd"),
        S.IN_MEDIATION: N_("In bemiddeling"),
        S.ACTIVE: N_("Actief"),
        S.EVALUATED: N_("Geëvalueerd"),
        S.EXTENDED: N_("Verlengd"),
        S.ENDED: N_("Beëindigd"),
        S.WITHDRAWN: N_("Ingetrokken"),
    }),
    FollowRequestState: Labels({
        F.OPEN: N_("Wacht op besluit"),
        F.DECIDED: N_("Besloten"),
        F.OVERDUE: N_("Termijn verstreken"),
        F.CLOSED: N_("Definitief"),
        F.CANCELLED: N_("Vervallen"),
    }),
    MediationState: Labels({
        M.OPEN: N_("Aangevraagd"),
        M.IN_PROGRESS: N_("In behandeling"),
        M.FINDING: N_("Bevinding vastgelegd"),
        M.CLOSED: N_("Gesloten"),
        M.WITHDRAWN: N_("Ingetrokken"),
    }),
}

EVENT_LABELS: dict[type[StrEnum], Labels] = {
    InitiativeEvent: Labels({
        IE.OPEN: N_("openstellen voor besluiten"),
        IE.ALL_FOLLOWED: N_("volledig gefinancierd verklaren (iedereen volgt)"),
        IE.DECISIONS_CLOSED_WITH_GAP: N_("de besluitvorming sluiten met een tekort"),
        IE.MEDIATION_OPENED: N_("bemiddeling openen"),
        IE.MEDIATION_CLOSED_FUNDED: N_("de bemiddeling sluiten als gefinancierd"),
        IE.MEDIATION_CLOSED_WITH_GAP: N_("de bemiddeling sluiten met een tekort"),
        IE.MEDIATION_CLOSED_UNDECIDED: N_("de bemiddeling sluiten terwijl besluiten nog lopen"),
        IE.CONDITIONS_REJECTED: N_("weer openstellen na afgewezen voorwaarden"),
        IE.ACTIVATE: N_("activeren"),
        IE.EVALUATE: N_("de eindevaluatie vastleggen"),
        IE.EVALUATE_INTERIM: N_("een nul- of periodieke evaluatie vastleggen"),
        IE.ADJUST_CALENDAR: N_("de evaluatiekalender aanpassen"),
        IE.EXTEND: N_("verlengen"),
        IE.END: N_("beëindigen"),
        IE.WITHDRAW: N_("intrekken"),
    }),
    FollowRequestEvent: Labels({
        FE.DECIDE: N_("besluiten"),
        FE.DEADLINE_PASSED: N_("de termijn laten verstrijken"),
        FE.CLOSE: N_("het besluit definitief maken"),
        FE.REOPEN: N_("het verzoek heropenen"),
        FE.CANCEL: N_("het verzoek laten vervallen"),
        FE.ACCEPT_CONDITIONS: N_("de voorwaarden aanvaarden"),
        FE.REJECT_CONDITIONS: N_("de voorwaarden afwijzen"),
    }),
    MediationEvent: Labels({
        ME.TAKE: N_("in behandeling nemen"),
        ME.REQUEST_STATEMENTS: N_("zienswijzen vragen"),
        ME.RECORD_FINDING: N_("een bevinding vastleggen"),
        ME.CLOSE: N_("sluiten"),
        ME.WITHDRAW: N_("intrekken"),
    }),
}


class InvalidTransition(Exception):
    """A state change the tables do not allow; the message is for the user (Dutch).

    `wrong_role`: the step exists from this state, only not for this party (a 403, not a 409)."""

    def __init__(self, message: str, wrong_role: bool = False):
        super().__init__(message)
        self.wrong_role = wrong_role


def allowed_events(state: StrEnum, party: Party | None = None) -> list[StrEnum]:
    """The events that may happen from `state` (for `party`, when given), in table order."""
    _, table = MACHINES[type(state)]
    return [e for (s, e), (parties, _) in table.items() if s == state and (party is None or party in parties)]


State = TypeVar("State", bound=StrEnum)


def transition(state: State, event: StrEnum | str, party: Party | str) -> State:
    """The state after `event` done by `party` from `state`, or InvalidTransition."""
    if type(state) not in MACHINES:
        raise TypeError(f"unknown state type {type(state).__name__}")
    event_type, table = MACHINES[type(state)]
    event = event_type(event)
    party = Party(party)
    entry = table.get((state, event))
    if entry is not None and party in entry[0]:
        return cast(State, entry[1])  # the machine of type(state) leads to states of that type
    raise InvalidTransition(_explain(state, event, party, table), wrong_role=entry is not None)


OR = N_("of")  # between alternatives: "verzekeraar of bemiddelaar"


def _explain(state: StrEnum, event: StrEnum, party: Party, table: Table) -> str:
    """Why not, and who may do what from here, in the reader's language (domain.text.say)."""
    events, states = EVENT_LABELS[type(event)], STATE_LABELS[type(state)]
    what, where = events[event], states[state]
    either = " " + say(OR) + " "
    possible = [
        f"{either.join(PARTY_LABELS[p] for p in sorted(parties))}: {events[e]}"
        for (s, e), (parties, _) in table.items()
        if s == state
    ]
    if (state, event) in table:
        head = say(N_("'%(what)s' vanuit '%(where)s' mag niet door %(role)s.")) % {
            "what": what, "where": where, "role": PARTY_LABELS[party]}
    else:
        head = say(N_("'%(what)s' is niet mogelijk vanuit '%(where)s'.")) % {"what": what, "where": where}
    tail = "; ".join(possible) if possible else say(N_("niets meer: dit is een eindtoestand"))
    return f"{head} " + say(N_("Vanuit '%(where)s' kan: %(steps)s.")) % {"where": where, "steps": tail}
