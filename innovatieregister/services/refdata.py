"""Loading the shipped reference data: regions, municipalities, insurer concerns.

Idempotent: rows that exist (by their natural key) are left alone, so loading twice
changes nothing. See innovatieregister/refdata/README.md for the sources.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

import sqlalchemy as sa

from innovatieregister.extensions import db
from innovatieregister.models import Municipality, Organisation, OrganisationKind, Region
from innovatieregister.models.region import ZORGKANTOORREGIO
from innovatieregister.services import write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.criteria import load_default_criteria

REGIONS_FILE = "zorgkantoorregios_2014_with_cbs2019_codes.csv"
MUNICIPALITIES_FILE = "gemeente_zorgkantoorregio_2014.csv"
CONCERNS_FILE = "concern_marktaandelen_nl.csv"
RATES_FILE = "reference_figures_elv_verkeerdebed.csv"
CONCERN_YEAR = "2022"  # the most recent complete, verified national table
MUNICIPALITY_YEAR = 2014
REGION_SOURCE = "BWBR0034132 (aanwijzing zorgkantoren 2014), CBS-regiocodes 2019"


def read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("innovatieregister.refdata").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def concern_code(name: str) -> str:
    """A short stable code for a concern name: 'Zorg en Zekerheid' → 'ZORG-EN-ZEKERHEID'."""
    return re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")


def national_concerns() -> list[dict[str, str]]:
    return [row for row in read_csv(CONCERNS_FILE) if row["jaar"] == CONCERN_YEAR]


def region_rows() -> dict[str, list[dict[str, str]]]:
    """The 2014 region rows grouped by their CBS 2019 code (ZK33 merges two)."""
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_csv(REGIONS_FILE):
        grouped[row["cbs_code_2019"]].append(row)
    return dict(grouped)


@dataclass
class LoadReport:
    regions: int = 0
    municipalities: int = 0
    insurers: int = 0
    criteria: int = 0

    def __str__(self) -> str:
        return (f"{self.regions} regio's, {self.municipalities} gemeenten, "
                f"{self.insurers} zorgverzekeraars en {self.criteria} afwijzingscriteria toegevoegd")

    @property
    def changed(self) -> bool:
        return bool(self.regions or self.municipalities or self.insurers or self.criteria)


def load_reference_data(actor: Actor) -> LoadReport:
    report = LoadReport()
    with write_transaction():
        regions = {
            r.code: r
            for r in db.session.scalars(sa.select(Region).where(Region.kind == ZORGKANTOORREGIO))
        }
        for code, rows in sorted(region_rows().items()):
            if code in regions:
                continue
            region = Region(
                kind=ZORGKANTOORREGIO,
                code=code,
                name=rows[0]["cbs_naam_2019"],
                zorgkantoor="; ".join(sorted({r["zorgkantoor_rechtspersoon_2014"] for r in rows})),
                zorgkantoor_codes=", ".join(r["zorgkantoorcode"] for r in rows),
                source=REGION_SOURCE,
            )
            db.session.add(region)
            regions[code] = region
            report.regions += 1
        db.session.flush()

        known = set(db.session.scalars(
            sa.select(Municipality.name).where(Municipality.year == MUNICIPALITY_YEAR)
        ))
        for row in read_csv(MUNICIPALITIES_FILE):
            if row["gemeente_2014"] in known:
                continue
            db.session.add(Municipality(
                name=row["gemeente_2014"],
                year=MUNICIPALITY_YEAR,
                region_id=regions[row["cbs_code_2019"]].id,
            ))
            report.municipalities += 1

        codes = set(db.session.scalars(sa.select(Organisation.code)))
        for row in national_concerns():
            code = concern_code(row["concern"])
            if code in codes:
                continue
            db.session.add(Organisation(
                kind=OrganisationKind.INSURER,
                name=row["concern"],
                code=code,
                source=f"Zorgverzekeringsconcern volgens {row['bron']}",
            ))
            report.insurers += 1
        db.session.flush()
        if report.regions or report.municipalities or report.insurers:
            record(actor, "refdata.load", ("ReferenceData", ZORGKANTOORREGIO), after={
                "regions": report.regions,
                "municipalities": report.municipalities,
                "insurers": report.insurers,
            })
    # The decline criteria and threshold are policy defaults every registry starts with.
    report.criteria = load_default_criteria(actor)
    return report
