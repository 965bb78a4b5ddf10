"""Money after the decision (issue 11): co-funding pledges, reported use, settlements per period
and shared savings. The rules are in domain/funding.py and domain/allocation.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.funding import (
    PledgeState,
    SavingsLineKind,
    SavingsPartyKind,
    SettlementBasis,
    SettlementState,
    UseReportState,
)
from innovatieregister.models.base import Base, Money, Quantity, UTCDateTime, utcnow
from innovatieregister.models.initiative import Initiative, SmartGoal
from innovatieregister.models.organisation import Organisation, User, enum_column

YEAR_IN_RANGE = "year BETWEEN 2000 AND 2100"


class CoFundingPledge(Base):
    """A municipality or care office's contribution per year, confirmed by that organisation.
    Confirmed pledges are frozen with the allocation key when the initiative opens."""

    __tablename__ = "co_funding_pledges"
    __table_args__ = (
        sa.CheckConstraint("amount_per_year > 0", name="amount_positive"),
        # One live pledge per organisation per initiative: a new one after a decline or withdrawal.
        sa.Index("uq_co_funding_pledges_live", "initiative_id", "organisation_id", unique=True,
                 sqlite_where=sa.text("state IN ('proposed', 'confirmed')"),
                 postgresql_where=sa.text("state IN ('proposed', 'confirmed')")),
        sa.Index("ix_co_funding_pledges_organisation_state", "organisation_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    amount_per_year: Mapped[Decimal] = mapped_column(Money)
    conditions: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    # In a settlement the pledge counts in proportion to actual / budgeted cost (else in full).
    pro_rata: Mapped[bool] = mapped_column(default=False)
    state: Mapped[PledgeState] = mapped_column(enum_column(PledgeState, "pledge_state"), default=PledgeState.PROPOSED)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set at opening when confirmed

    initiative: Mapped[Initiative] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class UseReport(Base):
    """Units of care used per insurer's insured in one year: entered by the lead, or uploaded by a
    provider involved for the lead to confirm. The actual-use basis settles on the confirmed one."""

    __tablename__ = "use_reports"
    __table_args__ = (
        sa.CheckConstraint(YEAR_IN_RANGE, name="year_in_range"),
        sa.Index("ix_use_reports_initiative_year", "initiative_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"))
    year: Mapped[int]
    state: Mapped[UseReportState] = mapped_column(enum_column(UseReportState, "use_report_state"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))  # who reported
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(sa.String(limits.LINE), default="")  # an uploaded CSV's name
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")

    initiative: Mapped[Initiative] = relationship()
    organisation: Mapped[Organisation] = relationship()
    lines: Mapped[list[UseReportLine]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                      order_by="UseReportLine.id")


class UseReportLine(Base):
    __tablename__ = "use_report_lines"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "insurer_id"),
        sa.CheckConstraint("units >= 0", name="units_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("use_reports.id", ondelete="CASCADE"))
    insurer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    units: Mapped[int] = mapped_column(sa.BigInteger)

    report: Mapped[UseReport] = relationship(back_populates="lines")
    insurer: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class Settlement(Base):
    """The settlement (nacalculatie) of one year: actual cost less co-funding, allocated over every
    insurer of the frozen key by the settlement basis; each funder's balance against its advance.
    A correction is a new version; the one it replaces becomes superseded (history is kept)."""

    __tablename__ = "settlements"
    __table_args__ = (
        sa.UniqueConstraint("initiative_id", "year", "version"),
        sa.CheckConstraint(YEAR_IN_RANGE, name="year_in_range"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint("actual_cost >= 0", name="actual_cost_not_negative"),
        sa.CheckConstraint("actual_volume IS NULL OR actual_volume >= 0", name="actual_volume_not_negative"),
        # One current settlement per year; superseded versions are history.
        sa.Index("uq_settlements_current", "initiative_id", "year", unique=True,
                 sqlite_where=sa.text("state IN ('proposed', 'contested', 'final')"),
                 postgresql_where=sa.text("state IN ('proposed', 'contested', 'final')")),
        sa.Index("ix_settlements_state_contest_deadline", "state", "contest_deadline"),  # the scheduler's
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"))
    year: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[SettlementState] = mapped_column(enum_column(SettlementState, "settlement_state"),
                                                   default=SettlementState.PROPOSED)
    basis: Mapped[SettlementBasis] = mapped_column(enum_column(SettlementBasis, "settlement_basis"))
    actual_cost: Mapped[Decimal] = mapped_column(Money)
    # Price × volume: the actual cost is unit_price × actual_volume (both kept as they were used).
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    actual_volume: Mapped[int | None] = mapped_column(sa.BigInteger)
    co_funding: Mapped[Decimal] = mapped_column(Money)  # confirmed co-funding counted for the year
    allocated: Mapped[Decimal] = mapped_column(Money)  # actual cost − co-funding, over the insurers
    uncovered: Mapped[Decimal] = mapped_column(Money)  # the parts of insurers that do not fund
    use_report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("use_reports.id"))
    explanation: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    contest_deadline: Mapped[date]
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supersedes_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlements.id"))

    initiative: Mapped[Initiative] = relationship()
    proposed_by: Mapped[User | None] = relationship()
    use_report: Mapped[UseReport | None] = relationship()
    supersedes: Mapped[Settlement | None] = relationship(remote_side="Settlement.id")
    lines: Mapped[list[SettlementLine]] = relationship(back_populates="settlement", cascade="all, delete-orphan",
                                                       order_by="SettlementLine.id")
    cost_lines: Mapped[list[SettlementCostLine]] = relationship(
        back_populates="settlement", cascade="all, delete-orphan", order_by="SettlementCostLine.id")
    co_funding_lines: Mapped[list[SettlementCoFunding]] = relationship(
        back_populates="settlement", cascade="all, delete-orphan", order_by="SettlementCoFunding.id")
    contests: Mapped[list[SettlementContest]] = relationship(
        back_populates="settlement", cascade="all, delete-orphan", order_by="SettlementContest.id")


class SettlementCostLine(Base):
    """A budgeted cost line with its actual amount in the year (a copy: the initiative's lines
    may be rewritten, the settlement keeps what it was computed from)."""

    __tablename__ = "settlement_cost_lines"
    __table_args__ = (sa.CheckConstraint("actual >= 0", name="actual_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(sa.ForeignKey("settlements.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.String(limits.LINE))
    budgeted: Mapped[Decimal] = mapped_column(Money)
    actual: Mapped[Decimal] = mapped_column(Money)

    settlement: Mapped[Settlement] = relationship(back_populates="cost_lines")


class SettlementCoFunding(Base):
    """A confirmed pledge as counted in the year: in full, or pro rata to actual / budgeted cost."""

    __tablename__ = "settlement_co_funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(sa.ForeignKey("settlements.id", ondelete="CASCADE"), index=True)
    pledge_id: Mapped[int] = mapped_column(sa.ForeignKey("co_funding_pledges.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    pledged: Mapped[Decimal] = mapped_column(Money)
    counted: Mapped[Decimal] = mapped_column(Money)

    settlement: Mapped[Settlement] = relationship(back_populates="co_funding_lines")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class SettlementLine(Base):
    """One insurer of the key: its part of the allocated amount, its advance and its balance
    (positive: it pays; negative: it gets back). A non-funder's part is uncovered."""

    __tablename__ = "settlement_lines"
    __table_args__ = (sa.UniqueConstraint("settlement_id", "insurer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(sa.ForeignKey("settlements.id", ondelete="CASCADE"))
    insurer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    insured: Mapped[int] = mapped_column(sa.BigInteger)  # its weight in the frozen key
    units: Mapped[int | None] = mapped_column(sa.BigInteger)  # the actual-use basis: its weight
    funds: Mapped[bool]
    allocated: Mapped[Decimal] = mapped_column(Money)
    advance: Mapped[Decimal] = mapped_column(Money)  # its committed share for the year (0 if not funding)
    balance: Mapped[Decimal] = mapped_column(Money)  # allocated − advance for funders; 0 otherwise

    settlement: Mapped[Settlement] = relationship(back_populates="lines")
    insurer: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class SettlementContest(Base):
    __tablename__ = "settlement_contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(sa.ForeignKey("settlements.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Resolution: withdrawn by the contesting party, or superseded by a correction.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")

    settlement: Mapped[Settlement] = relationship(back_populates="contests")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class SavingsAgreement(Base):
    """Shared savings, agreed before opening and frozen with the key: the baseline annual cost of
    the care being replaced, the quality gate, and the split key (percentages adding up to 100)."""

    __tablename__ = "savings_agreements"
    __table_args__ = (sa.CheckConstraint("baseline_annual_cost > 0", name="baseline_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), unique=True)
    baseline_annual_cost: Mapped[Decimal] = mapped_column(Money)
    explanation: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    initiative: Mapped[Initiative] = relationship()
    gates: Mapped[list[SavingsGate]] = relationship(back_populates="agreement", cascade="all, delete-orphan",
                                                    order_by="SavingsGate.id")
    key_parts: Mapped[list[SavingsKeyPart]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="SavingsKeyPart.id")


class SavingsGate(Base):
    """A goal of the outcome monitor with the value it must reach for savings to be shared
    (in the goal's direction: at least the value when the target is above the baseline, at most
    when below)."""

    __tablename__ = "savings_gates"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("savings_agreements.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("smart_goals.id", ondelete="CASCADE"))
    minimum_value: Mapped[Decimal] = mapped_column(Quantity)

    agreement: Mapped[SavingsAgreement] = relationship(back_populates="gates")
    goal: Mapped[SmartGoal] = relationship(lazy="joined", innerjoin=True)


class SavingsKeyPart(Base):
    __tablename__ = "savings_key_parts"
    # No CHECK on the percentage: SQLite stores it scaled (models.base.Quantity); the service bounds
    # it to (0, 100] and the key to exactly 100.
    __table_args__ = (
        sa.CheckConstraint("(party = 'insurers') = (organisation_id IS NULL)", name="party_names_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("savings_agreements.id", ondelete="CASCADE"), index=True)
    party: Mapped[SavingsPartyKind] = mapped_column(enum_column(SavingsPartyKind, "savings_party_kind"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    percentage: Mapped[Decimal] = mapped_column(Quantity)

    agreement: Mapped[SavingsAgreement] = relationship(back_populates="key_parts")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class SavingsResult(Base):
    """The savings of one year, computed when its settlement becomes final (and again for a
    corrected settlement): baseline − realised cost when positive and every gate is met, else 0
    with the reason."""

    __tablename__ = "savings_results"
    __table_args__ = (sa.UniqueConstraint("settlement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("savings_agreements.id", ondelete="CASCADE"), index=True)
    settlement_id: Mapped[int] = mapped_column(sa.ForeignKey("settlements.id", ondelete="CASCADE"))
    year: Mapped[int]
    baseline: Mapped[Decimal] = mapped_column(Money)
    realised_cost: Mapped[Decimal] = mapped_column(Money)
    gate_met: Mapped[bool]
    savings: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")  # why 0, in Dutch
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    settlement: Mapped[Settlement] = relationship()
    lines: Mapped[list[SavingsResultLine]] = relationship(
        back_populates="result", cascade="all, delete-orphan", order_by="SavingsResultLine.id")


class SavingsResultLine(Base):
    __tablename__ = "savings_result_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(sa.ForeignKey("savings_results.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SavingsLineKind] = mapped_column(enum_column(SavingsLineKind, "savings_line_kind"))
    party: Mapped[SavingsPartyKind | None] = mapped_column(enum_column(SavingsPartyKind, "savings_party_kind"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    percentage: Mapped[Decimal | None] = mapped_column(Quantity)
    amount: Mapped[Decimal] = mapped_column(Money)

    result: Mapped[SavingsResult] = relationship(back_populates="lines")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
