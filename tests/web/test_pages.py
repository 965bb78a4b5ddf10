"""The pages of the foundation: dashboard, regions, admin; deny by default."""

from __future__ import annotations

import io
import re

import pytest

from innovatieregister.models import MarketShareSet
from innovatieregister.policies import PUBLIC
from tests.conftest import count_rows


def test_region_list_shows_all_31_regions_with_their_leads(client, auth, demo):
    auth.login("vgz@demo.nl")
    html = client.get("/regios/").get_data(as_text=True)
    assert html.count('href="/regios/ZK') == 31
    assert "Twente" in html and "Menzis, Achmea" in html
    assert "illustratief" in html


def test_twente_page_shows_shares_peildatum_source_and_leads(client, auth, demo):
    auth.login("menzis@demo.nl")
    response = client.get("/regios/ZK22")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Peildatum 1 januari 2022" in html
    assert "NZa/Vektis" in html and "illustratief" in html
    leads = html.split('<ol class="leads">')[1].split("</ol>")[0]
    assert leads == "<li>Menzis</li><li>Achmea</li>"
    assert "176.303" in html and "28,1%" in html  # Dutch number format
    assert "Enschede" in html


def test_a_region_whose_top_two_hold_less_than_half_shows_a_third_lead(client, auth, demo):
    auth.login("vgz@demo.nl")
    html = client.get("/regios/ZK28").get_data(as_text=True)  # Zuid-Holland Noord, Z&Z zorgkantoor
    leads = html.split('<ol class="leads">')[1].split("</ol>")[0]
    assert leads.count("<li>") == 3


def test_unknown_region_is_a_dutch_404(client, auth, demo):
    auth.login("vgz@demo.nl")
    response = client.get("/regios/ZK99")
    assert response.status_code == 404
    assert "Niet gevonden" in response.get_data(as_text=True)


def test_provider_dashboard_lists_the_initiatives_it_is_involved_in(client, auth, demo):
    auth.login("ziekenhuis@demo.nl")
    html = client.get("/").get_data(as_text=True)
    assert "Initiatieven waarbij wij betrokken zijn" in html
    # Each row a link to its initiative (issue 13: the dashboard is about work; the budget is on the page).
    assert re.search(r'<li><a href="/initiatieven/\d+">Observatiebedden Twente</a>', html)


def test_admin_pages_are_for_admins_only(client, auth, demo):
    auth.login("menzis@demo.nl")
    assert client.get("/beheer/marktaandelen").status_code == 403
    assert client.get("/beheer/gebruikers").status_code == 403
    assert client.post("/beheer/marktaandelen").status_code == 403


def _upload(client, text: str, peildatum="2026-01-01", source="Vektis 2026"):
    return client.post("/beheer/marktaandelen", content_type="multipart/form-data", data={
        "file": (io.BytesIO(text.encode("utf-8")), "shares.csv"),
        "peildatum": peildatum, "source": source,
    })


def test_admin_uploads_a_market_share_file(app, client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = _upload(client, "regio,verzekeraar,verzekerden\nZK22,VGZ,500\nZK22,CZ,400\n")
    assert response.status_code == 302
    html = client.get("/beheer/marktaandelen").get_data(as_text=True)
    assert "geïmporteerd" in html and "Vektis 2026" in html and "beheerder@demo.nl" in html
    with app.app_context():
        assert count_rows(demo, MarketShareSet) == 2


def test_admin_upload_of_a_bad_file_lists_each_line_and_imports_nothing(app, client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = _upload(client, "regio,verzekeraar,verzekerden\nZK22,VGZ,500\nZK22,Onbekend,4\nZK22,CZ,-1\n")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Regel 3: onbekende zorgverzekeraar &#39;Onbekend&#39;." in html
    assert "Regel 4: aantal verzekerden -1 is negatief." in html
    with app.app_context():
        assert count_rows(demo, MarketShareSet) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"peildatum": "2026-13-45", "source": "x"}, "De peildatum: geen geldige datum. Typ dd-mm-jjjj"),
        ({"peildatum": "", "source": "x"}, "Vul een geldige peildatum in."),
        ({"peildatum": "2026-01-01", "source": ""}, "Vermeld de bron van de cijfers."),
    ],
)
def test_admin_upload_form_errors_are_shown_next_to_the_field(client, auth, demo, data, message):
    auth.login("beheerder@demo.nl")
    response = client.post("/beheer/marktaandelen", content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"regio,verzekeraar,verzekerden\nZK22,VGZ,1\n"), "s.csv"), **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_admin_upload_of_an_existing_peildatum_is_refused(app, client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = _upload(client, "regio,verzekeraar,verzekerden\nZK22,VGZ,1\n", peildatum="2022-01-01")
    assert response.status_code == 422
    assert "nooit overschreven" in response.get_data(as_text=True)


def test_admin_upload_of_a_non_utf8_file_is_refused_in_dutch(client, auth, demo):
    auth.login("beheerder@demo.nl")
    response = client.post("/beheer/marktaandelen", content_type="multipart/form-data", data={
        "file": (io.BytesIO("regio\nCoöperatie".encode("utf-16")), "s.csv"),
        "peildatum": "2026-01-01", "source": "x"})
    assert response.status_code == 422
    assert "geen UTF-8" in response.get_data(as_text=True)


def test_every_route_declares_a_policy(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and getattr(app.view_functions[rule.endpoint], "policy", None) is None
    ]
    assert undeclared == []
    public = sorted(rule.rule for rule in app.url_map.iter_rules()
                    if getattr(app.view_functions.get(rule.endpoint), "policy", None) == PUBLIC)
    # The public register (issue 12) is read without an account, its pages and its API alike; so is the
    # glossary of the policy's Dutch terms (issue 13).
    assert public == ["/api/v1/openapi.json", "/api/v1/public/initiatives", "/api/v1/public/initiatives/<int:initiative_id>",
                      "/gezondheid", "/inloggen", "/openbaar/", "/openbaar/initiatieven/<int:initiative_id>",
                      "/openbaar/open-data", "/openbaar/open-data/initiatieven.csv",
                      "/openbaar/open-data/initiatieven.json", "/woordenlijst"]


def test_a_route_without_a_policy_is_refused_even_when_logged_in():
    from config import TestConfig
    from innovatieregister import create_app

    app = create_app(TestConfig)
    app.add_url_rule("/vergeten", "forgotten", lambda: "secret")
    assert app.test_client().get("/vergeten").status_code == 403


def test_errors_are_generic_dutch_pages_without_a_trace(demo):
    from config import TestConfig
    from innovatieregister import create_app
    from innovatieregister.policies import public

    app = create_app(TestConfig)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @public
    def broken():
        raise RuntimeError("geheim detail")

    app.add_url_rule("/stuk", "broken", broken)
    response = app.test_client().get("/stuk")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html and "geheim detail" not in html and "Traceback" not in html


def test_security_headers_are_set(client, demo):
    response = client.get("/inloggen")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/inloggen", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_health_check(client, database):
    assert client.get("/gezondheid").get_json() == {"status": "ok"}


def test_dashboard_counts_for_the_admin(client, auth, demo):
    auth.login("beheerder@demo.nl")
    html = client.get("/").get_data(as_text=True)
    counts = html.split('<dl class="counts">')[1].split("</dl>")[0]
    assert "<dt>regio&#39;s</dt><dd>31</dd>" in counts
    from innovatieregister.services.demo import USERS
    assert f"<dt>gebruikers</dt><dd>{len(USERS)}</dd>" in counts  # the demo's accounts, each once
