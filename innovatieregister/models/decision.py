"""Follow requests, the versioned decisions on them, and the arguments behind a decline."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import FollowRequestState
from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.initiative import Initiative
from innovatieregister.models.organisation import Organisation, User, enum_column


class DecisionKind(StrEnum):
    FOLLOW = "follow"
    DECLINE = "decline"


class ConditionsVerdict(StrEnum):
    """The lead's judgement of the conditions a follower attached to its follow."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class RequestKind(StrEnum):
    FOLLOW = "follow"  # the lead's initiative opened for decisions: every other insurer is asked
    ADOPTION = "adoption"  # a provider asks an insurer to adopt the lead's deal for its insured


IMPACT_UNITS = Labels({"patients": N_("patiënten per jaar"), "bed_days": N_("beddagen per jaar")})


class ArgumentCriterion(Base):
    """A criterion of the governed catalogue; its weight is set by policy (the admin)."""

    __tablename__ = "argument_criteria"
    __table_args__ = (sa.CheckConstraint("weight >= 0", name="weight_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(limits.CODE), unique=True)
    name: Mapped[str] = mapped_column(sa.String(limits.NAME))
    explanation: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    weight: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PolicySetting(Base):
    """A number the policy leaves to the administrator (e.g. the weighty threshold)."""

    __tablename__ = "policy_settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FollowRequest(Base):
    """A request to an insurer to decide on funding an initiative.

    One mechanism for both: the follow request every other insurer gets when the lead opens
    the initiative (at most one per initiative and insurer), and the adoption request a
    provider sends (at most one live one per initiative and insurer).

    The name covers adoption too, on purpose (issue 14; GLOSSARY.md): in the policy an adoption
    (overname) is itself a request to follow, namely to follow an agreement another insurer
    made, for one's own insured. Both kinds run through the same states, deadlines and
    versioned decisions; `kind` tells them apart.
    """

    __tablename__ = "follow_requests"
    __table_args__ = (
        sa.Index("uq_follow_requests_follow", "initiative_id", "insurer_id", unique=True,
                 sqlite_where=sa.text("kind = 'follow'"), postgresql_where=sa.text("kind = 'follow'")),
        sa.Index("uq_follow_requests_live_adoption", "initiative_id", "insurer_id", unique=True,
                 sqlite_where=sa.text("kind = 'adoption' AND state IN ('open', 'decided', 'overdue')"),
                 postgresql_where=sa.text("kind = 'adoption' AND state IN ('open', 'decided', 'overdue')")),
        sa.Index("ix_follow_requests_insurer_state", "insurer_id", "state", "deadline"),
        # "Is this organisation asked on this initiative?" (visibility), whatever the kind.
        sa.Index("ix_follow_requests_initiative_insurer", "initiative_id", "insurer_id"),
        # An initiative's requests still undecided past their deadline (the figures' stalled euros, per
        # initiative): without it SQLite reads every overdue request of the country for each initiative.
        sa.Index("ix_follow_requests_initiative_state", "initiative_id", "state", "deadline"),
        # The scheduler's selections: open (or decided) requests by deadline.
        sa.Index("ix_follow_requests_state_deadline", "state", "deadline"),
        # The adoption requests' list, nearest deadline first, read a page at a time (keyset).
        sa.Index("ix_follow_requests_kind_deadline", "kind", "deadline", "id"),
        # The adoption requests an insurer received, a provider sent, or that are on an initiative
        # (services/adoption.py: the list and its count), each in the list's order where it can be.
        sa.Index("ix_follow_requests_insurer_kind", "insurer_id", "kind", "deadline", "id"),
        sa.Index("ix_follow_requests_provider_kind", "requesting_provider_id", "kind", "deadline", "id"),
        sa.Index("ix_follow_requests_initiative_kind", "initiative_id", "kind"),
        sa.CheckConstraint("impact_volume IS NULL OR impact_volume > 0", name="impact_volume_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(enum_column(RequestKind, "request_kind"), default=RequestKind.FOLLOW,
                                              server_default=RequestKind.FOLLOW.value)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id"), index=True)
    insurer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    state: Mapped[FollowRequestState] = mapped_column(
        enum_column(FollowRequestState, "follow_request_state"), default=FollowRequestState.OPEN
    )
    deadline: Mapped[date]
    # The insured this insurer had in the frozen allocation key.
    insured: Mapped[int] = mapped_column(sa.BigInteger)
    # An adoption request: who asked, and the transformation impact they promise.
    requesting_provider_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    impact_description: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="", server_default="")
    impact_volume: Mapped[int | None]
    impact_unit: Mapped[str | None] = mapped_column(sa.String(20))
    impact_by: Mapped[date | None]
    evidence_url: Mapped[str] = mapped_column(sa.String(limits.URL), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fixed once known, kept in the flush that writes the first decision (services/decision_times.py)
    # so the figures count from them instead of converting every request's moments: the Dutch date of
    # the first decision, and the Dutch working days from the request to it.
    first_decided_on: Mapped[date | None]
    decision_days: Mapped[int | None]

    initiative: Mapped[Initiative] = relationship()
    insurer: Mapped[Organisation] = relationship(foreign_keys=[insurer_id])
    requesting_provider: Mapped[Organisation | None] = relationship(foreign_keys=[requesting_provider_id])
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="follow_request", order_by="Decision.version"
    )


class Decision(Base):
    """One version of an insurer's decision; exactly one version of a request stands."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.UniqueConstraint("follow_request_id", "version"),
        sa.Index("uq_decisions_standing", "follow_request_id", unique=True,
                 sqlite_where=sa.text("standing = 1"), postgresql_where=sa.text("standing")),
        # Follows whose conditions wait for the lead's verdict: few among ~100,000 decisions, so the
        # dashboard finds them without reading every decision on the lead's initiatives.
        sa.Index("ix_decisions_conditions_unjudged", "follow_request_id",
                 sqlite_where=sa.text("conditions_verdict IS NULL AND conditions <> ''"),
                 postgresql_where=sa.text("conditions_verdict IS NULL AND conditions <> ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follow_request_id: Mapped[int] = mapped_column(sa.ForeignKey("follow_requests.id"))
    version: Mapped[int]
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "decision_kind"))
    conditions: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    standing: Mapped[bool] = mapped_column(default=True)
    # What a decline was assessed with, kept as it was: a later change of a weight or of
    # the threshold never changes an assessment already recorded.
    score: Mapped[int | None]
    threshold: Mapped[int | None]
    weighty: Mapped[bool | None]
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A double click or a resubmitted form carries the same key and stores nothing new.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(limits.IDEMPOTENCY_KEY), unique=True)
    # A follow with conditions: the lead's verdict on them, with its reasons (services/conditions.py).
    conditions_verdict: Mapped[ConditionsVerdict | None] = mapped_column(
        enum_column(ConditionsVerdict, "conditions_verdict"))
    conditions_reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="", server_default="")
    conditions_judged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    conditions_judged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    follow_request: Mapped[FollowRequest] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])
    conditions_judged_by: Mapped[User | None] = relationship(foreign_keys=[conditions_judged_by_id])
    arguments: Mapped[list[DecisionArgument]] = relationship(
        back_populates="decision", order_by="DecisionArgument.id", cascade="all, delete-orphan"
    )

    @property
    def insufficiently_substantiated(self) -> bool:
        return self.kind == DecisionKind.DECLINE and not self.weighty

    @property
    def conditions_to_judge(self) -> bool:
        """A follow with conditions the lead has not judged yet."""
        return self.kind == DecisionKind.FOLLOW and bool(self.conditions) and self.conditions_verdict is None

    @property
    def insurer_state(self) -> InsurerState:
        """This decision as where the insurer stands on funding."""
        return self.state_of(self.kind)

    @staticmethod
    def state_of(kind: DecisionKind | None) -> InsurerState:
        """Where a standing decision of this kind puts its insurer (None: no decision yet)."""
        if kind is None:
            return InsurerState.UNDECIDED
        return InsurerState.FOLLOWS if kind == DecisionKind.FOLLOW else InsurerState.DECLINES


class DecisionArgument(Base):
    __tablename__ = "decision_arguments"
    __table_args__ = (sa.CheckConstraint("strength BETWEEN 1 AND 3", name="strength_1_to_3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("argument_criteria.id"))
    criterion_name: Mapped[str] = mapped_column(sa.String(limits.NAME))  # as it was when decided
    weight: Mapped[int]  # the criterion's weight when decided
    strength: Mapped[int]
    explanation: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    evidence_url: Mapped[str] = mapped_column(sa.String(limits.URL), default="")

    decision: Mapped[Decision] = relationship(back_populates="arguments")
    criterion: Mapped[ArgumentCriterion] = relationship()

    @property
    def score(self) -> int:
        return self.weight * self.strength
