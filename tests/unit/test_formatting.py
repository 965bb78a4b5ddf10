"""How shown numbers round (as people round, half up), and money, counts and dates as babel says them."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.formatting import AMSTERDAM, LOCALE, datum, euro, number, percent


def test_percent_rounds_half_up():
    assert percent(Fraction(6125, 10000)) == "61,3%"
    assert percent(Fraction(6135, 10000)) == "61,4%"
    assert percent(Decimal("0.6125")) == "61,3%"
    assert percent(Fraction(1, 8), decimals=0) == "13%"  # 12,5 → 13
    assert percent(Fraction(-6125, 10000)) == "-61,3%"  # away from zero, symmetric


def test_percent_keeps_its_grouping_and_decimals():
    assert percent(Fraction(12345, 1)) == "1.234.500,0%"
    assert percent(Fraction(1, 3), decimals=2) == "33,33%"


# The direct formatting of money, counts and dates says exactly what babel says (babel is the oracle;
# the pages call these hundreds of times).
cents = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                    allow_infinity=False)


@given(st.one_of(cents, cents.map(lambda d: d.quantize(Decimal(1))), st.integers(-10**12, 10**12),
                 st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False)))
def test_euro_says_what_babel_says(amount):
    assert euro(amount) == format_currency(amount, "EUR", locale=LOCALE).replace("\xa0", " ")


def test_euro_of_a_negative_zero_and_sub_cents_still_goes_through_babel():
    for amount in (Decimal("-0.00"), Decimal("0.005"), Decimal("-12.345"), Decimal("1E+3")):
        assert euro(amount) == format_currency(amount, "EUR", locale=LOCALE).replace("\xa0", " ")


@given(st.integers(-10**15, 10**15))
def test_number_says_what_babel_says(value):
    assert number(value) == format_decimal(value, locale=LOCALE)


@given(st.dates(min_value=date(1, 1, 1)))
def test_a_date_says_what_babel_says(value):
    assert datum(value) == format_date(value, "d MMMM yyyy", locale=LOCALE)


@given(st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)),
       st.sampled_from([UTC, timezone(timedelta(hours=-5)), AMSTERDAM]))
def test_a_moment_says_what_babel_says_in_amsterdam(value, zone):
    value = value.astimezone(zone)
    assert datum(value) == format_datetime(value.astimezone(AMSTERDAM), "d MMMM yyyy HH:mm", locale=LOCALE)
    assert datum(value.date(), "d MMM") == format_date(value.date(), "d MMM", locale=LOCALE)
