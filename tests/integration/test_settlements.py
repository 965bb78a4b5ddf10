"""Settlement (nacalculatie, issue 11) through its services: what is stored for a year, the
co-funding, the actual-use basis and its use reports, proposal → contest → mediation → final by the
scheduler (exactly once, with two schedulers), corrections as versions, and who sees what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
import sqlalchemy as sa

from innovatieregister import clock, visibility
from innovatieregister.domain.calendar import add_working_days
from innovatieregister.domain.funding import SettlementBasis, SettlementState, UseReportState
from innovatieregister.jobs import run_due
from innovatieregister.models import AuditEntry, Initiative, MediationCase, Notification, Organisation
from innovatieregister.models.funding import Settlement, SettlementContest, UseReport
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, mediation, settlements
from tests import flows
from tests.settlement_flows import CARE_OFFICE, FOLLOWER, LEAD, MUNICIPALITY, PROVIDER, YEAR, active_beds, propose

D = Decimal


def _settlement(db, settlement_id) -> Settlement:
    db.session.expire_all()
    return db.session.get(Settlement, settlement_id)


def _count(db, initiative_id) -> int:
    """The settlements of this initiative (the demo's pilot has one of its own)."""
    return db.session.scalar(sa.select(sa.func.count(Settlement.id)).where(Settlement.initiative_id == initiative_id))


def _code(db, organisation_id) -> str:
    return db.session.get(Organisation, organisation_id).code


def test_a_year_on_market_share_with_a_pro_rata_pledge_and_a_decliner(app, demo):
    initiative_id = active_beds(app, demo, declines="DSW", pledge="100000.00", pro_rata=True)
    settlement_id = propose(app, demo, initiative_id, "998000.00")
    with app.app_context():
        s = _settlement(demo, settlement_id)
        budget = flows.BUDGET
        # The pledge counts pro rata: 100.000 × 998.000 / 1.055.550,80, within a cent.
        exact_pledge = Fraction(10**5) * Fraction("998000") / Fraction(str(budget))
        assert abs(Fraction(str(s.co_funding)) - exact_pledge) < Fraction(1, 100)
        assert s.allocated == D("998000.00") - s.co_funding
        assert sum(line.allocated for line in s.lines) == s.allocated
        shares = {code: amount / Fraction(flows.INSURERS_PART)  # insured / total, exact
                  for code, amount in flows.exact_shares(app, demo, initiative_id).items()}
        lines = {_code(demo, line.insurer_id): line for line in s.lines}
        assert set(lines) == set(shares)  # every insurer of the key, the lead too
        for code, line in lines.items():
            assert abs(Fraction(str(line.allocated)) - Fraction(str(s.allocated)) * shares[code]) < Fraction(1, 100)
            # Advance: its share at opening of the budget less the pledge.
            if line.funds:
                exact_advance = (Fraction(str(budget)) - 100000) * shares[code]
                assert abs(Fraction(str(line.advance)) - exact_advance) < Fraction(1, 100)
                assert line.balance == line.allocated - line.advance
        assert lines["DSW"].funds is False and lines["DSW"].advance == lines["DSW"].balance == D("0.00")
        assert s.uncovered == lines["DSW"].allocated > 0
        assert lines["MENZIS"].funds is True
        assert s.state == SettlementState.PROPOSED and s.version == 1
        assert s.contest_deadline == add_working_days(clock.today(), app.config["SETTLEMENT_CONTEST_WORKING_DAYS"])
        assert [c.counted for c in s.co_funding_lines] == [s.co_funding]
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "settlement.propose",
                                                                AuditEntry.object_id == str(settlement_id)))
        assert entry.after["actual_cost"] == "998000.00"


def test_cost_lines_keep_what_was_budgeted_and_refuse_bad_amounts_at_the_line(app, demo):
    initiative_id = active_beds(app, demo)
    with app.app_context():
        lines = demo.session.get(Initiative, initiative_id).cost_lines
        actuals = [str(line.amount - 1) for line in lines]
        settlement = settlements.propose(flows.user(demo, LEAD), initiative_id, settlements.SettlementInput(
            YEAR, actual_costs=actuals), clock.today(), clock.now())
        assert [(c.description, c.budgeted, c.actual) for c in settlement.cost_lines] == [
            (line.description, line.amount, line.amount - 1) for line in lines]
        assert settlement.actual_cost == sum(line.amount - 1 for line in lines)
        with pytest.raises(Invalid) as refused:
            settlements.propose(flows.user(demo, LEAD), initiative_id, settlements.SettlementInput(
                YEAR, actual_costs=["-5"] + actuals[1:]), clock.today(), clock.now())
        assert "actual_costs-0" in refused.value.field_errors
        assert _count(demo, initiative_id) == 1


def test_only_the_lead_proposes_and_only_years_of_the_term(app, demo):
    initiative_id = active_beds(app, demo)
    with app.app_context():
        for email, error in ((FOLLOWER, NotAllowed), (PROVIDER, NotAllowed), (MUNICIPALITY, NotFound)):
            with pytest.raises(error):
                settlements.propose(flows.user(demo, email), initiative_id,
                                    settlements.SettlementInput(YEAR, actual_cost="1.00"), clock.today(), clock.now())
        with pytest.raises(Invalid) as refused:
            settlements.propose(flows.user(demo, LEAD), initiative_id,
                                settlements.SettlementInput(YEAR - 1, actual_cost="1.00"), clock.today(), clock.now())
        assert "year" in refused.value.field_errors
        assert _count(demo, initiative_id) == 0


def test_actual_use_settles_on_units_and_a_provider_report_needs_the_lead(app, demo):
    initiative_id = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE)
    lead_user = None
    with app.app_context():
        lead_user, hospital = flows.user(demo, LEAD), flows.user(demo, PROVIDER)
        # Without a confirmed report there is nothing to allocate by.
        with pytest.raises(Invalid) as refused:
            settlements.propose(lead_user, initiative_id, settlements.SettlementInput(YEAR, actual_cost="1000.00"),
                                clock.today(), clock.now())
        assert "use" in refused.value.field_errors
        # A provider uploads a CSV with two bad lines: nothing is stored, both are named.
        with pytest.raises(Invalid) as refused:
            settlements.import_use(hospital, initiative_id, YEAR, "verzekeraar;eenheden\nMENZIS;3\nVGZ;x\nNOPE;1\n",
                                   "gebruik.csv", clock.today(), clock.now())
        messages = refused.value.field_errors["file"]
        assert any("Regel 3" in m for m in messages) and any("NOPE" in m for m in messages)
        assert demo.session.scalar(sa.select(sa.func.count(UseReport.id))) == 0
        report = settlements.import_use(hospital, initiative_id, YEAR, "\ufeffverzekeraar;eenheden\r\nMENZIS;3\r\nVGZ;1\r\n",
                                        "gebruik.csv", clock.today(), clock.now())
        assert report.state == UseReportState.SUBMITTED
        with pytest.raises(NotAllowed):
            settlements.decide_use_report(hospital, report.id, True, "", clock.now())
        settlements.decide_use_report(lead_user, report.id, True, "", clock.now())
        settlement = settlements.propose(lead_user, initiative_id, settlements.SettlementInput(
            YEAR, actual_cost="1000.00"), clock.today(), clock.now())
        allocated = {_code(demo, line.insurer_id): line.allocated for line in settlement.lines}
        assert allocated["MENZIS"] == D("750.00") and allocated["VGZ"] == D("250.00")
        assert sum(allocated.values()) == D("1000.00")
        assert settlement.use_report_id == report.id


def test_a_rejected_report_needs_reasons_and_does_not_count(app, demo):
    initiative_id = active_beds(app, demo, basis=SettlementBasis.ACTUAL_USE)
    with app.app_context():
        report = settlements.record_use(flows.user(demo, PROVIDER), initiative_id, YEAR, {"MENZIS": 5},
                                        clock.today(), clock.now())
        with pytest.raises(Invalid):
            settlements.decide_use_report(flows.user(demo, LEAD), report.id, False, "", clock.now())
        settlements.decide_use_report(flows.user(demo, LEAD), report.id, False, "Telling klopt niet.", clock.now())
        assert demo.session.get(UseReport, report.id).state == UseReportState.REJECTED
        with pytest.raises(Invalid):
            settlements.propose(flows.user(demo, LEAD), initiative_id,
                                settlements.SettlementInput(YEAR, actual_cost="10.00"), clock.today(), clock.now())


def test_final_by_the_scheduler_exactly_once_with_two_schedulers(app, demo, frozen_clock):
    initiative_id = active_beds(app, demo)
    settlement_id = propose(app, demo, initiative_id)
    with app.app_context():
        deadline = _settlement(demo, settlement_id).contest_deadline
        assert run_due(clock.now(), include_mail=False)["finalise_settlements"] == 0
    frozen_clock.advance(timedelta(days=(deadline - clock.today()).days + 1))
    with app.app_context():
        first, second = (run_due(clock.now(), include_mail=False)["finalise_settlements"] for _ in range(2))
        # And a second scheduler that picked the same id before the first claimed it:
        assert settlements.finalise(settlement_id, clock.today(), clock.now()) is False
        assert (first, second) == (1, 0)
        settlement = _settlement(demo, settlement_id)
        assert settlement.state == SettlementState.FINAL and settlement.final_at is not None
        assert demo.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "settlement.final", AuditEntry.object_id == str(settlement_id))) == 1


def test_contest_blocks_final_and_goes_to_mediation_for_its_parties(app, demo, frozen_clock):
    initiative_id = active_beds(app, demo, pledge="50000.00")
    settlement_id = propose(app, demo, initiative_id)
    with app.app_context():
        for email in (LEAD, PROVIDER, CARE_OFFICE):
            with pytest.raises((NotAllowed, NotFound)):
                settlements.contest(flows.user(demo, email), settlement_id, "Nee.", clock.today(), clock.now())
        with pytest.raises(Invalid):
            settlements.contest(flows.user(demo, FOLLOWER), settlement_id, "  ", clock.today(), clock.now())
        objection_id = settlements.contest(flows.user(demo, FOLLOWER), settlement_id,
                                           "De ICT-kosten kloppen niet.", clock.today(), clock.now()).id
        settlements.contest(flows.user(demo, MUNICIPALITY), settlement_id, "Wij betalen pro rata.",
                            clock.today(), clock.now())
        assert _settlement(demo, settlement_id).state == SettlementState.CONTESTED
        case = settlements.to_mediation(flows.user(demo, FOLLOWER), settlement_id, "Wij komen er niet uit.")
        assert (case.reason, case.settlement_id, case.follow_request_id) == ("settlement_contested", settlement_id, None)
        with pytest.raises(Conflict):
            settlements.to_mediation(flows.user(demo, LEAD), settlement_id, "Nog een keer.")
        # The mediator's queue shows it; the contesting parties see the case, another insurer does not.
        queue = mediation.queue_for(flows.user(demo, "bemiddelaar@demo.nl"), clock.today())
        assert case.id in [row.case.id for row in queue.items]
        case = demo.session.get(MediationCase, case.id)
        for email, sees in ((FOLLOWER, True), (MUNICIPALITY, True), (LEAD, True), ("achmea@demo.nl", False),
                            (CARE_OFFICE, False)):
            viewer = flows.user(demo, email)
            assert visibility.sees_case(viewer, case) is sees, email
            assert (demo.session.scalar(sa.select(sa.func.count(MediationCase.id)).where(
                MediationCase.id == case.id, visibility.case_clause(viewer))) == 1) is sees, email
        deadline = _settlement(demo, settlement_id).contest_deadline
    frozen_clock.advance(timedelta(days=(deadline - clock.today()).days + 1))
    with app.app_context():
        assert run_due(clock.now(), include_mail=False)["finalise_settlements"] == 0  # contested: not final
        with pytest.raises(Conflict):  # the period has passed
            settlements.contest(flows.user(demo, "achmea@demo.nl"), settlement_id, "Te laat.", clock.today(),
                                clock.now())
        settlements.withdraw_contest(flows.user(demo, FOLLOWER), objection_id, clock.today(), clock.now())
        assert _settlement(demo, settlement_id).state == SettlementState.CONTESTED  # the municipality's stands
        municipal = next(c for c in _settlement(demo, settlement_id).contests if c.resolved_at is None)
        settlements.withdraw_contest(flows.user(demo, MUNICIPALITY), municipal.id, clock.today(), clock.now())
        assert _settlement(demo, settlement_id).state == SettlementState.FINAL  # resolved after the period


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(app, demo):
    initiative_id = active_beds(app, demo)
    first = propose(app, demo, initiative_id, "998000.00")
    with app.app_context():
        objection_id = settlements.contest(flows.user(demo, FOLLOWER), first, "Te hoog.", clock.today(),
                                           clock.now()).id
    second = propose(app, demo, initiative_id, "990000.00")
    with app.app_context():
        old, new = _settlement(demo, first), _settlement(demo, second)
        assert (old.state, new.state, new.version, new.supersedes_id) == (
            SettlementState.SUPERSEDED, SettlementState.PROPOSED, 2, first)
        assert old.actual_cost == D("998000.00") and new.actual_cost == D("990000.00")
        assert demo.session.get(SettlementContest, objection_id).resolved_at is not None
        page = settlements.settlements_page(flows.user(demo, FOLLOWER), initiative_id, clock.today())
        year = next(y for y in page.years if y.year == YEAR)
        assert year.current.id == second and [s.id for s in year.history] == [first]
        entry = demo.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "settlement.correct"))
        assert entry.before["actual_cost"] == "998000.00" and entry.after["actual_cost"] == "990000.00"


def test_who_sees_a_settlement(app, demo):
    initiative_id = active_beds(app, demo, declines="DSW", pledge="50000.00")
    settlement_id = propose(app, demo, initiative_id)
    with app.app_context():
        staff = {u.email: u for u in demo.session.scalars(sa.select(flows.User))}
        settlement = _settlement(demo, settlement_id)
        expected = {LEAD: True, FOLLOWER: True, PROVIDER: True, MUNICIPALITY: True, "bemiddelaar@demo.nl": True,
                    "beheerder@demo.nl": True, CARE_OFFICE: False, "ouderenzorg@demo.nl": True}  # involved too
        dsw_staff = next((e for e, u in staff.items() if u.organisation.code == "DSW"), None)
        if dsw_staff:
            expected[dsw_staff] = False  # it declined: no party to the settlement
        for email, sees in expected.items():
            viewer = staff[email]
            assert visibility.sees_settlement(viewer, settlement) is sees, email
            in_sql = demo.session.scalar(sa.select(sa.func.count(Settlement.id)).where(
                Settlement.id == settlement_id, visibility.settlement_clause(viewer)))
            assert (in_sql == 1) is sees, email
        notified = set(demo.session.scalars(sa.select(flows.User.email).join(
            Notification, Notification.user_id == flows.User.id).where(Notification.kind == "settlement.update")))
        assert {FOLLOWER, MUNICIPALITY} <= notified and CARE_OFFICE not in notified


def test_the_demo_has_a_running_pilot_with_last_year_settled(app, settled_demo, client, auth):
    demo = settled_demo
    from innovatieregister.services.demo import PILOT_ACTUAL_COST, PILOT_PLEDGE, PILOT_TITLE

    with app.app_context():
        pilot = demo.session.scalar(sa.select(Initiative).where(Initiative.title == PILOT_TITLE))
        assert pilot.status == "active" and pilot.activated_at.year == clock.today().year - 1
        (settlement,) = demo.session.scalars(sa.select(Settlement).where(Settlement.initiative_id == pilot.id)).all()
        assert (settlement.year, settlement.state) == (clock.today().year - 1, SettlementState.FINAL)
        assert settlement.actual_cost == PILOT_ACTUAL_COST
        # The municipality's pledge counts pro rata: within a cent of pledge × actual / budget.
        exact = Fraction(str(PILOT_PLEDGE)) * Fraction(str(PILOT_ACTUAL_COST)) / Fraction(str(pilot.annual_budget))
        assert abs(Fraction(str(settlement.co_funding)) - exact) < Fraction(1, 100)
        assert sum(line.allocated for line in settlement.lines) == settlement.allocated == (
            settlement.actual_cost - settlement.co_funding)
        assert settlement.uncovered == sum(line.allocated for line in settlement.lines if not line.funds) > 0
        assert all(line.balance == line.allocated - line.advance for line in settlement.lines if line.funds)
        pilot_id = pilot.id
    auth.login(MUNICIPALITY)
    page = client.get(f"/initiatieven/{pilot_id}/nacalculatie")
    assert page.status_code == 200 and "Definitief" in page.text and "Gemeente Enschede" in page.text


def test_price_times_volume_settles_the_actual_volume(app, demo):
    from innovatieregister.domain.funding import FundingModel

    initiative_id = active_beds(app, demo)
    with app.app_context():
        initiative = demo.session.get(Initiative, initiative_id)
        initiative.funding_model, initiative.unit_price, initiative.expected_volume = (
            FundingModel.PRICE_VOLUME, D("361.49"), 2920)
        demo.session.commit()
        lead = flows.user(demo, LEAD)
        for volume in ("veel", -1, 10**12):
            with pytest.raises(Invalid) as refused:
                settlements.propose(lead, initiative_id, settlements.SettlementInput(YEAR, actual_volume=volume),
                                    clock.today(), clock.now())
            assert "actual_volume" in refused.value.field_errors
        settlement = settlements.propose(lead, initiative_id, settlements.SettlementInput(YEAR, actual_volume=2761),
                                         clock.today(), clock.now())
        assert (settlement.actual_volume, settlement.unit_price, settlement.actual_cost) == (
            2761, D("361.49"), D("361.49") * 2761)
        assert sum(line.allocated for line in settlement.lines) == settlement.allocated == settlement.actual_cost
