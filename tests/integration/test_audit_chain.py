"""The audit trail is append-only and tamper-evident (hash chain, triggers, `flask audit verify`)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from innovatieregister.models import AuditEntry
from innovatieregister.models.audit import AuditEntryIsAppendOnly
from tests import flows
from tests.integration.test_migrations import _app_on


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_a_fresh_trail_verifies(app, demo):
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    result = _verify(app)
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
        seqs = demo.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert f"{count} regels" in result.output and seqs == list(range(1, count + 1))


def test_the_orm_refuses_to_update_or_delete_an_entry(app, demo):
    with app.app_context():
        entry = demo.session.scalar(sa.select(AuditEntry))
        entry.action = "iets anders"
        with pytest.raises(AuditEntryIsAppendOnly):
            demo.session.flush()
        demo.session.rollback()
        demo.session.delete(demo.session.scalar(sa.select(AuditEntry)))
        with pytest.raises(AuditEntryIsAppendOnly):
            demo.session.flush()
        demo.session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET action = 'x' WHERE seq = 2",
                                       "DELETE FROM audit_entries WHERE seq = 2"])
def test_the_database_refuses_an_update_or_delete(app, demo, statement):
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with demo.engine.begin() as conn:
                conn.exec_driver_sql(statement)


def _tamper(app, db, sql: str, **params) -> None:
    """What an attacker with database access would do: switch the trigger off and edit a row."""
    with app.app_context(), db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_entries_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change")
        conn.execute(sa.text(sql), params)


def test_a_changed_row_is_detected_and_named(app, demo):
    flows.open_observation_beds(app, demo)
    with app.app_context():
        target = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.open"))
        target_id, after = target.id, dict(target.after)
    after["deadline"] = "2099-01-01"
    _tamper(app, demo, "UPDATE audit_entries SET after = :after WHERE id = :id", after=json.dumps(after), id=target_id)
    result = _verify(app)
    assert result.exit_code == 1
    assert f"GEBROKEN bij regel {target_id}: de inhoud is gewijzigd" in result.output


def test_a_removed_row_is_detected(app, demo):
    with app.app_context():
        second = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.seq == 2))
        third_id = demo.session.scalar(sa.select(AuditEntry.id).where(AuditEntry.seq == 3))
    _tamper(app, demo, "DELETE FROM audit_entries WHERE id = :id", id=second.id)
    result = _verify(app)
    assert result.exit_code == 1 and f"GEBROKEN bij regel {third_id}" in result.output


def test_concurrent_appends_never_fork_the_chain(app, demo):
    from concurrent.futures import ThreadPoolExecutor

    from innovatieregister.services import write_transaction
    from innovatieregister.services.audit import Actor, record

    def append(i):
        with app.app_context(), write_transaction():
            record(Actor.command(f"t{i}"), "test.append", ("Test", i))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(append, range(40)))
    assert _verify(app).exit_code == 0


def test_the_migration_chains_entries_written_before_it(empty_database_url):
    app = _app_on(empty_database_url)
    with app.app_context():
        from innovatieregister.extensions import db

        upgrade(revision="0003_adoption")
        with db.engine.begin() as conn:
            for i in range(3):
                conn.execute(sa.text(
                    "INSERT INTO audit_entries (occurred_at, actor_label, action, object_type, object_id, before, after)"
                    " VALUES (:at, 'cli', 'x', 'T', :i, NULL, :after)"),
                    {"at": f"2026-01-0{i + 1} 10:00:00.123456", "i": str(i), "after": json.dumps({"n": i})})
        upgrade()
        from innovatieregister.services.audit_trail import verify_chain

        count, broken = verify_chain()
        assert (count, broken) == (3, None)
        db.engine.dispose()
