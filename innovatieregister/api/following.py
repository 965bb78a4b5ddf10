"""Following an initiative through the API (issue 12): follow, unfollow, and the list."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import _page_args, bp, listing
from innovatieregister.policies import allow, any_user
from innovatieregister.services import follows


def _state(initiative_id: int, following: bool) -> dict:
    return {"initiative": initiative_id, "following": following}


# One rule for both methods: an id out of range is then a 404 for either (with two rules, werkzeug
# answers 405 for the method whose rule it tried first).
@bp.route("/initiatives/<int:initiative_id>/follow", methods=["POST", "DELETE"])
@allow(any_user)
def follow(initiative_id: int):
    if request.method == "DELETE":
        follows.unfollow(current_user, initiative_id)
        return _state(initiative_id, False)
    follows.follow(current_user, initiative_id)
    return _state(initiative_id, True)


@bp.route("/following")
@allow(any_user)
def following():
    page = follows.followed_by(current_user, clock.today(), **_page_args())
    # What the register shows anyone: no budget, shares or decisions (a follower need be no party).
    return listing(page, [{
        "id": f.initiative.id, "title": f.initiative.title, "status": page.statuses[f.initiative_id].value,
        "kind": f.initiative.kind.value, "phase": f.initiative.phase.value, "region": f.initiative.region.code,
        "lead_insurer": f.initiative.lead_insurer.code, "followed_at": f.created_at.isoformat(),
    } for f in page.items])
