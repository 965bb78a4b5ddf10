"""Lead insurers: top two, plus the third when the top two hold less than 50%."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.leads import lead_insurers


@pytest.mark.parametrize(
    ("insured", "leads"),
    [
        # The two largest together hold 80%: they lead.
        ({"A": 50, "B": 30, "C": 20}, ["A", "B"]),
        # The two largest hold 45% (< 50%): the third joins.
        ({"A": 30, "B": 15, "C": 14, "D": 14, "E": 14, "F": 13}, ["A", "B", "C"]),
        # Exactly 50% is not "less than 50%": two leads.
        ({"A": 25, "B": 25, "C": 25, "D": 25}, ["A", "B"]),
        # One insured more in the region and the top two hold just under 50%: three.
        ({"A": 2500, "B": 2500, "C": 2500, "D": 2500, "E": 1}, ["A", "B", "C"]),
        # A tie for second place goes to the smaller key.
        ({"A": 40, "C": 30, "B": 30}, ["A", "B"]),
        # National figures 2022 (NZa/Vektis): Achmea 29.3% + VGZ 23.6% = 52.9%.
        ({"Achmea": 5128015, "VGZ": 4119539, "CZ": 3621854, "Menzis": 2017530, "DSW": 756310},
         ["Achmea", "VGZ"]),
        # Insurers without insured never lead, even when fewer than two have any.
        ({"A": 10, "B": 0, "C": 0}, ["A"]),
        ({"A": 1}, ["A"]),
        # With a third lead there is no fourth, however fragmented the market.
        ({k: 10 for k in "ABCDEFGHIJ"}, ["A", "B", "C"]),
    ],
)
def test_lead_insurers(insured, leads):
    assert lead_insurers(insured) == leads


@pytest.mark.parametrize(
    "insured",
    [{}, {"A": 0, "B": 0}, {"A": -1, "B": 5}, {"A": 1.5, "B": 3}, {"A": True, "B": 3}, {"A": "7"}],
    ids=["empty", "all-zero", "negative", "float", "bool", "text"],
)
def test_bad_counts_raise_value_error(insured):
    with pytest.raises(ValueError):
        lead_insurers(insured)


counts = st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 10**7), min_size=1, max_size=15)


@given(counts.filter(lambda d: sum(d.values()) > 0), st.randoms())
def test_leads_are_the_largest_and_do_not_depend_on_order(insured, rnd):
    leads = lead_insurers(insured)
    items = list(insured.items())
    rnd.shuffle(items)
    assert lead_insurers(dict(items)) == leads

    positive = [k for k, v in insured.items() if v > 0]
    total = sum(insured.values())
    assert 1 <= len(leads) <= 3 and len(leads) == len(set(leads))
    assert all(insured[k] > 0 for k in leads)
    # Nobody outside the leads has more insured than the smallest lead.
    assert all(insured[k] <= insured[leads[-1]] for k in insured if k not in leads)
    counts_in_order = [insured[k] for k in leads]
    assert counts_in_order == sorted(counts_in_order, reverse=True)
    top_two = sum(sorted(insured.values(), reverse=True)[:2])
    expected = min(len(positive), 3 if 2 * top_two < total else 2)
    assert len(leads) == expected


def test_leads_of_a_thousand_shuffles_are_the_same():
    insured = {f"V{i:02d}": (i * 7919) % 1000 for i in range(40)}
    expected = lead_insurers(insured)
    rnd = random.Random(4)
    for _ in range(1000):
        items = list(insured.items())
        rnd.shuffle(items)
        assert lead_insurers(dict(items)) == expected
