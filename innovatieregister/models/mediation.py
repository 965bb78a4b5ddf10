"""Mediation (NZa-style): cases on an impasse, statements from parties, private notes, findings."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import STATE_LABELS, MediationState
from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.decision import FollowRequest
from innovatieregister.models.initiative import Initiative
from innovatieregister.models.organisation import Organisation, User, enum_column


class MediationReason(StrEnum):
    INSUFFICIENT_DECLINE = "insufficient_decline"  # a decline flagged "onvoldoende onderbouwd"
    DEADLINE_PASSED = "deadline_passed"  # no decision before the deadline
    DISAGREEMENT = "disagreement"  # any other impasse a party describes
    SETTLEMENT_CONTESTED = "settlement_contested"  # a contested settlement (nacalculatie), issue 11


class Finding(StrEnum):
    DECLINE_UPHELD = "decline_upheld"
    FOLLOW_REQUIRED = "follow_required"  # the breakthrough: the insurer must record its follow
    SETTLED = "settled"


MEDIATION_LABELS = Labels({
    MediationReason.INSUFFICIENT_DECLINE: N_("Afwijzing onvoldoende onderbouwd"),
    MediationReason.DEADLINE_PASSED: N_("Termijn verstreken zonder besluit"),
    MediationReason.DISAGREEMENT: N_("Verschil van inzicht"),
    MediationReason.SETTLEMENT_CONTESTED: N_("Nacalculatie betwist"),
    Finding.DECLINE_UPHELD: N_("Afwijzing blijft staan"),
    Finding.FOLLOW_REQUIRED: N_("Volgen vereist"),
    Finding.SETTLED: N_("Geschikt"),
    **STATE_LABELS[MediationState],
})


class MediationCase(Base):
    __tablename__ = "mediation_cases"
    __table_args__ = (
        # One live case per request: an escalation and a party's request meet in the same case.
        sa.Index("uq_mediation_cases_live_request", "follow_request_id", unique=True,
                 sqlite_where=sa.text("state IN ('open', 'in_progress', 'finding')"),
                 postgresql_where=sa.text("state IN ('open', 'in_progress', 'finding')")),
        sa.Index("ix_mediation_cases_state_opened", "state", "opened_at"),
        sa.Index("ix_mediation_cases_state_follow_up", "state", "follow_up_deadline"),  # the scheduler's
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id"), index=True)
    follow_request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("follow_requests.id"))
    # A contested settlement taken to mediation (issue 11); no follow request then.
    settlement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settlements.id"), index=True)
    reason: Mapped[MediationReason] = mapped_column(enum_column(MediationReason, "mediation_reason"))
    statement: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")  # why, in the requester's words
    state: Mapped[MediationState] = mapped_column(enum_column(MediationState, "mediation_state"),
                                                  default=MediationState.OPEN)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))  # None: the register itself
    opened_by_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    finding: Mapped[Finding | None] = mapped_column(enum_column(Finding, "mediation_finding"))
    finding_reasoning: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    finding_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_deadline: Mapped[date | None]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    initiative: Mapped[Initiative] = relationship()
    follow_request: Mapped[FollowRequest | None] = relationship()
    opened_by_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[opened_by_organisation_id])
    mediator: Mapped[User | None] = relationship(foreign_keys=[mediator_id])
    statements: Mapped[list[StatementRequest]] = relationship(back_populates="case", order_by="StatementRequest.id")


class StatementRequest(Base):
    """A request for a party's view (zienswijze), with a deadline, and the party's answer."""

    __tablename__ = "mediation_statements"
    __table_args__ = (sa.Index("ix_mediation_statements_due", "answered_at", "deadline"),)  # the scheduler's

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation_cases.id"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    question: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    deadline: Mapped[date]
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(sa.String(limits.TEXT))
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[MediationCase] = relationship(back_populates="statements")
    party: Mapped[Organisation] = relationship()


class MediatorNote(Base):
    """The mediator's private notes: parties never see them."""

    __tablename__ = "mediator_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation_cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
