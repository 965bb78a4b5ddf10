"""The caller's own notifications through the API (issue 14): the list, the unread count, marking read."""

from __future__ import annotations

import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Notification
from tests import flows

DSW = "dsw@demo.nl"  # asked to follow the observation beds: notified when they open


def _unread(demo, email: str) -> int:
    return demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == flows.user(demo, email).id, Notification.read_at.is_(None)))


def test_the_list_is_mine_newest_first_with_the_unread_count(app, demo, api_as):
    flows.open_observation_beds(app, demo)
    with app.app_context():
        mine = _unread(demo, DSW)
        others = {n.id for n in demo.session.scalars(sa.select(Notification).where(
            Notification.user_id != flows.user(demo, DSW).id))}
    assert mine >= 1
    body = api_as(DSW).get("/api/v1/notifications").get_json()
    assert body["unread"] == mine and len(body["items"]) == mine
    assert not {n["id"] for n in body["items"]} & others
    times = [n["created_at"] for n in body["items"]]
    assert times == sorted(times, reverse=True)
    assert "Observatiebedden" in body["items"][0]["message"]


def test_marking_one_read_and_then_all(app, demo, api_as):
    flows.open_observation_beds(app, demo)
    flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "DSW")  # a second notification for DSW
    dsw = api_as(DSW)
    first = dsw.get("/api/v1/notifications").get_json()
    assert first["unread"] >= 2
    one = first["items"][0]["id"]
    read = dsw.post(f"/api/v1/notifications/{one}/read")
    assert read.status_code == 200 and read.get_json()["read_at"] is not None
    assert dsw.get("/api/v1/notifications").get_json()["unread"] == first["unread"] - 1
    # Someone else's notification: not found, and it stays unread.
    assert api_as("cz@demo.nl").post(f"/api/v1/notifications/{first['items'][1]['id']}/read").status_code == 404
    with app.app_context():
        assert _unread(demo, DSW) == first["unread"] - 1
    marked = dsw.post("/api/v1/notifications/read")
    assert marked.status_code == 200 and marked.get_json() == {"marked": first["unread"] - 1, "unread": 0}
    with app.app_context():
        assert _unread(demo, DSW) == 0
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "notifications.read")) == 2
    # Read again: nothing changes, nothing more is audited.
    assert dsw.post(f"/api/v1/notifications/{one}/read").status_code == 200
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "notifications.read")) == 2


def test_paging_stays_within_its_bounds(app, demo, api_as):
    flows.open_observation_beds(app, demo)
    dsw = api_as(DSW)
    refused = dsw.get("/api/v1/notifications?per_page=101")
    assert refused.status_code == 422 and refused.get_json()["errors"]["per_page"]
    assert dsw.get("/api/v1/notifications?colour=red").status_code == 422
