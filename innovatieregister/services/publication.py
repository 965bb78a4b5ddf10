"""The public register (issue 12): the lead publishes an initiative (now, or on a set date by the
scheduler, exactly once) and may take it out again; anyone without an account reads it.

What the public reads is listed here and nowhere else (PUBLIC_FIELDS): title, region, providers,
the problem and the substitution, the SMART goals and their progress, the necessity justification,
the term, the status (as anyone may see it: visibility.public_status_column) and the evaluation
verdicts. Never per-insurer decisions, arguments, shares, cost lines or amounts, conditions,
reasons, notes or anything in mediation: the public views read only what these functions return.

Withdrawn or ended: a published initiative stays in the register with that status (what was made
public and stopped stays findable, as the competition authority's policy rule asks of insurers
acting in step), without the reasons; the lead takes it out explicitly when it should go.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.monitoring import LABELS as MONITORING_LABELS
from innovatieregister.domain.progress import Progress
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.models import Evaluation, Initiative, Region, User
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.adoption import text_filter
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.deadlines import claim
from innovatieregister.services.monitoring import asked_insurers, goal_monitors
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.phase import GoalsAtAGlance, LatestEvaluation, goals_at_a_glance, latest_evaluations

SYSTEM = Actor(label="register: publicatie op datum")
# The open data's licence, stated on the pages, in the JSON and in the downloads' Link header.
LICENCE = {"name": "CC0 1.0 Universeel (publiek domein)", "code": "CC0-1.0",
           "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"}
# The only initiative fields the public ever reads (tests/web/test_public_register.py plants a
# unique text in every other field and finds none of them on any public page, download or API).
PUBLIC_FIELDS = ("title", "region", "providers", "description", "substitution_from", "substitution_to",
                 "goals", "necessity_justification", "term_start", "term_end", "status", "evaluations")
SEARCH_MAX = limits.TITLE  # the free-text search of the public list


# The lead's steps ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Publication:
    """Where an initiative stands towards the public register (for the lead's page)."""

    initiative: Initiative
    published_at: datetime | None
    publish_on: date | None


def _led(user: User, initiative: Initiative | None) -> Initiative:
    """The initiative, when the user is its lead's staff; NotAllowed for another who sees it."""
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    if not policies.is_lead_staff(user, initiative):
        if visibility.sees_initiative(user, initiative, asked_insurers(initiative.id)):
            raise NotAllowed(_("Alleen de leidende verzekeraar publiceert een initiatief in het openbare register."))
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative


def _locked(initiative_id: int) -> Initiative | None:
    return db.session.scalar(sa.select(Initiative).where(Initiative.id == initiative_id)
                             .with_for_update(of=Initiative))


def publication_of(user: User, initiative_id: int) -> Publication:
    initiative = _led(user, db.session.get(Initiative, initiative_id))
    return Publication(initiative, initiative.published_at, initiative.publish_on)


def _state(initiative: Initiative) -> dict:
    return {"published_at": initiative.published_at.isoformat() if initiative.published_at else None,
            "publish_on": initiative.publish_on.isoformat() if initiative.publish_on else None}


def publish(user: User, initiative_id: int, publish_on: str | None, today: date, now: datetime) -> Initiative:
    """The lead publishes the initiative now, or (`publish_on`, a typed date after today) has the
    scheduler publish it on that date. A draft can still change: it is not published."""
    with write_transaction():
        initiative = _led(user, _locked(initiative_id))
        day = None
        if publish_on is not None:  # None: now (the web form's empty field); "" is no date
            day = limits.parse_date(publish_on)
            if day is None or day <= today:
                raise Invalid(_("De publicatiedatum is ongeldig."), {"publish_on": [
                    _("Kies een datum na vandaag (%(form)s), of laat de datum leeg om nu te publiceren.",
                      form=limits.DATE_INPUT)]})
        if initiative.status == InitiativeState.CONCEPT:
            raise Conflict(_("Een concept kan nog wijzigen: publiceer het initiatief nadat het is geopend."))
        if initiative.published_at is not None:
            raise Conflict(_("Dit initiatief staat al in het openbare register."))
        before = _state(initiative)
        if day is None:
            initiative.published_at, initiative.publish_on = now, None
            action = "initiative.publish"
        else:
            initiative.publish_on = day
            action = "initiative.publish_scheduled"
        db.session.flush()
        record(Actor(user=user), action, initiative, before=before, after=_state(initiative))
    return initiative


def unpublish(user: User, initiative_id: int) -> Initiative:
    """The lead takes the initiative out of the public register (or cancels its publication date)."""
    with write_transaction():
        initiative = _led(user, _locked(initiative_id))
        if initiative.published_at is None and initiative.publish_on is None:
            raise Conflict(_("Dit initiatief staat niet in het openbare register en er is geen publicatie gepland."))
        before = _state(initiative)
        initiative.published_at = initiative.publish_on = None
        db.session.flush()
        record(Actor(user=user), "initiative.unpublish", initiative, before=before, after=_state(initiative))
    return initiative


def publish_due(initiative_id: int, today: date, now: datetime) -> bool:
    """The scheduler publishes an initiative whose date has come; exactly once, claimed under
    (publish, initiative, date) in the same transaction (a second scheduler publishes nothing)."""
    with write_transaction():
        initiative = _locked(initiative_id)
        if (initiative is None or initiative.published_at is not None or initiative.publish_on is None
                or initiative.publish_on > today):
            return False
        if not claim("publish", initiative, initiative.publish_on.isoformat()):
            return False
        before = _state(initiative)
        initiative.published_at, initiative.publish_on = now, None
        db.session.flush()
        record(SYSTEM, "initiative.publish", initiative, before=before, after=_state(initiative))
        notify_organisations([initiative.lead_insurer_id], "initiative.published",
                             Said("'%(title)s' staat vanaf vandaag in het openbare register.", title=initiative.title),
                             f"/openbaar/initiatieven/{initiative.id}")
    return True


def due_clause(today: date) -> sa.ColumnElement[bool]:
    """Initiatives whose publication date has come (ix_initiatives_publish_on)."""
    return sa.and_(Initiative.publish_on.is_not(None), Initiative.publish_on <= today,
                   Initiative.published_at.is_(None))


# What anyone reads -----------------------------------------------------------------------------

@dataclass
class PublicPage:
    """One page of the public list, with each initiative's public status, goals and latest verdict."""

    page: Page
    statuses: dict[int, InitiativeState] = field(default_factory=dict)
    goals: dict[int, GoalsAtAGlance] = field(default_factory=dict)
    evaluations: dict[int, LatestEvaluation] = field(default_factory=dict)


def public_statuses(initiative_ids: list[int]) -> dict[int, InitiativeState]:
    if not initiative_ids:
        return {}
    return dict(db.session.execute(sa.select(Initiative.id, visibility.public_status_column())
                                   .where(Initiative.id.in_(initiative_ids))).all())


def _public_query():
    return (sa.select(Initiative).where(visibility.public_clause())
            .options(joinedload(Initiative.region), selectinload(Initiative.providers)))


def search_errors(region_code: str | None, text: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    limits.checked_text(region_code, limits.CODE, "regio", errors, _("De regiocode"))
    limits.checked_text(text, SEARCH_MAX, "q", errors, _("De zoektekst"))
    return errors


def public_list(region_code: str | None = None, text: str | None = None, page: int = 1,
                per_page: int = PER_PAGE, cursor: Cursor | None = None, theme: str | None = None) -> PublicPage:
    """Published initiatives, newest publication first, one page, in a fixed number of queries;
    filtered by region (code) and free text (every word in the title, problem or substitution).

    `theme`: the id of a theme of a regional plan (the initiatives that serve it)."""
    errors = search_errors(region_code, text)
    theme_id = None
    if theme:
        theme = theme.strip()
        if theme.isascii() and theme.isdigit() and 1 <= int(theme) <= limits.ID_MAX:
            theme_id = int(theme)
        else:
            errors["thema"] = [_("Kies een thema uit de lijst.")]
    if errors:
        raise Invalid(_("De zoekopdracht is ongeldig."), errors)
    query = _public_query()
    if region_code:
        query = query.join(Region, Region.id == Initiative.region_id).where(Region.code == region_code.strip().upper())
    if theme_id is not None:
        query = query.where(Initiative.theme_id == theme_id)
    query = query.where(*text_filter(text, Initiative.title, Initiative.description,
                                     Initiative.substitution_from, Initiative.substitution_to))
    result = paginate(query, page, per_page, order=(Initiative.published_at, Initiative.id), descending=True,
                      cursor=cursor)
    ids = [i.id for i in result.items]
    return PublicPage(result, public_statuses(ids), goals_at_a_glance(ids), latest_evaluations(ids))


@dataclass(frozen=True)
class PublicVerdict:
    kind: str
    verdict: str
    recorded_at: datetime

    @property
    def label(self) -> str:
        return MONITORING_LABELS[self.verdict]

    @property
    def kind_label(self) -> str:
        return MONITORING_LABELS[self.kind]


@dataclass(frozen=True)
class PublicGoal:
    metric: str
    baseline: str
    target: str
    target_date: date
    unit: str
    progress: Progress


@dataclass(frozen=True)
class PublicEntry:
    """An initiative as the public register shows it: nothing outside PUBLIC_FIELDS."""

    initiative: Initiative
    status: InitiativeState
    goals: list[PublicGoal]
    evaluations: list[PublicVerdict]


EVALUATIONS_SHOWN = 20


def public_entry(initiative_id: int) -> PublicEntry:
    initiative = db.session.scalars(_public_query().where(Initiative.id == initiative_id)
                                    .options(selectinload(Initiative.goals))).one_or_none()
    if initiative is None:
        raise NotFound(_("Dit initiatief staat niet in het openbare register."))
    goals = [PublicGoal(m.goal.metric, m.goal.baseline, m.goal.target, m.goal.target_date, m.goal.unit, m.progress)
             for m in goal_monitors(initiative)]
    verdicts = [PublicVerdict(kind, verdict, at) for kind, verdict, at in db.session.execute(
        sa.select(Evaluation.kind, Evaluation.verdict, Evaluation.created_at)
        .where(Evaluation.initiative_id == initiative.id).order_by(Evaluation.id.desc()).limit(EVALUATIONS_SHOWN))]
    return PublicEntry(initiative, public_statuses([initiative.id])[initiative.id], goals, verdicts)


OPEN_DATA_BATCH = 500


def open_data() -> Iterator[tuple[Initiative, InitiativeState, GoalsAtAGlance | None, LatestEvaluation | None]]:
    """Every published initiative (oldest publication first) with its public status, goals at a glance
    and latest verdict, read in batches by keyset: memory stays flat however many there are."""
    after: tuple | None = None
    while True:
        query = _public_query().options(selectinload(Initiative.goals)).order_by(
            Initiative.published_at, Initiative.id).limit(OPEN_DATA_BATCH)
        if after is not None:
            query = query.where(sa.tuple_(Initiative.published_at, Initiative.id) > sa.tuple_(
                sa.literal(after[0], Initiative.published_at.type), sa.literal(after[1])))
        batch = list(db.session.scalars(query).unique())
        if not batch:
            return
        ids = [i.id for i in batch]
        statuses, glance, latest = public_statuses(ids), goals_at_a_glance(ids), latest_evaluations(ids)
        for initiative in batch:
            yield initiative, statuses[initiative.id], glance.get(initiative.id), latest.get(initiative.id)
        if len(batch) < OPEN_DATA_BATCH:
            return
        after = (batch[-1].published_at, batch[-1].id)


def fraction_decimal(fraction: Fraction | None) -> Decimal | None:
    """A progress fraction for the open data and the API: four decimals (display only; the
    figures themselves stay exact in domain.progress)."""
    if fraction is None:
        return None
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def provider_names(initiative: Initiative) -> list[str]:
    return [p.provider.name for p in initiative.providers]

