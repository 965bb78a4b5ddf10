"""Co-funded fair shares (issue 11): the insurers split the budget less the confirmed co-funding;
committed, gap and coverage are over the whole budget."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.allocation import InsurerState, co_funded, percentage

D = Decimal
F, U, X = InsurerState.FOLLOWS, InsurerState.UNDECIDED, InsurerState.DECLINES


def test_the_observation_beds_with_a_municipality():
    # € 1.055.550,80 less € 100.000 of Enschede: € 955.550,80 over 1:3 (A follows, B declines).
    result = co_funded(D("1055550.80"), [("Enschede", D("100000"))], {"A": 1, "B": 3}, {"A": F, "B": X})
    assert result.co_funding == D("100000.00")
    assert result.insurers.total == D("955550.80")
    assert {s.insurer: s.amount for s in result.shares} == {"A": D("238887.70"), "B": D("716663.10")}
    assert result.committed == D("338887.70")  # the municipality and A
    assert result.gap == D("716663.10")
    assert result.committed + result.gap == result.total == D("1055550.80")
    assert result.coverage == Fraction(33888770, 105555080)
    assert not result.fully_funded


def test_co_funding_of_the_whole_budget_leaves_nothing_for_the_insurers():
    result = co_funded(D("500.00"), [("G", D("200.00")), ("Z", D("300.00"))], {"A": 1, "B": 1}, {})
    assert [s.amount for s in result.shares] == [D("0.00"), D("0.00")]
    assert result.gap == D("0.00") and result.fully_funded and result.coverage == 1


def test_without_co_funding_it_is_the_plain_funding():
    result = co_funded(D("100.00"), [], {"A": 1, "B": 2}, {"B": F})
    assert result.insurers.total == result.total == D("100.00")
    assert result.committed == D("66.67") and result.gap == D("33.33")


@pytest.mark.parametrize("pledges", [[("G", D("100.01"))], [("G", D("60")), ("Z", D("40.01"))],
                                     [("G", D("-1"))], [("G", D("0.001"))]])
def test_refused_co_funding(pledges):
    with pytest.raises(ValueError):
        co_funded(D("100.00"), pledges, {"A": 1}, {})


@given(
    budget=st.integers(min_value=0, max_value=10**12),
    pledge_parts=st.lists(st.integers(min_value=0, max_value=1000), max_size=4),
    weights=st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=10).filter(any),
    states=st.lists(st.sampled_from([F, U, X]), min_size=10, max_size=10),
)
def test_parts_add_up_to_the_whole_budget(budget, pledge_parts, weights, states):
    # Pledges together at most the budget: each a share of it, in whole cents.
    scale = max(sum(pledge_parts), 1000)
    pledges = [(f"C{i}", D(budget * p // scale).scaleb(-2)) for i, p in enumerate(pledge_parts)]
    keys = {f"I{i}": w for i, w in enumerate(weights)}
    decisions = {k: states[i] for i, k in enumerate(keys)}
    result = co_funded(D(budget).scaleb(-2), pledges, keys, decisions)
    co_cents = sum(int(a.scaleb(2)) for _, a in pledges)
    insurers_cents = budget - co_cents
    assert sum(s.amount for s in result.shares) == D(insurers_cents).scaleb(-2)
    assert result.co_funding + result.insurers.total == result.total
    assert result.committed + result.gap == result.total
    weight_sum = sum(weights)
    for share in result.shares:  # each insurer within a cent of its exact part of the insurers' part
        exact = Fraction(insurers_cents * keys[share.insurer], weight_sum)
        assert abs(Fraction(int(share.amount.scaleb(2))) - exact) < 1
    followed = sum((s.amount for s in result.shares if s.state == F), D("0.00"))
    assert result.committed == result.co_funding + followed
    if budget:
        assert result.coverage == Fraction(int(result.committed.scaleb(2)), budget)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (1, 3, "33.3333"), (2, 3, "66.6667"), (1, 8, "12.5000"), (1, 200_000_000, "0.0000"),
    (1, 20_000_000, "0.0000"), (1, 2_000_000, "0.0001"),  # half up: 0.00005 → 0.0001
    (0, 5, "0.0000"), (5, 5, "100.0000"), (3, 0, "0.0000"),
])
def test_a_market_share_as_a_percentage_for_the_export(part, whole, expected):
    assert percentage(part, whole) == D(expected)
