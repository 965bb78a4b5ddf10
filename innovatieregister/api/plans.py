"""Regional agreements through the API (issue 12): read a region's plan and its versions; the
region's leads (and admins) save a new version with PUT. The same service and rules as the web."""

from __future__ import annotations

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp
from innovatieregister.api.schema import DateIn, In, IsoDate, IsoDateTime, Out, Text, body, operation, responses
from innovatieregister.policies import allow, any_user
from innovatieregister.services import regional_plans
from innovatieregister.services.regional_plans import GoalInput, PlanInput, ThemeInput


class RegionalPlanRegion(Out):
    code: str
    name: str


class RegionalPlanGoal(Out):
    metric: str
    baseline: str
    target: str
    target_date: IsoDate


class RegionalPlanTheme(Out):
    id: int = Field(description="the theme's id, kept across versions (Initiative.theme)")
    title: str
    description: str
    start_year: int
    end_year: int
    goals: list[RegionalPlanGoal]


class RegionalPlanVersion(Out):
    version: int
    saved_at: IsoDateTime
    organisation: str | None
    note: str


class RegionalPlan(Out):
    region: RegionalPlanRegion
    lead_insurers: list[str] = Field(description="codes of the region's lead insurers: they (and admins) keep the plan")
    may_edit: bool = Field(description="may the caller save a new version?")
    version: int | None = Field(description="the version shown; null: no plan yet")
    current_version: int | None = Field(description="the version that stands now")
    regiobeeld: str
    note: str
    saved_at: IsoDateTime | None
    organisation: str | None = Field(description="code of the organisation that saved it")
    themes: list[RegionalPlanTheme]
    versions: list[RegionalPlanVersion] = Field(description="every version, newest first")


YEARS = (limits.DATE_MIN.year, limits.DATE_MAX.year)


class RegionalPlanGoalIn(In):
    metric: Text(limits.LINE, min_length=1)  # type: ignore[valid-type]
    baseline: Text(limits.GOAL_VALUE, min_length=1)  # type: ignore[valid-type]
    target: Text(limits.GOAL_VALUE, min_length=1)  # type: ignore[valid-type]
    target_date: DateIn


class RegionalPlanThemeIn(In):
    id: int | None = Field(None, ge=1, le=limits.ID_MAX, description=(
        "an existing theme of this region: keeps its identity and its initiatives; absent for a new theme. "
        "A theme left out is no longer in the plan."))
    title: Text(limits.TITLE, min_length=1)  # type: ignore[valid-type]
    description: Text(limits.TEXT) = ""  # type: ignore[valid-type]
    start_year: int = Field(ge=YEARS[0], le=YEARS[1])
    end_year: int = Field(ge=YEARS[0], le=YEARS[1], description="not before start_year")
    goals: list[RegionalPlanGoalIn] = Field(min_length=1, max_length=limits.THEME_GOALS)

    def to_input(self) -> ThemeInput:
        return ThemeInput(title=self.title, description=self.description, start_year=self.start_year,
                          end_year=self.end_year, theme_id=self.id,
                          goals=[GoalInput(g.metric, g.baseline, g.target, g.target_date) for g in self.goals])


class RegionalPlanIn(In):
    regiobeeld: Text(limits.REGIOBEELD, min_length=1)  # type: ignore[valid-type]
    note: Text(limits.LINE, description="what changed, in a line") = ""  # type: ignore[valid-type]
    based_on_version: int | None = Field(None, ge=0, le=limits.ID_MAX, description=(
        "the version the edit started from (0: none); a newer one is refused with 409"))
    themes: list[RegionalPlanThemeIn] = Field([], max_length=limits.THEMES)

    def to_input(self) -> PlanInput:
        return PlanInput(regiobeeld=self.regiobeeld, note=self.note, based_on_version=self.based_on_version,
                         themes=[theme.to_input() for theme in self.themes])


def plan_json(view: regional_plans.PlanView) -> dict:
    plan = view.plan
    return {
        "region": {"code": view.region.code, "name": view.region.name},
        "lead_insurers": [lead.code for lead in view.leads],
        "may_edit": view.may_edit,
        "version": plan.version if plan else None,
        "current_version": view.current_number,
        "regiobeeld": plan.regiobeeld if plan else "",
        "note": plan.note if plan else "",
        "saved_at": plan.created_at.isoformat() if plan else None,
        "organisation": plan.organisation.code if plan and plan.organisation else None,
        "themes": [{
            "id": t.theme_id, "title": t.title, "description": t.description,
            "start_year": t.start_year, "end_year": t.end_year,
            "goals": [{"metric": g.metric, "baseline": g.baseline, "target": g.target,
                       "target_date": g.target_date.isoformat()} for g in t.goals],
        } for t in (plan.themes if plan else [])],
        "versions": [{"version": v.version, "saved_at": v.created_at.isoformat(),
                      "organisation": v.organisation.code if v.organisation else None, "note": v.note}
                     for v in view.history],
    }


@bp.route("/regions/<code>/plan")
@allow(any_user)
@operation(resp=responses(RegionalPlan))
def regional_plan(code: str):
    """Het regioplan zoals het nu geldt: regiobeeld, thema's met SMART-doelen, alle versies"""
    return plan_json(regional_plans.get_plan(current_user, code, clock.today()))


@bp.route("/regions/<code>/plan/versions/<int:version>")
@allow(any_user)
@operation(resp=responses(RegionalPlan))
def regional_plan_version(code: str, version: int):
    """Een eerdere (of de geldende) versie van het regioplan"""
    return plan_json(regional_plans.get_plan(current_user, code, clock.today(), version))


@bp.route("/regions/<code>/plan", methods=["PUT"])
@allow(any_user)
@operation(json=RegionalPlanIn, resp=responses(RegionalPlan))
def save_regional_plan(code: str):
    """Sla het regioplan op als nieuwe versie (leidende verzekeraars van de regio, beheer)

    Eerdere versies blijven leesbaar. Dezelfde inhoud als de geldende versie maakt geen nieuwe versie."""
    data: RegionalPlanIn = body()
    saved = regional_plans.save_plan(current_user, code, data.to_input(), clock.today())
    return plan_json(regional_plans.get_plan(current_user, saved.region.code, clock.today()))
