"""The registered item: a cross-institution JZOJP intervention or innovation (domain.registration)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.funding import FundingModel, SettlementBasis
from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.monitoring import EndOutcome, OutcomeCategory
from innovatieregister.domain.phase import InitiativeKind, Phase  # the phase rules own them
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import STATE_LABELS, InitiativeState
from innovatieregister.models.base import Base, Money, Quantity, UTCDateTime, utcnow
from innovatieregister.models.market_share import MarketShareSet
from innovatieregister.models.organisation import Organisation, User, enum_column
from innovatieregister.models.region import Region
from innovatieregister.models.regional_plan import RegionalTheme

if TYPE_CHECKING:
    from innovatieregister.models.mediation import MediationCase


class InnovationType(StrEnum):
    MEDICAL = "medical"
    ORGANISATIONAL = "organisational"
    DIGITAL = "digital"


class EvidenceLevel(StrEnum):
    NONE = "none"
    PRACTICE = "practice"  # experience in practice, not yet evaluated
    OBSERVATIONAL = "observational"
    CONTROLLED = "controlled"
    RANDOMISED = "randomised"


class CostCategory(StrEnum):
    INFRASTRUCTURE = "infrastructure"
    STAFF = "staff"
    ICT = "ict"
    HOUSING = "housing"
    CARE = "care"  # care delivered, e.g. bed-days at a tariff
    OTHER = "other"


LABELS = Labels({
    InitiativeKind.JZOJP_INTERVENTION: N_("JZOJP-interventie"),
    InitiativeKind.INNOVATION: N_("Innovatie"),
    InnovationType.MEDICAL: N_("Medisch"),
    InnovationType.ORGANISATIONAL: N_("Organisatorisch"),
    InnovationType.DIGITAL: N_("Digitaal"),
    Phase.START_UP: N_("Opstartfase"),
    Phase.SCALE_UP: N_("Opschalingsfase"),
    EvidenceLevel.NONE: N_("Nog geen bewijs"),
    EvidenceLevel.PRACTICE: N_("Praktijkervaring"),
    EvidenceLevel.OBSERVATIONAL: N_("Observationeel onderzoek"),
    EvidenceLevel.CONTROLLED: N_("Gecontroleerd onderzoek"),
    EvidenceLevel.RANDOMISED: N_("Gerandomiseerd onderzoek"),
    CostCategory.INFRASTRUCTURE: N_("Infrastructuur"),
    CostCategory.STAFF: N_("Personeel"),
    CostCategory.ICT: N_("ICT"),
    CostCategory.HOUSING: N_("Huisvesting"),
    CostCategory.CARE: N_("Zorgkosten"),
    CostCategory.OTHER: N_("Overig"),
    **STATE_LABELS[InitiativeState],
})


class Initiative(Base):
    __tablename__ = "initiatives"
    __table_args__ = (
        sa.CheckConstraint("term_end IS NULL OR term_start IS NULL OR term_end > term_start",
                           name="term_in_order"),
        sa.Index("ix_initiatives_region_status", "region_id", "status"),
        sa.Index("ix_initiatives_lead_status", "lead_insurer_id", "status"),  # a lead's initiatives in a state
        sa.Index("ix_initiatives_created_at", "created_at"),  # lists are newest first
        sa.Index("ix_initiatives_status_term_end", "status", "term_end"),  # the scheduler's term-end warnings
        sa.CheckConstraint("risk_level BETWEEN 1 AND 3", name="risk_level_in_range"),
        sa.CheckConstraint("expected_volume IS NULL OR expected_volume > 0", name="expected_volume_positive"),
        sa.CheckConstraint("unit_price IS NULL OR unit_price > 0", name="unit_price_positive"),
        sa.Index("ix_initiatives_published", "published_at", "id"),  # the public register, newest first
        sa.Index("ix_initiatives_publish_on", "publish_on"),  # the scheduler's publications due
        # The registry walks the originals (no origin) by their stored spread, most first (services/spread.py).
        sa.Index("ix_initiatives_spread", "adopted_from_id", "spread_regions", "spread_insurers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE))
    description: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    kind: Mapped[InitiativeKind] = mapped_column(enum_column(InitiativeKind, "initiative_kind"))
    innovation_type: Mapped[InnovationType | None] = mapped_column(
        enum_column(InnovationType, "innovation_type")
    )
    phase: Mapped[Phase] = mapped_column(enum_column(Phase, "initiative_phase"))
    status: Mapped[InitiativeState] = mapped_column(
        enum_column(InitiativeState, "initiative_status"), default=InitiativeState.CONCEPT
    )
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"))
    lead_insurer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))  # ix_initiatives_lead_status

    substitution_from: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    substitution_to: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    scale_down_plan: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    replaces_existing_care: Mapped[bool] = mapped_column(default=False)
    start_criteria: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    stop_criteria: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    necessity_justification: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    # Required when fewer than two providers are involved (domain.registration).
    cross_institution_justification: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    evidence_level: Mapped[EvidenceLevel] = mapped_column(
        enum_column(EvidenceLevel, "evidence_level"), default=EvidenceLevel.NONE
    )
    evaluation_links: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")  # one URL per line

    # The allocation key, frozen when the initiative opens for decisions.
    market_share_set_id: Mapped[int | None] = mapped_column(sa.ForeignKey("market_share_sets.id"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Insurer axis: the initiative this one was adopted from, in another region.
    adopted_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiatives.id"), index=True)
    # On an original: how far its family has spread, every funder counted (summary columns kept
    # in the flush that moves them, services/spread.py; 0 on a copy). The registry ranks by what a
    # viewer may see, which is never more: these only bound it.
    spread_regions: Mapped[int] = mapped_column(default=0, server_default="0")
    spread_insurers: Mapped[int] = mapped_column(default=0, server_default="0")
    # While its funding counts (services/dashboards.funding_scope_clause): what is committed of its
    # budget as whoever sees every decision sees it (the mediator, admins), kept in the flush that
    # moves it (services/committed.py) so the national overview sums it; None outside that scope.
    committed_all: Mapped[Decimal | None] = mapped_column(Money)
    # The registration form's key: a double submit registers one initiative, not two.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(limits.IDEMPOTENCY_KEY), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # After the decision (issue 10). Activation fixes the term: a start-up period up to
    # `start_up_end`, then the term proper up to `term_end` (extensions move `term_end`).
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    start_up_end: Mapped[date | None]
    # Activating while partially funded: the lead's stated reasons for accepting the gap.
    gap_acceptance_reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    ended_on: Mapped[date | None]
    end_reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    end_outcome: Mapped[EndOutcome | None] = mapped_column(enum_column(EndOutcome, "end_outcome"))
    # Insurer axis: adopted although the origin had no positive evaluation (explicitly confirmed).
    adopted_without_positive_evaluation: Mapped[bool] = mapped_column(default=False)
    # The theme of its region's plan that it serves (issue 12): a theme of the same region.
    theme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("regional_themes.id"), index=True)

    # Money after the decision (issue 11), chosen before opening and frozen with the key.
    funding_model: Mapped[FundingModel] = mapped_column(
        enum_column(FundingModel, "funding_model"), default=FundingModel.BUDGET,
        server_default=FundingModel.BUDGET.value)
    risk_level: Mapped[int] = mapped_column(default=1, server_default="1")  # domain.funding.RiskLevel
    settlement_basis: Mapped[SettlementBasis] = mapped_column(
        enum_column(SettlementBasis, "settlement_basis"), default=SettlementBasis.MARKET_SHARE,
        server_default=SettlementBasis.MARKET_SHARE.value)
    # Price × volume: the budget is unit_price × expected_volume (a period's cost: × actual volume).
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    expected_volume: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The public register (issue 12): published by the lead now, or on `publish_on` by the scheduler.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publish_on: Mapped[date | None]

    region: Mapped[Region] = relationship()
    lead_insurer: Mapped[Organisation] = relationship()
    market_share_set: Mapped[MarketShareSet | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    adopted_from: Mapped[Initiative | None] = relationship(remote_side="Initiative.id")
    theme: Mapped[RegionalTheme | None] = relationship()
    providers: Mapped[list[InitiativeProvider]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeProvider.id"
    )
    cost_lines: Mapped[list[CostLine]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="CostLine.id"
    )
    goals: Mapped[list[SmartGoal]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="SmartGoal.id"
    )
    # Read only: cases are opened and changed through services/mediation.py.
    mediation_cases: Mapped[list[MediationCase]] = relationship(viewonly=True, order_by="MediationCase.id")

    @property
    def annual_budget(self) -> Decimal:
        """The sum of the cost lines, exact in Decimal."""
        return sum((line.amount for line in self.cost_lines), Decimal("0.00"))

    def __repr__(self) -> str:
        return f"<Initiative {self.id} {self.title!r}>"


class InitiativeProvider(Base):
    __tablename__ = "initiative_providers"
    __table_args__ = (sa.UniqueConstraint("initiative_id", "provider_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(200), default="")  # its part in the initiative

    initiative: Mapped[Initiative] = relationship(back_populates="providers")
    provider: Mapped[Organisation] = relationship(lazy="joined")


class CostLine(Base):
    __tablename__ = "cost_lines"
    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[CostCategory] = mapped_column(enum_column(CostCategory, "cost_category"))
    description: Mapped[str] = mapped_column(sa.String(limits.LINE))
    amount: Mapped[Decimal] = mapped_column(Money)  # per year
    basis: Mapped[str] = mapped_column(sa.String(limits.LINE), default="")  # how the amount was computed
    source: Mapped[str] = mapped_column(sa.String(limits.LINE), default="")

    initiative: Mapped[Initiative] = relationship(back_populates="cost_lines")


class SmartGoal(Base):
    __tablename__ = "smart_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True
    )
    metric: Mapped[str] = mapped_column(sa.String(limits.LINE))
    baseline: Mapped[str] = mapped_column(sa.String(limits.GOAL_VALUE))
    target: Mapped[str] = mapped_column(sa.String(limits.GOAL_VALUE))
    target_date: Mapped[date]
    # The outcome monitor: what the goal is about, and its numbers where it has them (progress is
    # the fraction of the way from the baseline value to the target value).
    category: Mapped[OutcomeCategory | None] = mapped_column(enum_column(OutcomeCategory, "outcome_category"))
    unit: Mapped[str] = mapped_column(sa.String(limits.UNIT), default="")
    baseline_value: Mapped[Decimal | None] = mapped_column(Quantity)
    target_value: Mapped[Decimal | None] = mapped_column(Quantity)

    initiative: Mapped[Initiative] = relationship(back_populates="goals")
