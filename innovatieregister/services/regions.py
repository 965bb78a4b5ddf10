"""Regions with their market shares in force and their lead insurers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from innovatieregister.extensions import db
from innovatieregister.models import Municipality, Region
from innovatieregister.services import NotFound
from innovatieregister.services.market_shares import RegionMarket, markets_in_force


@dataclass
class RegionOverview:
    region: Region
    market: RegionMarket | None


def list_regions(today: date) -> list[RegionOverview]:
    regions = db.session.scalars(sa.select(Region).order_by(Region.name)).all()
    markets = markets_in_force(today)
    return [RegionOverview(region, markets.get(region.id)) for region in regions]


def region_detail(code: str, today: date) -> tuple[RegionOverview, list[Municipality]]:
    region = db.session.scalar(sa.select(Region).where(Region.code == code.upper()))
    if region is None:
        raise NotFound(f"Regio '{code}' bestaat niet.")
    market = markets_in_force(today, [region.id]).get(region.id)
    municipalities = db.session.scalars(
        sa.select(Municipality).where(Municipality.region_id == region.id).order_by(Municipality.name)
    ).all()
    return RegionOverview(region, market), list(municipalities)
