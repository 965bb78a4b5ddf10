"""Regional agreements (issue 12): the regiobeeld and the multi-year themes with SMART goals of a
region, kept by its lead insurers, versioned and audited; read by every user.

Who reads: every logged-in user. The agreements are what the region's parties follow on, and the
competition authority expects insurers acting in step to make goals and agreements public, so no
one is kept from them. Who writes: policies.can_edit_regional_plan (the leads, and admins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.regional_plan import period_problem, version_in_force
from innovatieregister.extensions import db
from innovatieregister.models import (
    ArgumentCriterion,
    Initiative,
    Organisation,
    Region,
    RegionalGoal,
    RegionalPlanVersion,
    RegionalTheme,
    RegionalThemeVersion,
    User,
)
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.market_shares import markets_in_force

# The decline criterion that refers to the regional plan (services/criteria.DEFAULT_CRITERIA).
REGIONAL_FIT = "no_regional_fit"


@dataclass
class GoalInput:
    metric: str
    baseline: str
    target: str
    target_date: date | str | None


@dataclass
class ThemeInput:
    title: str
    start_year: int | str | None
    end_year: int | str | None
    description: str = ""
    goals: list[GoalInput] = field(default_factory=list)
    theme_id: int | str | None = None  # an existing theme of the region: keeps its identity and links


@dataclass
class PlanInput:
    regiobeeld: str
    themes: list[ThemeInput] = field(default_factory=list)
    note: str = ""
    # The version the editor started from: a save on top of a newer one is refused (409).
    based_on_version: int | None = None


# Reading ---------------------------------------------------------------------------------------

def region_by_code(code: str) -> Region:
    region = db.session.scalar(sa.select(Region).where(Region.code == (code or "")[:limits.CODE].upper()))
    if region is None:
        raise NotFound(_("Regio '%(code)s' bestaat niet.", code=code[:limits.CODE]))
    return region


def _versions_query():
    return sa.select(RegionalPlanVersion).options(
        selectinload(RegionalPlanVersion.themes).selectinload(RegionalThemeVersion.goals),
        selectinload(RegionalPlanVersion.organisation))


def current_version(region_id: int) -> RegionalPlanVersion | None:
    return db.session.scalar(_versions_query().where(RegionalPlanVersion.region_id == region_id)
                             .order_by(RegionalPlanVersion.version.desc()).limit(1))


def themes_of_region(region_id: int) -> list[RegionalThemeVersion]:
    """The themes of the region's plan as it stands now, in the plan's order: each with `theme_id`
    (what initiatives.theme_id holds), `title`, period and goals. Empty without a plan."""
    current = current_version(region_id)
    return list(current.themes) if current else []


def theme_choices(regions: list[Region]) -> list[tuple[Region, list[RegionalThemeVersion]]]:
    """The current themes of each of these regions that has a plan, for a form's dropdown (one
    query, whatever the number of regions)."""
    if not regions:
        return []
    latest = (sa.select(RegionalPlanVersion.region_id, sa.func.max(RegionalPlanVersion.version).label("version"))
              .where(RegionalPlanVersion.region_id.in_([r.id for r in regions]))
              .group_by(RegionalPlanVersion.region_id).subquery())
    rows = db.session.execute(
        sa.select(RegionalPlanVersion.region_id, RegionalThemeVersion)
        .join(RegionalPlanVersion, RegionalPlanVersion.id == RegionalThemeVersion.plan_version_id)
        .join(latest, sa.and_(latest.c.region_id == RegionalPlanVersion.region_id,
                              latest.c.version == RegionalPlanVersion.version))
        .order_by(RegionalThemeVersion.position))
    by_region: dict[int, list[RegionalThemeVersion]] = {}
    for region_id, theme in rows:
        by_region.setdefault(region_id, []).append(theme)
    return [(r, by_region[r.id]) for r in regions if by_region.get(r.id)]


def lead_ids(region: Region, today: date) -> list[int]:
    market = markets_in_force(today, [region.id]).get(region.id)
    return [lead.id for lead in market.leads] if market else []


@dataclass
class PlanView:
    region: Region
    plan: RegionalPlanVersion | None  # the version shown (the current one unless asked for another)
    current_number: int | None  # the version that stands now
    history: list[RegionalPlanVersion]  # every version, newest first
    leads: list[Organisation]
    may_edit: bool
    initiatives: dict[int, list[Initiative]]  # per theme id: the linked initiatives the viewer may see

    @property
    def is_current(self) -> bool:
        return self.plan is not None and self.plan.version == self.current_number


def get_plan(user: User, code: str, today: date, version: int | None = None) -> PlanView:
    """A region's plan as it stands (or an earlier `version`), with its history; NotFound for an
    unknown region or version."""
    region = region_by_code(code)
    history = list(db.session.scalars(
        sa.select(RegionalPlanVersion).where(RegionalPlanVersion.region_id == region.id)
        .options(selectinload(RegionalPlanVersion.organisation)).order_by(RegionalPlanVersion.version.desc())))
    number = version if version is not None else (history[0].version if history else None)
    plan = None
    if number is not None:
        plan = db.session.scalar(_versions_query().where(RegionalPlanVersion.region_id == region.id,
                                                         RegionalPlanVersion.version == number))
        if plan is None:
            raise NotFound(_("Versie %(n)s van het regioplan bestaat niet.", n=number))
    market = markets_in_force(today, [region.id]).get(region.id)
    leads = list(market.leads) if market else []
    linked: dict[int, list[Initiative]] = {}
    if plan is not None and plan.themes:
        # Only the initiatives the viewer may see (visibility.py's one rule): a draft stays its lead's.
        for initiative in db.session.scalars(
                sa.select(Initiative).where(Initiative.theme_id.in_([t.theme_id for t in plan.themes]),
                                            visibility.initiative_clause(user))
                .order_by(Initiative.title, Initiative.id)):
            if initiative.theme_id is not None:  # always: selected by theme
                linked.setdefault(initiative.theme_id, []).append(initiative)
    return PlanView(region, plan, history[0].version if history else None, history, leads,
                    policies.can_edit_regional_plan(user, [lead.id for lead in leads]), linked)


# Declines on "no fit with the regional plan" show the plan they refer to ------------------------

@dataclass(frozen=True)
class PlanReference:
    region_code: str
    region_name: str
    version: int | None  # the plan version that stood when decided; None: the region had no plan yet
    theme_title: str | None  # the theme the initiative serves, if it is linked to one
    current: bool = False  # the plan as it stands (a decision being made now), whichever version that is


@dataclass
class PlanReferences:
    """For one initiative: which plan a decision on the regional-fit criterion refers to. Built
    with one query, then asked per argument without touching the database."""

    region: Region
    criterion_id: int | None
    versions: list[tuple[int, datetime]]
    theme_title: str | None

    def at(self, when: datetime) -> PlanReference:
        return PlanReference(self.region.code, self.region.name, version_in_force(self.versions, when),
                             self.theme_title)

    def for_argument(self, argument, decided_at: datetime) -> PlanReference | None:
        """The plan a decision's argument refers to, when it names the regional-fit criterion."""
        return self.at(decided_at) if argument.criterion_id == self.criterion_id else None


def plan_references(initiative: Initiative) -> PlanReferences:
    criterion = (sa.select(ArgumentCriterion.id).where(ArgumentCriterion.code == REGIONAL_FIT)
                 .scalar_subquery())
    # One row even without versions: the criterion rides along on an outer join.
    rows = db.session.execute(
        sa.select(criterion, RegionalPlanVersion.version, RegionalPlanVersion.created_at)
        .select_from(sa.select(sa.literal(1).label("one")).subquery())
        .outerjoin(RegionalPlanVersion, RegionalPlanVersion.region_id == initiative.region_id)).all()
    return PlanReferences(initiative.region, rows[0][0],
                          [(row.version, row.created_at) for row in rows if row.version is not None],
                          current_plan_reference(initiative).theme_title)


def current_plan_reference(initiative: Initiative) -> PlanReference:
    """The plan a decision made now refers to: the region's plan as it stands (a link to it) and the
    initiative's theme. No query: the theme comes with the initiative (services/initiatives.get_view)."""
    return PlanReference(initiative.region.code, initiative.region.name, None,
                         initiative.theme.title if initiative.theme else None, current=True)


# Writing ---------------------------------------------------------------------------------------

def _year(value, key: str, errors: dict[str, list[str]], label: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        errors.setdefault(key, []).append(_("%(label)s: een jaartal, bijv. 2026.", label=label))
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        errors.setdefault(key, []).append(_("%(label)s: een jaartal van vier cijfers, bijv. 2026.", label=label))
        return None
    return int(text)


def _theme_id(value, key: str, errors: dict[str, list[str]], known: set[int]) -> int | None:
    if value is None or value == "":
        return None
    try:
        theme_id = int(value)
    except (TypeError, ValueError):
        theme_id = -1
    if isinstance(value, bool) or theme_id not in known:
        errors.setdefault(key, []).append(_("Dit thema hoort niet bij het regioplan van deze regio."))
        return None
    return theme_id


def _check(data: PlanInput, known_theme_ids: set[int]) -> tuple[dict, dict]:
    """The plan as it will be stored, and its content for comparison (without ids); Invalid with
    every problem at its field (`themes-<n>-title`, `themes-<n>-goals-<m>-metric`, n and m from 1)."""
    errors: dict[str, list[str]] = {}
    regiobeeld = limits.checked_text(data.regiobeeld, limits.REGIOBEELD, "regiobeeld", errors, _("Het regiobeeld"),
                                     required=_("Beschrijf het regiobeeld."))
    note = limits.checked_text(data.note, limits.LINE, "note", errors, _("De toelichting op de wijziging"))
    if len(data.themes) > limits.THEMES:
        errors.setdefault("themes", []).append(_("Hoogstens %(n)s thema's.", n=limits.THEMES))
    themes, seen = [], set()
    for i, theme in enumerate(data.themes[:limits.THEMES], start=1):
        key, label = f"themes-{i}", _("Thema %(n)s", n=i)
        theme_id = _theme_id(theme.theme_id, f"{key}-theme_id", errors, known_theme_ids)
        if theme_id is not None and theme_id in seen:
            errors.setdefault(f"{key}-theme_id", []).append(_("%(label)s staat twee keer in het plan.", label=label))
        seen.add(theme_id)
        title = limits.checked_text(theme.title, limits.TITLE, f"{key}-title", errors,
                                    _("%(label)s: de titel", label=label),
                                    required=_("%(label)s: geef het thema een titel.", label=label))
        description = limits.checked_text(theme.description, limits.TEXT, f"{key}-description", errors,
                                          _("%(label)s: de toelichting", label=label))
        start = _year(theme.start_year, f"{key}-start_year", errors, _("%(label)s: het beginjaar", label=label))
        end = _year(theme.end_year, f"{key}-end_year", errors, _("%(label)s: het eindjaar", label=label))
        if f"{key}-start_year" not in errors and f"{key}-end_year" not in errors:
            problem = period_problem(start, end)
            if problem:
                said = _(problem[0], **problem[1])
                errors.setdefault(f"{key}-end_year" if start is not None else f"{key}-start_year", []).append(
                    _("%(label)s: %(problem)s", label=label, problem=said[0].lower() + said[1:]))
        if not theme.goals:
            errors.setdefault(f"{key}-goals", []).append(_("%(label)s: geef minstens één SMART-doel.", label=label))
        elif len(theme.goals) > limits.THEME_GOALS:
            errors.setdefault(f"{key}-goals", []).append(
                _("%(label)s: hoogstens %(n)s doelen.", label=label, n=limits.THEME_GOALS))
        goals = []
        for j, goal in enumerate(theme.goals[:limits.THEME_GOALS], start=1):
            gkey, glabel = f"{key}-goals-{j}", _("%(label)s, doel %(n)s", label=label, n=j)
            values = {name: limits.checked_text(getattr(goal, name), limit, f"{gkey}-{name}", errors,
                                                _("%(goal)s: %(what)s", goal=glabel, what=what),
                                                required=_("%(goal)s: vul %(what)s in (SMART).", goal=glabel,
                                                           what=what))
                      for name, what, limit in (("metric", _("de maatstaf"), limits.LINE),
                                                ("baseline", _("de nulmeting"), limits.GOAL_VALUE),
                                                ("target", _("de streefwaarde"), limits.GOAL_VALUE))}
            target_date = limits.parse_date(goal.target_date)
            if target_date is None:
                errors.setdefault(f"{gkey}-target_date", []).append(
                    limits.invalid_date(_("%(goal)s: de streefdatum", goal=glabel)))
            goals.append({**values, "target_date": target_date.isoformat() if target_date else None})
        themes.append({"theme_id": theme_id, "title": title, "description": description,
                       "start_year": start, "end_year": end, "goals": goals})
    if errors:
        raise Invalid(_("Het regioplan is niet opgeslagen. Verbeter de gemarkeerde velden."), errors)
    content = {"regiobeeld": regiobeeld,
               "themes": [{k: v for k, v in t.items() if k != "theme_id"} for t in themes]}
    return {"regiobeeld": regiobeeld, "note": note, "themes": themes}, content


def _content(plan: RegionalPlanVersion) -> dict:
    return {"regiobeeld": plan.regiobeeld, "themes": [
        {"title": t.title, "description": t.description, "start_year": t.start_year, "end_year": t.end_year,
         "goals": [{"metric": g.metric, "baseline": g.baseline, "target": g.target,
                    "target_date": g.target_date.isoformat()} for g in t.goals]} for t in plan.themes]}


def snapshot(plan: RegionalPlanVersion) -> dict:
    """The version as the audit trail keeps it: its content with the themes' ids."""
    content = _content(plan)
    for theme, stored in zip(content["themes"], plan.themes, strict=True):
        theme["theme_id"] = stored.theme_id
    return {"region": plan.region.code, "version": plan.version, "note": plan.note, **content}


def save_plan(user: User, region_code: str, data: PlanInput, today: date) -> RegionalPlanVersion:
    """Save the region's plan as a new version (the earlier ones stay as they were). Only the
    region's leads and admins; a save identical in content to the plan as it stands stores nothing
    (a double submit makes no second version)."""
    with write_transaction():
        region = region_by_code(region_code)
        # Serialise the saves of one region (PostgreSQL; SQLite's write transaction already is).
        db.session.execute(sa.select(Region.id).where(Region.id == region.id).with_for_update())
        leads = lead_ids(region, today)
        if not policies.can_edit_regional_plan(user, leads):
            raise NotAllowed(_("Alleen de leidende zorgverzekeraars van %(region)s houden het regioplan bij.",
                               region=region.name))
        return record_version(Actor(user=user), region, data)


def record_version(actor: Actor, region: Region, data: PlanInput) -> RegionalPlanVersion:
    """The save itself, inside the caller's write transaction (save_plan's, or the demo loader's)."""
    known = set(db.session.scalars(sa.select(RegionalTheme.id).where(RegionalTheme.region_id == region.id)))
    values, content = _check(data, known)
    current = current_version(region.id)
    if current is not None and _content(current) == content:
        return current
    number = current.version if current else 0
    if data.based_on_version is not None and data.based_on_version != number:
        raise Conflict(_("Het regioplan is intussen gewijzigd (nu versie %(n)s); begin bij de nieuwste versie.",
                         n=number), {"based_on_version": [_("De nieuwste versie is %(n)s.", n=number)]})
    plan = RegionalPlanVersion(region=region, version=number + 1, regiobeeld=values["regiobeeld"],
                               note=values["note"], created_by_id=actor.user.id if actor.user else None,
                               organisation_id=actor.organisation_id)
    for position, theme in enumerate(values["themes"], start=1):
        identity = db.session.get(RegionalTheme, theme["theme_id"]) if theme["theme_id"] else None
        if identity is None:
            identity = RegionalTheme(region=region)
            db.session.add(identity)
        identity.title = theme["title"]
        version = RegionalThemeVersion(theme=identity, position=position, title=theme["title"],
                                       description=theme["description"], start_year=theme["start_year"],
                                       end_year=theme["end_year"])
        version.goals = [RegionalGoal(position=j, metric=g["metric"], baseline=g["baseline"], target=g["target"],
                                      target_date=date.fromisoformat(g["target_date"]))
                         for j, g in enumerate(theme["goals"], start=1)]
        plan.themes.append(version)
    db.session.add(plan)
    db.session.flush()
    record(actor, "regional_plan.save", plan, before=snapshot(current) if current else None, after=snapshot(plan))
    return plan


def current_theme_ids(region_id: int) -> set[int]:
    """The ids of the themes in the region's plan as it stands (what an initiative may choose)."""
    latest = (sa.select(RegionalPlanVersion.id).where(RegionalPlanVersion.region_id == region_id)
              .order_by(RegionalPlanVersion.version.desc()).limit(1).scalar_subquery())
    return set(db.session.scalars(sa.select(RegionalThemeVersion.theme_id)
                                  .where(RegionalThemeVersion.plan_version_id == latest)))
