"""Fair shares to the cent: largest remainder, exact sum, order independent."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.allocation import InsurerState, allocate, apportion, funding

D = Decimal


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        # A third each: the one cent left goes to the smallest key (equal weights).
        ("100.00", {"a": 1, "b": 1, "c": 1}, {"a": "33.34", "b": "33.33", "c": "33.33"}),
        # One cent over two equal insurers.
        ("0.01", {"a": 1, "b": 1}, {"a": "0.01", "b": "0.00"}),
        # One cent goes to the largest remainder (b: 0.667 cent, a: 0.333 cent).
        ("0.01", {"a": 1, "b": 2}, {"a": "0.00", "b": "0.01"}),
        # Equal remainders (half a cent each): the larger weight gets the cent.
        ("0.02", {"a": 1, "b": 3}, {"a": "0.00", "b": "0.02"}),
        ("0.02", {"b": 3, "a": 1}, {"a": "0.00", "b": "0.02"}),
        # Weight 0 still appears, with 0.00.
        ("10.00", {"a": 3, "b": 0, "c": 1}, {"a": "7.50", "b": "0.00", "c": "2.50"}),
        # Nothing to divide.
        ("0.00", {"a": 3, "b": 1}, {"a": "0.00", "b": "0.00"}),
        # The observation beds (€ 361,49 × 365 × 8) over a region of 1:2:3:4.
        ("1055550.80", {"A": 1, "B": 2, "C": 3, "D": 4},
         {"A": "105555.08", "B": "211110.16", "C": "316665.24", "D": "422220.32"}),
        # 1.230 has two decimals of value.
        ("1.230", {"a": 1}, {"a": "1.23"}),
    ],
)
def test_allocate(total, weights, expected):
    shares = allocate(D(total), weights)
    assert shares == {k: D(v) for k, v in expected.items()}
    assert all(s.as_tuple().exponent == -2 for s in shares.values())
    assert list(shares) == list(weights)  # every key, in the caller's order


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (D("-0.01"), {"a": 1}),
        (D("1.001"), {"a": 1}),
        (D("NaN"), {"a": 1}),
        (D("Infinity"), {"a": 1}),
        (1.5, {"a": 1}),
        (D("1.00"), {"a": -1, "b": 2}),
        (D("1.00"), {"a": 0, "b": 0}),
        (D("1.00"), {}),
        (D("1.00"), {"a": 1.0}),
        (D("1.00"), {"a": True}),
    ],
    ids=["negative", "sub-cent", "nan", "infinite", "float-total", "negative-weight",
         "all-zero", "no-keys", "float-weight", "bool-weight"],
)
def test_allocate_refuses_bad_input(total, weights):
    with pytest.raises(ValueError):
        allocate(total, weights)


cents = st.one_of(
    st.integers(0, 100),  # a few cents: one-cent totals and fewer cents than keys
    st.integers(0, 10**11),  # up to a billion euro
)
keys = st.one_of(st.text(max_size=6), st.integers(-10**6, 10**6))


def weights_of(min_size=1, max_size=40, max_weight=10**7):
    return st.one_of(
        st.dictionaries(st.text(max_size=6), st.integers(0, max_weight),
                        min_size=min_size, max_size=max_size),
        st.dictionaries(st.integers(-10**6, 10**6), st.integers(0, max_weight),
                        min_size=min_size, max_size=max_size),
    ).filter(lambda w: sum(w.values()) > 0)


def _check_allocation(total_cents: int, weights: dict, shares: dict) -> None:
    total = D(total_cents).scaleb(-2)
    weight_sum = sum(weights.values())
    assert set(shares) == set(weights)
    assert sum(shares.values()) == total  # exactly, not approximately
    for key, share in shares.items():
        assert share.as_tuple().exponent == -2
        # |share - total × w / W| < € 0.01, in exact integer arithmetic on cents.
        assert abs(int(share.scaleb(2)) * weight_sum - total_cents * weights[key]) < weight_sum
        if weights[key] == 0:
            assert share == D("0.00")


@given(cents, weights_of(), st.randoms())
def test_allocate_properties(total_cents, weights, rnd):
    shares = allocate(D(total_cents).scaleb(-2), weights)
    _check_allocation(total_cents, weights, shares)
    items = list(weights.items())
    rnd.shuffle(items)
    assert allocate(D(total_cents).scaleb(-2), dict(items)) == shares
    # A larger weight never gets a smaller share (equal weights may differ by the tie cent).
    ordered = sorted(weights, key=lambda k: weights[k])
    for smaller, larger in zip(ordered, ordered[1:], strict=False):
        if weights[smaller] < weights[larger]:
            assert shares[smaller] <= shares[larger]


@given(cents, st.integers(1000, 3000), st.integers(0, 10**6), st.integers(0, 2**32))
def test_allocate_over_thousands_of_keys(total_cents, size, max_weight, seed):
    # The weights come from a seeded generator: thousands of keys as small test data.
    rnd = random.Random(seed)
    weights = {f"K{i:04d}": rnd.randint(0, max_weight) for i in range(size)}
    weights["K0000"] += 1  # at least one positive weight
    _check_allocation(total_cents, weights, allocate(D(total_cents).scaleb(-2), weights))


@given(st.integers(0, 10**9), weights_of())
def test_apportion_splits_whole_units_exactly(units, weights):
    parts = apportion(units, weights)
    assert sum(parts.values()) == units
    weight_sum = sum(weights.values())
    assert all(abs(parts[k] * weight_sum - units * w) < weight_sum for k, w in weights.items())


states = st.sampled_from(list(InsurerState))


@given(cents, weights_of(max_size=20), st.data())
def test_funding_committed_plus_gap_is_the_total(total_cents, weights, data):
    decisions = {k: data.draw(states) for k in weights if data.draw(st.booleans())}
    total = D(total_cents).scaleb(-2)
    result = funding(total, weights, decisions)
    shares = allocate(total, weights)
    assert result.total == total
    assert result.committed + result.gap == total
    assert result.committed == sum(
        (shares[k] for k, s in decisions.items() if s == InsurerState.FOLLOWS), D("0.00"))
    assert result.declined == sum(
        (shares[k] for k, s in decisions.items() if s == InsurerState.DECLINES), D("0.00"))
    assert {s.insurer: s.amount for s in result.shares} == shares
    assert all(s.state == decisions.get(s.insurer, InsurerState.UNDECIDED) for s in result.shares)
    assert result.coverage == (Fraction(int(result.committed * 100), total_cents) if total_cents else 1)
    assert result.fully_funded == (result.gap == 0)


def test_funding_of_the_observation_beds():
    weights = {"MENZIS": 4, "ACHMEA": 3, "VGZ": 2, "CZ": 1}
    result = funding(D("1055550.80"), weights, {"MENZIS": "follows", "ACHMEA": "follows",
                                                 "VGZ": "declines"})
    assert [(s.insurer, s.amount, s.state.value) for s in result.shares] == [
        ("MENZIS", D("422220.32"), "follows"),
        ("ACHMEA", D("316665.24"), "follows"),
        ("VGZ", D("211110.16"), "declines"),
        ("CZ", D("105555.08"), "undecided"),
    ]
    assert result.committed == D("738885.56")
    assert result.gap == D("316665.24")
    assert result.coverage == Fraction(7, 10)


def test_funding_refuses_a_decision_for_an_insurer_without_share():
    with pytest.raises(ValueError):
        funding(D("10.00"), {"A": 1}, {"B": "follows"})


def test_funding_of_nothing_is_fully_covered():
    assert funding(D("0.00"), {"A": 1}, {}).coverage == 1


@pytest.mark.parametrize(
    ("states", "combined"),
    [
        ([], "undecided"),
        (["undecided"], "undecided"),
        (["declines"], "declines"),
        (["declines", "follows"], "follows"),  # declined the follow request, then adopted the deal
        (["follows", "declines"], "follows"),
        (["undecided", "declines"], "declines"),
    ],
)
def test_combined_state_of_an_insurer_asked_twice(states, combined):
    from innovatieregister.domain.allocation import combined_state

    assert combined_state(states) == combined
