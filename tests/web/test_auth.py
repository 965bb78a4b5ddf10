"""Log-in, log-out and sessions (README "Production": the session timeouts)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, User


def _user(app, db, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def test_login_page_is_dutch_and_accessible(client, demo):
    page = client.get("/inloggen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert '<label for="email">E-mailadres</label>' in html
    assert "Naar de inhoud" in html


def test_a_demo_insurer_logs_in_and_sees_its_dashboard(client, auth, demo):
    response = auth.login("menzis@demo.nl")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Overzicht voor Menzis" in page
    assert "Twente" in page  # Menzis leads Twente in the illustrative set
    assert "Observatiebedden Twente" in page


def _refusal(response) -> str:
    """The error shown on a refused log-in page."""
    assert response.status_code == 401
    match = re.search(r'<div class="error-summary" role="alert"><p>(.*?)</p>', response.get_data(as_text=True), re.S)
    assert match, "no error message on the page"
    return match.group(1).strip()


def test_a_wrong_password_is_refused_in_dutch_and_counted(app, client, auth, demo):
    response = auth.login("menzis@demo.nl", "fout-wachtwoord")
    assert "E-mailadres of wachtwoord onjuist" in _refusal(response)
    assert client.get("/").status_code == 302
    assert _user(app, demo, "menzis@demo.nl").failed_logins == 1


def test_an_unknown_account_gets_the_same_message(client, auth, demo):
    assert _refusal(auth.login("niemand@demo.nl", "wat-dan-ook")) == _refusal(
        auth.login("menzis@demo.nl", "fout-wachtwoord"))


def test_five_failures_lock_the_account_even_for_the_right_password(app, client, auth, demo):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("vgz@demo.nl", "fout-wachtwoord")
    locked = _user(app, demo, "vgz@demo.nl")
    assert locked.locked_until is not None
    response = auth.login("vgz@demo.nl")
    assert response.status_code == 401
    assert "tijdelijk geblokkeerd" in _refusal(response)  # the one message names the possibility
    with app.app_context():
        actions = demo.session.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.object_type == "User", AuditEntry.object_id == str(locked.id)))
        assert "user.locked" in set(actions)
    # Another account is not affected: the throttle is per account.
    assert auth.login("cz@demo.nl").status_code == 302


def test_the_lock_is_shared_by_every_worker_because_it_lives_in_the_database(app, demo):
    # Two separate clients stand for two web workers: failures add up across them.
    first, second = app.test_client(), app.test_client()
    for i in range(app.config["LOGIN_MAX_FAILURES"]):
        (first if i % 2 else second).post("/inloggen", data={"email": "dsw@demo.nl", "password": "x"})
    assert _user(app, demo, "dsw@demo.nl").locked_until is not None


def test_login_starts_a_new_session(client, auth, demo):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("cz@demo.nl")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


def test_a_replayed_session_cookie_is_refused_after_logout(app, client, auth, demo):
    auth.login("achmea@demo.nl")
    assert client.get("/").status_code == 200
    stolen = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_logout_needs_a_post(client, auth, demo):
    auth.login("achmea@demo.nl")
    assert client.get("/uitloggen").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/regios/ZK22", "/regios/ZK22"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("regios", "/"),
    ],
)
def test_next_only_redirects_within_the_site(client, demo, target, expected):
    response = client.post("/inloggen", query_string={"next": target},
                           data={"email": "cz@demo.nl", "password": "demo-wachtwoord-2026"})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_an_anonymous_visitor_is_sent_to_login_with_next(client, demo):
    response = client.get("/regios/ZK22")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/inloggen"
    assert parse_qs(location.query) == {"next": ["/regios/ZK22"]}


def test_idle_and_absolute_timeouts_end_the_session(app, client, auth, demo, frozen_clock):
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    auth.login("cz@demo.nl")
    frozen_clock.advance(idle - timedelta(seconds=1))
    assert client.get("/regios/").status_code == 200  # just within the idle time
    frozen_clock.advance(idle + timedelta(seconds=1))
    response = client.get("/regios/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")

    auth.login("cz@demo.nl")
    active_for = timedelta(0)
    while active_for + idle / 2 <= absolute:  # busy all day: never idle, yet the day ends
        frozen_clock.advance(idle / 2)
        active_for += idle / 2
        assert client.get("/regios/").status_code == 200
    frozen_clock.advance(idle / 2)
    assert client.get("/regios/").status_code == 302
    auth.login("cz@demo.nl")
    assert client.get("/regios/").status_code == 200


def test_a_disabled_user_is_logged_out_at_the_next_request(app, client, auth, demo):
    auth.login("asr@demo.nl")
    with app.app_context():
        user = demo.session.scalar(sa.select(User).where(User.email == "asr@demo.nl"))
        user.active = False
        demo.session.commit()
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(client, demo):
    response = client.post("/inloggen", data={"email": "cz@demo.nl", "password": "demo-wachtwoord-2026"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_locked_an_unknown_a_disabled_account_and_a_wrong_password_look_the_same(app, client, auth, demo):
    """Same message whether or not the account exists, is locked or is disabled."""
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("vgz@demo.nl", "fout-wachtwoord")
    with app.app_context():
        demo.session.scalar(sa.select(User).where(User.email == "asr@demo.nl")).active = False
        demo.session.commit()
    refusals = {
        "unknown": _refusal(auth.login("niemand@demo.nl", "wat-dan-ook")),
        "wrong password": _refusal(auth.login("menzis@demo.nl", "fout-wachtwoord")),
        "locked, right password": _refusal(auth.login("vgz@demo.nl")),
        "locked, wrong password": _refusal(auth.login("vgz@demo.nl", "fout-wachtwoord")),
        "disabled, right password": _refusal(auth.login("asr@demo.nl")),
    }
    assert len(set(refusals.values())) == 1, refusals


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password hash checked at log-in, by its method (scheme and cost)."""
    from innovatieregister.services import accounts

    checked: list[str] = []
    real = accounts.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", spy)
    return checked


def test_every_refused_log_in_does_the_same_hash_work(app, client, auth, demo, hash_checks, monkeypatch):
    """Timing without a stopwatch: unknown, locked, disabled and known accounts each check the
    password once against a hash of the configured method and cost, so they take as long."""
    from innovatieregister.services.accounts import create_user, hash_password
    from innovatieregister.services.audit import Actor

    method = "pbkdf2:sha256:1234"  # not the suite's default: the dummy hash must follow the setting
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", method)
    with app.app_context():
        create_user("nieuw@demo.nl", "Nieuw", "CZ", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))
        create_user("weg@demo.nl", "Weg", "CZ", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))
        demo.session.scalar(sa.select(User).where(User.email == "weg@demo.nl")).active = False
        demo.session.commit()
        assert hash_password("x").split("$", 1)[0] == method
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("nieuw@demo.nl", "fout-wachtwoord")  # now locked
    hash_checks.clear()
    for email, password in (("niemand@demo.nl", "wat-dan-ook"), ("nieuw@demo.nl", "een-lang-wachtwoord"),
                            ("nieuw@demo.nl", "fout-wachtwoord"), ("weg@demo.nl", "een-lang-wachtwoord")):
        auth.login(email, password)
        assert hash_checks == [method], (email, hash_checks)
        hash_checks.clear()
