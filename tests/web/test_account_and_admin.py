"""Profile (API tokens), notifications, and the criteria catalogue pages."""

from __future__ import annotations

import re

import sqlalchemy as sa

from innovatieregister.models import ApiToken, ArgumentCriterion, Notification
from tests import flows


def test_a_user_creates_a_token_sees_it_once_uses_it_and_revokes_it(app, client, auth, demo):
    auth.login("cz@demo.nl")
    page = client.post("/profiel", data={"name": "inkoopscript"}).get_data(as_text=True)
    raw = re.search(r'<code class="token">(ir_[^<]+)</code>', page).group(1)
    assert client.get("/profiel").get_data(as_text=True).count(raw) == 0  # shown once only
    api = app.test_client()
    assert api.get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    with app.app_context():
        token = demo.session.scalar(sa.select(ApiToken))
        assert token.token_hash != raw and raw not in token.token_hash
    assert client.post(f"/profiel/tokens/{token.id}/intrekken").status_code == 302
    assert api.get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    empty = client.post("/profiel", data={"name": ""})
    assert empty.status_code == 422 and "Geef het token een naam" in empty.get_data(as_text=True)


def test_notifications_show_with_an_unread_count_and_can_be_marked_read(app, client, auth, demo):
    flows.open_observation_beds(app, demo)
    auth.login("vgz@demo.nl")
    dashboard = client.get("/").get_data(as_text=True)
    assert re.search(r'Meldingen <span class="badge">1<span class="visually-hidden"> ongelezen', dashboard)
    page = client.get("/meldingen").get_data(as_text=True)
    assert "Menzis vraagt u het initiatief &#39;Observatiebedden Twente&#39;" in page
    client.post("/meldingen/gelezen")
    assert 'class="badge"' not in client.get("/").get_data(as_text=True)
    with app.app_context():
        unread = demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.read_at.is_(None)))
        # The other insurers' notifications are untouched, and the care office's (its pledge lapsed).
        assert unread == 5


def test_admin_adds_and_changes_criteria_with_dutch_errors(app, client, auth, demo):
    auth.login("beheerder@demo.nl")
    assert "Onvoldoende bewijs van effect" in client.get("/beheer/criteria").get_data(as_text=True)
    bad = client.post("/beheer/criteria", data={"new-code": "Met Spaties", "new-name": "", "new-weight": "99"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "kleine letters" in html and "Vul een naam in." in html and "0 tot en met 10" in html
    assert client.post("/beheer/criteria", data={"new-code": "wachtlijst", "new-name": "Wachtlijsten",
                                                 "new-weight": "2", "new-active": "y"}).status_code == 302
    duplicate = client.post("/beheer/criteria", data={"new-code": "wachtlijst", "new-name": "X", "new-weight": "1"})
    assert "Deze code bestaat al." in duplicate.get_data(as_text=True)
    bad_threshold = client.post("/beheer/drempel", data={"t-threshold": "nul"}, follow_redirects=True)
    assert "De drempel is een geheel getal" in bad_threshold.get_data(as_text=True)
    with app.app_context():
        assert demo.session.scalar(sa.select(ArgumentCriterion.weight).where(ArgumentCriterion.code == "wachtlijst")) == 2
