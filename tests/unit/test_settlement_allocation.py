"""The settlement (nacalculatie) to the cent: co-funding counted in full or pro rata, the rest
allocated over every insurer of the key by insured or by use, balances against the advances."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.allocation import (
    InsurerState,
    Pledge,
    counted_co_funding,
    funding,
    pro_rata,
    settle,
)

D = Decimal
cents = st.integers(0, 10**11)


def euros(c: int) -> Decimal:
    return D(c).scaleb(-2)


def within_a_cent(amount: Decimal, exact: Fraction) -> bool:
    return abs(Fraction(int(amount.scaleb(2)), 100) - exact) < Fraction(1, 100)


def test_pro_rata_counts_the_share_of_the_actual_cost_and_never_more_than_the_pledge():
    # 100.000 pledged, 80 % of the budget spent: 80.000 counts.
    assert pro_rata(D("100000.00"), D("800000.00"), D("1000000.00")) == D("80000.00")
    # A third: 33.333,333… rounds to the nearest cent.
    assert pro_rata(D("100000.00"), D("1.00"), D("3.00")) == D("33333.33")
    assert pro_rata(D("0.02"), D("2.00"), D("3.00")) == D("0.01")  # 0.0133… → 0.01
    # An overrun does not raise the pledge.
    assert pro_rata(D("100000.00"), D("2000000.00"), D("1000000.00")) == D("100000.00")


def test_co_funding_above_the_actual_cost_pays_the_actual_cost_and_no_more():
    counted = counted_co_funding({"gem": Pledge(D("300.00")), "zk": Pledge(D("100.00"))}, D("200.00"), D("1000.00"))
    assert counted == {"gem": D("150.00"), "zk": D("50.00")}
    result = settle(D("200.00"), D("1000.00"), {"gem": Pledge(D("300.00")), "zk": Pledge(D("100.00"))},
                    {"A": 1, "B": 1}, {"A": InsurerState.FOLLOWS, "B": InsurerState.FOLLOWS})
    assert result.allocated == D("0.00")
    # Each funder gets its whole advance back: (1000 − 400) / 2.
    assert [(line.allocated, line.advance, line.balance) for line in result.lines] == [
        (D("0.00"), D("300.00"), D("-300.00"))] * 2


def test_the_observation_beds_settled_on_market_share_with_a_pro_rata_pledge():
    # Budget 1.000.000, actual 998.000; the municipality pledged 100.000 pro rata (99.800 counts).
    result = settle(D("998000.00"), D("1000000.00"), {"GEM": Pledge(D("100000.00"), pro_rata=True)},
                    {"MENZIS": 5, "VGZ": 3, "DSW": 2},
                    {"MENZIS": InsurerState.FOLLOWS, "VGZ": InsurerState.FOLLOWS, "DSW": InsurerState.DECLINES})
    assert result.co_funding == {"GEM": D("99800.00")}
    assert result.allocated == D("898200.00")
    lines = {line.insurer: line for line in result.lines}
    # Advances: (1.000.000 − 100.000) × 5/10, 3/10; DSW declined, so no advance and no balance.
    assert (lines["MENZIS"].allocated, lines["MENZIS"].advance, lines["MENZIS"].balance) == (
        D("449100.00"), D("450000.00"), D("-900.00"))
    assert (lines["VGZ"].allocated, lines["VGZ"].advance, lines["VGZ"].balance) == (
        D("269460.00"), D("270000.00"), D("-540.00"))
    assert (lines["DSW"].funds, lines["DSW"].advance, lines["DSW"].balance) == (False, D("0.00"), D("0.00"))
    assert result.uncovered == lines["DSW"].allocated == D("179640.00")


def test_actual_use_allocates_by_units_and_an_insurer_without_use_gets_nothing():
    result = settle(D("1000.00"), D("1000.00"), {}, {"A": 1, "B": 1, "C": 2},
                    {"A": "follows", "B": "follows", "C": "follows"}, units={"A": 3, "B": 1})
    lines = {line.insurer: line for line in result.lines}
    assert {k: line.allocated for k, line in lines.items()} == {"A": D("750.00"), "B": D("250.00"), "C": D("0.00")}
    assert lines["C"].balance == D("0.00") - lines["C"].advance == D("-500.00")
    assert lines["C"].units == 0


def test_refuses_use_outside_the_key_and_cost_without_any_use():
    with pytest.raises(ValueError, match="buiten de verdeelsleutel"):
        settle(D("1.00"), D("1.00"), {}, {"A": 1}, {}, units={"X": 1})
    with pytest.raises(ValueError, match="geen gebruik"):
        settle(D("1.00"), D("1.00"), {}, {"A": 1}, {}, units={"A": 0})
    # Nothing to allocate and no use: every part is 0.
    assert settle(D("0.00"), D("1.00"), {}, {"A": 1}, {}, units={}).lines[0].allocated == D("0.00")


pledges_strategy = st.dictionaries(st.sampled_from(["GEM", "ZK", "PROV"]),
                                   st.tuples(st.integers(1, 10**9), st.booleans()), max_size=3)
weights_strategy = st.dictionaries(st.sampled_from([f"I{n}" for n in range(12)]), st.integers(0, 10**6),
                                   min_size=1, max_size=12).filter(lambda w: sum(w.values()) > 0)


@given(cents, cents, pledges_strategy, weights_strategy, st.data())
def test_settlement_properties(actual_c, budget_c, raw_pledges, insured, data):
    pledges = {k: Pledge(euros(c), pr) for k, (c, pr) in raw_pledges.items()}
    states = {k: data.draw(st.sampled_from(list(InsurerState))) for k in insured}
    use_units = data.draw(st.none() | st.fixed_dictionaries({k: st.integers(0, 10**5) for k in insured}))
    if use_units is not None and not sum(use_units.values()):
        use_units[next(iter(insured))] = 1
    result = settle(euros(actual_c), euros(budget_c), pledges, insured, states, units=use_units)
    # Co-funding: each pledge in full or within a cent of pledge × actual / budget, never above the
    # pledge, and all together never above the actual cost.
    assert result.co_funding_total <= euros(actual_c)
    for key, counted in result.co_funding.items():
        assert counted <= pledges[key].amount
        if pledges[key].pro_rata and budget_c and sum(c for c, _ in raw_pledges.values()) <= actual_c:
            assert within_a_cent(counted, Fraction(raw_pledges[key][0] * min(actual_c, budget_c), budget_c * 100))
    # The insurers' parts add up exactly to actual cost − co-funding, each within a cent of exact.
    assert result.allocated == euros(actual_c) - result.co_funding_total >= 0
    assert sum((line.allocated for line in result.lines), D("0.00")) == result.allocated
    weights = use_units if use_units is not None else insured
    total_weight = sum(weights.values())
    for line in result.lines:
        exact = Fraction(int(result.allocated.scaleb(2)) * weights[line.insurer], total_weight * 100)
        assert within_a_cent(line.allocated, exact)
    # Advances are the shares at opening of the budget less the pledges; balance = allocated − advance.
    at_opening = max(budget_c - sum(c for c, _ in raw_pledges.values()), 0)
    shares = {s.insurer: s.amount for s in funding(euros(at_opening), insured, states).shares}
    for line in result.lines:
        assert line.funds == (states[line.insurer] == InsurerState.FOLLOWS)
        assert line.advance == (shares[line.insurer] if line.funds else D("0.00"))
        assert line.balance == (line.allocated - line.advance if line.funds else D("0.00"))
    # Non-funders' parts are uncovered, never moved to the funders.
    assert result.uncovered == sum((line.allocated for line in result.lines if not line.funds), D("0.00"))
