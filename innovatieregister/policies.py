"""Who may do what: one module of policy functions, called by views and the API alike.
Who may see what is innovatieregister/visibility.py.

Deny by default: a route without a declared policy is refused (see security.py), and
the acting organisation is always the logged-in user's own, never one from the request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from innovatieregister.domain.workflow import InitiativeState
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


def is_co_funder_staff(user: User) -> bool:
    """Staff of a municipality or a care office (zorgkantoor): they act on co-funding pledges of
    their own organisation."""
    return (any_user(user) and user.role == Role.CO_FUNDER_STAFF
            and user.organisation.kind in (OrganisationKind.MUNICIPALITY, OrganisationKind.CARE_OFFICE))


# Object-level policies. Every one takes the acting user; the organisation is theirs.

def _staff_of(user: User, organisation_id: int, role: Role) -> bool:
    return any_user(user) and user.role == role and user.organisation_id == organisation_id


def is_lead_staff(user: User, initiative) -> bool:
    return is_insurer_staff(user) and user.organisation_id == initiative.lead_insurer_id


def is_involved_provider(user: User, initiative) -> bool:
    return is_provider_staff(user) and any(
        p.provider_id == user.organisation_id for p in initiative.providers
    )


def can_edit_initiative(user: User, initiative) -> bool:
    return is_lead_staff(user, initiative) and initiative.status == InitiativeState.CONCEPT


def can_decide(user: User, follow_request) -> bool:
    """Only staff of the insurer a request is addressed to decide on it."""
    return _staff_of(user, follow_request.insurer_id, Role.INSURER_STAFF)


def can_judge_conditions(user: User, initiative) -> bool:
    """The lead insurer's staff accept or reject the conditions a follower attached (issue 13)."""
    return is_lead_staff(user, initiative)


def can_ask_mediation(user: User, initiative, asked_insurer_ids) -> bool:
    """The lead, the providers involved and the insurers asked may ask for mediation."""
    return (is_lead_staff(user, initiative) or is_involved_provider(user, initiative)
            or (is_insurer_staff(user) and user.organisation_id in set(asked_insurer_ids)))


def can_ask_mediation_about(user: User, initiative, follow_request) -> bool:
    """What a case may be about: the lead and the providers involved may ask about any request
    (or none: a disagreement); an insurer asked only about its own request, so that a case
    never makes it party to another insurer's decision."""
    if is_lead_staff(user, initiative) or is_involved_provider(user, initiative):
        return follow_request is None or follow_request.initiative_id == initiative.id
    return (follow_request is not None and follow_request.initiative_id == initiative.id
            and can_decide(user, follow_request))


# After the decision (issue 10): who writes to an initiative's monitors.

def works_on(user: User, initiative) -> bool:
    """The lead's staff and the involved providers' staff: they enter measurements (one by one
    or as a CSV) and upload documents."""
    return is_lead_staff(user, initiative) or is_involved_provider(user, initiative)


def can_write_process_log(user: User, initiative, funding_insurer_ids) -> bool:
    """The process log also takes notes of the insurers that follow (fund) the initiative."""
    return works_on(user, initiative) or (is_insurer_staff(user) and user.organisation_id in set(funding_insurer_ids))


# Co-funding (issue 11).

def can_manage_pledges(user: User, initiative) -> bool:
    """The lead adds, edits and withdraws co-funding pledges, before opening only."""
    return can_edit_initiative(user, initiative)


def can_decide_pledge(user: User, pledge) -> bool:
    """Only staff of the co-funder a pledge names confirm or decline it."""
    return is_co_funder_staff(user) and user.organisation_id == pledge.organisation_id


def can_weigh_what_if(user: User) -> bool:
    """The 'what if' of the criteria's weights (issue 12): the admin, who sets them, and the mediator,
    who weighs declines on cases. It stores nothing."""
    return is_admin(user) or is_mediator(user)


# Regional agreements (issue 12): every user reads a region's plan; its leads keep it.

def can_edit_regional_plan(user: User, lead_ids) -> bool:
    """The region's lead insurers (by the market shares in force) maintain the regiobeeld and the
    multi-year agreements (002: the two market leaders are accountable); admins may correct them."""
    return is_admin(user) or (is_insurer_staff(user) and user.organisation_id in set(lead_ids))


# The figures (issue 12): the region page is for every user; these are narrower.

def may_see_insurer_figures(user: User) -> bool:
    """Per-insurer figures: insurer staff (of the regions their insurer leads: services/dashboards.py
    checks the region), the mediator and admins."""
    return is_insurer_staff(user) or is_mediator(user) or is_admin(user)


def may_see_national_overview(user: User) -> bool:
    """The 31 regions side by side: the mediator and admins."""
    return is_mediator(user) or is_admin(user)


# Shared savings (issue 11, part 3).

def can_edit_savings(user: User, initiative) -> bool:
    """The lead's staff record the savings agreement (while the initiative is a draft)."""
    return is_lead_staff(user, initiative)
