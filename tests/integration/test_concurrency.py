"""Twenty simultaneous decision submissions through a real server leave one standing decision."""

from __future__ import annotations

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Decision, Initiative
from tests import flows

SUBMISSIONS = 20


@pytest.fixture
def server(live_server):
    return live_server


def _token(app, demo, email):
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        return create_token(flows.user(demo, email), "load", clock.now())[1]


def _submit(url: str, token: str, body: dict, key: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _fire(server, initiative_id, token, keys):
    url = f"{server}/api/v1/initiatives/{initiative_id}/decision"
    barrier = threading.Barrier(SUBMISSIONS)

    def one(key):
        barrier.wait()  # all twenty leave at the same moment
        return _submit(url, token, {"decision": "follow", "conditions": "samen"}, key)

    with ThreadPoolExecutor(SUBMISSIONS) as pool:
        return list(pool.map(one, keys))


def test_twenty_simultaneous_submissions_of_the_same_form_store_one_version(app, demo, server):
    initiative_id = flows.open_observation_beds(app, demo)
    statuses = _fire(server, initiative_id, _token(app, demo, "vgz@demo.nl"), ["same-form"] * SUBMISSIONS)
    assert statuses == [201] * SUBMISSIONS  # every caller gets the first result back
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id))) == 1
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "decision.record")) == 1


def test_twenty_simultaneous_different_submissions_leave_exactly_one_standing(app, demo, server):
    initiative_id = flows.open_observation_beds(app, demo)
    statuses = _fire(server, initiative_id, _token(app, demo, "cz@demo.nl"), [f"k{i}" for i in range(SUBMISSIONS)])
    assert statuses == [201] * SUBMISSIONS
    with app.app_context():
        decisions = demo.session.execute(sa.select(Decision.version, Decision.standing)).all()
        assert sorted(v for v, _ in decisions) == list(range(1, SUBMISSIONS + 1))
        assert [v for v, standing in decisions if standing] == [SUBMISSIONS]


def test_insurers_following_at_the_same_moment_are_all_counted_in_the_stored_spread_and_committed(app, demo, server):
    from innovatieregister.services import committed, spread

    initiative_id = flows.open_observation_beds(app, demo)
    insurers = ["vgz@demo.nl", "cz@demo.nl", "achmea@demo.nl", "dsw@demo.nl", "asr@demo.nl"]
    tokens = [_token(app, demo, email) for email in insurers]
    url = f"{server}/api/v1/initiatives/{initiative_id}/decision"
    barrier = threading.Barrier(len(tokens))

    def one(token):
        barrier.wait()
        return _submit(url, token, {"decision": "follow", "conditions": ""}, None)

    with ThreadPoolExecutor(len(tokens)) as pool:
        assert list(pool.map(one, tokens)) == [201] * len(tokens)
    with app.app_context():
        # Each decision's flush recounted the family; none overwrote another's with an older count.
        assert spread.mismatches() == []
        stored = demo.session.execute(sa.select(Initiative.spread_insurers).where(Initiative.id == initiative_id))
        assert stored.scalar() == 1 + len(insurers)
        # So was the committed part the national overview sums (issue 15): every follow counted.
        assert committed.mismatches() == []
