"""Start-up and scale-up (000: competition in the start-up phase, alignment in scale-up)."""

from __future__ import annotations

import itertools

import pytest

from innovatieregister.domain.monitoring import POSITIVE_VERDICTS, Verdict
from innovatieregister.domain.phase import (
    InitiativeKind,
    Phase,
    activates_without_follow_requests,
    adoption_needs_confirmation,
    carries_duty_to_follow,
    is_evaluated_successfully,
    opening_refusal,
    scale_up_refusal,
)
from innovatieregister.domain.workflow import RUNNING_STATES, InitiativeState

K, P, S, V = InitiativeKind, Phase, InitiativeState, Verdict


@pytest.mark.parametrize(("kind", "phase", "duty"), [
    (K.INNOVATION, P.START_UP, False),  # competition in the start-up phase
    (K.INNOVATION, P.SCALE_UP, True),  # alignment in scale-up
    (K.JZOJP_INTERVENTION, P.START_UP, True),  # JZOJP interventions: followed as before
    (K.JZOJP_INTERVENTION, P.SCALE_UP, True),
])
def test_the_duty_to_follow_and_what_opening_and_activation_follow_from_it(kind, phase, duty):
    assert carries_duty_to_follow(kind, phase) is duty
    assert activates_without_follow_requests(kind, phase) is (not duty)
    refusal = opening_refusal(kind, phase)
    if duty:
        assert refusal is None
    else:
        assert "opstartfase" in refusal and "geen volgplicht" in refusal
        assert "opschalingsfase" in refusal  # and says what the lead may do from here


@pytest.mark.parametrize(("verdict", "successful"), [
    (None, False), (V.ON_TRACK, True), (V.ACHIEVED, True), (V.BEHIND, False), (V.NOT_ACHIEVED, False)])
def test_successful_means_the_latest_verdict_is_positive(verdict, successful):
    assert is_evaluated_successfully(verdict) is successful


@pytest.mark.parametrize(("kind", "phase", "status", "verdict", "refused_with"), [
    (K.INNOVATION, P.START_UP, S.ACTIVE, V.ON_TRACK, None),
    (K.INNOVATION, P.START_UP, S.EVALUATED, V.ACHIEVED, None),
    (K.INNOVATION, P.START_UP, S.EXTENDED, V.ON_TRACK, None),
    (K.INNOVATION, P.START_UP, S.ACTIVE, None, "nog geen periodieke of eindevaluatie"),
    (K.INNOVATION, P.START_UP, S.ACTIVE, V.BEHIND, "Achter op schema"),
    (K.INNOVATION, P.START_UP, S.EVALUATED, V.NOT_ACHIEVED, "Doelen niet behaald"),
    (K.INNOVATION, P.START_UP, S.CONCEPT, None, "activeert haar eerst"),
    (K.INNOVATION, P.START_UP, S.ENDED, V.ACHIEVED, "activeert haar eerst"),
    (K.INNOVATION, P.START_UP, S.WITHDRAWN, V.ON_TRACK, "activeert haar eerst"),
    (K.INNOVATION, P.SCALE_UP, S.ACTIVE, V.ON_TRACK, "al in de opschalingsfase"),
    (K.JZOJP_INTERVENTION, P.START_UP, S.ACTIVE, V.ON_TRACK, "JZOJP-interventie"),
])
def test_moving_to_scale_up_rests_on_a_positive_evaluation(kind, phase, status, verdict, refused_with):
    refusal = scale_up_refusal(kind, phase, status, verdict)
    if refused_with is None:
        assert refusal is None
    else:
        assert refused_with in refusal


def test_every_running_state_with_a_positive_verdict_and_nothing_else_allows_scale_up():
    allowed = {(status, verdict) for status, verdict in itertools.product(S, [None, *V])
               if scale_up_refusal(K.INNOVATION, P.START_UP, status, verdict) is None}
    assert allowed == set(itertools.product(RUNNING_STATES, POSITIVE_VERDICTS))


@pytest.mark.parametrize(("kind", "verdict", "confirm"), [
    (K.INNOVATION, None, True),
    (K.INNOVATION, V.BEHIND, True),
    (K.INNOVATION, V.NOT_ACHIEVED, True),
    (K.INNOVATION, V.ON_TRACK, False),
    (K.INNOVATION, V.ACHIEVED, False),
    (K.JZOJP_INTERVENTION, None, False),  # JZOJP interventions: adopted as before
])
def test_adopting_an_innovation_without_a_positive_evaluation_needs_confirmation(kind, verdict, confirm):
    assert adoption_needs_confirmation(kind, verdict) is confirm
