"""The audit trail is append-only and tamper-evident, also to someone with database access:
triggers refuse UPDATE, DELETE and TRUNCATE; the chain is keyed (HMAC with a key outside the
database); signed checkpoints outside the database show a cut-off end (`flask audit verify`)."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from innovatieregister.domain.audit_chain import GENESIS, UNKEYED, key_id_of, keyed_hash, unkeyed_hash
from innovatieregister.models import AuditEntry
from innovatieregister.models.audit import AuditEntryIsAppendOnly
from tests import flows
from tests.conftest import postgres_url
from tests.integration.test_migrations import _app_on


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["audit", *args])


def _count(app, db) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))


def _checkpoint_files(app) -> list:
    from pathlib import Path

    return sorted(Path(app.config["AUDIT_CHECKPOINT_DIR"]).glob("*.json"))


@contextmanager
def _as_dba(app, db):
    """What someone with database access can do: lift the append-only triggers, change rows,
    put the triggers back (so nothing looks different afterwards)."""
    with app.app_context(), db.engine.begin() as conn:
        if not postgres_url():
            triggers = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entries'").all()
            for name, _ in triggers:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            yield conn
            for _, sql in triggers:
                conn.exec_driver_sql(sql)
        else:
            conn.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
            yield conn
            conn.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER USER")


@pytest.fixture
def trail(app, demo):
    """The demo with an opened initiative and a decision: a trail of some length."""
    flows.open_observation_beds(app, demo)
    flows.decide(app, demo, "vgz@demo.nl", "follow")
    return demo


def test_a_checkpointed_trail_verifies_and_later_entries_are_fine(app, trail):
    unproven = _cli(app, "verify")
    assert unproven.exit_code == 2 and "geen controlepunt" in unproven.output
    made = _cli(app, "checkpoint")
    assert made.exit_code == 0, made.output
    count = _count(app, trail)
    (path,) = _checkpoint_files(app)
    stored = json.loads(path.read_text("utf-8"))
    assert (stored["count"], stored["head_seq"]) == (count, count) and stored["signature"] in made.output
    with app.app_context():
        seqs = trail.session.scalars(sa.select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        head = trail.session.scalar(sa.select(AuditEntry.entry_hash).where(AuditEntry.seq == count))
    assert seqs == list(range(1, count + 1)) and stored["head_hash"] == head

    flows.decide(app, trail, "cz@demo.nl", "follow")
    result = _cli(app, "verify")
    assert result.exit_code == 0, result.output
    assert f"intact: {_count(app, trail)} regels" in result.output and f"({count} regels)" in result.output
    assert re.search(rf"Gelezen en gecontroleerd: {_count(app, trail)} regels in [\d,]+ s \([\d.]+ regels per seconde\)",
                     result.output), result.output


def test_new_entries_are_keyed_with_the_configured_key(app, trail):
    with app.app_context():
        entry = trail.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        fields = entry.chain_fields()
    key = app.config["AUDIT_KEY"].encode()
    assert (entry.chain_version, entry.key_id) == (2, key_id_of(key))
    assert entry.entry_hash == keyed_hash(fields, entry.prev_hash, key, key_id_of(key))
    assert entry.entry_hash != unkeyed_hash(fields, entry.prev_hash)


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
                                       "DELETE FROM audit_entries WHERE seq = 2",
                                       "TRUNCATE audit_entries",
                                       "TRUNCATE users CASCADE"])  # a cascade reaches the trail too
def test_the_database_refuses_an_update_delete_or_truncate(app, demo, statement):
    if statement.startswith("TRUNCATE") and not postgres_url():
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused by the trigger above")
    before = _count(app, demo)
    with app.app_context():
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with demo.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    assert _count(app, demo) == before


def test_the_triggers_are_back_after_a_dba_session(app, demo):
    with _as_dba(app, demo) as conn:
        conn.exec_driver_sql("UPDATE audit_entries SET action = action WHERE seq = 1")
    with app.app_context(), pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with demo.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_entries WHERE seq = 1")


def test_deleting_the_last_entries_is_caught_by_the_checkpoint(app, trail):
    assert _cli(app, "checkpoint").exit_code == 0
    count = _count(app, trail)
    with _as_dba(app, trail) as conn:
        conn.execute(sa.text("DELETE FROM audit_entries WHERE seq > :keep"), {"keep": count - 3})
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert (f"regels {count - 2}–{count} ontbreken (laatste controlepunt: {count} regels t/m volgnummer {count},"
            f" gevonden: {count - 3})") in result.output
    refused = _cli(app, "checkpoint")  # a shortened chain is never signed as the new truth
    assert refused.exit_code == 1 and len(_checkpoint_files(app)) == 1


def test_an_emptied_trail_is_never_intact(app, trail):
    assert _cli(app, "checkpoint").exit_code == 0
    count = _count(app, trail)
    with _as_dba(app, trail) as conn:
        conn.exec_driver_sql("DELETE FROM audit_entries")
    result = _cli(app, "verify")
    assert result.exit_code == 1 and f"regels 1–{count} ontbreken" in result.output
    for path in _checkpoint_files(app):  # without any checkpoint left, empty is still not intact
        path.unlink()
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "leeg (0 regels gevonden)" in result.output


def test_a_changed_row_is_detected_and_named(app, trail):
    with app.app_context():
        target = trail.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.open"))
        target_seq, after = target.seq, dict(target.after)
    after["deadline"] = "2099-01-01"
    with _as_dba(app, trail) as conn:
        conn.execute(sa.text("UPDATE audit_entries SET after = :after WHERE seq = :seq"),
                     {"after": json.dumps(after), "seq": target_seq})
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"GEBROKEN bij regel {target_seq} " in result.output and "de inhoud is gewijzigd" in result.output


def _public_hash(fields, prev):
    return {"entry_hash": unkeyed_hash(fields, prev)}


def _public_hash_as_version_1(fields, prev):
    return {"entry_hash": unkeyed_hash(fields, prev), "chain_version": UNKEYED, "key_id": None}


def _wrong_key(fields, prev):
    return {"entry_hash": keyed_hash(fields, prev, b"a-guessed-key", fields["key_id"])}


def _wrong_key_with_its_own_id(fields, prev):
    key = b"a-guessed-key"
    return {"entry_hash": keyed_hash(fields, prev, key, key_id_of(key)), "key_id": key_id_of(key)}


@pytest.mark.parametrize("rehash", [_public_hash, _public_hash_as_version_1, _wrong_key, _wrong_key_with_its_own_id])
def test_rewriting_an_entry_and_every_hash_after_it_is_detected(app, trail, rehash):
    """The attacker edits an entry and recomputes the whole rest of the chain, without the key."""
    with app.app_context():
        table = AuditEntry.__table__
        target_seq = trail.session.scalar(sa.select(AuditEntry.seq).where(AuditEntry.action == "initiative.open"))
        rows = [dict(row) for row in trail.session.execute(
            sa.select(table).where(table.c.seq >= target_seq - 1).order_by(table.c.seq)).mappings()]
    rows[1]["after"] = {**rows[1]["after"], "deadline": "2099-01-01"}
    with _as_dba(app, trail) as conn:
        prev = rows[0]["entry_hash"]
        for row in rows[1:]:
            row.update(prev_hash=prev, **rehash(row, prev))
            conn.execute(table.update().where(table.c.seq == row["seq"]).values(
                after=row["after"], prev_hash=prev, entry_hash=row["entry_hash"],
                chain_version=row["chain_version"], key_id=row["key_id"]))
            prev = row["entry_hash"]
    result = _cli(app, "verify")
    assert result.exit_code == 1 and f"GEBROKEN bij regel {target_seq} " in result.output


def test_a_removed_row_in_the_middle_is_named(app, demo):
    with _as_dba(app, demo) as conn:
        conn.exec_driver_sql("DELETE FROM audit_entries WHERE seq = 2")
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "GEBROKEN bij regel 3 " in result.output and "regel 2 ontbreekt" in result.output


def test_a_forged_checkpoint_is_refused(app, trail):
    """Someone deletes the end and writes a checkpoint that fits the shortened trail."""
    assert _cli(app, "checkpoint").exit_code == 0
    (path,) = _checkpoint_files(app)
    count = _count(app, trail)
    with _as_dba(app, trail) as conn:
        conn.execute(sa.text("DELETE FROM audit_entries WHERE seq > :keep"), {"keep": count - 2})
        head = conn.execute(sa.text("SELECT entry_hash FROM audit_entries WHERE seq = :seq"),
                            {"seq": count - 2}).scalar()
    forged = {**json.loads(path.read_text("utf-8")), "count": count - 2, "head_seq": count - 2, "head_hash": head}
    path.unlink()
    forged_path = path.with_name("audit-checkpoint-forged.json")
    forged_path.write_text(json.dumps(forged), "utf-8")
    for args in (["verify"], ["verify", "--checkpoint", str(forged_path)], ["checkpoint"]):
        result = _cli(app, *args)
        assert result.exit_code == 1, args
        assert "niet echt: de handtekening klopt niet" in result.output, args


def test_a_checkpoint_can_go_to_a_file_of_choice(app, trail, tmp_path):
    target = tmp_path / "bewaren" / "controlepunt.json"
    assert _cli(app, "checkpoint", "--to", str(target)).exit_code == 0
    assert target.exists() and _checkpoint_files(app) == []
    with _as_dba(app, trail) as conn:
        conn.exec_driver_sql("DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)")
    assert _cli(app, "verify").exit_code == 2  # the default folder has no checkpoint: unproven
    assert _cli(app, "verify", "--checkpoint", str(target)).exit_code == 1


def test_concurrent_appends_never_fork_the_chain(app, demo):
    from concurrent.futures import ThreadPoolExecutor

    from innovatieregister.services import write_transaction
    from innovatieregister.services.audit import Actor, record

    def append(i):
        with app.app_context(), write_transaction():
            record(Actor.command(f"t{i}"), "test.append", ("Test", i))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(append, range(40)))
    assert _cli(app, "checkpoint").exit_code == 0


def _trail_from_before_the_key(url: str, rows: int):
    """An app whose database was migrated to 0007 with `rows` entries written then, and is now at head."""
    app = _app_on(url)
    with app.app_context():
        from innovatieregister.extensions import db

        upgrade(revision="0003_adoption")
        with db.engine.begin() as conn:
            for i in range(rows):
                conn.execute(sa.text(
                    "INSERT INTO audit_entries (occurred_at, actor_label, action, object_type, object_id, before, after)"
                    " VALUES (:at, 'cli', 'x', 'T', :i, NULL, :after)"),
                    {"at": f"2026-01-0{i + 1} 10:00:00.123456", "i": str(i), "after": json.dumps({"n": i})})
        upgrade()
        db.session.remove()
    return app


def _entries(app) -> list[AuditEntry]:
    from innovatieregister.extensions import db

    with app.app_context():
        entries = list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq)))
        db.session.expunge_all()
        return entries


def test_entries_from_before_the_key_stay_unkeyed_and_a_keyed_marker_closes_them(empty_database_url):
    from innovatieregister.extensions import db
    from innovatieregister.services import write_transaction
    from innovatieregister.services.audit import Actor, record
    from innovatieregister.services.audit_trail import verify_chain

    app = _trail_from_before_the_key(empty_database_url, 3)
    *old, marker = _entries(app)
    key = app.config["AUDIT_KEY"].encode()
    assert [e.chain_version for e in old] == [UNKEYED] * 3
    assert (marker.seq, marker.action, marker.actor_label) == (4, "audit.chain_keyed", "command: flask db upgrade")
    assert (marker.chain_version, marker.key_id, marker.prev_hash) == (2, key_id_of(key), old[-1].entry_hash)
    assert marker.entry_hash == keyed_hash(marker.chain_fields(), old[-1].entry_hash, key, key_id_of(key))
    with app.app_context():
        verdict = verify_chain()
        assert (verdict.count, verdict.unkeyed, verdict.broken, verdict.rewritten) == (4, 3, None, [])
        with write_transaction():
            record(Actor.command("test"), "test.append", ("Test", 1))
        verdict = verify_chain()
        assert (verdict.count, verdict.unkeyed, verdict.problems) == (5, 3, False)
        db.session.remove()
    assert _cli(app, "verify").exit_code == 2  # holds; only a checkpoint can prove the end
    with app.app_context():
        db.engine.dispose()


def test_the_migration_writes_no_marker_in_an_empty_trail(empty_database_url):
    from innovatieregister.extensions import db

    app = _trail_from_before_the_key(empty_database_url, 0)
    assert _entries(app) == []
    with app.app_context():
        db.engine.dispose()


def test_a_downgrade_takes_back_only_its_own_marker(empty_database_url):
    from alembic import command as alembic_command
    from flask_migrate import downgrade

    from innovatieregister.extensions import db
    from innovatieregister.services import write_transaction
    from innovatieregister.services.audit import Actor, record

    app = _trail_from_before_the_key(empty_database_url, 2)
    with app.app_context():
        downgrade(revision="0007_list_indexes")
        assert db.session.scalar(sa.text("SELECT COUNT(*) FROM audit_entries")) == 2
        db.session.remove()
        upgrade()  # a new marker on the same unkeyed entries
        assert not _verify(app).problems
        with write_transaction():
            record(Actor.command("test"), "test.append", ("Test", 1))
        alembic_config = app.extensions["migrate"].migrate.get_config()  # Alembic itself: Flask-Migrate would exit
        with pytest.raises(RuntimeError, match="Downgrade geweigerd: het audittrail heeft 2 regels met sleutel"):
            alembic_command.downgrade(alembic_config, "0007_list_indexes")
        db.session.remove()
    assert not _verify(app).problems and len(_entries(app)) == 4
    with app.app_context():
        db.engine.dispose()


def _verify(app):
    from innovatieregister.extensions import db
    from innovatieregister.services.audit_trail import verify_chain

    with app.app_context():
        verdict = verify_chain()
        db.session.remove()
        return verdict


def _relabel_all_as_version_1_and_rewrite(app, db, changed_seq: int) -> None:
    """The reviewer's attack: triggers off, every entry version 1 without key id, one entry changed,
    every hash recomputed with the public function."""
    with app.app_context():
        table = AuditEntry.__table__
        rows = [dict(row) for row in db.session.execute(sa.select(table).order_by(table.c.seq)).mappings()]
    rows[changed_seq - 1]["after"] = {**(rows[changed_seq - 1]["after"] or {}), "deadline": "2099-01-01"}
    with _as_dba(app, db) as conn:
        prev = GENESIS
        for row in rows:
            row.update(prev_hash=prev, entry_hash=unkeyed_hash(row, prev))
            conn.execute(table.update().where(table.c.seq == row["seq"]).values(
                after=row["after"], prev_hash=prev, entry_hash=row["entry_hash"], chain_version=UNKEYED,
                key_id=None))
            prev = row["entry_hash"]


def test_relabelling_the_whole_chain_as_version_1_and_rewriting_it_is_refused_without_a_checkpoint(app, trail):
    count = _count(app, trail)
    _relabel_all_as_version_1_and_rewrite(app, trail, 3)
    result = _cli(app, "verify")
    assert result.exit_code == 1, result.output
    assert f"NIET TE VERTROUWEN: de nieuwste regel ({count}) heeft geen sleutel (versie 1)" in result.output
    assert "Keten klopt" not in result.output and "GEBROKEN" not in result.output
    assert _cli(app, "checkpoint").exit_code == 1 and _checkpoint_files(app) == []  # never signed as the truth


def test_a_rewritten_chain_against_a_checkpoint_is_not_blamed_on_its_last_entry(app, trail):
    assert _cli(app, "checkpoint").exit_code == 0
    count = _count(app, trail)
    _relabel_all_as_version_1_and_rewrite(app, trail, 3)
    result = _cli(app, "verify")
    assert result.exit_code == 1 and "GEBROKEN" not in result.output
    assert (f"regel {count} heeft nu een andere hash. De keten is herschreven ergens in regels 1–{count};"
            " welke regel het eerst afwijkt is niet te zeggen") in result.output
