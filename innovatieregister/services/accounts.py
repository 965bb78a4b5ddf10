"""Users: creating, disabling and re-enabling them, passwords, logging in with per-account
throttling, logging out.

Every change that must end a user's access (a new or reset password, disabling, re-enabling)
bumps the session version, so every session cookie issued before is refused, and revokes every
API token.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from innovatieregister import limits
from innovatieregister.domain.text import N_
from innovatieregister.extensions import db
from innovatieregister.i18n import LANGUAGES
from innovatieregister.models import ApiToken, Organisation, Role, User
from innovatieregister.models.organisation import ORGANISATION_KIND_LABELS, ROLE_LABELS, ROLE_ORGANISATION_KINDS
from innovatieregister.services import Conflict, Invalid, NotFound, ServiceError, write_transaction
from innovatieregister.services.audit import Actor, record

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200  # the log-in form accepts no longer
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# One message for every refused log-in (unknown address, wrong password, locked or disabled
# account): which of these it was would tell an outsider which accounts exist.
LOGIN_REFUSED = N_("E-mailadres of wachtwoord onjuist, of het account is tijdelijk geblokkeerd na te veel "
                   "mislukte pogingen. Probeer het later opnieuw of neem contact op met de beheerder.")


class LoginRefused(ServiceError):
    status = 401


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash made exactly as real ones are (same method and cost), to check against when there
    is no account: a log-in for an unknown address then takes as long as a wrong password."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def password_problems(password: str, email: str) -> list[str]:
    """What is wrong with a new password, in the reader's language, for the field; empty when it is fine."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("Het wachtwoord moet minstens %(n)s tekens hebben.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(_("Het wachtwoord mag hoogstens %(n)s tekens hebben.", n=MAX_PASSWORD_LENGTH))
    if password and not password.strip():
        problems.append(_("Het wachtwoord mag niet alleen uit spaties bestaan."))
    if password.strip().lower() == (email or "").strip().lower():
        problems.append(_("Het wachtwoord mag niet gelijk zijn aan het e-mailadres."))
    return problems


def generate_password() -> str:
    """A password for an administrator to hand over once; the user must replace it."""
    return secrets.token_urlsafe(15)  # 20 characters, about 120 bits


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
        raise NotFound(_("Organisatie '%(name)s' bestaat niet.", name=name_or_code))
    return org


def validate_new_user(email: str, role: str, organisation: Organisation, password: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not _EMAIL.match(email):
        errors.setdefault("email", []).append(_("Geen geldig e-mailadres."))
    try:
        role = Role(role)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        errors.setdefault("role", []).append(_("Onbekende rol '%(role)s'; kies uit %(valid)s.", role=role, valid=valid))
    else:
        kinds = ROLE_ORGANISATION_KINDS.get(role)
        if kinds is not None and organisation.kind not in kinds:
            errors.setdefault("organisation", []).append(
                _("Een %(role)s hoort bij een organisatie van het soort %(kinds)s, niet bij %(organisation)s "
                  "(%(kind)s).", role=ROLE_LABELS[role].lower(),
                  kinds=_(" of ").join(ORGANISATION_KIND_LABELS[k].lower() for k in kinds),
                  organisation=organisation.name, kind=organisation.kind_label.lower())
            )
    if problems := password_problems(password, email):
        errors["password"] = problems
    return errors


def create_user(
    email: str, name: str, organisation_ref: str, role: str, password: str, actor: Actor,
    must_change_password: bool = False,
) -> User:
    """A new user. `must_change_password` when an administrator chose the password in the UI."""
    email = email.strip().lower()
    with write_transaction():
        organisation = find_organisation(organisation_ref)
        errors = validate_new_user(email, role, organisation, password)
        limits.checked_text(email, limits.EMAIL, "email", errors, _("Het e-mailadres"))
        name = limits.checked_text(name, limits.NAME, "name", errors, _("De naam"))
        if errors:
            raise Invalid(_("De gebruiker is niet aangemaakt."), errors)
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
            taken = _("Er bestaat al een gebruiker met e-mailadres %(email)s.", email=email)
            raise Conflict(taken, {"email": [taken]})
        user = User(
            email=email,
            name=name or email,
            organisation=organisation,
            role=Role(role),
            password_hash=hash_password(password),
            must_change_password=must_change_password,
        )
        db.session.add(user)
        db.session.flush()
        record(actor, "user.create", user, after={"email": email, "role": role,
                                                   "organisation": organisation.code,
                                                   "must_change_password": must_change_password})
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


def _count_failure(user: User, now: datetime, actor: Actor, failed_action: str, end_sessions: bool = False) -> None:
    """One more wrong password for this account; LOGIN_MAX_FAILURES in a row lock it for a while.
    `end_sessions`: the guesses came from inside a session (the password page), so the lock ends it."""
    config = current_app.config
    user.failed_logins += 1
    if user.failed_logins < config["LOGIN_MAX_FAILURES"]:
        record(actor, failed_action, user, after={"failed_logins": user.failed_logins})
        return
    user.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    user.failed_logins = 0
    after: dict = {"locked_until": user.locked_until.isoformat()}
    if end_sessions:
        before = user.session_version
        user.session_version = before + 1
        after["session_version"] = [before, before + 1]
    record(actor, "user.locked", user, after=after)


def authenticate(email: str, password: str, now: datetime) -> User:
    """The user with these credentials, or LoginRefused.

    Failures are counted per account in the database (so every web worker sees the same
    count) and lock the account for a while after LOGIN_MAX_FAILURES in a row. Every refusal
    gives the same message after the same work (one check against a hash of the configured
    method and cost), so neither the text nor the time tells whether an account exists.
    """
    config = current_app.config
    email = (email or "").strip().lower()
    password = password or ""
    with write_transaction():
        # Row lock on PostgreSQL: concurrent failures must all be counted.
        user = db.session.scalar(sa.select(User).where(User.email == email).with_for_update(of=User))
        if user is None:
            check_password_hash(_dummy_hash(config["PASSWORD_HASH_METHOD"]), password)
            raise LoginRefused(_(LOGIN_REFUSED))
        # Always check, also for a locked or disabled account: same work, same time.
        password_ok = check_password_hash(user.password_hash, password)
        locked = user.locked_until is not None and user.locked_until > now
        if locked:
            refused = LoginRefused(_(LOGIN_REFUSED))
        elif not user.active or not password_ok:
            _count_failure(user, now, Actor(label=f"login: {email}"), "user.login_failed")
            # Commit the count even though the log-in fails.
            db.session.flush()
            refused = LoginRefused(_(LOGIN_REFUSED))
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
        user = db.session.get_one(User, user.id)
        before = user.session_version
        user.session_version = before + 1
        record(Actor(user=user), "user.logout", user,
               before={"session_version": before}, after={"session_version": before + 1})


def list_users() -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.organisation_id, User.email)))


def users_page(page: int = 1, per_page: int = 50):
    """One page of users, by organisation and e-mail address."""
    from innovatieregister.paging import paginate

    return paginate(sa.select(User).join(Organisation, Organisation.id == User.organisation_id)
                    .order_by(Organisation.name, User.email), page, per_page)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("Deze gebruiker bestaat niet."))
    return user


def organisation_choices() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def _end_access(user: User, now: datetime) -> dict:
    """Refuse every session cookie and every API token this user has now; what it ended, for the audit."""
    before = user.session_version
    user.session_version = before + 1
    live = list(db.session.scalars(sa.select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    for token in live:
        token.revoked_at = now
    return {"session_version": [before, user.session_version],
            "tokens_revoked": sorted(t.prefix for t in live)}


def change_password(user: User, current: str, new: str, repeat: str, now: datetime) -> User:
    """The user's own change: the current password is required. Ends every other session and
    every API token; the caller starts a fresh session for the one making the change.

    A wrong current password counts as a failed log-in: whoever holds a stolen session cannot
    guess the password here faster than at the log-in, and the lock-out ends that session too."""
    with write_transaction():
        user = db.session.get_one(User, user.id)
        if not check_password_hash(user.password_hash, current or ""):
            _count_failure(user, now, Actor(user=user), "user.password_change_failed", end_sessions=True)
            refused = Invalid(_("Het wachtwoord is niet gewijzigd."),
                              {"current_password": [_("Het huidige wachtwoord is onjuist.")]})
        else:
            errors: dict[str, list[str]] = {}
            if problems := password_problems(new or "", user.email):
                errors["new_password"] = problems
            elif new == current:
                errors["new_password"] = [_("Kies een ander wachtwoord dan het huidige.")]
            if (new or "") != (repeat or ""):
                errors["repeat_password"] = [_("De twee nieuwe wachtwoorden zijn niet gelijk.")]
            if errors:
                raise Invalid(_("Het wachtwoord is niet gewijzigd."), errors)
            refused = None
            user.password_hash = hash_password(new)
            user.password_changed_at = now
            user.must_change_password = False
            user.failed_logins = 0
            ended = _end_access(user, now)
            record(Actor(user=user), "user.password_change", user, after=ended)
    if refused:
        raise refused  # after the commit: the failure is counted
    return user


def reset_password(admin: User, user_id: int, new: str | None, now: datetime) -> tuple[User, str]:
    """An administrator sets a new password (or has one generated, when `new` is empty).

    The user must change it at the next log-in; every session and token ends; a lock is
    lifted. Returns the password to hand over (shown once, never stored)."""
    password = new or generate_password()
    with write_transaction():
        user = get_user(user_id)
        if user.id == admin.id:
            raise Conflict(_("Uw eigen wachtwoord wijzigt u op uw profielpagina."))
        if problems := password_problems(password, user.email):
            raise Invalid(_("Het wachtwoord is niet gewijzigd."), {"password": problems})
        user.password_hash = hash_password(password)
        user.password_changed_at = now
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        ended = _end_access(user, now)
        record(Actor(user=admin), "user.password_reset", user,
               after={**ended, "generated": not new, "must_change_password": True})
    return user, password


def disable_user(admin: User, user_id: int, now: datetime) -> User:
    """The user can no longer log in; every session and API token ends at once."""
    with write_transaction():
        user = get_user(user_id)
        if user.id == admin.id:
            raise Conflict(_("U kunt uw eigen account niet blokkeren."))
        if not user.active:
            return user  # already disabled: nothing changes, nothing to audit
        user.active = False
        user.disabled_at = now
        ended = _end_access(user, now)
        record(Actor(user=admin), "user.disable", user, before={"active": True},
               after={"active": False, **ended})
    return user


def enable_user(admin: User, user_id: int, now: datetime) -> User:
    """The user may log in again, with a new log-in: no session or token from before comes back."""
    with write_transaction():
        user = get_user(user_id)
        if user.active:
            return user
        user.active = True
        user.disabled_at = None
        user.failed_logins = 0
        user.locked_until = None
        ended = _end_access(user, now)
        record(Actor(user=admin), "user.enable", user, before={"active": False},
               after={"active": True, **ended})
    return user


def set_language(user: User, language: str) -> None:
    """The language this user reads the register and its e-mail in (innovatieregister.i18n)."""
    if language not in LANGUAGES:
        raise Invalid(_("De taal is niet gewijzigd."), {"language": [_("Kies Nederlands of English.")]})
    with write_transaction():
        user = db.session.get_one(User, user.id)
        if user.language == language:
            return
        before = user.language
        user.language = language
        db.session.flush()
        record(Actor(user=user), "user.language", user, before={"language": before},
               after={"language": language})
