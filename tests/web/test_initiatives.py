"""The observation-bed cycle through the web UI: register, open, decide, fair shares."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister.models import (
    AuditEntry,
    Decision,
    FollowRequest,
    Initiative,
    Notification,
    Organisation,
)
from tests import flows

REGISTRATION = {
    "title": "Observatiebedden Twente-Noord", "description": "Acht bedden.", "region": "ZK22",
    "kind": "jzojp_intervention", "innovation_type": "organisational", "phase": "scale_up",
    "evidence_level": "practice", "substitution_from": "Ziekenhuis", "substitution_to": "ELV",
    "scale_down_plan": "8 bedden af", "replaces_existing_care": "y", "term_start": "2027-01-01",
    "term_end": "2030-01-01", "necessity_justification": "Bedden voor alle verzekerden.",
    "cost_lines-0-category": "care", "cost_lines-0-description": "8 observatiebedden",
    "cost_lines-0-amount": "1.055.550,80", "cost_lines-0-basis": "€ 361,49 × 365 × 8",
    "goals-0-metric": "Verkeerde-beddagen", "goals-0-baseline": "2900", "goals-0-target": "1500",
    "goals-0-target_date": "2028-12-31", "goals-0-category": "capacity",
}


def _providers(app, db) -> list[str]:
    with app.app_context():
        return [str(i) for i in db.session.scalars(
            sa.select(Organisation.id).where(Organisation.code.in_(["ZH-TWENTE", "VVT-TWENTE"])))]


def _amounts(html: str) -> list[str]:
    return re.findall(r"€ [\d.]+,\d\d", html)


def test_a_lead_registers_a_draft_with_all_fields(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    form = client.get("/initiatieven/nieuw").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form).group(1)
    data = {**REGISTRATION, "providers": _providers(app, demo), "idempotency_key": key}
    response = client.post("/initiatieven/nieuw", data=data)
    assert response.status_code == 302
    again = client.post("/initiatieven/nieuw", data=data)  # a double click
    assert again.status_code == 302 and again.headers["Location"] == response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Observatiebedden Twente-Noord" in page and "Concept" in page
    assert "€ 1.055.550,80" in page and "Verkeerde-beddagen" in page
    assert "Voorlopig" in page  # shares are a preview until the key is frozen
    with app.app_context():
        initiative = demo.session.scalar(sa.select(Initiative).where(Initiative.title == "Observatiebedden Twente-Noord"))
        assert initiative.annual_budget == Decimal("1055550.80")
        assert initiative.lead_insurer.code == "MENZIS" and len(initiative.providers) == 2
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "initiative.create", AuditEntry.object_id == str(initiative.id))) == 1


def test_a_non_lead_is_refused_with_the_rule_and_the_leads_named(app, client, auth, demo):
    auth.login("vgz@demo.nl")
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, "providers": _providers(app, demo)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Alleen een leidende zorgverzekeraar registreert in Twente" in html
    assert "minder dan 50%" in html and "Menzis, Achmea" in html
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == flows.DEMO_INITIATIVES


def test_a_registration_that_is_not_cross_institution_is_refused_with_the_reason(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, "providers": _providers(app, demo)[:1]})
    assert response.status_code == 422
    assert "instellingsoverstijgende" in response.get_data(as_text=True)
    justified = client.post("/initiatieven/nieuw", data={
        **REGISTRATION, "providers": _providers(app, demo)[:1],
        "cross_institution_justification": "De bedden bedienen ziekenhuis, VVT en huisartsen."})
    assert justified.status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Geef het initiatief een titel."),
        ({"cost_lines-0-amount": "12,345"}, "meer dan twee decimalen"),
        ({"cost_lines-0-amount": "-5"}, "negatief"),
        ({"cost_lines-0-amount": "veel"}, "geen bedrag"),
        ({"term_end": "2026-01-01"}, "De einddatum moet na de startdatum liggen."),
        ({"term_start": "morgen"}, "geen geldige datum"),
        ({"region": "ZK99"}, "Kies een bestaande regio."),
        ({"kind": "iets"}, "Kies een geldige soort"),
        ({"goals-0-target_date": ""}, "SMART"),
        ({"cost_lines-0-description": "", "cost_lines-0-amount": ""}, "minstens één kostenregel"),
        ({"title": "x" * 201}, "De titel is te lang (maximaal 200 tekens)."),
        ({"description": "x" * 200_000}, "De beschrijving is te lang (maximaal 5000 tekens)."),
        ({"scale_down_plan": "x" * 5001}, "Het afbouwplan is te lang (maximaal 5000 tekens)."),
        ({"cost_lines-0-basis": "x" * 301}, "Kostenregel 1: de berekening is te lang (maximaal 300 tekens)."),
        ({"goals-0-baseline": "x" * 101}, "Doel 1: de nulmeting is te lang (maximaal 100 tekens)."),
        ({"evaluation_links": "https://" + "x" * 500}, "Geen geldige link"),
    ],
)
def test_bad_registration_input_gets_a_dutch_message_and_changes_nothing(app, client, auth, demo, change, message):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={**REGISTRATION, "providers": _providers(app, demo), **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == flows.DEMO_INITIATIVES


def _field_error(html: str, field_id: str) -> str | None:
    """The error shown at one input: the element its aria-describedby points to."""
    tag = re.search(rf'<[^>]*\bid="{field_id}"[^>]*>', html)
    if tag is None or 'aria-invalid="true"' not in tag.group(0):
        return None
    error = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", error.group(1)).strip() if error else None


def test_cost_line_and_goal_errors_are_marked_at_their_own_field(app, client, auth, demo):
    auth.login("menzis@demo.nl")
    # The second filled cost line is typed in the third row: its errors belong to that row's cells.
    data = {**REGISTRATION, "providers": _providers(app, demo),
            "cost_lines-2-category": "ict", "cost_lines-2-description": "Software", "cost_lines-2-amount": "veel",
            "goals-0-target": "", "term_start": "2027-01-01", "term_end": "2026-12-31"}
    html = client.post("/initiatieven/nieuw", data=data).get_data(as_text=True)
    assert "geen bedrag" in _field_error(html, "cost_lines-2-amount")
    assert _field_error(html, "cost_lines-2-description") is None
    assert _field_error(html, "cost_lines-0-amount") is None
    assert "Doel 1: vul de streefwaarde in" in _field_error(html, "goals-0-target")
    assert _field_error(html, "goals-0-metric") is None
    assert _field_error(html, "term_end") == "Fout: De einddatum moet na de startdatum liggen."


def test_the_lead_edits_its_draft_and_nobody_else_can(app, client, auth, demo):
    initiative_id = flows.observation_beds_id(app, demo)
    auth.login("achmea@demo.nl")
    assert client.get(f"/initiatieven/{initiative_id}/bewerken").status_code == 404  # a draft is not theirs to see
    auth.login("menzis@demo.nl")
    form = client.get(f"/initiatieven/{initiative_id}/bewerken").get_data(as_text=True)
    assert 'value="Observatiebedden Twente"' in form and "1.055.550,80" in form  # the amount in Dutch for editing
    response = client.post(f"/initiatieven/{initiative_id}/bewerken", data={
        **REGISTRATION, "title": "Observatiebedden Twente (10 bedden)", "providers": _providers(app, demo),
        "cost_lines-0-amount": "1319438.50"})
    assert response.status_code == 302
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert initiative.title == "Observatiebedden Twente (10 bedden)"
        assert initiative.annual_budget == Decimal("1319438.50")
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.update"))
        assert entry.before["annual_budget"] == "1055550.80" and entry.after["annual_budget"] == "1319438.50"


def test_the_whole_cycle_shows_shares_gap_coverage_and_flags(app, client, auth, demo):
    initiative_id = flows.observation_beds_id(app, demo)
    auth.login("menzis@demo.nl")
    response = client.post(f"/initiatieven/{initiative_id}/openen", data={"confirmed": "ja"})
    assert response.status_code == 302
    with app.app_context():
        requests = demo.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative_id)).all()
        assert len(requests) == 9  # every other insurer with insured in Twente
        assert {r.deadline.isoformat() for r in requests} == {r.deadline.isoformat() for r in requests[:1]}
        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.kind == "follow_request.new")) == 5  # the five demo users of those insurers
    # Opening twice is refused with the workflow's explanation.
    client.post(f"/initiatieven/{initiative_id}/openen")
    assert "niet mogelijk vanuit" in client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)

    # VGZ sees the request in its queue and does not yet see the others' decisions.
    flows.decide(app, demo, "achmea@demo.nl", "follow")
    auth.login("vgz@demo.nl")
    queue = client.get("/besluiten/").get_data(as_text=True)
    assert "Observatiebedden Twente" in queue
    before = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    table = before.split("Eerlijk aandeel")[1].split("</table>")[0]
    achmea_row = re.search(r"<tr><td>Achmea \(leidend\)</td>.*?</tr>", table, re.S).group(0)  # Twente's co-lead
    assert "nog niet zichtbaar" in achmea_row and "volgt" not in achmea_row
    form = client.get(f"/initiatieven/{initiative_id}/besluit").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([0-9a-f]+)"', form).group(1)
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "follow", "conditions": "Evaluatie na een jaar", "idempotency_key": key,
        "action": "decide"}).status_code == 302
    after = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    assert "nog niet zichtbaar" not in after and "Evaluatie na een jaar" in after

    flows.decide(app, demo, "cz@demo.nl", "follow")
    # DSW declines on weighty arguments; the page previews the score without JavaScript first.
    auth.login("dsw@demo.nl")
    preview = client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "preview",
        "arguments-0-criterion": "insufficient_evidence", "arguments-0-strength": "2",
        "arguments-0-explanation": "Geen effectmeting."})
    assert preview.status_code == 200
    assert "Gewogen score: <strong>6</strong> tegen drempel 6" in preview.get_data(as_text=True)
    assert "zwaarwegend onderbouwd" in preview.get_data(as_text=True)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id))) == 3  # a preview stores nothing
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide",
        "arguments-0-criterion": "insufficient_evidence", "arguments-0-strength": "2",
        "arguments-0-explanation": "Geen effectmeting.",
        "arguments-1-criterion": "overcapacity", "arguments-1-strength": "1",
        "arguments-1-explanation": "Genoeg ELV-bedden."}).status_code == 302

    # ASR declines on too little: recorded, and flagged as insufficiently substantiated.
    auth.login("asr@demo.nl")
    no_arguments = client.post(f"/initiatieven/{initiative_id}/besluit", data={"decision": "decline", "action": "decide"})
    assert no_arguments.status_code == 422
    assert "minstens één argument" in no_arguments.get_data(as_text=True)
    assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
        "decision": "decline", "action": "decide", "arguments-0-criterion": "financial",
        "arguments-0-strength": "3", "arguments-0-explanation": "Geen budget."}).status_code == 302

    exact = flows.exact_shares(app, demo, initiative_id)
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        assert initiative.status == "open"
    followers = {"MENZIS", "ACHMEA", "VGZ", "CZ"}
    for viewer in ("menzis@demo.nl", "ziekenhuis@demo.nl"):
        auth.login(viewer)
        html = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
        shares_table = html.split("Eerlijk aandeel per zorgverzekeraar")[1].split("</table>")[0]
        rows = re.findall(r"<tr><td>([^<]+?)(?: \(leidend\))?</td>\s*<td class=\"num\">[\d.]+</td>"
                          r"<td class=\"num\">(€ [\d.]+,\d\d)</td>\s*<td>([^<]+)</td></tr>", shares_table)
        assert len(rows) == 10
        amounts = {name: Decimal(a[2:].replace(".", "").replace(",", ".")) for name, a, _ in rows}
        assert sum(amounts.values()) == flows.INSURERS_PART  # the budget less Enschede's co-funding
        codes = {"Menzis": "MENZIS", "Achmea": "ACHMEA", "VGZ": "VGZ", "CZ": "CZ", "DSW": "DSW", "ASR": "ASR",
                 "Zorg en Zekerheid": "ZORG-EN-ZEKERHEID", "ONVZ": "ONVZ", "Eno": "ENO", "EUCARE": "EUCARE"}
        for name, amount in amounts.items():
            assert abs(amount - Decimal(exact[codes[name]].numerator) / exact[codes[name]].denominator) < Decimal("0.01")
        states = {codes[name]: state for name, _, state in rows}
        assert {c for c, s in states.items() if s in ("volgt", "volgt onder voorwaarden")} == followers
        assert states["VGZ"] == "volgt onder voorwaarden"  # its follow has conditions
        assert {c for c, s in states.items() if s == "wijst af"} == {"DSW", "ASR"}
        committed = flows.CO_FUNDING + sum(a for n, a in amounts.items() if codes[n] in followers)
        counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html.split('<dl class="counts">')[1]))
        assert counts["Toegezegd"] == _euro(committed)
        assert counts["Financieringstekort"] == _euro(flows.BUDGET - committed)
        coverage = committed / flows.BUDGET * 100
        assert counts["Dekking"] == f"{coverage:.1f}%".replace(".", ",")
        flag = html.split('<section class="flag"')[1].split("</section>")[0]
        assert "ASR" in flag and "DSW" not in flag  # only the decline without enough weight
        assert "<svg" in html and "<desc" in html  # the chart and its text alternative


def _euro(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"€ {int(whole):,}".replace(",", ".") + f",{cents}"


def test_a_changed_decision_is_a_new_version_and_exactly_one_stands(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.NOT_WEIGHTY)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.WEIGHTY)
    flows.decide(app, demo, "asr@demo.nl", "follow", conditions="Na overleg")
    with app.app_context():
        versions = demo.session.execute(sa.select(Decision.version, Decision.kind, Decision.standing)
                                        .order_by(Decision.version)).all()
        assert [(v, str(k), s) for v, k, s in versions] == [
            (1, "decline", False), (2, "decline", False), (3, "follow", True)]
    auth.login("menzis@demo.nl")
    html = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    asr = html.split("<h3>ASR</h3>")[1].split("</article>")[0]
    assert "Versie 3 (geldt)" in asr and "Versie 2" in asr and "Versie 1" in asr


def test_the_database_allows_only_one_standing_decision(app, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "follow")
    with app.app_context():
        first = demo.session.scalar(sa.select(Decision))
        demo.session.add(Decision(follow_request_id=first.follow_request_id, version=2, kind="follow",
                                  standing=True, decided_by_id=first.decided_by_id))
        with pytest.raises(sa.exc.IntegrityError):
            demo.session.flush()
        demo.session.rollback()
        demo.session.add(FollowRequest(initiative_id=first.follow_request.initiative_id,
                                       insurer_id=first.follow_request.insurer_id,
                                       deadline=first.follow_request.deadline, insured=1))
        with pytest.raises(sa.exc.IntegrityError):
            demo.session.flush()
        demo.session.rollback()


def test_the_same_form_submitted_twice_stores_one_version(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")
    for _ in range(2):
        assert client.post(f"/initiatieven/{initiative_id}/besluit", data={
            "decision": "follow", "idempotency_key": "k" * 32, "action": "decide"}).status_code == 302
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id))) == 1


def test_when_every_insurer_follows_the_initiative_is_fully_funded_and_decisions_close(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        insurers = demo.session.scalars(sa.select(Organisation).join(
            FollowRequest, FollowRequest.insurer_id == Organisation.id)
            .where(FollowRequest.initiative_id == initiative_id)).all()
        from innovatieregister.services.accounts import create_user
        from innovatieregister.services.audit import Actor

        for org in insurers:
            email = f"staff@{org.code.lower()}.test"
            if flows.user(demo, email) is None and flows.user(demo, f"{org.code.lower()}@demo.nl") is None:
                create_user(email, "x", org.code, "insurer_staff", "een-lang-wachtwoord", Actor.command("test"))
        emails = [(flows.user(demo, f"{o.code.lower()}@demo.nl") or flows.user(demo, f"staff@{o.code.lower()}.test")).email
                  for o in insurers]
    for email in emails:
        flows.decide(app, demo, email, "follow")
    with app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "fully_funded"
        states = set(demo.session.scalars(sa.select(FollowRequest.state)))
        assert states == {"closed"}
    from innovatieregister.services import ServiceError

    with pytest.raises(ServiceError):
        flows.decide(app, demo, emails[0], "decline", flows.WEIGHTY)


def test_changing_a_weight_never_changes_a_recorded_assessment(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.NOT_WEIGHTY)  # financial 1 × 3 = 3 < 6
    auth.login("beheerder@demo.nl")
    with app.app_context():
        from innovatieregister.models import ArgumentCriterion

        financial = demo.session.scalar(sa.select(ArgumentCriterion).where(ArgumentCriterion.code == "financial"))
    assert client.post(f"/beheer/criteria/{financial.id}", data={
        "code": "financial", "name": financial.name, "explanation": "", "weight": "5", "active": "y"}
    ).status_code == 302
    assert client.post("/beheer/drempel", data={"t-threshold": "2"}).status_code == 302
    with app.app_context():
        decision = demo.session.scalar(sa.select(Decision))
        assert (decision.score, decision.threshold, decision.weighty) == (3, 6, False)
        assert decision.arguments[0].weight == 1
        assert {e.action for e in demo.session.scalars(sa.select(AuditEntry))} >= {"criterion.update",
                                                                                   "policy.threshold"}
    auth.login("menzis@demo.nl")
    assert "onvoldoende onderbouwd" in client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)


def test_the_timeline_shows_every_change_but_never_a_decision_the_viewer_may_not_see(app, client, auth, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "achmea@demo.nl", "decline", flows.NOT_WEIGHTY)
    auth.login("menzis@demo.nl")
    html = client.get(f"/initiatieven/{initiative_id}/tijdlijn").get_data(as_text=True)
    assert "Geregistreerd als concept" in html and "Opengesteld voor besluiten" in html
    # Who, by name and organisation (issue 13): not an e-mail address.
    assert "Besluit vastgelegd" in html and "door Ahmed (inkoper Achmea) namens Achmea" in html
    assert "@demo.nl" not in html
    auth.login("cz@demo.nl")  # has not decided yet: Achmea's decision stays hidden
    html = client.get(f"/initiatieven/{initiative_id}/tijdlijn").get_data(as_text=True)
    assert "Opengesteld voor besluiten" in html and "Ahmed" not in html
