"""Start-up and scale-up, and evaluated success driving spreading (issue 10; source 000)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.domain.phase import is_evaluated_successfully
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.models import (
    AuditEntry,
    Evaluation,
    FollowRequest,
    Initiative,
    MarketShare,
    Measurement,
    Notification,
    Organisation,
)
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, adoption, initiatives, phase
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput
from tests import flows

pytestmark = pytest.mark.usefixtures("demo")


def _evaluate(app, ctx, initiative_id: int, verdict: str, kind: str = "periodic") -> None:
    flows.add_evaluation(app, ctx, initiative_id, verdict, kind)
    ctx.session.remove()  # a new transaction sees it


def _register(ctx, kind: str, phase_value: str) -> int:
    providers = ctx.session.scalars(sa.select(Organisation.id).where(
        Organisation.code.in_(["ZH-TWENTE", "VVT-TWENTE"]))).all()
    return initiatives.register(flows.user(ctx, "menzis@demo.nl"), InitiativeInput(
        title=f"{kind} {phase_value}", region_code="ZK22", kind=kind, phase=phase_value, provider_ids=providers,
        cost_lines=[CostLineInput("ict", "Platform", "1000.00")]), flows.TODAY).id


def _requests(ctx, initiative_id: int) -> list[str]:
    return sorted(ctx.session.scalars(sa.select(Organisation.code).join(
        FollowRequest, FollowRequest.insurer_id == Organisation.id).where(FollowRequest.initiative_id == initiative_id)))


def test_a_start_up_innovation_is_registered_but_not_opened_for_decisions(ctx):
    start_up = _register(ctx, "innovation", "start_up")
    with pytest.raises(Conflict) as refused:
        initiatives.open_for_decisions(flows.user(ctx, "menzis@demo.nl"), start_up, flows.TODAY, clock.now())
    assert "opstartfase kent geen volgplicht" in refused.value.message
    assert "onderscheidend vermogen op innovatie in de opstartfase" in refused.value.message  # the policy's reason
    ctx.session.remove()
    initiative = ctx.session.get(Initiative, start_up)
    assert initiative.status == InitiativeState.CONCEPT and initiative.market_share_set_id is None
    assert _requests(ctx, start_up) == []


@pytest.mark.parametrize(("kind", "phase_value"), [("innovation", "scale_up"), ("jzojp_intervention", "start_up"),
                                                   ("jzojp_intervention", "scale_up")])
def test_scale_up_innovations_and_every_jzojp_intervention_open_as_before(ctx, kind, phase_value):
    opened = initiatives.open_for_decisions(flows.user(ctx, "menzis@demo.nl"), _register(ctx, kind, phase_value),
                                            flows.TODAY, clock.now())
    assert opened.status == InitiativeState.OPEN and "VGZ" in _requests(ctx, opened.id)


def _others_with_insured_in_twente(ctx, initiative_id: int) -> list[str]:
    initiative = ctx.session.get(Initiative, initiative_id)
    return sorted(ctx.session.scalars(sa.select(Organisation.code).join(
        MarketShare, MarketShare.insurer_id == Organisation.id).where(
        MarketShare.set_id == initiative.market_share_set_id, MarketShare.region_id == initiative.region_id,
        MarketShare.insured > 0, Organisation.code != "MENZIS")))


def test_the_lead_moves_a_successful_start_up_innovation_to_scale_up_and_the_region_is_asked_to_follow(app, ctx):
    running = flows.monitored_innovation_id(app, ctx)
    before = ctx.session.scalar(sa.select(sa.func.max(AuditEntry.seq)))
    phase.scale_up(flows.user(ctx, "menzis@demo.nl"), running, flows.TODAY)
    ctx.session.remove()
    initiative = ctx.session.get(Initiative, running)
    assert initiative.phase == "scale_up"
    assert initiative.status == InitiativeState.ACTIVE  # it keeps running
    assert initiative.market_share_set_id is not None  # the allocation key is frozen
    asked = _requests(ctx, running)
    assert asked == _others_with_insured_in_twente(ctx, running) and "VGZ" in asked and "MENZIS" not in asked
    [entry] = ctx.session.scalars(sa.select(AuditEntry).where(AuditEntry.seq > before,
                                                              AuditEntry.action == "initiative.scale_up")).all()
    assert entry.object_id == str(running) and entry.before["phase"] == "start_up"
    assert entry.after["phase"] == "scale_up" and entry.after["latest_verdict"] == "on_track"
    assert entry.after["follow_requests"] == asked

    def told(email):
        return ctx.session.scalars(sa.select(Notification.message).where(
            Notification.user_id == flows.user(ctx, email).id)).all()

    assert any("opschalingsfase" in m and "volgbeleid is nu van toepassing" in m for m in told("vgz@demo.nl"))
    assert any("opschalingsfase" in m for m in told("ziekenhuis@demo.nl"))  # a provider involved


def _scale_up_refused(ctx, email: str, initiative_id: int, error=Conflict) -> str:
    before = (ctx.session.get(Initiative, initiative_id).phase, _requests(ctx, initiative_id),
              ctx.session.scalar(sa.select(sa.func.count(AuditEntry.id))))
    with pytest.raises(error) as refused:
        phase.scale_up(flows.user(ctx, email), initiative_id, flows.TODAY)
    ctx.session.remove()
    assert (ctx.session.get(Initiative, initiative_id).phase, _requests(ctx, initiative_id),
            ctx.session.scalar(sa.select(sa.func.count(AuditEntry.id)))) == before
    return refused.value.message


def test_scale_up_rests_on_the_latest_evaluation_being_positive(app, ctx):
    running = flows.monitored_innovation_id(app, ctx)
    _evaluate(app, ctx, running, "behind")  # after the positive one
    assert "de laatste evaluatie zegt 'Achter op schema'" in _scale_up_refused(ctx, "menzis@demo.nl", running)
    _evaluate(app, ctx, running, "achieved")
    phase.scale_up(flows.user(ctx, "menzis@demo.nl"), running, flows.TODAY)
    assert "al in de opschalingsfase" in _scale_up_refused(ctx, "menzis@demo.nl", running)


def test_a_baseline_evaluation_counts_neither_for_scale_up_nor_for_the_success_filter(app, ctx):
    """At a baseline nothing is achieved yet: success is read from the latest periodic or final evaluation."""
    running = flows.monitored_innovation_id(app, ctx)
    viewer = flows.user(ctx, "achmea@demo.nl")
    _evaluate(app, ctx, running, "behind")
    _evaluate(app, ctx, running, "on_track", kind="baseline")  # later, but a baseline
    _evaluate(app, ctx, running, "achieved", kind="baseline")  # as an older version let it be stored
    assert phase.latest_evaluations([running])[running].verdict == "behind"
    assert adoption.registry(viewer=viewer, today=flows.TODAY, evaluation="succesvol").total == 0
    assert "de laatste evaluatie zegt 'Achter op schema'" in _scale_up_refused(ctx, "menzis@demo.nl", running)
    ctx.session.execute(sa.delete(Evaluation).where(Evaluation.initiative_id == running, Evaluation.kind != "baseline"))
    ctx.session.commit()
    assert phase.latest_evaluations([running]) == {}
    assert "nog geen periodieke of eindevaluatie vastgelegd" in _scale_up_refused(ctx, "menzis@demo.nl", running)


def test_scale_up_needs_a_running_evaluated_innovation_and_the_lead(app, ctx):
    running = flows.monitored_innovation_id(app, ctx)
    draft = _register(ctx, "innovation", "start_up")
    assert "activeert haar eerst" in _scale_up_refused(ctx, "menzis@demo.nl", draft)
    observation_beds = flows.observation_beds_id(app, ctx)
    assert "JZOJP-interventie" in _scale_up_refused(ctx, "menzis@demo.nl", observation_beds)
    # A provider involved sees it and is told who may; an insurer that may not see it learns nothing.
    assert "Alleen de leidende verzekeraar" in _scale_up_refused(ctx, "ziekenhuis@demo.nl", running, NotAllowed)
    assert _scale_up_refused(ctx, "vgz@demo.nl", running, NotFound) == "Dit initiatief bestaat niet."
    ctx.session.execute(sa.delete(Evaluation).where(Evaluation.initiative_id == running))
    ctx.session.commit()
    assert "nog geen periodieke of eindevaluatie vastgelegd" in _scale_up_refused(ctx, "menzis@demo.nl", running)


def test_latest_evaluations_and_the_success_filter_agree(app, ctx):
    """The Python rule (domain) over latest_evaluations and the SQL clause pick the same initiatives."""
    running = flows.monitored_innovation_id(app, ctx)
    draft = _register(ctx, "innovation", "start_up")
    later_behind = _register(ctx, "innovation", "scale_up")
    behind_then_achieved = _register(ctx, "jzojp_intervention", "scale_up")
    for initiative_id, verdicts in ((later_behind, ["on_track", "behind"]),
                                    (behind_then_achieved, ["behind", "not_achieved", "achieved"])):
        for verdict in verdicts:
            _evaluate(app, ctx, initiative_id, verdict)
    ids = [running, draft, later_behind, behind_then_achieved]
    latest = phase.latest_evaluations(ids)
    assert {i: e.verdict for i, e in latest.items()} == {running: "on_track", later_behind: "behind",
                                                         behind_then_achieved: "achieved"}
    in_python = {i for i in ids if is_evaluated_successfully(latest[i].verdict if i in latest else None)}
    in_sql = set(ctx.session.scalars(sa.select(Initiative.id).where(
        Initiative.id.in_(ids), phase.evaluated_successfully(Initiative.id))))
    assert in_python == in_sql == {running, behind_then_achieved}


def test_the_registrys_glance_at_the_goals_agrees_with_each_goals_full_progress(app, ctx):
    """One ranked query reads each goal's latest baseline and latest periodic/final measurement; the
    progress computed from those two must equal the progress computed from all its measurements."""
    from datetime import timedelta
    from decimal import Decimal

    from innovatieregister.domain.progress import Point, ProgressStatus, mean_progress, progress

    running = flows.monitored_innovation_id(app, ctx)
    goals = ctx.session.get(Initiative, running).goals
    ctx.session.execute(sa.delete(Measurement).where(Measurement.goal_id == goals[0].id))
    # A second measurement on the same day as the latest, entered later: it is the one that counts.
    latest = ctx.session.scalars(sa.select(Measurement).where(Measurement.goal_id == goals[1].id)
                                 .order_by(Measurement.measured_on.desc(), Measurement.id.desc())).first()
    ctx.session.add(Measurement(initiative_id=running, goal_id=goals[1].id, kind=latest.kind,
                                measured_on=latest.measured_on, value=latest.value + Decimal("1.5"),
                                organisation_id=latest.organisation_id))
    # An older periodic measurement entered last: it must not count as the latest.
    ctx.session.add(Measurement(initiative_id=running, goal_id=goals[2].id, kind="periodic",
                                measured_on=latest.measured_on - timedelta(days=400), value=Decimal("0"),
                                organisation_id=latest.organisation_id))
    ctx.session.commit()
    draft = _register(ctx, "innovation", "start_up")  # no goals at all

    def full(goal) -> object:
        rows = ctx.session.scalars(sa.select(Measurement).where(Measurement.goal_id == goal.id)
                                   .order_by(Measurement.id)).all()
        return progress([Point(m.kind, m.measured_on, m.value) for m in rows], goal.baseline_value, goal.target_value)

    expected = [full(goal) for goal in goals]
    glance = phase.goals_at_a_glance([running, draft])
    assert set(glance) == {running}
    assert glance[running].goals == len(goals)
    assert glance[running].measured == sum(1 for p in expected if p.status == ProgressStatus.MEASURED)
    assert glance[running].measured == len(goals) - 1 and glance[running].mean is not None
    assert glance[running].mean == mean_progress(expected)


def _adopt(ctx, source: int, **kwargs) -> Initiative:
    return adoption.adopt(flows.user(ctx, "vgz@demo.nl"), source, "ZK16", flows.TODAY, **kwargs)


def test_adopting_an_innovation_without_a_positive_evaluation_needs_explicit_confirmation(app, ctx):
    running = flows.monitored_innovation_id(app, ctx)
    _evaluate(app, ctx, running, "not_achieved")
    count = ctx.session.scalar(sa.select(sa.func.count(Initiative.id)))
    with pytest.raises(Invalid) as refused:
        _adopt(ctx, running)
    [message] = refused.value.field_errors["confirm_without_positive_evaluation"]
    assert "niet positief geëvalueerd" in message and "'Doelen niet behaald'" in message
    ctx.session.remove()
    assert ctx.session.scalar(sa.select(sa.func.count(Initiative.id))) == count
    copy = _adopt(ctx, running, confirm_without_positive_evaluation=True).id
    ctx.session.remove()
    assert ctx.session.get(Initiative, copy).adopted_without_positive_evaluation is True
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.adopt",
                                                           AuditEntry.object_id == str(copy)))
    assert entry.after["adopted_without_positive_evaluation"] is True
    assert entry.after["origin_latest_verdict"] == "not_achieved"


def test_a_successful_innovation_and_a_jzojp_intervention_are_adopted_without_confirmation(app, ctx):
    successful = _adopt(ctx, flows.monitored_innovation_id(app, ctx)).id
    flows.open_observation_beds(app, ctx)  # a JZOJP intervention, never evaluated: as before
    intervention = _adopt(ctx, flows.observation_beds_id(app, ctx)).id
    ctx.session.remove()
    assert [ctx.session.get(Initiative, i).adopted_without_positive_evaluation
            for i in (successful, intervention)] == [False, False]


def test_the_registry_filters_on_evaluated_success(app, ctx):
    running = flows.monitored_innovation_id(app, ctx)
    flows.open_observation_beds(app, ctx)
    viewer = flows.user(ctx, "achmea@demo.nl")
    assert adoption.registry(viewer=viewer, today=flows.TODAY).total == 2
    successful = adoption.registry(viewer=viewer, today=flows.TODAY, evaluation="succesvol")
    assert [s.initiative.id for s in successful.items] == [running] and successful.total == 1
    _evaluate(app, ctx, running, "behind")
    after = adoption.registry(viewer=viewer, today=flows.TODAY, evaluation="succesvol")
    assert (after.items, after.total) == ([], 0)
    with pytest.raises(Invalid) as refused:
        adoption.registry(viewer=viewer, today=flows.TODAY, evaluation="ja")
    assert "evaluatie" in refused.value.field_errors


def test_the_demo_innovation_is_active_evaluated_and_monitored(app, ctx):
    initiative = ctx.session.get(Initiative, flows.monitored_innovation_id(app, ctx))
    assert (initiative.status, initiative.kind, initiative.phase) == ("active", "innovation", "start_up")
