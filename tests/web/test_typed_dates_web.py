"""Dates typed as dd-mm-jjjj in the forms and the API (ISO still accepted), shown for editing as
dd-mm-jjjj, refused with a message that names the form (issue 13)."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from innovatieregister.models import Initiative, MarketShareSet
from tests import flows
from tests.web.test_initiatives import REGISTRATION, _providers
from tests.web.test_pages import _upload


def _value_of(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html).group(1)


def test_a_registration_takes_dutch_dates_and_the_edit_form_shows_them_so(app, demo, client, auth):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={
        **REGISTRATION, "providers": _providers(app, demo), "term_start": "01-02-2027", "term_end": "31-1-2030",
        "goals-0-target_date": "31-12-2028"})
    assert response.status_code == 302
    with app.app_context():
        initiative = demo.session.scalar(sa.select(Initiative).where(Initiative.title == REGISTRATION["title"]))
        assert (initiative.term_start, initiative.term_end) == (date(2027, 2, 1), date(2030, 1, 31))
        assert initiative.goals[0].target_date == date(2028, 12, 31)
        initiative_id = initiative.id
    form = client.get(f"/initiatieven/{initiative_id}/bewerken").get_data(as_text=True)
    assert _value_of(form, "term_start") == "01-02-2027" and _value_of(form, "term_end") == "31-01-2030"
    assert _value_of(form, "goals-0-target_date") == "31-12-2028"
    page = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    assert "1 februari 2027" in page and "01-02-2027" not in page and "2027-02-01" not in page


def test_a_date_that_is_none_is_refused_naming_the_form_to_type(app, demo, client, auth):
    auth.login("menzis@demo.nl")
    response = client.post("/initiatieven/nieuw", data={
        **REGISTRATION, "providers": _providers(app, demo), "term_start": "31-12-29"})
    assert response.status_code == 422
    assert re.search(r'id="term_start-error"[^>]*>.*geen geldige datum. Typ dd-mm-jjjj', response.get_data(as_text=True))
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Initiative.id))) == flows.DEMO_INITIATIVES


def test_the_market_share_import_takes_a_dutch_peildatum(app, demo, client, auth):
    auth.login("beheerder@demo.nl")
    refused = _upload(client, "regio,verzekeraar,verzekerden\nZK22,VGZ,1\n", peildatum="31-13-2027")
    assert refused.status_code == 422
    assert "De peildatum: geen geldige datum. Typ dd-mm-jjjj" in refused.get_data(as_text=True)
    done = _upload(client, "regio,verzekeraar,verzekerden\nZK22,VGZ,1\n", peildatum="1-7-2027")
    assert done.status_code == 302
    with app.app_context():
        assert demo.session.scalar(sa.select(MarketShareSet).where(MarketShareSet.peildatum == date(2027, 7, 1)))

