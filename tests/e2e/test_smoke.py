"""One real-browser walk: a demo insurer logs in and sees the dashboard and Twente."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_demo_insurer_logs_in_and_sees_the_dashboard(live_server, browser):
    page = browser.new_page(locale="nl-NL")  # a Dutch browser: the pages are Dutch before log-in
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").fill("menzis@demo.nl")
    page.get_by_label("Wachtwoord").fill("demo-wachtwoord-2026")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Overzicht voor Menzis"

    page.get_by_role("link", name="Twente", exact=True).click()  # the region, not an initiative named after it
    page.wait_for_url(f"{live_server}/regios/ZK22")
    leads = page.locator("ol.leads li").all_inner_texts()
    assert leads == ["Menzis", "Achmea"]
    assert page.get_by_text("illustratief").first.is_visible()

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{live_server}/inloggen")
    assert page.get_by_text("U bent uitgelogd.").is_visible()
