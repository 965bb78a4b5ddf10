"""The registration rules: cross-institution, and the refusal that names the leads."""

from __future__ import annotations

import pytest

from innovatieregister.domain.registration import cross_institution_problem, not_a_lead_message


@pytest.mark.parametrize(
    ("providers", "justification", "acceptable"),
    [
        (2, "", True),  # two institutions: cross-institution by itself
        (5, "", True),
        (1, "", False),
        (0, "   ", False),  # blank is no justification
        (1, "Ziekenhuis, huisartsen en gemeente werken samen in één keten.", True),
        (0, "Digitale triage voor alle aanbieders in de regio.", True),
    ],
)
def test_cross_institution(providers, justification, acceptable):
    problem = cross_institution_problem(providers, justification)
    assert (problem is None) == acceptable
    if problem:
        assert "instellingsoverstijgend" in problem and str(providers) in problem


def test_the_refusal_names_the_rule_and_the_leads():
    message = not_a_lead_message("Twente", ["Menzis", "Achmea"])
    assert "Twente" in message and "Menzis, Achmea" in message and "minder dan 50%" in message
    assert "geen marktaandelen" in not_a_lead_message("Zeeland", [])
