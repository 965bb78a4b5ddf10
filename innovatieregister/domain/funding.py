"""The money after the decision (issue 11): how an initiative is funded, who co-funds, how a
period is settled and how shared savings are split. The states and choices live here, with
their Dutch labels; the arithmetic is in `allocation.py` (every cent rounded there, nowhere else).

Sources: KPMG's funding models and risk levels (`004_f9a8e16bc3f63a9e.txt`), shared savings with
quality as the gate (`003_80f9d5aad3919ca4.txt`), market share versus actual use as the fair basis
(`000_1dd34af60fcbcbd1.txt`).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_


class FundingModel(StrEnum):
    BUDGET = "budget"  # budget / lump sum (aanneemsom)
    AVAILABILITY = "availability"  # beschikbaarheidsfinanciering
    PRICE_VOLUME = "price_volume"  # prijs × volume: the budget is price × expected volume
    BUNDLED = "bundled"  # bundelbetaling (keten)
    POPULATION = "population"  # populatiebekostiging


class RiskLevel(IntEnum):
    """KPMG's three levels of financial risk the providers carry."""

    NONE = 1  # niveau 1: no risk for the providers (costs are paid)
    UPSIDE = 2  # niveau 2: upside only, shared savings on top of the payment
    UP_AND_DOWN = 3  # niveau 3: shared savings and shared losses


class SettlementBasis(StrEnum):
    MARKET_SHARE = "market_share"  # the frozen insured counts
    ACTUAL_USE = "actual_use"  # units of care used by each insurer's insured in the period


class PledgeState(StrEnum):
    PROPOSED = "proposed"  # added by the lead, waiting for the co-funder
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the lead, before opening
    LAPSED = "lapsed"  # still unconfirmed when the initiative opened: it does not count


LIVE_PLEDGE_STATES = frozenset({PledgeState.PROPOSED, PledgeState.CONFIRMED})


class SettlementState(StrEnum):
    PROPOSED = "proposed"  # by the lead; the contest period runs
    CONTESTED = "contested"  # a party objected within the contest period
    FINAL = "final"  # the contest period passed without objection (or the contest was resolved)
    SUPERSEDED = "superseded"  # a correction replaced it (history is kept)


CURRENT_SETTLEMENT_STATES = frozenset({SettlementState.PROPOSED, SettlementState.CONTESTED, SettlementState.FINAL})
# Not final yet: within the contest period, or contested.
CONTESTABLE_SETTLEMENT_STATES = frozenset({SettlementState.PROPOSED, SettlementState.CONTESTED})


class UseReportState(StrEnum):
    SUBMITTED = "submitted"  # by a provider involved, for the lead to confirm
    CONFIRMED = "confirmed"  # entered by the lead, or a provider's report the lead confirmed
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a later confirmed report for the same period replaced it


class SavingsPartyKind(StrEnum):
    INSURERS = "insurers"  # the insurers as a group, split further over the funders by the frozen key
    ORGANISATION = "organisation"  # a provider, municipality or care office by name


class SavingsLineKind(StrEnum):
    PARTY = "party"  # a party of the key (the insurers' group or an organisation)
    INSURER = "insurer"  # one funding insurer's part of the insurers' group part


# One table per enum (innovatieregister.labels gathers them): a proposed pledge and a proposed settlement
# are both 'proposed', and a StrEnum member equals its value, so one dict would give them one label.
LABELS: dict[type, dict[object, str]] = {
    FundingModel: Labels({
        FundingModel.BUDGET: N_("Budget / aanneemsom"),
        FundingModel.AVAILABILITY: N_("Beschikbaarheidsfinanciering"),
        FundingModel.PRICE_VOLUME: N_("Prijs × volume"),
        FundingModel.BUNDLED: N_("Bundelbetaling"),
        FundingModel.POPULATION: N_("Populatiebekostiging"),
    }),
    RiskLevel: Labels({
        RiskLevel.NONE: N_("Niveau 1: geen risico voor de aanbieders"),
        RiskLevel.UPSIDE: N_("Niveau 2: gedeelde besparingen (alleen winst)"),
        RiskLevel.UP_AND_DOWN: N_("Niveau 3: gedeelde besparingen en verliezen"),
    }),
    SettlementBasis: Labels({
        SettlementBasis.MARKET_SHARE: N_("Marktaandeel (bevroren verdeelsleutel)"),
        SettlementBasis.ACTUAL_USE: N_("Werkelijk gebruik per verzekeraar"),
    }),
    PledgeState: Labels({
        PledgeState.PROPOSED: N_("Wacht op bevestiging"),
        PledgeState.CONFIRMED: N_("Bevestigd"),
        PledgeState.DECLINED: N_("Afgewezen"),
        PledgeState.WITHDRAWN: N_("Ingetrokken"),
        PledgeState.LAPSED: N_("Niet bevestigd bij openen (telt niet mee)"),
    }),
    SettlementState: Labels({
        SettlementState.PROPOSED: N_("Voorgesteld"),
        SettlementState.CONTESTED: N_("Betwist"),
        SettlementState.FINAL: N_("Definitief"),
        SettlementState.SUPERSEDED: N_("Vervangen door correctie"),
    }),
    UseReportState: Labels({
        UseReportState.SUBMITTED: N_("Ingediend, wacht op bevestiging"),
        UseReportState.CONFIRMED: N_("Bevestigd"),
        UseReportState.REJECTED: N_("Afgewezen"),
        UseReportState.SUPERSEDED: N_("Vervangen"),
    }),
    SavingsPartyKind: Labels({
        SavingsPartyKind.INSURERS: N_("Zorgverzekeraars samen"),
        SavingsPartyKind.ORGANISATION: N_("Organisatie"),
    }),
}
