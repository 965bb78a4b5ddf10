"""Weighing the arguments behind a decline.

Volgbeleid JZOJP: insurers may deviate from the leads' agreements "alleen op basis van
zwaarwegende argumenten". The register makes that measurable: every argument names a
criterion from a governed catalogue whose weight is set by policy (the admin), the
decider says how strongly it applies (1, 2 or 3), and the weighted sum is compared with
a threshold, also set by policy. A decline with no arguments is never weighty.

One argument per criterion: a criterion applies once, however it is worded, so naming it
twice would count its weight twice and could turn a weak decline into a weighty one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from innovatieregister.domain.text import N_

STRENGTHS = {1: N_("beperkt"), 2: N_("aanzienlijk"), 3: N_("zwaar")}


@dataclass(frozen=True)
class WeighedArgument:
    criterion: str
    weight: int
    strength: int

    @property
    def score(self) -> int:
        return self.weight * self.strength


@dataclass(frozen=True)
class Assessment:
    score: int
    threshold: int
    weighty: bool

    @property
    def shortfall(self) -> int:
        """How many points a decline lacks to be weighty (0 when it is weighty)."""
        return 0 if self.weighty else max(self.threshold - self.score, 0)


def repeated_criteria(criteria: Iterable[str]) -> dict[int, int]:
    """Which arguments repeat a criterion: {index of the repeat: index of its first use}
    (0-based, in the order given). Empty when every criterion is named once."""
    first: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for index, criterion in enumerate(criteria):
        if criterion in first:
            repeats[index] = first[criterion]
        else:
            first[criterion] = index
    return repeats


def assess(arguments: Iterable[WeighedArgument], threshold: int) -> Assessment:
    """Score = Σ weight × strength; the decline is weighty when score ≥ threshold
    and there is at least one argument. A criterion named twice is refused."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"drempel moet een positief geheel getal zijn, niet {threshold!r}")
    arguments = list(arguments)
    for argument in arguments:
        if argument.strength not in STRENGTHS:
            raise ValueError(f"sterkte moet 1, 2 of 3 zijn, niet {argument.strength!r}")
        if isinstance(argument.weight, bool) or not isinstance(argument.weight, int) or argument.weight < 0:
            raise ValueError(f"gewicht moet een niet-negatief geheel getal zijn, niet {argument.weight!r}")
    repeats = repeated_criteria(a.criterion for a in arguments)
    if repeats:
        names = sorted({arguments[i].criterion for i in repeats})
        raise ValueError(f"één argument per criterium; dubbel genoemd: {', '.join(names)}")
    score = sum(a.score for a in arguments)
    return Assessment(score=score, threshold=threshold, weighty=bool(arguments) and score >= threshold)
