"""Every page speaks Dutch to its users (issue 13): crawled as every role, no page shows a raw enum
value, an audited field name in snake_case, a Python literal or a `flask` command."""

from __future__ import annotations

import enum
import html
import importlib
import pkgutil
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

import innovatieregister
from innovatieregister import labels
from innovatieregister.domain.workflow import FollowRequestState
from innovatieregister.models import ArgumentCriterion, FollowRequest
from innovatieregister.services import deadlines
from innovatieregister.services.decisions import ArgumentInput
from tests import flows
from tests.web.test_visibility import _text_of, crawl, planted  # noqa: F401  (planted is a fixture)

ROLES = ["menzis@demo.nl", "achmea@demo.nl", "vgz@demo.nl", "dsw@demo.nl", "ziekenhuis@demo.nl",
         "bemiddelaar@demo.nl", "gemeente@demo.nl", "zorgkantoor@demo.nl", "beheerder@demo.nl"]
# Values that are Dutch words as well (or a proper name), shown as such on purpose.
DUTCH_TOO = {"open", "concept", "euro", "budget",
             # the figures' filters (services/dashboards.py) take Dutch words in their addresses
             "afgewezen", "bemiddeling", "besloten", "gedeeltelijk", "gevolgd", "gevraagd", "onvoldoende",
             "optijd", "telaat", "termijn", "verlopen"}
LITERALS = re.compile(r"\b(True|False|None)\b|\[\[|\{'|\bflask [a-z]")
REPOSITORY_PATH = re.compile(r"\w+/[\w/.-]*\.(?:md|py)\b")  # the source of a figure, in words instead
# The fields audit entries record (criteria codes, which an admin types and manages, are data, not these).
SNAKE = re.compile(r"\b(" + "|".join(sorted(name for name in labels.FIELDS if "_" in name)) + r")\b")


def _enum_values() -> set[str]:
    values = set()
    for info in pkgutil.walk_packages(innovatieregister.__path__, "innovatieregister."):
        module = importlib.import_module(info.name)
        for thing in vars(module).values():
            if isinstance(thing, type) and issubclass(thing, enum.StrEnum) and thing.__module__ == info.name:
                values |= {member.value for member in thing}
    return values


FORBIDDEN = sorted(_enum_values() - DUTCH_TOO)
RAW = re.compile(r"(?<![\w@./-])(" + "|".join(map(re.escape, FORBIDDEN)) + r")(?![\w@/-])")


def visible_text(body: str) -> str:
    """What a person reads on an HTML page: no tags, attributes, scripts or styles."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# English on purpose, and marked so for screen readers: the glossary's English renderings (issue 13).
MARKED_ENGLISH = re.compile(r'<(\w+)\b[^>]*\blang="en"[^>]*>.*?</\1>', re.S)


def offences(text: str) -> list[str]:
    return sorted({m.group(0) for pattern in (RAW, SNAKE, LITERALS, REPOSITORY_PATH) for m in pattern.finditer(text)})


@pytest.mark.parametrize("email", ROLES)
def test_no_page_shows_developer_words(app, demo, client, auth, planted, email):  # noqa: F811
    auth.login(email)
    seen = crawl(client, ["/", f"/initiatieven/{planted['initiative']}/tijdlijn",
                          f"/bemiddeling/{planted['case']}", f"/bemiddeling/{planted['case']}/tijdlijn"])
    found = {}
    for path, body in seen.items():
        if path.endswith(".json"):  # open data for machines: its keys are the API's
            continue
        text = body if "formaat=" in path else visible_text(MARKED_ENGLISH.sub(" ", body))
        if bad := offences(text):
            found[path] = bad
    words = {}
    for p, b in found.items():
        for w in b:
            words.setdefault(w, []).append(p)
    for w, ps in sorted(words.items()):
        print("OFFENCE", email, repr(w), len(ps), ps[:3])
    assert len(seen) > 20
    assert found == {}


LEAD = "menzis@demo.nl"


def test_the_timeline_names_people_and_values_in_words_and_says_a_repeated_line_once(app, demo, client, auth):
    """Issue 13: a person by name and organisation, a command as 'Systeem (…)', fields and values by their
    labels (criteria by name, money in euros), identical lines in a row once with how many."""
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "dsw@demo.nl", "decline", [ArgumentInput("insufficient_evidence", 3, "Geen effect.")])
    with app.app_context():
        open_requests = demo.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative_id, FollowRequest.state == FollowRequestState.OPEN)).all()
        passed = deadlines.pass_deadlines([r.id for r in open_requests],
                                          max(r.deadline for r in open_requests) + timedelta(days=1))
        criterion = demo.session.scalar(sa.select(ArgumentCriterion).where(
            ArgumentCriterion.code == "insufficient_evidence"))
        lead = flows.user(demo, LEAD)
        lead_name, weight = f"{lead.name} namens {lead.organisation.name}", criterion.weight
        criterion_name = criterion.name
    assert passed > 2
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}/tijdlijn").get_data(as_text=True)
    assert "Geregistreerd als concept</strong> door Systeem (demo geladen)" in page
    assert f"Opengesteld voor besluiten</strong> door {lead_name}" in page
    assert "@demo.nl" not in page and "command" not in page and "ZK22" not in page
    assert f"{criterion_name} (sterkte 3, gewicht {weight})" in page
    assert "<dt>Jaarbudget</dt><dd>€ 1.055.550,80</dd>" in page  # the README's figure of the demo
    # One line for the deadlines that passed together, saying how many.
    # Identical lines in a row once, saying how many (the first escalation's status change comes between).
    counts = re.findall(r"Termijn verstreken zonder besluit</strong>(?: \((\d+)×\))? door Systeem \(termijnbewaking\)",
                        page)
    assert sum(int(n or 1) for n in counts) == passed and len(counts) < passed


def test_a_follow_with_conditions_and_the_co_lead_show_as_such(app, demo, client, auth):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow", conditions="Alleen bij een tweede locatie.")
    flows.decide(app, demo, "cz@demo.nl", "follow")
    with app.app_context():
        from innovatieregister.services import initiatives

        view = initiatives.get_view(flows.user(demo, LEAD), initiative_id, flows.TODAY)
        co_leads = [o.name for o in view.market.leads if o.id != view.initiative.lead_insurer_id]
    assert co_leads  # Twente has a second lead insurer
    auth.login(LEAD)
    page = client.get(f"/initiatieven/{initiative_id}").get_data(as_text=True)
    rows = {re.sub(r"\s+", " ", visible_text(row)).strip() for row in re.findall(r"<tr>.*?</tr>", page, re.S)}
    assert any(row.startswith("VGZ") and row.endswith("volgt onder voorwaarden") for row in rows)
    assert any(row.startswith("CZ") and row.endswith("volgt") for row in rows)
    assert all(any(row.startswith(f"{name} (leidend)") for row in rows) for name in co_leads)
    shares = client.get(f"/initiatieven/{initiative_id}/verdeelstaat?formaat=csv").get_data(as_text=True)
    assert any(line.startswith("Zorgverzekeraar;VGZ;") and line.endswith(";volgt onder voorwaarden")
               for line in shares.splitlines())
    assert all(f";{name} (leidend);" in shares for name in co_leads)
    decisions_csv = client.get(f"/initiatieven/{initiative_id}/besluiten-export?formaat=csv").get_data(as_text=True)
    assert "volgt onder voorwaarden" in decisions_csv
