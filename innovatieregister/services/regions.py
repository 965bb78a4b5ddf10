"""Regions with their market shares in force and their lead insurers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from innovatieregister.extensions import db
from innovatieregister.models import Municipality, Region, User
from innovatieregister.policies import is_insurer_staff
from innovatieregister.services import NotFound
from innovatieregister.services.market_shares import RegionMarket, markets_in_force


@dataclass
class RegionOverview:
    region: Region
    market: RegionMarket | None


def list_regions(today: date) -> list[RegionOverview]:
    regions = region_choices()
    markets = markets_in_force(today)
    return [RegionOverview(region, markets.get(region.id)) for region in regions]


def region_choices() -> list[Region]:
    """Every region by name, for a form's or a filter's dropdown: one small query, without
    computing the market shares in force that the dropdown does not show."""
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def led_regions(user: User, today: date) -> list[Region]:
    """The regions where the user's insurer leads, by the market shares in force; none for
    anyone else (without computing a market for them)."""
    if not is_insurer_staff(user):
        return []
    return _led(user, list_regions(today))


def choices_and_led_regions(user: User, today: date) -> tuple[list[Region], list[Region]]:
    """region_choices() and led_regions(user, today) from one read of the regions."""
    if not is_insurer_staff(user):
        return region_choices(), []
    overviews = list_regions(today)
    return [o.region for o in overviews], _led(user, overviews)


def _led(user: User, overviews: list[RegionOverview]) -> list[Region]:
    # By id: the user may come from another session than the market's organisations.
    return [o.region for o in overviews if o.market and user.organisation_id in {lead.id for lead in o.market.leads}]


def region_detail(code: str, today: date) -> tuple[RegionOverview, list[Municipality]]:
    region = db.session.scalar(sa.select(Region).where(Region.code == code.upper()))
    if region is None:
        raise NotFound(_("Regio '%(code)s' bestaat niet.", code=code))
    market = markets_in_force(today, [region.id]).get(region.id)
    municipalities = db.session.scalars(
        sa.select(Municipality).where(Municipality.region_id == region.id).order_by(Municipality.name)
    ).all()
    return RegionOverview(region, market), list(municipalities)
