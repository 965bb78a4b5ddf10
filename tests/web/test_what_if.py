"""'What if' (issue 12): the recorded declines reassessed under proposed weights or threshold, for
the mediator on a case and the admin on the criteria page (and the API), side by side with how they
were assessed; the recorded assessment never changes and nothing is stored."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from innovatieregister.models import ArgumentCriterion, AuditEntry, Decision, DecisionArgument, PolicySetting
from tests import flows

ADMIN, MEDIATOR, LEAD = "beheerder@demo.nl", "bemiddelaar@demo.nl", "menzis@demo.nl"


@pytest.fixture
def declined(app, demo):
    """DSW declines on 'financial' only (weight 1 × strength 3 = 3, under the threshold 6);
    CZ declines weightily (insufficient_evidence 3 × 2 + overcapacity 2 × 1 = 8); VGZ follows.
    The lead takes DSW's decline to mediation."""
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    flows.decide(app, demo, "cz@demo.nl", "decline", flows.WEIGHTY)
    case_id, _ = flows.mediation_on_dsw(app, demo)
    return {"initiative": initiative_id, "case": case_id}


def _recorded(db) -> tuple:
    """Everything the recorded assessments and the policy consist of."""
    return (db.session.execute(sa.select(Decision.id, Decision.score, Decision.threshold, Decision.weighty,
                                         Decision.standing).order_by(Decision.id)).all(),
            db.session.execute(sa.select(DecisionArgument.id, DecisionArgument.weight, DecisionArgument.strength)
                               .order_by(DecisionArgument.id)).all(),
            db.session.execute(sa.select(ArgumentCriterion.code, ArgumentCriterion.weight)
                               .order_by(ArgumentCriterion.code)).all(),
            db.session.execute(sa.select(PolicySetting.key, PolicySetting.value)).all(),
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action != "user.login")))


def _row(html: str, insurer: str) -> list[str]:
    """The cells of the result table's row of this insurer, as text."""
    row = re.search(rf"<tr>\s*<td>[^<]*</td><td>{insurer}</td>(.*?)</tr>", html, re.S)
    assert row, insurer
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def _count(html: str, label: str) -> int:
    return int(re.search(rf"<dt>{label}</dt><dd>(\d+)</dd>", html).group(1))


def test_the_admin_sees_a_weight_change_turn_a_decline_weighty_and_nothing_changes(app, demo, client, auth,
                                                                                    declined):
    with app.app_context():
        before = _recorded(demo)
    auth.login(ADMIN)
    assert "/beheer/criteria/wat-als" in client.get("/beheer/criteria").get_data(as_text=True)
    response = client.get("/beheer/criteria/wat-als?gewicht-financial=2")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # DSW: 'financial' at strength 3, weighed 2 instead of 1: 6, which reaches the threshold 6.
    assert _row(html, "DSW") == ["3", "6", "onvoldoende onderbouwd", str(2 * 3), "6", "zwaarwegend (gewijzigd)"]
    assert _row(html, "CZ") == ["8", "6", "zwaarwegend", str(3 * 2 + 2 * 1), "6", "zwaarwegend"]
    assert (_count(html, "Afwijzingen"), _count(html, "Worden zwaarwegend"),
            _count(html, "Worden onvoldoende onderbouwd")) == (2, 1, 0)
    # A higher threshold: CZ's 8 no longer reaches 9.
    html = client.get("/beheer/criteria/wat-als?drempel=9").get_data(as_text=True)
    assert _row(html, "CZ") == ["8", "6", "zwaarwegend", "8", "9", "onvoldoende onderbouwd (gewijzigd)"]
    assert _count(html, "Worden onvoldoende onderbouwd") == 1
    with app.app_context():
        assert _recorded(demo) == before


@pytest.mark.parametrize("query, field, message", [
    ("gewicht-financial=11", "weight-financial", "geheel getal van 0 tot en met 10"),
    ("gewicht-financial=twee", "weight-financial", "geheel getal van 0 tot en met 10"),
    ("drempel=0", "threshold", "geheel getal van 1 tot en met 100"),
    ("gewicht-bestaat_niet=1", None, "Onbekend criterium"),  # no field of its own: in the summary
])
def test_a_bad_proposal_is_named_next_to_its_field(app, demo, client, auth, declined, query, field, message):
    auth.login(ADMIN)
    response = client.get(f"/beheer/criteria/wat-als?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    if field is None:
        assert re.search(rf'<div class="error-summary" role="alert">.*<li>{message}', html, re.S)
    else:
        assert re.search(rf'id="{field}-error"><span class="visually-hidden">Fout:</span> [^<]*{message}', html)
    assert "Gevolgen" not in html


def test_the_mediator_weighs_the_declines_of_a_case(app, demo, client, auth, declined):
    with app.app_context():
        before = _recorded(demo)
    auth.login(MEDIATOR)
    case = declined["case"]
    assert f"/bemiddeling/{case}/wat-als" in client.get(f"/bemiddeling/{case}").get_data(as_text=True)
    html = client.get(f"/bemiddeling/{case}/wat-als?gewicht-financial=2&drempel=7").get_data(as_text=True)
    assert _row(html, "DSW") == ["3", "6", "onvoldoende onderbouwd", "6", "7", "onvoldoende onderbouwd"]
    assert _row(html, "CZ") == ["8", "6", "zwaarwegend", "8", "7", "zwaarwegend"]
    assert client.get(f"/bemiddeling/{case}/wat-als?drempel=9").status_code == 200
    assert client.get("/bemiddeling/999999/wat-als").status_code == 404
    with app.app_context():
        assert _recorded(demo) == before
    for email in (ADMIN, LEAD):  # the admin sees no case; a party does not weigh
        auth.login(email)
        assert client.get(f"/bemiddeling/{case}/wat-als").status_code in (403, 404)
