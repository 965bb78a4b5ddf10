"""Fair shares of an initiative's budget, to the cent.

Source 000 ("een eerlijk deel"): an insurer's fair share is budget × its insured / all insured in the
region, rounded to cents by the largest-remainder method so that the shares add up
exactly to the budget. Followers' shares are committed; decliners' and undecided shares
are the funding gap.

Everything here is integer arithmetic on cents: no float, no rounding mode to get wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Generic, TypeVar

from innovatieregister.domain.leads import validate_counts

K = TypeVar("K")


def to_cents(amount: Decimal) -> int:
    """An amount in euros as whole cents; refuses float, NaN and sub-cent amounts."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise ValueError(f"bedrag moet een Decimal zijn, niet {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"bedrag is geen eindig getal: {amount}")
    cents = amount.scaleb(2)
    if cents != cents.to_integral_value():
        raise ValueError(f"bedrag {amount} heeft meer dan twee decimalen")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Whole cents as euros with exactly two decimals."""
    return Decimal(cents).scaleb(-2)


def apportion(units: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split a whole number of units over the keys in proportion to integer weights.

    Each key first gets the floor of its exact share; the units left over go one each
    to the keys with the largest remainders (largest-remainder method). Equal remainders
    go to the larger weight first, then to the smaller key, so the result never depends
    on the order of the mapping. Every part is within one unit of its exact value, the
    parts add up exactly to `units`, and keys with weight 0 get 0.
    """
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise ValueError(f"te verdelen aantal moet een niet-negatief geheel getal zijn: {units!r}")
    weight_sum = validate_counts(weights)
    if weight_sum == 0:
        raise ValueError("alle gewichten zijn 0: niets om over te verdelen")
    parts: dict[K, int] = {}
    ranked: list[tuple[int, int, K]] = []  # (-remainder, -weight, key): the order leftover units go in
    given = 0
    for key, weight in weights.items():
        part, remainder = divmod(units * weight, weight_sum)
        parts[key] = part
        given += part
        if remainder:  # leftover < number of keys with a remainder > 0, so a zero remainder never gets one
            ranked.append((-remainder, -weight, key))
    leftover = units - given
    if leftover:
        ranked.sort()
        for _, _, key in ranked[:leftover]:
            parts[key] += 1
    return parts


def allocate(total: Decimal, weights: Mapping[K, int]) -> dict[K, Decimal]:
    """Split `total` euros over the keys in proportion to their integer weights.

    The cents are apportioned by the largest-remainder method (see `apportion`): every
    share has two decimals, is within €0.01 of its exact value, and the shares add up
    exactly to `total`, whatever the order of the mapping. Keys with weight 0 get 0.00.
    """
    total_cents = to_cents(total)
    if total_cents < 0:
        raise ValueError(f"bedrag is negatief: {total}")
    return {key: Decimal(c).scaleb(-2) for key, c in apportion(total_cents, weights).items()}


class InsurerState(StrEnum):
    """Where an insurer stands on funding an initiative."""

    FOLLOWS = "follows"
    DECLINES = "declines"
    UNDECIDED = "undecided"


def combined_state(states: Iterable[InsurerState | str]) -> InsurerState:
    """Where an insurer stands when it was asked more than once on one initiative (its follow
    request, then a provider's adoption request): it funds as soon as any standing decision
    follows; it declines when it declined and follows nowhere; otherwise it is undecided."""
    seen = {InsurerState(s) for s in states}
    for state in (InsurerState.FOLLOWS, InsurerState.DECLINES):
        if state in seen:
            return state
    return InsurerState.UNDECIDED


@dataclass(frozen=True)
class Share(Generic[K]):
    insurer: K
    insured: int
    amount: Decimal
    state: InsurerState


class _Covered:
    """Coverage of a funding result: what it has `committed` of its `total`."""

    if TYPE_CHECKING:  # read-only here: a subclass has them as fields or computes them (CoFunded)
        @property
        def committed(self) -> Decimal: ...

        @property
        def total(self) -> Decimal: ...

    @property
    def coverage(self) -> Fraction:
        """Committed / total as an exact fraction (1 when there is nothing to fund)."""
        total_cents = to_cents(self.total)
        if total_cents == 0:
            return Fraction(1)
        return Fraction(to_cents(self.committed), total_cents)

    @property
    def fully_funded(self) -> bool:
        return self.committed == self.total


@dataclass(frozen=True)
class Funding(_Covered, Generic[K]):
    total: Decimal
    shares: tuple[Share[K], ...]
    committed: Decimal
    declined: Decimal
    undecided: Decimal

    @property
    def gap(self) -> Decimal:
        """What is not committed: the declined and the undecided shares."""
        return self.declined + self.undecided



def funding(
    total: Decimal,
    weights: Mapping[K, int],
    decisions: Mapping[K, InsurerState | str],
) -> Funding[K]:
    """Every insurer's fair share with its state, and what is committed and what is not.

    Insurers without a decision are undecided. committed + gap == total exactly, because
    both are sums of the same exactly-allocated shares.
    """
    unknown = set(decisions) - set(weights)
    if unknown:
        raise ValueError(f"besluit voor verzekeraar zonder marktaandeel: {sorted(map(str, unknown))}")
    amounts = allocate(total, weights)
    shares = tuple(
        Share(key, weights[key], amounts[key], InsurerState(decisions.get(key, InsurerState.UNDECIDED)))
        for key in sorted(weights, key=lambda k: (-weights[k], k))
    )
    sums = {state: Decimal("0.00") for state in InsurerState}
    for share in shares:
        sums[share.state] += share.amount
    return Funding(
        total=from_cents(to_cents(total)),
        shares=shares,
        committed=sums[InsurerState.FOLLOWS],
        declined=sums[InsurerState.DECLINES],
        undecided=sums[InsurerState.UNDECIDED],
    )


# Co-funding (issue 11) -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CoFunded(_Covered, Generic[K]):
    """The whole budget: what co-funders (municipalities, care offices) pay, and the insurers' part
    (the budget less the co-funding) split by market share as `funding` does."""

    total: Decimal  # the whole annual budget
    co_funders: tuple[tuple[object, Decimal], ...]  # (co-funder, amount per year), in the order given
    insurers: Funding[K]

    @property
    def co_funding(self) -> Decimal:
        return sum((amount for _, amount in self.co_funders), Decimal("0.00"))

    @property
    def committed(self) -> Decimal:
        """The co-funding plus the shares of the insurers that fund."""
        return self.co_funding + self.insurers.committed

    @property
    def gap(self) -> Decimal:
        """Only insurers' shares can be open: the co-funding counted is confirmed."""
        return self.insurers.gap

    # What the pages and the API read from a funding result, whole-budget figures included.
    @property
    def shares(self) -> tuple[Share[K], ...]:
        return self.insurers.shares

    @property
    def insurers_total(self) -> Decimal:
        return self.insurers.total

    @property
    def declined(self) -> Decimal:
        return self.insurers.declined

    @property
    def undecided(self) -> Decimal:
        return self.insurers.undecided


def co_funded(
    total: Decimal,
    co_funding: Iterable[tuple[object, Decimal]],
    weights: Mapping[K, int],
    decisions: Mapping[K, InsurerState | str],
) -> CoFunded[K]:
    """Co-funding (README "Co-funding"): the insurers' part is the budget minus the confirmed co-funding,
    split by market share (`funding`); committed, gap and coverage are over the WHOLE budget.

    The co-funding may not exceed the budget (the pledges are refused above it): no insurer's part
    is ever negative. committed + gap == total exactly.
    """
    total_cents = to_cents(total)
    pledged = tuple((who, from_cents(to_cents(amount))) for who, amount in co_funding)
    if any(amount < 0 for _, amount in pledged):
        raise ValueError("medefinanciering kan niet negatief zijn")
    insurers_cents = total_cents - sum(to_cents(amount) for _, amount in pledged)
    if insurers_cents < 0:
        raise ValueError(f"medefinanciering ({from_cents(total_cents - insurers_cents)}) hoger dan het "
                         f"budget ({from_cents(total_cents)})")
    return CoFunded(total=from_cents(total_cents), co_funders=pledged,
                    insurers=funding(from_cents(insurers_cents), weights, decisions))


def percentage(part: int, whole: int, places: int = 4) -> Decimal:
    """part / whole as a percentage with `places` decimals, half up (a market share in an export;
    shares stay counts everywhere else). 0 when the whole is 0."""
    if whole <= 0:
        return Decimal(0).scaleb(-places)
    scaled = Fraction(part * 100 * 10**places, whole)
    whole_units, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole_units += 1
    return Decimal(whole_units).scaleb(-places)


# Shared savings (issue 11, part 3) ---------------------------------------------------------------

PERCENT_PLACES = 4  # a percentage of the savings key has at most four decimals (models.base.Quantity)
_PERCENT_UNIT = 10**PERCENT_PLACES
WHOLE = 100 * _PERCENT_UNIT  # 100 % in integer weights


def percentage_weights(percentages: Mapping[K, Decimal]) -> dict[K, int]:
    """Percentages as exact integer weights (in units of 0.0001 %); they must add up to exactly 100.

    The split key of shared savings is agreed in percentages; as integer weights the split is the
    same largest-remainder rule as every other, so the parts add up to the cent."""
    weights: dict[K, int] = {}
    for key, percentage in percentages.items():
        scaled = Decimal(percentage).scaleb(PERCENT_PLACES)
        if not scaled.is_finite() or scaled != scaled.to_integral_value() or scaled <= 0:
            raise ValueError(f"percentage {percentage} is niet positief of heeft meer dan {PERCENT_PLACES} decimalen")
        weights[key] = int(scaled)
    if sum(weights.values()) != WHOLE:
        raise ValueError(f"de percentages tellen op tot {sum(percentages.values())}, niet precies 100")
    return weights


N = TypeVar("N")  # an insurer of the frozen key


@dataclass(frozen=True)
class SavingsSplit(Generic[K, N]):
    """The savings of a year split by the agreed key (`parties`), and the insurers' group part
    split further over the funding insurers by the frozen key (`insurers`; empty when the key has
    no insurers' part or there is no funder to split it over)."""

    savings: Decimal
    parties: dict[K, Decimal]
    insurers: dict[N, Decimal]


def split_savings(savings: Decimal, percentages: Mapping[K, Decimal], insurers_party: K | None,
                  insurer_weights: Mapping[N, int]) -> SavingsSplit[K, N]:
    """Split `savings` by the key's percentages (exactly 100 in all) to the cent, then the part of
    `insurers_party` over the funding insurers in proportion to their frozen insured counts.
    Both splits add up exactly: the parties' parts to `savings`, the insurers' parts to the
    insurers' group part (source 003: shared savings by a key agreed in advance)."""
    parties = allocate(savings, percentage_weights(percentages))
    insurers: dict[N, Decimal] = {}
    if insurers_party in parties and sum(insurer_weights.values()) > 0:
        insurers = allocate(parties[insurers_party], insurer_weights)
    return SavingsSplit(from_cents(to_cents(savings)), parties, insurers)


# Settlement (nacalculatie), issue 11 ------------------------------------------------------------
#
# Per year of the term: the actual cost less the co-funding counted for the year is allocated over
# every insurer of the frozen key by the settlement basis (insured counts or units used), with the
# same largest-remainder rule; a funder's balance is its part less its advance (its committed share
# at opening); a non-funder's part stays uncovered, never moved to the funders.


@dataclass(frozen=True)
class Pledge:
    """A frozen, confirmed co-funding pledge: its amount per year, and whether it counts pro rata."""

    amount: Decimal
    pro_rata: bool = False


def pro_rata(amount: Decimal, actual: Decimal, budget: Decimal) -> Decimal:
    """`amount` × actual / budget to the cent (apportioned, so the counted part and the part not
    counted add up to `amount`), never more than `amount`: a pledge is what the co-funder promised
    at most, so an overrun does not raise it. With no budget to compare to it counts in full."""
    amount_cents, actual_cents, budget_cents = to_cents(amount), to_cents(actual), to_cents(budget)
    if budget_cents <= 0 or actual_cents >= budget_cents:
        return from_cents(amount_cents)
    parts = apportion(amount_cents, {"counted": actual_cents, "not_counted": budget_cents - actual_cents})
    return from_cents(parts["counted"])


def counted_co_funding(pledges: Mapping[K, Pledge], actual: Decimal, budget: Decimal) -> dict[K, Decimal]:
    """What each pledge counts for the year: in full, or pro rata (see `pro_rata`). When the
    co-funding would exceed the actual cost, the co-funders together pay the actual cost and no
    more, apportioned in proportion to what each would count (the insurers then owe nothing for the
    year and get their advances back)."""
    counted = {key: pro_rata(p.amount, actual, budget) if p.pro_rata else from_cents(to_cents(p.amount))
               for key, p in pledges.items()}
    actual_cents = to_cents(actual)
    if sum(to_cents(c) for c in counted.values()) <= actual_cents:
        return counted
    shares = apportion(actual_cents, {key: to_cents(c) for key, c in counted.items()})
    return {key: from_cents(c) for key, c in shares.items()}


@dataclass(frozen=True)
class SettlementShare(Generic[K]):
    insurer: K
    insured: int  # its weight in the frozen key
    units: int | None  # its weight on the actual-use basis
    funds: bool
    allocated: Decimal
    advance: Decimal  # its committed share at opening (0 when it does not fund)
    balance: Decimal  # allocated − advance for a funder (positive: it pays; negative: it gets back); else 0


@dataclass(frozen=True)
class SettlementResult(Generic[K]):
    actual_cost: Decimal
    co_funding: dict  # per pledge key: what it counts for the year
    allocated: Decimal  # actual cost − co-funding: over the insurers
    lines: tuple[SettlementShare[K], ...]

    @property
    def co_funding_total(self) -> Decimal:
        return sum(self.co_funding.values(), Decimal("0.00"))

    @property
    def uncovered(self) -> Decimal:
        """The parts of the insurers that do not fund: shown as uncovered, never moved to the funders."""
        return sum((line.allocated for line in self.lines if not line.funds), Decimal("0.00"))


def settle(actual_cost: Decimal, budget: Decimal, pledges: Mapping, insured: Mapping[K, int],
           states: Mapping[K, InsurerState | str], units: Mapping[K, int] | None = None) -> SettlementResult[K]:
    """The settlement of one year (issue 11; README "Settlement (nacalculatie)").

    - co-funding counted: each frozen pledge in full or pro rata (`counted_co_funding`);
    - allocated = actual cost − co-funding (never below 0), over every insurer of the frozen key by
      `insured` (market share) or, when `units` is given, by the units used (actual use);
    - advance: a funder's share at opening, i.e. `funding` of the budget less the pledges in full
      over the same key; balance = allocated − advance for funders; non-funders' parts are uncovered.
    """
    unknown = set(units or {}) - set(insured)
    if unknown:
        raise ValueError(f"gebruik voor verzekeraar buiten de verdeelsleutel: {sorted(map(str, unknown))}")
    co_funding = counted_co_funding(pledges, actual_cost, budget)
    allocated = from_cents(to_cents(actual_cost) - sum(to_cents(c) for c in co_funding.values()))
    weights = {k: units.get(k, 0) for k in insured} if units is not None else dict(insured)
    if allocated and not sum(weights.values()):
        raise ValueError("geen gebruik om de kosten over te verdelen")
    parts = allocate(allocated, weights) if sum(weights.values()) else {k: Decimal("0.00") for k in insured}
    at_opening = max(to_cents(budget) - sum(to_cents(p.amount) for p in pledges.values()), 0)
    advances = {share.insurer: share for share in funding(from_cents(at_opening), insured, states).shares}
    lines = []
    for key in sorted(insured, key=lambda k: (-weights[k], -insured[k], k)):
        funds = advances[key].state == InsurerState.FOLLOWS
        advance = advances[key].amount if funds else Decimal("0.00")
        lines.append(SettlementShare(key, insured[key], units.get(key, 0) if units is not None else None, funds,
                                     parts[key], advance, parts[key] - advance if funds else Decimal("0.00")))
    return SettlementResult(from_cents(to_cents(actual_cost)), co_funding, allocated, tuple(lines))
