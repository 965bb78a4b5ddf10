"""With CSRF on, every state-changing form refuses a request without a token."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Initiative, User
from tests import flows


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _token(html: str) -> str:
    return html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def _login(client, email: str) -> None:
    token = _token(client.get("/inloggen").get_data(as_text=True))
    response = client.post("/inloggen", data={"email": email, "password": "demo-wachtwoord-2026",
                                              "csrf_token": token})
    assert response.status_code == 302


def _post_routes(app) -> list[str]:
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "POST" in rule.methods and not rule.rule.startswith("/api/"))


def _who(rule: str) -> str:
    return "beheerder@demo.nl" if rule.startswith("/beheer") else "menzis@demo.nl"


def test_login_without_token_is_refused(csrf_app, demo):
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": "beheerder@demo.nl", "password": "demo-wachtwoord-2026"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_every_form_post_without_token_is_refused_and_changes_nothing(csrf_app, demo):
    with csrf_app.app_context():
        initiative_id = flows.observation_beds_id(csrf_app, demo)
        audit_before = demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
        versions = dict(demo.session.execute(sa.select(User.email, User.session_version)).all())
    routes = [r for r in _post_routes(csrf_app) if r != "/inloggen"]
    assert len(routes) >= 10  # the scan really found the forms
    for rule in routes:
        client = csrf_app.test_client()
        _login(client, _who(rule))
        url = re.sub(r"<int:(\w+)>", lambda m: str(initiative_id) if m.group(1) == "initiative_id" else "1", rule)
        response = client.post(url, data={"title": "x", "name": "x", "code": "x_y", "weight": "1"})
        assert response.status_code == 400, rule
        assert client.get("/").status_code == 200, rule  # still logged in: logout did not happen
    with csrf_app.app_context():
        actions = demo.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)
                                       .offset(audit_before)).all()
        assert set(actions) <= {"user.login"}  # only the log-ins of this test
        assert dict(demo.session.execute(sa.select(User.email, User.session_version)).all()) == versions


def test_the_api_accepts_no_session_cookie_in_place_of_a_token(csrf_app, demo):
    client = csrf_app.test_client()
    _login(client, "menzis@demo.nl")
    with csrf_app.app_context():
        initiative_id = flows.observation_beds_id(csrf_app, demo)
    response = client.post(f"/api/v1/initiatives/{initiative_id}/open")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    with csrf_app.app_context():
        assert demo.session.get(Initiative, initiative_id).status == "concept"
