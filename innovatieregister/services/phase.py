"""Start-up and scale-up (domain/phase.py): moving an innovation to scale-up, and what the
registry and the adoption page show of how it has been evaluated.

"Latest evaluation": the one recorded last (the highest id; evaluations are recorded, never
edited, so the order of recording is the order of their ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from innovatieregister import policies, visibility
from innovatieregister.domain.monitoring import LABELS, POSITIVE_VERDICTS, MeasurementKind, Verdict
from innovatieregister.domain.phase import RESULT_KINDS, Phase, scale_up_refusal
from innovatieregister.domain.progress import Point, ProgressStatus, mean_progress, progress
from innovatieregister.extensions import db
from innovatieregister.models import Evaluation, FollowRequest, Initiative, Measurement, SmartGoal, User
from innovatieregister.services import Conflict, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.initiatives import ask_to_follow, follow_market, snapshot
from innovatieregister.services.notifications import Said, notify_organisations


@dataclass(frozen=True)
class LatestEvaluation:
    verdict: Verdict
    recorded_at: datetime

    @property
    def label(self) -> str:
        return LABELS[self.verdict]

    @property
    def positive(self) -> bool:
        return self.verdict in POSITIVE_VERDICTS


def latest_evaluations(initiative_ids: list[int]) -> dict[int, LatestEvaluation]:
    """Each initiative's latest periodic or final evaluation (domain.phase.RESULT_KINDS), for a list
    of initiatives, in one query."""
    if not initiative_ids:
        return {}
    latest = (sa.select(sa.func.max(Evaluation.id).label("id"))
              .where(Evaluation.initiative_id.in_(initiative_ids), Evaluation.kind.in_(list(RESULT_KINDS)))
              .group_by(Evaluation.initiative_id).subquery())
    rows = db.session.execute(sa.select(Evaluation.initiative_id, Evaluation.verdict, Evaluation.created_at)
                              .join(latest, latest.c.id == Evaluation.id))
    return {initiative_id: LatestEvaluation(verdict, at) for initiative_id, verdict, at in rows}


@dataclass(frozen=True)
class GoalsAtAGlance:
    """The registry's view of an initiative's goals: how many are measured, and how far they came."""

    measured: int  # goals with a measured progress (domain.progress.ProgressStatus.MEASURED)
    goals: int
    mean: Fraction | None  # domain.progress.mean_progress


def goals_at_a_glance(initiative_ids: list[int]) -> dict[int, GoalsAtAGlance]:
    """Per initiative, its goals' progress, in one query: each goal with its latest baseline and its
    latest periodic or final measurement (the two points domain.progress.progress reads)."""
    if not initiative_ids:
        return {}
    is_baseline = sa.case((Measurement.kind == MeasurementKind.BASELINE, 1), else_=0)
    ranked = sa.select(
        Measurement.goal_id, Measurement.kind, Measurement.measured_on, Measurement.value,
        sa.func.row_number().over(partition_by=(Measurement.goal_id, is_baseline),
                                  order_by=(Measurement.measured_on.desc(), Measurement.id.desc())).label("rank"),
    ).where(Measurement.initiative_id.in_(initiative_ids)).subquery()
    rows = db.session.execute(
        sa.select(SmartGoal.initiative_id, SmartGoal.id, SmartGoal.baseline_value, SmartGoal.target_value,
                  ranked.c.kind, ranked.c.measured_on, ranked.c.value)
        .outerjoin(ranked, sa.and_(ranked.c.goal_id == SmartGoal.id, ranked.c.rank == 1))
        .where(SmartGoal.initiative_id.in_(initiative_ids)))
    goals: dict[int, dict[int, tuple]] = {}
    points: dict[int, list[Point]] = {}
    for initiative_id, goal_id, baseline, target, kind, measured_on, value in rows:
        goals.setdefault(initiative_id, {})[goal_id] = (baseline, target)
        if kind is not None:
            points.setdefault(goal_id, []).append(Point(kind, measured_on, value))
    glance = {}
    for initiative_id, its_goals in goals.items():
        progresses = [progress(points.get(goal_id, []), baseline, target)
                      for goal_id, (baseline, target) in its_goals.items()]
        glance[initiative_id] = GoalsAtAGlance(
            sum(1 for p in progresses if p.status == ProgressStatus.MEASURED), len(progresses),
            mean_progress(progresses))
    return glance


_LATER = aliased(Evaluation, name="later_evaluation")  # built once: an alias costs its column proxies


def evaluated_successfully(initiative_id) -> sa.ColumnElement[bool]:
    """domain.phase.is_evaluated_successfully as a clause on an initiative id column: its latest
    periodic or final evaluation has a positive verdict (no later one of those kinds exists). Both
    lookups use the evaluations' initiative index."""
    later = _LATER
    return sa.exists().where(
        Evaluation.initiative_id == initiative_id, Evaluation.kind.in_(list(RESULT_KINDS)),
        Evaluation.verdict.in_(list(POSITIVE_VERDICTS)),
        ~sa.exists().where(later.initiative_id == Evaluation.initiative_id, later.kind.in_(list(RESULT_KINDS)),
                           later.id > Evaluation.id))


EVALUATIONS_SHOWN = 10  # the registry's entry shows the newest few; the life-cycle page pages through all


def evaluations_of(initiative_id: int, limit: int = EVALUATIONS_SHOWN,
                   kinds: frozenset[MeasurementKind] = frozenset(MeasurementKind)) -> list[Evaluation]:
    """An initiative's newest evaluations (of these kinds), latest first (the registry's entry and
    adoption page show them all; the scale-up page the latest of RESULT_KINDS it rests on)."""
    return list(db.session.scalars(sa.select(Evaluation).where(
        Evaluation.initiative_id == initiative_id, Evaluation.kind.in_(list(kinds)))
        .order_by(Evaluation.id.desc()).limit(limit)))


def latest_verdict(initiative_id: int) -> Verdict | None:
    latest = latest_evaluations([initiative_id]).get(initiative_id)
    return latest.verdict if latest else None


def scale_up_problem(initiative: Initiative) -> str | None:
    """Why this initiative cannot move to scale-up now (for the confirmation page), or None."""
    return scale_up_refusal(initiative.kind, initiative.phase, initiative.status, latest_verdict(initiative.id))


def scale_up(user: User, initiative_id: int, today: date) -> Initiative:
    """The lead moves a start-up innovation that has been evaluated successfully to scale-up.

    From now on the duty to follow applies: the allocation key is frozen (if it was not) and
    every other insurer with insured in the region gets a follow request with a deadline, as
    when an initiative opens for decisions. The initiative keeps running (its status stays)."""
    with write_transaction():
        initiative = db.session.scalar(
            sa.select(Initiative).where(Initiative.id == initiative_id).with_for_update(of=Initiative))
        if initiative is None:
            raise NotFound(_("Dit initiatief bestaat niet."))
        if not policies.is_lead_staff(user, initiative):
            insurers = db.session.scalars(sa.select(FollowRequest.insurer_id).where(
                FollowRequest.initiative_id == initiative.id))
            if visibility.sees_initiative(user, initiative, insurers):
                raise NotAllowed(_("Alleen de leidende verzekeraar brengt een innovatie naar de opschalingsfase."))
            raise NotFound(_("Dit initiatief bestaat niet."))
        verdict = latest_verdict(initiative.id)
        refusal = scale_up_refusal(initiative.kind, initiative.phase, initiative.status, verdict)
        if refusal:
            raise Conflict(refusal)
        market = follow_market(user, initiative, today)
        before = snapshot(initiative)
        initiative.phase = Phase.SCALE_UP
        deadline, asked = ask_to_follow(
            initiative, market, today,
            Said("'%(title)s' is na een positieve evaluatie naar de opschalingsfase gebracht: het volgbeleid is "
                 "nu van toepassing.", title=initiative.title))
        record(Actor(user=user), "initiative.scale_up", initiative, before=before, after={
            **snapshot(initiative), "latest_verdict": str(verdict), "deadline": deadline.isoformat(),
            "follow_requests": asked,
        })
        notify_organisations([p.provider_id for p in initiative.providers], "initiative.scale_up",
                             Said("'%(title)s' is naar de opschalingsfase gebracht; de verzekeraars in %(region)s "
                                  "is gevraagd te volgen.", title=initiative.title, region=initiative.region.name),
                             f"/initiatieven/{initiative.id}")
    return initiative
