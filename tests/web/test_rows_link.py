"""Every row of the dashboard and of every list leads to its object (issue 13): a table row or list
item without a link is a dead end. The demo with the observation beds opened, declined by DSW and in
mediation, so every list has rows, for every role."""

from __future__ import annotations

import re

import pytest

from tests import flows

LISTS = ["/", "/initiatieven/", "/besluiten/", "/bemiddeling/", "/overnameverzoeken/", "/register/", "/meldingen",
         "/regios/", "/gevolgd", "/looptijd/stopcriteria", "/beheer/gebruikers", "/beheer/criteria", "/openbaar/",
         "/cijfers/landelijk", "/cijfers/verzekeraars"]
ROLES = ["menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "bemiddelaar@demo.nl", "gemeente@demo.nl",
         "beheerder@demo.nl"]


def _dead_rows(html: str) -> list[str]:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    rows = [row for body in re.findall(r"<tbody>(.*?)</tbody>", main, re.S) for row in re.findall(r"<tr.*?</tr>", body, re.S)]
    items = re.findall(r"<li[^>]*>(.*?)</li>", main.split('class="pagination"', 1)[0], re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()[:100] for row in rows + items
            if "<a " not in row and "<button" not in row]


@pytest.mark.parametrize("email", ROLES)
def test_every_row_of_every_list_links_to_its_object(app, demo, client, auth, email):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    flows.mediation_on_dsw(app, demo)
    auth.login(email)
    seen = 0
    for path in LISTS:
        response = client.get(path)
        if response.status_code != 200:
            continue  # not this role's list
        seen += 1
        assert _dead_rows(response.get_data(as_text=True)) == [], path
    assert seen >= 6
