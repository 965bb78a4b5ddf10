"""Deadlines in Dutch working days, checked against real calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.calendar import (
    add_working_days,
    is_working_day,
    public_holiday_name,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        # King's Day 2026 is Monday 27 April.
        (date(2026, 4, 24), 1, date(2026, 4, 28)),
        # King's Day 2025 fell on Saturday 26 April (27 April was a Sunday): Friday 25 works.
        (date(2025, 4, 24), 1, date(2025, 4, 25)),
        # Liberation Day is a holiday in lustrum years (Monday 5 May 2025), not in 2026.
        (date(2025, 5, 2), 1, date(2025, 5, 6)),
        (date(2026, 5, 4), 1, date(2026, 5, 5)),
        # Ascension Day Thursday 14 May 2026, Whit Monday 25 May 2026.
        (date(2026, 5, 13), 1, date(2026, 5, 15)),
        (date(2026, 5, 22), 1, date(2026, 5, 26)),
        # Christmas 2026 (Friday 25, Saturday 26) and New Year 2027 (Friday 1 January).
        (date(2026, 12, 24), 1, date(2026, 12, 28)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # The default decision deadline, 20 working days, from Monday 23 November 2026.
        (date(2026, 11, 23), 20, date(2026, 12, 21)),
        # Ten working days across Christmas.
        (date(2026, 12, 14), 10, date(2026, 12, 29)),
        # Starting on a weekend: the first working day after it.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        # Zero days: the start itself.
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
        # Backwards: five working days before Tuesday 29 December 2026 (a reminder).
        (date(2026, 12, 29), -5, date(2026, 12, 21)),
    ],
)
def test_add_working_days(start, n, due):
    assert add_working_days(start, n) == due
    if is_working_day(due) and n != 0:
        assert working_days_between(start, due) == n


def test_holidays_come_from_the_maintained_package():
    assert public_holiday_name(date(2026, 4, 27)) is not None  # King's Day
    assert public_holiday_name(date(2026, 12, 25)) is not None
    assert public_holiday_name(date(2026, 11, 23)) is None
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert is_working_day(date(2026, 11, 23))


@pytest.mark.parametrize(
    ("a", "b", "days"),
    [
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 23), date(2026, 11, 30), 5),
        # 21–24 Dec, 28–31 Dec and 4–8 Jan: Christmas Day and New Year's Day fall on Fridays.
        (date(2026, 12, 18), date(2027, 1, 8), 13),
        # 2026 has 261 weekdays; 7 holidays fall on one (1 Jan, Good Friday, Easter Monday,
        # King's Day, Ascension, Whit Monday, Christmas Day).
        (date(2026, 1, 1), date(2026, 12, 31), 254),
        (date(2026, 11, 30), date(2026, 11, 23), -5),
    ],
)
def test_working_days_between(a, b, days):
    assert working_days_between(a, b) == days


dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(dates, st.integers(-400, 400))
def test_working_days_between_inverts_add_working_days(start, n):
    due = add_working_days(start, n)
    if n == 0:
        assert due == start
        return
    assert is_working_day(due)
    assert (due > start) == (n > 0)
    # Counting runs from the day after the earlier date up to and including the later
    # one, so going backwards the start itself counts only when it is a working day.
    if n > 0 or is_working_day(start):
        assert working_days_between(start, due) == n


@given(dates, st.integers(0, 800))
def test_working_days_between_counts_day_by_day(a, span):
    b = a + timedelta(days=span)
    by_hand = sum(1 for i in range(1, span + 1) if is_working_day(a + timedelta(days=i)))
    assert working_days_between(a, b) == by_hand
    assert working_days_between(b, a) == -by_hand
