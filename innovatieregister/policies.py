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


# Object-level policies. Every one takes the acting user; the organisation is theirs.

def _staff_of(user: User, organisation_id: int, role: Role) -> bool:
    return any_user(user) and user.role == role and user.organisation_id == organisation_id


def is_lead_staff(user: User, initiative) -> bool:
    return is_insurer_staff(user) and user.organisation_id == initiative.lead_insurer_id


def is_involved_provider(user: User, initiative) -> bool:
    return is_provider_staff(user) and any(
        p.provider_id == user.organisation_id for p in initiative.providers
    )


def can_view_initiative(user: User, initiative, requested_insurer_ids) -> bool:
    """The parties see an initiative; a draft only its lead and its providers."""
    if is_admin(user) or is_lead_staff(user, initiative) or is_involved_provider(user, initiative):
        return True
    if initiative.status == "concept":
        return False
    if is_mediator(user):
        return True
    return is_insurer_staff(user) and user.organisation_id in set(requested_insurer_ids)


def can_edit_initiative(user: User, initiative) -> bool:
    return is_lead_staff(user, initiative) and initiative.status == "concept"


def can_decide(user: User, follow_request) -> bool:
    """Only staff of the insurer a request is addressed to decide on it."""
    return _staff_of(user, follow_request.insurer_id, Role.INSURER_STAFF)


def sees_every_decision(user: User, initiative, own_request, today) -> bool:
    """Decisions stay independent: a following insurer sees the others' only once its
    own organisation has decided or its deadline has passed. The lead, the providers
    involved, mediators and admins always see them all."""
    if (is_admin(user) or is_mediator(user) or is_lead_staff(user, initiative)
            or is_involved_provider(user, initiative)):
        return True
    if own_request is None:
        return False
    return own_request.state != "open" or own_request.deadline < today
