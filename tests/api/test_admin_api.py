"""Users and API tokens through the API (issue 14): what the admin pages and the profile page let
each role do; a generated password and a token's secret are answered once."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import ApiToken, AuditEntry, User
from tests import flows

ADMIN = "beheerder@demo.nl"


def _audited(demo, action: str) -> int:
    return demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == action))


def test_the_admin_lists_creates_blocks_and_unblocks_users(app, demo, api_as):
    admin = api_as(ADMIN)
    listed = admin.get("/api/v1/users?per_page=5").get_json()
    with app.app_context():
        assert listed["total"] == demo.session.scalar(sa.select(sa.func.count(User.id)))
    assert len(listed["items"]) == 5 and listed["next"]

    made = admin.post("/api/v1/users", json={"email": "Nieuw@VGZ.nl", "name": " Nieuw ", "organisation": "VGZ",
                                             "role": "insurer_staff"})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["user"]["email"], body["user"]["name"], body["user"]["must_change_password"]) == (
        "nieuw@vgz.nl", "Nieuw", True)
    assert len(body["password"]) >= 12  # generated, and answered this once
    user_id = body["user"]["id"]
    assert admin.get(f"/api/v1/users/{user_id}").get_json() == body["user"]
    chosen = admin.post("/api/v1/users", json={"email": "twee@vgz.nl", "organisation": "VGZ",
                                               "role": "insurer_staff", "password": "een-lang-wachtwoord"})
    assert chosen.status_code == 201 and chosen.get_json()["password"] is None
    assert admin.post("/api/v1/users", json={"email": "nieuw@vgz.nl", "organisation": "VGZ",
                                             "role": "insurer_staff"}).status_code == 409

    blocked = admin.post(f"/api/v1/users/{user_id}/disable")
    assert blocked.status_code == 200 and blocked.get_json()["active"] is False
    assert admin.post(f"/api/v1/users/{user_id}/enable").get_json()["active"] is True
    reset = admin.post(f"/api/v1/users/{user_id}/password", json={})
    assert reset.status_code == 200 and reset.get_json()["password"]
    with app.app_context():
        admin_id = flows.user(demo, ADMIN).id
        for action in ("user.create", "user.disable", "user.enable", "user.password_reset"):
            assert _audited(demo, action) >= 1, action
    assert admin.post(f"/api/v1/users/{admin_id}/disable").status_code == 409  # never oneself


def test_bad_user_input_is_refused_per_field_and_creates_nobody(app, demo, api_as):
    admin = api_as(ADMIN)
    with app.app_context():
        before = demo.session.scalar(sa.select(sa.func.count(User.id)))
    for sent, key in (
            ({"email": "geen-adres", "organisation": "VGZ", "role": "insurer_staff"}, "email"),
            ({"email": "a@vgz.nl", "organisation": "VGZ", "role": "koning"}, "role"),
            ({"email": "a@vgz.nl", "organisation": "VGZ", "role": "mediator"}, "organisation"),
            ({"email": "a@vgz.nl", "organisation": "VGZ", "role": "insurer_staff", "password": "kort"}, "password"),
            ({"email": "a@vgz.nl" * 40, "organisation": "VGZ", "role": "insurer_staff"}, "email"),
            ({"email": "a@vgz.nl", "organisation": "VGZ", "role": "insurer_staff", "admin": True}, "admin")):
        refused = admin.post("/api/v1/users", json=sent)
        assert refused.status_code == 422 and refused.get_json()["errors"][key], (sent, refused.get_json())
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_only_the_admin_manages_users(app, demo, api_as):
    with app.app_context():
        other = flows.user(demo, "cz@demo.nl").id
    for email in ("menzis@demo.nl", "bemiddelaar@demo.nl", "ziekenhuis@demo.nl"):
        caller = api_as(email)
        assert caller.get("/api/v1/users").status_code == 403
        assert caller.post(f"/api/v1/users/{other}/disable").status_code == 403
    with app.app_context():
        assert flows.user(demo, "cz@demo.nl").active


def test_everyone_keeps_their_own_tokens(app, demo, api_as):
    vgz = api_as("vgz@demo.nl")
    made = vgz.post("/api/v1/tokens", json={"name": "mijn script"})
    assert made.status_code == 201
    secret, token = made.get_json()["secret"], made.get_json()["token"]
    assert secret.startswith(token["prefix"]) and token["state"] == "live"
    with app.app_context():  # stored only as a hash
        assert demo.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.token_hash == secret)) == 0
    # The new secret works, and is never shown again.
    listed = vgz.get("/api/v1/tokens")
    assert token["id"] in [t["id"] for t in listed.get_json()["items"]] and secret not in listed.get_data(as_text=True)
    assert api_as(None).get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    # Someone else's token is not found; one's own is revoked, and then refused.
    assert api_as("cz@demo.nl").post(f"/api/v1/tokens/{token['id']}/revoke").status_code == 404
    revoked = vgz.post(f"/api/v1/tokens/{token['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert api_as(None).get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    with app.app_context():
        assert _audited(demo, "api_token.revoke") == 1
    # The admin lists anyone's tokens (never a secret); no one else does.
    with app.app_context():
        vgz_id = flows.user(demo, "vgz@demo.nl").id
    theirs = api_as(ADMIN).get(f"/api/v1/users/{vgz_id}/tokens")
    assert token["id"] in [t["id"] for t in theirs.get_json()["items"]] and secret not in theirs.get_data(as_text=True)
    assert vgz.get(f"/api/v1/users/{vgz_id}/tokens").status_code == 403
    refused = vgz.post("/api/v1/tokens", json={"name": ""})
    assert refused.status_code == 422 and refused.get_json()["errors"]["name"]
    assert vgz.post("/api/v1/tokens", json={"name": "x" * 101}).get_json()["errors"]["name"]
