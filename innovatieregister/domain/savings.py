"""Shared savings (issue 11, part 3): the rules of the agreement and of a year's savings.

Source 003 (`003_80f9d5aad3919ca4.txt`) and KPMG's risk level 2 and 3 (`004_f9a8e16bc3f63a9e.txt`):
before the initiative opens, the parties agree on the baseline annual cost of the care being
replaced, a quality gate (goals of the outcome monitor, each with the value it must reach) and a
split key in percentages. Per year: savings = baseline − realised cost when that is positive and
every gate goal is met; else no savings, with the reason. The split itself is
`allocation.split_savings` (every cent rounded there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from innovatieregister.domain.allocation import WHOLE, percentage_weights
from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.monitoring import MeasurementKind
from innovatieregister.domain.progress import Point
from innovatieregister.domain.text import N_, Phrase


class Direction(StrEnum):
    """Which way a gate goal must go: the way from its baseline value to its target value."""

    AT_LEAST = "at_least"  # the target is above the baseline: the value must reach at least the minimum
    AT_MOST = "at_most"  # the target is below the baseline (fewer readmissions): at most the minimum


DIRECTION_LABELS = Labels({Direction.AT_LEAST: N_("minimaal"), Direction.AT_MOST: N_("hoogstens")})


def direction(baseline_value: Decimal | None, target_value: Decimal | None) -> Direction | None:
    """The goal's direction; None when it has no numeric baseline and target or they are equal
    (such a goal cannot be a gate: nothing says which way is better)."""
    if baseline_value is None or target_value is None or baseline_value == target_value:
        return None
    return Direction.AT_LEAST if target_value > baseline_value else Direction.AT_MOST


def reaches(way: Direction, minimum: Decimal, value: Decimal) -> bool:
    """Does `value` meet the gate's minimum in the goal's direction (the minimum itself counts)?"""
    return value >= minimum if way == Direction.AT_LEAST else value <= minimum


def year_value(points: Iterable[Point], year: int) -> Point | None:
    """The goal's value for a settlement year: its latest periodic or final measurement dated in
    that year (of one date, the last entered). A baseline measurement never counts as a result."""
    latest = None
    for point in points:
        if point.kind != MeasurementKind.BASELINE and point.measured_on.year == year \
                and (latest is None or point.measured_on >= latest.measured_on):
            latest = point
    return latest


@dataclass(frozen=True)
class GateCheck:
    """One gate goal against the year's measurement."""

    metric: str
    way: Direction
    minimum: Decimal
    value: Decimal | None  # None: nothing measured in the year
    measured_on: date | None = None

    @property
    def met(self) -> bool:
        return self.value is not None and reaches(self.way, self.minimum, self.value)


@dataclass(frozen=True)
class YearSavings:
    savings: Decimal
    gate_met: bool
    failed: tuple[GateCheck, ...]  # the gate goals not met (empty when the gate is met)
    no_savings: bool  # the realised cost is not below the baseline


def year_savings(baseline: Decimal, realised_cost: Decimal, checks: Iterable[GateCheck]) -> YearSavings:
    """Savings = baseline − realised cost when positive and every gate goal is met; else 0.
    A gate that fails makes the savings 0 whatever the cost: quality is the gate (source 003)."""
    failed = tuple(c for c in checks if not c.met)
    difference = baseline - realised_cost
    no_savings = difference <= 0
    savings = Decimal("0.00") if failed or no_savings else difference
    return YearSavings(savings, not failed, failed, no_savings)


def key_total_problem(percentages: Iterable[Decimal]) -> str | None:
    """The split key must add up to exactly 100 %; the Dutch message when it does not."""
    percentages = list(percentages)
    total = sum(percentages, Decimal(0))
    try:
        percentage_weights(dict(enumerate(percentages)))
    except ValueError:
        return (Phrase(N_("De percentages van de verdeelsleutel tellen op tot %(total)s %%; dat moet precies 100 %% "
                          "zijn."), total=_plain(total))
                if total * 10**4 != WHOLE else N_("Elk percentage is groter dan 0 met hoogstens vier decimalen."))
    return None


def _plain(value: Decimal) -> str:
    """A percentage in Dutch notation without trailing zeros (33,3333)."""
    return format(value.normalize(), "f").replace(".", ",")
