"""English for initiatives, decisions, adoption and mediation (issue 13): an English reader sees these
pages, their forms' labels, their refusals and field errors in English; a Dutch reader sees the same
pages in Dutch. The expected English comes from the catalogue (flask_babel under `force_locale`), so
a text that is not marked, or marked but not translated, fails here."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from innovatieregister.domain.registration import PROVIDERS_OUTSIDE_REGION
from innovatieregister.models import Organisation
from tests import flows
from tests.web.test_initiatives import REGISTRATION

LEAD = "menzis@demo.nl"




def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _in_english(page: str, english, *dutch: str) -> None:
    for text in dutch:
        assert english(text) != text, f"no English for {text!r}"
        assert english(text) in page, text


DETAIL = ("Eerlijk aandeel per zorgverzekeraar", "Financieringstekort", "Besluiten", "Gegevens",
          "Betrokken zorgaanbieders", "SMART-doelen", "Tijdlijn (audittrail)", "Aandeel per zorgverzekeraar")


def test_the_initiative_page_speaks_english_to_an_english_lead_and_dutch_to_a_dutch_one(app, demo, client, auth,
                                                                                        english):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    page = _text(client.get(f"/initiatieven/{initiative_id}"))
    _in_english(page, english, *DETAIL)
    assert english("Versie %(n)s", n=1) in page and english("onvoldoende onderbouwd") in page
    assert "Eerlijk aandeel per zorgverzekeraar" not in page and "Nog geen besluit." not in page

    flows.speaks(app, demo, LEAD, "nl")
    dutch = _text(client.get(f"/initiatieven/{initiative_id}"))
    for text in DETAIL:
        assert text in dutch
    assert english("Eerlijk aandeel per zorgverzekeraar") not in dutch


def test_the_registration_form_and_its_refusal_are_in_english(app, demo, client, auth, english):
    flows.speaks(app, demo, LEAD, "en")
    auth.login(LEAD)
    form = _text(client.get("/initiatieven/nieuw"))
    _in_english(form, english, "Titel", "Betrokken zorgaanbieders", "SMART-doelen", "Opslaan als concept",
                "In de opschalingsfase geldt de plicht om te volgen.")
    with app.app_context():
        providers = [str(i) for i in demo.session.scalars(sa.select(Organisation.id).where(
            Organisation.code.in_(["ZH-TWENTE", "ZH-NIJMEGEN"])))]
    refused = client.post("/initiatieven/nieuw", data={**REGISTRATION, "title": "", "providers": providers})
    page = _text(refused)
    assert refused.status_code == 422
    _in_english(page, english, "Niet opgeslagen", "Het initiatief is niet opgeslagen. Verbeter de gemarkeerde velden.",
                "Geef het initiatief een titel.")
    # The provider-region rule, next to the providers field, with its values.
    field_error = re.search(r'id="providers-error"[^>]*>(.*?)</p>', refused.get_data(as_text=True), re.S).group(1)
    assert english(PROVIDERS_OUTSIDE_REGION, names="Ziekenhuis Nijmegen (demo)", region="Twente") in \
        html.unescape(field_error)


def test_the_decision_pages_and_the_adoption_confirmation_are_in_english(app, demo, client, auth, english):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "asr@demo.nl", "decline", flows.NOT_WEIGHTY)
    request_id = flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "ASR")
    flows.speaks(app, demo, "asr@demo.nl", "en")
    auth.login("asr@demo.nl")
    _in_english(_text(client.get("/besluiten/")), english, "Wacht op ons besluit", "Ons besluit", "overnameverzoek")
    url = f"/overnameverzoeken/{request_id}/besluit"
    _in_english(_text(client.get(url)), english, "Argumenten bij afwijzen", "Bereken gewicht", "Besluit vastleggen",
                "Volgen", "Afwijzen", "Voorwaarden bij volgen (optioneel)")
    asked = _text(client.post(url, data={"decision": "follow", "action": "decide"}))
    _in_english(asked, english, "Controleer uw besluit", "Dit is niet terug te draaien.", "Ja, leg het besluit vast",
                "U neemt de afspraak over voor uw eigen verzekerden en draagt uw eerlijk aandeel.")
    refused = client.post(url, data={"decision": "decline", "action": "confirm"})
    assert refused.status_code == 422
    _in_english(_text(refused), english, "Niet vastgelegd")


def test_the_register_adoption_requests_and_mediation_are_in_english(app, demo, client, auth, english):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id = flows.mediation_on_dsw(app, demo)[0]
    flows.speaks(app, demo, "vgz@demo.nl", "en")
    auth.login("vgz@demo.nl")
    _in_english(_text(client.get("/register/")), english, "Register van initiatieven", "Verzekeraars die financieren")
    entry = _text(client.get(f"/register/{initiative_id}"))
    _in_english(entry, english, "Overnemen in uw regio", "Wat overnemen meeneemt", "Overnemen")
    _in_english(_text(client.get("/overnameverzoeken/")), english, "Overnameverzoeken")

    flows.speaks(app, demo, "bemiddelaar@demo.nl", "en")
    auth.login("bemiddelaar@demo.nl")
    _in_english(_text(client.get("/bemiddeling/")), english, "Zaken in bemiddeling", "Op het spel")
    case = client.get(f"/bemiddeling/{case_id}")
    _in_english(_text(case), english, "Besluiten en argumenten naast elkaar", "Zienswijze vragen", "Bevinding vastleggen",
                "Notities (alleen voor de bemiddelaar)")
    empty = client.post(f"/bemiddeling/{case_id}/notitie", data={"body": ""})
    assert empty.status_code == 422
    _in_english(_text(empty), english, "Geen notitie opgeslagen.")


def test_the_adoption_request_and_its_confirmation_are_in_english(app, demo, client, auth, english):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.speaks(app, demo, "ziekenhuis@demo.nl", "en")
    auth.login("ziekenhuis@demo.nl")
    url = f"/initiatieven/{initiative_id}/overnameverzoek"
    _in_english(_text(client.get(url)), english, "Vraag een verzekeraar de afspraak over te nemen", "Verzoek versturen",
                "Zorgverzekeraar die u vraagt de afspraak over te nemen", "Hoeveel per jaar")
    posted = {"insurer": "ASR", "impact_description": "Observatiebedden", "impact_volume": "400",
              "impact_unit": "bed_days", "impact_by": "31-12-2027"}
    _in_english(_text(client.post(url, data=posted)), english, "Controleer uw verzoek", "Ja, verstuur het verzoek")
    refused = client.post(url, data={**posted, "impact_volume": "veel"})
    assert refused.status_code == 422
    _in_english(_text(refused), english, "Het overnameverzoek is niet verstuurd. Verbeter de gemarkeerde velden.")
