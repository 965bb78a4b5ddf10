"""The migrations are the only way the schema is made, and they match the models."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

ROOT = Path(__file__).resolve().parents[2]


def _app_on(url: str):
    from config import TestConfig
    from innovatieregister import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    return create_app(Config)


def _differences(db) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrading_an_empty_database_gives_exactly_the_models(empty_database_url):
    from innovatieregister.extensions import db

    app = _app_on(empty_database_url)
    with app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        assert _differences(db) == []
        db.engine.dispose()


def test_migrations_downgrade_to_nothing_and_up_again(empty_database_url):
    from innovatieregister.extensions import db

    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _differences(db) == []
        db.engine.dispose()


def test_migrations_that_rebuild_tables_keep_the_data_and_every_reference(empty_database_url):
    """A real database has rows that other rows point at: 0010 rebuilds referenced tables on
    SQLite (market-share sets, initiatives), which failed with the demo in the database."""
    from innovatieregister.extensions import db
    from innovatieregister.services.demo import load_demo

    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade()
        load_demo()
        db.session.remove()
        before = _row_counts(db)
        assert before["market_shares"] and before["initiatives"] and before["cost_lines"]
        downgrade(revision="0009_accounts")  # back over the rebuilds, with the data in
        # Tables made after 0009 go with the downgrade (the demo's monitors among them); the rest keep every row.
        kept = set(sa.inspect(db.engine).get_table_names())
        upgrade()
        assert {t: n for t, n in _row_counts(db).items() if t in kept} == {t: n for t, n in before.items() if t in kept}
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on afterwards
        assert _differences(db) == []
        db.engine.dispose()


def test_a_text_longer_than_its_new_limit_stops_the_limits_migration_with_the_rows_named(empty_database_url):
    """Before 0010 nothing bounded free text; PostgreSQL would fail halfway on such a row."""
    from datetime import UTC, datetime

    import pytest

    from innovatieregister.extensions import db
    from innovatieregister.models.base import UTCDateTime

    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade(revision="0009_accounts")
        criteria = sa.table("argument_criteria", sa.column("id"), sa.column("code"), sa.column("name"),
                            sa.column("explanation"), sa.column("weight"), sa.column("active"),
                            sa.column("updated_at", UTCDateTime()))
        with db.engine.begin() as conn:
            conn.execute(criteria.insert().values(id=7, code="lang", name="Lang", explanation="x" * 6000, weight=1,
                                                  active=True, updated_at=datetime(2026, 1, 1, tzinfo=UTC)))
        alembic_config = app.extensions["migrate"].migrate.get_config()  # Alembic itself: the error, not an exit
        with pytest.raises(RuntimeError, match=r"argument_criteria\.explanation id 7: 6000 tekens \(hoogstens 5000\)"):
            command.upgrade(alembic_config, "head")
        with db.engine.connect() as conn:  # nothing changed: still at 0009, the text whole
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0009_accounts"
            assert conn.exec_driver_sql("SELECT length(explanation) FROM argument_criteria").scalar() == 6000
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE argument_criteria SET explanation = substr(explanation, 1, 5000)")
        upgrade()
        assert _differences(db) == []
        db.engine.dispose()


def _row_counts(db) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in db.metadata.sorted_tables}


def test_constraints_are_named_so_batch_migrations_can_address_them(empty_database_url):
    from innovatieregister.extensions import db

    app = _app_on(empty_database_url)
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        for table in db.metadata.sorted_tables:
            for fk in inspector.get_foreign_keys(table.name):
                assert fk["name"], f"unnamed foreign key on {table.name}"
            for uq in inspector.get_unique_constraints(table.name):
                assert uq["name"], f"unnamed unique constraint on {table.name}"
        db.engine.dispose()


def test_no_code_creates_the_schema_outside_the_migrations():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("innovatieregister", "tests", "migrations")
        for path in (ROOT / folder).rglob("*.py")
        if "create_all(" in path.read_text("utf-8") and path.name != Path(__file__).name
    ]
    assert offenders == []
