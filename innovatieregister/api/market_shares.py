"""Market-share sets through the API (issue 14): read by every user, as the regions' pages show
them; imported by an administrator with the same service as the admin page (all or nothing, every
bad line in the 422)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import Field
from sqlalchemy.orm import joinedload

from innovatieregister import clock, limits, policies
from innovatieregister.api import bp
from innovatieregister.api.schema import DateIn, In, Out, Text, body, list_of, operation, responses
from innovatieregister.extensions import db
from innovatieregister.models import MarketShare, MarketShareSet
from innovatieregister.policies import allow, any_user, is_admin
from innovatieregister.services import Invalid, NotFound, market_shares
from innovatieregister.services.audit import Actor


class ShareSet(Out):
    id: int
    peildatum: date
    source: str
    illustrative: bool = Field(description="not real figures (the demo): shown as 'illustratief'")
    imported_at: datetime


class MarketShareRow(Out):
    region: str
    insurer: str
    insured: int = Field(ge=0)


class ShareSetDetail(ShareSet):
    shares: list[MarketShareRow]


class ShareSetImport(In):
    peildatum: DateIn
    source: Text(limits.SOURCE, description="where the figures come from")
    file: Text(limits.MARKET_SHARE_FILE, description=(
        "the CSV file's text, as the admin page reads it: a header, then one line per region and insurer"))


def _shown(share_set: MarketShareSet) -> bool:
    """An administrator sees every set; others those whose peildatum has come (the ones in force and
    before, as the regions' and initiatives' pages name them), not one imported for a later day."""
    return policies.is_admin(current_user) or share_set.peildatum <= clock.today()


def _set(s: MarketShareSet) -> dict:
    return {"id": s.id, "peildatum": s.peildatum, "source": s.source, "illustrative": s.illustrative,
            "imported_at": s.imported_at}


@bp.route("/market-share-sets")
@allow(any_user)
@operation(resp=responses(list_of(ShareSet)))
def market_share_sets():
    """De sets marktaandelen, de laatste peildatum eerst"""
    return {"items": [_set(s) for s in market_shares.list_sets() if _shown(s)]}


@bp.route("/market-share-sets/<int:set_id>")
@allow(any_user)
@operation(resp=responses(ShareSetDetail))
def market_share_set(set_id: int):
    """Eén set: het aantal verzekerden per regio en verzekeraar"""
    share_set = db.session.get(MarketShareSet, set_id)
    if share_set is None or not _shown(share_set):
        raise NotFound(_("Deze set marktaandelen bestaat niet."))
    shares = db.session.scalars(sa.select(MarketShare).where(MarketShare.set_id == set_id)
                                .options(joinedload(MarketShare.region), joinedload(MarketShare.insurer))
                                .order_by(MarketShare.region_id, MarketShare.insurer_id)).all()
    return {**_set(share_set), "shares": [{"region": s.region.code, "insurer": s.insurer.code,
                                           "insured": s.insured} for s in shares]}


@bp.route("/market-share-sets", methods=["POST"])
@allow(is_admin)
@operation(json=ShareSetImport, resp=responses(ShareSet, 201))
def import_market_shares():
    """Importeer een set marktaandelen (beheerder): alles of niets, elke foute regel in de 422"""
    data: ShareSetImport = body()
    peildatum = limits.parse_date(data.peildatum)
    if peildatum is None:
        raise Invalid(_("Niets geïmporteerd."), {"peildatum": [_("Vul een geldige peildatum in.")]})
    share_set = market_shares.import_market_shares(data.file, peildatum, data.source, Actor(user=current_user))
    return _set(share_set), 201, {"Location": f"/api/v1/market-share-sets/{share_set.id}"}
