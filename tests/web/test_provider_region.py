"""A provider's region is enforced where an initiative is written, not only in the form's choices
(issue 13): an initiative, and an insurer-axis adopted draft, names only providers of its own care
office region, when the provider's region is known (Organisation.region_id). Otherwise a 422 with a
Dutch message at the providers field, on the form and in the API (problem+json)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Initiative, InitiativeProvider, Organisation, Region
from tests import flows
from tests.web.test_initiatives import REGISTRATION

OUTSIDE = "geeft zorg buiten Twente: een initiatief noemt alleen zorgaanbieders van de eigen regio."


def _ids(app, demo, *codes: str) -> list[str]:
    with app.app_context():
        return [str(i) for i in demo.session.scalars(sa.select(Organisation.id).where(Organisation.code.in_(codes)))]


def _created(demo) -> int:
    return demo.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "initiative.create"))


def _providers_error(html: str) -> str:
    found = re.search(r'id="providers-error"[^>]*>(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


def test_the_form_refuses_a_provider_of_another_region_next_to_the_field(app, demo, client, auth):
    auth.login("menzis@demo.nl")
    with app.app_context():
        before = _created(demo)
    response = client.post("/initiatieven/nieuw", data={
        **REGISTRATION, "providers": _ids(app, demo, "ZH-TWENTE", "ZH-NIJMEGEN")})
    assert response.status_code == 422
    assert f"Ziekenhuis Nijmegen (demo) {OUTSIDE}" in _providers_error(response.get_data(as_text=True))
    with app.app_context():
        assert _created(demo) == before


def test_a_provider_of_no_known_region_may_take_part(app, demo, client, auth):
    with app.app_context():
        provider = demo.session.scalar(sa.select(Organisation).where(Organisation.code == "ZH-NIJMEGEN"))
        provider.region_id = None
        demo.session.commit()
    auth.login("menzis@demo.nl")
    assert client.post("/initiatieven/nieuw", data={
        **REGISTRATION, "providers": _ids(app, demo, "ZH-TWENTE", "ZH-NIJMEGEN")}).status_code == 302


def test_an_adopted_draft_names_only_providers_of_its_new_region(app, demo, client, auth):
    source_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")  # VGZ leads Nijmegen (ZK16)
    response = client.post(f"/register/{source_id}/overnemen", data={"region": "ZK16"})
    copy_id = int(re.search(r"/initiatieven/(\d+)/bewerken", response.headers["Location"]).group(1))
    draft = {"title": "Observatiebedden Nijmegen", "region": "ZK16", "kind": "jzojp_intervention",
             "phase": "scale_up", "evidence_level": "practice", "cost_lines-0-category": "care",
             "cost_lines-0-description": "6 bedden", "cost_lines-0-amount": "791663.10"}
    refused = client.post(f"/initiatieven/{copy_id}/bewerken", data={
        **draft, "providers": _ids(app, demo, "ZH-NIJMEGEN", "ZH-TWENTE")})
    assert refused.status_code == 422
    assert "Ziekenhuis Twente (demo) geeft zorg buiten Nijmegen" in _providers_error(refused.get_data(as_text=True))
    with app.app_context():
        assert demo.session.get(Initiative, copy_id).providers == []
    assert client.post(f"/initiatieven/{copy_id}/bewerken", data={
        **draft, "providers": _ids(app, demo, "ZH-NIJMEGEN", "VVT-NIJMEGEN")}).status_code == 302


def test_the_demo_names_only_providers_of_their_initiatives_regions(app, demo):
    with app.app_context():
        mismatched = demo.session.scalar(
            sa.select(sa.func.count()).select_from(InitiativeProvider)
            .join(Initiative, Initiative.id == InitiativeProvider.initiative_id)
            .join(Organisation, Organisation.id == InitiativeProvider.provider_id)
            .where(Organisation.region_id.is_not(None), Organisation.region_id != Initiative.region_id))
        assert demo.session.scalar(sa.select(sa.func.count()).select_from(Region)) > 0
        assert mismatched == 0
