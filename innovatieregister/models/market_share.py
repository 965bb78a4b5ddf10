"""Regional market shares: the number of insured per insurer per region, per peildatum.

Shares are derived from counts, never stored as percentages. A set is never rewritten:
a new peildatum is a new set, so the key an initiative was opened on stays as it was.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.organisation import Organisation, User
from innovatieregister.models.region import Region


class MarketShareSet(Base):
    __tablename__ = "market_share_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    peildatum: Mapped[date] = mapped_column(unique=True)
    source: Mapped[str] = mapped_column(sa.String(limits.SOURCE))
    # Demo figures derived from national totals, not real regional data: shown as such.
    illustrative: Mapped[bool] = mapped_column(default=False)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    imported_by: Mapped[str] = mapped_column(sa.String(254))  # who or which command
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    shares: Mapped[list[MarketShare]] = relationship(back_populates="share_set")
    importer: Mapped[User | None] = relationship()


class MarketShare(Base):
    __tablename__ = "market_shares"
    __table_args__ = (
        sa.UniqueConstraint("set_id", "region_id", "insurer_id"),
        sa.CheckConstraint("insured >= 0", name="insured_not_negative"),
        sa.Index("ix_market_shares_region_set", "region_id", "set_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("market_share_sets.id"))
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"))
    insurer_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    insured: Mapped[int] = mapped_column(sa.BigInteger)

    share_set: Mapped[MarketShareSet] = relationship(back_populates="shares")
    region: Mapped[Region] = relationship()
    insurer: Mapped[Organisation] = relationship()
