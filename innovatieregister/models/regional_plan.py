"""Regional agreements (issue 12): per region the regional picture (regiobeeld) and the multi-year
themes with SMART goals, kept by the region's lead insurers.

Every save is a new `RegionalPlanVersion`; earlier versions stay as they were. A theme has a
stable identity (`RegionalTheme`) that initiatives link to, while what it says lives per version
(`RegionalThemeVersion`), so a renamed theme keeps its initiatives and its history.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from innovatieregister import limits
from innovatieregister.models.base import Base, UTCDateTime, utcnow
from innovatieregister.models.organisation import Organisation, User
from innovatieregister.models.region import Region


class RegionalPlanVersion(Base):
    __tablename__ = "regional_plan_versions"
    # One number per version and region: two saves at once cannot both become version n.
    __table_args__ = (sa.UniqueConstraint("region_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"))
    version: Mapped[int]
    regiobeeld: Mapped[str] = mapped_column(sa.String(limits.REGIOBEELD), default="")
    note: Mapped[str] = mapped_column(sa.String(limits.LINE), default="")  # what changed, in a line
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()
    created_by: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    themes: Mapped[list[RegionalThemeVersion]] = relationship(
        back_populates="plan_version", cascade="all, delete-orphan", order_by="RegionalThemeVersion.position")


class RegionalTheme(Base):
    """A theme's identity in its region, what initiatives link to (initiatives.theme_id)."""

    __tablename__ = "regional_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("regions.id"), index=True)
    # Its title in the latest version it is part of (kept by each save): pages that show an
    # initiative's theme read it with the initiative, without a query of their own.
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region] = relationship()


class RegionalThemeVersion(Base):
    """What a theme says in one version of the plan: title, explanation, period and goals."""

    __tablename__ = "regional_theme_versions"
    __table_args__ = (
        sa.UniqueConstraint("plan_version_id", "theme_id"),
        sa.CheckConstraint("end_year >= start_year", name="period_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("regional_plan_versions.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("regional_themes.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(limits.TITLE))
    description: Mapped[str] = mapped_column(sa.String(limits.TEXT), default="")
    start_year: Mapped[int]
    end_year: Mapped[int]

    plan_version: Mapped[RegionalPlanVersion] = relationship(back_populates="themes")
    theme: Mapped[RegionalTheme] = relationship()
    goals: Mapped[list[RegionalGoal]] = relationship(
        back_populates="theme_version", cascade="all, delete-orphan", order_by="RegionalGoal.position")


class RegionalGoal(Base):
    """A SMART goal of a theme: metric, baseline, target and the date it is due."""

    __tablename__ = "regional_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("regional_theme_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    metric: Mapped[str] = mapped_column(sa.String(limits.LINE))
    baseline: Mapped[str] = mapped_column(sa.String(limits.GOAL_VALUE))
    target: Mapped[str] = mapped_column(sa.String(limits.GOAL_VALUE))
    target_date: Mapped[date]

    theme_version: Mapped[RegionalThemeVersion] = relationship(back_populates="goals")
