"""Each named check of an initiative (services/initiatives.INITIATIVE_CHECKS) on its own: the field
error for a bad input, none for a good one. The checks that look in the database (region, providers,
theme) are in tests/integration/test_initiative_checks.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from innovatieregister.domain.funding import FundingModel
from innovatieregister.models import CostCategory, EvidenceLevel, InitiativeKind, Phase
from innovatieregister.services.initiatives import (
    PRICE_VOLUME_LINE,
    CostLineInput,
    Found,
    GoalInput,
    InitiativeInput,
    check_cost_lines,
    check_cross_institution,
    check_evaluation_links,
    check_funding_terms,
    check_goals,
    check_kinds,
    check_term,
    check_texts,
    check_title,
)

GOAL = GoalInput("Heropnames binnen 30 dagen", "12%", "8%", "31-12-2027", category="quality",
                 unit="%", baseline_value="12", target_value="8")
GOOD = InitiativeInput(
    title="Acute zorg thuis", region_code="TW", kind=InitiativeKind.INNOVATION.value,
    phase=Phase.SCALE_UP.value, provider_ids=[1, 2],
    cost_lines=[CostLineInput(CostCategory.STAFF.value, "Verpleegkundigen", "1.055.550,80")],
    goals=[GOAL], term_start=date(2026, 1, 1), term_end=date(2027, 12, 31),
    evaluation_links=["https://example.org/evaluatie"],
)


def run(check, data: InitiativeInput, found: Found | None = None) -> Found:
    found = found or Found()
    check(data, found)
    return found


def test_title():
    assert run(check_title, GOOD).errors == {}
    assert run(check_title, GOOD).values["title"] == "Acute zorg thuis"
    assert run(check_title, replace(GOOD, title="  ")).errors == {"title": ["Geef het initiatief een titel."]}
    assert run(check_title, replace(GOOD, title="x" * 201)).errors == {
        "title": ["De titel is te lang (maximaal 200 tekens)."]}


def test_texts():
    assert run(check_texts, replace(GOOD, description="Thuis in plaats van in het ziekenhuis.")).errors == {}
    assert run(check_texts, replace(GOOD, scale_down_plan="x" * 5001)).errors == {
        "scale_down_plan": ["Het afbouwplan is te lang (maximaal 5000 tekens)."]}


def test_kinds():
    found = run(check_kinds, GOOD)
    assert found.errors == {}
    assert (found.values["kind"], found.values["phase"]) == (InitiativeKind.INNOVATION, Phase.SCALE_UP)
    assert found.values["evidence_level"] == EvidenceLevel.NONE and found.values["innovation_type"] is None
    assert run(check_kinds, replace(GOOD, kind="pilot")).errors == {
        "kind": ["Kies een geldige soort (jzojp_intervention, innovation)."]}
    assert run(check_kinds, replace(GOOD, phase="")).errors == {
        "phase": ["Kies een geldige fase (start_up, scale_up)."]}
    assert run(check_kinds, replace(GOOD, innovation_type="magic")).errors == {
        "innovation_type": ["Kies een geldige soort innovatie (medical, organisational, digital)."]}


@pytest.mark.parametrize(("providers", "justification", "refused"), [
    (2, "", False),
    (1, "Huisartsen, wijkverpleging en ziekenhuis werken in één keten.", False),
    (1, "", True),
    (0, "", True),
])
def test_cross_institution(providers, justification, refused):
    found = Found(providers=[object()] * providers, values={"cross_institution_justification": justification})
    errors = run(check_cross_institution, GOOD, found).errors
    if refused:
        assert list(errors) == ["providers"] and len(errors["providers"]) == 1
        assert "instellingsoverstijgende interventies" in errors["providers"][0]
        assert f"ook met {providers} aanbieder(s)" in errors["providers"][0]
    else:
        assert errors == {}


def test_funding_terms():
    found = run(check_funding_terms, GOOD)
    assert found.errors == {} and found.cost_lines == []
    assert found.values["funding_model"] == FundingModel.BUDGET and found.values["risk_level"] == 1
    assert run(check_funding_terms, replace(GOOD, risk_level="4")).errors == {
        "risk_level": ["Het risiconiveau is 1, 2 of 3."]}
    assert run(check_funding_terms, replace(GOOD, funding_model=FundingModel.PRICE_VOLUME.value)).errors == {
        "unit_price": ["Prijs × volume: vul de prijs per eenheid in."],
        "expected_volume": ["Prijs × volume: vul het verwachte volume per jaar in."]}


def test_price_times_volume_makes_the_one_cost_line():
    found = run(check_funding_terms, replace(GOOD, funding_model=FundingModel.PRICE_VOLUME.value,
                                             unit_price="450,00", expected_volume="1.200"))
    assert found.errors == {}
    assert [(c.description, c.amount) for c in found.cost_lines] == [(PRICE_VOLUME_LINE, Decimal("540000.00"))]
    assert (found.values["unit_price"], found.values["expected_volume"]) == (Decimal("450.00"), 1200)
    # The typed cost lines are then not checked at all (not even an empty list).
    assert run(check_cost_lines, replace(GOOD, cost_lines=[]), found).errors == {}
    assert len(found.cost_lines) == 1


def test_cost_lines():
    found = run(check_cost_lines, GOOD)
    assert found.errors == {}
    assert [(c.category, c.amount) for c in found.cost_lines] == [(CostCategory.STAFF, Decimal("1055550.80"))]
    assert run(check_cost_lines, replace(GOOD, cost_lines=[])).errors == {
        "cost_lines": ["Geef minstens één kostenregel voor het jaarbudget."]}
    bad = CostLineInput("bouw", "", "12,345")
    found = run(check_cost_lines, replace(GOOD, cost_lines=[GOOD.cost_lines[0], bad]))
    assert found.errors == {
        "cost_lines-2-category": ["Kies een geldige kostensoort in kostenregel 2 "
                                  "(infrastructure, staff, ict, housing, care, other)."],
        "cost_lines-2-description": ["Kostenregel 2: beschrijf de kosten."],
        "cost_lines-2-amount": ["Kostenregel 2: '12,345' heeft meer dan twee decimalen."],
    }
    assert len(found.cost_lines) == 1  # the good line only
    assert run(check_cost_lines, replace(GOOD, cost_lines=GOOD.cost_lines * 21)).errors == {
        "cost_lines": ["Hoogstens 20 kostenregels; voeg er samen."]}


def test_goals():
    found = run(check_goals, GOOD)
    assert found.errors == {} and [g.target_date for g in found.goals] == [date(2027, 12, 31)]
    found = run(check_goals, replace(GOOD, goals=[replace(GOAL, target="", target_date=None, category=None)]))
    assert found.errors == {
        "goals-1-target": ["Doel 1: vul de streefwaarde in (SMART)."],
        "goals-1-target_date": ["Doel 1: vul de streefdatum in (SMART)."],
        "goals-1-category": ["Doel 1: kies de uitkomstcategorie."],
    }
    assert found.goals == []
    assert run(check_goals, replace(GOOD, goals=[GOAL] * 11)).errors == {"goals": ["Hoogstens 10 SMART-doelen."]}


def test_term():
    found = run(check_term, GOOD)
    assert found.errors == {} and found.values == {"term_start": date(2026, 1, 1), "term_end": date(2027, 12, 31)}
    assert run(check_term, replace(GOOD, term_end=date(2026, 1, 1))).errors == {
        "term_end": ["De einddatum moet na de startdatum liggen."]}
    assert run(check_term, replace(GOOD, term_start="31-02-2026")).errors == {
        "term_start": ["Startdatum: geen geldige datum. Typ dd-mm-jjjj, bijvoorbeeld 31-12-2029 "
                       "(tussen 2000 en 2100)."]}


def test_evaluation_links():
    found = run(check_evaluation_links, replace(GOOD, evaluation_links=[" https://a.example/1 ", "", "http://b"]))
    assert found.errors == {} and found.values["evaluation_links"] == "https://a.example/1\nhttp://b"
    assert run(check_evaluation_links, replace(GOOD, evaluation_links=["ftp://a.example/1"])).errors == {
        "evaluation_links": ["Geen geldige link (http(s)://…, maximaal 500 tekens): ftp://a.example/1"]}
