"""Shared savings (issue 11, part 3): the split to the cent, the quality gate and the year's savings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.allocation import percentage_weights, split_savings
from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.domain.progress import Point
from innovatieregister.domain.savings import (
    Direction,
    GateCheck,
    direction,
    key_total_problem,
    reaches,
    year_savings,
    year_value,
)

D = Decimal
INSURERS = "insurers"


@st.composite
def keys(draw):
    """A split key: 1 to 6 parties (the first the insurers' group) with percentages of at most four
    decimals, each above 0, adding up to exactly 100."""
    size = draw(st.integers(1, 6))
    cuts = sorted(draw(st.sets(st.integers(1, 10**6 - 1), min_size=size - 1, max_size=size - 1)))
    bounds = [0, *cuts, 10**6]
    parties = [INSURERS, *(f"org{n}" for n in range(1, size))]
    return {p: D(bounds[n + 1] - bounds[n]).scaleb(-4) for n, p in enumerate(parties)}


insurer_weights = st.dictionaries(st.sampled_from(["ACHMEA", "CZ", "DSW", "MENZIS", "VGZ", "ASR"]),
                                  st.integers(0, 2_000_000), max_size=6)
savings_cents = st.integers(0, 10**11)


@given(savings_cents, keys(), insurer_weights)
def test_the_parts_add_up_exactly_and_each_is_within_a_cent(cents, key, weights):
    savings = D(cents).scaleb(-2)
    split = split_savings(savings, key, INSURERS, weights)
    assert sum(split.parties.values()) == savings
    for party, amount in split.parties.items():
        exact = Fraction(cents, 100) * Fraction(key[party]) / 100
        assert abs(Fraction(amount) - exact) < Fraction(1, 100)
        assert amount.as_tuple().exponent == -2
    if sum(weights.values()) > 0:
        assert sum(split.insurers.values()) == split.parties[INSURERS]
        total = sum(weights.values())
        for insurer, amount in split.insurers.items():
            exact = Fraction(split.parties[INSURERS]) * weights[insurer] / total
            assert abs(Fraction(amount) - exact) < Fraction(1, 100)
    else:
        assert split.insurers == {}  # no funder: the group's part stays the group's


def test_a_third_each_gives_the_leftover_cent_by_the_largest_remainder():
    split = split_savings(D("100.00"), {INSURERS: D("33.3334"), "ZH": D("33.3333"), "GEM": D("33.3333")},
                          INSURERS, {"MENZIS": 2, "VGZ": 1})
    assert split.parties == {INSURERS: D("33.34"), "ZH": D("33.33"), "GEM": D("33.33")}
    assert split.insurers == {"MENZIS": D("22.23"), "VGZ": D("11.11")}


def test_a_key_without_the_insurers_splits_nothing_over_them():
    split = split_savings(D("10.00"), {"ZH": D("60"), "GEM": D("40")}, INSURERS, {"MENZIS": 1})
    assert split.parties == {"ZH": D("6.00"), "GEM": D("4.00")} and split.insurers == {}


@pytest.mark.parametrize("key", [
    {INSURERS: D("50"), "ZH": D("49.99")},  # 99.99
    {INSURERS: D("50"), "ZH": D("50.0001")},  # 100.0001
    {INSURERS: D("100.00001")},  # five decimals
    {INSURERS: D("100"), "ZH": D("0")},  # a party with 0
    {INSURERS: D("-10"), "ZH": D("110")},
])
def test_a_key_that_does_not_add_up_to_exactly_100_is_refused(key):
    with pytest.raises(ValueError):
        percentage_weights(key)
    assert key_total_problem(key.values()) is not None


def test_the_key_message_names_the_total():
    assert key_total_problem([D("50"), D("49.5")]) == (
        "De percentages van de verdeelsleutel tellen op tot 99,5 %; dat moet precies 100 % zijn.")
    assert key_total_problem([D("50"), D("50.0")]) is None


@pytest.mark.parametrize(("baseline", "target", "expected"), [
    (D("2900"), D("1500"), Direction.AT_MOST),  # fewer wrong-bed days
    (D("60"), D("80"), Direction.AT_LEAST),  # more patients at home
    (D("5"), D("5"), None), (None, D("5"), None), (D("5"), None, None),
])
def test_a_goal_has_the_direction_from_its_baseline_to_its_target(baseline, target, expected):
    assert direction(baseline, target) == expected


@pytest.mark.parametrize(("way", "minimum", "value", "met"), [
    (Direction.AT_MOST, D("2000"), D("1999"), True), (Direction.AT_MOST, D("2000"), D("2000"), True),
    (Direction.AT_MOST, D("2000"), D("2000.0001"), False),
    (Direction.AT_LEAST, D("70"), D("70"), True), (Direction.AT_LEAST, D("70"), D("69.9999"), False),
])
def test_the_gate_respects_the_goals_direction(way, minimum, value, met):
    assert reaches(way, minimum, value) is met


def test_the_years_value_is_its_latest_result_measured_in_that_year():
    points = [Point(MeasurementKind.PERIODIC, date(2027, 3, 1), D("2500")),
              Point(MeasurementKind.PERIODIC, date(2027, 12, 31), D("1900")),
              Point(MeasurementKind.BASELINE, date(2027, 12, 31), D("3000")),  # a baseline is no result
              Point(MeasurementKind.FINAL, date(2028, 1, 1), D("100"))]  # another year
    assert year_value(points, 2027).value == D("1900")
    assert year_value(points, 2026) is None


def test_savings_are_the_baseline_less_the_cost_when_the_gate_is_met():
    met = GateCheck("Verkeerde-beddagen", Direction.AT_MOST, D("2000"), D("1900"))
    result = year_savings(D("1200000.00"), D("998000.00"), [met])
    assert result.savings == D("202000.00") and result.gate_met and not result.failed


def test_a_failed_gate_or_no_measurement_means_no_savings_whatever_the_cost():
    failed = GateCheck("Verkeerde-beddagen", Direction.AT_MOST, D("2000"), D("2100"))
    unmeasured = GateCheck("Heropnames", Direction.AT_MOST, D("10"), None)
    result = year_savings(D("1200000.00"), D("998000.00"), [failed, unmeasured])
    assert result.savings == 0 and not result.gate_met and result.failed == (failed, unmeasured)


@pytest.mark.parametrize("cost", [D("1200000.00"), D("1300000.00")])
def test_no_savings_when_the_cost_is_not_below_the_baseline(cost):
    result = year_savings(D("1200000.00"), cost, [])
    assert result.savings == 0 and result.no_savings and result.gate_met
