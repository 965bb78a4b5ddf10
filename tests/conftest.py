"""Shared fixtures.

The schema is made by the migrations only (never create_all). On SQLite the migrated
database is kept as a template file and copied for every test; on PostgreSQL
(TEST_DATABASE_URL) the schema is migrated once and every table is truncated between
tests. Unit tests (tests/unit) use none of this.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile(
    "ci", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

DEMO_PASSWORD = "demo-wachtwoord-2026"


@pytest.fixture(autouse=True)
def frozen_clock():
    """Every test runs at tests/frozen_clock.py's START, also in a live server's threads.

    Its own MonkeyPatch, so a test's `monkeypatch.undo()` cannot unfreeze the clock."""
    from innovatieregister import clock
    from tests.frozen_clock import FrozenClock

    frozen = FrozenClock()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", frozen.now)
        yield frozen


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def _db_files(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("db")
    return {"live": base / "test.db", "templates": base, "checkpoints": base / "audit-checkpoints"}


@pytest.fixture(scope="session")
def app(_db_files):
    from config import TestConfig
    from innovatieregister import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = postgres_url() or f"sqlite:///{_db_files['live']}"
        AUDIT_CHECKPOINT_DIR = str(_db_files["checkpoints"])  # emptied with the database, per test

    app = create_app(Config)
    with app.app_context():
        from flask_migrate import upgrade

        from innovatieregister.extensions import db

        if postgres_url():
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        upgrade()
        db.engine.dispose()
        if not postgres_url():
            _snapshot(_db_files, "migrated")
    return app


def _snapshot(files: dict[str, Path], name: str) -> None:
    shutil.copyfile(files["live"], files["templates"] / f"{name}.db")


def _restore(files: dict[str, Path], name: str) -> bool:
    template = files["templates"] / f"{name}.db"
    if not template.exists():
        return False
    for suffix in ("-wal", "-shm"):
        Path(f"{files['live']}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, files["live"])
    return True


@pytest.fixture
def database(app, _db_files):
    """A clean, migrated database for one test.

    No app context is held while the test runs: a request made by the test client must
    get its own context (and session, and `g`), exactly as in production. Tests that
    read the database use `app.app_context()` or the `ctx` fixture.
    """
    from innovatieregister.extensions import db

    with app.app_context():
        db.engine.dispose()
        if postgres_url():
            tables = [t.name for t in db.metadata.sorted_tables]
            with db.engine.begin() as conn:
                # The audit trail refuses TRUNCATE (migration 0008); the suite, as the owner of a
                # disposable database, lifts that inside its own transaction only.
                conn.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_truncate")
                conn.exec_driver_sql(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
                conn.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_truncate")
        else:
            _restore(_db_files, "migrated")
    shutil.rmtree(_db_files["checkpoints"], ignore_errors=True)  # checkpoints belong to the old database
    yield db
    with app.app_context():
        db.engine.dispose()


def _load_cached(app, files, name: str, loader) -> None:
    """Load a data set, reusing a snapshot of it on SQLite (a file copy is much faster)."""
    from innovatieregister.extensions import db

    with app.app_context():
        if not postgres_url() and _restore(files, name):
            db.engine.dispose()
            return
        loader()
        db.session.remove()
        if not postgres_url():
            db.engine.dispose()
            _snapshot(files, name)


@pytest.fixture
def refdata(app, database, _db_files):
    from innovatieregister.services.audit import Actor
    from innovatieregister.services.refdata import load_reference_data

    _load_cached(app, _db_files, "refdata", lambda: load_reference_data(Actor.command("test")))
    return database


@pytest.fixture
def demo(app, database, _db_files):
    """The demo without the settled observation-bed pilot (issue 11): the tests count the demo's
    decisions, requests, notifications and initiatives as they were. `settled_demo` has it all."""
    from innovatieregister.services.demo import load_demo

    _load_cached(app, _db_files, "demo", lambda: load_demo(settled_pilot=False))
    return database


@pytest.fixture
def settled_demo(app, database, _db_files):
    """The demo as `make run` loads it: with the pilot whose last year is settled (issue 11)."""
    from innovatieregister.services.demo import load_demo

    _load_cached(app, _db_files, "settled_demo", load_demo)
    return database


@pytest.fixture
def ctx(app, database, request):
    """An app context for service-level tests that make no requests."""
    for data_set in ("refdata", "demo"):  # loaded before the context, whatever the order
        if data_set in request.fixturenames:
            request.getfixturevalue(data_set)
    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def client(app, database):
    return app.test_client()


@pytest.fixture
def live_server(app, demo):
    """The app behind a real threaded HTTP server on a free loopback port, with the demo loaded."""
    yield from _serve(app)


@pytest.fixture
def settled_live_server(app, settled_demo):
    """The same, with the demo as `make run` loads it (the settled pilot too)."""
    yield from _serve(app)


def _serve(app):
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = DEMO_PASSWORD, follow: bool = False):
        self._client.post("/uitloggen")  # switching users: whoever was logged in leaves first
        return self._client.post("/inloggen", data={"email": email, "password": password},
                                 follow_redirects=follow)

    def logout(self):
        return self._client.post("/uitloggen")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def count_rows(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def statements_sent(app, db, queries_only: bool = False) -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs (counted, never timed). `queries_only`:
    without transaction control, which SQLite's driver sends through the cursor and
    PostgreSQL's does not, so a count is the same on both."""
    sent: list[str] = []

    def record(conn, cursor, statement, *args):
        if not queries_only or statement.split(None, 1)[0].upper() not in TRANSACTION_CONTROL:
            sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def english(app):
    """The catalogue's English for a Dutch text (in an app context of its own: never the requests')."""
    from flask_babel import force_locale, gettext

    def said(text: str, **values) -> str:
        with app.app_context(), force_locale("en"):
            return gettext(text, **values)
    return said
