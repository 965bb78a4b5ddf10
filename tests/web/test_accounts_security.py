"""Accounts as a security officer expects: password changes, the administrator's user pages,
disabling and re-enabling, and API tokens that expire. Every change ends what it must end."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from innovatieregister.models import ApiToken, AuditEntry, User
from tests import flows
from tests.conftest import DEMO_PASSWORD

NEW_PASSWORD = "een-heel-nieuw-wachtwoord"


def _logged_in(app, email: str, password: str = DEMO_PASSWORD):
    client = app.test_client()
    assert client.post("/inloggen", data={"email": email, "password": password}).status_code == 302
    return client


def _token(client) -> str:
    page = client.post("/profiel", data={"name": "script"}).get_data(as_text=True)
    return re.search(r'<code class="token">(ir_[^<]+)</code>', page).group(1)


def _api_status(app, raw: str) -> int:
    return app.test_client().get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"}).status_code


def _still_in(client) -> bool:
    return client.get("/profiel").status_code == 200


def _logged_out(client) -> bool:
    response = client.get("/profiel")
    return response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def _user(app, db, email: str) -> User:
    with app.app_context():
        return flows.user(db, email)


def _actions(app, db, user_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "User", AuditEntry.object_id == str(user_id)).order_by(AuditEntry.seq)))


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error"><span class="visually-hidden">Fout:</span> ([^<]*)</p>',
                      html)
    return match.group(1) if match else ""


def _shown_password(html: str) -> str:
    return re.search(r'<code class="token">([^<]+)</code>', html).group(1)


def test_a_password_change_needs_the_current_password_and_good_rules_with_messages_at_the_field(app, demo):
    client = _logged_in(app, "cz@demo.nl")
    before = _user(app, demo, "cz@demo.nl").password_hash
    cases = [
        ({"current_password": "fout", "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD},
         "current_password", "Het huidige wachtwoord is onjuist."),
        ({"current_password": DEMO_PASSWORD, "new_password": "kort", "repeat_password": "kort"},
         "new_password", "minstens 12 tekens"),
        ({"current_password": DEMO_PASSWORD, "new_password": "x" * 201, "repeat_password": "x" * 201},
         "new_password", "hoogstens 200 tekens"),
        ({"current_password": DEMO_PASSWORD, "new_password": "CZ@demo.nl", "repeat_password": "CZ@demo.nl"},
         "new_password", "niet gelijk zijn aan het e-mailadres"),
        ({"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD, "repeat_password": DEMO_PASSWORD},
         "new_password", "ander wachtwoord dan het huidige"),
        ({"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD + "!"},
         "repeat_password", "niet gelijk"),
    ]
    for data, field, message in cases:
        response = client.post("/profiel/wachtwoord", data=data)
        assert response.status_code == 422, data
        assert message in _field_error(response.get_data(as_text=True), field), (data, field)
    assert _user(app, demo, "cz@demo.nl").password_hash == before
    assert _still_in(client)


def test_a_password_change_ends_every_other_session_and_every_token_but_this_one(app, demo):
    here, elsewhere = _logged_in(app, "cz@demo.nl"), _logged_in(app, "cz@demo.nl")
    raw = _token(here)
    old_cookie = here.get_cookie("session").value
    assert _api_status(app, raw) == 200
    response = here.post("/profiel/wachtwoord", data={
        "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/profiel"
    assert _still_in(here)  # the one that changed it goes on, in a fresh session
    assert _logged_out(elsewhere)
    assert _api_status(app, raw) == 401
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)  # this very browser's cookie from before the change
    assert _logged_out(replay)
    assert app.test_client().post("/inloggen", data={"email": "cz@demo.nl", "password": DEMO_PASSWORD}
                                  ).status_code == 401
    _logged_in(app, "cz@demo.nl", NEW_PASSWORD)
    user = _user(app, demo, "cz@demo.nl")
    assert "user.password_change" in _actions(app, demo, user.id)
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) == 0


def test_guessing_the_current_password_locks_the_account_like_the_log_in(app, demo):
    client = _logged_in(app, "cz@demo.nl")
    wrong = {"current_password": "geraden", "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD}
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        assert client.post("/profiel/wachtwoord", data=wrong).status_code == 422
    last = client.post("/profiel/wachtwoord", data=wrong)
    assert last.status_code == 302 and last.headers["Location"].startswith("/inloggen")
    assert _logged_out(client)
    assert _user(app, demo, "cz@demo.nl").locked_until is not None
    assert app.test_client().post("/inloggen", data={"email": "cz@demo.nl", "password": DEMO_PASSWORD}
                                  ).status_code == 401


def test_an_admin_creates_a_user_whose_first_act_is_choosing_a_password(app, demo):
    admin = _logged_in(app, "beheerder@demo.nl")
    assert 'value="VGZ"' in admin.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    bad = admin.post("/beheer/gebruikers/nieuw", data={"email": "geen-adres", "organisation": "ZH-TWENTE",
                                                       "role": "insurer_staff", "password": "kort"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Geen geldig e-mailadres." in _field_error(html, "email")
    assert "hoort bij een organisatie van het soort" in _field_error(html, "organisation")
    assert "minstens 12 tekens" in _field_error(html, "password")
    duplicate = admin.post("/beheer/gebruikers/nieuw", data={"email": "cz@demo.nl", "organisation": "CZ",
                                                             "role": "insurer_staff", "password": ""})
    assert duplicate.status_code == 422 and "Er bestaat al een gebruiker" in _field_error(
        duplicate.get_data(as_text=True), "email")

    created = admin.post("/beheer/gebruikers/nieuw", data={
        "email": "Nieuw@VGZ.test", "name": "Nieuwe Inkoper", "organisation": "VGZ", "role": "insurer_staff",
        "password": ""})
    assert created.status_code == 201
    password = _shown_password(created.get_data(as_text=True))
    assert len(password) >= 12
    user = _user(app, demo, "nieuw@vgz.test")
    assert user.organisation.code == "VGZ" and user.must_change_password
    assert password not in admin.get(f"/beheer/gebruikers/{user.id}").get_data(as_text=True)  # shown once
    assert "user.create" in _actions(app, demo, user.id)
    with app.app_context():
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create",
                                                                AuditEntry.object_id == str(user.id)))
        assert entry.actor_label == "beheerder@demo.nl" and password not in str(entry.after)

    newcomer = _logged_in(app, "nieuw@vgz.test", password)
    for path in ("/", "/initiatieven/", "/profiel"):
        response = newcomer.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/profiel/wachtwoord", path
    assert newcomer.post("/profiel", data={"name": "x"}).status_code == 302  # no token before its own password
    assert newcomer.post("/profiel/wachtwoord", data={
        "current_password": password, "new_password": NEW_PASSWORD, "repeat_password": NEW_PASSWORD}
    ).status_code == 302
    assert newcomer.get("/").status_code == 200


def test_disabling_ends_sessions_and_tokens_and_enabling_revives_neither(app, demo):
    user = _logged_in(app, "cz@demo.nl")
    raw = _token(user)
    cookie = user.get_cookie("session").value
    cz = _user(app, demo, "cz@demo.nl")
    admin = _logged_in(app, "beheerder@demo.nl")

    assert admin.post(f"/beheer/gebruikers/{cz.id}/blokkeren").status_code == 302
    assert _logged_out(user)
    assert _api_status(app, raw) == 401
    assert app.test_client().post("/inloggen", data={"email": "cz@demo.nl", "password": DEMO_PASSWORD}
                                  ).status_code == 401
    assert "geblokkeerd" in admin.get(f"/beheer/gebruikers/{cz.id}").get_data(as_text=True)

    assert admin.post(f"/beheer/gebruikers/{cz.id}/deblokkeren").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert _logged_out(replay)  # the cookie from before never comes back
    assert _api_status(app, raw) == 401  # nor the token
    assert _still_in(_logged_in(app, "cz@demo.nl"))  # a new log-in works
    actions = _actions(app, demo, cz.id)
    assert actions.index("user.disable") < actions.index("user.enable")


def test_an_admin_cannot_disable_themselves(app, demo):
    admin = _logged_in(app, "beheerder@demo.nl")
    me = _user(app, demo, "beheerder@demo.nl")
    page = admin.post(f"/beheer/gebruikers/{me.id}/blokkeren", follow_redirects=True)
    assert "U kunt uw eigen account niet blokkeren." in page.get_data(as_text=True)
    assert _user(app, demo, "beheerder@demo.nl").active and _still_in(admin)
    assert "user.disable" not in _actions(app, demo, me.id)


def test_an_admin_resets_a_password_which_unlocks_and_ends_every_session(app, demo):
    user = _logged_in(app, "dsw@demo.nl")
    raw = _token(user)
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        app.test_client().post("/inloggen", data={"email": "dsw@demo.nl", "password": "fout"})
    dsw = _user(app, demo, "dsw@demo.nl")
    assert dsw.locked_until is not None
    admin = _logged_in(app, "beheerder@demo.nl")

    short = admin.post(f"/beheer/gebruikers/{dsw.id}/wachtwoord", data={"password": "kort"})
    assert short.status_code == 422 and "minstens 12 tekens" in _field_error(short.get_data(as_text=True), "password")
    assert _still_in(user)

    reset = admin.post(f"/beheer/gebruikers/{dsw.id}/wachtwoord", data={"password": ""})
    assert reset.status_code == 200
    password = _shown_password(reset.get_data(as_text=True))
    assert _logged_out(user) and _api_status(app, raw) == 401
    assert _user(app, demo, "dsw@demo.nl").locked_until is None
    fresh = _logged_in(app, "dsw@demo.nl", password)
    assert fresh.get("/").headers["Location"] == "/profiel/wachtwoord"
    assert "user.password_reset" in _actions(app, demo, dsw.id)

    me = _user(app, demo, "beheerder@demo.nl")
    own = admin.post(f"/beheer/gebruikers/{me.id}/wachtwoord", data={"password": NEW_PASSWORD},
                     follow_redirects=True)
    assert "Uw eigen wachtwoord wijzigt u op uw profielpagina." in own.get_data(as_text=True)
    assert "user.password_reset" not in _actions(app, demo, me.id)


def test_the_user_list_pages_and_survives_any_page_number(app, demo):
    admin = _logged_in(app, "beheerder@demo.nl")
    page = admin.get("/beheer/gebruikers").get_data(as_text=True)
    assert "cz@demo.nl" in page and "Pagina 1 van 1" in page
    for pagina in ("2", "-5", "99999999999999999999", "abc"):
        assert admin.get(f"/beheer/gebruikers?pagina={pagina}").status_code == 200, pagina


def test_api_tokens_expire_after_the_configured_days(app, demo, frozen_clock, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 7)
    client = _logged_in(app, "cz@demo.nl")
    raw = _token(client)
    frozen_clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert _api_status(app, raw) == 200
    frozen_clock.advance(timedelta(seconds=1))
    assert _api_status(app, raw) == 401
    client = _logged_in(app, "cz@demo.nl")  # the web session timed out meanwhile
    assert "verlopen" in client.get("/profiel").get_data(as_text=True)


def test_a_new_token_lives_ninety_days_by_default(app, demo):
    assert app.config["API_TOKEN_DAYS"] == 90
    client = _logged_in(app, "cz@demo.nl")
    _token(client)
    with app.app_context():
        token = demo.session.scalar(sa.select(ApiToken))
        assert token.expires_at - token.created_at == timedelta(days=90)


def test_a_handed_over_password_opens_no_api_until_the_user_chose_their_own(app, demo):
    """After an administrator's reset, a token (made by an operator with `flask users token`)
    is refused until the user has chosen a password, as the web pages are."""
    from innovatieregister import clock
    from innovatieregister.services import accounts
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        admin, dsw = flows.user(demo, "beheerder@demo.nl"), flows.user(demo, "dsw@demo.nl")
        _, handed_over = accounts.reset_password(admin, dsw.id, None, clock.now())
        _, raw = create_token(flows.user(demo, "dsw@demo.nl"), "operator", clock.now())
    refused = app.test_client().get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 403 and "wachtwoord" in refused.get_json()["detail"]
    assert refused.mimetype == "application/problem+json"

    client = _logged_in(app, "dsw@demo.nl", handed_over)
    client.post("/profiel/wachtwoord", data={"current_password": handed_over, "new_password": NEW_PASSWORD,
                                             "repeat_password": NEW_PASSWORD})
    with app.app_context():
        _, raw = create_token(flows.user(demo, "dsw@demo.nl"), "na wijziging", clock.now())
    assert _api_status(app, raw) == 200


def test_a_password_of_only_spaces_is_refused_at_the_field(app, demo):
    client = _logged_in(app, "cz@demo.nl")
    spaces = " " * 12
    response = client.post("/profiel/wachtwoord", data={"current_password": DEMO_PASSWORD,
                                                       "new_password": spaces, "repeat_password": spaces})
    assert response.status_code == 422
    assert "alleen uit spaties" in _field_error(response.get_data(as_text=True), "new_password")
    assert _logged_in(app, "cz@demo.nl")  # the old password still opens the account
