"""Users: creating them, logging in with per-account throttling, logging out."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from innovatieregister.extensions import db
from innovatieregister.models import Organisation, Role, User
from innovatieregister.models.organisation import ROLE_LABELS, ROLE_ORGANISATION_KIND
from innovatieregister.services import Conflict, Invalid, NotFound, ServiceError, write_transaction
from innovatieregister.services.audit import Actor, record

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class LoginRefused(ServiceError):
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_organisation(name_or_code: str) -> Organisation:
    org = db.session.scalar(
        sa.select(Organisation).where(
            sa.or_(
                sa.func.lower(Organisation.code) == name_or_code.strip().lower(),
                sa.func.lower(Organisation.name) == name_or_code.strip().lower(),
            )
        )
    )
    if org is None:
        raise NotFound(f"Organisatie '{name_or_code}' bestaat niet.")
    return org


def validate_new_user(email: str, role: str, organisation: Organisation, password: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not _EMAIL.match(email):
        errors.setdefault("email", []).append("Geen geldig e-mailadres.")
    try:
        role = Role(role)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        errors.setdefault("role", []).append(f"Onbekende rol '{role}'; kies uit {valid}.")
    else:
        kind = ROLE_ORGANISATION_KIND.get(role)
        if kind is not None and organisation.kind != kind:
            errors.setdefault("organisation", []).append(
                f"Een {ROLE_LABELS[role].lower()} hoort bij een organisatie van het soort "
                f"'{kind.value}', niet bij {organisation.name} ({organisation.kind.value})."
            )
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.setdefault("password", []).append(
            f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens hebben."
        )
    return errors


def create_user(
    email: str, name: str, organisation_ref: str, role: str, password: str, actor: Actor
) -> User:
    email = email.strip().lower()
    with write_transaction():
        organisation = find_organisation(organisation_ref)
        errors = validate_new_user(email, role, organisation, password)
        if errors:
            raise Invalid("De gebruiker is niet aangemaakt.", errors)
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            raise Conflict(f"Er bestaat al een gebruiker met e-mailadres {email}.")
        user = User(
            email=email,
            name=name or email,
            organisation=organisation,
            role=Role(role),
            password_hash=hash_password(password),
        )
        db.session.add(user)
        db.session.flush()
        record(actor, "user.create", user, after={"email": email, "role": role,
                                                   "organisation": organisation.code})
    return user


def load_user(session_user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session version, so old cookies fail."""
    try:
        user_id, version = (int(part) for part in session_user_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def authenticate(email: str, password: str, now: datetime) -> User:
    """The user with these credentials, or LoginRefused.

    Failures are counted per account in the database (so every web worker sees the same
    count) and lock the account for a while after LOGIN_MAX_FAILURES in a row.
    """
    config = current_app.config
    email = (email or "").strip().lower()
    with write_transaction():
        # Row lock on PostgreSQL: concurrent failures must all be counted.
        user = db.session.scalar(sa.select(User).where(User.email == email).with_for_update(of=User))
        if user is None:
            check_password_hash(_DUMMY_HASH, password or "")  # same work as a real check
            raise LoginRefused("E-mailadres of wachtwoord onjuist.")
        if user.locked_until is not None and user.locked_until > now:
            local = user.locked_until.astimezone(AMSTERDAM).strftime("%H:%M")
            raise LoginRefused(
                f"Te veel mislukte pogingen. Dit account is geblokkeerd tot {local} uur."
            )
        if not user.active or not check_password_hash(user.password_hash, password or ""):
            failures = user.failed_logins + 1
            user.failed_logins = failures
            if failures >= config["LOGIN_MAX_FAILURES"]:
                user.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
                user.failed_logins = 0
                record(Actor(label=f"login: {email}"), "user.locked", user,
                       after={"locked_until": user.locked_until.isoformat()})
            else:
                record(Actor(label=f"login: {email}"), "user.login_failed", user,
                       after={"failed_logins": failures})
            # Commit the count even though the log-in fails.
            db.session.flush()
            refused = LoginRefused("E-mailadres of wachtwoord onjuist.")
        else:
            refused = None
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            record(Actor(user=user), "user.login", user)
    if refused:
        raise refused
    return user


def log_out(user: User) -> None:
    """Invalidate every session of this user on the server side."""
    with write_transaction():
        user = db.session.get(User, user.id)
        before = user.session_version
        user.session_version = before + 1
        record(Actor(user=user), "user.logout", user,
               before={"session_version": before}, after={"session_version": before + 1})


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.organisation_id, User.email)))


_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")
