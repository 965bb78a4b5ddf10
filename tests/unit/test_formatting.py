"""How shown numbers round: as people round, half up."""

from decimal import Decimal
from fractions import Fraction

from innovatieregister.formatting import percent


def test_percent_rounds_half_up():
    assert percent(Fraction(6125, 10000)) == "61,3%"
    assert percent(Fraction(6135, 10000)) == "61,4%"
    assert percent(Decimal("0.6125")) == "61,3%"
    assert percent(Fraction(1, 8), decimals=0) == "13%"  # 12,5 → 13
    assert percent(Fraction(-6125, 10000)) == "-61,3%"  # away from zero, symmetric


def test_percent_keeps_its_grouping_and_decimals():
    assert percent(Fraction(12345, 1)) == "1.234.500,0%"
    assert percent(Fraction(1, 3), decimals=2) == "33,33%"
