"""Dutch by default, English on request (issue 13): the browser's Accept-Language before log-in, the
user's own choice on the profile page after; the choice is audited and bad input changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, User

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_before_log_in_the_browser_chooses_and_dutch_is_the_default(client, demo):
    assert _lang(client.get("/login")) == "nl"
    assert _lang(client.get("/login", headers=ENGLISH)) == "en"
    assert _lang(client.get("/login", headers={"Accept-Language": "de-DE,fr;q=0.8"})) == "nl"
    assert _lang(client.get("/login", headers={"Accept-Language": "de,en;q=0.5"})) == "en"


def test_a_user_chooses_english_on_the_profile_page_and_it_wins_over_the_browser(app, client, auth, demo):
    auth.login("cz@demo.nl")
    assert _lang(client.get("/profiel", headers=ENGLISH)) == "nl"  # the stored choice, not the browser
    saved = client.post("/profiel/taal", data={"language": "en"}, follow_redirects=True)
    assert _lang(saved) == "en"
    assert "Your language has been saved." in saved.get_data(as_text=True)
    assert _lang(client.get("/profiel", headers={"Accept-Language": "nl"})) == "en"
    with app.app_context():
        user = demo.session.scalar(sa.select(User).where(User.email == "cz@demo.nl"))
        assert user.language == "en"
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.language"))
        assert entry.object_id == str(user.id) and entry.after == {"language": "en"}
        assert entry.before == {"language": "nl"}
    back = client.post("/profiel/taal", data={"language": "nl"}, follow_redirects=True)
    assert _lang(back) == "nl" and "Uw taal is opgeslagen." in back.get_data(as_text=True)


def test_an_unknown_language_is_refused_next_to_the_field_and_changes_nothing(app, client, auth, demo):
    auth.login("cz@demo.nl")
    refused = client.post("/profiel/taal", data={"language": "fr"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Kies Nederlands of English." in html and 'aria-invalid="true"' in html
    with app.app_context():
        assert demo.session.scalar(sa.select(User.language).where(User.email == "cz@demo.nl")) == "nl"
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                                   .where(AuditEntry.action == "user.language")) == 0
