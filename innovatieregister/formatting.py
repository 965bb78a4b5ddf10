"""How numbers, money and dates look on screen: Dutch, in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from flask import Flask
from markupsafe import Markup

from innovatieregister import labels
from innovatieregister.domain import funding, workflow
from innovatieregister.domain.calendar import written
from innovatieregister.i18n import language
from innovatieregister.models.api_token import TokenState
from innovatieregister.models.decision import IMPACT_UNITS

LOCALE = "nl_NL"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Babel's text for the common cases, written directly: babel takes ~0.1 ms a call and a list page
# makes hundreds. Anything else goes through babel; tests/unit/test_formatting.py holds the two equal.
DATE_FORMAT = "d MMMM yyyy"
_DUTCH_SEPARATORS = str.maketrans(",.", ".,")


def euro(amount: Decimal | None) -> str:
    """€ 1.055.550,80"""
    if amount is None:
        return ""
    if isinstance(amount, int) and not isinstance(amount, bool):
        amount = Decimal(amount)
    # A finite Decimal's exponent is an int (NaN's and Infinity's are letters).
    if isinstance(amount, Decimal) and isinstance(exponent := amount.as_tuple().exponent, int) and exponent >= -2 and (
            amount or not amount.is_signed()):  # whole cents already, and no "-0"
        return f"€ {'-' if amount < 0 else ''}{abs(amount):,.2f}".translate(_DUTCH_SEPARATORS)
    return format_currency(amount, "EUR", locale=LOCALE).replace("\xa0", " ")


def amount(value: Decimal | None) -> str:
    """1.055.550,80: an amount as a form field holds it for editing (services.initiatives.parse_amount
    reads it back)."""
    return "" if value is None else euro(value).replace("€ ", "", 1)


def number(value: int | None) -> str:
    """1.234.567"""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return format_decimal(value, locale=LOCALE)


def percent(fraction: Fraction | float | None, decimals: int = 1) -> str:
    """A share as a percentage for display only; computations keep the exact fraction."""
    if fraction is None:
        return ""
    value = Decimal(fraction.numerator) / Decimal(fraction.denominator) * 100 \
        if isinstance(fraction, Fraction) else Decimal(str(fraction)) * 100
    # Half up, as people round (61,25 → 61,3); babel alone would round half to even.
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE) + "%"


def datum(value: date | datetime | None, fmt: str = DATE_FORMAT, time: bool = True) -> str:
    """23 november 2026; datetimes are shown in Europe/Amsterdam, with the time unless `time=False`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM)
        if not time:
            return datum(value.date(), fmt)
        if fmt == DATE_FORMAT and language() == "nl":
            return f"{written(value.date())} {value.hour:02d}:{value.minute:02d}"
        return format_datetime(value, fmt + " HH:mm", locale=LOCALE if language() == "nl" else language())
    if language() != "nl":
        return format_date(value, fmt, locale=language())
    if fmt == DATE_FORMAT:
        return written(value)
    return format_date(value, fmt, locale=LOCALE)


def svg_width(fraction: Fraction, total_width: int = 600) -> str:
    """A bar length in SVG user units for a share (drawing only; figures come from Decimal)."""
    return f"{(Decimal(fraction.numerator) * total_width / Decimal(fraction.denominator)):.2f}"


def days(value: Fraction | None) -> str:
    """A number of days that may be a half (a median), with a decimal comma: 4 or 4,5."""
    if value is None:
        return "—"
    return str(value.numerator // value.denominator) if value.denominator == 1 else format_decimal(
        Decimal(value.numerator) / Decimal(value.denominator), format="#,##0.#", locale="nl_NL")


def fraction_of(part: Decimal, whole: Decimal) -> Fraction:
    return Fraction(0) if not whole else Fraction(part) / Fraction(whole)


def quantity(value: Decimal | None, grouped: bool = True) -> str:
    """A measured value, Dutch: 1.234,5 (at most four decimals, no trailing zeros). Ungrouped
    (1234,5) where a person may type it back: a lone dot would read as a decimal point."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.####" if grouped else "0.####", locale=LOCALE)


# The state enums and their named sets as templates see them (`i.status == states.Initiative.CONCEPT`,
# `r.state in states.LIVE_REQUEST_STATES`): one definition, in the domain, never a string.
STATES = SimpleNamespace(
    Initiative=workflow.InitiativeState, Request=workflow.FollowRequestState, Mediation=workflow.MediationState,
    Pledge=funding.PledgeState, Settlement=funding.SettlementState, UseReport=funding.UseReportState,
    Token=TokenState,
    LIVE_REQUEST_STATES=workflow.LIVE_REQUEST_STATES, LIVE_MEDIATION_STATES=workflow.LIVE_MEDIATION_STATES,
    FUNDED_STATES=workflow.FUNDED_STATES, LIVE_PLEDGE_STATES=funding.LIVE_PLEDGE_STATES,
    CONTESTABLE_SETTLEMENT_STATES=funding.CONTESTABLE_SETTLEMENT_STATES,
)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(euro=euro, number=number, percent=percent, datum=datum,
                                 label=labels.label, svg_width=svg_width, days=days, quantity=quantity)
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.globals["current_language"] = language
    app.jinja_env.globals["fraction_of"] = fraction_of
    app.jinja_env.globals["impact_units"] = IMPACT_UNITS
    app.jinja_env.globals["states"] = STATES
    app.jinja_env.globals["illustrative_badge"] = lambda: Markup(
        '<strong class="badge badge-illustrative">illustratief</strong>'
    )
