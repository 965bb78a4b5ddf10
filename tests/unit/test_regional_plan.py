"""Which plan version a decision refers to, and a theme's period (domain/regional_plan.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from innovatieregister.domain.regional_plan import YEAR_MAX, YEAR_MIN, period_problem, version_in_force

T1, T2, T3 = (datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 6, 1, 9, tzinfo=UTC),
              datetime(2026, 9, 1, 9, tzinfo=UTC))


@pytest.mark.parametrize(("versions", "at", "expected"), [
    ([], T2, None),  # no plan yet
    ([(1, T2)], T1, None),  # decided before the first version
    ([(1, T1)], T1, 1),  # saved at the same moment: it stood
    ([(1, T1), (2, T3)], T2, 1),  # a later version does not rewrite what a decision referred to
    ([(2, T2), (1, T1), (3, T3)], T3, 3),  # order of the rows does not matter
    ([(1, T1), (2, T2)], datetime(2030, 1, 1, tzinfo=UTC), 2),
])
def test_a_decision_refers_to_the_version_that_stood_when_it_was_made(versions, at, expected):
    assert version_in_force(versions, at) == expected


@pytest.mark.parametrize(("start", "end", "problem"), [
    (2023, 2026, None),
    (2024, 2024, None),  # one year is a period too
    (2026, 2023, "eindjaar"),
    (None, 2026, "periode"),
    (2023, None, "periode"),
    (YEAR_MIN - 1, 2026, str(YEAR_MIN)),
    (2023, YEAR_MAX + 1, str(YEAR_MAX)),
])
def test_a_theme_runs_over_years_in_order(start, end, problem):
    found = period_problem(start, end)
    if problem is None:
        assert found is None
    else:
        message, values = found  # the Dutch msgid and its values, translated where shown
        assert problem in (message % values).lower()
