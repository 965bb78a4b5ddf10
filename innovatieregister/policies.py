"""Who may do what: one module of policy functions, called by views and the API alike.

Deny by default: a route without a declared policy is refused (see security.py), and
the acting organisation is always the logged-in user's own, never one from the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from innovatieregister.models import OrganisationKind, Role, User

F = TypeVar("F", bound=Callable)
Policy = Callable[[User], bool]

PUBLIC = "public"


def public(view: F) -> F:
    """Reachable without logging in (log-in page, health check)."""
    view.policy = PUBLIC  # type: ignore[attr-defined]
    return view


def allow(policy: Policy) -> Callable[[F], F]:
    """Reachable by a logged-in user for whom `policy(user)` is true."""

    def decorate(view: F) -> F:
        view.policy = policy  # type: ignore[attr-defined]
        return view

    return decorate


def any_user(user: User) -> bool:
    return user.is_authenticated and user.active


def is_admin(user: User) -> bool:
    return any_user(user) and user.role == Role.ADMIN


def is_insurer_staff(user: User) -> bool:
    return (any_user(user) and user.role == Role.INSURER_STAFF
            and user.organisation.kind == OrganisationKind.INSURER)


def is_provider_staff(user: User) -> bool:
    return (any_user(user) and user.role == Role.PROVIDER_STAFF
            and user.organisation.kind == OrganisationKind.PROVIDER)


def is_mediator(user: User) -> bool:
    return (any_user(user) and user.role == Role.MEDIATOR
            and user.organisation.kind == OrganisationKind.MEDIATOR)
