"""How fast `allocate` is, as a ratio to plain Decimal multiplication in the same run.

Baseline: the same inputs multiplied out with plain `Decimal` arithmetic
(total × weight / Σweights per key), no rounding step. `allocate` does more (exact
largest-remainder rounding to cents); the ratio says what that costs.
"""

from __future__ import annotations

import random
import statistics
import sys
import timeit
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from innovatieregister.domain.allocation import allocate  # noqa: E402


def baseline(total: Decimal, weights: dict[str, int]) -> dict[str, Decimal]:
    weight_sum = sum(weights.values())
    return {key: total * weight / weight_sum for key, weight in weights.items()}


def per_second(fn, total, weights, repeat: int = 7) -> float:
    timer = timeit.Timer(lambda: fn(total, weights))
    number, _ = timer.autorange()
    best = statistics.median(timer.repeat(repeat=repeat, number=number)) / number
    return 1 / best


def main() -> None:
    rnd = random.Random(2026)
    total = Decimal("1055550.80")  # the observation beds
    cases = {
        "region of 10 insurers": {f"V{i}": rnd.randint(10_000, 200_000) for i in range(10)},
        "1,000 keys": {f"K{i:04d}": rnd.randint(0, 1_000_000) for i in range(1000)},
    }
    print(f"{'case':<24}{'allocate/s':>14}{'baseline/s':>14}{'ratio':>9}")
    for name, weights in cases.items():
        fast = per_second(allocate, total, weights)
        base = per_second(baseline, total, weights)
        print(f"{name:<24}{fast:>14,.0f}{base:>14,.0f}{fast / base:>9.2f}")


if __name__ == "__main__":
    main()
