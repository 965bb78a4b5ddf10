"""Following an initiative through the API (issue 12): follow, unfollow, and the list."""

from __future__ import annotations

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock
from innovatieregister.api import InitiativeStatusName, bp
from innovatieregister.api.schema import (
    ERRORS,
    IsoDateTime,
    Out,
    PageQuery,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.phase import InitiativeKind, Phase
from innovatieregister.policies import allow, any_user
from innovatieregister.services import follows


class Following(Out):
    initiative: int
    following: bool


class FollowedInitiative(Out):
    """What the register shows anyone: no budget, shares or decisions (a follower need be no party)."""

    id: int
    title: str
    status: InitiativeStatusName = Field(description="as the caller may see it (as in the initiative list)")
    kind: InitiativeKind
    phase: Phase
    region: str
    lead_insurer: str
    followed_at: IsoDateTime


@bp.route("/initiatives/<int:initiative_id>/follow", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Following))
def follow(initiative_id: int):
    """Volg een initiatief uit het register (iedere ingelogde gebruiker)

    Een melding (en naar keuze een e-mail) van elke statuswijziging en evaluatie, elk precies één keer,
    met alleen wat het register de volger toont. Nogmaals volgen verandert niets. Een concept is niet te
    volgen (404)."""
    follows.follow(current_user, initiative_id)
    return {"initiative": initiative_id, "following": True}


# werkzeug answers DELETE on an id out of range with 405 (the POST rule's method), as on /publication.
@bp.route("/initiatives/<int:initiative_id>/follow", methods=["DELETE"])
@allow(any_user)
@operation(resp=responses(Following, errors=(*ERRORS, 405)))
def unfollow(initiative_id: int):
    """Volg een initiatief niet meer (niet volgen is geen fout)"""
    follows.unfollow(current_user, initiative_id)
    return {"initiative": initiative_id, "following": False}


@bp.route("/following")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(FollowedInitiative)))
def following():
    """De initiatieven die de aanroeper volgt, het laatst gevolgde eerst"""
    args: PageQuery = query()
    page = follows.followed_by(current_user, clock.today(), **args.paging())
    return listing(page, [{
        "id": f.initiative.id, "title": f.initiative.title, "status": page.statuses[f.initiative_id].value,
        "kind": f.initiative.kind.value, "phase": f.initiative.phase.value, "region": f.initiative.region.code,
        "lead_insurer": f.initiative.lead_insurer.code, "followed_at": f.created_at.isoformat(),
    } for f in page.items])
