"""Initiatives: register as a draft, edit, open for decisions, and read with fair shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from innovatieregister import labels, limits, policies, visibility
from innovatieregister.domain.allocation import CoFunded, InsurerState, combined_state
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.funding import FundingModel, RiskLevel, SettlementBasis
from innovatieregister.domain.measurements import parse_decimal, parse_value
from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.domain.phase import opening_refusal
from innovatieregister.domain.registration import (
    PROVIDERS_OUTSIDE_REGION,
    cross_institution_problem,
    not_a_lead_message,
    providers_outside,
)
from innovatieregister.domain.workflow import (
    InitiativeEvent,
    InitiativeState,
    InvalidTransition,
    Party,
    ShownState,
    transition,
)
from innovatieregister.extensions import db
from innovatieregister.formatting import euro, number
from innovatieregister.models import (
    ConditionsVerdict,
    CostCategory,
    CostLine,
    Decision,
    EvidenceLevel,
    FollowRequest,
    Initiative,
    InitiativeKind,
    InitiativeProvider,
    InnovationType,
    Organisation,
    OrganisationKind,
    Phase,
    Region,
    RegionalTheme,
    RequestKind,
    SmartGoal,
    User,
)
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import (
    Conflict,
    Invalid,
    NotAllowed,
    NotFound,
    co_funding,
    savings,
    write_transaction,
)
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.market_shares import RegionMarket, market_of_set, markets_in_force
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.regional_plans import current_theme_ids

MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")


@dataclass
class CostLineInput:
    category: str
    description: str
    amount: str | Decimal
    basis: str = ""
    source: str = ""


@dataclass
class GoalInput:
    metric: str
    baseline: str
    target: str
    target_date: date | str | None
    # The outcome monitor (issue 10): what the goal is about, and its numbers where it has them.
    category: str | None = None
    unit: str = ""
    baseline_value: str | Decimal | None = None
    target_value: str | Decimal | None = None


@dataclass
class InitiativeInput:
    title: str
    region_code: str
    kind: str
    phase: str
    provider_ids: list[int] = field(default_factory=list)
    cost_lines: list[CostLineInput] = field(default_factory=list)
    goals: list[GoalInput] = field(default_factory=list)
    description: str = ""
    innovation_type: str | None = None
    substitution_from: str = ""
    substitution_to: str = ""
    scale_down_plan: str = ""
    replaces_existing_care: bool = False
    start_criteria: str = ""
    stop_criteria: str = ""
    term_start: date | None = None
    term_end: date | None = None
    necessity_justification: str = ""
    cross_institution_justification: str = ""
    evidence_level: str = EvidenceLevel.NONE.value
    evaluation_links: list[str] = field(default_factory=list)
    idempotency_key: str | None = None
    # Money after the decision (issue 11): chosen before opening, frozen with the key.
    funding_model: str = FundingModel.BUDGET.value
    risk_level: int | str = RiskLevel.NONE.value
    settlement_basis: str = SettlementBasis.MARKET_SHARE.value
    unit_price: str | Decimal | None = None  # price × volume only
    expected_volume: int | str | None = None  # price × volume only
    theme_id: int | str | None = None  # a theme of the region's plan (services/regional_plans.py)


@dataclass
class _Checked:
    """Validated input, ready to be written."""

    region: Region
    providers: list[Organisation]
    cost_lines: list[CostLine]
    goals: list[SmartGoal]
    values: dict


def _enum(value, enum, field_name, errors, label, required=True):
    if value in (None, "") and not required:
        return None
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(m.value for m in enum)
        errors.setdefault(field_name, []).append(_("Kies een geldige %(label)s (%(options)s).",
                                                   label=label, options=options))
        return None


def parse_amount(text) -> Decimal:
    """An amount in euros as typed by a person: '1055550.80', '1.055.550,80' or '€ 12,50'."""
    value = parse_decimal(text if isinstance(text, Decimal) else str(text).replace("€", ""))
    if value is None:
        raise ValueError(_("'%(text)s' is geen bedrag", text=text))
    if value < 0:
        raise ValueError(_("een bedrag kan niet negatief zijn"))
    if value > MAX_AMOUNT:
        raise ValueError(_("dit bedrag is te groot"))
    if value != value.quantize(CENT):
        raise ValueError(_("'%(text)s' heeft meer dan twee decimalen", text=text))
    return value.quantize(CENT)


def positive_amount(text, field_name: str, label: str, errors: dict[str, list[str]]) -> Decimal | None:
    """parse_amount, more than € 0,00; None with a message at `field_name` otherwise."""
    try:
        amount = parse_amount(text)
    except ValueError as error:
        errors.setdefault(field_name, []).append(f"{label}: {error}.")
        return None
    if amount <= 0:
        errors.setdefault(field_name, []).append(_("%(label)s moet groter zijn dan € 0,00.", label=label))
        return None
    return amount


def _date(value, field_name, errors, label) -> date | None:
    if value in (None, ""):
        return None
    parsed = limits.parse_date(value)
    if parsed is None:
        errors.setdefault(field_name, []).append(limits.invalid_date(label))
    return parsed


# The free-text fields of an initiative and their Dutch labels (each at most limits.TEXT).
TEXT_FIELDS = {
    "description": _l("De beschrijving"), "substitution_from": _l("Substitutie: zorg gaat van"),
    "substitution_to": _l("Substitutie: zorg gaat naar"), "scale_down_plan": _l("Het afbouwplan"),
    "start_criteria": _l("De startcriteria"), "stop_criteria": _l("De stopcriteria"),
    "necessity_justification": _l("De noodzaak van gelijkgericht handelen"),
    "cross_institution_justification": _l("De toelichting instellingsoverstijgend"),
}
COST_LINE_FIELDS = {"description": _l("de omschrijving"), "basis": _l("de berekening"), "source": _l("de bron")}
GOAL_FIELDS = {"metric": (_l("de maatstaf"), limits.LINE), "baseline": (_l("de nulmeting"), limits.GOAL_VALUE),
               "target": (_l("de streefwaarde"), limits.GOAL_VALUE)}


def _goal_measures(goal: GoalInput, key: str, label: str, errors: dict[str, list[str]]) -> dict | None:
    """A goal's outcome category (required), unit and numeric baseline and target (optional), or
    None with the errors at `key-<field>`."""
    category = _enum(goal.category or None, OutcomeCategory, f"{key}-category", errors,
                     _("uitkomstcategorie voor %(goal)s", goal=label.lower()), required=False)
    if not goal.category:
        errors.setdefault(f"{key}-category", []).append(_("%(label)s: kies de uitkomstcategorie.", label=label))
    unit = limits.checked_text(goal.unit, limits.UNIT, f"{key}-unit", errors, _("%(label)s: de eenheid", label=label))
    numbers: dict[str, Decimal | None] = {}
    for name, what in (("baseline_value", _("de nulmeting als getal")),
                       ("target_value", _("de streefwaarde als getal"))):
        raw = getattr(goal, name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            numbers[name] = None
            continue
        try:
            numbers[name] = parse_value(raw)
        except ValueError as error:
            errors.setdefault(f"{key}-{name}", []).append(_("%(label)s: %(what)s: %(error)s.",
                                                            label=label, what=what, error=error))
    if category is None or len(numbers) < 2:
        return None
    return {"category": category, "unit": unit, **numbers}


PRICE_VOLUME_LINE = "prijs × volume"

Errors = dict[str, list[str]]


@dataclass
class Found:
    """What the checks of one input found so far: the errors by field and the checked values.
    A later check reads what an earlier one found (the providers the region, the cost lines the
    funding model), so the checks run in the order of INITIATIVE_CHECKS."""

    kept_theme_id: int | None = None  # the theme the draft links to already
    errors: Errors = field(default_factory=dict)
    region: Region | None = None
    providers: list[Organisation] = field(default_factory=list)
    cost_lines: list[CostLine] = field(default_factory=list)
    goals: list[SmartGoal] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # the initiative's own columns


def check_title(data: InitiativeInput, found: Found) -> None:
    found.values["title"] = limits.checked_text(data.title, limits.TITLE, "title", found.errors, _("De titel"),
                                                required=_("Geef het initiatief een titel."))


def check_texts(data: InitiativeInput, found: Found) -> None:
    """The free texts, each at most limits.TEXT."""
    found.values.update({name: limits.checked_text(getattr(data, name), limits.TEXT, name, found.errors, label)
                         for name, label in TEXT_FIELDS.items()})


def check_region(data: InitiativeInput, found: Found) -> None:
    code = limits.checked_text(data.region_code, limits.CODE, "region", found.errors, _("De regio")).upper()
    found.region = db.session.scalar(sa.select(Region).where(Region.code == code))
    if found.region is None:
        found.errors["region"] = [_("Kies een bestaande regio.")]


def check_kinds(data: InitiativeInput, found: Found) -> None:
    """What sort of initiative it is: kind, phase, innovation type, evidence, whether it replaces care."""
    errors = found.errors
    found.values.update(
        kind=_enum(data.kind, InitiativeKind, "kind", errors, _("soort")),
        phase=_enum(data.phase, Phase, "phase", errors, _("fase")),
        innovation_type=_enum(data.innovation_type, InnovationType, "innovation_type", errors,
                              _("soort innovatie"), required=False),
        evidence_level=_enum(data.evidence_level or EvidenceLevel.NONE.value, EvidenceLevel,
                             "evidence_level", errors, _("bewijsniveau")),
        replaces_existing_care=bool(data.replaces_existing_care),
    )


def _provider_ids(data: InitiativeInput) -> list[int]:
    """The chosen ids; [-1] (an unknown provider) for a forged value."""
    try:
        ids = sorted({int(i) for i in data.provider_ids})
    except (TypeError, ValueError):
        return [-1]
    return [-1] if any(not 1 <= i <= limits.ID_MAX for i in ids) else ids


def check_providers(data: InitiativeInput, found: Found) -> None:
    """Existing providers, of the initiative's region (or of no known region)."""
    ids = _provider_ids(data)
    found.providers = list(db.session.scalars(
        sa.select(Organisation).where(Organisation.id.in_(ids), Organisation.kind == OrganisationKind.PROVIDER)
    )) if ids else []
    if len(found.providers) != len(ids):
        found.errors.setdefault("providers", []).append(_("Kies alleen bestaande zorgaanbieders."))
    region = found.region
    if region is not None and (outside := providers_outside(region.id,
                                                            [(p.name, p.region_id) for p in found.providers])):
        found.errors.setdefault("providers", []).append(
            _(PROVIDERS_OUTSIDE_REGION, names=", ".join(sorted(outside)), region=region.name))


def check_cross_institution(data: InitiativeInput, found: Found) -> None:
    """Two providers or more, or a justification (the checked text of check_texts)."""
    problem = cross_institution_problem(len(found.providers), found.values.get("cross_institution_justification", ""))
    if problem:
        found.errors.setdefault("providers", []).append(problem)


def check_funding_terms(data: InitiativeInput, found: Found) -> None:
    """Funding model, risk level, settlement basis; for price × volume the one cost line they make."""
    money = _funding_terms(data, found.errors)
    if "derived_line" in money:
        # The budget is price × volume: one derived cost line keeps annual_budget (and every
        # sum of cost lines) the one source of the budget.
        found.cost_lines = [money.pop("derived_line")]
    found.values.update(money)


def _cost_line(line: CostLineInput, i: int, errors: Errors) -> CostLine | None:
    """Cost line `i` (from 1), or None with its errors at `cost_lines-<i>-<field>`."""
    key = f"cost_lines-{i}"
    category = _enum(line.category, CostCategory, f"{key}-category", errors,
                     _("kostensoort in kostenregel %(i)s", i=i))
    values = {name: limits.checked_text(getattr(line, name), limits.LINE, f"{key}-{name}", errors,
                                        _("Kostenregel %(i)s: %(label)s", i=i, label=label))
              for name, label in COST_LINE_FIELDS.items()}
    if not values["description"]:
        errors.setdefault(f"{key}-description", []).append(_("Kostenregel %(i)s: beschrijf de kosten.", i=i))
    try:
        amount = parse_amount(line.amount)
    except ValueError as error:
        errors.setdefault(f"{key}-amount", []).append(_("Kostenregel %(i)s: %(error)s.", i=i, error=error))
        return None
    if category is None or not values["description"]:
        return None
    return CostLine(category=category, amount=amount, **values)


def check_cost_lines(data: InitiativeInput, found: Found) -> None:
    """One to limits.COST_LINES cost lines make the budget, unless price × volume makes it
    (check_funding_terms: the typed lines are then ignored)."""
    if found.values.get("funding_model") == FundingModel.PRICE_VOLUME:
        return
    lines = [_cost_line(line, i, found.errors) for i, line in enumerate(data.cost_lines, start=1)]
    found.cost_lines = [line for line in lines if line is not None]
    if not data.cost_lines:
        found.errors["cost_lines"] = [_("Geef minstens één kostenregel voor het jaarbudget.")]
    elif len(data.cost_lines) > limits.COST_LINES:
        found.errors["cost_lines"] = [_("Hoogstens %(n)s kostenregels; voeg er samen.", n=limits.COST_LINES)]


def _goal(goal: GoalInput, i: int, errors: Errors) -> SmartGoal | None:
    """SMART goal `i` (from 1), or None with its errors at `goals-<i>-<field>`."""
    key = f"goals-{i}"
    target_date = _date(goal.target_date, f"{key}-target_date", errors, _("Doel %(i)s", i=i))
    values = {name: limits.checked_text(getattr(goal, name), limit, f"{key}-{name}", errors,
                                        _("Doel %(i)s: %(label)s", i=i, label=label))
              for name, (label, limit) in GOAL_FIELDS.items()}
    for name, (label, _limit) in GOAL_FIELDS.items():
        if not values[name]:
            errors.setdefault(f"{key}-{name}", []).append(_("Doel %(i)s: vul %(label)s in (SMART).",
                                                            i=i, label=label))
    if goal.target_date in (None, ""):
        errors.setdefault(f"{key}-target_date", []).append(_("Doel %(i)s: vul de streefdatum in (SMART).", i=i))
    measured = _goal_measures(goal, key, _("Doel %(i)s", i=i), errors)
    if all(values.values()) and target_date is not None and measured is not None:
        return SmartGoal(target_date=target_date, **values, **measured)
    return None


def check_goals(data: InitiativeInput, found: Found) -> None:
    """At most limits.GOALS goals, each SMART: measure, baseline, target and target date."""
    if len(data.goals) > limits.GOALS:
        found.errors["goals"] = [_("Hoogstens %(n)s SMART-doelen.", n=limits.GOALS)]
    goals = [_goal(goal, i, found.errors) for i, goal in enumerate(data.goals, start=1)]
    found.goals = [goal for goal in goals if goal is not None]


def check_term(data: InitiativeInput, found: Found) -> None:
    """The term: optional dates, the end after the start."""
    term_start = _date(data.term_start, "term_start", found.errors, _("Startdatum"))
    term_end = _date(data.term_end, "term_end", found.errors, _("Einddatum"))
    if term_start and term_end and term_end <= term_start:
        found.errors.setdefault("term_end", []).append(_("De einddatum moet na de startdatum liggen."))
    found.values.update(term_start=term_start, term_end=term_end)


def check_evaluation_links(data: InitiativeInput, found: Found) -> None:
    """Web links (http(s)://…), one a line, stored as one text."""
    links = [link.strip() for link in data.evaluation_links if isinstance(link, str) and link.strip()]
    bad_links = [link for link in links if not link.startswith(("https://", "http://")) or len(link) > limits.URL]
    if bad_links:
        found.errors["evaluation_links"] = [_("Geen geldige link (http(s)://…, maximaal %(n)s tekens): %(link)s",
                                              n=limits.URL, link=bad_links[0][:80])]
    found.values["evaluation_links"] = limits.checked_text("\n".join(links), limits.TEXT, "evaluation_links",
                                                           found.errors, _("De lijst met links"))


def check_theme(data: InitiativeInput, found: Found) -> None:
    found.values["theme_id"] = _theme(data.theme_id, found.region, found.kept_theme_id, found.errors)


# In this order: a check reads what the ones before it found (see Found).
INITIATIVE_CHECKS: tuple[Callable[[InitiativeInput, Found], None], ...] = (
    check_title, check_texts, check_region, check_kinds, check_providers, check_cross_institution,
    check_funding_terms, check_cost_lines, check_goals, check_term, check_evaluation_links, check_theme,
)


def _funding_terms(data: InitiativeInput, errors: Errors) -> dict:
    """Funding model, risk level (KPMG's 1–3), settlement basis, and for price × volume the unit
    price, the expected volume and the one cost line they make (the budget)."""
    model = _enum(data.funding_model or FundingModel.BUDGET.value, FundingModel, "funding_model", errors,
                  _("financieringsvorm"))
    basis = _enum(data.settlement_basis or SettlementBasis.MARKET_SHARE.value, SettlementBasis,
                  "settlement_basis", errors, _("verrekenbasis"))
    risk = str(data.risk_level if data.risk_level not in (None, "") else RiskLevel.NONE.value).strip()
    if not (risk.isascii() and risk.isdigit() and int(risk) in set(RiskLevel)):
        errors.setdefault("risk_level", []).append(_("Het risiconiveau is 1, 2 of 3."))
    values = {"funding_model": model, "settlement_basis": basis,
              "risk_level": int(risk) if risk.isdigit() and len(risk) < 3 else RiskLevel.NONE.value,
              "unit_price": None, "expected_volume": None}
    if model != FundingModel.PRICE_VOLUME:
        return values
    volume = None
    if data.unit_price in (None, ""):
        errors.setdefault("unit_price", []).append(_("Prijs × volume: vul de prijs per eenheid in."))
    price = positive_amount(data.unit_price, "unit_price", _("De prijs per eenheid"), errors) \
        if data.unit_price not in (None, "") else None
    raw = str(data.expected_volume if data.expected_volume is not None else "").strip().replace(".", "")
    if not raw:
        errors.setdefault("expected_volume", []).append(_("Prijs × volume: vul het verwachte volume per jaar in."))
    elif not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= limits.VOLUME_MAX):
        errors.setdefault("expected_volume", []).append(
            limits.out_of_range(_("Het verwachte volume per jaar"), 1, limits.VOLUME_MAX))
    else:
        volume = int(raw)
    if price is not None and volume is not None:
        budget = price * volume  # cents × a whole number: exact, nothing to round
        if budget > MAX_AMOUNT:
            errors.setdefault("expected_volume", []).append(_("Prijs × volume geeft een te groot jaarbudget."))
        else:
            values.update(unit_price=price, expected_volume=volume, derived_line=CostLine(
                category=CostCategory.CARE, description=PRICE_VOLUME_LINE, amount=budget,
                basis=f"{euro(price)} × {number(volume)}"))
    return values


def _theme(value, region: Region | None, kept_theme_id: int | None, errors: dict[str, list[str]]) -> int | None:
    """The theme an initiative serves: one of its region's plan as it stands now, or the one it
    already has (a later plan version may have dropped it; keeping it is no new choice)."""
    if value in (None, ""):
        return None
    try:
        theme_id = int(value)
    except (TypeError, ValueError):
        theme_id = -1
    allowed = current_theme_ids(region.id) if region is not None else set()
    if isinstance(value, bool) or (theme_id not in allowed and not (theme_id == kept_theme_id
                                                                    and _theme_region(theme_id) == region)):
        errors.setdefault("theme", []).append(_("Kies een thema uit het regioplan van de gekozen regio."))
        return None
    return theme_id


def _theme_region(theme_id: int) -> Region | None:
    theme = db.session.get(RegionalTheme, theme_id) if 0 < theme_id <= limits.ID_MAX else None
    return theme.region if theme else None


def _check(data: InitiativeInput, kept_theme_id: int | None = None) -> _Checked:
    """Every check of INITIATIVE_CHECKS; errors keyed by field, rows as `cost_lines-<n>-<field>`
    (n from 1). `kept_theme_id`: the theme the draft links to already."""
    found = Found(kept_theme_id)
    for check in INITIATIVE_CHECKS:
        check(data, found)
    if found.errors or found.region is None:  # no region is an error too: said for the type checker
        raise Invalid(_("Het initiatief is niet opgeslagen. Verbeter de gemarkeerde velden."), found.errors)
    return _Checked(found.region, found.providers, found.cost_lines, found.goals, found.values)


def snapshot(initiative: Initiative) -> dict:
    """The initiative as the audit trail keeps it."""
    return {
        "title": initiative.title, "status": str(initiative.status), "region": initiative.region.code,
        "lead_insurer": initiative.lead_insurer.code, "phase": str(initiative.phase),
        "kind": str(initiative.kind),
        "providers": sorted(p.provider.code for p in initiative.providers),
        "annual_budget": str(initiative.annual_budget),
        "cost_lines": [[str(c.category), c.description, str(c.amount)] for c in initiative.cost_lines],
        "market_share_set": initiative.market_share_set_id,
        "funding_model": str(initiative.funding_model), "risk_level": initiative.risk_level,
        "settlement_basis": str(initiative.settlement_basis),
        "unit_price": str(initiative.unit_price) if initiative.unit_price is not None else None,
        "expected_volume": initiative.expected_volume, "theme": initiative.theme_id,
    }


def require_lead_of_region(user: User, region: Region, today: date) -> RegionMarket:
    market = markets_in_force(today, [region.id]).get(region.id)
    leads = market.leads if market else []
    if market is None or user.organisation not in leads:
        raise NotAllowed(not_a_lead_message(region.name, [lead.name for lead in leads]))
    return market


def register(user: User, data: InitiativeInput, today: date) -> Initiative:
    """Register a draft initiative for the user's own insurer, which must lead the region."""
    if not policies.is_insurer_staff(user):
        raise NotAllowed(_("Alleen medewerkers van een zorgverzekeraar registreren initiatieven."))
    with write_transaction():
        if data.idempotency_key:
            earlier = db.session.scalar(
                sa.select(Initiative).where(Initiative.idempotency_key == data.idempotency_key))
            if earlier is not None:
                if earlier.created_by_id != user.id:
                    raise Conflict(_("Dit formulier is al door iemand anders verzonden."))
                return earlier
        checked = _check(data)
        require_lead_of_region(user, checked.region, today)
        initiative = Initiative(
            **checked.values, region=checked.region, lead_insurer_id=user.organisation_id,
            status=InitiativeState.CONCEPT, created_by_id=user.id,
            idempotency_key=data.idempotency_key or None,
        )
        initiative.providers = [InitiativeProvider(provider=p) for p in checked.providers]
        initiative.cost_lines = checked.cost_lines
        initiative.goals = checked.goals
        db.session.add(initiative)
        db.session.flush()
        record(Actor(user=user), "initiative.create", initiative, after=snapshot(initiative))
    return initiative


def update_draft(user: User, initiative_id: int, data: InitiativeInput, today: date) -> Initiative:
    with write_transaction():
        initiative = _load_for_update(initiative_id)
        if not policies.is_lead_staff(user, initiative):
            if visibility.sees_initiative(user, initiative, _requested_insurers(initiative.id)):
                raise NotAllowed(_("Alleen de leidende verzekeraar wijzigt een initiatief."))
            raise NotFound(_("Dit initiatief bestaat niet."))
        if initiative.status != InitiativeState.CONCEPT:
            raise Conflict(_("Alleen een concept kan nog worden gewijzigd."))
        before = snapshot(initiative)
        checked = _check(data, initiative.theme_id)
        if checked.region.id != initiative.region_id:
            require_lead_of_region(user, checked.region, today)
        for key, value in checked.values.items():
            setattr(initiative, key, value)
        initiative.region = checked.region
        # Keep the rows of providers that stay (with their role): (initiative, provider) is unique.
        kept = {link.provider_id: link for link in initiative.providers}
        initiative.providers = [kept.get(p.id) or InitiativeProvider(provider=p) for p in checked.providers]
        initiative.cost_lines = checked.cost_lines
        initiative.goals = checked.goals
        # Before any query: a query flushes, and the flush deletes the old goal rows with their gates.
        savings.carry_gates(initiative, checked.goals)  # the new goal rows keep the savings gate
        pledged = co_funding.live_total(initiative.id)
        if pledged > initiative.annual_budget:
            raise Invalid(_("Het initiatief is niet opgeslagen: de toezeggingen van medefinanciers (%(amount)s) "
                            "zijn hoger dan het nieuwe jaarbudget. Verlaag of trek eerst een toezegging in.",
                            amount=euro(pledged)),
                          {"cost_lines": [_("Het jaarbudget moet minstens %(amount)s zijn (de toezeggingen van "
                                            "medefinanciers).", amount=euro(pledged))]})
        db.session.flush()
        record(Actor(user=user), "initiative.update", initiative, before=before, after=snapshot(initiative))
    return initiative


def _load_for_update(initiative_id: int) -> Initiative:
    initiative = db.session.scalar(
        sa.select(Initiative).where(Initiative.id == initiative_id).with_for_update(of=Initiative)
    )
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative


def _requested_insurers(initiative_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(FollowRequest.insurer_id).where(FollowRequest.initiative_id == initiative_id)))


@dataclass(frozen=True)
class OpeningPlan:
    """What opening for decisions will do (the confirmation step restates it)."""

    initiative: Initiative
    market: RegionMarket | None  # the allocation key that is frozen
    asked: list  # market_shares.InsurerShare of every insurer that gets a request
    deadline: date | None
    lapsing: list  # co-funding pledges not confirmed: they lapse
    refusal: str | None = None  # why it cannot open now (then nothing else is filled in)


def _opening_checked(user: User, initiative: Initiative, today: date) -> tuple[InitiativeState, RegionMarket]:
    """The refusals of opening for decisions; the new state and the key it freezes."""
    if not policies.is_lead_staff(user, initiative):
        if visibility.sees_initiative(user, initiative, _requested_insurers(initiative.id)):
            raise NotAllowed(_("Alleen de leidende verzekeraar opent een initiatief voor besluiten."))
        raise NotFound(_("Dit initiatief bestaat niet."))
    try:
        new_state = transition(initiative.status, InitiativeEvent.OPEN, Party.LEAD_INSURER)
    except InvalidTransition as refused:
        raise Conflict(str(refused)) from None
    refusal = opening_refusal(initiative.kind, initiative.phase)  # no duty to follow in start-up
    if refusal:
        raise Conflict(refusal)
    return new_state, follow_market(user, initiative, today)


def preview_opening(user: User, initiative_id: int, today: date) -> OpeningPlan:
    """Opening for decisions checked, not done: the same refusals as `open_for_decisions` (a
    refusal the lead can act on is returned in `refusal`, to explain on the page)."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    try:
        _shares, market = _opening_checked(user, initiative, today)
    except Conflict as refused:
        return OpeningPlan(initiative, None, [], None, [], refusal=refused.message)
    return OpeningPlan(initiative, market, _to_ask(initiative, market), decision_deadline(today),
                       co_funding.unconfirmed(initiative.id))


def open_for_decisions(user: User, initiative_id: int, today: date, now: datetime) -> Initiative:
    """Freeze the allocation key and ask every other insurer in the region to decide."""
    with write_transaction():
        initiative = _load_for_update(initiative_id)
        new_state, market = _opening_checked(user, initiative, today)
        before = snapshot(initiative)
        initiative.status = new_state
        initiative.opened_at = now
        deadline, asked = ask_to_follow(initiative, market, today)
        co_funding.freeze_at_opening(initiative, Actor(user=user), now)
        savings.freeze(initiative, Actor(user=user), now)  # the savings agreement is frozen with the key
        record(Actor(user=user), "initiative.open", initiative, before=before, after={
            **snapshot(initiative), "deadline": deadline.isoformat(), "follow_requests": asked,
        })
    return initiative


def follow_market(user: User, initiative: Initiative, today: date) -> RegionMarket:
    """What must hold before the region's insurers are asked to follow; the allocation key
    they are asked on (the frozen one, or the one in force to freeze)."""
    market = require_lead_of_region(user, initiative.region, today)
    problem = cross_institution_problem(len(initiative.providers), initiative.cross_institution_justification)
    if problem:
        raise Conflict(problem)
    if initiative.annual_budget <= 0:
        raise Conflict(_("Vul eerst het jaarbudget in: zonder bedrag is er niets te verdelen."))
    if initiative.market_share_set is not None:
        return market_of_set(initiative.market_share_set, initiative.region_id)
    return market


def ask_to_follow(initiative: Initiative, market: RegionMarket, today: date,
                  occasion: Said | None = None) -> tuple[date, list[str]]:
    """Freeze the allocation key and send one follow request, with a deadline, to every other
    insurer with insured in the region that has none yet; notify them. Returns the deadline and
    the codes of the insurers asked. `occasion`: what the notification says first, if anything."""
    initiative.market_share_set_id = market.share_set.id
    deadline = decision_deadline(today)
    followers = _to_ask(initiative, market)
    for share in followers:
        db.session.add(FollowRequest(initiative=initiative, insurer_id=share.insurer.id,
                                     deadline=deadline, insured=share.insured))
    db.session.flush()
    asked = Said("%(lead)s vraagt u het initiatief '%(title)s' in %(region)s te volgen. Besluit uiterlijk "
                 "%(date)s.", lead=initiative.lead_insurer.name, title=initiative.title,
                 region=initiative.region.name, date=deadline)
    notify_organisations(
        [s.insurer.id for s in followers], "follow_request.new",
        Said("%(occasion)s %(asked)s", occasion=occasion, asked=asked) if occasion else asked,
        f"/initiatieven/{initiative.id}",
    )
    return deadline, sorted(s.insurer.code for s in followers)


def decision_deadline(today: date) -> date:
    return add_working_days(today, current_app.config["DECISION_DEADLINE_WORKING_DAYS"])


def _to_ask(initiative: Initiative, market: RegionMarket) -> list:
    """The shares of every other insurer with insured in the region that has no follow request yet."""
    asked_before = set(db.session.scalars(sa.select(FollowRequest.insurer_id).where(
        FollowRequest.initiative_id == initiative.id, FollowRequest.kind == RequestKind.FOLLOW)))
    return [s for s in market.shares if s.insured > 0 and s.insurer.id != initiative.lead_insurer_id
            and s.insurer.id not in asked_before]


# Reading -------------------------------------------------------------------------------------

@dataclass
class RequestView:
    request: FollowRequest
    standing: Decision | None
    visible: bool  # may the viewer see this decision? (visibility.sees_decisions)
    all_versions: list[Decision] = field(default_factory=list)

    @property
    def history(self) -> list[Decision]:
        """Every version, oldest first, when the viewer may see them."""
        return self.all_versions if self.visible else []

    @property
    def request_state(self) -> str:
        """The request's state as the viewer may see it: 'decided' is a decision too."""
        return self.request.state.value if self.visible else ShownState.HIDDEN.value

    @property
    def state(self) -> InsurerState:
        return self.standing.insurer_state if self.standing else InsurerState.UNDECIDED

    @property
    def state_label(self) -> str:
        """The request's state in words, as the viewer may see it."""
        return labels.label(self.request.state).lower() if self.visible else labels.HIDDEN

    @property
    def stand(self) -> str:
        """Where the insurer stands in words ('volgt onder voorwaarden' for a follow with conditions)."""
        return labels.stand(self.state, self.standing.conditions if self.standing else "")

    @property
    def rejected_conditions(self) -> Decision | None:
        """The follow whose conditions the lead rejected, while no new decision stands (issue 13)."""
        latest = self.history[-1] if self.history else None
        if self.standing is None and latest is not None and latest.conditions_verdict == ConditionsVerdict.REJECTED:
            return latest
        return None


@dataclass
class InitiativeView:
    initiative: Initiative
    market: RegionMarket | None  # the frozen key once open; a preview of the key in force before
    funding: CoFunded | None  # the whole budget: co-funders and the insurers' shares
    requests: list[RequestView]
    own_request: FollowRequest | None
    sees_every_decision: bool
    frozen: bool
    may_ask_mediation: bool = False
    may_request_adoption: bool = False
    mediation_requests: list[RequestView] = field(default_factory=list)  # what the viewer may ask about
    status: InitiativeState | None = None  # as the viewer may see it (visibility.shown_status)
    pledges: list = field(default_factory=list)  # co-funding pledges, every state (seen with the initiative)
    sees_mediation: bool = False  # may the viewer learn that it is (or was) in mediation?
    may_judge_conditions: bool = False  # the lead's staff: accept or reject a follower's conditions

    @property
    def flagged(self) -> list[RequestView]:
        """Declines recorded as "onvoldoende onderbouwd" (not weighty), unless the insurer has
        since come to fund the initiative after all (by adopting it)."""
        return [r for r in self.requests if r.visible and r.standing is not None
                and r.standing.insufficiently_substantiated
                and self.visible_state(r.request.insurer_id) != ShownState.FOLLOWS]

    def visible_state(self, insurer_id: int) -> ShownState:
        """The insurer's funding state as this viewer may see it (HIDDEN when not yet)."""
        if insurer_id == self.initiative.lead_insurer_id:
            return ShownState.FOLLOWS  # the lead insurer funds its own share
        own = [r for r in self.requests if r.request.insurer_id == insurer_id]
        if not own:
            return ShownState.UNDECIDED
        if not any(r.visible for r in own):
            return ShownState.HIDDEN
        return ShownState(combined_state(r.state for r in own if r.visible))

    def stand(self, insurer_id: int) -> str:
        """The insurer's funding state in words as this viewer may see it: a follow with conditions
        (on any request it follows) says so."""
        state = self.visible_state(insurer_id)
        if state == ShownState.HIDDEN:
            return labels.HIDDEN
        conditions = [r.standing.conditions for r in self.requests if r.request.insurer_id == insurer_id
                      and r.visible and r.standing is not None and r.state == InsurerState.FOLLOWS]
        return labels.stand(InsurerState(state), next((c for c in conditions if c), ""))

    def leads(self, insurer_id: int) -> bool:
        """Does this insurer lead: the registering lead, or a co-lead of the region by the shares shown."""
        return insurer_id == self.initiative.lead_insurer_id or any(
            s.lead and s.insurer.id == insurer_id for s in (self.market.shares if self.market else ()))


def _initiative_query():
    # The few providers are joined in (one collection joined, no cartesian product); the
    # others each take one query, whatever their number.
    return sa.select(Initiative).options(
        joinedload(Initiative.region), joinedload(Initiative.lead_insurer),
        joinedload(Initiative.market_share_set), joinedload(Initiative.providers), joinedload(Initiative.theme),
        # An adopted initiative names its origin and the origin's region: joined, not two more queries.
        joinedload(Initiative.adopted_from).joinedload(Initiative.region),
        selectinload(Initiative.cost_lines), selectinload(Initiative.goals),
    )


def _seen(user: User, initiative_id: int, query: sa.Select) -> tuple[Initiative, list[FollowRequest]]:
    """The initiative (read by `query`) and its requests, when this user may see it; NotFound otherwise."""
    initiative = db.session.scalars(query.where(Initiative.id == initiative_id)).unique().one_or_none()
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    requests = list(db.session.scalars(
        sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative.id)
        .options(joinedload(FollowRequest.insurer))
    ))
    if not visibility.sees_initiative(user, initiative, [r.insurer_id for r in requests]):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative, requests


def get_view(user: User, initiative_id: int, today: date) -> InitiativeView:
    """An initiative as this user may see it; NotFound when they may not see it at all."""
    initiative, requests = _seen(user, initiative_id, _initiative_query())
    asked = [r.insurer_id for r in requests]
    # Every version of every decision in one query: the page costs the same whatever their number.
    versions: dict[int, list[Decision]] = {r.id: [] for r in requests}
    if requests:
        for decision in db.session.scalars(
            sa.select(Decision).where(Decision.follow_request_id.in_(list(versions)))
            .options(joinedload(Decision.arguments), joinedload(Decision.decided_by),
                     joinedload(Decision.conditions_judged_by))
            .order_by(Decision.version)
        ).unique():
            versions[decision.follow_request_id].append(decision)
    own = visibility.own_follow_request(user, requests)
    sees_all = visibility.sees_everyones_decisions(user, initiative, own, today)
    views = [RequestView(r, next((d for d in versions[r.id] if d.standing), None),
                         visibility.sees_decisions(user, r, own, today), versions[r.id])
             for r in requests]

    frozen = initiative.market_share_set is not None
    market: RegionMarket | None
    if initiative.market_share_set is not None:  # frozen
        market = market_of_set(initiative.market_share_set, initiative.region_id)
    else:
        market = markets_in_force(today, [initiative.region_id]).get(initiative.region_id)
    pledges = co_funding.pledges_of(initiative.id)
    result = None
    if market is not None and market.total > 0:
        view = InitiativeView(initiative, market, None, views, own, sees_all, False)
        # Hidden decisions count as undecided for this viewer: nothing leaks through totals.
        decisions = {s.insurer.id: InsurerState(state) for s in market.shares
                     if (state := view.visible_state(s.insurer.id)) != ShownState.HIDDEN}
        result = co_funding.fair_shares(initiative, market.insured_by_insurer_id(), decisions,
                                        co_funding.counted_of(pledges))
    views.sort(key=lambda v: (-v.request.insured, v.request.insurer.code))
    return InitiativeView(
        initiative, market, result, views, own, sees_all, frozen,
        may_ask_mediation=frozen and policies.can_ask_mediation(user, initiative, asked),
        may_request_adoption=frozen and policies.is_involved_provider(user, initiative),
        mediation_requests=[v for v in views if v.visible
                            and policies.can_ask_mediation_about(user, initiative, v.request)],
        status=visibility.shown_status(user, initiative, own, today),
        sees_mediation=visibility.sees_mediation(user, initiative, own, today), pledges=pledges,
        may_judge_conditions=policies.can_judge_conditions(user, initiative))


@dataclass(frozen=True)
class TimelineView:
    """What an initiative's timeline asks of it, as this user may see it (get_view reads far more:
    the decisions, the key, the shares, the pledges)."""

    initiative: Initiative
    visible_request_ids: list[int]  # the requests whose decisions the user may see (sees_decisions)
    sees_mediation: bool  # may the user learn that it is (or was) in mediation? (sees_mediation)


def timeline_view(user: User, initiative_id: int, today: date) -> TimelineView:
    """The initiative for its timeline, as get_view would show it to this user; NotFound alike."""
    initiative, requests = _seen(user, initiative_id, sa.select(Initiative).options(joinedload(Initiative.providers)))
    own = visibility.own_follow_request(user, requests)
    return TimelineView(initiative, [r.id for r in requests if visibility.sees_decisions(user, r, own, today)],
                        visibility.sees_mediation(user, initiative, own, today))


def shown_statuses(user: User, initiative_ids: list[int], today: date) -> dict[int, InitiativeState]:
    """Each initiative's status as the user may see it (visibility.shown_status), in one query."""
    if not initiative_ids:
        return {}
    return dict(db.session.execute(sa.select(Initiative.id, visibility.status_column(user, today))
                                   .where(Initiative.id.in_(initiative_ids))).all())


def list_for(user: User, region_code: str | None = None, status: str | None = None,
             page: int = 1, per_page: int = PER_PAGE, *, today: date, cursor: Cursor | None = None,
             also: Sequence[sa.ColumnElement[bool]] = ()) -> Page:
    """The initiatives this user may see, newest first, one page; a fixed number of queries.
    The status is the one the user may see (filtered and shown alike). `also`: further clauses
    (the filters behind a dashboard's figures, services/dashboards.list_filters)."""
    query = sa.select(Initiative).where(visibility.initiative_clause(user), *also)
    if region_code:
        query = query.join(Region, Region.id == Initiative.region_id).where(Region.code == region_code.upper())
    if status:
        try:
            query = query.where(visibility.status_column(user, today) == InitiativeState(status))
        except ValueError:
            raise Invalid(_("Onbekende status."), {"status": [
                _("Kies uit %(states)s.", states=", ".join(s.value for s in InitiativeState))]}) from None
    result = paginate(query.options(joinedload(Initiative.region), joinedload(Initiative.lead_insurer),
                                    selectinload(Initiative.cost_lines)),
                      page, per_page, order=(Initiative.created_at, Initiative.id), descending=True, cursor=cursor)
    result.statuses = shown_statuses(user, [i.id for i in result.items], today)
    return result


def provider_choices(region: Region | None = None, keep: Iterable[int] = ()) -> list[Organisation]:
    """The providers, by name (with their region). With `region`: those of that region or of no known
    region, and those in `keep` (already chosen), for a draft of that region (an adopted one too)."""
    query = (sa.select(Organisation).where(Organisation.kind == OrganisationKind.PROVIDER)
             .options(joinedload(Organisation.region)).order_by(Organisation.name))
    if region is not None:
        query = query.where(sa.or_(Organisation.region_id == region.id, Organisation.region_id.is_(None),
                                   Organisation.id.in_(list(keep))))
    return list(db.session.scalars(query))
