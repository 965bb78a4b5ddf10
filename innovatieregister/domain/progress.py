"""Progress of a SMART goal: how far the measured value has come from the baseline towards
the target (issue 10; source 003_80f9d5aad3919ca4.txt ~205–285: a baseline measurement,
periodic measurements and a final measurement against the goal).

progress = (latest − baseline) / (target − baseline)

- baseline: the latest baseline measurement (nulmeting), else the value the goal was registered with;
- latest: the latest periodic or final measurement (by date; of one date, the last entered);
- it works both ways: from 2.9 towards 1.5 (a decrease) is as much "the way" as from 10 to 20.

The fraction is reported as it is (below 0: moving away; above 1: past the target); only the
bar is capped to 0..1. When it cannot be computed the status says why, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.domain.text import N_


class ProgressStatus(StrEnum):
    MEASURED = "measured"
    NO_TARGET = "no_target"  # the goal has no numeric target value
    NO_BASELINE = "no_baseline"  # no baseline measurement and no baseline value
    NO_MEASUREMENT = "no_measurement"  # nothing measured since the baseline yet
    NO_DISTANCE = "no_distance"  # baseline equals target: there is no way to go


STATUS_LABELS = Labels({
    ProgressStatus.NO_TARGET: N_("Geen streefwaarde als getal: voortgang niet te berekenen."),
    ProgressStatus.NO_BASELINE: N_("Geen nulmeting: voortgang niet te berekenen."),
    ProgressStatus.NO_MEASUREMENT: N_("Nog geen periodieke meting of eindmeting."),
    ProgressStatus.NO_DISTANCE: N_("De nulmeting is gelijk aan de streefwaarde: er is geen afstand te overbruggen."),
})


@dataclass(frozen=True)
class Point:
    """One measurement of a goal, as the arithmetic needs it."""

    kind: MeasurementKind
    measured_on: date
    value: Decimal


@dataclass(frozen=True)
class Progress:
    status: ProgressStatus
    baseline: Decimal | None
    target: Decimal | None
    latest: Point | None
    fraction: Fraction | None = None  # the real fraction of the way; None unless MEASURED

    @property
    def bar(self) -> Fraction | None:
        """The fraction for a bar: capped to 0..1 (the text states the real one)."""
        if self.fraction is None:
            return None
        return min(Fraction(1), max(Fraction(0), self.fraction))

    @property
    def past_target(self) -> bool:
        return self.fraction is not None and self.fraction > 1

    @property
    def moving_away(self) -> bool:
        return self.fraction is not None and self.fraction < 0


def _latest(points: Iterable[Point], kinds: set[MeasurementKind]) -> Point | None:
    """The latest point of these kinds by date; of one date the last given (entered)."""
    latest = None
    for point in points:
        if point.kind in kinds and (latest is None or point.measured_on >= latest.measured_on):
            latest = point
    return latest


def progress(points: Iterable[Point], baseline_value: Decimal | None, target_value: Decimal | None) -> Progress:
    """How far a goal has come from its baseline towards `target_value`. `points` in the order
    they were entered; `baseline_value`: the goal's own, used when no baseline was measured."""
    points = list(points)
    measured_baseline = _latest(points, {MeasurementKind.BASELINE})
    baseline = measured_baseline.value if measured_baseline else baseline_value
    latest = _latest(points, {MeasurementKind.PERIODIC, MeasurementKind.FINAL})
    if target_value is None:
        return Progress(ProgressStatus.NO_TARGET, baseline, None, latest)
    if baseline is None:
        return Progress(ProgressStatus.NO_BASELINE, None, target_value, latest)
    if baseline == target_value:
        return Progress(ProgressStatus.NO_DISTANCE, baseline, target_value, latest)
    if latest is None:
        return Progress(ProgressStatus.NO_MEASUREMENT, baseline, target_value, None)
    fraction = Fraction(latest.value - baseline) / Fraction(target_value - baseline)
    return Progress(ProgressStatus.MEASURED, baseline, target_value, latest, fraction)


def mean_progress(progresses: Iterable[Progress]) -> Fraction | None:
    """An initiative's progress at a glance (the registry): the mean of its goals' bars (each capped
    to 0..1, so one goal far past its target does not hide another that lags), over the goals whose
    progress could be measured; None when none could."""
    bars = [p.bar for p in progresses if p.bar is not None]
    return sum(bars, Fraction(0)) / len(bars) if bars else None
