"""Accounts through the API (issue 14): an administrator's users (as the admin pages: list, create,
block, unblock, reset a password) and everyone's own API tokens (as the profile page: list, create,
revoke). A generated password and a token's secret are in the one answer that makes them, never again."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp
from innovatieregister.api.schema import (
    Choice,
    In,
    Out,
    PageQuery,
    Text,
    body,
    list_of,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.models import ApiToken
from innovatieregister.models.api_token import TokenState
from innovatieregister.models.organisation import Role
from innovatieregister.policies import allow, any_user, is_admin
from innovatieregister.services import accounts, tokens
from innovatieregister.services.audit import Actor


class UserOut(Out):
    id: int
    email: str
    name: str
    organisation: str
    organisation_name: str
    role: Choice(Role)
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    last_login_at: datetime | None


class UserIn(In):
    email: Text(limits.EMAIL)
    name: Text(limits.NAME) = ""
    organisation: Text(limits.NAME, description="the organisation's code or name")
    role: Text(limits.CODE, description=", ".join(r.value for r in Role))
    password: Text(accounts.MAX_PASSWORD_LENGTH) | None = Field(
        None, description="the first password; left out, the register chooses one and answers it once")


class PasswordIn(In):
    password: Text(accounts.MAX_PASSWORD_LENGTH) | None = Field(
        None, description="left out, the register chooses one and answers it once")


class UserWithPassword(Out):
    user: UserOut
    password: str | None = Field(description="the generated password, this once; null when you chose it")


class Token(Out):
    id: int
    name: str
    prefix: str = Field(description="the first characters, to tell tokens apart")
    state: Choice(TokenState)
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class TokenIn(In):
    name: Text(limits.TOKEN_NAME)


class NewToken(Out):
    token: Token
    secret: str = Field(description="the token itself: shown this once, stored only as a hash")


def _user(u) -> dict:
    return {"id": u.id, "email": u.email, "name": u.name, "organisation": u.organisation.code,
            "organisation_name": u.organisation.name, "role": u.role.value, "active": u.active,
            "must_change_password": u.must_change_password, "locked_until": u.locked_until,
            "last_login_at": u.last_login_at}


def _token(t: ApiToken) -> dict:
    return {"id": t.id, "name": t.name, "prefix": t.prefix, "state": t.state(clock.now()).value,
            "created_at": t.created_at, "expires_at": t.expires_at, "revoked_at": t.revoked_at}


@bp.route("/users")
@allow(is_admin)
@operation(query=PageQuery, resp=responses(page_of(UserOut)))
def users():
    """Gebruikers per organisatie en e-mailadres (beheerder)"""
    args: PageQuery = query()
    return listing(page := accounts.users_page(args.page, args.per_page), [_user(u) for u in page.items])


@bp.route("/users", methods=["POST"])
@allow(is_admin)
@operation(json=UserIn, resp=responses(UserWithPassword, 201))
def create_user():
    """Maak een gebruiker aan (beheerder); die kiest bij het eerste inloggen een eigen wachtwoord"""
    data: UserIn = body()
    password = data.password or accounts.generate_password()
    user = accounts.create_user(data.email, data.name.strip(), data.organisation, data.role, password,
                                Actor(user=current_user), must_change_password=True)
    return {"user": _user(user), "password": None if data.password else password}, 201, \
        {"Location": f"/api/v1/users/{user.id}"}


@bp.route("/users/<int:user_id>")
@allow(is_admin)
@operation(resp=responses(UserOut))
def user(user_id: int):
    """Eén gebruiker (beheerder)"""
    return _user(accounts.get_user(user_id))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@allow(is_admin)
@operation(resp=responses(UserOut))
def disable_user(user_id: int):
    """Blokkeer een gebruiker (beheerder): alle sessies en API-tokens eindigen meteen"""
    return _user(accounts.disable_user(current_user, user_id, clock.now()))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@allow(is_admin)
@operation(resp=responses(UserOut))
def enable_user(user_id: int):
    """Deblokkeer een gebruiker (beheerder); die logt opnieuw in"""
    return _user(accounts.enable_user(current_user, user_id, clock.now()))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@allow(is_admin)
@operation(json=PasswordIn, resp=responses(UserWithPassword))
def reset_password(user_id: int):
    """Stel een nieuw wachtwoord in (beheerder): sessies en tokens eindigen, de gebruiker kiest een eigen"""
    chosen = body().password
    user, password = accounts.reset_password(current_user, user_id, chosen or "", clock.now())
    return {"user": _user(user), "password": None if chosen else password}


@bp.route("/users/<int:user_id>/tokens")
@allow(is_admin)
@operation(resp=responses(list_of(Token)))
def user_tokens(user_id: int):
    """De API-tokens van een gebruiker (beheerder; nooit het token zelf)"""
    return {"items": [_token(t) for t in tokens.tokens_of(accounts.get_user(user_id))]}


@bp.route("/tokens")
@allow(any_user)
@operation(resp=responses(list_of(Token)))
def list_tokens():
    """Mijn API-tokens, het nieuwste eerst (nooit het token zelf)"""
    return {"items": [_token(t) for t in tokens.tokens_of(current_user)]}


@bp.route("/tokens", methods=["POST"])
@allow(any_user)
@operation(json=TokenIn, resp=responses(NewToken, 201))
def create_token():
    """Maak een API-token voor mezelf; het token staat alleen in dit antwoord"""
    token, raw = tokens.create_token(current_user, body().name, clock.now())
    return {"token": _token(token), "secret": raw}, 201


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Token))
def revoke_token(token_id: int):
    """Trek een eigen API-token in"""
    return _token(tokens.revoke_token(current_user, token_id, clock.now()))
