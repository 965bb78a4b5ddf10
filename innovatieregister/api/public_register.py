"""The public register through the API (issue 12): without authentication, under its own path
(/api/v1/public), the same fields as the public pages (services/publication.PUBLIC_FIELDS);
and the lead's publication step (/api/v1/initiatives/{id}/publication)."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_login import current_user

from innovatieregister import clock
from innovatieregister.api import _body, _field, _page_args, bp, listing, quantity
from innovatieregister.domain.calendar import dutch_date
from innovatieregister.policies import allow, any_user, public
from innovatieregister.publication.views import cached, licence_link
from innovatieregister.services import Invalid, publication


def _fraction(fraction) -> str | None:
    value = publication.fraction_decimal(fraction)
    return None if value is None else str(value)


def _progress(p) -> dict:
    return {"status": p.status.value,
            "fraction": _fraction(p.fraction),
            "latest_value": quantity(p.latest.value) if p.latest else None,
            "latest_on": p.latest.measured_on.isoformat() if p.latest else None}


def _summary(initiative, status, glance, latest) -> dict:
    return {
        "id": initiative.id, "title": initiative.title, "status": status.value,
        "region": {"code": initiative.region.code, "name": initiative.region.name},
        "providers": publication.provider_names(initiative),
        "published_on": dutch_date(initiative.published_at).isoformat(),
        "goals_measured": glance.measured if glance else 0, "goals": glance.goals if glance else 0,
        "mean_progress": _fraction(glance.mean if glance else None),
        "latest_verdict": latest.verdict.value if latest else None,
        "url": url_for("publication.entry", initiative_id=initiative.id, _external=True),
    }


def _entry_json(entry) -> dict:
    i = entry.initiative
    return {
        "id": i.id, "title": i.title, "status": entry.status.value,
        "region": {"code": i.region.code, "name": i.region.name},
        "providers": publication.provider_names(i),
        "description": i.description, "substitution_from": i.substitution_from,
        "substitution_to": i.substitution_to, "necessity_justification": i.necessity_justification,
        "term_start": i.term_start.isoformat() if i.term_start else None,
        "term_end": i.term_end.isoformat() if i.term_end else None,
        "published_on": dutch_date(i.published_at).isoformat(),
        "goals": [{"metric": g.metric, "baseline": g.baseline, "target": g.target, "unit": g.unit,
                   "target_date": g.target_date.isoformat(), "progress": _progress(g.progress)} for g in entry.goals],
        "evaluations": [{"kind": e.kind.value, "verdict": e.verdict.value,
                         "recorded_on": dutch_date(e.recorded_at).isoformat()} for e in entry.evaluations],
        "licence": publication.LICENCE,
    }


@bp.route("/public/initiatives")
@public
def public_initiatives():
    args = _page_args("region", "q", "theme")
    found = publication.public_list(request.args.get("region") or None, request.args.get("q") or None, **args,
                                    theme=request.args.get("theme") or None)
    page = found.page
    return cached(licence_link(jsonify(listing(page, [
        _summary(i, found.statuses[i.id], found.goals.get(i.id), found.evaluations.get(i.id))
        for i in page.items]) | {"licence": publication.LICENCE})))


@bp.route("/public/initiatives/<int:initiative_id>")
@public
def public_initiative(initiative_id: int):
    return cached(licence_link(jsonify(_entry_json(publication.public_entry(initiative_id)))))


def open_data_document() -> dict:
    """The open-data JSON download: every published initiative with the public list's fields and
    its goals, and the licence."""
    items = []
    for initiative, status, glance, latest in publication.open_data():
        item = _summary(initiative, status, glance, latest)
        item.update({"description": initiative.description, "substitution_from": initiative.substitution_from,
                     "substitution_to": initiative.substitution_to,
                     "necessity_justification": initiative.necessity_justification,
                     "term_start": initiative.term_start.isoformat() if initiative.term_start else None,
                     "term_end": initiative.term_end.isoformat() if initiative.term_end else None,
                     "goals": [{"metric": g.metric, "baseline": g.baseline, "target": g.target, "unit": g.unit,
                                "target_date": g.target_date.isoformat()} for g in initiative.goals]})
        items.append(item)
    return {"title": "Innovatieregister: openbaar register van initiatieven (volgbeleid JZOJP)",
            "licence": publication.LICENCE, "items": items}


# The lead's step -------------------------------------------------------------------------------

def _publication_json(initiative) -> dict:
    return {"initiative_id": initiative.id,
            "published_at": initiative.published_at.isoformat() if initiative.published_at else None,
            "publish_on": initiative.publish_on.isoformat() if initiative.publish_on else None}


@bp.route("/initiatives/<int:initiative_id>/publication", methods=["POST"])
@allow(any_user)
def publish(initiative_id: int):
    errors: dict[str, list[str]] = {}
    publish_on = _field(_body(), "publish_on", str, errors)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return _publication_json(publication.publish(current_user, initiative_id, publish_on, clock.today(), clock.now()))


@bp.route("/initiatives/<int:initiative_id>/publication", methods=["DELETE"])
@allow(any_user)
def unpublish(initiative_id: int):
    return _publication_json(publication.unpublish(current_user, initiative_id))
