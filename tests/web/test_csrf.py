"""With CSRF on, every state-changing form refuses a request without a token."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from innovatieregister.models import MarketShareSet, User


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _login_with_token(client):
    page = client.get("/inloggen").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/inloggen", data={"email": "beheerder@demo.nl",
                                              "password": "demo-wachtwoord-2026", "csrf_token": token})
    assert response.status_code == 302
    return client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]


def test_login_without_token_is_refused(csrf_app, demo):
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": "beheerder@demo.nl",
                                              "password": "demo-wachtwoord-2026"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_logout_without_token_is_refused(csrf_app, demo):
    client = csrf_app.test_client()
    _login_with_token(client)
    with csrf_app.app_context():
        version = demo.session.scalar(
            sa.select(User.session_version).where(User.email == "beheerder@demo.nl")
        )
    assert client.post("/uitloggen").status_code == 400
    assert client.get("/").status_code == 200
    with csrf_app.app_context():
        assert demo.session.scalar(
            sa.select(User.session_version).where(User.email == "beheerder@demo.nl")) == version


def test_market_share_upload_without_token_is_refused(csrf_app, demo):
    client = csrf_app.test_client()
    _login_with_token(client)
    response = client.post("/beheer/marktaandelen", content_type="multipart/form-data", data={
        "file": (io.BytesIO(b"regio,verzekeraar,verzekerden\nZK22,VGZ,1\n"), "s.csv"),
        "peildatum": "2026-01-01", "source": "x"})
    assert response.status_code == 400
    with csrf_app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(MarketShareSet.id))) == 1


def test_every_post_route_is_covered_here(app):
    posts = sorted(rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods)
    assert posts == ["/beheer/marktaandelen", "/inloggen", "/uitloggen"]
