"""The audit timeline through the API (issue 14): of an initiative or a mediation case, as the caller
may see it — the same services as the web's timeline pages (services/audit_trail.py)."""

from __future__ import annotations

from datetime import datetime

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock
from innovatieregister.api import bp
from innovatieregister.api.schema import Out, PageQuery, listing, operation, page_of, query, responses
from innovatieregister.policies import allow, any_user
from innovatieregister.services import audit_trail, initiatives, mediation


class Change(Out):
    field: str
    value: str = Field(description="'before → after' where the value changed")


class TimelineEntry(Out):
    occurred_at: datetime
    what: str
    who: str = Field(description="the person and the organisation they acted for, or the register itself")
    details: list[Change]
    count: int = Field(ge=1, description="identical entries in a row within the minute, shown once")


def _entries(page, details: bool = True) -> dict:
    return listing(page, [{"occurred_at": line.occurred_at, "what": line.what, "who": line.who,
                           "details": [{"field": f, "value": v} for f, v in line.details], "count": line.count}
                          for line in audit_trail.lines(page.items, details=details)])


@bp.route("/initiatives/<int:initiative_id>/timeline")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(TimelineEntry)))
def initiative_timeline(initiative_id: int):
    """De tijdlijn van een initiatief, voor zover de aanroeper haar mag zien (oudste eerst)"""
    args: PageQuery = query()
    view = initiatives.timeline_view(current_user, initiative_id, clock.today())
    return _entries(audit_trail.initiative_timeline(current_user, view, **args.paging()))


@bp.route("/mediation-cases/<int:case_id>/timeline")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(TimelineEntry)))
def case_timeline(case_id: int):
    """De tijdlijn van een bemiddelingszaak, voor zover de aanroeper haar mag zien (oudste eerst)"""
    args: PageQuery = query()
    view = mediation.case_view(current_user, case_id, with_notes=False)
    # As the web's case timeline: what happened, not the values (a note's existence, not its words).
    return _entries(audit_trail.case_timeline(current_user, view, **args.paging()), details=False)
