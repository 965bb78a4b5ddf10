"""Configuration from environment variables.

Every setting has a development default, so `make run` needs nothing set. The app runs as
production unless INNOVATIEREGISTER_ENV says `development` (the Makefile does): production
refuses to start with a development secret (see `innovatieregister.startup_checks`) and sets
at least SECRET_KEY, AUDIT_KEY and DATABASE_URL (see README).
"""

from __future__ import annotations

import os
from datetime import timedelta

from innovatieregister import limits


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside development and tests
DEVELOPMENT_AUDIT_KEY = "dev-only-audit-key-not-secret"  # noqa: S105 - refused outside development and tests
AUDIT_KEY_MIN_LENGTH = 32
SECRET_KEY_MIN_LENGTH = 32


class Config:
    # Deny by default: anything but "development" (or the test config) is production.
    ENVIRONMENT = os.environ.get("INNOVATIEREGISTER_ENV", "production").strip().lower()
    # Unset DATABASE_URL means an SQLite file in the instance folder (see create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY

    # The audit trail's HMAC key: from the environment only, never stored in the database, so
    # someone who can write the database cannot recompute the chain (domain.audit_chain).
    AUDIT_KEY = os.environ.get("AUDIT_KEY") or DEVELOPMENT_AUDIT_KEY
    # After a rotation: the older keys, newest first, comma-separated; they only verify.
    AUDIT_PREVIOUS_KEYS = [k.strip() for k in os.environ.get("AUDIT_PREVIOUS_KEYS", "").split(",") if k.strip()]
    # Where `flask audit checkpoint` writes; empty means instance/audit-checkpoints.
    AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", "")

    # Sessions: idle and absolute timeouts, hardened cookies.
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = _int("SESSION_ABSOLUTE_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Log-in throttling, per account, kept in the database (see services.accounts).
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCK_MINUTES = _int("LOGIN_LOCK_MINUTES", 15)
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    API_TOKEN_DAYS = _int("API_TOKEN_DAYS", 90)  # an API token stops working this many days after creation

    # Design choices, not facts from policy: the policy sources name no deadline in days.
    DECISION_DEADLINE_WORKING_DAYS = _int("DECISION_DEADLINE_WORKING_DAYS", 20)
    REMINDER_WORKING_DAYS_BEFORE = _int("REMINDER_WORKING_DAYS_BEFORE", 5)

    # Mail (the outbox sender uses these; in development messages go to a folder).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "innovatieregister@localhost")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_FOLDER = os.environ.get("MAIL_FOLDER", "")  # development: where mail goes without a server
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")  # for links in e-mail

    # The scheduler process (flask scheduler run).
    SCHEDULER_INTERVAL_SECONDS = _int("SCHEDULER_INTERVAL_SECONDS", 60)
    SCHEDULER_LEASE_SECONDS = _int("SCHEDULER_LEASE_SECONDS", 180)
    TERM_END_WARNING_WORKING_DAYS = _int("TERM_END_WARNING_WORKING_DAYS", 40)

    # The life cycle after activation (issue 10; source 003: a start-up year, then a three-year
    # term, a baseline measurement shortly after the start). Design choices, not policy facts.
    START_UP_MONTHS = _int("START_UP_MONTHS", 12)
    TERM_YEARS = _int("TERM_YEARS", 3)
    BASELINE_MONTHS = _int("BASELINE_MONTHS", 3)
    EVALUATION_REMINDER_WORKING_DAYS = _int("EVALUATION_REMINDER_WORKING_DAYS", 20)
    MEDIATION_FOLLOW_UP_WORKING_DAYS = _int("MEDIATION_FOLLOW_UP_WORKING_DAYS", 10)
    STATEMENT_DEADLINE_WORKING_DAYS = _int("STATEMENT_DEADLINE_WORKING_DAYS", 10)
    # Settlement (issue 11): how long the funders and co-funders may contest a proposed settlement.
    SETTLEMENT_CONTEST_WORKING_DAYS = _int("SETTLEMENT_CONTEST_WORKING_DAYS", 10)

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which has its own timeouts
    # The largest request: one document of limits.DOCUMENT_BYTES_MAX plus the form around it. A file
    # just over the limit reaches the service (a message at the field); far over it, a 413 page.
    MAX_CONTENT_LENGTH = limits.DOCUMENT_BYTES_MAX + 64 * 1024


class TestConfig(Config):
    ENVIRONMENT = "test"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or None
    WTF_CSRF_ENABLED = False  # one test module turns it back on and proves every form needs it
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast in tests; production keeps scrypt
