"""Progress of a goal from its baseline towards its target (domain/progress.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.domain.progress import Point, ProgressStatus, progress

B, P, F = MeasurementKind.BASELINE, MeasurementKind.PERIODIC, MeasurementKind.FINAL


def pts(*rows):
    return [Point(kind, date(2026, month, 1), Decimal(value)) for kind, month, value in rows]


@pytest.mark.parametrize(("points", "baseline", "target", "status", "fraction"), [
    # Rising: from 10 to 20, measured 15 → half-way.
    (pts((P, 3, "15")), "10", "20", ProgressStatus.MEASURED, Fraction(1, 2)),
    # Falling (wrong-bed days 2.9 → 1.5): 2.2 is half the way down.
    (pts((P, 3, "2.2")), "2.9", "1.5", ProgressStatus.MEASURED, Fraction(1, 2)),
    # A measured baseline replaces the registered value; the latest baseline counts.
    (pts((B, 1, "4"), (B, 2, "3"), (P, 3, "2.25")), "2.9", "1.5", ProgressStatus.MEASURED, Fraction(1, 2)),
    # The latest periodic or final measurement counts, by date, not by the order entered.
    (pts((F, 6, "1.5"), (P, 3, "2.9")), "2.9", "1.5", ProgressStatus.MEASURED, Fraction(1)),
    # Past the target: the real fraction (the bar is capped).
    (pts((P, 3, "1.0")), "2.9", "1.5", ProgressStatus.MEASURED, Fraction(19, 14)),
    # Moving away: negative.
    (pts((P, 3, "3.6")), "2.9", "1.5", ProgressStatus.MEASURED, Fraction(-1, 2)),
    ([], "2.9", "1.5", ProgressStatus.NO_MEASUREMENT, None),
    (pts((B, 1, "3")), None, "1.5", ProgressStatus.NO_MEASUREMENT, None),
    (pts((P, 3, "2")), None, "1.5", ProgressStatus.NO_BASELINE, None),
    (pts((P, 3, "2")), "2.9", None, ProgressStatus.NO_TARGET, None),
    (pts((P, 3, "2")), "1.5", "1.5", ProgressStatus.NO_DISTANCE, None),
    (pts((B, 1, "1.5"), (P, 3, "2")), "2.9", "1.5", ProgressStatus.NO_DISTANCE, None),
])
def test_progress_table(points, baseline, target, status, fraction):
    result = progress(points, Decimal(baseline) if baseline else None, Decimal(target) if target else None)
    assert result.status == status
    assert result.fraction == fraction


def test_the_bar_is_capped_but_the_fraction_is_not():
    past = progress(pts((P, 3, "1.0")), Decimal("2.9"), Decimal("1.5"))
    assert past.bar == 1 and past.fraction > 1 and past.past_target
    away = progress(pts((P, 3, "3.6")), Decimal("2.9"), Decimal("1.5"))
    assert away.bar == 0 and away.moving_away


def test_of_one_date_the_last_entered_counts():
    same_day = [Point(P, date(2026, 3, 1), Decimal("12")), Point(P, date(2026, 3, 1), Decimal("15"))]
    assert progress(same_day, Decimal("10"), Decimal("20")).fraction == Fraction(1, 2)


values = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)


@given(baseline=values, target=values, measured=values)
def test_progress_is_the_share_of_the_way_whichever_direction(baseline, target, measured):
    result = progress([Point(P, date(2026, 3, 1), measured)], baseline, target)
    if baseline == target:
        assert result.status == ProgressStatus.NO_DISTANCE and result.fraction is None
        return
    # Going back from the target by (1 - fraction) of the way lands on the measured value.
    assert Fraction(baseline) + result.fraction * (Fraction(target) - Fraction(baseline)) == Fraction(measured)
    assert (measured == target) == (result.fraction == 1)
    assert (measured == baseline) == (result.fraction == 0)
    assert 0 <= result.bar <= 1
    # Mirroring the axis (a decreasing goal of the same size) gives the same progress.
    mirrored = progress([Point(P, date(2026, 3, 1), -measured)], -baseline, -target)
    assert mirrored.fraction == result.fraction
