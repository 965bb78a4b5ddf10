"""The one clock of the test suite.

Every test runs at the same frozen moment, whatever the real date or the machine's speed:
`innovatieregister.clock.now` is patched by the autouse `frozen_clock` fixture (tests/conftest.py),
and the scenario constants (`flows.TODAY`) and every test's `now` derive from `START`.

The moment is chosen to catch mistakes:
- 23:30 UTC on Sunday 6 December 2026 is already 00:30 on Monday 7 December in Amsterdam, so code
  that takes the UTC date where the Dutch date is meant is a day off and fails;
- a deadline of 20 Dutch working days from then crosses Christmas, Boxing Day and New Year's Day,
  so deadline arithmetic that ignores holidays fails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from innovatieregister.domain.calendar import dutch_date

START = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
TODAY: date = dutch_date(START)  # Monday 7 December 2026


class FrozenClock:
    """Stands still until a test moves it."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return dutch_date(self._now)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("naive datetime; pass an aware UTC datetime")
        self._now = moment
