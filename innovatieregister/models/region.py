"""Regions (the zorgkantoorregio's by default) and the municipalities in them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister.models.base import Base

ZORGKANTOORREGIO = "zorgkantoorregio"


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (sa.UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), default=ZORGKANTOORREGIO)
    code: Mapped[str] = mapped_column(sa.String(20))  # CBS code, e.g. ZK22
    name: Mapped[str] = mapped_column(sa.String(120))
    # The 2014 zorgkantoor holder(s) and code(s), as designated in BWBR0034132.
    zorgkantoor: Mapped[str | None] = mapped_column(sa.String(200))
    zorgkantoor_codes: Mapped[str | None] = mapped_column(sa.String(40))
    source: Mapped[str | None] = mapped_column(sa.Text)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class Municipality(Base):
    __tablename__ = "municipalities"
    __table_args__ = (sa.UniqueConstraint("year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    year: Mapped[int]  # municipal boundaries of this year
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)

    region: Mapped[Region] = relationship(back_populates="municipalities")
