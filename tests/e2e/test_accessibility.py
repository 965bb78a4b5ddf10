"""Every key page as every demo role in a real browser, in both languages (issue 13): axe-core finds
no WCAG 2.1 A/AA violation, and at 390 px wide nothing scrolls sideways. Dutch is a Dutch browser
(nl-NL) with the user's language Dutch; English is the user's language set to English on the profile
page, and for pages before log-in a browser asking for English. A full-page screenshot of each page
is written to tests/e2e/artifacts/<lang>/<role>-<page>.png (and -390.png at phone width; ignored by
git) for people to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from innovatieregister.models import FollowRequest, Initiative, Organisation
from innovatieregister.services import mediation
from tests import flows
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).parent / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}

# The pages a user works on, per role. `{beds}` is the observation beds (opened, DSW declined, in
# mediation), `{running}` the monitored innovation, `{pilot}` the settled pilot, `{case}` the case.
SHARED = ["/", "/initiatieven/", "/initiatieven/{beds}", "/initiatieven/{beds}/tijdlijn", "/regios/", "/regios/ZK22",
          "/meldingen", "/profiel", "/register/"]
KEY_PAGES = {
    "menzis@demo.nl": [*SHARED, "/initiatieven/nieuw", "/initiatieven/{beds}/medefinanciering",
                       "/initiatieven/{running}/looptijd", "/initiatieven/{running}/monitor",
                       "/initiatieven/{pilot}/nacalculatie", "/bemiddeling/{case}", "/regios/ZK22/plan",
                       "/cijfers/verzekeraars?regio=ZK22"],
    "vgz@demo.nl": [*SHARED, "/besluiten/", "/initiatieven/{beds}/besluit", "/overnameverzoeken/"],
    "ziekenhuis@demo.nl": [*SHARED, "/initiatieven/{running}/monitor", "/overnameverzoeken/"],
    "bemiddelaar@demo.nl": [*SHARED, "/bemiddeling/", "/bemiddeling/{case}", "/bemiddeling/{case}/tijdlijn",
                            "/cijfers/landelijk", "/looptijd/stopcriteria"],
    "gemeente@demo.nl": [*SHARED, "/initiatieven/{beds}/medefinanciering"],
    "beheerder@demo.nl": [*SHARED, "/beheer/gebruikers", "/beheer/marktaandelen", "/beheer/criteria",
                          "/cijfers/landelijk"],
    None: ["/inloggen", "/openbaar/", "/openbaar/open-data"],  # nobody logged in
}


@pytest.fixture
def ids(app, settled_demo):
    from innovatieregister.services.demo import PILOT_TITLE

    demo = settled_demo
    beds = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        pilot = demo.session.scalar(sa.select(Initiative.id).where(Initiative.title == PILOT_TITLE))
        dsw = demo.session.scalar(sa.select(FollowRequest.id).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                                  .where(Organisation.code == "DSW", FollowRequest.initiative_id == beds))
        mediator = flows.user(demo, "bemiddelaar@demo.nl")
        case = mediation.request_mediation(flows.user(demo, "menzis@demo.nl"), beds, "insufficient_decline",
                                           "DSW onderbouwt de afwijzing onvoldoende.", dsw).id
        mediation.take(mediator, case)
        mediation.request_statement(mediator, case, "DSW", "Wat is uw zienswijze?", flows.TODAY)
    return {"beds": beds, "running": flows.monitored_innovation_id(app, demo), "pilot": pilot, "case": case}


# The browser's own language: Chromium asks for en-US unless told otherwise, so Dutch is said explicitly.
BROWSER_LOCALES = {"nl": ("nl-NL", "nl-NL,nl;q=0.9"), "en": ("en-GB", "en-GB,en;q=0.9")}


def _log_in(page, base: str, email: str, language: str) -> None:
    """Log in (the form found by its fields, in whichever language it speaks) and choose the language
    on the profile page, as a user does."""
    page.goto(f"{base}/inloggen")
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/profiel")
    page.locator("#language").select_option(language)
    page.locator("form[action$='/profiel/taal'] button[type=submit]").click()
    page.wait_for_url(f"{base}/profiel")


def _name(email: str | None, path: str) -> str:
    """The screenshot's file name: who and which page (`menzis-initiatieven_{beds}`)."""
    who = (email or "anoniem").split("@")[0]
    page = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "overzicht"
    return f"{who}-{page}"


def _violations(axe, page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is: rule (impact) and the first elements."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']} ({v['impact']}) {[' '.join(node['target']) for node in v['nodes']][:3]}"
            for v in results.response["violations"]]


def _overflow(page) -> str | None:
    """Why the page scrolls sideways at its current width (the widest elements), or None."""
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll <= client:
        return None
    widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
    return f"{scroll} px wide at {client} px ({widest})"


def test_the_checks_see_a_violation_and_an_overflow(browser):
    """The two checks can fail: an image without a text alternative, a line wider than the phone."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport=PHONE)
    page.set_content('<!doctype html><html lang="nl"><head><title>t</title></head><body><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="white-space: nowrap">'
                     + "breed " * 200 + "</p></main></body></html>")
    assert any(v.startswith("image-alt") for v in _violations(Axe(), page))
    assert _overflow(page) is not None
    page.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_key_page_as_every_role_passes_axe_and_reflows_at_390_px(settled_live_server, browser, ids, language):
    live_server = settled_live_server
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    shots = ARTIFACTS / language
    shots.mkdir(parents=True, exist_ok=True)
    locale, accept = BROWSER_LOCALES[language]
    problems: list[str] = []
    checked = 0
    for email, paths in KEY_PAGES.items():
        # axe is injected as a script (bypass_csp)
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True, locale=locale,
                                      extra_http_headers={"Accept-Language": accept})
        page = context.new_page()
        if email:
            _log_in(page, live_server, email, language)
        for path in paths:
            url = live_server + path.format(**ids)
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{language} {email} {path}: status {response.status if response else '?'}")
                continue
            checked += 1
            spoken = page.evaluate("document.documentElement.lang")
            if spoken != language:
                problems.append(f"{language} {email} {path}: the page says lang={spoken!r}")
            name = _name(email, path)
            problems += [f"{language} {email} {path}: {violation}" for violation in _violations(axe, page)]
            page.screenshot(path=shots / f"{name}.png", full_page=True)
            page.set_viewport_size(PHONE)
            if overflow := _overflow(page):
                problems.append(f"{language} {email} {path}: {overflow}")
            page.screenshot(path=shots / f"{name}-390.png", full_page=True)
            page.set_viewport_size(DESKTOP)
        context.close()
    assert problems == [], "\n".join(problems)
    assert checked == sum(len(paths) for paths in KEY_PAGES.values())
