"""Settlement (nacalculatie, issue 11): per year of the term the lead records the actual cost and,
for the actual-use basis, the units each insurer's insured used; the register allocates the cost
less co-funding over every insurer of the frozen key (domain.allocation.settle) and proposes it.
The funders and co-funders may contest it within SETTLEMENT_CONTEST_WORKING_DAYS working days (and
take the contest to mediation); the scheduler makes it final once that period passed without a
contest. A correction is a new version; the one it replaces is kept as superseded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain import csv_table
from innovatieregister.domain.allocation import Pledge, settle
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.funding import (
    CONTESTABLE_SETTLEMENT_STATES,
    CURRENT_SETTLEMENT_STATES,
    FundingModel,
    PledgeState,
    SettlementBasis,
    SettlementState,
    UseReportState,
)
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import LIVE_MEDIATION_STATES
from innovatieregister.extensions import db
from innovatieregister.formatting import datum
from innovatieregister.i18n import translated
from innovatieregister.models import Initiative, MediationCase, MediationReason, Organisation, User
from innovatieregister.models.funding import (
    CoFundingPledge,
    Settlement,
    SettlementCoFunding,
    SettlementContest,
    SettlementCostLine,
    SettlementLine,
    UseReport,
    UseReportLine,
)
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.deadlines import claim
from innovatieregister.services.initiatives import MAX_AMOUNT, _requested_insurers, parse_amount
from innovatieregister.services.market_shares import market_of_set
from innovatieregister.services.mediation import _open_case
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.savings import on_settlement_final
from innovatieregister.services.standing import insurer_states

SYSTEM = Actor(label="register: nacalculatie")
NOTIFY_KIND = "settlement.update"
UNITS_MAX = limits.IMPACT_VOLUME_MAX  # units of care of one insurer's insured in a year
VOLUME_MAX = limits.IMPACT_VOLUME_MAX
USE_LINES_MAX = 100  # lines of use in one report: far more than the insurers of any key
REFUSED = N_("De nacalculatie is niet vastgelegd; er is niets gewijzigd.")
NO_KEY = N_("Dit initiatief heeft geen bevroren verdeelsleutel (een innovatie in de opstartfase financiert de "
            "penvoerder zelf): er valt niets over de zorgverzekeraars te verrekenen.")


@dataclass
class SettlementInput:
    """What the lead enters for a year: `actual_costs` per cost line of the initiative (in their
    order), or one `actual_cost`; `actual_volume` for price × volume; `use` (insurer code → units)
    for the actual-use basis (or the year's confirmed use report is used)."""

    year: object
    actual_cost: object = None
    actual_costs: list[object] | None = None
    actual_volume: object = None
    use: Mapping[str, object] | None = None
    explanation: object = ""


# Loading and who may --------------------------------------------------------------------------

def _initiative_for(user: User, initiative_id: int, for_update: bool = False) -> Initiative:
    """The initiative, when the user may see its settlements (visibility.sees_settlements_of)."""
    query = sa.select(Initiative).where(Initiative.id == initiative_id)
    initiative = db.session.scalar(query.with_for_update(of=Initiative) if for_update else query)
    if initiative is None or not visibility.sees_settlements_of(
            user, initiative, _lazily(_requested_insurers, initiative.id), _lazily(_co_funder_ids, initiative.id)):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative


def _lazily(load, initiative_id: int) -> Iterator[int]:
    """The ids `load` reads, read only when the visibility rule gets that far (the lead, say, is
    seen at once): a page costs fewer queries."""
    yield from load(initiative_id)


def _co_funder_ids(initiative_id: int) -> list[int]:
    """The organisations whose pledge was frozen with the key."""
    return list(db.session.scalars(sa.select(CoFundingPledge.organisation_id).where(
        CoFundingPledge.initiative_id == initiative_id, CoFundingPledge.state == PledgeState.CONFIRMED,
        CoFundingPledge.frozen_at.is_not(None))))


def term_years(initiative: Initiative, today: date) -> list[int]:
    """The calendar years of the term that can be settled: from the term's start up to its end,
    and no later than this year (a year is settled once it has begun; usually after it ends)."""
    if initiative.activated_at is None or initiative.term_start is None:
        return []
    last = min(initiative.term_end.year if initiative.term_end else today.year, today.year)
    return list(range(initiative.term_start.year, last + 1))


def _settlement_for(user: User, settlement_id: int, for_update: bool = False) -> Settlement:
    query = sa.select(Settlement).where(Settlement.id == settlement_id)
    settlement = db.session.scalar(query.with_for_update(of=Settlement) if for_update else query)
    if settlement is None or not visibility.sees_settlement(user, settlement):
        raise NotFound(_("Deze nacalculatie bestaat niet."))
    return settlement


def _parties(settlement: Settlement) -> set[int]:
    """Who is told of a settlement: the lead, the funders and the co-funders in it."""
    return {settlement.initiative.lead_insurer_id, *(line.insurer_id for line in settlement.lines if line.funds),
            *(c.organisation_id for c in settlement.co_funding_lines)}


def _notify(settlement: Settlement, message: Said, exclude: int | None = None) -> None:
    notify_organisations(sorted(_parties(settlement) - {exclude}), NOTIFY_KIND, message,
                         f"/initiatieven/{settlement.initiative_id}/nacalculatie")


def _snapshot(settlement: Settlement) -> dict:
    return {"year": settlement.year, "version": settlement.version, "state": str(settlement.state),
            "actual_cost": str(settlement.actual_cost), "co_funding": str(settlement.co_funding),
            "allocated": str(settlement.allocated), "uncovered": str(settlement.uncovered),
            "contest_deadline": settlement.contest_deadline.isoformat(),
            "lines": {line.insurer.code: str(line.balance) for line in settlement.lines}}


# Checking the input --------------------------------------------------------------------------

def _amount(value: object, name: str, errors: dict[str, list[str]], label: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        errors.setdefault(name, []).append(_("Vul %(what)s in.", what=label))
        return None
    try:
        return parse_amount(value)
    except ValueError as bad:
        errors.setdefault(name, []).append(f"{label[0].upper()}{label[1:]}: {translated(bad.args[0])}.")
        return None


def _whole(value: object, name: str, errors: dict[str, list[str]], label: str, high: int) -> int | None:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not (isinstance(value, int) or text.isdigit()):
        errors.setdefault(name, []).append(
            _("%(what)s: vul een geheel getal van 0 tot en met %(high)s in.", what=label, high=high))
        return None
    number = int(text) if not isinstance(value, int) else value
    if not 0 <= number <= high:
        errors.setdefault(name, []).append(limits.out_of_range(label, 0, high))
        return None
    return number


def _key(initiative: Initiative) -> dict[int, int]:
    """The frozen key: insured per insurer id of the set frozen at opening (none before opening)."""
    if initiative.market_share_set is None:
        return {}
    return market_of_set(initiative.market_share_set, initiative.region_id).insured_by_insurer_id()


def _units(use: Mapping[str, object], key: dict[int, int], errors: dict[str, list[str]],
           name: str = "use") -> dict[int, int]:
    """Units per insurer id from insurer codes; a code outside the key is an error."""
    codes = dict(db.session.execute(sa.select(Organisation.code, Organisation.id).where(
        Organisation.id.in_(list(key)))).all())
    units: dict[int, int] = {}
    for code, value in use.items():
        insurer_id = codes.get(str(code).strip().upper())
        if insurer_id is None:
            errors.setdefault(name, []).append(
                _("'%(code)s' is geen zorgverzekeraar van de verdeelsleutel.", code=code))
            continue
        number = _whole(value, name, errors, _("Eenheden van %(code)s", code=code), UNITS_MAX)
        if number is not None:
            units[insurer_id] = number
    return units


def _year(value: object, initiative: Initiative, today: date, errors: dict[str, list[str]]) -> int | None:
    years = term_years(initiative, today)
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or int(text) not in years:
        allowed = (_("%(first)s tot en met %(last)s", first=years[0], last=years[-1]) if years
                   else _("geen: het initiatief is niet geactiveerd"))
        errors.setdefault("year", []).append(_("Kies een jaar van de looptijd (%(years)s).", years=allowed))
        return None
    return int(text)


# Use reports ----------------------------------------------------------------------------------

def _confirmed_report(initiative_id: int, year: int) -> UseReport | None:
    return db.session.scalar(sa.select(UseReport).where(
        UseReport.initiative_id == initiative_id, UseReport.year == year,
        UseReport.state == UseReportState.CONFIRMED).order_by(UseReport.id.desc()).limit(1))


def _confirm(report: UseReport, user: User, now: datetime) -> None:
    """The report the year settles on; an earlier confirmed one for that year is superseded."""
    earlier = _confirmed_report(report.initiative_id, report.year)
    if earlier is not None and earlier.id != report.id:
        earlier.state = UseReportState.SUPERSEDED
    report.state = UseReportState.CONFIRMED
    report.decided_by_id, report.decided_at = user.id, now


def _report_snapshot(report: UseReport) -> dict:
    return {"year": report.year, "state": str(report.state), "filename": report.filename,
            "units": {line.insurer.code: line.units for line in report.lines}}


def _use_recorded_by(user: User, initiative: Initiative) -> Initiative:
    """The initiative, when this user may record its use: the lead or a provider involved, and only
    on the actual-use basis with a frozen key."""
    if not (policies.is_lead_staff(user, initiative) or policies.is_involved_provider(user, initiative)):
        raise NotAllowed(_("Alleen de penvoerder en de betrokken zorgaanbieders leggen het gebruik vast."))
    if initiative.settlement_basis != SettlementBasis.ACTUAL_USE or initiative.market_share_set is None:
        raise Conflict(_("Dit initiatief verrekent niet op werkelijk gebruik: er wordt geen gebruik vastgelegd."))
    return initiative


def record_use(user: User, initiative_id: int, year: object, use: Mapping[str, object], today: date,
               now: datetime, filename: str = "") -> UseReport:
    """Units per insurer for a year: the lead's are confirmed at once; a provider involved submits
    them for the lead to confirm or reject."""
    with write_transaction():
        initiative = _use_recorded_by(user, _initiative_for(user, initiative_id, for_update=True))
        lead = policies.is_lead_staff(user, initiative)
        errors: dict[str, list[str]] = {}
        checked_year = _year(year, initiative, today, errors)
        units = _units(use, _key(initiative), errors)
        if not use:
            errors.setdefault("use", []).append(_("Geef per zorgverzekeraar het aantal eenheden."))
        if errors:
            raise Invalid(_("Het gebruik is niet vastgelegd; er is niets gewijzigd."), errors)
        report = UseReport(initiative_id=initiative.id, year=checked_year, organisation_id=user.organisation_id,
                           submitted_by_id=user.id, submitted_at=now, filename=filename[:limits.LINE],
                           state=UseReportState.SUBMITTED,
                           lines=[UseReportLine(insurer_id=i, units=n) for i, n in units.items()])
        db.session.add(report)
        db.session.flush()
        if lead:
            _confirm(report, user, now)
            db.session.flush()
        record(Actor(user=user), "use_report.record", report, after=_report_snapshot(report))
        if not lead:
            notify_organisations([initiative.lead_insurer_id], NOTIFY_KIND,
                                 Said("Gebruik %(year)s van '%(title)s' ingediend: bevestig of wijs af.",
                                      year=checked_year, title=initiative.title),
                                 f"/initiatieven/{initiative.id}/nacalculatie")
        return report


USE_COLUMNS = {"verzekeraar": {"verzekeraar", "zorgverzekeraar", "insurer", "code", "uzovi"},
               "eenheden": {"eenheden", "units", "aantal", "gebruik"}}


def parse_use_csv(text: str, known_codes: set[str]) -> tuple[dict[str, str], list[str]]:
    """The units per insurer code of an uploaded CSV (columns verzekeraar;eenheden): all or nothing,
    every bad line reported with its number (the import discipline of domain.csv_table); a code
    must be one of `known_codes` (the insurers of the frozen key)."""
    table, errors = csv_table.read_table(text, USE_COLUMNS, strict=True)
    if table is None:
        return {}, errors
    use: dict[str, str] = {}
    for line_no, fields in table.records(errors):
        code, units = table.value(fields, "verzekeraar").upper(), table.value(fields, "eenheden")
        if not code:
            errors.append(_("Regel %(n)s: de zorgverzekeraar ontbreekt.", n=line_no))
        elif code not in known_codes:
            errors.append(_("Regel %(n)s: '%(code)s' is geen zorgverzekeraar van de verdeelsleutel.", n=line_no,
                            code=code))
        elif code in use:
            errors.append(_("Regel %(n)s: %(code)s staat er al eerder in.", n=line_no, code=code))
        elif not units.isdigit() or int(units) > UNITS_MAX:
            errors.append(_("Regel %(n)s: '%(units)s' is geen geheel aantal van 0 tot en met %(max)s.", n=line_no,
                             units=units, max=UNITS_MAX))
        else:
            use[code] = units
    if not use and not errors:
        errors.append(_("Het bestand bevat geen regels."))
    return use, errors


def import_use(user: User, initiative_id: int, year: object, text: str, filename: str, today: date,
               now: datetime) -> UseReport:
    initiative = _use_recorded_by(user, _initiative_for(user, initiative_id))
    known = set(db.session.scalars(sa.select(Organisation.code).where(Organisation.id.in_(list(_key(initiative))))))
    use, errors = parse_use_csv(text, known)
    if errors:
        raise Invalid(_("Het bestand is niet ingelezen; er is niets gewijzigd."),
                      {"file": [translated(e) for e in errors]})
    return record_use(user, initiative_id, year, use, today, now, filename)


def decide_use_report(user: User, report_id: int, confirm: bool, reasons: object, now: datetime) -> UseReport:
    """The lead confirms a provider's report (the year then settles on it) or rejects it with reasons."""
    with write_transaction():
        report = db.session.scalar(sa.select(UseReport).where(UseReport.id == report_id)
                                   .with_for_update(of=UseReport))
        if report is None:
            raise NotFound(_("Deze gebruiksopgave bestaat niet."))
        initiative = _initiative_for(user, report.initiative_id)
        if not policies.is_lead_staff(user, initiative):
            raise NotAllowed(_("Alleen de penvoerder bevestigt of wijst een gebruiksopgave af."))
        if report.state != UseReportState.SUBMITTED:
            raise Conflict(_("Over deze gebruiksopgave is al beslist."))
        errors: dict[str, list[str]] = {}
        reasons = limits.checked_text(reasons, limits.TEXT, "reasons", errors, _("De toelichting"))
        if not confirm and not reasons and not errors:
            errors["reasons"] = [_("Zeg waarom u de opgave afwijst.")]
        if errors:
            raise Invalid(_("Er is niets gewijzigd."), errors)
        before = str(report.state)
        if confirm:
            _confirm(report, user, now)
        else:
            report.state, report.decided_by_id, report.decided_at = UseReportState.REJECTED, user.id, now
        report.decision_reasons = reasons
        db.session.flush()
        record(Actor(user=user), "use_report.decide", report, before={"state": before},
               after={"state": str(report.state), "reasons": reasons})
        notify_organisations([report.organisation_id], NOTIFY_KIND,
                             Said(N_("Uw gebruiksopgave %(year)s van '%(title)s' is bevestigd.") if confirm else
                                  N_("Uw gebruiksopgave %(year)s van '%(title)s' is afgewezen."),
                                  year=report.year, title=initiative.title),
                             f"/initiatieven/{initiative.id}/nacalculatie")
        return report


# Proposing (and correcting) -------------------------------------------------------------------

def _current(initiative_id: int, year: int) -> Settlement | None:
    return db.session.scalar(sa.select(Settlement).where(
        Settlement.initiative_id == initiative_id, Settlement.year == year,
        Settlement.state.in_(CURRENT_SETTLEMENT_STATES)).with_for_update(of=Settlement))


def propose(user: User, initiative_id: int, data: SettlementInput, today: date, now: datetime) -> Settlement:
    """The lead proposes the settlement of a year; proposing again for the same year is a
    correction: a new version that supersedes the current one (its open contests end with it)."""
    with write_transaction():
        initiative = _initiative_for(user, initiative_id, for_update=True)
        if not policies.is_lead_staff(user, initiative):
            raise NotAllowed(_("Alleen de penvoerder stelt de nacalculatie voor."))
        if initiative.market_share_set is None and term_years(initiative, today):
            raise Conflict(_(NO_KEY))
        errors: dict[str, list[str]] = {}
        year = _year(data.year, initiative, today, errors)
        explanation = limits.checked_text(data.explanation, limits.TEXT, "explanation", errors, _("De toelichting"))
        actual, actual_volume, cost_lines = _actual_cost(initiative, data, errors)
        key = _key(initiative)
        units, report = _use(initiative, data, year, key, errors)
        if errors or actual is None or year is None:  # the errors name a missing cost or year
            raise Invalid(_(REFUSED), errors)
        if data.use and units is not None:
            report = UseReport(initiative_id=initiative.id, year=year, organisation_id=user.organisation_id,
                               submitted_by_id=user.id, submitted_at=now, state=UseReportState.SUBMITTED,
                               lines=[UseReportLine(insurer_id=i, units=n) for i, n in units.items()])
            db.session.add(report)
            db.session.flush()
            _confirm(report, user, now)
        pledges = list(db.session.scalars(sa.select(CoFundingPledge).where(
            CoFundingPledge.initiative_id == initiative.id, CoFundingPledge.state == PledgeState.CONFIRMED,
            CoFundingPledge.frozen_at.is_not(None)).order_by(CoFundingPledge.id)))
        states = {k: v for k, v in insurer_states([initiative])[initiative.id].items() if k in key}
        try:
            result = settle(actual, initiative.annual_budget, {p.id: Pledge(p.amount_per_year, p.pro_rata)
                                                               for p in pledges}, key, states, units)
        except ValueError:  # units given, all 0, and a cost to allocate
            raise Invalid(_(REFUSED), {"use": [_("Er is geen gebruik om de kosten over te verdelen.")]}) from None
        previous = _supersede_current(initiative.id, year, now)
        settlement = Settlement(
            initiative_id=initiative.id, year=year, version=(previous.version + 1) if previous else 1,
            state=SettlementState.PROPOSED, basis=initiative.settlement_basis, actual_cost=result.actual_cost,
            unit_price=initiative.unit_price if actual_volume is not None else None, actual_volume=actual_volume,
            co_funding=result.co_funding_total, allocated=result.allocated, uncovered=result.uncovered,
            use_report_id=report.id if report else None, explanation=explanation, proposed_by_id=user.id,
            proposed_at=now, contest_deadline=add_working_days(
                today, current_app.config["SETTLEMENT_CONTEST_WORKING_DAYS"]),
            supersedes_id=previous.id if previous else None, cost_lines=cost_lines,
            co_funding_lines=[SettlementCoFunding(pledge_id=p.id, organisation_id=p.organisation_id,
                                                  pledged=p.amount_per_year, counted=result.co_funding[p.id])
                              for p in pledges],
            lines=[SettlementLine(insurer_id=line.insurer, insured=line.insured, units=line.units,
                                  funds=line.funds, allocated=line.allocated, advance=line.advance,
                                  balance=line.balance) for line in result.lines])
        db.session.add(settlement)
        db.session.flush()
        record(Actor(user=user), "settlement.correct" if previous else "settlement.propose", settlement,
               before=_snapshot(previous) if previous else None, after=_snapshot(settlement))
        _notify(settlement, Said(N_("Nacalculatie %(year)s van '%(title)s' gecorrigeerd: bezwaar kan tot en met "
                                    "%(date)s.") if previous else
                                 N_("Nacalculatie %(year)s van '%(title)s' voorgesteld: bezwaar kan tot en met "
                                    "%(date)s."), year=year, title=initiative.title, date=settlement.contest_deadline),
                exclude=user.organisation_id)
        return settlement


def _actual_cost(initiative: Initiative, data: SettlementInput, errors: dict[str, list[str]]
                 ) -> tuple[Decimal | None, int | None, list[SettlementCostLine]]:
    """The year's actual cost: price × the actual volume, the sum of the actual cost per cost line,
    or one amount; with the volume and the cost lines it came from."""
    cost_lines: list[SettlementCostLine] = []
    actual_volume = None
    if initiative.funding_model == FundingModel.PRICE_VOLUME and initiative.unit_price is not None:
        actual_volume = _whole(data.actual_volume, "actual_volume", errors, _("Het werkelijke volume"), VOLUME_MAX)
        actual = initiative.unit_price * actual_volume if actual_volume is not None else None
    elif data.actual_costs is not None:
        if len(data.actual_costs) != len(initiative.cost_lines):
            errors.setdefault("actual_costs", []).append(
                _("Geef per kostenregel het werkelijke bedrag (%(n)s regels).", n=len(initiative.cost_lines)))
        amounts = [_amount(value, f"actual_costs-{n}", errors, _("het werkelijke bedrag van regel %(n)s", n=n + 1))
                   for n, value in enumerate(data.actual_costs)]
        cost_lines = [SettlementCostLine(description=line.description, budgeted=line.amount, actual=amount)
                      for line, amount in zip(initiative.cost_lines, amounts, strict=False) if amount is not None]
        complete = bool(amounts) and None not in amounts and len(amounts) == len(initiative.cost_lines)
        actual = sum((a for a in amounts if a is not None), Decimal("0.00")) if complete else None
        if not amounts:
            errors.setdefault("actual_costs", []).append(_("Geef de werkelijke kosten."))
    else:
        actual = _amount(data.actual_cost, "actual_cost", errors, _("de werkelijke kosten"))
    if actual is not None and actual > MAX_AMOUNT:  # a sum of lines, or price × volume
        errors.setdefault("actual_volume" if actual_volume is not None else "actual_cost", []).append(
            _("De werkelijke kosten zijn te groot."))
    return actual, actual_volume, cost_lines


def _use(initiative: Initiative, data: SettlementInput, year: int | None, key: dict[int, int],
         errors: dict[str, list[str]]) -> tuple[dict[int, int] | None, UseReport | None]:
    """By actual use: the units per insurer, given here or from the year's confirmed use report
    (then that report too); by market share no use may be given."""
    if initiative.settlement_basis != SettlementBasis.ACTUAL_USE:
        if data.use:
            errors.setdefault("use", []).append(_("Dit initiatief verrekent op marktaandeel: geef geen gebruik op."))
        return None, None
    if data.use:
        return _units(data.use, key, errors), None
    if year is None:
        return None, None
    report = _confirmed_report(initiative.id, year)
    if report is None:
        errors.setdefault("use", []).append(
            _("Leg eerst het gebruik per zorgverzekeraar vast (of bevestig een ingediende opgave)."))
        return None, None
    return {line.insurer_id: line.units for line in report.lines}, report


def _supersede_current(initiative_id: int, year: int, now: datetime) -> Settlement | None:
    """The year's current settlement, superseded by the correction being made (its open contests end)."""
    previous = _current(initiative_id, year)
    if previous is not None:
        previous.state = SettlementState.SUPERSEDED
        for contest in previous.contests:
            if contest.resolved_at is None:
                contest.resolved_at, contest.resolution = now, "Vervangen door een correctie."
        db.session.flush()  # one current settlement per year (uq_settlements_current)
    return previous


# Contest, mediation, final -------------------------------------------------------------------

def _required_text(value: object, name: str, label: str, missing: str, refusal: str) -> str:
    """A free text that must be given (reasons, a statement): within limits.TEXT; else Invalid at `name`."""
    errors: dict[str, list[str]] = {}
    text = limits.checked_text(value, limits.TEXT, name, errors, label)
    if not text and not errors:
        errors[name] = [missing]
    if errors:
        raise Invalid(refusal, errors)
    return text


def may_contest(user: User, settlement: Settlement) -> bool:
    """The funders (besides the lead, who proposed it) and the co-funders in the settlement."""
    if settlement.state not in CONTESTABLE_SETTLEMENT_STATES:
        return False
    if policies.is_lead_staff(user, settlement.initiative):
        return False
    return (policies.is_insurer_staff(user) and any(
        line.insurer_id == user.organisation_id and line.funds for line in settlement.lines)) or (
        policies.is_co_funder_staff(user) and any(
            c.organisation_id == user.organisation_id for c in settlement.co_funding_lines))


def _checked_contest(user: User, settlement: Settlement, reasons: object, today: date) -> str:
    """The refusals of a contest (the same for its confirmation step); the reasons, checked."""
    if not may_contest(user, settlement):
        if settlement.state in (SettlementState.FINAL, SettlementState.SUPERSEDED):
            raise Conflict(_("Deze nacalculatie is definitief of vervangen; bezwaar kan niet meer."))
        raise NotAllowed(_("Alleen de financierende zorgverzekeraars en de medefinanciers maken bezwaar."))
    if today > settlement.contest_deadline:
        raise Conflict(_("De bezwaartermijn is op %(date)s verstreken.", date=datum(settlement.contest_deadline)))
    if any(c.organisation_id == user.organisation_id and c.resolved_at is None for c in settlement.contests):
        raise Conflict(_("Uw organisatie heeft al bezwaar gemaakt tegen deze nacalculatie."))
    return _required_text(reasons, "reasons", _("De redenen"), _("Geef de redenen van uw bezwaar."),
                          _("Er is geen bezwaar vastgelegd."))


def preview_contest(user: User, settlement_id: int, reasons: object, today: date) -> tuple[Settlement, str]:
    """The contest checked, not made (its confirmation step): the settlement and the reasons."""
    settlement = _settlement_for(user, settlement_id)
    return settlement, _checked_contest(user, settlement, reasons, today)


def contest(user: User, settlement_id: int, reasons: object, today: date, now: datetime) -> SettlementContest:
    with write_transaction():
        settlement = _settlement_for(user, settlement_id, for_update=True)
        reasons = _checked_contest(user, settlement, reasons, today)
        objection = SettlementContest(settlement_id=settlement.id, organisation_id=user.organisation_id,
                                      user_id=user.id, reasons=reasons, created_at=now)
        db.session.add(objection)
        before, settlement.state = settlement.state, SettlementState.CONTESTED
        db.session.flush()
        record(Actor(user=user), "settlement.contest", settlement, before={"state": str(before)},
               after={"state": str(settlement.state), "contest": objection.id, "reasons": reasons})
        _notify(settlement, Said("%(organisation)s maakt bezwaar tegen de nacalculatie %(year)s van '%(title)s'.",
                                 organisation=user.organisation.name, year=settlement.year,
                                 title=settlement.initiative.title), exclude=user.organisation_id)
        return objection


def open_contest_of(user: User, settlement: Settlement) -> SettlementContest:
    """The user's organisation's contest of this settlement that still stands; Conflict when none."""
    own = next((c for c in settlement.contests
                if c.organisation_id == user.organisation_id and c.resolved_at is None), None)
    if own is None:
        raise Conflict(_("Uw organisatie heeft geen bezwaar tegen deze nacalculatie dat nog loopt."))
    return own


def withdraw_contest(user: User, contest_id: int, today: date, now: datetime) -> Settlement:
    """The contesting party withdraws its objection. With none left the settlement is proposed
    again, or final at once when its contest period has passed."""
    with write_transaction():
        objection = db.session.get(SettlementContest, contest_id)
        if objection is None:
            raise NotFound(_("Dit bezwaar bestaat niet."))
        settlement = _settlement_for(user, objection.settlement_id, for_update=True)
        if objection.organisation_id != user.organisation_id or policies.is_admin(user):
            raise NotAllowed(_("Alleen de organisatie die bezwaar maakte trekt het in."))
        if objection.resolved_at is not None:
            raise Conflict(_("Dit bezwaar is al afgehandeld."))
        objection.resolved_at, objection.resolution = now, "Ingetrokken."
        before = settlement.state
        if all(c.resolved_at is not None for c in settlement.contests):
            settlement.state = SettlementState.PROPOSED
        db.session.flush()
        record(Actor(user=user), "settlement.contest_withdrawn", settlement, before={"state": str(before)},
               after={"state": str(settlement.state), "contest": objection.id})
        if settlement.state == SettlementState.PROPOSED and today > settlement.contest_deadline:
            _make_final(settlement, Actor(user=user), now)
        return settlement


def may_take_to_mediation(user: User, settlement: Settlement) -> bool:
    return settlement.state == SettlementState.CONTESTED and (
        policies.is_lead_staff(user, settlement.initiative)
        or any(c.organisation_id == user.organisation_id and c.resolved_at is None for c in settlement.contests))


def to_mediation(user: User, settlement_id: int, statement: object) -> MediationCase:
    """A contested settlement taken to the mediator, like any impasse (services.mediation)."""
    with write_transaction():
        settlement = _settlement_for(user, settlement_id, for_update=True)
        if not may_take_to_mediation(user, settlement):
            if settlement.state != SettlementState.CONTESTED:
                raise Conflict(_("Alleen een betwiste nacalculatie gaat naar bemiddeling."))
            raise NotAllowed(_("De penvoerder en wie bezwaar maakte vragen bemiddeling over de nacalculatie."))
        if db.session.scalar(sa.select(MediationCase.id).where(
                MediationCase.settlement_id == settlement.id, MediationCase.state.in_(LIVE_MEDIATION_STATES))):
            raise Conflict(_("Over deze nacalculatie loopt al een bemiddeling."))
        statement = _required_text(statement, "statement", _("De toelichting"),
                                   _("Leg uit waarom u bemiddeling vraagt."), _("Geen bemiddeling aangevraagd."))
        return _open_case(settlement.initiative, MediationReason.SETTLEMENT_CONTESTED, statement, None,
                          Actor(user=user), settlement=settlement)


def _make_final(settlement: Settlement, actor: Actor, now: datetime) -> None:
    before, settlement.state, settlement.final_at = settlement.state, SettlementState.FINAL, now
    db.session.flush()
    record(actor, "settlement.final", settlement, before={"state": str(before)}, after=_snapshot(settlement))
    _notify(settlement, Said("De nacalculatie %(year)s van '%(title)s' is definitief.", year=settlement.year,
                             title=settlement.initiative.title))
    on_settlement_final(settlement, actor)


def finalise(settlement_id: int, today: date, now: datetime) -> bool:
    """The scheduler: a proposed settlement whose contest period passed without a contest is final.
    Claimed under (settlement, deadline): a second scheduler or a re-run does nothing twice."""
    with write_transaction():
        settlement = db.session.scalar(sa.select(Settlement).where(Settlement.id == settlement_id)
                                       .with_for_update(of=Settlement))
        if (settlement is None or settlement.state != SettlementState.PROPOSED
                or settlement.contest_deadline >= today):
            return False
        if not claim("settlement_final", settlement, settlement.contest_deadline.isoformat()):
            return False
        _make_final(settlement, SYSTEM, now)
        return True


# Reading --------------------------------------------------------------------------------------

@dataclass
class YearView:
    year: int
    current: Settlement | None
    history: list[Settlement] = field(default_factory=list)  # superseded versions, newest first


@dataclass
class SettlementsPage:
    initiative: Initiative
    years: list[YearView]
    reports: list[UseReport]  # use reports, newest first (the actual-use basis)
    may_propose: bool
    may_report_use: bool
    has_key: bool
    insurers: list[Organisation]  # of the key, for the units form
    user: User

    def may_contest(self, settlement: Settlement) -> bool:
        return may_contest(self.user, settlement)

    def may_take_to_mediation(self, settlement: Settlement) -> bool:
        return may_take_to_mediation(self.user, settlement)



def _visible(user: User, initiative_id: int):
    return (sa.select(Settlement).where(Settlement.initiative_id == initiative_id, visibility.settlement_clause(user))
            .options(selectinload(Settlement.lines), selectinload(Settlement.cost_lines),
                     selectinload(Settlement.co_funding_lines), selectinload(Settlement.contests)))


def settlements_page(user: User, initiative_id: int, today: date) -> SettlementsPage:
    initiative = _initiative_for(user, initiative_id)
    settlements = list(db.session.scalars(_visible(user, initiative.id).order_by(
        Settlement.year, Settlement.version.desc())))
    years = {y: YearView(y, None) for y in term_years(initiative, today)}
    for settlement in settlements:
        view = years.setdefault(settlement.year, YearView(settlement.year, None))
        if settlement.state == SettlementState.SUPERSEDED:
            view.history.append(settlement)
        else:
            view.current = settlement
    lead = policies.is_lead_staff(user, initiative)
    actual_use = initiative.settlement_basis == SettlementBasis.ACTUAL_USE
    works_on = lead or policies.is_involved_provider(user, initiative)
    reports = list(db.session.scalars(sa.select(UseReport).where(UseReport.initiative_id == initiative.id)
                                      .options(selectinload(UseReport.lines)).order_by(UseReport.id.desc()))
                   ) if actual_use and works_on else []
    insurers = []
    if initiative.market_share_set is not None:
        insurers = [s.insurer for s in market_of_set(initiative.market_share_set, initiative.region_id).shares]
    may = bool(term_years(initiative, today)) and initiative.market_share_set is not None
    return SettlementsPage(initiative, [years[y] for y in sorted(years, reverse=True)], reports,
                           may and lead, may and actual_use and works_on, initiative.market_share_set is not None,
                           insurers, user)


def settlements_of(user: User, initiative_id: int) -> list[Settlement]:
    """Every settlement of the initiative the user may see, every version, by year and version."""
    initiative = _initiative_for(user, initiative_id)
    return list(db.session.scalars(_visible(user, initiative.id).order_by(Settlement.year, Settlement.version)))


def settlement_of(user: User, initiative_id: int, settlement_id: int) -> Settlement:
    settlement = _settlement_for(user, settlement_id)
    if settlement.initiative_id != initiative_id:
        raise NotFound(_("Deze nacalculatie bestaat niet."))
    return settlement


def due_for_final(today: date) -> list[int]:
    """Proposed settlements whose contest period has passed (ix_settlements_state_contest_deadline),
    not yet claimed."""
    from innovatieregister.services.deadlines import unclaimed

    return list(db.session.scalars(sa.select(Settlement.id).where(
        Settlement.state == SettlementState.PROPOSED, Settlement.contest_deadline < today,
        unclaimed("settlement_final", Settlement, Settlement.contest_deadline))
        .order_by(Settlement.contest_deadline, Settlement.id)))
