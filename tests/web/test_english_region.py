"""The region area in English (issue 13): administration, the figures with their charts and exports,
the regions and their plans, the lead's publication step and the public register. A user who chose
English reads it in English, a refused form says why in English next to the field, and a Dutch user
keeps the Dutch. Anonymous readers of the public register get the language of their browser; its open
data keep their Dutch column names (programs read them).

The English expected is the catalogue's (flask_babel in the test), not a copy of it."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from flask_babel import force_locale, gettext

from innovatieregister.formatting import datum
from tests import flows
from tests.web.test_regional_plans import PLAN, _form_data

pytestmark = pytest.mark.usefixtures("demo")
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def en(app):
    """The catalogue's English of a Dutch text (with its values), as the app would write it."""
    def translate(msgid: str, **values) -> str:
        with app.test_request_context(), force_locale("en"):
            text = gettext(msgid, **values)
        assert text != msgid % values if values else text != msgid, f"no English for {msgid!r}"
        return text
    return translate


def _english(client, auth, email: str) -> None:
    auth.login(email)
    assert client.post("/profiel/taal", data={"language": "en"}).status_code == 302


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _main(response) -> str:
    return _page(response).split("<main", 1)[1].split("</main>", 1)[0]


def test_the_admin_pages_speak_english_to_an_admin_who_chose_it(client, auth, en):
    _english(client, auth, "beheerder@demo.nl")
    criteria = _main(client.get("/beheer/criteria"))
    assert en("Catalogus van afwijzingscriteria") in criteria and en("Drempel opslaan") in criteria
    assert "Catalogus van afwijzingscriteria" not in criteria and "Drempel opslaan" not in criteria
    shares = _main(client.get("/beheer/marktaandelen"))
    assert en("Regionale marktaandelen") in shares and en("Nieuwe set importeren") in shares
    users = _main(client.get("/beheer/gebruikers"))
    assert en("Gebruikers, pagina %(n)s", n=1) in users and "Nieuwe gebruiker" not in users
    what_if = _main(client.get("/beheer/criteria/wat-als"))
    assert en("Wat als de gewichten of de drempel anders waren?") in what_if
    assert en("alle staande afwijzingen") in what_if and "Herbereken" not in what_if


def test_a_refused_threshold_says_why_in_english_next_to_the_field(client, auth, en):
    _english(client, auth, "beheerder@demo.nl")
    refused = client.post("/beheer/drempel", data={"t-threshold": "0"})
    assert refused.status_code == 422
    error = re.search(r'<p class="error" id="t-threshold-error">(.*?)</p>', _page(refused), re.S)
    assert error and en("De drempel is een geheel getal van %(low)s tot en met %(high)s.", low=1, high=100) \
        in error.group(1)


def test_a_regional_plan_refused_for_its_period_says_why_in_english(client, auth, en):
    """The domain's refusal (domain/regional_plan, marked N_) is translated where it is shown."""
    _english(client, auth, "menzis@demo.nl")
    form = client.get(f"{PLAN}/bewerken")
    assert en("Opslaan als nieuwe versie") in _main(form)
    data = _form_data(_page(form))
    data.update({"themes-1-start_year": "2030", "themes-1-end_year": "2024"})
    refused = client.post(f"{PLAN}/bewerken", data=data)
    assert refused.status_code == 422
    error = re.search(r'<p class="error" id="themes-1-end_year-error">(.*?)</p>', _page(refused), re.S)
    said = en("Het eindjaar ligt niet voor het beginjaar.")
    assert error and en("Thema %(n)s", n=2) + ": " + said[0].lower() + said[1:] in error.group(1)
    assert en("Het regioplan is niet opgeslagen. Verbeter de gemarkeerde velden.") in _page(refused)


def test_the_region_page_its_chart_and_its_download_speak_english(client, auth, en):
    _english(client, auth, "menzis@demo.nl")
    page = _main(client.get("/regios/ZK22"))
    assert en("Cijfers van de regio") in page and en("Leidende zorgverzekeraars") in page
    chart_title = re.search(r'<svg role="img"[^>]*>\s*<title id="states-title">(.*?)</title>\s*<desc[^>]*>(.*?)</desc>',
                            page, re.S)
    assert chart_title, "the chart has a title and a description"
    assert chart_title.group(1) == en("Initiatieven per status in %(region)s", region="Twente")
    assert chart_title.group(2).startswith(en("Aantal initiatieven per status."))
    download = client.get("/regios/ZK22?tabel=status&formaat=csv")
    header = next(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert header == ["Status", en("Initiatieven"), en("Jaarbudget")]  # "Status" is English too


def test_the_figures_per_insurer_and_the_national_overview_speak_english(client, auth, en):
    _english(client, auth, "bemiddelaar@demo.nl")
    national = client.get("/cijfers/landelijk?sorteer=-dekking")
    page = _main(national)
    assert en("Landelijk overzicht") in page and en("Dekking per regio") in page
    assert en("Regio's naast elkaar, gesorteerd op %(column)s (aflopend)", column=en("Dekking").lower()) in page
    rows = list(csv.reader(io.StringIO(client.get("/cijfers/landelijk?formaat=csv").get_data(as_text=True)
                                       .lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == [en("Regio"), "Code", en("Initiatieven")]
    insurers = _main(client.get("/cijfers/verzekeraars?regio=ZK22"))
    assert en("Cijfers per verzekeraar: %(region)s", region="Twente") in insurers
    refused = client.get("/cijfers/landelijk?sorteer=kleur")
    assert refused.status_code == 422 and en("Onbekende sortering.") in _page(refused)


def test_the_dashboard_work_lists_speak_english(client, auth, en):
    _english(client, auth, "beheerder@demo.nl")
    page = _main(client.get("/"))
    assert en("Gebruikers die aandacht vragen") in page and en("Geen account vraagt aandacht.") in page
    assert en("sets marktaandelen") in page and "Gebruikers die aandacht vragen" not in page


def test_the_same_pages_stay_dutch_for_a_dutch_user(client, auth):
    auth.login("beheerder@demo.nl")
    assert "Catalogus van afwijzingscriteria" in _main(client.get("/beheer/criteria"))
    assert "Gebruikers die aandacht vragen" in _main(client.get("/"))
    national = _main(client.get("/cijfers/landelijk", headers=ENGLISH))  # the user's choice, not the browser
    assert "Landelijk overzicht" in national and "Dekking per regio" in national
    header = client.get("/cijfers/landelijk?formaat=csv").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Regio;Code;Initiatieven")


def test_the_public_register_follows_the_browser_and_keeps_its_open_data_keys(client, en):
    english = client.get("/openbaar/", headers=ENGLISH)
    assert en("Openbaar register van initiatieven") in _main(english)
    assert en("CC0 1.0 Universeel (publiek domein)") in _main(english)  # the licence, named on the page
    assert "Accept-Language" in english.headers.get("Vary", "")  # a shared cache keeps one per language
    dutch = client.get("/openbaar/")
    assert "Openbaar register van initiatieven" in _main(dutch) and "CC0 1.0 Universeel" in _main(dutch)
    assert english.headers["ETag"] != dutch.headers["ETag"]
    open_data = _main(client.get("/openbaar/open-data", headers=ENGLISH))
    assert '<code lang="nl">titel</code>: ' + en("titel") in open_data  # the key as it is, its meaning in English
    assert "deed.en" in open_data
    csv_header = client.get("/openbaar/open-data/initiatieven.csv", headers=ENGLISH).get_data(as_text=True)
    assert csv_header.lstrip("\ufeff").startswith("id;titel;regiocode;regio;")
    document = client.get("/openbaar/open-data/initiatieven.json", headers=ENGLISH).get_json()
    assert document["licence"]["name"] == "CC0 1.0 Universeel (publiek domein)"


def test_the_lead_publishes_in_english(app, demo, client, auth, en):
    initiative_id = flows.open_observation_beds(app, demo)
    _english(client, auth, "menzis@demo.nl")
    page = _main(client.get(f"/initiatieven/{initiative_id}/publicatie"))
    assert en("Niet gepubliceerd.") in page and en("Publiceren") in page
    refused = client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": "07-12-2026"})
    assert refused.status_code == 422
    error = re.search(r'<p class="error" id="publish_on-error">(.*?)</p>', _page(refused), re.S)
    assert error and en("Kies een datum na vandaag (%(form)s), of laat de datum leeg om nu te publiceren.",
                        form="dd-mm-jjjj") in error.group(1)
    scheduled = client.post(f"/initiatieven/{initiative_id}/publicatie", data={"publish_on": "10-12-2026"},
                            follow_redirects=True)
    with app.test_request_context(), force_locale("en"):
        when = datum(date(2026, 12, 10))  # as the page writes a date in English
    assert en("De publicatie staat gepland op %(date)s.", date=when) in _page(scheduled)


def test_a_work_list_counts_its_decisions_as_a_noun_while_the_step_stays_a_verb(app, client, auth, demo):
    """'besluiten' is a noun on a list of decisions and a verb on a link to decide: the list's noun has
    its own entry (context 'lijst'), so the English page says 'decisions', not 'decide'."""
    from flask_babel import pgettext

    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    _english(client, auth, "menzis@demo.nl")
    with app.test_request_context(), force_locale("en"):
        noun, verb = pgettext("lijst", "besluiten"), gettext("besluiten")
    assert noun != verb
    page = _page(client.get("/werk/besluiten-binnen"))
    assert re.search(rf"\(\d+ {noun}\)", page), "the pagination counts decisions"
    assert not re.search(rf"\(\d+ {verb}\)", page)
