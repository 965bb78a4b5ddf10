"""Write transactions: SQLite's settings, IMMEDIATE writes, and audit in the same transaction."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from innovatieregister.models import AuditEntry, Decision, FollowRequest
from innovatieregister.services import write_transaction
from tests import flows
from tests.conftest import postgres_url

sqlite_only = pytest.mark.skipif(bool(postgres_url()), reason="SQLite's own settings")


@sqlite_only
def test_sqlite_connections_use_wal_a_busy_timeout_full_sync_and_foreign_keys(ctx):
    with ctx.engine.connect() as conn:
        pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")}
    assert pragma == {"journal_mode": "wal", "busy_timeout": 15000, "synchronous": 2, "foreign_keys": 1}


@sqlite_only
def test_a_write_transaction_takes_the_write_lock_before_it_reads(ctx):
    path = ctx.engine.url.database
    with write_transaction():
        ctx.session.execute(sa.select(1))  # only a read so far, yet the lock is held
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # released at commit
    other.execute("ROLLBACK")
    other.close()


def test_a_failure_after_the_audit_entry_leaves_neither_change_nor_entry(app, demo, monkeypatch):
    flows.open_observation_beds(app, demo)
    with app.app_context():
        audit_before = demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)))

    def mail_server_on_fire(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("innovatieregister.services.decisions.notify_organisations", mail_server_on_fire)
    with pytest.raises(RuntimeError):
        flows.decide(app, demo, "vgz@demo.nl", "follow")
    with app.app_context():
        assert demo.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == audit_before
        assert set(demo.session.scalars(sa.select(FollowRequest.state))) == {"open"}


def test_every_state_change_of_the_cycle_is_audited_with_before_and_after(app, demo):
    initiative_id = flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    flows.decide(app, demo, "vgz@demo.nl", "decline", flows.NOT_WEIGHTY)
    with app.app_context():
        entries = demo.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
        opened = next(e for e in entries if e.action == "initiative.open")
        assert opened.object_id == str(initiative_id)
        assert opened.before["status"] == "concept" and opened.after["status"] == "open"
        assert len(opened.after["follow_requests"]) == 9 and opened.actor_label == "menzis@demo.nl"
        recorded = [e for e in entries if e.action == "decision.record"]
        assert [(e.before["decision"], e.after["decision"]) for e in recorded] == [(None, "follow"),
                                                                                  ("follow", "decline")]
        assert recorded[1].after["weighty"] is False and recorded[1].after["score"] == 3
        assert all(e.actor_organisation_id is not None for e in recorded)
