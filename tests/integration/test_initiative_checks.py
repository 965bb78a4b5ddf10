"""The named checks of an initiative that look in the database (services/initiatives.INITIATIVE_CHECKS):
the region, the providers and the theme; each the field error for a bad input, none for a good one.
The others are in tests/unit/test_initiative_checks.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from innovatieregister.models import Organisation
from innovatieregister.services import regional_plans
from innovatieregister.services.initiatives import Found, check_providers, check_region, check_theme
from innovatieregister.services.regional_plans import PlanInput, ThemeInput
from tests import flows
from tests.unit.test_initiative_checks import GOOD, run

pytestmark = pytest.mark.usefixtures("demo")


def _provider_ids(ctx, *codes: str) -> list[int]:
    return list(ctx.session.scalars(sa.select(Organisation.id).where(Organisation.code.in_(codes))))


def test_region(ctx):
    found = run(check_region, replace(GOOD, region_code=" zk22 "))
    assert found.errors == {} and found.region is not None and found.region.name == "Twente"
    found = run(check_region, replace(GOOD, region_code="ZK99"))
    assert found.errors == {"region": ["Kies een bestaande regio."]} and found.region is None


def test_providers(ctx):
    twente = run(check_region, replace(GOOD, region_code="ZK22")).region
    ids = _provider_ids(ctx, "ZH-TWENTE")
    found = run(check_providers, replace(GOOD, provider_ids=ids), Found(region=twente))
    assert found.errors == {} and [p.id for p in found.providers] == ids
    assert run(check_providers, replace(GOOD, provider_ids=[*ids, "99999"]), Found(region=twente)).errors == {
        "providers": ["Kies alleen bestaande zorgaanbieders."]}
    insurer = _provider_ids(ctx, "MENZIS")  # an organisation, but no provider
    assert run(check_providers, replace(GOOD, provider_ids=insurer), Found(region=twente)).errors == {
        "providers": ["Kies alleen bestaande zorgaanbieders."]}
    assert run(check_providers, replace(GOOD, provider_ids=["1; drop"]), Found(region=twente)).errors == {
        "providers": ["Kies alleen bestaande zorgaanbieders."]}
    outside = run(check_providers, replace(GOOD, provider_ids=_provider_ids(ctx, "ZH-TWENTE", "ZH-NIJMEGEN")),
                  Found(region=twente))
    assert outside.errors == {"providers": [
        "Ziekenhuis Nijmegen (demo) geeft zorg buiten Twente: een initiatief noemt alleen zorgaanbieders van de "
        "eigen regio."]}


def test_theme(ctx):
    twente = run(check_region, replace(GOOD, region_code="ZK22")).region
    nijmegen = run(check_region, replace(GOOD, region_code="ZK16")).region
    themes = regional_plans.themes_of_region(twente.id)
    chosen = themes[0].theme_id
    found = run(check_theme, replace(GOOD, theme_id=str(chosen)), Found(region=twente))
    assert found.errors == {} and found.values["theme_id"] == chosen
    assert run(check_theme, replace(GOOD, theme_id=None), Found(region=twente)).values["theme_id"] is None
    refused = {"theme": ["Kies een thema uit het regioplan van de gekozen regio."]}
    for value in (chosen, "zeven", True):
        assert run(check_theme, replace(GOOD, theme_id=value), Found(region=nijmegen)).errors == refused
    # A theme dropped by a later version of the plan: kept by the draft that has it, no new choice.
    regional_plans.save_plan(flows.user(ctx, "menzis@demo.nl"), "ZK22", PlanInput("Twente, herzien.", [
        ThemeInput(t.title, t.start_year, t.end_year, t.description, theme_id=t.theme_id,
                   goals=[regional_plans.GoalInput(g.metric, g.baseline, g.target, g.target_date) for g in t.goals])
        for t in themes[1:]], "Thema eraf", 1), flows.TODAY)
    assert run(check_theme, replace(GOOD, theme_id=chosen), Found(region=twente, kept_theme_id=chosen)).errors == {}
    assert run(check_theme, replace(GOOD, theme_id=chosen), Found(region=twente)).errors == refused
    assert run(check_theme, replace(GOOD, theme_id=chosen),
               Found(region=nijmegen, kept_theme_id=chosen)).errors == refused
