"""Migration 0009_accounts: tokens made before expiry existed get one, counted from their creation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from innovatieregister.models.base import UTCDateTime


def test_existing_tokens_expire_ninety_days_after_their_creation(empty_database_url):
    from config import TestConfig
    from innovatieregister import create_app
    from innovatieregister.extensions import db

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    created = datetime(2026, 1, 31, 22, 15, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0008_audit_keyed")  # the revision before 0009_accounts
        organisations = sa.table("organisations", sa.column("id"), sa.column("kind"), sa.column("name"),
                                 sa.column("code"), sa.column("created_at", UTCDateTime()))
        users = sa.table("users", sa.column("id"), sa.column("email"), sa.column("name"),
                         sa.column("password_hash"), sa.column("organisation_id"), sa.column("role"),
                         sa.column("active"), sa.column("session_version"), sa.column("failed_logins"),
                         sa.column("created_at", UTCDateTime()))
        tokens = sa.table("api_tokens", sa.column("id"), sa.column("user_id"), sa.column("name"),
                          sa.column("token_hash"), sa.column("prefix"), sa.column("created_at", UTCDateTime()))
        with db.engine.begin() as conn:
            conn.execute(organisations.insert().values(id=1, kind="insurer", name="X", code="X", created_at=created))
            conn.execute(users.insert().values(id=1, email="a@x.nl", name="A", password_hash="h", organisation_id=1,
                                               role="insurer_staff", active=True, session_version=1,
                                               failed_logins=0, created_at=created))
            conn.execute(tokens.insert().values(id=1, user_id=1, name="oud", token_hash="0" * 64, prefix="ir_oud",
                                                created_at=created))
        upgrade()
        with db.engine.connect() as conn:
            expires_at = conn.execute(sa.select(sa.column("expires_at", UTCDateTime()))
                                      .select_from(sa.table("api_tokens"))).scalar_one()
            must_change = conn.execute(sa.text("SELECT must_change_password FROM users")).scalar_one()
        assert expires_at == created + timedelta(days=90)
        assert not must_change
        db.engine.dispose()
