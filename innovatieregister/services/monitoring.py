"""The monitors of an initiative after the decision (issue 10): measurements per SMART goal
(one by one or as a CSV, all or nothing) and the process log; reading them with each goal's progress.

Who writes: measurements the lead and the involved providers (policies.works_on); the process
log also the insurers that fund it (policies.can_write_process_log). Who reads: whoever sees
the initiative (visibility.sees_initiative); a process-log entry by an insurer other than the
lead only whoever may see that insurer's decisions (visibility.sees_process_entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from innovatieregister import clock, limits, policies, visibility
from innovatieregister.domain.allocation import InsurerState
from innovatieregister.domain.measurements import (
    date_problem,
    measurement_refusal,
    parse_measurements_csv,
    parse_value,
    unit_problem,
)
from innovatieregister.domain.monitoring import LABELS, MeasurementKind, ProcessEntryKind
from innovatieregister.domain.progress import Point, Progress, progress
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.i18n import translated
from innovatieregister.labels import label
from innovatieregister.models import FollowRequest, Initiative, Measurement, ProcessLogEntry, SmartGoal, User
from innovatieregister.paging import PER_PAGE, Cursor, Page, paginate
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.notifications import Said, notify_organisations
from innovatieregister.services.standing import insurer_states

MEASURERS = N_("Alleen de leidende verzekeraar en de betrokken zorgaanbieders leggen metingen vast.")
LOGGERS = N_("Alleen de leidende verzekeraar, de betrokken zorgaanbieders en de verzekeraars die het initiatief "
             "financieren schrijven in het proceslogboek.")
# The process log starts when there is a process: from opening for decisions, not for a draft or a withdrawn one.
NO_LOG_STATES = frozenset({InitiativeState.CONCEPT, InitiativeState.WITHDRAWN})
LATEST_SHOWN = 24  # measurements per goal on the monitor page (two years monthly); the API lists them all


@dataclass
class MeasurementInput:
    goal_id: object
    kind: str
    measured_on: date | str | None
    value: str | Decimal
    unit: str = ""
    source: str = ""


@dataclass
class ProcessEntryInput:
    occurred_on: date | str | None
    kind: str
    text: str


# Loading ------------------------------------------------------------------------------------------

def asked_insurers(initiative_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(FollowRequest.insurer_id).where(FollowRequest.initiative_id == initiative_id)))


def visible_initiative(user: User, initiative_id: int, for_update: bool = False) -> tuple[Initiative, list[int]]:
    """The initiative and the insurers asked on it, when the user sees it; NotFound otherwise."""
    query = sa.select(Initiative).where(Initiative.id == initiative_id).options(joinedload(Initiative.region))
    initiative = db.session.scalar(query.with_for_update(of=Initiative) if for_update else query)
    asked = asked_insurers(initiative_id) if initiative is not None else []
    if initiative is None or not visibility.sees_initiative(user, initiative, asked):
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative, asked


def writable_initiative(user: User, initiative_id: int, allowed, refusal: str) -> Initiative:
    """The initiative, locked, when `allowed(initiative)`: NotAllowed (with `refusal`) for whoever
    sees it, NotFound for anyone else, so a refusal tells no more than the initiative page does."""
    initiative, _asked = visible_initiative(user, initiative_id, for_update=True)
    if not allowed(initiative):
        raise NotAllowed(_(refusal))
    return initiative


def funding_insurers(initiative: Initiative) -> list[int]:
    """The insurers that fund the initiative (the lead and every insurer whose decisions stand at follow)."""
    states = insurer_states([initiative])[initiative.id]
    return [insurer for insurer, state in states.items() if state == InsurerState.FOLLOWS]


def notify_parties(initiative: Initiative, actor: User, message: Said, link: str) -> None:
    """Tell the lead, the providers involved and the funders, except the actor's own organisation."""
    parties = {initiative.lead_insurer_id, *(p.provider_id for p in initiative.providers),
               *funding_insurers(initiative)} - {actor.organisation_id}
    notify_organisations(parties, "monitoring.update", message, link)


# Measurements -------------------------------------------------------------------------------------

def _goal_of(initiative: Initiative, goal_id: object) -> SmartGoal | None:
    return next((g for g in initiative.goals if str(g.id) == str(goal_id).strip()), None)


def _checked_measurement(initiative: Initiative, data: MeasurementInput, today: date) -> Measurement:
    """A measurement of one of the initiative's own goals, every field checked; Invalid otherwise."""
    errors: dict[str, list[str]] = {}
    goal = _goal_of(initiative, data.goal_id)
    if goal is None:
        errors["goal"] = [_("Kies een doel van dit initiatief.")]
    try:
        kind = MeasurementKind(data.kind)
    except ValueError:
        kind = None
        errors["kind"] = [_("Kies nulmeting, periodieke meting of eindmeting.")]
    measured_on = limits.parse_date(data.measured_on)
    if problem := date_problem(measured_on, today):
        errors["measured_on"] = [_("De meetdatum: %(problem)s.", problem=translated(problem))]
    try:
        value = parse_value(data.value)
    except ValueError as error:
        errors["value"] = [_("De waarde: %(problem)s.", problem=translated(error.args[0]))]
    unit = limits.checked_text(data.unit, limits.UNIT, "unit", errors, _("De eenheid"))
    if goal is not None and "unit" not in errors and (problem := unit_problem(unit or "", goal.unit)):
        problem = translated(problem)
        errors["unit"] = [f"{problem[0].upper()}{problem[1:]}."]
    source = limits.checked_text(data.source, limits.LINE, "source", errors, _("De bron"))
    if errors or goal is None:  # the errors name a missing goal
        raise Invalid(_("De meting is niet opgeslagen. Verbeter de gemarkeerde velden."), errors)
    return Measurement(initiative_id=initiative.id, goal_id=goal.id, kind=kind, measured_on=measured_on,
                       value=value, unit=goal.unit or unit, source=source)


def _refuse_in_this_state(initiative: Initiative, kinds: set[MeasurementKind]) -> None:
    if refusal := measurement_refusal(initiative.status, kinds):
        raise Conflict(refusal)


def record_measurement(user: User, initiative_id: int, data: MeasurementInput, today: date) -> Measurement:
    """Record one measurement of one of the initiative's goals."""
    with write_transaction():
        initiative = writable_initiative(user, initiative_id, lambda i: policies.works_on(user, i), MEASURERS)
        measurement = _checked_measurement(initiative, data, today)
        _store(user, initiative, [measurement])
        record(Actor(user=user), "measurement.record", measurement, after=_snapshot(measurement))
    return measurement


def record_measurements(user: User, initiative_id: int, data: list[MeasurementInput], today: date) -> list[Measurement]:
    """Several measurements at once (the API's list): all or none. Errors at `<n>-<field>`, n from 1."""
    with write_transaction():
        initiative = writable_initiative(user, initiative_id, lambda i: policies.works_on(user, i), MEASURERS)
        if not 1 <= len(data) <= limits.MEASUREMENTS_PER_UPLOAD:
            raise Invalid(_("Niets opgeslagen."), {"body": [
                _("Geef 1 tot %(n)s metingen tegelijk.", n=limits.MEASUREMENTS_PER_UPLOAD)]})
        measurements: list[Measurement] = []
        errors: dict[str, list[str]] = {}
        for n, item in enumerate(data, start=1):
            try:
                measurements.append(_checked_measurement(initiative, item, today))
            except Invalid as invalid:
                errors |= {f"{n}-{key}": [_("Meting %(n)s: %(problem)s", n=n, problem=m) for m in messages]
                           for key, messages in invalid.field_errors.items()}
        if errors:
            raise Invalid(_("Niets opgeslagen: %(n)s fout(en) gevonden.", n=len(errors)), errors)
        _store(user, initiative, measurements)
        _record_many(user, initiative, measurements)
    return measurements


def _store(user: User, initiative: Initiative, measurements: list[Measurement]) -> None:
    """Add checked measurements, when the initiative's state allows their kinds, and tell the parties."""
    _refuse_in_this_state(initiative, {m.kind for m in measurements})
    for measurement in measurements:
        measurement.entered_by_id, measurement.organisation_id = user.id, user.organisation_id
    db.session.add_all(measurements)
    db.session.flush()
    # Each party in its own language (services/notifications.Said).
    what = Said(LABELS.raw(measurements[0].kind)) if len(measurements) == 1 else \
        Said("%(n)s metingen", n=len(measurements))
    notify_parties(initiative, user, Said("%(what)s vastgelegd voor '%(title)s'.", what=what, title=initiative.title),
                   f"/initiatieven/{initiative.id}/monitor")


def _record_many(user: User, initiative: Initiative, measurements: list[Measurement]) -> None:
    """One audit entry for a batch (a file or a list): its rows are the measurements it names."""
    record(Actor(user=user), "measurement.import", initiative, after={
        "rows": len(measurements), "measurements": [m.id for m in measurements],
        "goals": sorted({m.goal_id for m in measurements})})


def _goal_keys(goals: list[SmartGoal]) -> dict[str, int]:
    """How a CSV may name a goal: its number, or its metric when no other goal has the same one."""
    keys = {str(g.id): g.id for g in goals}
    metrics = [g.metric.strip().lower() for g in goals]
    keys |= {metric: g.id for g, metric in zip(goals, metrics, strict=True) if metrics.count(metric) == 1}
    return keys


def import_measurements(user: User, initiative_id: int, text: str, today: date) -> list[Measurement]:
    """Every measurement of a CSV file, or none at all (Invalid lists every bad line by its number)."""
    with write_transaction():
        initiative = writable_initiative(user, initiative_id, lambda i: policies.works_on(user, i), MEASURERS)
        units = {g.id: g.unit for g in initiative.goals}
        rows, errors = parse_measurements_csv(text, _goal_keys(initiative.goals), today, units)
        if errors:
            raise Invalid(_("Niets geïmporteerd: %(n)s fout(en) gevonden.", n=len(errors)),
                          {"file": [translated(e) for e in errors]})
        measurements = [Measurement(initiative_id=initiative.id, goal_id=row.goal_id, kind=row.kind,
                                    measured_on=row.measured_on, value=row.value, unit=units[row.goal_id] or row.unit,
                                    source=row.source) for row in rows]
        _store(user, initiative, measurements)
        _record_many(user, initiative, measurements)
    return measurements


def _snapshot(measurement: Measurement) -> dict:
    return {"goal": measurement.goal_id, "kind": measurement.kind.value,
            "measured_on": measurement.measured_on.isoformat(), "value": str(measurement.value),
            "unit": measurement.unit, "source": measurement.source}


# The process log ----------------------------------------------------------------------------------

def add_process_entry(user: User, initiative_id: int, data: ProcessEntryInput, today: date) -> ProcessLogEntry:
    """A dated note in the process monitor: an agreement, the funding form, an intervention, an
    obstacle or a solution."""
    with write_transaction():
        initiative = writable_initiative(
            user, initiative_id, lambda i: policies.can_write_process_log(user, i, funding_insurers(i)), LOGGERS)
        if initiative.status in NO_LOG_STATES:
            raise Conflict(_("Het proceslogboek begint zodra het initiatief open is voor besluiten; "
                           "een concept of een ingetrokken initiatief heeft er geen."))
        errors: dict[str, list[str]] = {}
        occurred_on = limits.parse_date(data.occurred_on)
        if problem := date_problem(occurred_on, today):
            problem = translated(problem).replace(_("een meting"), _("een aantekening"))
            errors["occurred_on"] = [_("De datum: %(problem)s.", problem=problem)]
        try:
            kind = ProcessEntryKind(data.kind)
        except ValueError:
            errors["kind"] = [_("Kies een onderwerp: %(kinds)s.",
                                kinds=", ".join(label(k).lower() for k in ProcessEntryKind))]
        text = limits.checked_text(data.text, limits.TEXT, "text", errors, _("De aantekening"),
                                   required=_("Schrijf op wat er is afgesproken of gebeurd."))
        if errors or occurred_on is None:  # the errors name a missing date
            raise Invalid(_("De aantekening is niet opgeslagen. Verbeter de gemarkeerde velden."), errors)
        entry = ProcessLogEntry(initiative_id=initiative.id, occurred_on=occurred_on, kind=kind, text=text,
                                author_id=user.id, organisation_id=user.organisation_id)
        db.session.add(entry)
        db.session.flush()
        record(Actor(user=user), "process_log.add", entry, after={
            "initiative": initiative.id, "occurred_on": occurred_on.isoformat(), "kind": kind.value, "text": text})
        notify_parties(initiative, user, Said("Nieuwe aantekening in het proceslogboek van '%(title)s'.",
                                              title=initiative.title),
                       f"/initiatieven/{initiative.id}/monitor#proceslogboek")
    return entry


# Reading ------------------------------------------------------------------------------------------

@dataclass
class GoalMonitor:
    goal: SmartGoal
    measurements: list[Measurement]  # the newest LATEST_SHOWN, oldest first (the chart)
    progress: Progress
    total: int = 0  # how many the goal has

    @property
    def latest(self) -> list[Measurement]:
        """The most recent ones first (the table)."""
        return list(reversed(self.measurements))


@dataclass
class Monitor:
    initiative: Initiative
    goals: list[GoalMonitor]
    log: Page
    may_measure: bool
    may_log: bool
    may_upload: bool
    sees_documents: bool


def goal_monitors(initiative: Initiative) -> list[GoalMonitor]:
    """Each goal with its newest LATEST_SHOWN measurements and its progress, in one query that
    reads no more than that per goal (through the (goal, measured_on) index): the newest rows, the
    latest baseline and the latest later measurement (progress rests on those two), and the count."""
    newest = (Measurement.measured_on.desc(), Measurement.id.desc())
    is_baseline = sa.case((Measurement.kind == MeasurementKind.BASELINE, 1), else_=0)
    ranked = (sa.select(Measurement.id,
                        sa.func.row_number().over(partition_by=Measurement.goal_id, order_by=newest).label("rank"),
                        sa.func.row_number().over(partition_by=(Measurement.goal_id, is_baseline),
                                                  order_by=newest).label("rank_of_kind"),
                        sa.func.count().over(partition_by=Measurement.goal_id).label("total"))
              .where(Measurement.initiative_id == initiative.id).subquery())
    by_goal: dict[int, list[tuple[Measurement, bool]]] = {g.id: [] for g in initiative.goals}
    totals: dict[int, int] = {}
    for m, rank, total in db.session.execute(
            sa.select(Measurement, ranked.c.rank, ranked.c.total).join(ranked, ranked.c.id == Measurement.id)
            .where(sa.or_(ranked.c.rank <= LATEST_SHOWN, ranked.c.rank_of_kind == 1))
            .options(joinedload(Measurement.organisation)).order_by(Measurement.measured_on, Measurement.id)):
        by_goal[m.goal_id].append((m, rank <= LATEST_SHOWN))
        totals[m.goal_id] = total
    return [GoalMonitor(g, [m for m, shown in by_goal[g.id] if shown],
                        progress([Point(m.kind, m.measured_on, m.value) for m, _ in by_goal[g.id]],
                                 g.baseline_value, g.target_value), totals.get(g.id, 0))
            for g in initiative.goals]


def monitor(user: User, initiative_id: int, log_page: int = 1, cursor: Cursor | None = None) -> Monitor:
    """An initiative's monitor as this user may see it; NotFound when they may not see it."""
    initiative, asked = visible_initiative(user, initiative_id)
    funders = funding_insurers(initiative)
    return Monitor(initiative, goal_monitors(initiative), _process_log(user, initiative_id, log_page, PER_PAGE, cursor),
                   may_measure=policies.works_on(user, initiative),
                   may_log=policies.can_write_process_log(user, initiative, funders)
                   and initiative.status not in NO_LOG_STATES,
                   may_upload=policies.works_on(user, initiative),
                   sees_documents=visibility.sees_documents(user, initiative, asked))


def measurements(user: User, initiative_id: int, goal_id: int | None = None, page: int = 1,
                 per_page: int = PER_PAGE, cursor: Cursor | None = None) -> Page:
    """The initiative's measurements, newest first, one page (optionally of one goal)."""
    visible_initiative(user, initiative_id)
    query = (sa.select(Measurement).where(Measurement.initiative_id == initiative_id)
             .options(joinedload(Measurement.organisation)))
    if goal_id is not None:
        query = query.where(Measurement.goal_id == goal_id)
    return paginate(query, page, per_page, order=(Measurement.measured_on, Measurement.id), descending=True,
                    cursor=cursor)


def process_log(user: User, initiative_id: int, page: int = 1, per_page: int = PER_PAGE,
                cursor: Cursor | None = None) -> Page:
    """The process log, newest first, one page."""
    visible_initiative(user, initiative_id)
    return _process_log(user, initiative_id, page, per_page, cursor)


def _process_log(user: User, initiative_id: int, page: int, per_page: int, cursor: Cursor | None) -> Page:
    """Only the entries the user may see (an insurer's entry tells that it follows), in SQL so
    that every page is full and the count is right."""
    return paginate(sa.select(ProcessLogEntry).where(ProcessLogEntry.initiative_id == initiative_id,
                                                     visibility.process_entry_clause(user, clock.today()))
                    .options(joinedload(ProcessLogEntry.organisation)), page, per_page,
                    order=(ProcessLogEntry.occurred_on, ProcessLogEntry.id), descending=True, cursor=cursor)
