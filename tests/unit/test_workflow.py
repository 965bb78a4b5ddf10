"""The transition tables: every state × event × role, and the shape of each machine."""

from __future__ import annotations

import itertools

import pytest

from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.workflow import (
    EVENT_LABELS,
    FOLLOW_REQUEST_TRANSITIONS,
    FUNDED_STATES,
    INITIATIVE_TRANSITIONS,
    LIVE_MEDIATION_STATES,
    LIVE_REQUEST_STATES,
    MACHINES,
    MEDIATION_TRANSITIONS,
    PARTY_LABELS,
    RUNNING_STATES,
    STATE_LABELS,
    STILL_DECIDING,
    UNDECIDED_REQUEST_STATES,
    FollowRequestEvent,
    FollowRequestState,
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    MediationEvent,
    MediationState,
    Party,
    ShownState,
    allowed_events,
    transition,
)


def _every_combination():
    for state_type, (event_type, _table) in MACHINES.items():
        yield from itertools.product(list(state_type), list(event_type), list(Party))


@pytest.mark.parametrize(("state", "event", "role"), list(_every_combination()),
                         ids=lambda v: str(getattr(v, "value", v)))
def test_every_state_event_and_role(state, event, role):
    _, table = MACHINES[type(state)]
    entry = table.get((state, event))
    if entry is not None and role in entry[0]:
        assert transition(state, event, role) == entry[1]
        return
    with pytest.raises(InvalidTransition) as refused:
        transition(state, event, role)
    message = str(refused.value)
    # Dutch, with Dutch names for the state and the step, never a raw value such as 'evaluated'.
    assert f"'{STATE_LABELS[type(state)][state]}'" in message and f"'{EVENT_LABELS[type(event)][event]}'" in message
    assert f"'{state.value}'" not in message and f"'{event.value}'" not in message
    for allowed in allowed_events(state):
        assert EVENT_LABELS[type(allowed)][allowed] in message  # the message says what may happen from here
        for who in table[(state, allowed)][0]:
            assert PARTY_LABELS[who] in message  # and who may
    if not allowed_events(state):
        assert "eindtoestand" in message
    assert refused.value.wrong_role == (entry is not None)  # the step exists, only not for this role


S, IE = InitiativeState, InitiativeEvent
F, FE = FollowRequestState, FollowRequestEvent
M, ME = MediationState, MediationEvent


@pytest.mark.parametrize(
    ("state", "event", "role", "new_state"),
    [
        # Only the lead insurer opens its initiative for decisions, and withdraws it.
        (S.CONCEPT, IE.OPEN, Party.LEAD_INSURER, S.OPEN),
        (S.OPEN, IE.ALL_FOLLOWED, Party.SYSTEM, S.FULLY_FUNDED),
        (S.OPEN, IE.DECISIONS_CLOSED_WITH_GAP, Party.SYSTEM, S.PARTIALLY_FUNDED),
        (S.PARTIALLY_FUNDED, IE.MEDIATION_OPENED, Party.SYSTEM, S.IN_MEDIATION),
        (S.IN_MEDIATION, IE.MEDIATION_CLOSED_FUNDED, Party.SYSTEM, S.FULLY_FUNDED),
        (S.FULLY_FUNDED, IE.ACTIVATE, Party.LEAD_INSURER, S.ACTIVE),
        (S.CONCEPT, IE.ACTIVATE, Party.LEAD_INSURER, S.ACTIVE),  # a start-up innovation (domain/phase.py)
        (S.ACTIVE, IE.EVALUATE, Party.LEAD_INSURER, S.EVALUATED),
        (S.EVALUATED, IE.EXTEND, Party.LEAD_INSURER, S.EXTENDED),
        (S.EVALUATED, IE.END, Party.LEAD_INSURER, S.ENDED),
        # Issue 10: the providers involved evaluate too; a baseline or periodic evaluation and a
        # moved calendar leave the state; the lead ends a running initiative at any point.
        (S.PARTIALLY_FUNDED, IE.ACTIVATE, Party.LEAD_INSURER, S.ACTIVE),
        (S.ACTIVE, IE.EVALUATE, Party.PROVIDER, S.EVALUATED),
        (S.EXTENDED, IE.EVALUATE, Party.PROVIDER, S.EVALUATED),
        (S.ACTIVE, IE.EVALUATE_INTERIM, Party.PROVIDER, S.ACTIVE),
        (S.EXTENDED, IE.EVALUATE_INTERIM, Party.LEAD_INSURER, S.EXTENDED),
        (S.ACTIVE, IE.ADJUST_CALENDAR, Party.LEAD_INSURER, S.ACTIVE),
        (S.ACTIVE, IE.END, Party.LEAD_INSURER, S.ENDED),
        (S.EXTENDED, IE.END, Party.LEAD_INSURER, S.ENDED),
        # The addressee decides, and may change its decision until the deadline.
        (F.OPEN, FE.DECIDE, Party.INSURER, F.DECIDED),
        (F.DECIDED, FE.DECIDE, Party.INSURER, F.DECIDED),
        (F.DECIDED, FE.DEADLINE_PASSED, Party.SYSTEM, F.CLOSED),
        (F.OPEN, FE.DEADLINE_PASSED, Party.SYSTEM, F.OVERDUE),
        (F.OVERDUE, FE.DECIDE, Party.INSURER, F.CLOSED),
        (F.CLOSED, FE.REOPEN, Party.MEDIATOR, F.OPEN),
        (M.OPEN, ME.TAKE, Party.MEDIATOR, M.IN_PROGRESS),
        (M.IN_PROGRESS, ME.RECORD_FINDING, Party.MEDIATOR, M.FINDING),
        (M.OPEN, ME.WITHDRAW, Party.PROVIDER, M.WITHDRAWN),
    ],
)
def test_policy_transitions(state, event, role, new_state):
    assert transition(state, event, role) == new_state
    assert transition(state, event.value, role.value) == new_state  # plain strings work too


@pytest.mark.parametrize(
    ("state", "event", "role"),
    [
        (S.CONCEPT, IE.OPEN, Party.INSURER),  # a follower cannot open the lead's initiative
        (S.CONCEPT, IE.OPEN, Party.MEDIATOR),
        (S.ACTIVE, IE.WITHDRAW, Party.LEAD_INSURER),  # withdrawal only before it is active
        (S.OPEN, IE.ACTIVATE, Party.LEAD_INSURER),  # activation only once funded (or the gap accepted)
        (S.FULLY_FUNDED, IE.ACTIVATE, Party.PROVIDER),
        (S.EVALUATED, IE.EXTEND, Party.PROVIDER),  # extending and ending are the lead's
        (S.ACTIVE, IE.END, Party.PROVIDER),
        (S.ACTIVE, IE.ADJUST_CALENDAR, Party.PROVIDER),
        (S.ACTIVE, IE.EXTEND, Party.LEAD_INSURER),  # an extension rests on a final evaluation
        (S.EVALUATED, IE.EVALUATE_INTERIM, Party.LEAD_INSURER),  # the term's calendar is closed
        (S.ACTIVE, IE.EVALUATE, Party.INSURER),  # a follower funds, the parties evaluate
        (S.ENDED, IE.EXTEND, Party.LEAD_INSURER),
        (F.OPEN, FE.DECIDE, Party.LEAD_INSURER),  # nobody decides for another insurer
        (F.OPEN, FE.DECIDE, Party.MEDIATOR),  # the mediator never decides purchasing
        (F.CLOSED, FE.DECIDE, Party.INSURER),  # a closed request takes no new decision
        (M.OPEN, ME.RECORD_FINDING, Party.MEDIATOR),  # a case is taken before its finding
        (M.IN_PROGRESS, ME.RECORD_FINDING, Party.LEAD_INSURER),
    ],
)
def test_policy_refusals(state, event, role):
    with pytest.raises(InvalidTransition):
        transition(state, event, role)


def test_an_unknown_event_for_the_machine_is_refused_as_a_value_error():
    with pytest.raises(ValueError):
        transition(S.CONCEPT, "decide", Party.LEAD_INSURER)


@pytest.mark.parametrize(
    ("table", "initial", "terminal"),
    [
        (INITIATIVE_TRANSITIONS, S.CONCEPT, {S.ENDED, S.WITHDRAWN}),
        (FOLLOW_REQUEST_TRANSITIONS, F.OPEN, {F.CANCELLED}),
        (MEDIATION_TRANSITIONS, M.OPEN, {M.CLOSED, M.WITHDRAWN}),
    ],
)
def test_every_state_is_reachable_and_only_terminal_states_have_no_way_out(table, initial, terminal):
    reachable, frontier = {initial}, [initial]
    while frontier:
        state = frontier.pop()
        for (source, _event), (_roles, target) in table.items():
            if source == state and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(type(initial))
    without_exit = {s for s in type(initial) if not any(src == s for src, _ in table)}
    assert without_exit == terminal


def test_every_state_and_event_has_a_dutch_label():
    for state_type, (event_type, _table) in MACHINES.items():
        # One table per enum: an open initiative and an open request have each their own label.
        assert list(STATE_LABELS[state_type]) == list(state_type)
        assert list(EVENT_LABELS[event_type]) == list(event_type)
    assert STATE_LABELS[InitiativeState][InitiativeState.OPEN] == "Open voor besluiten"
    assert STATE_LABELS[FollowRequestState][FollowRequestState.OPEN] == "Wacht op besluit"


def _from(table, event, party=None) -> frozenset:
    """The states from which `event` may happen (by `party`, when given)."""
    return frozenset(s for (s, e), (parties, _) in table.items() if e == event and (party is None or party in parties))


def test_the_named_state_sets_follow_from_the_tables():
    # Live: the insurer asked may (still) decide; still deciding: its deadline can still pass.
    assert LIVE_REQUEST_STATES == _from(FOLLOW_REQUEST_TRANSITIONS, FE.DECIDE, Party.INSURER)
    assert STILL_DECIDING == _from(FOLLOW_REQUEST_TRANSITIONS, FE.DEADLINE_PASSED)
    assert UNDECIDED_REQUEST_STATES == LIVE_REQUEST_STATES - {F.DECIDED}
    # A live case is one that is not over: something can still happen to it.
    assert LIVE_MEDIATION_STATES == frozenset(s for s, _ in MEDIATION_TRANSITIONS)
    # Funded: where the decisions lead (with or without a gap); running: what can be ended.
    assert FUNDED_STATES == frozenset(INITIATIVE_TRANSITIONS[(S.OPEN, e)][1]
                                      for e in (IE.ALL_FOLLOWED, IE.DECISIONS_CLOSED_WITH_GAP))
    assert RUNNING_STATES == _from(INITIATIVE_TRANSITIONS, IE.END)


def test_a_shown_state_is_an_insurer_state_or_hidden():
    assert [s.value for s in ShownState][:-1] == [s.value for s in InsurerState]
    assert ShownState(InsurerState.DECLINES) is ShownState.DECLINES
    assert ShownState.HIDDEN not in {s.value for s in InsurerState}
