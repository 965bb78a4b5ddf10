"""The money and life-cycle pages in English (issue 13): term and evaluation, the monitor, co-funding,
settlement (nacalculatie) and shared savings speak English to a user who chose it, their refusals
too (with values and dates put in the English sentence), and stay Dutch for everyone else. The
English is read from the catalogue, not copied here."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from innovatieregister.models import Organisation
from innovatieregister.models.initiative import SmartGoal
from tests import flows
from tests.settlement_flows import FOLLOWER, LEAD, active_beds, propose
from tests.web.test_initiatives import _field_error


def _english(app, msgid: str, **values) -> str:
    """The catalogue's English for a Dutch text."""
    with app.test_request_context(), force_locale("en"):
        return gettext(msgid, **values)


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _english_and_not_dutch(app, page: str, *msgids: str) -> None:
    for msgid in msgids:
        english = _english(app, msgid)
        assert english != msgid, msgid  # translated at all
        assert english in page and msgid not in page, msgid


def test_the_life_cycle_and_the_monitor_speak_english(app, demo, client, auth):
    initiative_id = flows.activate_observation_beds(app, demo)
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    life = _text(client.get(f"/initiatieven/{initiative_id}/looptijd"))
    _english_and_not_dutch(app, life, "Looptijd en evaluatie", "Evaluatiekalender", "Einde opstartfase",
                           "Evaluatie vastleggen", "Nog geen evaluaties.")
    monitor = _text(client.get(f"/initiatieven/{initiative_id}/monitor"))
    _english_and_not_dutch(app, monitor, "Uitkomstmonitor", "Meting toevoegen", "Procesmonitor: logboek",
                           "Toevoegen aan het logboek")
    documents = _text(client.get(f"/initiatieven/{initiative_id}/documenten"))
    _english_and_not_dutch(app, documents, "Document toevoegen", "Nog geen documenten.")


def test_the_money_pages_speak_english(app, demo, client, auth):
    initiative_id = active_beds(app, demo, pledge="10000.00")
    propose(app, demo, initiative_id)
    flows.speaks(app, demo, FOLLOWER, "en")
    auth.login(FOLLOWER)
    settlement = _text(client.get(f"/initiatieven/{initiative_id}/nacalculatie"))
    _english_and_not_dutch(app, settlement, "Werkelijke kosten", "Over de zorgverzekeraars", "Bezwaar maken",
                           "Bezwaar maken: uw redenen")
    co_funding = _text(client.get(f"/initiatieven/{initiative_id}/medefinanciering"))
    _english_and_not_dutch(app, co_funding, "Toezeggingen", "Medefinancier")
    savings = _text(client.get(f"/initiatieven/{initiative_id}/besparingen"))
    _english_and_not_dutch(app, savings, "Besparingen per jaar")
    # The settlement's export is headed in English too; the figures stay as they are.
    exported = client.get(f"/initiatieven/{initiative_id}/nacalculatie/"
                          f"{_settlement_id(demo, app, initiative_id)}/export?formaat=csv").data.decode("utf-8-sig")
    header = exported.splitlines()[0].split(";")
    assert _english(app, "Verzekerden in de sleutel") in header and "Verzekerden in de sleutel" not in header


def _settlement_id(demo, app, initiative_id: int) -> int:
    from innovatieregister.models.funding import Settlement

    with app.app_context():
        return demo.session.scalar(sa.select(Settlement.id).where(Settlement.initiative_id == initiative_id))


def test_a_refused_measurement_says_why_in_english_with_its_values(app, demo, client, auth):
    initiative_id = flows.activate_observation_beds(app, demo)
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    with app.app_context():
        goal_id = demo.session.scalar(sa.select(SmartGoal.id).where(SmartGoal.initiative_id == initiative_id)
                                      .order_by(SmartGoal.id).limit(1))
    refused = client.post(f"/initiatieven/{initiative_id}/monitor/metingen", data={
        "meting-goal": str(goal_id), "meting-kind": "periodic", "meting-measured_on": "01-01-2020",
        "meting-value": "veel"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    problem = _english(app, "'%(text)s' is geen getal (bijv. 12,5)", text="veel")
    assert _english(app, "De waarde: %(problem)s.", problem=problem) in html.unescape(_field_error(page, "meting-value"))
    assert "geen getal" not in page


def test_a_co_funders_refused_decision_is_explained_in_english(app, demo, client, auth):
    from tests.web.test_confirmations import _pledge_of

    flows.observation_beds_id(app, demo)
    with app.app_context():
        pledge_id = _pledge_of(demo, "ZKT-TWENTE")
    flows.speaks(app, demo, "zorgkantoor@demo.nl", "en")
    auth.login("zorgkantoor@demo.nl")
    refused = client.post(f"/medefinanciering/{pledge_id}/besluit", data={"decision": "decline"})
    assert refused.status_code == 422
    assert _english(app, "Geef de redenen waarom u afwijst.") in refused.get_data(as_text=True)
    asked = _text(client.post(f"/medefinanciering/{pledge_id}/besluit", data={"decision": "confirm"}))
    _english_and_not_dutch(app, asked, "Dit is niet terug te draaien.", "Ja, bevestigen")


def test_activation_waiting_for_conditions_is_refused_in_english(app, demo, client, auth):
    initiative_id = flows.fund_observation_beds(app, demo, conditions_of="VGZ")
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    refused = client.post(f"/initiatieven/{initiative_id}/looptijd/activeren")
    assert refused.status_code == 409
    with app.app_context():
        vgz = demo.session.scalar(sa.select(Organisation.name).where(Organisation.code == "VGZ"))
    expected = _english(app, "Nog niet geactiveerd: de voorwaarden van %(insurers)s wachten op uw oordeel. "
                             "Accepteer of wijs ze eerst af; er is niets gewijzigd.", insurers=vgz)
    assert expected in _text(refused) and "wachten op uw oordeel" not in _text(refused)


def test_the_same_pages_stay_dutch_for_a_dutch_user(app, demo, client, auth):
    initiative_id = active_beds(app, demo, pledge="10000.00")
    propose(app, demo, initiative_id)
    auth.login(FOLLOWER)
    settlement = _text(client.get(f"/initiatieven/{initiative_id}/nacalculatie"))
    assert "Werkelijke kosten" in settlement and "Bezwaar maken: uw redenen" in settlement
    assert _english(app, "Bezwaar maken: uw redenen") not in settlement
    auth.login(LEAD)
    life = _text(client.get(f"/initiatieven/{initiative_id}/looptijd"))
    assert "Looptijd en evaluatie" in life and _english(app, "Looptijd en evaluatie") not in life


def test_a_refused_measurements_file_names_each_line_in_english(app, demo, client, auth):
    import io

    initiative_id = flows.activate_observation_beds(app, demo)
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    body = "doel;soort;datum;waarde\n99999;periodiek;01-01-2026;veel\n"
    refused = client.post(f"/initiatieven/{initiative_id}/monitor/csv", content_type="multipart/form-data",
                          data={"csv-file": (io.BytesIO(body.encode()), "metingen.csv")})
    assert refused.status_code == 422
    page = html.unescape(refused.get_data(as_text=True))
    problems = "; ".join((
        _english(app, "onbekend doel '%(goal)s' (het nummer of de maatstaf van een doel)", goal="99999"),
        _english(app, "waarde: %(problem)s", problem=_english(app, "'%(text)s' is geen getal (bijv. 12,5)",
                                                                 text="veel"))))
    assert _english(app, "Regel %(n)s: %(problem)s.", n=2, problem=problems) in page
    assert "onbekend doel" not in page and "Regel 2" not in page
