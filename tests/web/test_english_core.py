"""English for the core of the register (issue 13): the menu, footer, dashboard, log-in, profile,
notifications, error pages, the shared field errors and every label (enum, audit action, field, value)
speak the reader's language; notifications and e-mail speak their recipient's; the glossary of the
Dutch policy terms is public and in both languages. The same pages stay Dutch for a Dutch reader.

Expected English comes from the catalogue (flask_babel under `force_locale`), so a text that is not
marked, or marked but not translated, fails here."""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask_babel import force_locale

from innovatieregister import clock, labels
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.monitoring import LABELS as MONITORING_LABELS
from innovatieregister.domain.monitoring import Verdict
from innovatieregister.domain.workflow import STATE_LABELS, InitiativeState
from innovatieregister.formatting import datum
from innovatieregister.glossary import TERMS
from innovatieregister.jobs import run_due
from innovatieregister.models import FollowRequest, Initiative, Notification, Organisation, OutboxMessage, Region, User
from innovatieregister.models.decision import DecisionKind
from innovatieregister.models.mediation import MEDIATION_LABELS, Finding
from innovatieregister.services import adoption, follows, lifecycle
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from tests import flows

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
LEAD = "menzis@demo.nl"




def test_an_english_user_reads_the_menu_footer_and_dashboard_in_english(app, demo, client, auth, english):
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    html = client.get("/").get_data(as_text=True)
    for dutch in ("Naar de inhoud", "Initiatieven", "Overnameverzoeken", "Openbaar register", "Meldingen",
                  "Uitloggen", "Woordenlijst", "Innovatieregister · volgbeleid op transformatie JZOJP en "
                                                "(digitale) innovatie"):
        assert english(dutch) != dutch and english(dutch) in html, dutch
    assert ">Uitloggen<" not in html and ">Naar de inhoud<" not in html
    assert 'aria-label="Main menu"' in html
    # The role in the dashboard's opening sentence is a label: in English too.
    assert "You are logged in as health insurer staff of Menzis." in html


def test_the_same_pages_stay_dutch_for_a_dutch_user(app, demo, client, auth):
    auth.login(LEAD)
    html = client.get("/").get_data(as_text=True)
    assert ">Naar de inhoud<" in html and ">Uitloggen<" in html and 'aria-label="Hoofdmenu"' in html
    assert "U bent ingelogd als medewerker zorgverzekeraar van Menzis." in html
    profile = client.get("/profiel").get_data(as_text=True)
    assert "Meldingen per e-mail" in profile and labels.NOTIFICATION_KINDS["reminder.deadline"] in profile


def test_the_profile_and_the_log_in_page_speak_english(app, demo, client, auth, english):
    assert english("Inloggen") in client.get("/inloggen", headers=ENGLISH).get_data(as_text=True)
    refused = client.post("/inloggen", data={"email": LEAD, "password": "fout"}, headers=ENGLISH)
    with app.app_context():
        from innovatieregister.services.accounts import LOGIN_REFUSED
    assert english(LOGIN_REFUSED) in refused.get_data(as_text=True)
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    profile = client.get("/profiel").get_data(as_text=True)
    for dutch in ("Meldingen per e-mail", "Token aanmaken", "Voorkeuren opslaan", "Wachtwoord wijzigen"):
        assert english(dutch) in profile, dutch
    # The kinds of notification one may switch e-mail off for: by their English label.
    reminder_kind = english(labels.NOTIFICATION_KINDS["reminder.deadline"])
    assert reminder_kind != labels.NOTIFICATION_KINDS["reminder.deadline"] and reminder_kind in profile
    assert labels.NOTIFICATION_KINDS["reminder.deadline"] not in profile


def test_a_refused_form_shows_its_field_errors_in_english(app, demo, client, auth, english):
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    refused = client.post("/profiel/wachtwoord", data={"current_password": "demo-wachtwoord-2026",
                                                      "new_password": "kort", "repeat_password": "kort"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "The password must have at least 12 characters." in html
    assert english("Het wachtwoord moet minstens %(n)s tekens hebben.", n=12) in html
    assert "Het wachtwoord moet minstens" not in html
    # The shared limit message (limits.too_long) next to the token's name.
    token = client.post("/profiel", data={"name": "x" * 500})
    assert token.status_code == 422
    assert "The name of the token is too long (at most" in token.get_data(as_text=True)


def test_error_pages_speak_english(app, demo, client, auth, english):
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404
    html = missing.get_data(as_text=True)
    assert english("Niet gevonden") == "Not found" and "<h1>Not found</h1>" in html
    assert english("Terug naar het overzicht") in html and "Terug naar het overzicht" not in html
    bad = client.get("/meldingen?pagina=%00")
    assert english("Het veld bevat een teken dat niet is toegestaan (een stuurteken zoals NUL).") in \
        bad.get_data(as_text=True)


def test_labels_are_said_in_the_readers_language(app):
    with app.test_request_context(headers=ENGLISH):
        assert labels.label(InitiativeState.FULLY_FUNDED) == "Fully funded"
        assert labels.label(DecisionKind.DECLINE) == "Decline"
        assert labels.stand(InsurerState.FOLLOWS, "alleen met een evaluatie") == "follows with conditions"
        assert str(labels.HIDDEN) == "not visible yet"
        assert labels.audit_action("decision.record") == "Decision recorded"
        assert labels.audit_action("iets.onbekends") == "Change"
        assert labels.field("weighty") == "Substantiated by weighty arguments"
        assert labels.value("weighty", True) == "yes"
        assert labels.value("providers", []) == "none"
        assert labels.value("arguments", [["insufficient_evidence", 3, 3]], names={
            "insufficient_evidence": "Onvoldoende bewijs"}) == "Onvoldoende bewijs (strength 3, weight 3)"
        assert labels.system_actor("command: flask demo load") == "System (demo loaded)"
        assert labels.system_actor("register: termijnbewaking") == "System (deadline monitoring)"
        assert labels.system_actor("login: iemand@elders.test") == "Unknown user"
        assert labels.notification_kind("settlement.update").startswith("Settlement (nacalculatie)")
        # The domain's own tables, read directly by pages, forms and exports, speak English too.
        assert MONITORING_LABELS[Verdict.ON_TRACK] == "On track"
        assert dict(MEDIATION_LABELS.items())[Finding.FOLLOW_REQUIRED] == "Follow required"
        assert STATE_LABELS[InitiativeState][InitiativeState.ENDED] == "Ended"
        assert STATE_LABELS[InitiativeState].raw(InitiativeState.ENDED) == "Beëindigd"  # the msgid
    with app.test_request_context():  # no language asked: Dutch, as the tables write it
        assert labels.label(InitiativeState.FULLY_FUNDED) == "Volledig gefinancierd"
        assert labels.value("weighty", True) == "ja"
        assert labels.system_actor("command: flask demo load") == "Systeem (demo geladen)"
        assert MONITORING_LABELS[Verdict.ON_TRACK] == "Op koers"


def test_the_glossary_is_public_in_both_languages_and_linked_from_every_page(app, demo, client, english):
    dutch = client.get("/woordenlijst")
    assert dutch.status_code == 200
    html = dutch.get_data(as_text=True)
    assert 'href="/woordenlijst"' in client.get("/inloggen").get_data(as_text=True)
    wanted = {"zorgkantoorregio", "volgbeleid", "zwaarwegend", "zienswijze", "JZOJP", "regiobeeld",
              "nacalculatie", "verdeelstaat", "bemiddelaar", "medefinanciering"}
    assert wanted <= {term.dutch for term in TERMS}
    in_english = client.get("/woordenlijst", headers=ENGLISH).get_data(as_text=True)
    for term in TERMS:
        assert term.dutch in html and term.english in html and term.explanation in html
        translated = english(term.explanation)
        assert translated != term.explanation and translated in in_english, term.dutch
        assert term.dutch in in_english and term.english in in_english
    assert '<html lang="en">' in in_english and "<h1>Glossary</h1>" in in_english


ELSEWHERE_EN, ELSEWHERE_NL = "english@elders.test", "nederlands@elders.test"
PASSWORD = "een-lang-wachtwoord"


def test_notifications_and_e_mail_are_written_in_the_recipients_language(app, demo, client, auth, english):
    initiative_id = flows.open_observation_beds(app, demo)
    with app.app_context():
        demo.session.add(Organisation(kind="insurer", name="Elders Verzekeringen", code="ELDERS"))
        demo.session.commit()
        for email in (ELSEWHERE_EN, ELSEWHERE_NL):
            create_user(email, "Inkoper Elders", "ELDERS", "insurer_staff", PASSWORD, Actor.command("t"))
            follows.follow(flows.user(demo, email), initiative_id)
    flows.speaks(app, demo, ELSEWHERE_EN, "en")
    with app.app_context():
        # The lead withdraws, in Dutch: each follower is told in their own language.
        lifecycle.withdraw(flows.user(demo, LEAD), initiative_id, "Geen locatie gevonden.", flows.TODAY,
                           clock.now())

        def told(email):
            user = flows.user(demo, email)
            return demo.session.scalars(sa.select(Notification.message).where(
                Notification.user_id == user.id, Notification.kind == follows.KIND)).all()

        def mailed(email):
            return demo.session.execute(sa.select(OutboxMessage.subject, OutboxMessage.body).where(
                OutboxMessage.to_address == email, OutboxMessage.kind == follows.KIND)).all()

        assert told(ELSEWHERE_EN) == ["'Observatiebedden Twente', which you follow: the status is now 'withdrawn'."]
        assert told(ELSEWHERE_NL) == ["'Observatiebedden Twente', dat u volgt: de status is nu 'ingetrokken'."]
        [(subject_en, body_en)] = mailed(ELSEWHERE_EN)
        [(subject_nl, body_nl)] = mailed(ELSEWHERE_NL)
        kind = labels.NOTIFICATION_KINDS[follows.KIND]
        assert subject_en == f"Innovation register: {english(kind)}" and english(kind) != kind
        assert subject_nl == f"Innovatieregister: {kind}"
        assert told(ELSEWHERE_EN)[0] in body_en and "(settings: " in body_en
        assert told(ELSEWHERE_NL)[0] in body_nl and "(instellingen: " in body_nl
    auth.login(ELSEWHERE_EN, PASSWORD)
    page = client.get("/meldingen").get_data(as_text=True)
    assert "which you follow: the status is now &#39;withdrawn&#39;." in page and "<h1>Notifications</h1>" in page


def test_the_schedulers_reminders_are_written_in_each_recipients_language(app, demo, english):
    """No request, no reader: a job writes each reminder and its e-mail in its recipient's language."""
    initiative_id = flows.open_observation_beds(app, demo)
    flows.speaks(app, demo, "achmea@demo.nl", "en")
    with app.app_context():
        deadline = demo.session.scalar(sa.select(FollowRequest.deadline)
                                       .where(FollowRequest.initiative_id == initiative_id))
        run_due(datetime.combine(add_working_days(deadline, -2), time(9, 0), tzinfo=UTC), include_mail=False)
        demo.session.remove()
        reminders = dict(demo.session.execute(
            sa.select(User.email, Notification.message).join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "reminder.deadline", User.email.in_(["achmea@demo.nl", "cz@demo.nl"]))).all())
        subjects = dict(demo.session.execute(sa.select(OutboxMessage.to_address, OutboxMessage.subject).where(
            OutboxMessage.kind == "reminder.deadline",
            OutboxMessage.to_address.in_(["achmea@demo.nl", "cz@demo.nl"]))).all())
    with app.test_request_context(headers=ENGLISH):
        date_en = datum(deadline)
    with app.test_request_context():
        date_nl = datum(deadline)
    assert date_en != date_nl
    assert reminders["achmea@demo.nl"] == (f"Reminder: your decision on the request to follow 'Observatiebedden "
                                           f"Twente' is due by {date_en}.")
    assert reminders["cz@demo.nl"] == (f"Herinnering: uw besluit op het verzoek om te volgen 'Observatiebedden "
                                       f"Twente' moet uiterlijk {date_nl} binnen zijn.")
    assert subjects == {"achmea@demo.nl": f"Innovation register: {english(labels.NOTIFICATION_KINDS['reminder.deadline'])}",
                        "cz@demo.nl": "Innovatieregister: Herinnering: termijn loopt af"}


def test_what_an_english_user_causes_reaches_a_dutch_user_wholly_in_dutch(app, demo):
    """An English provider asks for an adoption: the insurer asked (Dutch) reads it in Dutch, the
    English-speaking lead in English; and an adopted draft's title is said in its maker's language, whole."""
    flows.open_observation_beds(app, demo)
    flows.speaks(app, demo, "ziekenhuis@demo.nl", "en")
    flows.speaks(app, demo, LEAD, "en")
    with app.test_request_context(headers=ENGLISH):
        flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "ASR")
    with app.app_context():
        told = dict(demo.session.execute(
            sa.select(User.email, Notification.message).join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "adoption_request.new", User.email.in_(["asr@demo.nl", LEAD]))).all())
    assert told["asr@demo.nl"].startswith("Ziekenhuis Twente (demo) vraagt ASR de afspraak 'Observatiebedden Twente'")
    assert told[LEAD].startswith("Ziekenhuis Twente (demo) asks ASR to adopt the agreement 'Observatiebedden Twente'")
    with app.app_context():
        source = demo.session.get(Initiative, flows.observation_beds_id(app, demo))
        nijmegen = demo.session.scalar(sa.select(Region).where(Region.code == "ZK16"))
        with force_locale("en"):
            assert adoption.adopted_title(source, nijmegen) == "Adoption: JZOJP intervention in Nijmegen"
        assert adoption.adopted_title(source, nijmegen) == "Overname: JZOJP-interventie in Nijmegen"
