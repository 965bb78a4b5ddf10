"""Who leads the transformation in a region.

Volgbeleid JZOJP: "De 1e en 2e zorgverzekeraar met het grootste marktaandeel in de regio
zijn aan zet"; footnote: "Wanneer de 1e en 2e zorgverzekeraar samen minder dan 50%
marktaandeel hebben kan ook de 3e zorgverzekeraar aansluiten."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

K = TypeVar("K")


def validate_counts(insured: Mapping[K, int]) -> int:
    """Check that every count is a non-negative integer; return the total."""
    counts = insured.values()
    # The usual case checked at C speed (allocate runs on every page with fair shares); the loop
    # below finds the offending key for the message.
    if not counts or (set(map(type, counts)) == {int} and min(counts) >= 0):
        return sum(counts)
    total = 0
    for key, count in insured.items():
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(f"aantal verzekerden van {key!r} is geen geheel getal: {count!r}")
        if count < 0:
            raise ValueError(f"aantal verzekerden van {key!r} is negatief: {count}")
        total += count
    return total


def rank_insurers(insured: Mapping[K, int]) -> list[K]:
    """Insurers with insured, largest first; equal counts ordered by key ascending."""
    return sorted((k for k, c in insured.items() if c > 0), key=lambda k: (-insured[k], k))


def lead_insurers(insured: Mapping[K, int]) -> list[K]:
    """The lead insurers of a region, largest first.

    The two largest by number of insured lead; the third joins when the two largest
    together hold less than 50% of all insured in the region. Insurers with no insured
    never lead. Shares are compared as exact integers, never as rounded percentages.
    """
    total = validate_counts(insured)
    if total == 0:
        raise ValueError("de regio heeft geen verzekerden")
    ranked = rank_insurers(insured)
    leads = ranked[:2]
    if len(ranked) > 2 and 2 * (insured[ranked[0]] + insured[ranked[1]]) < total:
        leads.append(ranked[2])
    return leads
