"""The demo scenario: observation beds in Twente, on illustrative market shares.

Idempotent: everything is found by its natural key first and only made when missing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.allocation import apportion
from innovatieregister.domain.funding import PledgeState
from innovatieregister.domain.monitoring import MeasurementKind, OutcomeCategory, ProcessEntryKind, Verdict
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.formatting import euro
from innovatieregister.models import (
    CoFundingPledge,
    CostCategory,
    CostLine,
    Evaluation,
    EvidenceLevel,
    Follow,
    Initiative,
    InitiativeKind,
    InitiativeProvider,
    InnovationType,
    MarketShareSet,
    Measurement,
    MonitoringMoment,
    Organisation,
    OrganisationKind,
    Phase,
    ProcessLogEntry,
    Region,
    RegionalPlanVersion,
    Role,
    SmartGoal,
    User,
)
from innovatieregister.services import write_transaction
from innovatieregister.services.accounts import hash_password
from innovatieregister.services.audit import Actor, iso, record
from innovatieregister.services.co_funding import snapshot as co_funding_snapshot
from innovatieregister.services.market_shares import import_market_shares
from innovatieregister.services.refdata import (
    RATES_FILE,
    concern_code,
    load_reference_data,
    national_concerns,
    read_csv,
    region_rows,
)
from innovatieregister.services.regional_plans import GoalInput, PlanInput, ThemeInput, current_version, record_version

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - printed for the demo on purpose
DEMO_PEILDATUM = date(2022, 1, 1)
ZORGKANTOOR_FACTOR = 3
DEMO_SOURCE = (
    "ILLUSTRATIEF, geen echte regionale cijfers: inwoners per zorgkantoorregio verdeeld "
    "naar landelijke aantallen verzekerden per concern 2022 (NZa/Vektis via staatvenz.nl), "
    f"het concern met het zorgkantoor in de regio (2014) telt {ZORGKANTOOR_FACTOR}× mee. "
    "De werkwijze staat in de toelichting bij de referentiegegevens van het register."
)


# The holder names in the regions file, as concerns of the 2022 table.
ZORGKANTOOR_CONCERNS = {"ENO/Salland": "Eno"}

TWENTE = "ZK22"
ORGANISATIONS = [
    (OrganisationKind.PROVIDER, "ZH-TWENTE", "Ziekenhuis Twente (demo)"),
    (OrganisationKind.PROVIDER, "VVT-TWENTE", "Ouderenzorg Twente (demo)"),
    (OrganisationKind.PROVIDER, "HA-TWENTE", "Huisartsencoöperatie Twente (demo)"),
    # Providers in Nijmegen, where VGZ leads: the ones it chooses when it adopts an initiative there.
    (OrganisationKind.PROVIDER, "ZH-NIJMEGEN", "Ziekenhuis Nijmegen (demo)"),
    (OrganisationKind.PROVIDER, "VVT-NIJMEGEN", "Wijkverpleging Nijmegen (demo)"),
    (OrganisationKind.MEDIATOR, "BEMIDDELAAR", "Onafhankelijk bemiddelaar (demo, NZa-rol)"),
    (OrganisationKind.MUNICIPALITY, "GEM-ENSCHEDE", "Gemeente Enschede (demo)"),
    (OrganisationKind.CARE_OFFICE, "ZKT-TWENTE", "Zorgkantoor Twente (demo)"),
    (OrganisationKind.OPERATOR, "BEHEER", "Beheer Innovatieregister (demo)"),
]
# Where each demo provider gives care (an adopted draft offers its own region's providers).
PROVIDER_REGIONS = {"ZH-TWENTE": TWENTE, "VVT-TWENTE": TWENTE, "HA-TWENTE": TWENTE,
                    "ZH-NIJMEGEN": "ZK16", "VVT-NIJMEGEN": "ZK16"}
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
    ("gemeente@demo.nl", "Gerda (gemeente Enschede)", "GEM-ENSCHEDE", Role.CO_FUNDER_STAFF),
    ("zorgkantoor@demo.nl", "Kees (zorgkantoor Twente)", "ZKT-TWENTE", Role.CO_FUNDER_STAFF),
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


def load_demo(today: date | None = None, settled_pilot: bool = True) -> DemoReport:
    """Load what is missing of the demo; `today` (default: the clock's) dates the older, running initiative.
    `settled_pilot`: also the observation-bed pilot with last year settled (issue 11); the test suite's
    plain demo leaves it out, so that what its tests count of the demo stays theirs."""
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
        orgs = _organisations(actor, report)
        _users(orgs, actor, report)
        twente = db.session.scalars(sa.select(Region).where(Region.code == TWENTE)).one()  # the reference data's
        plan = current_version(twente.id)
        if plan is None:
            plan = record_version(actor, twente, TWENTE_PLAN)
            report.created.append(f"regioplan {twente.name}")
        initiative = _observation_beds(twente, plan, orgs, actor, report)
        if _demo_pledges(initiative, orgs, actor):
            report.created.append("toezeggingen van medefinanciers")
        _monitored_innovation(twente, orgs, today or clock.today(), actor, report)
        _follow_for_the_demo(actor, report)

        pilot = db.session.scalar(sa.select(Initiative.id).where(
            Initiative.title == PILOT_TITLE, Initiative.region_id == twente.id))
        if pilot is None and settled_pilot:
            load_settled_pilot(twente, orgs, today or clock.today(), actor)
            report.created.append(PILOT_TITLE)
    return report


def _organisations(actor: Actor, report: DemoReport) -> dict[str, Organisation]:
    """The demo's organisations by code, each made once; a provider gets its region."""
    orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
    regions = dict(db.session.execute(sa.select(Region.code, Region.id).where(
        Region.code.in_(set(PROVIDER_REGIONS.values())))).all())
    for kind, code, name in ORGANISATIONS:
        region_code = PROVIDER_REGIONS.get(code)
        if code not in orgs:
            orgs[code] = Organisation(kind=kind, code=code, name=name, source="demo",
                                      region_id=regions.get(region_code) if region_code else None)
            db.session.add(orgs[code])
            db.session.flush()
            record(actor, "organisation.create", orgs[code],
                   after={"code": code, "name": name, "kind": kind.value,
                          **({"region": region_code} if region_code else {})})
            report.created.append(name)
        elif region_code and orgs[code].region_id is None:
            # A demo loaded before providers had a region (migration 0021).
            orgs[code].region_id = regions[region_code]
            db.session.flush()
            record(actor, "organisation.update", orgs[code], before={"region": None},
                   after={"region": region_code})
    return orgs


def _users(orgs: dict[str, Organisation], actor: Actor, report: DemoReport) -> None:
    """The demo users, each made once."""
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


def _observation_beds(twente: Region, plan: RegionalPlanVersion, orgs: dict[str, Organisation], actor: Actor,
                      report: DemoReport) -> Initiative:
    """The observation-bed draft, made once, linked to its theme of Twente's plan."""
    initiative = db.session.scalar(
        sa.select(Initiative).where(Initiative.title == OBSERVATION_TITLE,
                                    Initiative.region_id == twente.id)
    )
    if initiative is None:
        initiative = observation_bed_initiative(twente, orgs)
        initiative.theme_id = _theme_id(plan, OBSERVATION_THEME)
        db.session.add(initiative)
        db.session.flush()
        record(actor, "initiative.create", initiative, after={
            "title": initiative.title, "status": initiative.status.value,
            "annual_budget": str(initiative.annual_budget),
        })
        report.created.append(OBSERVATION_TITLE)
    elif initiative.theme_id is None and initiative.status == InitiativeState.CONCEPT:
        # A demo loaded before the regional plans existed: the draft gets its theme too.
        initiative.theme_id = _theme_id(plan, OBSERVATION_THEME)
        db.session.flush()
        record(actor, "initiative.update", initiative, before={"theme": None},
               after={"theme": initiative.theme_id})
    return initiative


def _monitored_innovation(twente: Region, orgs: dict[str, Organisation], today: date, actor: Actor,
                          report: DemoReport) -> None:
    """The running, monitored innovation, made once and published in the public register."""
    monitored = db.session.scalar(sa.select(Initiative.id).where(
        Initiative.title == MONITORING_TITLE, Initiative.region_id == twente.id))
    if monitored is not None:
        return
    initiative = monitored_innovation(twente, orgs, today)
    record(actor, "initiative.create", initiative, after={
        "title": initiative.title, "status": initiative.status.value, "phase": initiative.phase.value,
        "activated_at": iso(initiative.activated_at),
        "start_up_end": iso(initiative.start_up_end),
        "term_end": iso(initiative.term_end), "annual_budget": str(initiative.annual_budget),
        "measurements": db.session.scalar(sa.select(sa.func.count(Measurement.id)).where(
            Measurement.initiative_id == initiative.id)),
        "evaluations": [e.verdict.value for e in db.session.scalars(
            sa.select(Evaluation).where(Evaluation.initiative_id == initiative.id))],
    })
    report.created.append(MONITORING_TITLE)
    # The lead published it in the public register (issue 12): `make run` shows /openbaar/.
    initiative.published_at = initiative.activated_at
    db.session.flush()
    record(actor, "initiative.publish", initiative, before={"published_at": None, "publish_on": None},
           after={"published_at": iso(initiative.published_at), "publish_on": None})


# Co-funding of the observation beds (illustrative amounts): the municipality's Wmo budget confirmed,
# the care office's Wlz contribution still waiting for its confirmation.
DEMO_PLEDGES = (
    ("GEM-ENSCHEDE", Decimal("100000.00"), PledgeState.CONFIRMED, False,
     "Wmo: voor inwoners van Enschede die na de observatie thuis ondersteuning nodig hebben."),
    ("ZKT-TWENTE", Decimal("50000.00"), PledgeState.PROPOSED, True,
     "Wlz: naar rato van het gebruik door cliënten met een Wlz-indicatie."),
)


def _demo_pledges(initiative: Initiative, orgs: dict[str, Organisation], actor: Actor) -> bool:
    """The observation beds' pledges, once (a draft only: after opening nothing about pledges changes)."""
    if initiative.status != InitiativeState.CONCEPT or db.session.scalar(
            sa.select(CoFundingPledge.id).where(CoFundingPledge.initiative_id == initiative.id).limit(1)):
        return False
    for code, amount, state, pro_rata, conditions in DEMO_PLEDGES:
        pledge = CoFundingPledge(initiative_id=initiative.id, organisation=orgs[code], amount_per_year=amount,
                                 state=state, pro_rata=pro_rata, conditions=conditions,
                                 decision_reasons="")
        db.session.add(pledge)
        db.session.flush()
        record(actor, "co_funding.add", pledge, after=co_funding_snapshot(pledge))
    return True


# a.s.r. considers adopting the home monitoring elsewhere: it follows it (issue 12; Gevolgd).
DEMO_FOLLOWER = "asr@demo.nl"


def _follow_for_the_demo(actor: Actor, report: DemoReport) -> None:
    follower = db.session.scalar(sa.select(User.id).where(User.email == DEMO_FOLLOWER))
    followed = db.session.scalar(sa.select(Initiative.id).where(Initiative.title == MONITORING_TITLE))
    if follower is None or followed is None or db.session.scalar(sa.select(Follow.id).where(
            Follow.user_id == follower, Follow.initiative_id == followed)) is not None:
        return
    follow = Follow(user_id=follower, initiative_id=followed)
    db.session.add(follow)
    db.session.flush()
    record(actor, "initiative.follow", follow, after={"initiative": followed, "user": DEMO_FOLLOWER})
    report.created.append(f"{DEMO_FOLLOWER} volgt {MONITORING_TITLE}")


# Twente's regional plan: the four themes of the integrated care agreement (IZA, 2022) as a region
# would make them its own. Illustrative: the goals and numbers are made up for the demo.
OBSERVATION_THEME = "Passende zorg: de juiste zorg op de juiste plek"
TWENTE_PLAN = PlanInput(
    regiobeeld=(
        "ILLUSTRATIEF (demo). Twente vergrijst sneller dan gemiddeld: het aantal 75-plussers groeit tot 2030 "
        "met ruim een derde, terwijl het aantal zorgmedewerkers gelijk blijft. Ziekenhuisbedden worden bezet "
        "door ouderen zonder medische indicatie (verkeerde bedden), de huisartsenposten zijn overbelast en "
        "de wachttijden in de ouderenzorg lopen op.\n\n"
        "De zorgaanbieders, gemeenten, het zorgkantoor en de zorgverzekeraars in Twente maken daarom "
        "meerjarenafspraken langs de vier lijnen van het Integraal Zorgakkoord."
    ),
    note="Eerste versie: de vier IZA-thema's voor Twente.",
    themes=[
        ThemeInput(OBSERVATION_THEME, 2023, 2027,
                   "Zorg verplaatsen van het ziekenhuis naar de eerste lijn en naar huis waar dat kan.",
                   [GoalInput("Verkeerde-beddagen in de Twentse ziekenhuizen per jaar", "6.000", "3.500",
                              date(2027, 12, 31)),
                    GoalInput("Opnames zonder medische indicatie per jaar", "900", "600", date(2027, 12, 31))]),
        ThemeInput("Sterke eerstelijnszorg en wijkverpleging", 2023, 2027,
                   "Huisartsen, wijkverpleging en sociaal domein werken samen in de wijk.",
                   [GoalInput("Inwoners met een vaste huisarts", "96%", "99%", date(2026, 12, 31))]),
        ThemeInput("Digitale en hybride zorg als uitgangspunt", 2023, 2027,
                   "Thuismonitoring en beeldbellen waar het kan, fysiek waar het moet.",
                   [GoalInput("Patiënten met thuismonitoring bij hartfalen", "150", "800", date(2027, 12, 31))]),
        ThemeInput("Arbeidsmarkt: minder administratie, meer tijd voor zorg", 2023, 2027,
                   "Minder registratielast en regionale inzet van personeel.",
                   [GoalInput("Tijd aan administratie per zorgmedewerker", "35%", "25%", date(2027, 12, 31))]),
    ],
)


def _theme_id(plan, title: str) -> int | None:
    return next((t.theme_id for t in plan.themes if t.title == title), None)


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
        basis=f"{euro(rate)} × 365 dagen × {OBSERVATION_BEDS} bedden (NZa max. tarief ELV hoog complex 2025)",
        source=rate_source,
    )]
    initiative.goals = [SmartGoal(
        metric="Verkeerde-beddagen in Ziekenhuis Twente per jaar",
        baseline="2.900", target="1.500", target_date=date(2028, 12, 31),
    )]
    return initiative


# A second, older initiative: a start-up innovation that has run for over two years, with its
# monitors filled in, so every screen of the life after the decision has something real to show.
MONITORING_TITLE = "Thuismonitoring hartfalen Twente"
START_UP_YEARS, TERM_YEARS = 1, 3  # the default term: three years after a start-up year


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _at(day: date) -> datetime:
    """A moment on that day (10:00 UTC, daytime in Amsterdam) for rows the demo dates in the past."""
    return datetime.combine(day, time(10), tzinfo=UTC)


# (category, metric, unit, baseline, target, [baseline, first yearly, second yearly measurement])
MONITORED_GOALS = [
    (OutcomeCategory.QUALITY, "Heropnames binnen 30 dagen na ontslag (hartfalen)", "%",
     Decimal("24.0"), Decimal("15.0"), [Decimal("24.0"), Decimal("21.5"), Decimal("18.9")]),
    (OutcomeCategory.CAPACITY, "Ziekenhuisopnamedagen wegens hartfalen per jaar", "dagen",
     Decimal("3400"), Decimal("2600"), [Decimal("3400"), Decimal("3150"), Decimal("2890")]),
    (OutcomeCategory.COSTS, "Kosten tweede lijn per patiënt met hartfalen per jaar", "euro",
     Decimal("6200"), Decimal("5400"), [Decimal("6200"), Decimal("5980"), Decimal("5710")]),
]
ILLUSTRATIVE = "Illustratief (demo), geen echte meting"


def monitored_innovation(twente: Region, orgs: dict[str, Organisation], today: date) -> Initiative:
    """The running innovation, activated two years and some weeks before `today` (so over a year ago):
    a baseline and two yearly measurements per goal, a process log and one positive periodic
    evaluation. Built as rows: the dates lie in the past, which no use case writes."""
    activated = date(today.year, today.month, 1) - timedelta(days=2 * 365 + 45)
    start_up_end = _years_later(activated, START_UP_YEARS)
    term_end = _years_later(start_up_end, TERM_YEARS)
    lead = db.session.scalars(sa.select(User).where(User.email == "menzis@demo.nl")).one()
    hospital = db.session.scalars(sa.select(User).where(User.email == "ziekenhuis@demo.nl")).one()
    initiative = Initiative(
        title=MONITORING_TITLE,
        description=("Illustratief voorbeeld. Patiënten met hartfalen meten thuis dagelijks gewicht, bloeddruk en "
                     "klachten; een verpleegkundige van het monitoringcentrum ziet afwijkingen en schakelt de "
                     "huisarts of cardioloog in voordat een opname nodig is."),
        kind=InitiativeKind.INNOVATION, innovation_type=InnovationType.DIGITAL, phase=Phase.START_UP,
        status=InitiativeState.ACTIVE, region=twente, lead_insurer=orgs["MENZIS"], created_by_id=lead.id,
        substitution_from="Ziekenhuisopnames en poliklinische controles wegens hartfalen",
        substitution_to="Thuismonitoring met opvolging door huisarts en hartfalenverpleegkundige",
        scale_down_plan="Minder controles op de polikliniek cardiologie naarmate patiënten thuis gemonitord worden.",
        replaces_existing_care=True,
        start_criteria="Monitoringcentrum bemand en gekoppeld aan de huisartsinformatiesystemen.",
        stop_criteria="Geen daling van de heropnames na het opstartjaar.",
        term_start=activated, term_end=term_end, start_up_end=start_up_end, activated_at=_at(activated),
        necessity_justification="Opstartfase: de leidende verzekeraar financiert zelf; nog geen volgplicht.",
        evidence_level=EvidenceLevel.PRACTICE,
        created_at=_at(activated - timedelta(days=30)), updated_at=_at(activated),
    )
    initiative.providers = [
        InitiativeProvider(provider=orgs["ZH-TWENTE"], role="Monitoringcentrum en cardiologie"),
        InitiativeProvider(provider=orgs["HA-TWENTE"], role="Opvolging thuis door de huisarts"),
    ]
    initiative.cost_lines = [
        CostLine(category=CostCategory.ICT, description="Monitoringplatform en meetapparatuur thuis",
                 amount=Decimal("180000.00"), basis="Illustratief: 400 patiënten × € 450", source=ILLUSTRATIVE),
        CostLine(category=CostCategory.STAFF, description="Verpleegkundigen monitoringcentrum (2,5 fte)",
                 amount=Decimal("240000.00"), basis="Illustratief: 2,5 fte × € 96.000", source=ILLUSTRATIVE),
    ]
    initiative.goals = [
        SmartGoal(metric=metric, baseline=f"{baseline} {unit}", target=f"{target} {unit}", target_date=term_end,
                  category=category, unit=unit, baseline_value=baseline, target_value=target)
        for category, metric, unit, baseline, target, _ in MONITORED_GOALS]
    db.session.add(initiative)
    db.session.flush()

    yearly = [activated, _years_later(activated, 1), _years_later(activated, 2)]
    kinds = [MeasurementKind.BASELINE, MeasurementKind.PERIODIC, MeasurementKind.PERIODIC]
    measurements: list[Measurement] = []
    for goal, (*_, unit, _baseline, _target, values) in zip(initiative.goals, MONITORED_GOALS, strict=True):
        measurements += [Measurement(initiative_id=initiative.id, goal_id=goal.id, kind=kind, measured_on=day,
                                     value=value, unit=unit, source=f"{ILLUSTRATIVE}: registratie ZH Twente",
                                     entered_by_id=hospital.id, organisation_id=hospital.organisation_id,
                                     created_at=_at(day))
                         for kind, day, value in zip(kinds, yearly, values, strict=True)]
    db.session.add_all(measurements)
    # The calendar: the moments that passed were done when their measurements were taken.
    moments = [MonitoringMoment(initiative_id=initiative.id, kind=kind, due_on=day, done_at=_at(day),
                                created_at=_at(activated)) for kind, day in zip(kinds, yearly, strict=True)]
    moments += [MonitoringMoment(initiative_id=initiative.id, kind=MeasurementKind.PERIODIC,
                                 due_on=_years_later(activated, 3), created_at=_at(activated)),
                MonitoringMoment(initiative_id=initiative.id, kind=MeasurementKind.FINAL, due_on=term_end,
                                 created_at=_at(activated))]
    db.session.add_all(moments)
    db.session.add_all([
        ProcessLogEntry(initiative_id=initiative.id, occurred_on=activated, kind=ProcessEntryKind.FUNDING_FORM,
                        text="Menzis financiert de opstartfase zelf als budget (lump sum); in de opstartfase gaan "
                             "er geen volgverzoeken uit.", author_id=lead.id, organisation_id=lead.organisation_id,
                        created_at=_at(activated)),
        ProcessLogEntry(initiative_id=initiative.id, occurred_on=activated + timedelta(days=120),
                        kind=ProcessEntryKind.OBSTACLE,
                        text="De meetwaarden bereikten de huisartsen niet: geen koppeling met hun systemen.",
                        author_id=hospital.id, organisation_id=hospital.organisation_id,
                        created_at=_at(activated + timedelta(days=120))),
        ProcessLogEntry(initiative_id=initiative.id, occurred_on=activated + timedelta(days=160),
                        kind=ProcessEntryKind.SOLUTION,
                        text="Koppeling via het regionale zorgnetwerk; afwijkingen komen nu als bericht bij de "
                             "huisarts binnen.", author_id=hospital.id, organisation_id=hospital.organisation_id,
                        created_at=_at(activated + timedelta(days=160))),
    ])
    db.session.flush()
    evaluated = yearly[2] + timedelta(days=21)
    db.session.add(Evaluation(
        initiative_id=initiative.id, moment_id=moments[2].id, kind=MeasurementKind.PERIODIC,
        verdict=Verdict.ON_TRACK, recorded_by_id=hospital.id, organisation_id=hospital.organisation_id,
        reasoning=("Na twee jaar zijn de heropnames gedaald van 24% naar 18,9% en de opnamedagen van 3.400 naar "
                   "2.890: op koers naar de doelen. De kosten tweede lijn dalen langzamer dan gepland."),
        measurements=[m for m in measurements if m.measured_on == yearly[2]], created_at=_at(evaluated)))
    db.session.flush()
    return initiative


# A third initiative (issue 11): the observation beds as a smaller pilot in Enschede that opened,
# was decided and activated last year, with a frozen pledge of the municipality, and whose last
# year is settled (final): so `make run` shows a settlement. The concept above stays as it is.
PILOT_TITLE = "Observatiebedden Twente — pilot Enschede"
PILOT_BEDS = 4
PILOT_PLEDGE = Decimal("50000.00")  # Gemeente Enschede (Wmo), per year, pro rata to the actual cost
PILOT_ACTUAL_COST = Decimal("486210.45")  # last year's actual cost (illustrative): the beds opened in February


def load_settled_pilot(twente: Region, orgs: dict[str, Organisation], today: date, actor: Actor) -> Initiative:
    """Built as rows up to its activation (the dates lie in the past); the settlement of last year
    through the services (services.settlements), proposed early this year and made final by the same
    step the scheduler takes after the contest period. The insurers with a demo account follow; the
    four small ones have no account in the demo, so their requests closed without a decision: they do
    not fund, and their parts of the settlement are uncovered."""
    from innovatieregister.domain.allocation import InsurerState
    from innovatieregister.domain.calendar import add_working_days
    from innovatieregister.domain.funding import PledgeState
    from innovatieregister.domain.workflow import FollowRequestState
    from innovatieregister.models import Decision, DecisionKind, FollowRequest
    from innovatieregister.models.funding import CoFundingPledge
    from innovatieregister.services import settlements
    from innovatieregister.services.market_shares import market_of_set

    year = today.year - 1
    opened = date(year, 1, 12)
    deadline = add_working_days(opened, 20)
    activated = deadline + timedelta(days=3)
    share_set = db.session.scalars(sa.select(MarketShareSet).where(MarketShareSet.peildatum == DEMO_PEILDATUM)).one()
    rate, rate_source = elv_day_rate_2025()
    users = {u.organisation_id: u for u in db.session.scalars(sa.select(User).where(User.email.like("%@demo.nl")))}
    lead = users[orgs["MENZIS"].id]
    initiative = Initiative(
        title=PILOT_TITLE,
        description=(f"Illustratief voorbeeld. {PILOT_BEDS} observatiebedden in Enschede als proef voor de "
                     "regionale aanpak: dezelfde zorg als het concept 'Observatiebedden Twente', kleiner."),
        kind=InitiativeKind.JZOJP_INTERVENTION, innovation_type=InnovationType.ORGANISATIONAL,
        phase=Phase.SCALE_UP, region=twente, lead_insurer=orgs["MENZIS"], status=InitiativeState.ACTIVE,
        substitution_from="Verkeerde bedden in het ziekenhuis", substitution_to="Observatiebed in de eerste lijn",
        replaces_existing_care=True, evidence_level=EvidenceLevel.PRACTICE,
        necessity_justification="De bedden zijn er voor verzekerden van alle zorgverzekeraars in Enschede.",
        market_share_set=share_set, opened_at=_at(opened), activated_at=_at(activated), created_by=lead,
        term_start=activated, start_up_end=_years_later(activated, START_UP_YEARS),
        term_end=_years_later(_years_later(activated, START_UP_YEARS), TERM_YEARS),
        gap_acceptance_reasons="Vier kleine verzekeraars besloten niet; Menzis start toch, het tekort is zichtbaar.",
    )
    initiative.providers = [
        InitiativeProvider(provider=orgs["ZH-TWENTE"], role="Verwijzend ziekenhuis"),
        InitiativeProvider(provider=orgs["VVT-TWENTE"], role="Exploitant observatiebedden"),
    ]
    initiative.cost_lines = [CostLine(
        category=CostCategory.CARE, description=f"{PILOT_BEDS} observatiebedden, heel het jaar beschikbaar",
        amount=rate * 365 * PILOT_BEDS, source=rate_source,
        basis=f"{euro(rate)} × 365 dagen × {PILOT_BEDS} bedden (NZa max. tarief ELV hoog complex 2025)")]
    initiative.goals = [SmartGoal(metric="Verkeerde-beddagen in Enschede per jaar", baseline="1.400",
                                  target="800", target_date=initiative.term_end)]
    db.session.add(initiative)
    db.session.flush()
    market = market_of_set(share_set, twente.id)
    for share in market.shares:
        if share.insurer.id == lead.organisation_id:
            continue
        request = FollowRequest(initiative_id=initiative.id, insurer_id=share.insurer.id, deadline=deadline,
                                insured=share.insured, state=FollowRequestState.CLOSED, created_at=_at(opened),
                                closed_at=_at(deadline + timedelta(days=1)))
        db.session.add(request)
        db.session.flush()
        staff = users.get(share.insurer.id)
        if staff is not None:
            db.session.add(Decision(follow_request_id=request.id, version=1, kind=DecisionKind.FOLLOW,
                                    decided_by_id=staff.id, decided_at=_at(opened + timedelta(days=7))))
    municipality = orgs["GEM-ENSCHEDE"]
    db.session.add(CoFundingPledge(
        initiative_id=initiative.id, organisation_id=municipality.id, amount_per_year=PILOT_PLEDGE, pro_rata=True,
        conditions="Wmo-middelen; naar rato van de werkelijke kosten.", state=PledgeState.CONFIRMED,
        created_by_id=lead.id, created_at=_at(opened - timedelta(days=14)), decided_by_id=users[municipality.id].id,
        decided_at=_at(opened - timedelta(days=7)), frozen_at=_at(opened)))
    db.session.flush()
    record(actor, "initiative.create", initiative, after={
        "title": initiative.title, "status": initiative.status.value, "annual_budget": str(initiative.annual_budget),
        "activated_at": iso(initiative.activated_at), "co_funding": str(PILOT_PLEDGE),
        "funders": sorted(o for o, s in _funders(initiative).items() if s == InsurerState.FOLLOWS)})
    # Last year's settlement: proposed early this year (late last year when the demo loads in January,
    # so that its contest period has passed by today), then final.
    proposed_on = date(today.year, 1, 6) if today >= date(today.year, 2, 15) else date(year, 12, 1)
    settlement = settlements.propose(lead, initiative.id, settlements.SettlementInput(
        year, actual_costs=[str(PILOT_ACTUAL_COST)],
        explanation="De bedden gingen in februari open; de kosten tot en met december."),
        proposed_on, _at(proposed_on))
    final_on = settlement.contest_deadline + timedelta(days=1)
    settlements.finalise(settlement.id, final_on, _at(final_on))
    _pilot_mediation(initiative, users, today, actor)
    return initiative


def _pilot_mediation(initiative: Initiative, users: dict[int, User], today: date, actor: Actor) -> None:
    """Menzis asked the mediator about the largest insurer that did not decide on the pilot (illustrative);
    the mediator took the case and asked that insurer's view, whose deadline has passed. So the mediator's
    dashboard has a case and an overdue statement to show (issue 13). As rows, like the pilot itself."""
    from innovatieregister.domain.workflow import MediationState
    from innovatieregister.models import FollowRequest, MediationCase, MediationReason, StatementRequest

    silent = db.session.scalars(sa.select(FollowRequest).where(
        FollowRequest.initiative_id == initiative.id, FollowRequest.insurer_id.notin_(list(users)))
        .order_by(FollowRequest.insured.desc(), FollowRequest.id)).first()
    mediator = next((u for u in users.values() if u.role == Role.MEDIATOR), None)
    if silent is None or mediator is None:
        return
    lead = users[initiative.lead_insurer_id]
    case = MediationCase(
        initiative_id=initiative.id, follow_request_id=silent.id, reason=MediationReason.DISAGREEMENT,
        statement=(f"Illustratief. {silent.insurer.name} besloot niet over de pilot en betaalt niet mee; zijn deel "
                   "van de nacalculatie blijft ongedekt. Wij vragen de bemiddelaar het gesprek te openen."),
        state=MediationState.IN_PROGRESS, opened_by_id=lead.id, opened_by_organisation_id=lead.organisation_id,
        opened_at=_at(today - timedelta(days=21)), mediator_id=mediator.id)
    db.session.add(case)
    db.session.flush()
    record(actor, "mediation.open", case, after={"state": "open", "reason": str(case.reason), "request": silent.id,
                                                 "initiative": initiative.id})
    record(actor, "mediation.take", case, before={"state": "open"}, after={"state": str(case.state)})
    statement = StatementRequest(case_id=case.id, party_id=silent.insurer_id, requested_by_id=mediator.id,
                                 question="Waarom besloot u niet over de pilot; betaalt u alsnog mee?",
                                 requested_at=_at(today - timedelta(days=20)), deadline=today - timedelta(days=6))
    db.session.add(statement)
    db.session.flush()
    record(actor, "mediation.statement_request", case, after={
        "statement": statement.id, "party": silent.insurer.code, "deadline": statement.deadline.isoformat()})


def _funders(initiative: Initiative) -> dict[str, object]:
    from innovatieregister.services.standing import insurer_states

    states = insurer_states([initiative])[initiative.id]
    codes = dict(db.session.execute(sa.select(Organisation.id, Organisation.code)).all())
    return {codes[i]: s for i, s in states.items()}
