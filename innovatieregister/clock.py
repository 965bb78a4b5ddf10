"""The one place the application reads the clock; the domain never does.

Everything that needs the time (views, services' column defaults, the session timeouts, the
jobs) calls `clock.now()` through this module, so the tests can freeze it in one place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from innovatieregister.domain.calendar import dutch_date


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the Netherlands (deadlines and peildatums are Dutch dates)."""
    return dutch_date(now())
