"""A goal's measurements as a small SVG line chart, drawn on the server (no JavaScript).

Only coordinates are computed here; the template draws them and writes the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, MARGIN = 320, 120, 10


@dataclass(frozen=True)
class Chart:
    points: list[tuple[float, float]]  # one per measurement, oldest first
    baseline_y: float | None
    target_y: float | None

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def chart(measurements, baseline: Decimal | None, target: Decimal | None) -> Chart | None:
    """Coordinates in a WIDTH × HEIGHT box: time left to right, values bottom to top, with lines
    for the baseline and the target. None when nothing was measured."""
    if not measurements:
        return None
    values = [m.value for m in measurements] + [v for v in (baseline, target) if v is not None]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    first, last = measurements[0].measured_on, measurements[-1].measured_on
    days = (last - first).days or 1

    def y(value: Decimal) -> float:
        return float(HEIGHT - MARGIN - (value - low) / span * (HEIGHT - 2 * MARGIN))

    def x(day) -> float:
        return MARGIN + (day - first).days / days * (WIDTH - 2 * MARGIN) if last != first else WIDTH / 2

    return Chart([(x(m.measured_on), y(m.value)) for m in measurements],
                 y(baseline) if baseline is not None else None, y(target) if target is not None else None)
