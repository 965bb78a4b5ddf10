"""Fixtures for tests that need databases of their own."""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa

from tests.conftest import postgres_url


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new, empty database of the same kind the suite runs on."""
    if not postgres_url():
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"drift_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_psycopg(postgres_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(_psycopg(postgres_url())).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _psycopg(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)



def _psycopg(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
