"""API tokens: shown once at creation, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from innovatieregister import limits
from innovatieregister.extensions import db
from innovatieregister.models import ApiToken, User
from innovatieregister.models.api_token import TokenState
from innovatieregister.services import Invalid, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record

PREFIX = "ir_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(user: User, name: str, now: datetime, actor: Actor | None = None) -> tuple[ApiToken, str]:
    """A new token for this user, valid API_TOKEN_DAYS; the raw value is returned once and never stored."""
    errors: dict[str, list[str]] = {}
    name = limits.checked_text(name, limits.TOKEN_NAME, "name", errors, _("De naam van het token"),
                               required=_("Geef het token een naam."))
    if errors:
        raise Invalid(_("Het token is niet aangemaakt."), errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    expires_at = now + timedelta(days=current_app.config["API_TOKEN_DAYS"])
    with write_transaction():
        token = ApiToken(user_id=user.id, name=name, token_hash=_digest(raw), prefix=raw[:10],
                         created_at=now, expires_at=expires_at)
        db.session.add(token)
        db.session.flush()
        record(actor or Actor(user=user), "api_token.create", token,
               after={"name": name, "prefix": token.prefix, "expires_at": expires_at.isoformat()})
    return token, raw


def revoke_token(user: User, token_id: int, now: datetime) -> ApiToken:
    with write_transaction():
        token = db.session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id or token.revoked_at is not None:
            raise NotFound(_("Dit token bestaat niet."))
        token.revoked_at = now
        db.session.flush()
        record(Actor(user=user), "api_token.revoke", token, after={"prefix": token.prefix})
        return token


def user_for_token(raw: str, now: datetime) -> User | None:
    """The active user a live (not revoked, not expired) token belongs to, or None."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    if token is None or token.state(now) != TokenState.LIVE or not token.user.active:
        return None
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())))
