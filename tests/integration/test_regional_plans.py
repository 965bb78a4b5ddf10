"""Regional agreements (issue 12): the leads keep a versioned, audited regional plan; initiatives
link to a theme of their own region."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Initiative, Region, RegionalPlanVersion, RegionalTheme
from innovatieregister.services import Conflict, Invalid, NotAllowed, initiatives, regional_plans
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from innovatieregister.services.regional_plans import GoalInput, PlanInput, ThemeInput
from tests import flows

pytestmark = pytest.mark.usefixtures("demo")
TODAY = flows.TODAY


def _theme(title: str, theme_id=None, goals=None, years=(2025, 2028)) -> ThemeInput:
    return ThemeInput(title, *years, description=f"Over {title}.", theme_id=theme_id,
                      goals=goals if goals is not None else [GoalInput(f"Maatstaf {title}", "10", "20", "2028-12-31")])


def _current_themes(code: str = "ZK22") -> list[ThemeInput]:
    """The plan as it stands, as input (the themes with their ids)."""
    region = regional_plans.region_by_code(code)
    return [ThemeInput(t.title, t.start_year, t.end_year, t.description, theme_id=t.theme_id,
                       goals=[GoalInput(g.metric, g.baseline, g.target, g.target_date) for g in t.goals])
            for t in regional_plans.themes_of_region(region.id)]


def _versions(ctx, code: str = "ZK22") -> list[int]:
    return list(ctx.session.scalars(sa.select(RegionalPlanVersion.version).join(Region).where(Region.code == code)
                                    .order_by(RegionalPlanVersion.version)))


def test_a_lead_saves_a_new_version_and_the_earlier_one_stays_readable_and_both_are_audited(ctx):
    menzis, achmea = flows.user(ctx, "menzis@demo.nl"), flows.user(ctx, "achmea@demo.nl")
    achmea_organisation = achmea.organisation_id
    first = regional_plans.get_plan(menzis, "ZK22", TODAY).plan
    first_titles, first_theme = [t.title for t in first.themes], first.themes[0].theme_id
    themes = _current_themes()
    themes[0].title = "Passende zorg dichtbij huis"  # renamed: the same theme, a new text
    themes.append(_theme("Acute zorg in de regio"))
    saved = regional_plans.save_plan(achmea, "zk22", PlanInput("Twente vergrijst.", themes, "Acute zorg erbij", 1),
                                     TODAY).id
    ctx.session.remove()

    assert _versions(ctx) == [1, 2]
    again = regional_plans.get_plan(flows.user(ctx, "cz@demo.nl"), "ZK22", TODAY)
    assert again.plan.version == 2 and again.plan.regiobeeld == "Twente vergrijst."
    assert [t.title for t in again.plan.themes][0] == "Passende zorg dichtbij huis"
    assert again.plan.themes[0].theme_id == first_theme  # identity kept across versions
    old = regional_plans.get_plan(flows.user(ctx, "cz@demo.nl"), "ZK22", TODAY, version=1).plan
    assert [t.title for t in old.themes] == first_titles  # version 1 as it was
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "regional_plan.save",
                                                           AuditEntry.object_id == str(saved)))
    assert entry.before["version"] == 1 and entry.after["version"] == 2
    assert entry.after["themes"][-1]["title"] == "Acute zorg in de regio"
    assert entry.actor_organisation_id == achmea_organisation


@pytest.mark.parametrize("email", ["cz@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl"])
def test_only_the_leads_and_admins_edit_the_plan(ctx, email):
    with pytest.raises(NotAllowed):
        regional_plans.save_plan(flows.user(ctx, email), "ZK22", PlanInput("Anders.", _current_themes()), TODAY)
    ctx.session.rollback()
    assert _versions(ctx) == [1]
    assert not regional_plans.get_plan(flows.user(ctx, email), "ZK22", TODAY).may_edit
    admin = flows.user(ctx, "beheerder@demo.nl")
    assert regional_plans.save_plan(admin, "ZK22", PlanInput("Gecorrigeerd.", _current_themes()), TODAY).version == 2


def test_the_leads_of_one_region_do_not_edit_another(ctx):
    # Menzis leads Twente, not Zuid-Limburg (ZK27 on the demo's illustrative shares).
    region = regional_plans.region_by_code("ZK27")
    assert ctx.session.get(Region, region.id) is not None
    leads = regional_plans.lead_ids(region, TODAY)
    assert flows.user(ctx, "menzis@demo.nl").organisation_id not in leads
    with pytest.raises(NotAllowed):
        regional_plans.save_plan(flows.user(ctx, "menzis@demo.nl"), "ZK27", PlanInput("x", [_theme("x")]), TODAY)


def test_saving_the_same_content_again_makes_no_second_version(ctx):
    menzis = flows.user(ctx, "menzis@demo.nl")
    plan = regional_plans.get_plan(menzis, "ZK22", TODAY).plan
    audit_before = ctx.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    same = regional_plans.save_plan(menzis, "ZK22", PlanInput(plan.regiobeeld, _current_themes(), "nogmaals", 1),
                                    TODAY)
    assert same.version == 1 and _versions(ctx) == [1]
    assert ctx.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before


def test_a_save_on_top_of_a_stale_version_is_refused(ctx):
    menzis, achmea = flows.user(ctx, "menzis@demo.nl"), flows.user(ctx, "achmea@demo.nl")
    regional_plans.save_plan(menzis, "ZK22", PlanInput("Versie van Menzis.", _current_themes(), "", 1), TODAY)
    with pytest.raises(Conflict) as refused:
        regional_plans.save_plan(achmea, "ZK22", PlanInput("Versie van Achmea.", _current_themes(), "", 1), TODAY)
    assert "versie 2" in refused.value.message
    ctx.session.rollback()
    assert _versions(ctx) == [1, 2]


@pytest.mark.parametrize(("themes", "field", "says"), [
    ([_theme("Omgekeerd", years=(2028, 2025))], "themes-1-end_year", "eindjaar"),
    ([_theme("Zonder doel", goals=[])], "themes-1-goals", "minstens één"),
    ([_theme("Half doel", goals=[GoalInput("Maatstaf", "", "20", "2028-12-31")])], "themes-1-goals-1-baseline",
     "nulmeting"),
    ([_theme("Oude datum", goals=[GoalInput("M", "1", "2", "1999-12-31")])], "themes-1-goals-1-target_date",
     "streefdatum"),
    ([_theme("x" * 201)], "themes-1-title", "te lang"),
    ([_theme(f"Thema {n}") for n in range(13)], "themes", "hoogstens"),
    ([_theme("Vreemd jaar", years=("twintig", 2026))], "themes-1-start_year", "jaartal"),
])
def test_bad_input_is_refused_per_field_and_stores_nothing(ctx, themes, field, says):
    with pytest.raises(Invalid) as refused:
        regional_plans.save_plan(flows.user(ctx, "menzis@demo.nl"), "ZK22", PlanInput("Regiobeeld.", themes), TODAY)
    assert says in " ".join(refused.value.field_errors[field]).lower()
    ctx.session.rollback()
    assert _versions(ctx) == [1]


def test_a_theme_of_another_region_cannot_be_smuggled_into_the_plan(ctx):
    other = RegionalTheme(region_id=regional_plans.region_by_code("ZK27").id)
    ctx.session.add(other)
    ctx.session.commit()
    with pytest.raises(Invalid) as refused:
        regional_plans.save_plan(flows.user(ctx, "menzis@demo.nl"), "ZK22",
                                 PlanInput("x", [_theme("Gestolen", theme_id=other.id)]), TODAY)
    assert "themes-1-theme_id" in refused.value.field_errors


def test_themes_of_region_are_the_current_ones_in_order_and_a_dropped_theme_is_gone(ctx):
    region_id = regional_plans.region_by_code("ZK22").id
    before = [t.theme_id for t in regional_plans.themes_of_region(region_id)]
    assert len(before) == 4
    kept = _current_themes()[1:]  # the first theme is dropped
    regional_plans.save_plan(flows.user(ctx, "menzis@demo.nl"), "ZK22", PlanInput("Nieuw.", kept), TODAY)
    ctx.session.remove()
    after = regional_plans.themes_of_region(region_id)
    assert [t.theme_id for t in after] == before[1:]
    assert regional_plans.themes_of_region(regional_plans.region_by_code("ZK27").id) == []


# Initiatives link to a theme of their region ---------------------------------------------------

def _draft(theme_id, region: str = "ZK22") -> InitiativeInput:
    hospital = ctx_provider_ids()
    return InitiativeInput(title="Wijkgerichte ouderenzorg", region_code=region, kind="jzojp_intervention",
                           phase="scale_up", provider_ids=hospital, theme_id=theme_id,
                           cost_lines=[CostLineInput("staff", "Wijkteam", "120000.00")])


def ctx_provider_ids() -> list[int]:
    return [p.id for p in initiatives.provider_choices()][:2]


def test_an_initiative_links_to_a_theme_of_its_own_region_only(ctx):
    menzis = flows.user(ctx, "menzis@demo.nl")
    twente_theme = regional_plans.themes_of_region(regional_plans.region_by_code("ZK22").id)[1].theme_id
    created = initiatives.register(menzis, _draft(str(twente_theme)), TODAY)
    assert ctx.session.get(Initiative, created.id).theme_id == twente_theme
    foreign = RegionalTheme(region_id=regional_plans.region_by_code("ZK27").id)
    ctx.session.add(foreign)
    ctx.session.commit()
    for forged in (foreign.id, 999_999, "twee", True):
        with pytest.raises(Invalid) as refused:
            initiatives.register(menzis, _draft(forged), TODAY)
        assert "theme" in refused.value.field_errors
        ctx.session.rollback()


def test_a_draft_keeps_a_theme_a_later_plan_version_dropped_but_cannot_choose_one(ctx):
    menzis = flows.user(ctx, "menzis@demo.nl")
    themes = _current_themes()
    dropped = themes[2].theme_id
    created = initiatives.register(menzis, _draft(dropped), TODAY).id
    regional_plans.save_plan(menzis, "ZK22", PlanInput("Zonder digitale zorg.", themes[:2] + themes[3:]), TODAY)
    initiatives.update_draft(menzis, created, _draft(dropped), TODAY)  # kept: no new choice
    ctx.session.remove()
    assert ctx.session.get(Initiative, created).theme_id == dropped
    menzis = flows.user(ctx, "menzis@demo.nl")
    other = initiatives.register(menzis, _draft(None), TODAY)
    with pytest.raises(Invalid):
        initiatives.update_draft(menzis, other.id, _draft(dropped), TODAY)


def test_the_demo_links_the_observation_beds_to_a_theme_of_twentes_plan(app, ctx):
    beds = ctx.session.get(Initiative, flows.observation_beds_id(app, ctx))
    themes = {t.theme_id: t.title for t in regional_plans.themes_of_region(beds.region_id)}
    assert len(themes) == 4 and themes[beds.theme_id].startswith("Passende zorg")
