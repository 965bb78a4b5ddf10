"""The public register through the API (issue 12): without authentication, under its own path
(/api/v1/public), the same fields as the public pages (services/publication.PUBLIC_FIELDS);
and the lead's publication step (/api/v1/initiatives/{id}/publication)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from flask import current_app, url_for
from flask.views import MethodView
from flask_login import current_user
from pydantic import BaseModel, Field, StringConstraints

from innovatieregister import clock, limits
from innovatieregister.api import bp, quantity
from innovatieregister.api.schema import (
    DateIn,
    IdIn,
    In,
    Out,
    PageQuery,
    Quantity,
    Text,
    body,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.calendar import dutch_date
from innovatieregister.domain.monitoring import MeasurementKind, Verdict
from innovatieregister.domain.progress import ProgressStatus
from innovatieregister.policies import allow, any_user, public
from innovatieregister.publication.views import cached, licence_link
from innovatieregister.services import publication

Fraction = Annotated[Annotated[str, StringConstraints(pattern=r"^-?\d+\.\d{4}$")] | None, Field(
    description="de fractie van de weg van nulmeting naar streefwaarde (1.0000: bereikt)")]
PublicStatus = Annotated[Literal["open", "fully_funded", "partially_funded", "active", "evaluated", "extended",
                                 "ended", "withdrawn"], Field(
    description="zoals iedereen hem ziet: een initiatief in bemiddeling staat hier zoals het zonder bemiddeling "
                "zou staan")]
NOT_MODIFIED: dict[int, type[BaseModel] | None] = {304: None}  # If-None-Match: the ETag of what the caller has


class Licence(Out):
    name: str
    code: str
    url: str


class PublicRegion(Out):
    code: str
    name: str


class PublicInitiativeSummary(Out):
    id: int
    title: str
    status: PublicStatus
    region: PublicRegion
    providers: list[str]
    published_on: date
    goals_measured: int = Field(ge=0)
    goals: int = Field(ge=0)
    mean_progress: Fraction
    latest_verdict: Verdict | None
    url: str = Field(description="de openbare pagina")


class PublicInitiativePage(page_of(PublicInitiativeSummary)):  # type: ignore[misc]
    licence: Licence


class Progress(Out):
    status: ProgressStatus
    fraction: Fraction
    latest_value: Quantity | None
    latest_on: date | None


class PublicGoal(Out):
    metric: str
    baseline: str
    target: str
    unit: str
    target_date: date
    progress: Progress


class PublicVerdict(Out):
    kind: MeasurementKind
    verdict: Verdict
    recorded_on: date


class PublicInitiative(Out):
    id: int
    title: str
    status: PublicStatus
    region: PublicRegion
    providers: list[str]
    description: str
    substitution_from: str
    substitution_to: str
    necessity_justification: str
    term_start: date | None
    term_end: date | None
    published_on: date
    goals: list[PublicGoal]
    evaluations: list[PublicVerdict]
    licence: Licence


class PublicQuery(PageQuery):
    region: Text(limits.CODE) | None = None  # type: ignore[valid-type]
    q: Text(limits.TITLE, description="elk woord in de titel, het probleem of de substitutie") | None = None  # type: ignore[valid-type]
    theme: IdIn | None = Field(
        None, description="een thema van een regioplan (/regions/{code}/plan)")


class Publication(Out):
    initiative_id: int
    published_at: datetime | None
    publish_on: date | None


class PublishIn(In):
    publish_on: DateIn | None = None


def _public(model: type[Out], data: dict):
    """The answer of a public route: the JSON its model writes, cacheable by anyone for a while, with an ETag
    (a 304 to a caller that has it) and the licence's Link."""
    return cached(licence_link(current_app.response_class(model.model_validate(data).model_dump_json(),
                                                          mimetype="application/json")))


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
@operation(query=PublicQuery, resp=responses(PublicInitiativePage, also=NOT_MODIFIED, errors=(404, 422)))
def public_initiatives():
    """Het openbare register: gepubliceerde initiatieven, de laatst gepubliceerde eerst (zonder account)

    Alleen wat de leidende verzekeraar publiceerde, en daarvan alleen de openbare velden: nooit besluiten,
    argumenten, aandelen, bedragen of bemiddeling. Open data onder CC0 1.0. Antwoorden mogen 5 minuten worden
    bewaard (Cache-Control public, ETag)."""
    args: PublicQuery = query()
    found = publication.public_list(args.region or None, args.q or None, **args.paging(),
                                    theme=str(args.theme) if args.theme else None)
    page = found.page
    return _public(PublicInitiativePage, listing(page, [
        _summary(i, found.statuses[i.id], found.goals.get(i.id), found.evaluations.get(i.id))
        for i in page.items]) | {"licence": publication.LICENCE})


@bp.route("/public/initiatives/<int:initiative_id>")
@public
@operation(resp=responses(PublicInitiative, also=NOT_MODIFIED, errors=(404, 422)))
def public_initiative(initiative_id: int):
    """Eén gepubliceerd initiatief: de openbare velden, doelen met voortgang en de evaluatie-oordelen"""
    return _public(PublicInitiative, _entry_json(publication.public_entry(initiative_id)))


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

def _publication_json(initiative) -> Publication:
    return Publication(initiative_id=initiative.id, published_at=initiative.published_at,
                       publish_on=initiative.publish_on)


# POST and DELETE on one rule (a MethodView): two rules on one path answer an id out of range with a 405, not a 404.
class PublicationStep(MethodView):
    @operation(json=PublishIn, resp=responses(Publication))
    def post(self, initiative_id: int):
        """De leidende verzekeraar publiceert het initiatief in het openbare register, nu of op een datum

        Zonder `publish_on` (of null): nu. Met een datum na vandaag: de planner publiceert het op die dag, precies
        één keer. Een concept wordt niet gepubliceerd (409)."""
        data: PublishIn = body()
        return _publication_json(publication.publish(current_user, initiative_id, data.publish_on, clock.today(),
                                                     clock.now()))

    @operation(resp=responses(Publication))
    def delete(self, initiative_id: int):
        """De leidende verzekeraar haalt het initiatief uit het openbare register (of annuleert de datum)"""
        return _publication_json(publication.unpublish(current_user, initiative_id))


bp.add_url_rule("/initiatives/<int:initiative_id>/publication",
                view_func=allow(any_user)(PublicationStep.as_view("publication")))
