"""Regional agreements through the API (issue 12): read a region's plan and its versions; the
region's leads (and admins) save a new version with PUT. The same service and rules as the web."""

from __future__ import annotations

from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import _body, _field, _texts, bp
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, regional_plans
from innovatieregister.services.regional_plans import GoalInput, PlanInput, ThemeInput


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
def regional_plan(code: str):
    return plan_json(regional_plans.get_plan(current_user, code, clock.today()))


@bp.route("/regions/<code>/plan/versions/<int:version>")
@allow(any_user)
def regional_plan_version(code: str, version: int):
    return plan_json(regional_plans.get_plan(current_user, code, clock.today(), version))


def _integer(obj: dict, name: str, key: str, errors: dict, required: bool = True) -> int | None:
    value = obj.get(name)
    if value is None:
        if required:
            errors.setdefault(key, []).append("Dit veld is verplicht.")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(key, []).append("Verwacht: geheel getal.")
        return None
    return value


def _plan_input(body: dict) -> PlanInput:
    errors: dict[str, list[str]] = {}
    regiobeeld = _field(body, "regiobeeld", str, errors, required=True) or ""
    note = _field(body, "note", str, errors, default="")
    based_on = _integer(body, "based_on_version", "based_on_version", errors, required=False)
    themes = []
    for i, theme in enumerate(_field(body, "themes", list, errors, default=[]), start=1):
        key = f"themes-{i}"
        if not isinstance(theme, dict):
            errors.setdefault(key, []).append(f"Thema {i}: een object.")
            continue
        texts = _texts(theme, ("title", "description"), key, errors)
        goals = []
        raw_goals = theme.get("goals")
        if raw_goals is not None and not isinstance(raw_goals, list):
            errors.setdefault(f"{key}-goals", []).append(f"Thema {i}: de doelen zijn een lijst.")
            raw_goals = []
        for j, goal in enumerate(raw_goals or [], start=1):
            if not isinstance(goal, dict):
                errors.setdefault(f"{key}-goals-{j}", []).append(f"Thema {i}, doel {j}: een object.")
                continue
            goals.append(GoalInput(**_texts(goal, ("metric", "baseline", "target", "target_date"),
                                            f"{key}-goals-{j}", errors)))
        themes.append(ThemeInput(
            title=texts["title"], description=texts["description"], goals=goals,
            start_year=_integer(theme, "start_year", f"{key}-start_year", errors),
            end_year=_integer(theme, "end_year", f"{key}-end_year", errors),
            theme_id=_integer(theme, "id", f"{key}-theme_id", errors, required=False)))
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return PlanInput(regiobeeld=regiobeeld, note=note, themes=themes, based_on_version=based_on)


@bp.route("/regions/<code>/plan", methods=["PUT"])
@allow(any_user)
def save_regional_plan(code: str):
    data = _plan_input(_body())
    saved = regional_plans.save_plan(current_user, code, data, clock.today())
    return plan_json(regional_plans.get_plan(current_user, saved.region.code, clock.today()))
