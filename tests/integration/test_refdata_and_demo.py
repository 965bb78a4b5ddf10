"""Reference data and the demo scenario: real, labelled, loaded idempotently."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from innovatieregister.models import (
    AuditEntry,
    Evaluation,
    Initiative,
    MarketShare,
    MarketShareSet,
    Measurement,
    MonitoringMoment,
    Municipality,
    Organisation,
    OrganisationKind,
    ProcessLogEntry,
    Region,
    Role,
    User,
)
from innovatieregister.services.audit import Actor
from innovatieregister.services.refdata import load_reference_data
from tests.conftest import count_rows

MODELS = (Region, Municipality, Organisation, User, MarketShareSet, MarketShare, Initiative, Measurement, Evaluation,
          ProcessLogEntry, MonitoringMoment)


def test_reference_data_has_the_31_regions_403_municipalities_and_10_concerns(ctx):
    report = load_reference_data(Actor.command("test"))
    assert (report.regions, report.municipalities, report.insurers, report.criteria) == (31, 403, 10, 7)
    codes = set(ctx.session.scalars(sa.select(Region.code)))
    assert len(codes) == 31 and "ZK22" in codes and "ZK33" in codes
    # Regions 19 and 22 of 2014 merged into ZK33.
    zk33 = ctx.session.scalar(sa.select(Region).where(Region.code == "ZK33"))
    assert zk33.zorgkantoor_codes == "5519, 5522"
    twente = ctx.session.scalar(sa.select(Region).where(Region.code == "ZK22"))
    names = {m.name for m in twente.municipalities}
    assert {"Enschede", "Hengelo", "Almelo"} <= names and len(names) == 14
    insurers = ctx.session.scalars(
        sa.select(Organisation.name).where(Organisation.kind == OrganisationKind.INSURER)
    ).all()
    assert {"Achmea", "VGZ", "CZ", "Menzis", "DSW"} <= set(insurers)
    every_insurer_has_its_source = ctx.session.scalars(
        sa.select(Organisation.source).where(Organisation.kind == OrganisationKind.INSURER)
    ).all()
    assert all("staatvenz.nl" in s for s in every_insurer_has_its_source)


def test_loading_reference_data_twice_changes_nothing(ctx):
    load_reference_data(Actor.command("test"))
    before = {m: count_rows(ctx, m) for m in (Region, Municipality, Organisation, AuditEntry)}
    second = load_reference_data(Actor.command("test"))
    assert (second.regions, second.municipalities, second.insurers) == (0, 0, 0)
    assert {m: count_rows(ctx, m) for m in before} == before


def test_demo_load_is_idempotent(settled_demo, ctx):
    from innovatieregister.services.demo import load_demo

    before = {m: count_rows(ctx, m) for m in (*MODELS, AuditEntry)}
    report = load_demo()
    assert report.created == []
    assert {m: count_rows(ctx, m) for m in before} == before


def test_demo_has_one_user_per_role_and_at_least_four_insurer_users(demo, ctx):
    users = ctx.session.scalars(sa.select(User)).all()
    assert {u.role for u in users} == set(Role)
    insurer_orgs = {u.organisation_id for u in users if u.role == Role.INSURER_STAFF}
    assert len(insurer_orgs) >= 4


def test_demo_observation_beds_budget_is_the_nza_2025_rate_times_365_times_8(demo, ctx):
    initiative = ctx.session.scalar(
        sa.select(Initiative).where(Initiative.title == "Observatiebedden Twente")
    )
    assert initiative.status == "concept"
    assert initiative.region.code == "ZK22"
    assert initiative.annual_budget == Decimal("361.49") * 365 * 8 == Decimal("1055550.80")
    [line] = initiative.cost_lines
    assert "€ 361,49 × 365 dagen × 8 bedden" in line.basis and "verenso.nl" in line.source
    assert len(initiative.providers) >= 2


def test_demo_market_shares_are_marked_illustrative_and_add_up_to_the_inhabitants(demo, ctx):
    from innovatieregister.services.refdata import region_rows

    share_set = ctx.session.scalar(sa.select(MarketShareSet))
    assert share_set.illustrative is True
    assert "ILLUSTRATIEF" in share_set.source
    totals = dict(ctx.session.execute(
        sa.select(Region.code, sa.func.sum(MarketShare.insured))
        .join(MarketShare, MarketShare.region_id == Region.id).group_by(Region.code)
    ).all())
    expected = {code: sum(int(r["inwoners_sotszorg_year_unknown"]) for r in rows)
                for code, rows in region_rows().items()}
    assert totals == expected


def _monitored(ctx) -> Initiative:
    from innovatieregister.services.demo import MONITORING_TITLE

    return ctx.session.scalar(sa.select(Initiative).where(Initiative.title == MONITORING_TITLE))


def _one_year_after(day):
    return day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else day.replace(year=day.year + 1, day=28)


@pytest.mark.parametrize("days_later", [0, 400, 1200])
def test_the_demo_has_an_older_running_innovation_dated_from_the_clock(refdata, ctx, frozen_clock, days_later):
    """Active for over a year with its term fixed; per goal (with a category and numbers) a baseline and
    two yearly measurements; a process log; one positive periodic evaluation resting on the latest
    measurements. Dated from the clock, whenever the demo is loaded."""
    from innovatieregister import clock
    from innovatieregister.domain.monitoring import POSITIVE_VERDICTS
    from innovatieregister.services.demo import load_demo

    frozen_clock.advance(timedelta(days=days_later))
    today = clock.today()
    load_demo()
    initiative = _monitored(ctx)
    assert (initiative.status, initiative.kind, initiative.phase) == ("active", "innovation", "start_up")
    start = initiative.term_start
    assert initiative.activated_at.date() == start and today - start > timedelta(days=2 * 365)
    assert initiative.start_up_end == _one_year_after(start)  # a start-up year, then three years
    assert initiative.term_end == _one_year_after(_one_year_after(_one_year_after(initiative.start_up_end)))
    assert initiative.term_end > today
    assert len(initiative.goals) >= 2 and all(
        g.category and g.baseline_value is not None and g.target_value is not None and g.unit
        for g in initiative.goals)
    assert len({g.category for g in initiative.goals}) == len(initiative.goals)  # several outcome categories
    for goal in initiative.goals:
        measured = ctx.session.scalars(sa.select(Measurement).where(Measurement.goal_id == goal.id)
                                       .order_by(Measurement.measured_on)).all()
        assert [m.kind for m in measured] == ["baseline", "periodic", "periodic"]
        assert [m.measured_on for m in measured] == [start, _one_year_after(start),
                                                     _one_year_after(_one_year_after(start))]
        assert measured[0].value == goal.baseline_value and all(m.measured_on <= today for m in measured)
    [evaluation] = ctx.session.scalars(sa.select(Evaluation).where(Evaluation.initiative_id == initiative.id)).all()
    assert evaluation.kind == "periodic" and evaluation.verdict in POSITIVE_VERDICTS
    assert start < evaluation.created_at.date() <= today
    assert {m.measured_on for m in evaluation.measurements} == {_one_year_after(_one_year_after(start))}
    assert ctx.session.scalar(sa.select(sa.func.count(ProcessLogEntry.id)).where(
        ProcessLogEntry.initiative_id == initiative.id)) >= 2
    # Nothing on its calendar is overdue: the moments that passed are done.
    assert ctx.session.scalars(sa.select(MonitoringMoment).where(
        MonitoringMoment.initiative_id == initiative.id, MonitoringMoment.done_at.is_(None),
        MonitoringMoment.due_on < today)).all() == []
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "initiative.create",
                                                           AuditEntry.object_id == str(initiative.id)))
    assert entry.after["status"] == "active" and entry.after["evaluations"] == [evaluation.verdict.value]
    assert entry.after["measurements"] == 3 * len(initiative.goals)
