"""Weighing a decline: Σ weight × strength against a threshold set by policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.arguments import WeighedArgument, assess, repeated_criteria

# Example weights of the kind the admin sets for the catalogue (services.criteria).
EVIDENCE = ("insufficient_evidence", 3)
ADDS_CARE = ("adds_care", 3)
REGIONAL_FIT = ("no_regional_fit", 2)
FINANCIAL = ("financial", 1)


def arg(criterion, strength):
    return WeighedArgument(criterion=criterion[0], weight=criterion[1], strength=strength)


@pytest.mark.parametrize(
    ("arguments", "threshold", "score", "weighty"),
    [
        ([], 6, 0, False),  # a decline with no arguments is never weighty
        ([arg(FINANCIAL, 3)], 6, 3, False),  # money alone does not carry a decline
        ([arg(EVIDENCE, 2)], 6, 6, True),  # exactly the threshold is enough
        ([arg(EVIDENCE, 1), arg(REGIONAL_FIT, 1)], 6, 5, False),
        ([arg(EVIDENCE, 1), arg(REGIONAL_FIT, 1), arg(FINANCIAL, 1)], 6, 6, True),
        ([arg(ADDS_CARE, 3), arg(EVIDENCE, 3)], 6, 18, True),
        ([], 1, 0, False),
    ],
)
def test_assess(arguments, threshold, score, weighty):
    result = assess(arguments, threshold)
    assert (result.score, result.threshold, result.weighty) == (score, threshold, weighty)
    assert result.shortfall == (0 if weighty else threshold - score)


@pytest.mark.parametrize(
    ("arguments", "threshold"),
    [
        ([arg(EVIDENCE, 0)], 6),
        ([arg(EVIDENCE, 4)], 6),
        ([WeighedArgument("x", -1, 2)], 6),
        ([WeighedArgument("x", 1.5, 2)], 6),
        ([arg(EVIDENCE, 2)], 0),
        ([arg(EVIDENCE, 2)], 2.5),
    ],
)
def test_assess_refuses_bad_input(arguments, threshold):
    with pytest.raises(ValueError):
        assess(arguments, threshold)


@given(st.lists(st.tuples(st.integers(0, 20), st.sampled_from([1, 2, 3])), max_size=10),
       st.integers(1, 100))
def test_assess_score_is_the_weighted_sum(pairs, threshold):
    arguments = [WeighedArgument(f"c{i}", w, s) for i, (w, s) in enumerate(pairs)]
    result = assess(arguments, threshold)
    assert result.score == sum(w * s for w, s in pairs)
    assert result.weighty == (bool(pairs) and result.score >= threshold)
    # A stronger argument never turns a weighty decline into a not-weighty one.
    if result.weighty:
        stronger = [WeighedArgument(a.criterion, a.weight, 3) for a in arguments]
        assert assess(stronger, threshold).weighty


# One argument per criterion ---------------------------------------------------------------------

def test_a_criterion_named_twice_is_refused_rather_than_counted_twice():
    # Financial alone (1 × 3 = 3) is a weak decline; counted twice it would reach the threshold of 6.
    weak = [arg(FINANCIAL, 3)]
    assert not assess(weak, 6).weighty
    with pytest.raises(ValueError, match="financial"):
        assess([arg(FINANCIAL, 3), arg(FINANCIAL, 3)], 6)
    with pytest.raises(ValueError):  # also when the strengths differ and other criteria sit between
        assess([arg(FINANCIAL, 3), arg(EVIDENCE, 1), arg(FINANCIAL, 1)], 6)


def test_repeated_criteria_names_each_repeat_and_its_first_use():
    assert repeated_criteria(["a", "b", "c"]) == {}
    assert repeated_criteria(["a", "b", "a", "b", "a"]) == {2: 0, 3: 1, 4: 0}
    assert repeated_criteria([]) == {}


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 20), st.sampled_from([1, 2, 3])),
                max_size=8),
       st.integers(1, 100))
def test_the_score_never_counts_a_criterion_twice(triples, threshold):
    arguments = [WeighedArgument(c, w, s) for c, w, s in triples]
    names = [c for c, _, _ in triples]
    if len(set(names)) < len(names):
        with pytest.raises(ValueError):
            assess(arguments, threshold)
    else:
        assert assess(arguments, threshold).score == sum(w * s for _, w, s in triples)
