"""Deadlines in Dutch working days.

Deadlines are counted in working days (a design choice: the policy names none); weekends
and Dutch national public holidays do not count. The holidays come from the maintained `holidays` package
(its Netherlands calendar: New Year, Good Friday, Easter, King's Day, Liberation Day in
lustrum years, Ascension, Whitsun, Christmas), never from a hand-made list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

_ONE_DAY = timedelta(days=1)
_AMSTERDAM = ZoneInfo("Europe/Amsterdam")


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def written(day: date) -> str:
    """A date as every page, notification and message writes it: 8 december 2026 (one style
    everywhere; dd-mm-jjjj only in form fields, see limits.date_input)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year:04d}"


def dutch_date(moment: datetime) -> date:
    """The calendar date in the Netherlands at this moment (deadlines are Dutch dates)."""
    return moment.astimezone(_AMSTERDAM).date()


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def public_holiday_name(day: date) -> str | None:
    """The holiday's name when `day` is a Dutch national public holiday."""
    return holidays.country_holidays("NL", years=day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (before it, for negative `n`).

    `start` itself is not counted, so a request sent on a Friday with n=1 is due on
    Monday (or Tuesday after Easter Monday). n=0 returns `start` unchanged.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day = start
    for _ in range(abs(n)):
        day += step
        while not is_working_day(day):
            day += step
    return day


def working_days_between(a: date, b: date) -> int:
    """The number of working days after `a` up to and including `b` (negative if b < a).

    The inverse of add_working_days: working_days_between(d, add_working_days(d, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    # Whole weeks hold exactly five weekdays; count holidays in them separately.
    weeks, rest = divmod((b - a).days, 7)
    if weeks:
        end_of_weeks = a + timedelta(weeks=weeks)
        count += 5 * weeks - sum(
            1
            for year in range(a.year, end_of_weeks.year + 1)
            for h in _public_holidays(year)
            if a < h <= end_of_weeks and h.weekday() < 5
        )
        day = end_of_weeks
    for _ in range(rest):
        day += _ONE_DAY
        if is_working_day(day):
            count += 1
    return count
