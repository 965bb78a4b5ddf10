"""Reference data and the demo scenario: real, labelled, loaded idempotently."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from innovatieregister.models import (
    AuditEntry,
    Initiative,
    MarketShare,
    MarketShareSet,
    Municipality,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    User,
)
from innovatieregister.services.audit import Actor
from innovatieregister.services.refdata import load_reference_data
from tests.conftest import count_rows

MODELS = (Region, Municipality, Organisation, User, MarketShareSet, MarketShare, Initiative)


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


def test_demo_load_is_idempotent(demo, ctx):
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
    assert "361.49" in line.basis and "verenso.nl" in line.source
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
