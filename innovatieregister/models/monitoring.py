"""After the decision (issue 10): the evaluation calendar, measurements, evaluations, the
process log, documents and term extensions of an active initiative."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.domain.monitoring import DocumentKind, MeasurementKind, ProcessEntryKind, Verdict
from innovatieregister.models.base import Base, Quantity, UTCDateTime, utcnow
from innovatieregister.models.initiative import Initiative, SmartGoal
from innovatieregister.models.organisation import Organisation, User, enum_column

evaluation_measurements = sa.Table(
    "evaluation_measurements",
    Base.metadata,
    sa.Column("evaluation_id", sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("measurement_id", sa.ForeignKey("measurements.id", ondelete="CASCADE"), primary_key=True),
)

evaluation_documents = sa.Table(
    "evaluation_documents",
    Base.metadata,
    sa.Column("evaluation_id", sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)


class MonitoringMoment(Base):
    """One date of the evaluation calendar fixed at activation (the lead may move it).

    Done when an evaluation of its kind is recorded for it; the scheduler reminds before and
    escalates after `due_on` while it is not done."""

    __tablename__ = "monitoring_moments"
    __table_args__ = (sa.Index("ix_monitoring_moments_due", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeasurementKind] = mapped_column(enum_column(MeasurementKind, "measurement_kind"))
    due_on: Mapped[date]
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    initiative: Mapped[Initiative] = relationship()


class Measurement(Base):
    """A value of one SMART goal's metric at a date (the outcome monitor)."""

    __tablename__ = "measurements"
    # No CHECK on the value: SQLite stores it scaled (models.base.Quantity); the services bound it.
    __table_args__ = (sa.Index("ix_measurements_goal_measured_on", "goal_id", "measured_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("smart_goals.id", ondelete="CASCADE"))
    kind: Mapped[MeasurementKind] = mapped_column(enum_column(MeasurementKind, "measurement_kind"))
    measured_on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str] = mapped_column(sa.String(limits.UNIT), default="")
    source: Mapped[str] = mapped_column(sa.String(limits.LINE), default="")
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goal: Mapped[SmartGoal] = relationship()
    entered_by: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Document(Base):
    """An uploaded file of evidence (an evaluation report, say); its bytes live in DocumentContent."""

    __tablename__ = "documents"
    __table_args__ = (sa.CheckConstraint(f"size_bytes >= 0 AND size_bytes <= {limits.DOCUMENT_BYTES_MAX}",
                                         name="size_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, "document_kind"))
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE))
    filename: Mapped[str] = mapped_column(sa.String(limits.FILENAME))
    content_type: Mapped[str] = mapped_column(sa.String(limits.CONTENT_TYPE))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation] = relationship()


class DocumentContent(Base):
    """A document's bytes, apart from its description so lists never read them. Stored in the
    database: one backup, one transaction, one access rule."""

    __tablename__ = "document_contents"

    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)


class Evaluation(Base):
    """A recorded evaluation: a verdict with its reasoning, resting on measurements and documents."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    moment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("monitoring_moments.id"))
    kind: Mapped[MeasurementKind] = mapped_column(enum_column(MeasurementKind, "measurement_kind"))
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict, "evaluation_verdict"))
    reasoning: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moment: Mapped[MonitoringMoment | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation] = relationship()
    measurements: Mapped[list[Measurement]] = relationship(secondary=evaluation_measurements,
                                                           order_by="Measurement.id")
    documents: Mapped[list[Document]] = relationship(secondary=evaluation_documents, order_by="Document.id")


class ProcessLogEntry(Base):
    """The process monitor: a dated note of an agreement, the funding form, an intervention,
    an obstacle or a solution, by one of the parties."""

    __tablename__ = "process_log_entries"
    __table_args__ = (sa.Index("ix_process_log_entries_initiative_occurred", "initiative_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"))
    occurred_on: Mapped[date]
    kind: Mapped[ProcessEntryKind] = mapped_column(enum_column(ProcessEntryKind, "process_entry_kind"))
    text: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation] = relationship()


class TermExtension(Base):
    """An extension of the term, resting on an evaluation whose verdict says results are in sight."""

    __tablename__ = "term_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("evaluations.id"))
    previous_end: Mapped[date]
    new_end: Mapped[date]
    reasons: Mapped[str] = mapped_column(sa.String(limits.TEXT))
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluation: Mapped[Evaluation] = relationship()
