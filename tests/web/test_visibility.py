"""An insurer that has not decided learns nothing of the others' decisions (issue 9, §2).

Unique strings are planted in another insurer's decline and follow, in the lead's mediation
statements, in the mediator's finding and in the mediator's private note; then every page
reachable for an undecided insurer is crawled (and the API read with its token) and none of
them may appear. No party ever sees a private note, nor that one exists.
"""

from __future__ import annotations

import io
import re
from collections import deque
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urldefrag, urljoin, urlsplit

import openpyxl
import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from innovatieregister.models import FollowRequest, Initiative, MediationCase, Notification, Organisation
from innovatieregister.services.dashboard import WORK_LISTS
from innovatieregister.services.decisions import ArgumentInput
from innovatieregister.services.tokens import create_token
from tests import flows

UNDECIDED = "achmea@demo.nl"  # asked to follow the observation beds; decides nothing here
LEAD, DSW, PROVIDER, MEDIATOR = "menzis@demo.nl", "dsw@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl"

DECLINE_MARK = "MERK-afwijzing-dsw-5c1e"
WEIGHTY_MARK = "MERK-afwijzing-cz-77b2"
CONDITIONS_MARK = "MERK-voorwaarden-vgz-19d4"
LEAD_STATEMENT_MARK = "MERK-verzoek-menzis-a0f3"
LEAD_ANSWER_MARK = "MERK-zienswijze-menzis-3e88"
FINDING_MARK = "MERK-bevinding-bemiddelaar-6b21"
NOTE_MARK = "MERK-notitie-bemiddelaar-d42c"
# A process-log entry by VGZ: only funders write there, so it tells that VGZ follows.
PROCESS_MARK = "MERK-proceslog-vgz-8e17"
MARKS = [DECLINE_MARK, WEIGHTY_MARK, CONDITIONS_MARK, LEAD_STATEMENT_MARK, LEAD_ANSWER_MARK, FINDING_MARK,
         NOTE_MARK, PROCESS_MARK]
NOTE_SIGNS = ["notitie", "mediation.note", NOTE_MARK.lower()]  # compared in lower case
MEDIATION_SIGNS = ["in bemiddeling", "in_mediation"]  # the status, as label or value (lower case)
STATUS_FILTER = re.compile(r'<select id="status".*?</select>', re.S)  # lists every status, whoever looks


def mediation_signs(seen: dict[str, str]) -> list[tuple[str, str]]:
    """Where a page or API response says that an initiative is (or was) in mediation."""
    return [(path, sign) for path, body in seen.items() for sign in MEDIATION_SIGNS
            if sign in STATUS_FILTER.sub("", body).lower()]


def _request_id(db, code: str) -> int:
    return db.session.scalar(sa.select(FollowRequest.id).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                             .where(Organisation.code == code, FollowRequest.kind == "follow"))


@pytest.fixture
def planted(app, demo):
    """The observation beds with every kind of secret planted around an undecided Achmea."""
    from innovatieregister import clock
    from innovatieregister.services import mediation, monitoring, publication

    initiative_id = flows.open_observation_beds(app, demo)
    flows.ask_adoption(app, demo, PROVIDER, "VGZ")
    with app.app_context():  # Achmea follows it (issue 12): what it is told is crawled too (/meldingen)
        from innovatieregister.services import follows

        follows.follow(flows.user(demo, UNDECIDED), initiative_id)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions=CONDITIONS_MARK)
    flows.decide(app, demo, DSW, "decline", [ArgumentInput("financial", 3, DECLINE_MARK)])
    flows.decide(app, demo, "cz@demo.nl", "decline", [
        ArgumentInput("insufficient_evidence", 3, WEIGHTY_MARK), ArgumentInput("overcapacity", 1, "x")])
    with app.app_context():
        monitoring.add_process_entry(flows.user(demo, "vgz@demo.nl"), initiative_id, monitoring.ProcessEntryInput(
            flows.TODAY, "funding_form", PROCESS_MARK), flows.TODAY)
        lead, mediator = flows.user(demo, LEAD), flows.user(demo, MEDIATOR)
        case = mediation.request_mediation(lead, initiative_id, "insufficient_decline", LEAD_STATEMENT_MARK,
                                           _request_id(demo, "DSW"))
        case_id = case.id
        mediation.take(mediator, case_id)
        asked = mediation.request_statement(mediator, case_id, "MENZIS", "Wat verwacht u van DSW?", flows.TODAY)
        mediation.answer_statement(lead, asked.id, LEAD_ANSWER_MARK, clock.now())
        mediation.add_note(mediator, case_id, NOTE_MARK)
        mediation.record_finding(mediator, case_id, "follow_required", FINDING_MARK, flows.TODAY, clock.now())
        # In the public register too (issue 12): its pages are crawled with the rest.
        publication.publish(lead, initiative_id, None, flows.TODAY, clock.now())
    return {"initiative": initiative_id, "case": case_id}


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        url = urldefrag(urljoin(base, href.replace("&amp;", "&")))[0]
        parts = urlsplit(url)
        if parts.netloc in ("", "localhost") and parts.path.startswith("/") and not parts.path.startswith("/static/"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _text_of(response) -> str:
    """A response as text to search: an XLSX export's cells (issue 11), anything else as it is."""
    if response.mimetype == XLSX_MEDIA_TYPE:
        workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return "\n".join(";".join("" if v is None else str(v) for v in row)
                         for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    return response.get_data(as_text=True)


def crawl(client, start: list[str], limit: int = 3000) -> dict[str, str]:
    """Every same-site page reachable by GET from `start`, breadth first: {path: body}."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        assert len(seen) < limit, "the crawl does not end"
        response = client.get(path)
        body = _text_of(response)
        seen[path] = body
        if response.status_code in (301, 302, 303) and response.headers.get("Location"):
            queue.extend(_links(f'href="{response.headers["Location"]}"', f"http://localhost{path}"))
        if response.mimetype == "text/html":
            queue.extend(_links(body, f"http://localhost{path}"))
    return seen


def read_api(client, token: str, extra: list[str]) -> dict[str, str]:
    """The API's list and detail endpoints as the token's user reads them: {path: body}."""
    headers = {"Authorization": f"Bearer {token}"}
    bodies: dict[str, str] = {}

    def get(path, accept=None):
        response = client.get(path, headers={**headers, **({"Accept": accept} if accept else {})})
        bodies[path + (f" ({accept})" if accept else "")] = _text_of(response)
        return response

    ids = []
    page = 1
    while True:
        listing = get(f"/api/v1/initiatives?page={page}&per_page=100").get_json()
        ids += [item["id"] for item in listing["items"]]
        if page * listing["per_page"] >= listing["total"]:
            break
        page += 1
    for path in ("/api/v1/follow-requests", "/api/v1/adoption-requests", "/api/v1/regions", "/api/v1/criteria",
                 *extra):
        get(path)
    for initiative_id in ids:
        get(f"/api/v1/initiatives/{initiative_id}")
        get(f"/api/v1/initiatives/{initiative_id}/cost-shares")
        get(f"/api/v1/initiatives/{initiative_id}/co-funding")
        for accept in (None, CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE):  # the decisions and the verdeelstaat as files too
            get(f"/api/v1/initiatives/{initiative_id}/decisions", accept)
            get(f"/api/v1/initiatives/{initiative_id}/cost-shares", accept)
    return bodies


def _everything(app, demo, client, auth, email: str, planted: dict) -> dict[str, str]:
    """What `email` can read: every reachable page, the case's own addresses tried directly, the API."""
    auth.login(email)
    case, initiative = planted["case"], planted["initiative"]
    running = flows.monitored_innovation_id(app, demo)
    with app.app_context():
        conditioned = _request_id(demo, "VGZ")  # VGZ follows on conditions: the lead's page to judge them
    pages = crawl(client, ["/", f"/bemiddeling/{case}", f"/bemiddeling/{case}/tijdlijn",
                           f"/verzoeken/{conditioned}/voorwaarden",
                           f"/initiatieven/{initiative}", f"/initiatieven/{initiative}/tijdlijn",
                           f"/initiatieven/{initiative}/openen",  # the confirmation step (issue 13)
                           f"/initiatieven/{initiative}/bemiddeling", f"/register/{initiative}",
                           "/register/?evaluatie=succesvol", f"/initiatieven/{running}/opschalen",
                           f"/initiatieven/{initiative}/looptijd", f"/initiatieven/{running}/looptijd",
                           f"/initiatieven/{initiative}/monitor", "/gevolgd", "/meldingen", "/regios/ZK22/plan",
                           f"/openbaar/initiatieven/{initiative}", f"/initiatieven/{initiative}/besparingen",
                           f"/initiatieven/{initiative}/nacalculatie", f"/initiatieven/{running}/nacalculatie",
                           # Issue 12's figures (Achmea leads Twente): every figure, its list and download.
                           "/regios/ZK22", "/cijfers/verzekeraars?regio=ZK22", "/cijfers/landelijk",
                           # The dashboard's work lists whole (issue 13), also those the dashboard does not link.
                           *(f"/werk/{spec.key}" for spec in WORK_LISTS)])
    with app.app_context():
        token = create_token(flows.user(demo, email), "crawl", clock.now())[1]
    api = read_api(app.test_client(), token, [f"/api/v1/initiatives/{initiative}",
                                              f"/api/v1/initiatives/{initiative}/cost-shares",
                                              f"/api/v1/initiatives/{initiative}/calendar",
                                              f"/api/v1/initiatives/{initiative}/evaluations",
                                              f"/api/v1/initiatives/{initiative}/process-log",
                                              "/api/v1/following", "/api/v1/regions/ZK22/plan",
                                              f"/api/v1/public/initiatives/{initiative}",
                                              "/api/v1/regions/ZK22/dashboard",
                                              "/api/v1/dashboards/insurers?region=ZK22",
                                              f"/api/v1/initiatives/{initiative}/savings-agreement",
                                              f"/api/v1/initiatives/{initiative}/savings",
                                              # Issue 14: mediation, timelines, notifications in the API.
                                              "/api/v1/mediation-cases", f"/api/v1/mediation-cases/{case}",
                                              f"/api/v1/mediation-cases/{case}/timeline",
                                              f"/api/v1/initiatives/{initiative}/timeline",
                                              f"/api/v1/initiatives/{running}/timeline",
                                              "/api/v1/notifications", "/api/v1/market-share-sets",
                                              f"/api/v1/initiatives/{initiative}/settlements",
                                              f"/api/v1/initiatives/{initiative}/use-reports"])
    return pages | api


def test_an_undecided_insurer_finds_no_trace_of_the_others_decisions_or_of_mediation(
        app, demo, client, auth, planted, capsys):
    seen = _everything(app, demo, client, auth, UNDECIDED, planted)
    with capsys.disabled():
        print(f"\ncrawl as an undecided insurer: {len(seen)} pages and API responses, "
              f"{sum(1 for p in seen if not p.startswith('/api/'))} pages")
    assert len(seen) > 40  # the crawl really went through the site
    leaks = [(path, mark) for path, body in seen.items() for mark in MARKS if mark in body]
    assert leaks == []
    signs = [(path, sign) for path, body in seen.items() for sign in NOTE_SIGNS if sign in body.lower()]
    assert signs == []
    # The initiative is in mediation, yet nothing says so: not its status, nor a status change on its timeline.
    assert mediation_signs(seen) == []
    # Nothing tells Achmea that a case runs, nor where: no link to it, and it is not found.
    assert not any(re.fullmatch(r"/bemiddeling/\d+(/tijdlijn)?", path) and "Zaak" in body
                   for path, body in seen.items())
    auth.login(UNDECIDED)
    assert client.get(f"/bemiddeling/{planted['case']}").status_code == 404
    assert "Geen zaken" in client.get("/bemiddeling/").get_data(as_text=True)


@pytest.mark.parametrize("co_funder", ["gemeente@demo.nl", "zorgkantoor@demo.nl"])
def test_a_co_funder_finds_no_decision_no_note_and_no_mediation(app, demo, client, auth, planted, co_funder):
    """Co-funders (issue 11; Enschede's pledge frozen, the care office's lapsed) see the initiative they
    pledged to, its fair shares and exports, and nothing of any insurer's decision or of the mediation."""
    seen = _everything(app, demo, client, auth, co_funder, planted)
    assert f"/initiatieven/{planted['initiative']}" in seen and "Observatiebedden Twente" in seen[
        f"/initiatieven/{planted['initiative']}"]
    assert f"/initiatieven/{planted['initiative']}/verdeelstaat?formaat=xlsx" in seen  # the crawl read the files
    assert [(path, mark) for path, body in seen.items() for mark in MARKS if mark in body] == []
    assert [(path, sign) for path, body in seen.items() for sign in NOTE_SIGNS if sign in body.lower()] == []
    assert mediation_signs(seen) == []


@pytest.mark.parametrize("party", [LEAD, DSW, PROVIDER])
def test_no_party_ever_sees_a_private_note_nor_that_one_exists(app, demo, client, auth, planted, party):
    seen = _everything(app, demo, client, auth, party, planted)
    case_page = seen[f"/bemiddeling/{planted['case']}"]
    assert "Volgen vereist" in case_page and FINDING_MARK in case_page  # the party does see its case
    signs = [(path, sign) for path, body in seen.items() for sign in NOTE_SIGNS if sign in body.lower()]
    assert signs == []


def test_the_mediator_keeps_the_notes(app, client, auth, planted):
    auth.login(MEDIATOR)
    page = client.get(f"/bemiddeling/{planted['case']}").get_data(as_text=True)
    assert NOTE_MARK in page
    assert "Notitie van de bemiddelaar" in client.get(f"/bemiddeling/{planted['case']}/tijdlijn").get_data(as_text=True)


def test_the_lead_statement_reaches_only_the_mediator_and_the_lead(app, client, auth, planted):
    for email, sees in ((MEDIATOR, True), (LEAD, True), (DSW, False), (PROVIDER, False)):
        auth.login(email)
        page = client.get(f"/bemiddeling/{planted['case']}").get_data(as_text=True)
        assert (LEAD_ANSWER_MARK in page) is sees, email


def test_mediation_news_reaches_only_the_parties_of_the_case(app, demo, planted):
    """The request for mediation and the finding ('de verzekeraar moet … vastleggen') go to the
    mediator, the lead, the insurer concerned and the providers involved; not to the others asked."""
    with app.app_context():
        def received(email):
            return demo.session.scalars(sa.select(Notification.message).where(
                Notification.user_id == flows.user(demo, email).id, Notification.kind == "mediation.update")).all()

        for email in (UNDECIDED, "vgz@demo.nl", "cz@demo.nl", "asr@demo.nl"):
            assert received(email) == [], email
        for email in (LEAD, DSW, PROVIDER, "ouderenzorg@demo.nl", MEDIATOR):
            assert any("Bevinding" in m for m in received(email)) or email == MEDIATOR, email
            assert any("Bemiddeling aangevraagd" in m for m in received(email)), email


def test_an_insurer_asked_may_take_only_its_own_request_to_mediation(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, DSW, "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        dsw_request = _request_id(demo, "DSW")
    auth.login(UNDECIDED)
    form = client.get(f"/initiatieven/{initiative_id}/bemiddeling").get_data(as_text=True)
    assert "DSW" not in form  # the choice of requests is its own only
    refused = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "insufficient_decline", "request": dsw_request, "statement": "x"})
    assert refused.status_code == 422 and "DSW" not in refused.get_data(as_text=True)
    own = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "disagreement", "statement": "Wij zien de noodzaak niet."})
    assert own.status_code == 302
    with app.app_context():
        cases = demo.session.scalars(sa.select(MediationCase)).all()
        assert [c.follow_request.insurer.code for c in cases] == ["ACHMEA"]


def _share(app, demo, initiative_id: int, code: str) -> Decimal:
    with app.app_context():
        from innovatieregister.services.initiatives import get_view

        view = get_view(flows.user(demo, MEDIATOR), initiative_id, flows.TODAY)
        insurer = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == code))
        return next(s.amount for s in view.funding.shares if s.insurer == insurer)


@pytest.fixture
def two_follow(app, demo):
    """VGZ and CZ follow; Achmea has not decided (its deadline has not passed)."""
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "cz@demo.nl", "follow")
    shares = {c: _share(app, demo, initiative_id, c) for c in ("MENZIS", "VGZ", "CZ")}
    return initiative_id, shares


def test_what_is_at_stake_tells_nothing_of_hidden_decisions(app, demo, client, auth, two_follow):
    """At stake on Achmea's own case is Achmea's share by the frozen key (issue 13), the same for
    every reader; the gap beside it counts the decisions hidden from Achmea as undecided."""
    from innovatieregister.formatting import euro

    initiative_id, shares = two_follow
    achmea = _share(app, demo, initiative_id, "ACHMEA")
    auth.login(UNDECIDED)
    response = client.post(f"/initiatieven/{initiative_id}/bemiddeling", data={
        "reason": "disagreement", "statement": "Wij zien de noodzaak niet."})
    assert response.status_code == 302
    case_page = response.headers["Location"]
    queue, page = client.get("/bemiddeling/").get_data(as_text=True), client.get(case_page).get_data(as_text=True)
    everyone_seen = flows.INSURERS_PART - sum(shares.values())
    assert euro(achmea) in queue and euro(everyone_seen) not in queue
    assert euro(flows.INSURERS_PART - shares["MENZIS"]) in page and euro(everyone_seen) not in page  # its gap
    auth.login(MEDIATOR)
    assert euro(achmea) in client.get("/bemiddeling/").get_data(as_text=True)
    assert euro(everyone_seen) in client.get(case_page).get_data(as_text=True)  # the mediator sees every decision


def test_the_registry_counts_only_the_funders_the_viewer_may_see(app, client, auth, two_follow):
    initiative_id, _ = two_follow

    def funders(email):
        auth.login(email)
        page = client.get(f"/register/{initiative_id}").get_data(as_text=True)
        return int(re.search(r"<dt>Verzekeraars die financieren</dt><dd>(\d+)</dd>", page).group(1))

    assert funders(UNDECIDED) == 1  # the lead
    assert funders("vgz@demo.nl") == 3  # decided: the lead, VGZ and CZ
    assert funders(MEDIATOR) == 3
    auth.login(UNDECIDED)
    row = re.search(r"Twente, Menzis</span>.*?</tr>", client.get("/register/").get_data(as_text=True), re.S)
    assert re.findall(r'<td class="num">(\d+)</td>', row.group(0)) == ["1", "1"]  # one region, one funder


def test_the_initiative_page_and_the_api_show_no_state_of_a_hidden_request(app, demo, client, auth, two_follow):
    initiative_id, shares = two_follow
    auth.login(UNDECIDED)
    page = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    assert "verzoek: besloten" not in page and "verzoek: wacht op besluit" in page  # its own request only
    with app.app_context():
        token = create_token(flows.user(demo, UNDECIDED), "t", clock.now())[1]
    headers = {"Authorization": f"Bearer {token}"}
    cost_shares = client.get(f"/api/v1/initiatives/{initiative_id}/cost-shares", headers=headers).get_json()
    assert Decimal(cost_shares["committed"]) == flows.CO_FUNDING + shares["MENZIS"]
    assert Decimal(cost_shares["gap"]) == flows.INSURERS_PART - shares["MENZIS"]
    detail = client.get(f"/api/v1/initiatives/{initiative_id}", headers=headers).get_json()
    others = [d for d in detail["decisions"] if d["insurer"] != "ACHMEA"]
    assert others and {(d["state"], d["request_state"], d["decision"]) for d in others} == {("hidden", "hidden", None)}


def _status_everywhere(app, demo, client, auth, email: str, initiative_id: int) -> dict[str, object]:
    """The initiative's status as `email` reads it on each surface, and whether the lists
    filtered on "in mediation" and on "open" hold it."""
    auth.login(email)
    with app.app_context():
        token = create_token(flows.user(demo, email), "t", clock.now())[1]
    headers = {"Authorization": f"Bearer {token}"}

    def api_ids(status):
        return [i["id"] for i in client.get(f"/api/v1/initiatives?status={status}&per_page=100",
                                            headers=headers).get_json()["items"]]

    def web_lists(status):
        return f'href="/initiatieven/{initiative_id}"' in client.get(f"/initiatieven/?status={status}").get_data(
            as_text=True)

    api_list = client.get("/api/v1/initiatives?per_page=100", headers=headers).get_json()["items"]
    return {
        "page": "In bemiddeling" in client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True),
        "registry": "In bemiddeling" in client.get(f"/register/{initiative_id}").get_data(as_text=True),
        "timeline": "In bemiddeling" in client.get(f"/initiatieven/{initiative_id}/tijdlijn").get_data(as_text=True),
        "api": client.get(f"/api/v1/initiatives/{initiative_id}", headers=headers).get_json()["status"],
        "api list": next(i["status"] for i in api_list if i["id"] == initiative_id),
        "api filter": (initiative_id in api_ids("in_mediation"), initiative_id in api_ids("open")),
        "list filter": (web_lists("in_mediation"), web_lists("open")),
    }


IN_MEDIATION_EVERYWHERE = {"page": True, "registry": True, "timeline": True, "api": "in_mediation",
                           "api list": "in_mediation", "api filter": (True, False), "list filter": (True, False)}


@pytest.mark.parametrize("email", [LEAD, PROVIDER, MEDIATOR, "vgz@demo.nl", "cz@demo.nl"],
                         ids=["lead", "provider", "mediator", "the writer", "insurer that decided"])
def test_an_insurers_process_log_entry_reaches_whoever_sees_its_decisions(app, demo, client, auth, planted, email):
    auth.login(email)
    assert PROCESS_MARK in client.get(f"/initiatieven/{planted['initiative']}/monitor").get_data(as_text=True)
    with app.app_context():
        token = create_token(flows.user(demo, email), "t", clock.now())[1]
    log = client.get(f"/api/v1/initiatives/{planted['initiative']}/process-log",
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [e["text"] for e in log["items"]] == [PROCESS_MARK] and log["total"] == 1


def test_an_undecided_insurer_counts_no_hidden_process_log_entry(app, demo, client, auth, planted):
    with app.app_context():
        token = create_token(flows.user(demo, UNDECIDED), "t", clock.now())[1]
    log = client.get(f"/api/v1/initiatives/{planted['initiative']}/process-log",
                     headers={"Authorization": f"Bearer {token}"}).get_json()
    assert log["items"] == [] and log["total"] == 0


def test_an_undecided_insurer_sees_open_where_the_initiative_is_in_mediation(app, demo, client, auth, planted):
    with app.app_context():
        assert demo.session.get(Initiative, planted["initiative"]).status == InitiativeState.IN_MEDIATION
    assert _status_everywhere(app, demo, client, auth, UNDECIDED, planted["initiative"]) == {
        "page": False, "registry": False, "timeline": False, "api": "open", "api list": "open",
        "api filter": (False, True), "list filter": (False, True)}


@pytest.mark.parametrize("email", [DSW, LEAD, PROVIDER, MEDIATOR, "vgz@demo.nl"],
                         ids=["insurer concerned", "lead", "provider", "mediator", "insurer that decided"])
def test_the_parties_and_whoever_decided_see_the_mediation(app, demo, client, auth, planted, email):
    assert _status_everywhere(app, demo, client, auth, email, planted["initiative"]) == IN_MEDIATION_EVERYWHERE


def test_the_lead_and_the_providers_see_it_on_their_dashboard(app, client, auth, planted):
    for email in (LEAD, PROVIDER):
        auth.login(email)
        assert "In bemiddeling" in client.get("/").get_data(as_text=True), email


def test_an_undecided_insurer_sees_the_mediation_once_its_deadline_has_passed(
        app, demo, client, auth, planted, frozen_clock):
    with app.app_context():
        deadline = demo.session.scalar(sa.select(FollowRequest.deadline).where(
            FollowRequest.id == _request_id(demo, "ACHMEA")))
    frozen_clock.advance(timedelta(days=(deadline - flows.TODAY).days + 1))
    assert _status_everywhere(app, demo, client, auth, UNDECIDED, planted["initiative"]) == IN_MEDIATION_EVERYWHERE


def test_a_mediation_that_ended_leaves_no_trace_on_an_undecided_insurers_timeline(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, DSW, "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        from innovatieregister.services import mediation

        case = mediation.request_mediation(flows.user(demo, LEAD), initiative_id, "insufficient_decline",
                                           "DSW onderbouwt onvoldoende.", _request_id(demo, "DSW"))
        mediation.withdraw(flows.user(demo, LEAD), case.id, clock.now())
        assert demo.session.get(Initiative, initiative_id).status == InitiativeState.OPEN  # back again

    def status_changes(email):
        auth.login(email)
        page = client.get(f"/initiatieven/{initiative_id}/tijdlijn").get_data(as_text=True)
        return page.count("Status gewijzigd"), "In bemiddeling" in page

    assert status_changes(LEAD) == (2, True)  # into mediation and out again
    assert status_changes(UNDECIDED) == (0, False)


def test_a_hidden_request_shows_no_deadline_not_even_one_a_finding_moved(app, demo, client, auth, planted):
    """The finding reopened DSW's request with a follow-up deadline of its own; Achmea, undecided,
    would read from that date alone that DSW declined and the mediator sided with the lead."""
    from innovatieregister.formatting import datum
    from innovatieregister.models import FollowRequest

    with app.app_context():
        moved = demo.session.get(FollowRequest, _request_id(demo, "DSW")).deadline
        own = demo.session.get(FollowRequest, _request_id(demo, "ACHMEA")).deadline
    assert moved != own  # the finding's deadline stands out, so showing it would tell
    auth.login(UNDECIDED)
    page = client.get(f"/initiatieven/{planted['initiative']}").get_data(as_text=True)
    assert datum(own) in page and datum(moved) not in page
    with app.app_context():
        token = create_token(flows.user(demo, UNDECIDED), "t", clock.now())[1]
    shown = app.test_client().get(f"/api/v1/initiatives/{planted['initiative']}",
                                  headers={"Authorization": f"Bearer {token}"}).get_json()
    deadlines = {d["insurer"]: d["deadline"] for d in shown["decisions"] if d["kind"] == "follow"}
    assert deadlines["ACHMEA"] == own.isoformat() and deadlines["DSW"] is None
    assert moved.isoformat() not in str(shown)


def test_a_statement_shows_on_the_case_timeline_only_to_the_mediator_and_the_party_asked(
        app, client, auth, planted):
    for email, sees in ((MEDIATOR, True), (LEAD, True), (DSW, False), (PROVIDER, False)):
        auth.login(email)
        timeline = client.get(f"/bemiddeling/{planted['case']}/tijdlijn").get_data(as_text=True)
        assert ("Zienswijze gevraagd" in timeline, "Zienswijze gegeven" in timeline) == (sees, sees), email
        assert "Bevinding van de bemiddelaar" in timeline  # the case itself stays in view for every party


def test_an_outsider_sees_a_decided_initiative_in_mediation_as_it_would_stand_without(app, demo, client, auth,
                                                                                    frozen_clock):
    """Every deadline passed (the overdue requests took it to mediation by themselves): someone who
    may not learn of the mediation sees 'Deels gefinancierd', what leaving mediation would give,
    not 'open' (which it can no longer be) nor the mediation."""
    from innovatieregister import jobs, visibility
    from innovatieregister.models import Organisation, OrganisationKind
    from innovatieregister.services import accounts
    from innovatieregister.services.audit import Actor
    from tests.conftest import DEMO_PASSWORD

    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, DSW, "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        deadline = demo.session.scalar(sa.select(FollowRequest.deadline).where(
            FollowRequest.id == _request_id(demo, "DSW")))
    frozen_clock.advance(timedelta(days=(deadline - flows.TODAY).days + 1))
    with app.app_context():
        jobs.run_due(clock.now())
        initiative = demo.session.get(Initiative, initiative_id)
        assert initiative.status == InitiativeState.IN_MEDIATION
        involved = {p.provider_id for p in initiative.providers}
        code = next(o.code for o in demo.session.scalars(sa.select(Organisation).where(
            Organisation.kind == OrganisationKind.PROVIDER)) if o.id not in involved)
        outsider = accounts.create_user("buiten@demo.nl", "Buiten", code, "provider_staff", DEMO_PASSWORD,
                                        Actor.command("test"))
        shown = visibility.shown_status(outsider, initiative, None, clock.today())
        column = demo.session.scalar(sa.select(visibility.status_column(outsider, clock.today()))
                                     .where(Initiative.id == initiative_id))
        assert (shown, column) == (InitiativeState.PARTIALLY_FUNDED, InitiativeState.PARTIALLY_FUNDED)
    auth.login("buiten@demo.nl")
    entry = client.get(f"/register/{initiative_id}").get_data(as_text=True)
    assert "Deels gefinancierd" in entry and "In bemiddeling" not in entry and "Open voor besluiten" not in entry


def test_a_statement_asked_of_a_non_party_under_the_old_rule_cannot_be_answered(app, demo, client, auth, planted):
    """Before the one rule, a statement could be asked of any insurer on the initiative; such a
    row gives that insurer no way into the case, nor an answer it could give there."""
    from innovatieregister.models import Organisation, StatementRequest

    with app.app_context():
        achmea = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ACHMEA"))
        mediator = flows.user(demo, MEDIATOR)
        old = StatementRequest(case_id=planted["case"], party_id=achmea, question="Oud verzoek",
                               deadline=flows.TODAY, requested_by_id=mediator.id)
        demo.session.add(old)
        demo.session.commit()
        statement_id = old.id
    auth.login(UNDECIDED)
    before = client.get(f"/bemiddeling/{planted['case']}")
    assert before.status_code == 404
    with app.app_context():
        from innovatieregister.services import NotFound, mediation

        with pytest.raises(NotFound):
            mediation.answer_statement(flows.user(demo, UNDECIDED), statement_id, "Mijn antwoord", clock.now())
        assert demo.session.get(StatementRequest, statement_id).answer is None


def test_the_region_figures_count_hidden_decisions_as_undecided(app, demo, client, auth, planted):
    """Issue 12: Achmea (undecided, a lead of Twente) sees only the lead's own share committed on the
    observation beds, as on the initiative's page; the lead sees VGZ's follow counted too. The list
    behind the per-insurer figures holds no initiative by a decision hidden from Achmea."""
    initiative = planted["initiative"]

    def seen_by(email):
        auth.login(email)
        figures = client.get("/api/v1/regions/ZK22/dashboard", headers=_bearer(app, demo, email)).get_json()
        shares = client.get(f"/api/v1/initiatives/{initiative}/cost-shares",
                            headers=_bearer(app, demo, email)).get_json()
        return figures, {s["insurer"]: (s["amount"], s["state"]) for s in shares["shares"]}, shares["co_funding"]

    figures, shares, co_funding = seen_by(UNDECIDED)
    # The confirmed co-funding and the lead's share only.
    assert Decimal(figures["funding"]["committed"]) == Decimal(co_funding) + Decimal(shares["MENZIS"][0])
    assert shares["VGZ"][1] == "hidden"
    assert [row["status"] for row in figures["by_status"]] == ["open"]  # not in mediation
    assert figures["stalled"] == []
    listed = client.get("/initiatieven/?regio=ZK22&verzekeraar=VGZ&verzoek=gevolgd").get_data(as_text=True)
    assert "Observatiebedden Twente" not in listed
    # Per insurer, Achmea counts only its own request: the others' are hidden from it.
    insurers = client.get("/api/v1/dashboards/insurers?region=ZK22", headers=_bearer(app, demo, UNDECIDED)).get_json()
    assert [(i["insurer"], i["asked"], i["decided"]) for i in insurers["items"]] == [("ACHMEA", 1, 0)]
    lead_figures, lead_shares, co_funding = seen_by(LEAD)
    committed = Decimal(co_funding) + Decimal(lead_shares["MENZIS"][0]) + Decimal(lead_shares["VGZ"][0])
    assert Decimal(lead_figures["funding"]["committed"]) == committed
    listed = client.get("/initiatieven/?regio=ZK22&verzekeraar=VGZ&verzoek=gevolgd").get_data(as_text=True)
    assert "Observatiebedden Twente" in listed


def _bearer(app, demo, email: str) -> dict[str, str]:
    with app.app_context():
        return {"Authorization": f"Bearer {create_token(flows.user(demo, email), 'figures', clock.now())[1]}"}
