"""One scheduler at a time, and e-mail that survives a mail server that is down."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister.jobs.lease import Lease
from innovatieregister.models import OutboxMessage
from innovatieregister.services import mail
from tests import flows
from tests.frozen_clock import START

NOW = START + timedelta(minutes=1)  # after the messages the tests queue (at START)


def test_a_second_scheduler_stays_idle_while_the_first_holds_the_lease(app, database):
    with app.app_context():
        first, second = Lease("a", timedelta(minutes=3)), Lease("b", timedelta(minutes=3))
        try:
            assert first.acquire(NOW) is True
            assert second.acquire(NOW + timedelta(seconds=30)) is False
            assert first.acquire(NOW + timedelta(minutes=1)) is True  # the holder renews
            if database.engine.dialect.name == "sqlite":
                # A holder that died stops renewing: its lease runs out and the standby takes over.
                assert second.acquire(NOW + timedelta(minutes=5)) is True
                assert first.acquire(NOW + timedelta(minutes=5, seconds=1)) is False
            else:
                first.release()  # on PostgreSQL the lock goes with the holder's connection
                assert second.acquire(NOW + timedelta(minutes=1)) is True
        finally:
            first.release()
            second.release()


def test_the_scheduler_tick_is_idle_without_the_lease(app, demo):
    from innovatieregister.jobs.scheduler import tick

    with app.app_context():
        holder = Lease("other-process", timedelta(minutes=3))
        from innovatieregister import clock

        assert holder.acquire(clock.now())
    me = Lease("me", timedelta(minutes=3))
    try:
        assert tick(app, me) is None
    finally:
        with app.app_context():
            holder.release()
    try:
        assert tick(app, me) is not None
    finally:
        with app.app_context():
            me.release()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def queued(app, demo):
    flows.open_observation_beds(app, demo)  # queues e-mail to the five insurers' demo users
    with app.app_context():
        return demo.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))


def test_mail_queued_while_smtp_is_down_is_delivered_once_it_is_back(app, demo, queued, monkeypatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    assert queued >= 5
    with app.app_context():
        down = mail.deliver_due(NOW)
        assert (down.sent, down.failed) == (0, queued)
        waiting = demo.session.scalars(sa.select(OutboxMessage)).all()
        assert all(m.sent_at is None and m.attempts == 1 and "Connection" in m.last_error for m in waiting)
        assert all(m.next_attempt_at == NOW + timedelta(minutes=1) for m in waiting)
        assert mail.deliver_due(NOW + timedelta(seconds=30)).failed == 0  # backing off: nothing tried

    received = []

    class Collect(Sink):
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with app.app_context():
            back = mail.deliver_due(NOW + timedelta(minutes=2))
            assert (back.sent, back.failed) == (queued, 0)
            assert mail.deliver_due(NOW + timedelta(hours=1)).sent == 0  # nothing twice
            assert demo.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.sent_at.is_(None))) == 0
    finally:
        controller.stop()
    assert len(received) == queued
    assert len({e.content for e in received}) == queued  # one of each, each with its own Message-ID
    assert any(b"Observatiebedden Twente" in e.content for e in received)


def test_without_a_mail_server_messages_go_to_a_folder(app, demo, queued, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path))
    with app.app_context():
        assert mail.deliver_due(NOW).sent == queued
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == queued
    assert "Subject: Innovatieregister: Nieuw verzoek om een initiatief te volgen" in files[0].read_text()


def test_backoff_doubles_and_is_capped():
    assert [mail.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert mail.backoff(30) == timedelta(hours=6)


def test_a_user_who_opts_out_of_a_kind_gets_it_in_the_app_only(app, client, auth, demo):
    auth.login("cz@demo.nl")
    response = client.post("/profiel/meldingen", data={"email": [k for k in mail.KIND_LABELS if k != "follow_request.new"]})
    assert response.status_code == 302
    flows.open_observation_beds(app, demo)
    with app.app_context():
        cz = flows.user(demo, "cz@demo.nl")
        assert demo.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.to_address == "cz@demo.nl")) == 0
        from innovatieregister.models import Notification

        assert demo.session.scalar(sa.select(sa.func.count(Notification.id)).where(Notification.user_id == cz.id)) == 1
        assert demo.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.to_address == "vgz@demo.nl")) == 1
