"""Regional market shares: importing them (all or nothing) and reading those in force."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _

from innovatieregister import limits
from innovatieregister.domain.csv_table import read_table
from innovatieregister.domain.leads import lead_insurers, rank_insurers
from innovatieregister.extensions import db
from innovatieregister.formatting import datum
from innovatieregister.models import (
    MarketShare,
    MarketShareSet,
    Organisation,
    OrganisationKind,
    Region,
)
from innovatieregister.services import Conflict, Invalid, write_transaction
from innovatieregister.services.audit import Actor, record

COLUMNS = {
    "regio": {"regio", "region", "regiocode"},
    "verzekeraar": {"verzekeraar", "insurer", "concern"},
    "verzekerden": {"verzekerden", "insured", "aantal_verzekerden"},
}
Row = TypeVar("Row")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")  # ASCII digits: \d also takes ٥


@dataclass(frozen=True)
class ShareRow:
    line: int
    region_id: int
    region_code: str
    insurer_id: int
    insurer_code: str
    insured: int


def _lookup(rows: Iterable[Row], *attrs: str) -> dict[str, Row]:
    index: dict[str, Row] = {}
    for row in rows:
        for attr in attrs:
            index[getattr(row, attr).strip().lower()] = row
    return index


def parse_market_share_csv(text: str) -> tuple[list[ShareRow], list[str]]:
    """Read and check a market-share file; return its rows and every error, in Dutch.

    Columns (header required, ',' or ';' separated): regio (CBS code or name),
    verzekeraar (code or name), verzekerden (a whole number ≥ 0).
    """
    table, errors = read_table(text, COLUMNS)
    if table is None:
        return [], errors
    regions = _lookup(db.session.scalars(sa.select(Region)), "code", "name")
    insurers = _lookup(
        db.session.scalars(sa.select(Organisation).where(Organisation.kind == OrganisationKind.INSURER)),
        "code", "name",
    )
    rows: list[ShareRow] = []
    seen: dict[tuple[int, int], int] = {}
    for line_no, fields in table.records(errors):
        region_text = table.value(fields, "regio")
        insurer_text = table.value(fields, "verzekeraar")
        count_text = table.value(fields, "verzekerden")
        line_errors = []
        region = regions.get(region_text.lower())
        if region is None:
            line_errors.append(_("onbekende regio '%(region)s'", region=region_text))
        insurer = insurers.get(insurer_text.lower())
        if insurer is None:
            line_errors.append(_("onbekende zorgverzekeraar '%(insurer)s'", insurer=insurer_text))
        if problem := _count_problem(count_text):
            line_errors.append(problem)
        if region is not None and insurer is not None:
            key = (region.id, insurer.id)
            if key in seen:
                line_errors.append(
                    _("dubbele regel: %(region)s / %(insurer)s staat ook op regel %(line)s", region=region.code,
                      insurer=insurer.code, line=seen[key])
                )
            else:
                seen[key] = line_no
        if line_errors or region is None or insurer is None:  # an unknown one is a line error
            errors.append(_("Regel %(line)s: %(problems)s.", line=line_no, problems="; ".join(line_errors)))
            continue
        rows.append(ShareRow(line_no, region.id, region.code, insurer.id, insurer.code,
                             int(count_text)))

    if not rows and not errors:
        errors.append(_("Het bestand bevat geen regels met marktaandelen."))
    return rows, errors + _regions_without_insured(rows)


def _count_problem(count_text: str) -> str | None:
    """What is wrong with a number of insured as written in the file (a whole number, 0 to INSURED_MAX)."""
    if not _INTEGER.match(count_text):
        return _("aantal verzekerden '%(count)s' is geen geheel getal", count=count_text)
    if count_text.startswith("-"):
        return _("aantal verzekerden %(count)s is negatief", count=count_text)
    if len(count_text.lstrip("+")) > len(str(limits.INSURED_MAX)) or int(count_text) > limits.INSURED_MAX:
        return _("aantal verzekerden is te groot (hoogstens %(max)s)", max=limits.INSURED_MAX)
    return None


def _regions_without_insured(rows: list[ShareRow]) -> list[str]:
    """A region whose rows add up to no insured at all has no one to share the costs."""
    by_region: dict[str, list[ShareRow]] = defaultdict(list)
    for row in rows:
        by_region[row.region_code].append(row)
    return [_("Regel %(lines)s: regio %(region)s heeft in totaal geen verzekerden.",
              lines=", ".join(str(r.line) for r in region_rows), region=code)
            for code, region_rows in sorted(by_region.items()) if sum(r.insured for r in region_rows) == 0]


def import_market_shares(
    text: str, peildatum: date, source: str, actor: Actor, illustrative: bool = False
) -> MarketShareSet:
    """Import a whole file as a new set, or nothing at all (Invalid lists every bad line)."""
    source = (source or "").strip()
    with write_transaction():
        rows, errors = parse_market_share_csv(text)
        if not source:
            errors.insert(0, _("De bron ontbreekt: vermeld waar de cijfers vandaan komen."))
        elif len(source) > limits.SOURCE or limits.has_forbidden_characters(source):
            errors.insert(0, limits.too_long(_("De bron"), limits.SOURCE) if len(source) > limits.SOURCE
                          else _("De bron bevat een teken dat niet is toegestaan."))
        if errors:
            raise Invalid(
                _("Niets geïmporteerd: %(n)s fout(en) gevonden.", n=len(errors)), {"file": errors}
            )
        exists = db.session.scalar(
            sa.select(MarketShareSet.id).where(MarketShareSet.peildatum == peildatum)
        )
        if exists is not None:
            raise Conflict(
                _("Er is al een set marktaandelen met peildatum %(date)s. "
                  "Een bestaande set wordt nooit overschreven; gebruik een nieuwe peildatum.", date=datum(peildatum))
            )
        share_set = MarketShareSet(
            peildatum=peildatum,
            source=source,
            illustrative=illustrative,
            imported_by_id=actor.user.id if actor.user else None,
            imported_by=actor.display,
        )
        db.session.add(share_set)
        db.session.flush()
        db.session.execute(sa.insert(MarketShare), [
            {"set_id": share_set.id, "region_id": r.region_id, "insurer_id": r.insurer_id,
             "insured": r.insured}
            for r in rows
        ])
        record(actor, "market_shares.import", share_set, after={
            "peildatum": peildatum.isoformat(),
            "source": source,
            "illustrative": illustrative,
            "rows": len(rows),
            "regions": len({r.region_id for r in rows}),
        })
    return share_set


@dataclass(frozen=True)
class InsurerShare:
    insurer: Organisation
    insured: int
    fraction: Fraction
    lead: bool


@dataclass
class RegionMarket:
    """A region's market shares in force: the set, every insurer's count, the leads."""

    region_id: int
    share_set: MarketShareSet
    shares: list[InsurerShare] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.insured for s in self.shares)

    @property
    def leads(self) -> list[Organisation]:
        return [s.insurer for s in self.shares if s.lead]

    def insured_by_insurer_id(self) -> dict[int, int]:
        return {s.insurer.id: s.insured for s in self.shares}


def markets_in_force(on: date, region_ids: list[int] | None = None) -> dict[int, RegionMarket]:
    """Per region, the market shares of the latest set with a peildatum on or before `on`.

    Two queries whatever the number of regions and insurers.
    """
    latest = (
        sa.select(MarketShare.region_id, sa.func.max(MarketShareSet.peildatum).label("peildatum"))
        .join(MarketShareSet, MarketShare.set_id == MarketShareSet.id)
        .where(MarketShareSet.peildatum <= on)
        .group_by(MarketShare.region_id)
    )
    if region_ids is not None:
        latest = latest.where(MarketShare.region_id.in_(region_ids))
    latest_sets = latest.subquery()
    query = (
        sa.select(MarketShare.region_id, MarketShare.insured, MarketShareSet, Organisation)
        .join(MarketShareSet, MarketShare.set_id == MarketShareSet.id)
        .join(Organisation, MarketShare.insurer_id == Organisation.id)
        .join(latest_sets, sa.and_(latest_sets.c.region_id == MarketShare.region_id,
                                   latest_sets.c.peildatum == MarketShareSet.peildatum))
    )
    grouped: dict[int, list[tuple[int, Organisation]]] = defaultdict(list)
    sets: dict[int, MarketShareSet] = {}
    for region_id, insured, share_set, insurer in db.session.execute(query):
        grouped[region_id].append((insured, insurer))
        sets[region_id] = share_set
    return {region_id: _region_market(region_id, sets[region_id], rows) for region_id, rows in grouped.items()}


def market_of_set(share_set: MarketShareSet, region_id: int) -> RegionMarket:
    """A region's market shares in one particular set (e.g. an initiative's frozen key)."""
    return markets_of_sets([(share_set, region_id)])[(share_set.id, region_id)]


def markets_of_sets(keys: list[tuple[MarketShareSet, int]]) -> dict[tuple[int, int], RegionMarket]:
    """Several (set, region) markets in one query, e.g. the frozen keys of a page of initiatives."""
    if not keys:
        return {}
    sets = {share_set.id: share_set for share_set, _ in keys}
    pairs = {(share_set.id, region_id) for share_set, region_id in keys}
    # Plain numbers and the few insurers (the identity map keeps one of each): a page of the
    # mediation queue asks this for every case on it.
    rows = db.session.execute(
        sa.select(MarketShare.set_id, MarketShare.region_id, MarketShare.insured, Organisation)
        .join(Organisation, MarketShare.insurer_id == Organisation.id)
        .where(sa.tuple_(MarketShare.set_id, MarketShare.region_id).in_(list(pairs)))
    ).all()
    grouped: dict[tuple[int, int], list] = {pair: [] for pair in pairs}
    for set_id, region_id, insured, insurer in rows:
        grouped[(set_id, region_id)].append((insured, insurer))
    return {(set_id, region_id): _region_market(region_id, sets[set_id], group)
            for (set_id, region_id), group in grouped.items()}


def weights_of_sets(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dict[int, int]]:
    """Per (set id, region id): each insurer's insured in that region by that set, as plain numbers
    (RegionMarket.insured_by_insurer_id without the insurers and their ranking), in one query: what
    splitting a budget by a frozen key needs (e.g. a page of the mediation queue)."""
    wanted = set(pairs)
    weights: dict[tuple[int, int], dict[int, int]] = {pair: {} for pair in wanted}
    if wanted:
        # Two plain IN lists (a cached statement; a list of tuples is built anew each time): a few
        # sets by at most the regions, and only the pairs asked for are kept.
        for set_id, region_id, insurer_id, insured in db.session.execute(
                sa.select(MarketShare.set_id, MarketShare.region_id, MarketShare.insurer_id, MarketShare.insured)
                .where(MarketShare.set_id.in_({s for s, _r in wanted}),
                       MarketShare.region_id.in_({r for _s, r in wanted}))):
            if (set_id, region_id) in weights:
                weights[(set_id, region_id)][insurer_id] = insured
    return weights


def _region_market(region_id: int, share_set: MarketShareSet, rows: list[tuple[int, Organisation]]) -> RegionMarket:
    """`rows`: each insurer's insured in the region, with the insurer."""
    insured = {insurer.code: count for count, insurer in rows}
    by_code = {insurer.code: insurer for _row, insurer in rows}
    total = sum(insured.values())
    leads = set(lead_insurers(insured)) if total else set()
    # The policy's own ranking, then insurers without insured in the region.
    order = rank_insurers(insured) + sorted(code for code, n in insured.items() if n == 0)
    market = RegionMarket(region_id=region_id, share_set=share_set)
    for code in order:
        insurer = by_code[code]
        market.shares.append(InsurerShare(
            insurer=insurer,
            insured=insured[code],
            fraction=Fraction(insured[code], total) if total else Fraction(0),
            lead=insurer.code in leads,
        ))
    return market


def list_sets() -> list[MarketShareSet]:
    return list(db.session.scalars(
        sa.select(MarketShareSet).order_by(MarketShareSet.peildatum.desc())
    ))
