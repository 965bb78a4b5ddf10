"""Production refuses to start with development secrets; development and the tests may."""

from __future__ import annotations

import pytest

from config import DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_SECRET_KEY, SECRET_KEY_MIN_LENGTH, Config, TestConfig
from innovatieregister import create_app
from innovatieregister.startup_checks import UnsafeConfiguration


def _config(base, **settings):
    return type("Config", (base,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})


@pytest.mark.parametrize("secret_key", ["", DEVELOPMENT_SECRET_KEY, "abc", "x" * (SECRET_KEY_MIN_LENGTH - 1)])
def test_production_refuses_to_start_without_its_own_long_secret_key(secret_key):
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY") as refused:
        create_app(_config(Config, ENVIRONMENT="production", **{**_production_secrets(), "SECRET_KEY": secret_key}))
    assert "AUDIT_KEY" not in str(refused.value)


def test_a_debug_flag_does_not_relax_production():
    """FLASK_DEBUG=1 left on a server must not bring the public development keys back."""
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app(_config(Config, ENVIRONMENT="production", DEBUG=True, SECRET_KEY=DEVELOPMENT_SECRET_KEY))


@pytest.mark.parametrize("audit_key", ["", DEVELOPMENT_AUDIT_KEY, "too-short-0123456789"])
def test_production_refuses_to_start_without_its_own_audit_key(audit_key):
    """Without a secret audit key anyone with database access can recompute the audit trail."""
    with pytest.raises(UnsafeConfiguration, match="AUDIT_KEY") as refused:
        create_app(_config(Config, ENVIRONMENT="production", **{**_production_secrets(), "AUDIT_KEY": audit_key}))
    assert "SECRET_KEY" not in str(refused.value)


def test_an_unknown_environment_is_production():
    with pytest.raises(UnsafeConfiguration):
        create_app(_config(Config, ENVIRONMENT="staging", SECRET_KEY=DEVELOPMENT_SECRET_KEY))


def test_production_starts_with_its_own_secrets():
    app = create_app(_config(Config, ENVIRONMENT="production", **_production_secrets()))
    assert app.config["SECRET_KEY"] != DEVELOPMENT_SECRET_KEY


def test_development_and_the_tests_start_without_secrets():
    assert create_app(_config(Config, ENVIRONMENT="development", SECRET_KEY=DEVELOPMENT_SECRET_KEY))
    assert create_app(_config(TestConfig))


def _production_secrets() -> dict[str, str]:
    """Every secret production must set; a check added to startup_checks adds its setting here."""
    return {"SECRET_KEY": "a-long-random-production-secret-0123456789",
            "AUDIT_KEY": "a-long-random-production-audit-key-0123456789"}
