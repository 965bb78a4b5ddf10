"""The figures per insurer and the national medians from each request's stored first decision
(services/decision_times.py, issue 15): the stored values kept in the flush that writes a decision,
and every figure identical to the computation they replaced. That computation is kept here as the
oracle: every counted request read and converted in Python, as services/dashboards.py did before
(main 2330054)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister import clock, visibility
from innovatieregister.domain.calendar import dutch_date, working_days_between
from innovatieregister.domain.workflow import UNDECIDED_REQUEST_STATES, FollowRequestState
from innovatieregister.models import (
    Decision,
    DecisionKind,
    FollowRequest,
    Initiative,
    Organisation,
    OrganisationKind,
    Region,
    RequestKind,
    User,
)
from innovatieregister.services import committed, dashboards, decision_times, decisions
from innovatieregister.services.dashboards import Facet, median_of_counts
from tests import flows
from tests.web.test_dashboards import region  # noqa: F401 (the fixture of known figures)

# The oracle -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    initiative_id: int
    region_id: int
    insurer_id: int
    deadline: date
    asked_on: date
    first_decided_on: date | None
    standing: DecisionKind | None
    weighty: bool | None
    undecided: bool

    @property
    def days(self) -> int | None:
        return None if self.first_decided_on is None else working_days_between(self.asked_on, self.first_decided_on)

    def facets(self, today: date) -> set[Facet]:
        found = {Facet.ASKED}
        if self.first_decided_on is not None:
            found.add(Facet.IN_TIME if self.first_decided_on <= self.deadline else Facet.LATE)
        if self.standing is not None:
            found.add(Facet.DECIDED)
            found.add(Facet.FOLLOWS if self.standing == DecisionKind.FOLLOW else Facet.DECLINES)
            if self.standing == DecisionKind.DECLINE and not self.weighty:
                found.add(Facet.INSUFFICIENT)
        if self.undecided and self.deadline < today:
            found.add(Facet.OVERDUE)
        return found


def _old_facts(db, user: User, today: date, region_id: int | None = None,
               insurer_id: int | None = None) -> list[_Facts]:
    first = (sa.select(Decision.follow_request_id, sa.func.min(Decision.decided_at).label("first"))
             .group_by(Decision.follow_request_id).subquery())
    standing = sa.orm.aliased(Decision)
    query = (sa.select(FollowRequest.initiative_id, Initiative.region_id, FollowRequest.insurer_id,
                       FollowRequest.deadline, FollowRequest.created_at, FollowRequest.state,
                       sa.type_coerce(first.c.first, Decision.decided_at.type), standing.kind, standing.weighty)
             .join(Initiative, Initiative.id == FollowRequest.initiative_id)
             .outerjoin(first, first.c.follow_request_id == FollowRequest.id)
             .outerjoin(standing, sa.and_(standing.follow_request_id == FollowRequest.id, standing.standing.is_(True)))
             .where(FollowRequest.kind == RequestKind.FOLLOW, FollowRequest.state != FollowRequestState.CANCELLED,
                    visibility.decisions_clause(user, today), visibility.initiative_clause(user)))
    if region_id is not None:
        query = query.where(Initiative.region_id == region_id)
    if insurer_id is not None:
        query = query.where(FollowRequest.insurer_id == insurer_id)
    return [_Facts(r[0], r[1], r[2], r[3], dutch_date(r[4]), dutch_date(r[6]) if r[6] is not None else None, r[7],
                   r[8], r[7] is None and r[5] in UNDECIDED_REQUEST_STATES) for r in db.session.execute(query)]


def _old_median(facts) -> Fraction | None:
    days = [d for f in facts if (d := f.days) is not None]
    return Fraction(statistics.median_low(days) + statistics.median_high(days), 2) if days else None


def _old_insurer_figures(db, user, today, region_id):
    grouped = defaultdict(list)
    for f in _old_facts(db, user, today, region_id):
        grouped[f.insurer_id].append(f)
    result = {}
    for insurer_id, rows in grouped.items():
        counts = {facet: 0 for facet in Facet}
        for row in rows:
            for facet in row.facets(today):
                counts[facet] += 1
        result[insurer_id] = (counts, _old_median(rows))
    return result


def _old_national_medians(db, user, today):
    grouped = defaultdict(list)
    for f in _old_facts(db, user, today):
        grouped[f.region_id].append(f)
    return {region_id: _old_median(grouped[region_id]) for region_id in db.session.scalars(sa.select(Region.id))}


# The data: the dashboards' fixture grown with more kinds of decisions --------------------------------

@pytest.fixture
def grown(app, demo, frozen_clock, region):  # noqa: F811 (the imported fixture)
    """The five initiatives of tests/web/test_dashboards plus the observation beds in Twente, with
    decisions over a weekend and a changed decision (its first version stays the first), and an
    adoption request decided (another axis, never counted)."""
    beds = flows.open_observation_beds(app, demo)
    adoption_request = flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "VGZ")
    frozen_clock.advance(timedelta(days=4))  # over the weekend
    with app.app_context():
        def decide(email, initiative_id, kind, arguments=()):
            decisions.decide(flows.user(demo, email), initiative_id, kind, "", list(arguments), None, clock.today())

        decide("vgz@demo.nl", beds, "follow")
        decide("dsw@demo.nl", beds, "decline", flows.NOT_WEIGHTY)
        decide("dsw@demo.nl", region["A"], "follow")  # DSW's first on A
        decisions.decide_on_request(flows.user(demo, "vgz@demo.nl"), adoption_request, "follow", "", [], None,
                                    clock.today())
    frozen_clock.advance(timedelta(days=3))
    with app.app_context():
        decide("cz@demo.nl", region["A"], "follow")  # CZ changes its decline: the first stays the first
        decide("dsw@demo.nl", beds, "decline", flows.WEIGHTY)
        # A decline without a recorded weighing counts as insufficiently substantiated.
        demo.session.execute(sa.update(Decision).where(Decision.standing.is_(True), Decision.follow_request_id == (
            sa.select(FollowRequest.id).join(Organisation, Organisation.id == FollowRequest.insurer_id)
            .where(FollowRequest.initiative_id == region["E"], Organisation.code == "DSW").scalar_subquery()))
            .values(weighty=None))
        demo.session.commit()
        deadline = demo.session.get(FollowRequest, _request_id(demo, beds, "CZ")).deadline
    # CZ decides on the observation beds on its deadline's day: still in time.
    frozen_clock.advance(timedelta(days=(deadline - clock.today()).days))
    assert clock.today() == deadline
    with app.app_context():
        decide("cz@demo.nl", beds, "follow")
    return {**region, "beds": beds}


def _request_id(db, initiative_id: int, code: str) -> int:
    return db.session.scalar(sa.select(FollowRequest.id).join(Organisation, Organisation.id == FollowRequest.insurer_id)
                             .where(FollowRequest.initiative_id == initiative_id, Organisation.code == code,
                                    FollowRequest.kind == RequestKind.FOLLOW))


def _users(db) -> list[User]:
    return list(db.session.scalars(sa.select(User).order_by(User.id)))


def _days_later(db) -> list[date]:
    """Today, the deadlines of the requests still undecided (overdue only the day after) and a month
    on: as deadlines pass, what an insurer may see and what is overdue changes."""
    deadlines = set(db.session.scalars(sa.select(FollowRequest.deadline).where(
        FollowRequest.state.in_(UNDECIDED_REQUEST_STATES), FollowRequest.deadline >= clock.today())))
    return sorted({clock.today(), *deadlines, clock.today() + timedelta(days=31)})


def test_the_figures_per_insurer_equal_the_computation_they_replace_for_every_user(app, demo, grown):
    compared = 0
    with app.test_request_context():
        regions = [None, *demo.session.scalars(sa.select(Region).where(Region.code.in_(["ZK03", "ZK22"])))]
        for user in _users(demo):
            for today in _days_later(demo):
                for region in regions:
                    if not dashboards.sees_insurer_figures(user, region, today):
                        continue
                    new = {f.insurer.id: (f.counts, f.median_days)
                           for f in dashboards.insurer_figures(user, today, region)}
                    assert new == _old_insurer_figures(demo, user, today, region.id if region else None), (
                        user.email, today, region and region.code)
                    compared += bool(new)
    assert compared >= 10  # leads, the mediator and admins, on both days, with figures to compare


def test_the_national_medians_equal_the_computation_they_replace(app, demo, grown):
    with app.test_request_context():
        for email in ("bemiddelaar@demo.nl", "beheerder@demo.nl"):
            user = flows.user(demo, email)
            for today in _days_later(demo):
                new = {row.region.id: row.median_days for row in dashboards.national_overview(user, today)}
                old = _old_national_medians(demo, user, today)
                assert new == old
                assert sum(m is not None for m in old.values()) >= 2  # ZK03 and Twente have decisions


def _old_national_totals(user, today) -> dict[int, tuple]:
    """Per region, as the overview summed every initiative's figures computed in Python."""
    per_region = defaultdict(list)
    for f in dashboards._initiative_figures(user, today):
        per_region[f.region_id].append(f)
    return {region_id: (_shown(dashboards._totals(f for f in mine if f.in_scope)),
                        _shown(dashboards._totals(f for f in mine if f.stall is not None)),
                        sum(1 for f in mine if f.status == "in_mediation")) for region_id, mine in per_region.items()}


def _shown(totals: dashboards.Totals) -> tuple:
    # str(): the amounts as they are written out (an API or CSV writes Decimal's own digits).
    return (totals.count, str(totals.budget), str(totals.funded_budget), str(totals.committed), str(totals.gap),
            totals.coverage)


def test_the_national_totals_equal_the_computation_they_replace(app, demo, grown):
    with app.test_request_context():
        for email in ("bemiddelaar@demo.nl", "beheerder@demo.nl"):
            user = flows.user(demo, email)
            for today in _days_later(demo):
                new = {row.region.id: (_shown(row.totals), _shown(row.stalled), row.in_mediation)
                       for row in dashboards.national_overview(user, today)}
                old = _old_national_totals(user, today)
                empty = (_shown(dashboards.Totals()), _shown(dashboards.Totals()), 0)
                assert new == {region_id: old.get(region_id, empty) for region_id in new}, (email, today)
                assert sum(stalled[0] for _funding, stalled, _m in new.values()) >= 3  # partial, mediation, late
                assert any(funding[3] not in ("0.00", "0") for funding, _s, _m in new.values())


def test_the_list_behind_every_per_insurer_figure_equals_the_one_it_replaced(app, demo, grown):
    with app.test_request_context():
        insurers = list(demo.session.scalars(sa.select(Organisation).where(
            Organisation.kind == OrganisationKind.INSURER)))
        non_empty = 0
        for email in ("menzis@demo.nl", "vgz@demo.nl", "cz@demo.nl", "dsw@demo.nl", "bemiddelaar@demo.nl",
                      "ziekenhuis@demo.nl", "gemeente@demo.nl"):
            user = flows.user(demo, email)
            for today in _days_later(demo):
                for insurer in insurers:
                    for facet in Facet:
                        for code in (None, "ZK03"):
                            args = {"verzekeraar": insurer.code, "verzoek": facet.value} | (
                                {"regio": code} if code else {})
                            (clause,) = dashboards.list_filters(user, today, args)
                            new = sorted(clause.right.value)
                            region_id = demo.session.scalar(sa.select(Region.id).where(Region.code == code))
                            old = sorted({f.initiative_id for f in _old_facts(demo, user, today, region_id, insurer.id)
                                          if facet in f.facets(today)})
                            assert new == old, (email, today, insurer.code, facet, code)
                            non_empty += bool(new)
        assert non_empty >= 50


# The stored values ----------------------------------------------------------------------------------

def _stored_vs_independent(db) -> list[tuple[int, tuple, tuple]]:
    """Every request's stored first decision against one worked out here from its decisions."""
    differences = []
    for request in db.session.scalars(sa.select(FollowRequest)):
        moments = [d.decided_at for d in request.decisions]
        expected = (None, None)
        if moments:
            first_on = dutch_date(min(moments))
            expected = (first_on, working_days_between(dutch_date(request.created_at), first_on))
        if (request.first_decided_on, request.decision_days) != expected:
            differences.append((request.id, (request.first_decided_on, request.decision_days), expected))
    return differences


def test_the_stored_first_decision_is_kept_by_every_decision_in_its_flush(app, demo, grown):
    with app.app_context():
        assert _stored_vs_independent(demo) == []
        assert decision_times.mismatches() == []
        decided = demo.session.scalars(sa.select(FollowRequest).where(FollowRequest.first_decided_on.is_not(None)))
        days = {r.decision_days for r in decided}
        assert {0, 2, 4} <= days  # the same day, two working days, four over a weekend (7 calendar days later)


def test_the_check_command_finds_and_fixes_a_stored_first_decision_that_drifted(app, demo, grown):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["registry", "check"]).exit_code == 0
    with app.app_context():
        request_id = demo.session.scalar(sa.select(FollowRequest.id).where(FollowRequest.decision_days == 2)
                                         .order_by(FollowRequest.id).limit(1))
        demo.session.execute(sa.update(FollowRequest).where(FollowRequest.id == request_id)
                             .values(decision_days=7))
        right = demo.session.get(Initiative, grown["B"]).committed_all
        demo.session.execute(sa.update(Initiative).where(Initiative.id == grown["B"])
                             .values(committed_all=Decimal("1.23")))
        demo.session.commit()
    wrong = runner.invoke(args=["registry", "check"])
    assert wrong.exit_code == 1 and f"Verzoek {request_id}: opgeslagen eerste besluit" in wrong.output
    assert ", 7 werkdagen; herberekend" in wrong.output
    assert f"Initiatief {grown['B']}: opgeslagen toegezegd 1.23; herberekend {right}." in wrong.output
    assert runner.invoke(args=["registry", "check", "--fix"]).exit_code == 0
    with app.app_context():
        assert demo.session.get(FollowRequest, request_id).decision_days == 2
        assert demo.session.get(Initiative, grown["B"]).committed_all == right
    assert runner.invoke(args=["registry", "check"]).exit_code == 0


@given(st.dictionaries(st.integers(-5, 60), st.integers(1, 4), max_size=12))
def test_the_median_of_counts_is_the_median_of_the_values_written_out(counts):
    values = [value for value, n in counts.items() for _ in range(n)]
    expected = Fraction(statistics.median_low(values) + statistics.median_high(values), 2) if values else None
    assert median_of_counts(counts) == expected


def _committed_agrees(db) -> None:
    """Every initiative's stored committed part equals the one computed live for an admin (who
    sees every decision), None outside the funding scope."""
    admin = flows.user(db, "beheerder@demo.nl")
    live = {f.id: f.committed if f.in_scope else None for f in dashboards._initiative_figures(admin, clock.today())}
    stored = {i: c for i, c in db.session.execute(sa.select(Initiative.id, Initiative.committed_all))}
    assert stored == live
    assert committed.mismatches() == []


def test_the_stored_committed_part_is_kept_by_every_change_in_its_flush(app, demo, grown):
    from innovatieregister.services import co_funding, lifecycle

    with app.test_request_context():
        _committed_agrees(demo)
        in_scope = demo.session.scalars(sa.select(Initiative.committed_all).where(
            Initiative.committed_all.is_not(None))).all()
        assert len(in_scope) >= 4 and any(c > 0 for c in in_scope)
    # A provider's adoption request followed: that insurer funds too.
    flows.decide(app, demo, "achmea@demo.nl", "decline", flows.WEIGHTY)
    with app.test_request_context():
        _committed_agrees(demo)
        beds = grown["beds"]
        before = demo.session.get(Initiative, beds).committed_all
        request_id = flows.ask_adoption(app, demo, "ziekenhuis@demo.nl", "ACHMEA")
        decisions.decide_on_request(flows.user(demo, "achmea@demo.nl"), request_id, "follow", "", [], None,
                                    clock.today())
        _committed_agrees(demo)
        assert demo.session.get(Initiative, beds).committed_all > before
        # Withdrawn: out of the funding scope.
        lifecycle.withdraw(flows.user(demo, "menzis@demo.nl"), grown["D"], "Geen draagvlak meer.", clock.today(),
                           clock.now())
        _committed_agrees(demo)
        assert demo.session.get(Initiative, grown["D"]).committed_all is None
        # A co-funder's pledge confirmed on a draft, then the draft opened: its co-funding counts.
        draft = grown["C"]
        pledge = co_funding.add_pledge(flows.user(demo, "menzis@demo.nl"), draft,
                                       co_funding.PledgeInput("GEM-ENSCHEDE", "100.00"))
        _committed_agrees(demo)
        co_funding.decide_pledge(flows.user(demo, "gemeente@demo.nl"), pledge.id, True, "", clock.now())
        _committed_agrees(demo)
        from innovatieregister.services import initiatives

        initiatives.open_for_decisions(flows.user(demo, "menzis@demo.nl"), draft, clock.today(), clock.now())
        _committed_agrees(demo)
        assert demo.session.get(Initiative, draft).committed_all >= Decimal("100.00")  # the pledge and the lead
        decisions.decide(flows.user(demo, "vgz@demo.nl"), draft, "follow", "", [], None, clock.today())
        _committed_agrees(demo)


def test_the_stored_committed_part_follows_a_cost_line_or_a_request_changed_directly(app, demo, grown):
    """No use case changes these once an initiative is funded today; the stored part follows anyway."""
    from innovatieregister.models import CostLine

    with app.test_request_context():
        line = demo.session.scalar(sa.select(CostLine).where(CostLine.initiative_id == grown["A"]))
        line.amount += Decimal("123.45")
        demo.session.commit()
        _committed_agrees(demo)
        # DSW's followed request on B handed to ASR, outside B's key: that follow no longer funds.
        request = demo.session.get(FollowRequest, _request_id(demo, grown["B"], "DSW"))
        request.insurer_id = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ASR"))
        demo.session.commit()
        _committed_agrees(demo)
