"""The public register (issue 12, part B): anyone without an account reads what the lead published,
and nothing else.

The main test plants a unique text in every field the public may not read (decision arguments and
conditions, statements, notes, findings, cost lines, plans and criteria, reasons, process log,
evaluation reasoning, documents, adoption impact) and unique amounts in the budget (so the fair
shares are unique numbers too), then crawls the public pages, the open-data downloads and the
public API without an account: none of it appears, while the public fields do.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.formatting import euro
from innovatieregister.models import (
    AuditEntry,
    Evaluation,
    Initiative,
    Measurement,
    Notification,
    Organisation,
    SmartGoal,
    User,
)
from innovatieregister.services import (
    adoption,
    documents,
    initiatives,
    lifecycle,
    mediation,
    monitoring,
    publication,
)
from innovatieregister.services.decisions import ArgumentInput
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from tests import flows, monitor_flows
from tests.api.conftest import check_contract
from tests.web.test_visibility import crawl

LEAD, VGZ, DSW, CZ, PROVIDER, MEDIATOR = ("menzis@demo.nl", "vgz@demo.nl", "dsw@demo.nl", "cz@demo.nl",
                                          "ziekenhuis@demo.nl", "bemiddelaar@demo.nl")

# Fields the public reads: they must show (the crawl really read the initiative).
PUBLIC = {
    "description": "OPENBAAR-probleem-4b1d", "substitution_from": "OPENBAAR-van-77e0",
    "substitution_to": "OPENBAAR-naar-a5c2", "necessity_justification": "OPENBAAR-noodzaak-03f9",
}
GOAL_MARK = "OPENBAAR-doel-c81e"
# Fields of the initiative the public never reads.
SECRET_FIELDS = {
    "scale_down_plan": "GEHEIM-afbouwplan-1a2b", "start_criteria": "GEHEIM-startcriteria-3c4d",
    "stop_criteria": "GEHEIM-stopcriteria-5e6f", "cross_institution_justification": "GEHEIM-instellingen-7a8b",
    "evaluation_links": "https://geheim.example/GEHEIM-evaluatielink-9c0d",
}
COST = {"description": "GEHEIM-kostenregel-e1f2", "basis": "GEHEIM-grondslag-a3b4", "source": "GEHEIM-bron-c5d6"}
ROLE = "GEHEIM-rol-aanbieder-e7f8"
CONDITIONS = "GEHEIM-voorwaarden-vgz-0a1b"
DECLINE = "GEHEIM-afwijzing-dsw-2c3d"
EVIDENCE = "https://geheim.example/GEHEIM-onderbouwing-4e5f"
WEIGHTY = "GEHEIM-afwijzing-cz-6a7b"
IMPACT = "GEHEIM-overname-impact-8c9d"
PROCESS = "GEHEIM-proceslog-0e1f"
MEDIATION_ASK = "GEHEIM-bemiddelingsverzoek-2a3b"
QUESTION = "GEHEIM-vraag-bemiddelaar-4c5d"
ANSWER = "GEHEIM-zienswijze-menzis-6e7f"
NOTE = "GEHEIM-notitie-bemiddelaar-8a9b"
MEASUREMENT_SOURCE = "GEHEIM-meetbron-0c1d"
REASONING = "GEHEIM-onderbouwing-evaluatie-2e3f"
DOCUMENT = "GEHEIM-document-4a5b"
FINDING = "GEHEIM-bevinding-6c7d"
WITHDRAWAL = "GEHEIM-intrekking-8e9f"
# Unique amounts: the budget, and so every fair share, is a number found nowhere else.
AMOUNTS = (Decimal("713529.37"), Decimal("86421.19"))
START_PAGES = ["/openbaar/", "/openbaar/open-data", "/openbaar/open-data/initiatieven.csv",
               "/openbaar/open-data/initiatieven.json", "/api/v1/public/initiatives"]


def _number_forms(amount: Decimal) -> list[str]:
    """How an amount could be written on a page, in a file or in JSON."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return [f"{whole}.{cents}", f"{whole},{cents}", f"{grouped},{cents}", euro(amount)]


def _plant(app, db) -> int:
    initiative_id = flows.observation_beds_id(app, db)
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        for name, text in {**PUBLIC, **SECRET_FIELDS}.items():
            setattr(initiative, name, text)
        for line, amount in zip(initiative.cost_lines, AMOUNTS, strict=False):
            line.amount = amount
            for name, text in COST.items():
                setattr(line, name, text)
        for line in initiative.cost_lines[len(AMOUNTS):]:
            initiative.cost_lines.remove(line)
        initiative.providers[0].role = ROLE
        initiative.goals.append(SmartGoal(metric=GOAL_MARK, baseline="10", target="5", target_date=flows.TODAY,
                                          baseline_value=Decimal(10), target_value=Decimal(5)))
        db.session.commit()
    return initiative_id


@pytest.fixture
def planted(app, demo, client, auth):
    """The observation beds with a secret in every non-public field, in mediation, published by the lead."""
    initiative_id = _plant(app, demo)
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, VGZ, "follow", conditions=CONDITIONS)
    flows.decide(app, demo, DSW, "decline", [ArgumentInput("financial", 3, DECLINE, EVIDENCE)])
    flows.decide(app, demo, CZ, "decline", [ArgumentInput("insufficient_evidence", 3, WEIGHTY)])
    with app.app_context():
        user = flows.user
        adoption.request_adoption(user(demo, PROVIDER), initiative_id, "ACHMEA", adoption.Impact(
            IMPACT, 40, "patients", "2027-12-31"), flows.TODAY)
        monitoring.add_process_entry(user(demo, VGZ), initiative_id, monitoring.ProcessEntryInput(
            flows.TODAY, "funding_form", PROCESS), flows.TODAY)
        dsw_request = demo.session.scalar(sa.text(
            "SELECT f.id FROM follow_requests f JOIN organisations o ON o.id = f.insurer_id "
            "WHERE o.code = 'DSW' AND f.kind = 'follow'"))
        case = mediation.request_mediation(user(demo, LEAD), initiative_id, "insufficient_decline", MEDIATION_ASK,
                                           dsw_request)
        mediation.take(user(demo, MEDIATOR), case.id)
        asked = mediation.request_statement(user(demo, MEDIATOR), case.id, "MENZIS", QUESTION, flows.TODAY)
        mediation.answer_statement(user(demo, LEAD), asked.id, ANSWER, clock.now())
        mediation.add_note(user(demo, MEDIATOR), case.id, NOTE)
        documents.upload(user(demo, LEAD), initiative_id, documents.Upload(f"{DOCUMENT}.pdf", monitor_flows.PDF))
        goal = demo.session.scalar(sa.select(SmartGoal).where(SmartGoal.metric == GOAL_MARK))
        hospital = user(demo, PROVIDER)
        demo.session.add(Measurement(initiative_id=initiative_id, goal_id=goal.id, kind="periodic",
                                     measured_on=flows.TODAY, value=Decimal(8), source=MEASUREMENT_SOURCE,
                                     organisation_id=hospital.organisation_id, entered_by_id=hospital.id))
        demo.session.add(Evaluation(initiative_id=initiative_id, kind="periodic", verdict="behind",
                                    reasoning=REASONING, recorded_by_id=hospital.id,
                                    organisation_id=hospital.organisation_id))
        demo.session.commit()
        shares = [s.amount for s in initiatives.get_view(user(demo, LEAD), initiative_id, flows.TODAY).funding.shares]
        case_id = case.id
    auth.login(LEAD)
    assert client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": ""}).status_code == 302
    auth.logout()
    return {"initiative": initiative_id, "case": case_id, "shares": shares}


def _secrets(planted) -> list[str]:
    texts = [*SECRET_FIELDS.values(), *COST.values(), ROLE, CONDITIONS, DECLINE, EVIDENCE, WEIGHTY, IMPACT, PROCESS,
             MEDIATION_ASK, QUESTION, ANSWER, NOTE, MEASUREMENT_SOURCE, REASONING, DOCUMENT, FINDING, WITHDRAWAL]
    amounts = [*AMOUNTS, sum(AMOUNTS), *planted["shares"]]
    return texts + [form for amount in amounts for form in _number_forms(amount)]


def _public_crawl(app, initiative_id: int) -> dict[str, str]:
    anonymous = app.test_client()
    seen = crawl(anonymous, [*START_PAGES, f"/openbaar/initiatieven/{initiative_id}",
                             f"/api/v1/public/initiatives/{initiative_id}"])
    return {path: body for path, body in seen.items() if path.startswith(("/openbaar", "/api/v1/public"))}


def test_the_public_register_shows_no_field_outside_its_list(app, demo, planted, capsys):
    initiative_id = planted["initiative"]
    seen = _public_crawl(app, initiative_id)
    with capsys.disabled():
        print(f"\npublic crawl: {len(seen)} pages, downloads and API responses")
    assert {f"/openbaar/initiatieven/{initiative_id}", "/openbaar/open-data/initiatieven.csv",
            "/openbaar/open-data/initiatieven.json", f"/api/v1/public/initiatives/{initiative_id}"} <= set(seen)
    leaks = [(path, secret) for path, body in seen.items() for secret in _secrets(planted) if secret in body]
    assert leaks == []
    # In mediation, yet the public reads it as it would stand without (a decline is still being decided).
    assert [path for path, body in seen.items() if "bemiddeling" in body.lower() or "in_mediation" in body] == []
    # The public fields did show: the crawl read the initiative itself.
    for path in (f"/openbaar/initiatieven/{initiative_id}", "/openbaar/open-data/initiatieven.csv",
                 "/openbaar/open-data/initiatieven.json", f"/api/v1/public/initiatives/{initiative_id}"):
        assert all(text in seen[path] for text in [*PUBLIC.values(), GOAL_MARK]), path


def test_a_published_initiative_withdrawn_stays_public_as_withdrawn_without_its_reasons(app, demo, planted):
    """Decided: what was made public and then stopped stays findable (with its status, not its
    reasons) until the lead takes it out; taking it out removes it from every public address."""
    initiative_id = planted["initiative"]
    with app.app_context():
        mediation.record_finding(flows.user(demo, MEDIATOR), planted["case"], "decline_upheld", FINDING,
                                 flows.TODAY, clock.now())
        lifecycle.withdraw(flows.user(demo, LEAD), initiative_id, WITHDRAWAL, flows.TODAY, clock.now())
    seen = _public_crawl(app, initiative_id)
    leaks = [(path, secret) for path, body in seen.items() for secret in _secrets(planted) if secret in body]
    assert leaks == []
    assert "Ingetrokken" in seen[f"/openbaar/initiatieven/{initiative_id}"]
    assert '"status":"withdrawn"' in seen[f"/api/v1/public/initiatives/{initiative_id}"].replace(" ", "")

    client = app.test_client()
    client.post("/inloggen", data={"email": LEAD, "password": "demo-wachtwoord-2026"})
    assert client.post(f"/initiatieven/{initiative_id}/publicatie/intrekken").status_code == 302
    anonymous = app.test_client()
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404
    assert anonymous.get(f"/api/v1/public/initiatives/{initiative_id}").status_code == 404
    for path in START_PAGES:
        assert PUBLIC["description"] not in anonymous.get(path).get_data(as_text=True), path


# Publishing: the lead's explicit, audited step --------------------------------------------------

def _entries(app, db, action: str, initiative_id: int) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.object_type == "Initiative",
            AuditEntry.object_id == str(initiative_id))))


def test_only_the_lead_publishes_and_unpublishes_and_each_step_is_audited(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    anonymous = app.test_client()
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404
    auth.login(VGZ)  # asked to follow: sees the initiative, may not publish it
    assert client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": ""}).status_code == 403
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404
    assert _entries(app, demo, "initiative.publish", initiative_id) == []

    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}")
    assert f"/initiatieven/{initiative_id}/publicatie" in page.get_data(as_text=True)  # the lead finds the step
    assert client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": ""}).status_code == 302
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 200
    [entry] = _entries(app, demo, "initiative.publish", initiative_id)
    assert (entry.object_type, entry.object_id, entry.actor_label) == ("Initiative", str(initiative_id), LEAD)
    assert entry.before == {"published_at": None, "publish_on": None}
    assert entry.after["published_at"] == clock.now().isoformat()
    again = client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": ""})
    assert again.status_code == 422 and "staat al in het openbare register" in again.get_data(as_text=True)

    assert client.post(f"/initiatieven/{initiative_id}/publicatie/intrekken").status_code == 302
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404
    [entry] = _entries(app, demo, "initiative.unpublish", initiative_id)
    assert entry.after == {"published_at": None, "publish_on": None} and entry.before["published_at"]


def test_a_draft_is_not_published(app, demo, client, auth):
    draft_id = flows.observation_beds_id(app, demo)
    auth.login(LEAD)
    response = client.post(f"/initiatieven/{draft_id}/publicatie", data={"publish_on": ""})
    assert response.status_code == 422
    assert "Een concept kan nog wijzigen" in response.get_data(as_text=True)
    with app.app_context():
        assert demo.session.get(Initiative, draft_id).published_at is None


@pytest.mark.parametrize("given", ["2026-12-07", "07-12-2026", "2026-12-01", "31-13-2027", "2027-02-30", "x" * 11])
def test_a_publication_date_must_be_a_day_after_today(app, demo, client, auth, given):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login(LEAD)
    response = client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": given})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="publish_on-error"' in body and 'aria-invalid="true"' in body  # the message next to the field
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert (initiative.published_at, initiative.publish_on) == (None, None)
    assert _entries(app, demo, "initiative.publish_scheduled", initiative_id) == []


# On a set date, by the scheduler, exactly once ---------------------------------------------------

def _scheduled(app, demo, client, auth, on: str = "2026-12-10") -> int:
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login(LEAD)
    assert client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": on}).status_code == 302
    auth.logout()
    return initiative_id


def test_a_publication_on_a_date_happens_on_that_date_once(app, demo, client, auth):
    from tests.jobs.test_jobs import _at, _run

    initiative_id = _scheduled(app, demo, client, auth)
    [scheduled] = _entries(app, demo, "initiative.publish_scheduled", initiative_id)
    assert scheduled.after == {"published_at": None, "publish_on": "2026-12-10"}
    anonymous = app.test_client()
    assert _run(app, _at(flows.TODAY + timedelta(days=2)))["publish_scheduled"] == 0  # 9 December: not yet
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404
    day = flows.TODAY + timedelta(days=3)
    assert _run(app, _at(day))["publish_scheduled"] == 1
    assert _run(app, _at(day))["publish_scheduled"] == 0
    assert _run(app, _at(day + timedelta(days=5)))["publish_scheduled"] == 0
    assert anonymous.get(f"/openbaar/initiatieven/{initiative_id}").status_code == 200
    [published] = _entries(app, demo, "initiative.publish", initiative_id)
    assert published.actor_label == "register: publicatie op datum"
    assert published.after == {"published_at": _at(day).isoformat(), "publish_on": None}
    with app.app_context():
        told = sorted(demo.session.scalars(sa.select(User.email).join(Notification, Notification.user_id == User.id)
                                           .where(Notification.kind == "initiative.published")))
        menzis_staff = sorted(demo.session.scalars(sa.select(User.email).join(
            Organisation, Organisation.id == User.organisation_id).where(Organisation.code == "MENZIS",
                                                                         User.active.is_(True))))
    assert told == menzis_staff and LEAD in told  # the lead is told, once each


def test_two_schedulers_at_once_publish_once(app, demo, client, auth):
    from tests.jobs.test_jobs import _at, two_schedulers_at_once

    initiative_id = _scheduled(app, demo, client, auth)
    reports = two_schedulers_at_once(app, _at(flows.TODAY + timedelta(days=3)))
    assert sum(r["publish_scheduled"] for r in reports) == 1
    assert len(_entries(app, demo, "initiative.publish", initiative_id)) == 1


def test_a_cancelled_publication_date_publishes_nothing(app, demo, client, auth):
    from tests.jobs.test_jobs import _at, _run

    initiative_id = _scheduled(app, demo, client, auth)
    auth.login(LEAD)
    assert client.post(f"/initiatieven/{initiative_id}/publicatie/intrekken").status_code == 302
    assert _run(app, _at(flows.TODAY + timedelta(days=3)))["publish_scheduled"] == 0
    assert app.test_client().get(f"/openbaar/initiatieven/{initiative_id}").status_code == 404


# Fast: cached, paginated, searchable --------------------------------------------------------------

def test_public_pages_are_cached_and_answer_not_modified(app, demo, client, auth):
    running = flows.monitored_innovation_id(app, demo)  # the demo publishes it
    anonymous = app.test_client()
    for path in ("/openbaar/", f"/openbaar/initiatieven/{running}", "/api/v1/public/initiatives",
                 f"/api/v1/public/initiatives/{running}", "/openbaar/open-data/initiatieven.json"):
        first = anonymous.get(path)
        assert first.status_code == 200, path
        assert first.cache_control.public and first.cache_control.max_age == 300, path
        assert "Set-Cookie" not in first.headers, path  # a shared cache may keep it
        assert first.headers.get("ETag"), path
        again = anonymous.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"", path
    download = anonymous.get("/openbaar/open-data/initiatieven.csv")
    assert download.cache_control.public and download.cache_control.max_age == 300
    assert 'rel="license"' in download.headers["Link"]
    # A logged-in visitor's page carries their menu: never kept by a shared cache.
    auth.login(VGZ)
    personal = client.get("/openbaar/")
    assert personal.status_code == 200 and personal.headers["Cache-Control"] == "no-store"


def _publish_many(app, db, count: int) -> list[int]:
    ids = []
    with app.app_context():
        menzis = flows.user(db, LEAD)
        providers = [p.id for p in initiatives.provider_choices() if p.code in ("ZH-TWENTE", "VVT-TWENTE")]
        for i in range(count):
            initiative = initiatives.register(menzis, InitiativeInput(
                title=f"Wijkverpleging {i}" if i % 2 else f"Valpreventie {i}", region_code="ZK22",
                kind="innovation", phase="scale_up", provider_ids=providers,
                cost_lines=[CostLineInput("staff", "Personeel", "1000.00")]), flows.TODAY)
            initiatives.open_for_decisions(menzis, initiative.id, flows.TODAY, clock.now())
            publication.publish(menzis, initiative.id, None, flows.TODAY, clock.now())
            ids.append(initiative.id)
    return ids


def test_the_list_pages_and_searches_by_region_and_text(app, demo):
    ids = _publish_many(app, demo, 30)
    running = flows.monitored_innovation_id(app, demo)  # published by the demo, long before
    anonymous = app.test_client()
    first = anonymous.get("/openbaar/").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "(31 initiatieven)" in first
    listing = anonymous.get("/api/v1/public/initiatives?per_page=20")
    check_contract("GET", "/api/v1/public/initiatives", listing)
    body = listing.get_json()
    assert body["total"] == 31 and [i["id"] for i in body["items"]] == sorted(ids, reverse=True)[:20]
    rest = anonymous.get(body["next"])
    check_contract("GET", "/api/v1/public/initiatives", rest)
    assert [i["id"] for i in rest.get_json()["items"]] == [*sorted(ids, reverse=True)[20:], running]
    found = anonymous.get("/api/v1/public/initiatives?q=wijkverpleging&per_page=100").get_json()
    assert found["total"] == 15 and all(i["title"].startswith("Wijkverpleging") for i in found["items"])
    assert anonymous.get("/api/v1/public/initiatives?region=ZK16").get_json()["total"] == 0
    assert anonymous.get("/api/v1/public/initiatives?region=zk22").get_json()["total"] == 31
    page = anonymous.get("/openbaar/?regio=ZK22&q=valpreventie").get_data(as_text=True)
    assert "(15 initiatieven)" in page and "Wijkverpleging" not in page


def test_bad_search_input_is_refused_next_to_its_field(app, demo):
    anonymous = app.test_client()
    response = anonymous.get("/openbaar/?q=" + "x" * 201)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="q-error"' in body and "De zoektekst is te lang" in body
    api = anonymous.get("/api/v1/public/initiatives?q=" + "x" * 201)
    check_contract("GET", "/api/v1/public/initiatives", api)
    assert api.status_code == 422 and "q" in api.get_json()["errors"]
    unknown = anonymous.get("/api/v1/public/initiatives?status=open")
    assert unknown.status_code == 422  # a parameter the document does not name
    assert anonymous.get("/openbaar/?thema=iza-1").status_code == 422  # a theme is a theme's id
    assert anonymous.get("/api/v1/public/initiatives?theme=iza-1").status_code == 422


def test_the_public_register_is_searchable_by_the_theme_of_the_regional_plan(app, demo, client, auth):
    """The observation beds serve the Twente plan's "Passende zorg" theme; the home monitoring none."""
    from innovatieregister.models.regional_plan import RegionalTheme
    from innovatieregister.services.demo import OBSERVATION_THEME

    initiative_id = flows.open_observation_beds(app, demo)
    auth.login(LEAD)
    assert client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": ""}).status_code == 302
    with app.app_context():
        themes = dict(demo.session.execute(sa.select(RegionalTheme.title, RegionalTheme.id)).all())
    served, other = themes[OBSERVATION_THEME], next(i for t, i in themes.items() if t != OBSERVATION_THEME)
    anonymous = app.test_client()
    page = anonymous.get("/openbaar/").get_data(as_text=True)
    assert f'<option value="{served}" >' in page and OBSERVATION_THEME in page  # the filter offers the themes
    assert "Thuismonitoring hartfalen" in page and "Observatiebedden Twente" in page
    by_theme = anonymous.get(f"/openbaar/?thema={served}").get_data(as_text=True)
    assert "Observatiebedden Twente" in by_theme and "Thuismonitoring hartfalen" not in by_theme
    assert "Observatiebedden Twente" not in anonymous.get(f"/openbaar/?thema={other}").get_data(as_text=True)
    api = anonymous.get(f"/api/v1/public/initiatives?theme={served}")
    check_contract("GET", "/api/v1/public/initiatives", api)
    assert [i["id"] for i in api.get_json()["items"]] == [initiative_id]


def test_the_public_api_answers_as_its_document_says(app, demo):
    initiative_id = flows.activate_observation_beds(app, demo)
    flows.add_evaluation(app, demo, initiative_id, "on_track")
    with app.app_context():
        publication.publish(flows.user(demo, LEAD), initiative_id, None, flows.TODAY, clock.now())
    anonymous = app.test_client()
    detail = anonymous.get(f"/api/v1/public/initiatives/{initiative_id}")
    check_contract("GET", f"/api/v1/public/initiatives/{initiative_id}", detail)
    body = detail.get_json()
    assert body["status"] == InitiativeState.ACTIVE.value
    assert body["published_on"] == flows.TODAY.isoformat()  # the Dutch date (23:30 UTC is 00:30 in Amsterdam)
    assert [e["verdict"] for e in body["evaluations"]] == ["on_track"]
    assert body["licence"]["code"] == "CC0-1.0"
    missing = anonymous.get(f"/api/v1/public/initiatives/{initiative_id + 1000}")
    check_contract("GET", "/api/v1/public/initiatives/1", missing)
    assert missing.status_code == 404


def test_the_public_pages_are_accessible(app, demo):
    running = flows.monitored_innovation_id(app, demo)  # the demo publishes it
    anonymous = app.test_client()
    for path in ("/openbaar/", f"/openbaar/initiatieven/{running}", "/openbaar/open-data"):
        body = anonymous.get(path).get_data(as_text=True)
        assert '<html lang="nl">' in body, path
        assert len(re.findall(r"<h1>", body)) == 1, path
        for field_id in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', body):
            assert f'<label for="{field_id}">' in body, (path, field_id)
        for svg in re.findall(r"<svg[^>]*>", body):
            assert 'role="img"' in svg and "aria-label=" in svg, (path, svg)
        assert "CC0 1.0" in body, path  # the licence is stated on every public page
