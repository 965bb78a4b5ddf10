"""Regional agreements (issue 12): which version of a region's plan a decision refers to, and the
period of a multi-year theme. Pure rules: no Flask, no database, no clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from innovatieregister.domain.text import N_
from innovatieregister.limits import DATE_MAX, DATE_MIN

YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year


def version_in_force(versions: Iterable[tuple[int, datetime]], at: datetime) -> int | None:
    """The plan version that stood at `at`: the highest version saved at or before that moment.

    A decline on "no fit with the regional plan" refers to the plan as it was when it was
    decided, not to a later version (002: multi-year regional agreements are versioned)."""
    standing = [number for number, saved_at in versions if saved_at <= at]
    return max(standing) if standing else None


def period_problem(start_year: int | None, end_year: int | None) -> tuple[str, dict[str, int]] | None:
    """What is wrong with a theme's period (from year, to year), or None: the message (Dutch, to be
    translated where it is shown) and its values. Regional agreements are multi-year: a period of
    one year is allowed, a reversed one is not."""
    if start_year is None or end_year is None:
        return N_("Vul de periode in: van jaar en tot en met jaar."), {}
    for year in (start_year, end_year):
        if not YEAR_MIN <= year <= YEAR_MAX:
            return N_("Een jaar van de periode ligt tussen %(low)s en %(high)s."), {"low": YEAR_MIN, "high": YEAR_MAX}
    if end_year < start_year:
        return N_("Het eindjaar ligt niet voor het beginjaar."), {}
    return None
