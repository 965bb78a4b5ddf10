"""Every key page as every demo role in a real browser (issue 13): axe-core finds no WCAG 2.1 A/AA
violation, and at 390 px wide nothing scrolls sideways. A screenshot of each page at both widths is
written to tests/e2e/artifacts/ (ignored by git) for people to look at."""

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


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")


def _name(email: str | None, path: str) -> str:
    """The screenshot's file name: who and which page (`menzis_initiatieven_{beds}`)."""
    who = (email or "anoniem").split("@")[0]
    page = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "overzicht"
    return f"{who}_{page}"


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


def test_every_key_page_as_every_role_passes_axe_and_reflows_at_390_px(settled_live_server, browser, ids):
    live_server = settled_live_server
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ARTIFACTS.mkdir(exist_ok=True)
    problems: list[str] = []
    checked = 0
    for email, paths in KEY_PAGES.items():
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script
        page = context.new_page()
        if email:
            _log_in(page, live_server, email)
        for path in paths:
            url = live_server + path.format(**ids)
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{email} {path}: status {response.status if response else '?'}")
                continue
            checked += 1
            name = _name(email, path)
            problems += [f"{email} {path}: {violation}" for violation in _violations(axe, page)]
            page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
            page.set_viewport_size(PHONE)
            if overflow := _overflow(page):
                problems.append(f"{email} {path}: {overflow}")
            page.screenshot(path=ARTIFACTS / f"{name}-390.png", full_page=True)
            page.set_viewport_size(DESKTOP)
        context.close()
    assert problems == [], "\n".join(problems)
    assert checked == sum(len(paths) for paths in KEY_PAGES.values())
