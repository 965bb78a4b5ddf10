"""The demo scenario: observation beds in Twente, on illustrative market shares.

Idempotent: everything is found by its natural key first and only made when missing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from innovatieregister.domain.allocation import apportion
from innovatieregister.extensions import db
from innovatieregister.models import (
    CostCategory,
    CostLine,
    EvidenceLevel,
    Initiative,
    InitiativeKind,
    InitiativeProvider,
    InnovationType,
    MarketShareSet,
    Organisation,
    OrganisationKind,
    Phase,
    Region,
    Role,
    SmartGoal,
    User,
)
from innovatieregister.services import write_transaction
from innovatieregister.services.accounts import hash_password
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.market_shares import import_market_shares
from innovatieregister.services.refdata import (
    RATES_FILE,
    concern_code,
    load_reference_data,
    national_concerns,
    read_csv,
    region_rows,
)

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - printed for the demo on purpose
DEMO_PEILDATUM = date(2022, 1, 1)
ZORGKANTOOR_FACTOR = 3
DEMO_SOURCE = (
    "ILLUSTRATIEF, geen echte regionale cijfers: inwoners per zorgkantoorregio verdeeld "
    "naar landelijke aantallen verzekerden per concern 2022 (NZa/Vektis via staatvenz.nl), "
    f"het concern met het zorgkantoor in de regio (2014) telt {ZORGKANTOOR_FACTOR}× mee. "
    "Zie innovatieregister/refdata/README.md."
)
# The holder names in the regions file, as concerns of the 2022 table.
ZORGKANTOOR_CONCERNS = {"ENO/Salland": "Eno"}

TWENTE = "ZK22"
ORGANISATIONS = [
    (OrganisationKind.PROVIDER, "ZH-TWENTE", "Ziekenhuis Twente (demo)"),
    (OrganisationKind.PROVIDER, "VVT-TWENTE", "Ouderenzorg Twente (demo)"),
    (OrganisationKind.PROVIDER, "HA-TWENTE", "Huisartsencoöperatie Twente (demo)"),
    (OrganisationKind.MEDIATOR, "BEMIDDELAAR", "Onafhankelijk bemiddelaar (demo, NZa-rol)"),
    (OrganisationKind.OPERATOR, "BEHEER", "Beheer Innovatieregister (demo)"),
]
USERS = [
    ("menzis@demo.nl", "Marieke (inkoper Menzis)", "MENZIS", Role.INSURER_STAFF),
    ("achmea@demo.nl", "Ahmed (inkoper Achmea)", "ACHMEA", Role.INSURER_STAFF),
    ("vgz@demo.nl", "Vera (inkoper VGZ)", "VGZ", Role.INSURER_STAFF),
    ("cz@demo.nl", "Cor (inkoper CZ)", "CZ", Role.INSURER_STAFF),
    ("dsw@demo.nl", "Daan (inkoper DSW)", "DSW", Role.INSURER_STAFF),
    ("asr@demo.nl", "Anouk (inkoper ASR)", "ASR", Role.INSURER_STAFF),
    ("ziekenhuis@demo.nl", "Zoë (Ziekenhuis Twente)", "ZH-TWENTE", Role.PROVIDER_STAFF),
    ("ouderenzorg@demo.nl", "Otto (Ouderenzorg Twente)", "VVT-TWENTE", Role.PROVIDER_STAFF),
    ("bemiddelaar@demo.nl", "Bram (bemiddelaar)", "BEMIDDELAAR", Role.MEDIATOR),
    ("beheerder@demo.nl", "Bea (beheerder)", "BEHEER", Role.ADMIN),
]
OBSERVATION_BEDS = 8
OBSERVATION_TITLE = "Observatiebedden Twente"


def illustrative_market_csv() -> str:
    """The illustrative regional set as an import file (see refdata/README.md)."""
    national = {concern_code(r["concern"]): int(r["verzekerden"]) for r in national_concerns()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["regio", "verzekeraar", "verzekerden"])
    for code, rows in sorted(region_rows().items()):
        inhabitants = sum(int(r["inwoners_sotszorg_year_unknown"]) for r in rows)
        holders = {
            concern_code(ZORGKANTOOR_CONCERNS.get(r["concern_derived"], r["concern_derived"]))
            for r in rows
        }
        weights = {
            insurer: count * (ZORGKANTOOR_FACTOR if insurer in holders else 1)
            for insurer, count in national.items()
        }
        for insurer, insured in sorted(apportion(inhabitants, weights).items()):
            writer.writerow([code, insurer, insured])
    return out.getvalue()


def elv_day_rate_2025() -> tuple[Decimal, str]:
    """The NZa 2025 maximum day rate for ELV hoog complex, with its source."""
    source = ""
    for row in read_csv(RATES_FILE):
        if row["bron"] != "idem":  # the file names a source once for the rows below it
            source = row["bron"]
        if row["omschrijving"] == "ELV hoog complex max. tarief per dag" and row["jaar"] == "2025":
            return Decimal(row["waarde"]), source
    raise LookupError("NZa 2025 ELV hoog complex tarief ontbreekt in de referentiedata")


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return ("Demo aangevuld: " + ", ".join(self.created)) if self.created else \
            "Demo was al geladen; niets veranderd."


def load_demo() -> DemoReport:
    actor = Actor.command("flask demo load")
    report = DemoReport()
    refdata = load_reference_data(actor)
    if refdata.changed:
        report.created.append(str(refdata))

    exists = db.session.scalar(
        sa.select(MarketShareSet.id).where(MarketShareSet.peildatum == DEMO_PEILDATUM)
    )
    if exists is None:
        import_market_shares(illustrative_market_csv(), DEMO_PEILDATUM, DEMO_SOURCE, actor,
                             illustrative=True)
        report.created.append("illustratieve marktaandelen")

    with write_transaction():
        orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
        for kind, code, name in ORGANISATIONS:
            if code not in orgs:
                orgs[code] = Organisation(kind=kind, code=code, name=name, source="demo")
                db.session.add(orgs[code])
                db.session.flush()
                record(actor, "organisation.create", orgs[code],
                       after={"code": code, "name": name, "kind": kind.value})
                report.created.append(name)
        emails = set(db.session.scalars(sa.select(User.email)))
        for email, name, org_code, role in USERS:
            if email in emails:
                continue
            user = User(email=email, name=name, organisation=orgs[org_code], role=role,
                        password_hash=hash_password(DEMO_PASSWORD))
            db.session.add(user)
            db.session.flush()
            record(actor, "user.create", user,
                   after={"email": email, "role": role.value, "organisation": org_code})
            report.created.append(email)

        twente = db.session.scalar(sa.select(Region).where(Region.code == TWENTE))
        initiative = db.session.scalar(
            sa.select(Initiative).where(Initiative.title == OBSERVATION_TITLE,
                                        Initiative.region_id == twente.id)
        )
        if initiative is None:
            initiative = observation_bed_initiative(twente, orgs)
            db.session.add(initiative)
            db.session.flush()
            record(actor, "initiative.create", initiative, after={
                "title": initiative.title, "status": initiative.status.value,
                "annual_budget": str(initiative.annual_budget),
            })
            report.created.append(OBSERVATION_TITLE)
    return report


def observation_bed_initiative(twente: Region, orgs: dict[str, Organisation]) -> Initiative:
    rate, rate_source = elv_day_rate_2025()
    amount = rate * 365 * OBSERVATION_BEDS
    initiative = Initiative(
        title=OBSERVATION_TITLE,
        description=(
            f"{OBSERVATION_BEDS} observatiebedden tegen de verkeerde-bed-problematiek: "
            "ouderen die geen ziekenhuisbed nodig hebben maar niet veilig naar huis kunnen, "
            "worden kort geobserveerd in een eerstelijnsverblijf-setting. De bedden zijn er "
            "voor verzekerden van alle zorgverzekeraars in Twente."
        ),
        kind=InitiativeKind.JZOJP_INTERVENTION,
        innovation_type=InnovationType.ORGANISATIONAL,
        phase=Phase.SCALE_UP,
        region=twente,
        lead_insurer=orgs["MENZIS"],
        substitution_from="Verkeerde bedden in het ziekenhuis (klinische opname zonder medische indicatie)",
        substitution_to="Observatiebed in de eerste lijn (ELV hoog complex)",
        scale_down_plan="Afbouw van 8 klinische bedden bij Ziekenhuis Twente na 12 maanden.",
        replaces_existing_care=True,
        start_criteria="Minstens 2 verzekeraars met samen ≥ 80% van de verzekerden volgen.",
        stop_criteria="Bezetting onder 60% gedurende twee kwartalen.",
        term_start=date(2027, 1, 1),
        term_end=date(2030, 1, 1),
        necessity_justification=(
            "De bedden zijn beschikbaar voor patiënten van alle verzekeraars; de leidende "
            "verzekeraar kan alleen voor eigen verzekerden contracteren. Zonder gelijkgericht "
            "volgen kunnen de bedden niet open."
        ),
        evidence_level=EvidenceLevel.PRACTICE,
    )
    initiative.providers = [
        InitiativeProvider(provider=orgs["ZH-TWENTE"], role="Verwijzend ziekenhuis"),
        InitiativeProvider(provider=orgs["VVT-TWENTE"], role="Exploitant observatiebedden"),
    ]
    initiative.cost_lines = [CostLine(
        category=CostCategory.CARE,
        description=f"{OBSERVATION_BEDS} observatiebedden, heel het jaar beschikbaar",
        amount=amount,
        basis=f"€ {rate} × 365 dagen × {OBSERVATION_BEDS} bedden (NZa max. tarief ELV hoog complex 2025)",
        source=rate_source,
    )]
    initiative.goals = [SmartGoal(
        metric="Verkeerde-beddagen in Ziekenhuis Twente per jaar",
        baseline="2.900", target="1.500", target_date=date(2028, 12, 31),
    )]
    return initiative
