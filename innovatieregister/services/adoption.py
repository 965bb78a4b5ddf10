"""Spreading what works (volgbeleid, 'over 2 assen').

Provider axis: a provider involved in an initiative asks an insurer to adopt the lead's
deal for its own insured. The request is a FollowRequest of kind 'adoption', answered with
the same decision machinery (deadline, arguments, versions, audit) as a follow request.

Insurer axis: a lead insurer of another region adopts an initiative into that region: a
new draft, prefilled and linked to its origin, opened with the normal follow requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.phase import adoption_needs_confirmation, evaluation_so_far
from innovatieregister.domain.workflow import LIVE_REQUEST_STATES, InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import (
    EvidenceLevel,
    FollowRequest,
    Initiative,
    InitiativeKind,
    Organisation,
    OrganisationKind,
    Phase,
    Region,
    RequestKind,
    User,
)
from innovatieregister.models.decision import IMPACT_UNITS
from innovatieregister.models.initiative import LABELS as INITIATIVE_LABELS
from innovatieregister.paging import COUNT_CAP, PER_PAGE, Cursor, Page, counted, paginate
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.initiatives import require_lead_of_region, shown_statuses, snapshot
from innovatieregister.services.market_shares import market_of_set
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.phase import evaluated_successfully, latest_verdict
from innovatieregister.services.spread import NOT_SPREAD, family_counts, ranked
from innovatieregister.services.standing import insurer_states

# An initiative the lead contracts: from opened for decisions until it has ended.
CONTRACTED = (InitiativeState.OPEN, InitiativeState.PARTIALLY_FUNDED, InitiativeState.FULLY_FUNDED,
              InitiativeState.IN_MEDIATION, InitiativeState.ACTIVE, InitiativeState.EVALUATED,
              InitiativeState.EXTENDED)


@dataclass
class Impact:
    """The transformation impact a provider promises: what moves where, how much, by when."""

    description: str
    volume: int | str | None
    unit: str
    by: date | str | None
    evidence: str = ""


def _check_impact(impact: Impact, today: date) -> tuple[str, int, str, date, str]:
    errors: dict[str, list[str]] = {}
    description = limits.checked_text(impact.description, limits.TEXT, "impact_description", errors,
                                      _("De beschrijving van de impact"),
                                      required=_("Beschrijf welke zorg waarheen verschuift."))
    volume = impact.volume
    if isinstance(volume, str) and volume.strip().isascii() and volume.strip().isdigit() \
            and len(volume.strip()) <= len(str(limits.IMPACT_VOLUME_MAX)):
        volume = int(volume.strip())
    if isinstance(volume, bool) or not isinstance(volume, int) or not 1 <= volume <= limits.IMPACT_VOLUME_MAX:
        volume = 0
        errors["impact_volume"] = [_("Geef een aantal van 1 tot en met %(max)s (patiënten of beddagen per jaar).",
                                     max=f"{limits.IMPACT_VOLUME_MAX:,}".replace(",", "."))]
    if impact.unit not in IMPACT_UNITS:
        errors["impact_unit"] = [_("Kies een eenheid: %(units)s.", units=', '.join(IMPACT_UNITS))]
    by = limits.parse_date(impact.by)
    if by is None:
        errors["impact_by"] = [_("Geef een datum (%(format)s, tot en met %(year)s) waarop de impact bereikt is.",
                                 format=limits.DATE_INPUT, year=limits.DATE_MAX.year)]
    if by is not None and by < today:
        errors["impact_by"] = [_("De datum waarop de impact bereikt is, ligt in het verleden; kies vandaag of later.")]
    evidence = limits.checked_text(impact.evidence, limits.URL, "evidence", errors, _("De onderbouwing"))
    if evidence and not evidence.startswith(("https://", "http://")):
        errors.setdefault("evidence", []).append(_("De onderbouwing is een link (http(s)://…)."))
    if errors or by is None:  # the errors name a missing date
        raise Invalid(_("Het overnameverzoek is niet verstuurd. Verbeter de gemarkeerde velden."), errors)
    return description, volume, impact.unit, by, evidence


@dataclass
class RequestPlan:
    """An adoption request as it would be sent (checked, nothing written): the confirmation step."""

    initiative: Initiative
    insurer: Organisation
    insured: int
    deadline: date
    impact: tuple[str, int, str, date, str]  # description, volume, unit, by, evidence (checked)


def _plan_request(user: User, initiative_id: int, insurer_code: str, impact: Impact, today: date,
                  lock: bool) -> RequestPlan:
    """Every check of an adoption request; `lock` while sending it (the initiative row)."""
    if not policies.is_provider_staff(user):
        raise NotAllowed(_("Alleen medewerkers van een zorgaanbieder vragen om overname."))
    query = sa.select(Initiative).where(Initiative.id == initiative_id)
    initiative = db.session.scalar(query.with_for_update(of=Initiative) if lock else query)
    if initiative is None or not policies.is_involved_provider(user, initiative):
        raise NotFound(_("Dit initiatief bestaat niet, of uw organisatie is er niet bij betrokken."))
    if initiative.status not in CONTRACTED or initiative.market_share_set is None:
        raise Conflict(_("Overname kan pas als de leidende verzekeraar het initiatief heeft opengesteld."))
    insurer = db.session.scalar(sa.select(Organisation).where(
        Organisation.code == (insurer_code or "").strip().upper(),
        Organisation.kind == OrganisationKind.INSURER))
    if insurer is None:
        raise Invalid(_("Het overnameverzoek is niet verstuurd."), {"insurer": [_("Kies een zorgverzekeraar.")]})
    if insurer.id == initiative.lead_insurer_id:
        raise Invalid(_("Het overnameverzoek is niet verstuurd."),
                      {"insurer": [_("%(insurer)s heeft deze afspraak zelf gemaakt.", insurer=insurer.name)]})
    share = next((s for s in market_of_set(initiative.market_share_set, initiative.region_id).shares
                  if s.insurer.id == insurer.id), None)
    if share is None or share.insured == 0:
        raise Invalid(_("Het overnameverzoek is niet verstuurd."), {"insurer": [
            _("%(insurer)s heeft volgens de vastgezette verdeelsleutel geen verzekerden in %(region)s, "
              "dus ook geen aandeel om te dragen.", insurer=insurer.name, region=initiative.region.name)]})
    if insurer_states([initiative])[initiative.id].get(insurer.id) == InsurerState.FOLLOWS:
        raise Conflict(_("%(insurer)s volgt dit initiatief al en draagt zijn aandeel.", insurer=insurer.name))
    live = db.session.scalar(sa.select(FollowRequest.id).where(
        FollowRequest.initiative_id == initiative.id, FollowRequest.insurer_id == insurer.id,
        FollowRequest.kind == RequestKind.ADOPTION, FollowRequest.state.in_(LIVE_REQUEST_STATES)))
    if live is not None:
        raise Conflict(_("Er loopt al een overnameverzoek aan %(insurer)s voor dit initiatief.",
                         insurer=insurer.name))
    checked = _check_impact(impact, today)
    deadline = add_working_days(today, current_app.config["DECISION_DEADLINE_WORKING_DAYS"])
    return RequestPlan(initiative, insurer, share.insured, deadline, checked)


def preview_request(user: User, initiative_id: int, insurer_code: str, impact: Impact,
                    today: date) -> RequestPlan:
    """What sending this adoption request would do, refused as sending it would be; writes nothing."""
    return _plan_request(user, initiative_id, insurer_code, impact, today, lock=False)


def request_adoption(user: User, initiative_id: int, insurer_code: str, impact: Impact,
                     today: date) -> FollowRequest:
    """A provider asks insurer B to adopt the lead's deal on this initiative for B's insured."""
    with write_transaction():
        plan = _plan_request(user, initiative_id, insurer_code, impact, today, lock=True)
        initiative, insurer, deadline = plan.initiative, plan.insurer, plan.deadline
        description, volume, unit, by, evidence = plan.impact
        adoption = FollowRequest(
            kind=RequestKind.ADOPTION, initiative_id=initiative.id, insurer_id=insurer.id, deadline=deadline,
            insured=plan.insured, requesting_provider_id=user.organisation_id, requested_by_id=user.id,
            impact_description=description, impact_volume=volume, impact_unit=unit, impact_by=by,
            evidence_url=evidence,
        )
        db.session.add(adoption)
        db.session.flush()
        record(Actor(user=user), "adoption_request.create", adoption, after={
            "initiative": initiative.id, "insurer": insurer.code, "deadline": deadline.isoformat(),
            "insured": plan.insured, "impact": [description, volume, unit, by.isoformat()],
        })
        notify_organisations(
            [insurer.id, initiative.lead_insurer_id, user.organisation_id], "adoption_request.new",
            Said("%(provider)s vraagt %(insurer)s de afspraak '%(title)s' van %(lead)s over te nemen voor de eigen "
                 "verzekerden. Besluit uiterlijk %(date)s.", provider=user.organisation.name, insurer=insurer.name,
                 title=initiative.title, lead=initiative.lead_insurer.name, date=deadline),
            f"/initiatieven/{initiative.id}",
        )
    return adoption


def adoption_requests_for(user: User, page: int = 1, per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The caller's side of adoption requests: those its organisation sent, received, or leads;
    one page of FollowRequest."""
    query = adoption_requests_query(user)
    if query is None:
        return Page([], 1, per_page, 0)
    return paginate(query, page, per_page, order=ADOPTION_REQUESTS_ORDER, cursor=cursor,
                    count=adoption_requests_to_count(user))


def adoption_requests_to_count(user: User) -> sa.Select | None:
    """adoption_requests_query's rows to count, read through an index. An insurer's: the union
    of two reads, each capped at what paging counts, of those addressed to it
    (ix_follow_requests_insurer_kind) and of the others on initiatives it leads
    (ix_follow_requests_initiative_kind); the query's OR across two tables reads every
    adoption request in the country to count them. None: the query itself counts cheaply."""
    org = user.organisation_id
    adoption = FollowRequest.kind == RequestKind.ADOPTION
    if policies.is_provider_staff(user):  # the sent ones, without the join (ix_follow_requests_provider_kind)
        return sa.select(FollowRequest.id).where(adoption, FollowRequest.requesting_provider_id == org)
    if not policies.is_insurer_staff(user):
        return None
    addressed = sa.select(FollowRequest.id).where(adoption, FollowRequest.insurer_id == org)
    led = sa.select(FollowRequest.id).where(
        adoption, FollowRequest.insurer_id != org,
        FollowRequest.initiative_id.in_(sa.select(Initiative.id).where(Initiative.lead_insurer_id == org)))
    capped = [sa.select(q.limit(COUNT_CAP + 1).subquery().c.id) for q in (addressed, led)]
    return sa.select(sa.union_all(*capped).subquery().c.id)


ADOPTION_REQUESTS_ORDER = (FollowRequest.deadline, FollowRequest.id)


def adoption_requests_query(user: User) -> sa.Select | None:
    """adoption_requests_for's rows (also the dashboard's); None for whoever has no side in them."""
    query = (sa.select(FollowRequest).join(Initiative, Initiative.id == FollowRequest.initiative_id)
             .where(FollowRequest.kind == RequestKind.ADOPTION)
             .options(joinedload(FollowRequest.initiative).joinedload(Initiative.region),
                      joinedload(FollowRequest.insurer), joinedload(FollowRequest.requesting_provider)))
    org = user.organisation_id
    if policies.is_provider_staff(user):
        return query.where(FollowRequest.requesting_provider_id == org)
    if policies.is_insurer_staff(user):
        return query.where(sa.or_(FollowRequest.insurer_id == org, Initiative.lead_insurer_id == org))
    if policies.is_admin(user) or policies.is_mediator(user):
        return query
    return None


# Insurer axis ----------------------------------------------------------------------------------

# Insurer axis: what an adopted draft takes over from its origin (what the intervention is), and what it
# leaves for the adopting lead to fill in for its own region, each with the reason the page gives.
ADOPTION_COPIES = {
    "kind": _l("soort"), "innovation_type": _l("soort innovatie"), "phase": _l("fase"),
    "evidence_level": _l("bewijsniveau"),
    "substitution_from": _l("substitutie: van"), "substitution_to": _l("substitutie: naar"),
    "replaces_existing_care": _l("of het bestaande zorg vervangt"), "start_criteria": _l("startcriteria"),
    "stop_criteria": _l("stopcriteria"), "necessity_justification": _l("noodzaak van gelijkgericht werken"),
    "evaluation_links": _l("links naar evaluaties"),
}
ADOPTION_LEAVES_EMPTY = {
    _l("titel"): _l("die van het origineel kan het ziekenhuis of de regio noemen; het concept krijgt een "
                    "neutrale titel (soort en uw regio) die u vervangt"),
    _l("beschrijving, afbouwplan en toelichting instellingsoverstijgend"): _l(
        "die beschrijven de zorgaanbieders en de situatie in de regio van het origineel"),
    _l("zorgaanbieders"): _l("u kiest de zorgaanbieders van uw eigen regio"),
    _l("SMART-doelen"): _l("maatstaven, nulmetingen en streefwaarden horen bij de regio van het origineel"),
    _l("begroting"): _l("kostenposten, bedragen, grondslagen en bronnen niet: geen verzekeraar ziet de "
                        "contractprijzen van een andere (mededinging)"),
    _l("looptijd, thema van het regioplan en financieringsvorm"): _l("die kiest u voor uw eigen regio"),
}


def adopted_title(source: Initiative, region: Region) -> str:
    """A neutral title for an adopted draft: the kind and the new region, never the origin's title
    (which may name its hospital or region). The adopting lead gives it its own."""
    # In the adopting lead's language, whole: the kind's label is said in it (a Labels table).
    return str(Said("Overname: %(kind)s in %(region)s", kind=Said(INITIATIVE_LABELS.raw(source.kind)),
                    region=region.name))


def adopt(user: User, initiative_id: int, region_code: str, today: date,
          confirm_without_positive_evaluation: bool = False) -> Initiative:
    """Adopt an initiative into a region the user's insurer leads: a linked, prefilled draft.

    Only what the intervention is comes along (ADOPTION_COPIES); whatever is local stays empty
    (ADOPTION_LEAVES_EMPTY): amounts and their basis (one insurer never sees another's contract
    prices, competition law), goals, texts that name the origin's providers, the providers.
    An innovation whose latest evaluation is not positive is adopted only when the insurer
    confirms it (domain/phase.py adoption_needs_confirmation); the draft and its record say so.
    """
    if not policies.is_insurer_staff(user):
        raise NotAllowed(_("Alleen medewerkers van een zorgverzekeraar nemen een initiatief over."))
    with write_transaction():
        source = db.session.get(Initiative, initiative_id)
        if source is None or source.status == InitiativeState.CONCEPT:
            raise NotFound(_("Dit initiatief bestaat niet."))
        if source.status == InitiativeState.WITHDRAWN:
            raise Conflict(_("Een ingetrokken initiatief kan niet worden overgenomen."))
        region = db.session.scalar(sa.select(Region).where(Region.code == (region_code or "").upper()))
        if region is None:
            raise Invalid(_("Niet overgenomen."), {"region": [_("Kies een bestaande regio.")]})
        if region.id == source.region_id:
            raise Invalid(_("Niet overgenomen."), {"region": [
                _("Het initiatief loopt al in %(region)s; kies een andere regio.", region=region.name)]})
        require_lead_of_region(user, region, today)
        verdict = latest_verdict(source.id)
        unproven = adoption_needs_confirmation(source.kind, verdict)
        if unproven and not confirm_without_positive_evaluation:
            raise Invalid(_("Niet overgenomen."), {"confirm_without_positive_evaluation": [
                _("Deze innovatie is niet positief geëvalueerd: %(evaluation_so_far)s. Het volgbeleid "
                  "verspreidt succesvolle innovaties; neemt u haar toch over, bevestig dan dat u dat "
                  "bewust doet.", evaluation_so_far=evaluation_so_far(verdict))]})
        copy = Initiative(
            title=adopted_title(source, region), status=InitiativeState.CONCEPT, region=region,
            lead_insurer_id=user.organisation_id, created_by_id=user.id,
            adopted_from_id=source.id, adopted_without_positive_evaluation=unproven,
            **{name: getattr(source, name) for name in ADOPTION_COPIES},
        )
        db.session.add(copy)
        db.session.flush()
        record(Actor(user=user), "initiative.adopt", copy,
               after={**snapshot(copy), "adopted_from": source.id,
                      "origin_latest_verdict": str(verdict) if verdict else None,
                      "adopted_without_positive_evaluation": unproven})
        notify_organisations([source.lead_insurer_id], "initiative.adopted",
                             Said("%(organisation)s neemt '%(title)s' over in %(region)s.",
                                  organisation=user.organisation.name, title=source.title, region=region.name),
                             f"/register/{source.id}")
    return copy


# The registry of what spreads ------------------------------------------------------------------

@dataclass
class Spread:
    initiative: Initiative
    regions: int  # the original's region plus every region it was adopted into (opened)
    insurers_following: int  # leads plus insurers with a standing follow the viewer may see, over all of them
    adoptions: list[Initiative]
    # The status of it and of its adoptions, as the viewer may see them (visibility.shown_status).
    statuses: dict[int, InitiativeState] = field(default_factory=dict)


def _words(text: str | None) -> list[str]:
    return [w for w in (text or "").lower().split() if w][:8]


def text_filter(text: str | None, *columns) -> list[sa.ColumnElement[bool]]:
    """A free-text search (this registry's and the public register's): every word (the first
    eight) in one of `columns`, case-insensitive; % and _ are taken as nothing, not as wildcards."""
    return [sa.or_(*(sa.func.lower(column).like(f"%{word.replace('%', '').replace('_', '')}%")
                     for column in columns)) for word in _words(text)]


# The registry's filters: (query parameter, column, its enum, Dutch label).
REGISTRY_FILTERS = {
    "kind": ("soort", Initiative.kind, InitiativeKind, "soort"),
    "phase": ("fase", Initiative.phase, Phase, "fase"),
    "evidence_level": ("bewijs", Initiative.evidence_level, EvidenceLevel, "bewijsniveau"),
}


def _registry_filters(**values: str | None) -> list:
    """The filters as (column, enum member); Invalid, per query parameter, for an unknown value."""
    errors: dict[str, list[str]] = {}
    filters = []
    for name, value in values.items():
        if not value:
            continue
        parameter, column, enum, label = REGISTRY_FILTERS[name]
        try:
            filters.append((column, enum(value)))
        except ValueError:
            errors[parameter] = [_("Onbekende %(label)s; kies uit %(options)s.",
                                   label=label, options=', '.join(m.value for m in enum))]
    if errors:
        raise Invalid(_("Het register is niet gefilterd: een filter heeft een onbekende waarde."), errors)
    return filters


# The registry's filter on evaluations: its query parameter and its one value.
EVALUATION_FILTER = ("evaluatie", "succesvol")


def registry(q: str | None = None, kind: str | None = None, phase: str | None = None,
             evidence_level: str | None = None, region_code: str | None = None,
             page: int = 1, per_page: int = PER_PAGE, *, viewer: User, today: date,
             evaluation: str | None = None) -> Page:
    """Registered initiatives (originals, past their draft) by how far they have spread, as
    the viewer may see it: a follow hidden from them counts (and ranks) as no follow. One page
    (items are Spread), by page number, not by keyset: the rank is the viewer's own, so no index
    holds it to continue from; services/spread.ranked reads down the stored bound instead.
    `evaluation` "succesvol": only those whose latest evaluation is positive."""
    filters = _registry_filters(kind=kind, phase=phase, evidence_level=evidence_level)
    if evaluation and evaluation != EVALUATION_FILTER[1]:
        raise Invalid(_("Het register is niet gefilterd: een filter heeft een onbekende waarde."), {
            EVALUATION_FILTER[0]: [_("Onbekende evaluatie; kies '%(value)s' of niets.",
                                   value=EVALUATION_FILTER[1])]})
    originals = sa.select(Initiative).where(
        Initiative.adopted_from_id.is_(None), Initiative.status.notin_(NOT_SPREAD))
    originals = originals.where(*text_filter(q, Initiative.title, Initiative.description))
    for column, member in filters:
        originals = originals.where(column == member)
    if evaluation:
        originals = originals.where(evaluated_successfully(Initiative.id))
    live_copy = Initiative.status.notin_(NOT_SPREAD)
    if region_code:
        adopted_here = sa.select(Initiative.adopted_from_id).join(Region, Region.id == Initiative.region_id).where(
            Region.code == region_code.upper(), Initiative.adopted_from_id.is_not(None), live_copy)
        here = sa.select(Region.id).where(Region.code == region_code.upper()).scalar_subquery()
        originals = originals.where(sa.or_(Initiative.region_id == here, Initiative.id.in_(adopted_here)))
    result = counted(originals, page, per_page)
    if result.beyond:
        return result
    spread = ranked(originals, viewer, today, result.offset, result.per_page)
    found = {initiative.id: initiative for initiative in db.session.scalars(
        sa.select(Initiative).where(Initiative.id.in_([origin for origin, _r, _i in spread]))
        .options(joinedload(Initiative.region), joinedload(Initiative.lead_insurer)))}
    result.items = [Spread(found[origin], regions, following, []) for origin, regions, following in spread]
    return result


def registry_entry(initiative_id: int, *, viewer: User, today: date) -> Spread:
    """One registered initiative's public summary, with where it has been adopted, counted as
    the viewer may see it."""
    initiative = db.session.scalar(
        sa.select(Initiative).where(Initiative.id == initiative_id)
        .options(joinedload(Initiative.region), joinedload(Initiative.lead_insurer),
                 joinedload(Initiative.adopted_from)))
    if initiative is None or not visibility.sees_register_entry(viewer, initiative):
        raise NotFound(_("Dit initiatief bestaat niet."))
    adoptions = adoptions_of(initiative.id)
    origin = initiative.adopted_from_id or initiative.id
    spread = family_counts(viewer, today, [origin])
    regions, following = db.session.execute(sa.select(spread.c.regions, spread.c.insurers)).one_or_none() or (1, 0)
    return Spread(initiative, regions, following, adoptions,
                  shown_statuses(viewer, [initiative.id, *(a.id for a in adoptions)], today))


def adoptions_of(initiative_id: int) -> list[Initiative]:
    """Where an initiative has been adopted and opened (another insurer's drafts stay private)."""
    return list(db.session.scalars(
        sa.select(Initiative).where(Initiative.adopted_from_id == initiative_id,
                                    Initiative.status.notin_(NOT_SPREAD))
        .options(joinedload(Initiative.region), joinedload(Initiative.lead_insurer))
        .order_by(Initiative.created_at)))
