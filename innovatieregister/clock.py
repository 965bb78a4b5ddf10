"""The one place the web layer and the jobs read the clock; the domain never does."""

from __future__ import annotations

from datetime import UTC, date, datetime

from innovatieregister.domain.calendar import dutch_date


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the Netherlands (deadlines and peildatums are Dutch dates)."""
    return dutch_date(now())
