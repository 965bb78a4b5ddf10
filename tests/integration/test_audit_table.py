"""Every use case writes its audit entry, in the same transaction as its change.

The table below names, per use case of services/, the audit actions it must write and on which
kind of object. Each row is run three ways:
- with every audit insert failing: the use case fails and the database is exactly as it was
  (the change never commits without its entry);
- as it is: the expected entries appear, about the object the use case changed;
- refused (bad input, or someone who may not), where the use case can be refused: no entry, no change.
A service function that opens a write transaction and is neither in the table nor in NOT_AUDITED
fails the test, like a route missing from the authorization matrix.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from innovatieregister import clock
from innovatieregister.domain.funding import SettlementBasis
from innovatieregister.models import (
    ApiToken,
    ArgumentCriterion,
    AuditEntry,
    CoFundingPledge,
    Follow,
    FollowRequest,
    Initiative,
    MediationCase,
    Notification,
    Organisation,
    StatementRequest,
    User,
)
from innovatieregister.models.funding import Settlement, UseReport
from innovatieregister.services import (
    ServiceError,
    accounts,
    adoption,
    co_funding,
    committed,
    conditions,
    criteria,
    deadlines,
    decision_times,
    decisions,
    demo,
    documents,
    follows,
    initiatives,
    lifecycle,
    mail,
    market_shares,
    mediation,
    monitoring,
    notifications,
    phase,
    publication,
    refdata,
    regional_plans,
    savings,
    settlements,
    tokens,
)
from innovatieregister.services.audit import Actor
from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput
from tests import flows, monitor_flows, savings_flows, settlement_flows
from tests.conftest import DEMO_PASSWORD

SERVICES = Path(__file__).resolve().parents[2] / "innovatieregister" / "services"
COMMAND = Actor.command("test")
NEW_PASSWORD = "een-nieuw-lang-wachtwoord"

# Use cases that change no object of the register and so write no audit entry, with the reason.
NOT_AUDITED = {
    "deadlines.remind": "a reminder only notifies; its claim keeps it from being sent twice",
    "deadlines.warn_term_end": "a warning only notifies; its claim keeps it from being sent twice",
    "deadlines.remind_statement": "a reminder only notifies; its claim keeps it from being sent twice",
    "mail.deliver_due": "the outbox's delivery bookkeeping; what caused the message is audited",
    "lifecycle.remind_moment": "a reminder only notifies; its claim keeps it from being sent twice",
}


class S:
    """What a row needs: the database and a user by e-mail."""

    def __init__(self, app, db):
        self.app, self.db = app, db

    def user(self, email: str) -> User:
        return flows.user(self.db, email)

    def request_of(self, code: str, kind: str = "follow") -> FollowRequest:
        return self.db.session.scalar(sa.select(FollowRequest).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(
            Organisation.code == code, FollowRequest.kind == kind))

    def case(self) -> MediationCase:
        return self.db.session.scalar(sa.select(MediationCase).order_by(MediationCase.id.desc()))

    @property
    def initiative_id(self) -> int:
        return flows.observation_beds_id(self.app, self.db)

    @property
    def running_id(self) -> int:
        """The demo's running start-up innovation, evaluated 'on track'."""
        return flows.monitored_innovation_id(self.app, self.db)


@dataclass
class UseCase:
    name: str  # module.function in services/, with a variant after a space
    actions: dict[str, str]  # audit action → type of the object it is about
    act: Callable[[S], object]  # does it; returns the object changed (a model, or (type, id))
    setup: Callable[[S], None] = lambda s: None
    refuse: Callable[[S], object] | None = None  # the same use case, refused
    data: str = "demo"  # the data set it starts from: demo, refdata or empty


# Setups (through the services, as flows does) ---------------------------------------------------

def _notification_of(s: S, email: str) -> int:
    return s.db.session.scalar(sa.select(Notification.id).where(Notification.user_id == s.user(email).id)
                               .order_by(Notification.id).limit(1))


def opened(s: S) -> None:
    flows.open_observation_beds(s.app, s.db)


def dsw_declined(s: S) -> None:
    opened(s)
    flows.decide(s.app, s.db, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)


def vgz_follows_on_conditions(s: S) -> None:
    opened(s)
    flows.decide(s.app, s.db, "vgz@demo.nl", "follow", conditions=flows.CONDITIONS)


def funded_on_conditions(s: S) -> None:
    flows.fund_observation_beds(s.app, s.db, conditions_of="VGZ")


def mediation_asked(s: S) -> None:
    dsw_declined(s)
    with s.app.app_context():
        mediation.request_mediation(s.user("menzis@demo.nl"), s.initiative_id, "insufficient_decline",
                                    "Onvoldoende onderbouwd.", s.request_of("DSW").id)


def in_mediation(s: S) -> None:
    dsw_declined(s)
    flows.mediation_on_dsw(s.app, s.db)


def statement_asked(s: S) -> None:
    dsw_declined(s)
    flows.mediation_on_dsw(s.app, s.db, ask_statement_of="DSW")


def follow_required(s: S) -> None:
    in_mediation(s)
    with s.app.app_context():
        mediation.record_finding(s.user("bemiddelaar@demo.nl"), s.case().id, "follow_required", "Volgen.",
                                 flows.TODAY, clock.now())


def all_but_dsw_follow(s: S) -> None:
    opened(s)
    with s.app.app_context():
        asked = s.db.session.scalars(sa.select(User.email).join(
            FollowRequest, FollowRequest.insurer_id == User.organisation_id)
            .where(FollowRequest.initiative_id == s.initiative_id)).all()
    for email in asked:
        if email != "dsw@demo.nl":
            flows.decide(s.app, s.db, email, "follow")
    with s.app.app_context():  # insurers without staff in the demo get a staff member to follow
        for request in s.db.session.scalars(sa.select(FollowRequest).where(
                FollowRequest.initiative_id == s.initiative_id, FollowRequest.state == "open")).all():
            code = request.insurer.code
            if code != "DSW":
                email = f"staf@{code.lower()}.test"
                accounts.create_user(email, "Staf", code, "insurer_staff", DEMO_PASSWORD, COMMAND)
                decisions.decide(s.user(email), s.initiative_id, "follow", "", [], None, flows.TODAY)


def fully_funded(s: S) -> None:
    flows.fund_observation_beds(s.app, s.db)


def partially_funded(s: S) -> None:
    flows.fund_observation_beds(s.app, s.db, declines="DSW")


def followed(s: S) -> None:
    with s.app.app_context():
        follows.follow(s.user("cz@demo.nl"), s.running_id)


def _follow_of(s: S, email: str) -> tuple[str, int]:
    return "Follow", s.db.session.scalar(sa.select(Follow.id).where(Follow.user_id == s.user(email).id))


def active(s: S) -> None:
    flows.activate_observation_beds(s.app, s.db)


def evaluated_on_track(s: S) -> None:
    active(s)
    with s.app.app_context():
        _evaluate(s, "final", "on_track")


def scaled_up_and_evaluated(s: S) -> None:
    """The demo's running innovation moved to scale-up (the insurers are asked while it runs), then
    evaluated for the last time."""
    with s.app.app_context():
        phase.scale_up(s.user("menzis@demo.nl"), s.running_id, flows.TODAY)
        lifecycle.record_evaluation(s.user("menzis@demo.nl"), s.running_id,
                                    lifecycle.EvaluationInput("final", "on_track", "Onderbouwd."), clock.now())


def _evaluate(s: S, kind: str, verdict: str, email: str = "menzis@demo.nl", reasoning: str = "Onderbouwd.") -> object:
    lifecycle.record_evaluation(s.user(email), s.initiative_id,
                                lifecycle.EvaluationInput(kind, verdict, reasoning), clock.now())
    return s.db.session.get(Initiative, s.initiative_id)


def _moment(s: S, kind: str):
    from innovatieregister.models.monitoring import MonitoringMoment

    return s.db.session.scalar(sa.select(MonitoringMoment).where(
        MonitoringMoment.initiative_id == s.initiative_id, MonitoringMoment.kind == kind)
        .order_by(MonitoringMoment.due_on))


def _initiative(s: S) -> Initiative:
    return s.db.session.get(Initiative, s.initiative_id)


def adoption_asked(s: S) -> None:
    opened(s)
    flows.ask_adoption(s.app, s.db, "ziekenhuis@demo.nl", "DSW")


def with_token(s: S) -> None:
    with s.app.app_context():
        tokens.create_token(s.user("cz@demo.nl"), "eerste", clock.now())


def _draft(s: S, title: str = "Wijkverpleging op afstand", amount: str = "98765.43") -> InitiativeInput:
    hospital = s.db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ZH-TWENTE"))
    return InitiativeInput(title=title, region_code="ZK22", kind="innovation", phase="start_up",
                           provider_ids=[hospital], cross_institution_justification="Met huisartsen en gemeente.",
                           cost_lines=[CostLineInput("ict", "Platform", amount)])


def _settled_year(s: S) -> None:
    """The observation beds opened with a savings agreement and a final settlement of a year (as rows)."""
    initiative_id = savings_flows.opened_with_agreement(s.app, s.db)
    savings_flows.measure(s.app, s.db, initiative_id, "1900")
    savings_flows.final_settlement(s.app, s.db, initiative_id, "998000.00")


def running(s: S) -> None:
    """The observation beds active, with a measurable goal (tests/monitor_flows.py)."""
    monitor_flows.running(s.app, s.db)


IMPACT = adoption.Impact("Verkeerde-beddagen naar observatiebedden", 400, "bed_days", date(2027, 12, 31))
DECLINE = [decisions.ArgumentInput("insufficient_evidence", 2, "Geen effectmeting.")]


def _later(day: date) -> date:
    return day + timedelta(days=1)


# Settlement (nacalculatie, issue 11) --------------------------------------------------------------

def _settlement(s: S) -> Settlement:
    return s.db.session.scalar(sa.select(Settlement).order_by(Settlement.id.desc()))


def _settlement_input(cost: str = "998000.00") -> settlements.SettlementInput:
    return settlements.SettlementInput(settlement_flows.YEAR, actual_cost=cost)


def beds_active(s: S) -> None:
    settlement_flows.active_beds(s.app, s.db)


def beds_on_use(s: S) -> None:
    settlement_flows.active_beds(s.app, s.db, basis=SettlementBasis.ACTUAL_USE)


def use_submitted(s: S) -> None:
    beds_on_use(s)
    with s.app.app_context():
        settlements.record_use(s.user("ziekenhuis@demo.nl"), s.initiative_id, settlement_flows.YEAR, {"VGZ": 3},
                               clock.today(), clock.now())


def proposed(s: S) -> None:
    beds_active(s)
    settlement_flows.propose(s.app, s.db, s.initiative_id)


def contested(s: S) -> None:
    proposed(s)
    with s.app.app_context():
        settlements.contest(s.user("vgz@demo.nl"), _settlement(s).id, "Te hoog.", clock.today(), clock.now())


def _contest_of(s: S) -> int:
    return _settlement(s).contests[0].id


def _after_contest_period(s: S) -> date:
    return _settlement(s).contest_deadline + timedelta(days=1)


SETTLEMENT_USE_CASES = [
    UseCase("settlements.propose", {"settlement.propose": "Settlement"},
            lambda s: settlements.propose(s.user("menzis@demo.nl"), s.initiative_id, _settlement_input(),
                                          clock.today(), clock.now()),
            setup=beds_active,
            refuse=lambda s: settlements.propose(s.user("menzis@demo.nl"), s.initiative_id,
                                                 _settlement_input("-1"), clock.today(), clock.now())),
    UseCase("settlements.propose correction", {"settlement.correct": "Settlement"},
            lambda s: settlements.propose(s.user("menzis@demo.nl"), s.initiative_id, _settlement_input("1.00"),
                                          clock.today(), clock.now()),
            setup=proposed,
            refuse=lambda s: settlements.propose(s.user("vgz@demo.nl"), s.initiative_id, _settlement_input("1.00"),
                                                 clock.today(), clock.now())),
    UseCase("settlements.record_use", {"use_report.record": "UseReport"},
            lambda s: settlements.record_use(s.user("menzis@demo.nl"), s.initiative_id, settlement_flows.YEAR,
                                             {"VGZ": 3, "MENZIS": 4}, clock.today(), clock.now()),
            setup=beds_on_use,
            refuse=lambda s: settlements.record_use(s.user("menzis@demo.nl"), s.initiative_id,
                                                    settlement_flows.YEAR, {"VGZ": -3}, clock.today(), clock.now())),
    UseCase("settlements.decide_use_report", {"use_report.decide": "UseReport"},
            lambda s: settlements.decide_use_report(s.user("menzis@demo.nl"), s.db.session.scalar(
                sa.select(UseReport.id)), True, "", clock.now()),
            setup=use_submitted,
            refuse=lambda s: settlements.decide_use_report(s.user("menzis@demo.nl"), s.db.session.scalar(
                sa.select(UseReport.id)), False, "", clock.now())),
    UseCase("settlements.contest", {"settlement.contest": "Settlement"},
            lambda s: ("Settlement", settlements.contest(s.user("vgz@demo.nl"), _settlement(s).id, "Te hoog.",
                                                         clock.today(), clock.now()).settlement_id),
            setup=proposed,
            refuse=lambda s: settlements.contest(s.user("vgz@demo.nl"), _settlement(s).id, "", clock.today(),
                                                 clock.now())),
    UseCase("settlements.withdraw_contest", {"settlement.contest_withdrawn": "Settlement"},
            lambda s: settlements.withdraw_contest(s.user("vgz@demo.nl"), _contest_of(s), clock.today(), clock.now()),
            setup=contested,
            refuse=lambda s: settlements.withdraw_contest(s.user("cz@demo.nl"), _contest_of(s), clock.today(),
                                                          clock.now())),
    UseCase("settlements.withdraw_contest after the period", {"settlement.contest_withdrawn": "Settlement",
                                                              "settlement.final": "Settlement"},
            lambda s: settlements.withdraw_contest(s.user("vgz@demo.nl"), _contest_of(s), _after_contest_period(s),
                                                   clock.now()),
            setup=contested),
    UseCase("settlements.to_mediation", {"mediation.open": "MediationCase"},
            lambda s: settlements.to_mediation(s.user("vgz@demo.nl"), _settlement(s).id, "Wij komen er niet uit."),
            setup=contested,
            refuse=lambda s: settlements.to_mediation(s.user("cz@demo.nl"), _settlement(s).id, "x")),
    UseCase("settlements.finalise", {"settlement.final": "Settlement"},
            lambda s: (settlements.finalise(_settlement(s).id, _after_contest_period(s), clock.now()),
                       _settlement(s))[1],
            setup=proposed),
]


TABLE = [
    UseCase("accounts.create_user", {"user.create": "User"},
            lambda s: accounts.create_user("nieuw@cz.test", "Nieuw", "CZ", "insurer_staff", DEMO_PASSWORD, COMMAND),
            refuse=lambda s: accounts.create_user("nieuw@cz.test", "Nieuw", "CZ", "insurer_staff", "kort", COMMAND)),
    UseCase("accounts.authenticate", {"user.login": "User"},
            lambda s: accounts.authenticate("cz@demo.nl", DEMO_PASSWORD, clock.now())),
    UseCase("accounts.authenticate wrong password", {"user.login_failed": "User"},
            lambda s: _refused_log_in(s)),
    UseCase("accounts.change_password", {"user.password_change": "User"},
            lambda s: accounts.change_password(s.user("cz@demo.nl"), DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD,
                                               clock.now()),
            refuse=lambda s: accounts.change_password(s.user("cz@demo.nl"), DEMO_PASSWORD, NEW_PASSWORD,
                                                      NEW_PASSWORD + "x", clock.now())),
    UseCase("accounts.change_password wrong current password", {"user.password_change_failed": "User"},
            lambda s: _wrong_current_password(s)),
    UseCase("accounts.reset_password", {"user.password_reset": "User"},
            lambda s: accounts.reset_password(s.user("beheerder@demo.nl"), s.user("cz@demo.nl").id, None,
                                              clock.now())[0],
            refuse=lambda s: accounts.reset_password(s.user("beheerder@demo.nl"), s.user("cz@demo.nl").id, "kort",
                                                     clock.now())),
    UseCase("accounts.disable_user", {"user.disable": "User"},
            lambda s: accounts.disable_user(s.user("beheerder@demo.nl"), s.user("cz@demo.nl").id, clock.now()),
            refuse=lambda s: accounts.disable_user(s.user("beheerder@demo.nl"), s.user("beheerder@demo.nl").id,
                                                   clock.now())),
    UseCase("accounts.enable_user", {"user.enable": "User"},
            lambda s: accounts.enable_user(s.user("beheerder@demo.nl"), s.user("cz@demo.nl").id, clock.now()),
            setup=lambda s: _disabled(s, "cz@demo.nl")),
    UseCase("accounts.log_out", {"user.logout": "User"},
            lambda s: (accounts.log_out(s.user("cz@demo.nl")), s.user("cz@demo.nl"))[1]),
    UseCase("adoption.request_adoption", {"adoption_request.create": "FollowRequest"},
            lambda s: adoption.request_adoption(s.user("ziekenhuis@demo.nl"), s.initiative_id, "DSW", IMPACT,
                                                flows.TODAY),
            setup=opened,
            refuse=lambda s: adoption.request_adoption(s.user("ziekenhuis@demo.nl"), s.initiative_id, "NIEMAND",
                                                       IMPACT, flows.TODAY)),
    UseCase("adoption.adopt", {"initiative.adopt": "Initiative"},
            lambda s: adoption.adopt(s.user("vgz@demo.nl"), s.initiative_id, "ZK16", flows.TODAY),
            setup=opened,
            refuse=lambda s: adoption.adopt(s.user("vgz@demo.nl"), s.initiative_id, "ZK22", flows.TODAY)),
    UseCase("adoption.adopt an innovation without a positive evaluation", {"initiative.adopt": "Initiative"},
            lambda s: adoption.adopt(s.user("vgz@demo.nl"), s.running_id, "ZK16", flows.TODAY,
                                     confirm_without_positive_evaluation=True),
            setup=lambda s: flows.add_evaluation(s.app, s.db, s.running_id, "behind"),
            refuse=lambda s: adoption.adopt(s.user("vgz@demo.nl"), s.running_id, "ZK16", flows.TODAY)),
    UseCase("criteria.load_default_criteria",
            {"policy.threshold": "PolicySetting", "criterion.create": "ArgumentCriterion"},
            lambda s: (criteria.load_default_criteria(COMMAND), ("PolicySetting", criteria.THRESHOLD_KEY))[1],
            data="empty"),
    UseCase("criteria.save_criterion", {"criterion.create": "ArgumentCriterion"},
            lambda s: criteria.save_criterion(Actor(user=s.user("beheerder@demo.nl")), "wachtlijst",
                                              "Wachtlijsten elders", "", 2),
            refuse=lambda s: criteria.save_criterion(Actor(user=s.user("beheerder@demo.nl")), "wachtlijst",
                                                     "Wachtlijsten elders", "", -1)),
    UseCase("criteria.save_criterion update", {"criterion.update": "ArgumentCriterion"},
            lambda s: criteria.save_criterion(Actor(user=s.user("beheerder@demo.nl")), "financial",
                                              "Financiële overwegingen", "", 2, criterion_id=_criterion(s)),
            refuse=lambda s: criteria.save_criterion(Actor(user=s.user("beheerder@demo.nl")), "financial",
                                                     "", "", 2, criterion_id=_criterion(s))),
    UseCase("criteria.set_threshold", {"policy.threshold": "PolicySetting"},
            lambda s: (criteria.set_threshold(Actor(user=s.user("beheerder@demo.nl")), 7),
                       ("PolicySetting", criteria.THRESHOLD_KEY))[1],
            refuse=lambda s: criteria.set_threshold(Actor(user=s.user("beheerder@demo.nl")), 0)),
    UseCase("deadlines.pass_deadline undecided",
            {"follow_request.overdue": "FollowRequest", "mediation.open": "MediationCase"},
            lambda s: _pass_deadline(s, "DSW"), setup=opened),
    UseCase("deadlines.pass_deadline decided", {"follow_request.closed": "FollowRequest"},
            lambda s: _pass_deadline(s, "DSW"), setup=dsw_declined),
    UseCase("deadlines.pass_deadlines", {"follow_request.overdue": "FollowRequest", "mediation.open": "MediationCase"},
            lambda s: _pass_deadline(s, "DSW", batch=True), setup=opened),
    UseCase("deadlines.escalate_follow_up", {"mediation.follow_up_missed": "MediationCase"},
            lambda s: (deadlines.escalate_follow_up(s.case().id, _later(s.case().follow_up_deadline)), s.case())[1],
            setup=follow_required),
    UseCase("decisions.decide", {"decision.record": "FollowRequest"},
            lambda s: decisions.decide(s.user("dsw@demo.nl"), s.initiative_id, "decline", "", DECLINE, None,
                                       flows.TODAY).follow_request,
            setup=opened,
            refuse=lambda s: decisions.decide(s.user("dsw@demo.nl"), s.initiative_id, "decline", "", [], None,
                                              flows.TODAY)),
    UseCase("decisions.decide the last follow", {"decision.record": "FollowRequest",
                                                 "initiative.fully_funded": "Initiative"},
            lambda s: decisions.decide(s.user("dsw@demo.nl"), s.initiative_id, "follow", "", [], None,
                                       flows.TODAY).follow_request,
            setup=all_but_dsw_follow),
    UseCase("decisions.decide after follow required", {"decision.record": "FollowRequest",
                                                       "mediation.close": "MediationCase"},
            lambda s: decisions.decide(s.user("dsw@demo.nl"), s.initiative_id, "follow", "", [], None,
                                       flows.TODAY).follow_request,
            setup=follow_required,
            refuse=lambda s: decisions.decide(s.user("dsw@demo.nl"), s.initiative_id, "decline", "", DECLINE,
                                              None, flows.TODAY)),
    UseCase("decisions.decide_on_request", {"decision.record": "FollowRequest"},
            lambda s: decisions.decide_on_request(s.user("dsw@demo.nl"), s.request_of("DSW", "adoption").id,
                                                  "follow", "", [], None, flows.TODAY).follow_request,
            setup=adoption_asked,
            refuse=lambda s: decisions.decide_on_request(s.user("dsw@demo.nl"), s.request_of("DSW", "adoption").id,
                                                         "misschien", "", [], None, flows.TODAY)),
    UseCase("conditions.judge accepted", {"decision.conditions": "FollowRequest"},
            lambda s: conditions.judge(s.user("menzis@demo.nl"), s.request_of("VGZ").id, "accepted", "Akkoord.",
                                       flows.TODAY, clock.now()).follow_request,
            setup=vgz_follows_on_conditions,
            refuse=lambda s: conditions.judge(s.user("menzis@demo.nl"), s.request_of("VGZ").id, "accepted", " ",
                                              flows.TODAY, clock.now())),
    UseCase("conditions.judge rejected", {"decision.conditions": "FollowRequest", "initiative.status": "Initiative"},
            lambda s: conditions.judge(s.user("menzis@demo.nl"), s.request_of("VGZ").id, "rejected", "Te laat.",
                                       flows.TODAY, clock.now()).follow_request,
            setup=funded_on_conditions,
            refuse=lambda s: conditions.judge(s.user("vgz@demo.nl"), s.request_of("VGZ").id, "rejected", "Te laat.",
                                              flows.TODAY, clock.now())),
    UseCase("demo.load_demo", {"initiative.create": "Initiative", "organisation.create": "Organisation",
                               "user.create": "User", "market_shares.import": "MarketShareSet",
                               "regional_plan.save": "RegionalPlanVersion"},
            lambda s: (demo.load_demo(), s.db.session.get(Initiative, s.initiative_id))[1],
            data="refdata"),
    UseCase("initiatives.register", {"initiative.create": "Initiative"},
            lambda s: initiatives.register(s.user("menzis@demo.nl"), _draft(s), flows.TODAY),
            refuse=lambda s: initiatives.register(s.user("menzis@demo.nl"), _draft(s, title=""), flows.TODAY)),
    UseCase("initiatives.update_draft", {"initiative.update": "Initiative"},
            # At least the demo's pledges (€ 150.000): the budget may not drop below them.
            lambda s: initiatives.update_draft(s.user("menzis@demo.nl"), s.initiative_id,
                                               _draft(s, amount="987654.32"), flows.TODAY),
            refuse=lambda s: initiatives.update_draft(s.user("menzis@demo.nl"), s.initiative_id,
                                                      _draft(s, title=""), flows.TODAY)),
    UseCase("initiatives.open_for_decisions", {"initiative.open": "Initiative"},
            lambda s: initiatives.open_for_decisions(s.user("menzis@demo.nl"), s.initiative_id, flows.TODAY,
                                                     clock.now()),
            refuse=lambda s: initiatives.open_for_decisions(s.user("vgz@demo.nl"), s.initiative_id, flows.TODAY,
                                                            clock.now())),
    UseCase("lifecycle.activate", {"initiative.activate": "Initiative"},
            lambda s: lifecycle.activate(s.user("menzis@demo.nl"), s.initiative_id, "", flows.TODAY, clock.now()),
            setup=fully_funded,
            refuse=lambda s: lifecycle.activate(s.user("vgz@demo.nl"), s.initiative_id, "", flows.TODAY,
                                                clock.now())),
    UseCase("lifecycle.activate accepting the gap", {"initiative.activate": "Initiative"},
            lambda s: lifecycle.activate(s.user("menzis@demo.nl"), s.initiative_id, "Wij dekken het tekort.",
                                         flows.TODAY, clock.now()),
            setup=partially_funded,
            refuse=lambda s: lifecycle.activate(s.user("menzis@demo.nl"), s.initiative_id, " ", flows.TODAY,
                                                clock.now())),
    UseCase("lifecycle.adjust_calendar", {"initiative.calendar": "Initiative"},
            lambda s: lifecycle.adjust_calendar(s.user("menzis@demo.nl"), s.initiative_id, {
                _moment(s, "baseline").id: (_moment(s, "baseline").due_on + timedelta(days=30)).isoformat()},
                flows.TODAY),
            setup=active,
            refuse=lambda s: lifecycle.adjust_calendar(s.user("menzis@demo.nl"), s.initiative_id, {
                _moment(s, "baseline").id: "2099-01-01"}, flows.TODAY)),
    UseCase("lifecycle.record_evaluation baseline", {"initiative.evaluation": "Initiative"},
            lambda s: _evaluate(s, "baseline", "on_track", email="ziekenhuis@demo.nl"),
            setup=active,
            refuse=lambda s: _evaluate(s, "baseline", "on_track", email="ziekenhuis@demo.nl", reasoning="")),
    UseCase("lifecycle.record_evaluation final", {"initiative.evaluation": "Initiative"},
            lambda s: _evaluate(s, "final", "achieved"),
            setup=active,
            refuse=lambda s: _evaluate(s, "final", "achieved", email="vgz@demo.nl")),
    UseCase("lifecycle.extend", {"initiative.extend": "Initiative"},
            lambda s: (lifecycle.extend(s.user("menzis@demo.nl"), s.initiative_id,
                                        (_initiative(s).term_end + timedelta(days=365)).isoformat(), "In zicht."),
                       _initiative(s))[1],
            setup=evaluated_on_track,
            refuse=lambda s: lifecycle.extend(s.user("menzis@demo.nl"), s.initiative_id,
                                              (_initiative(s).term_end + timedelta(days=365)).isoformat(), "")),
    UseCase("lifecycle.end", {"initiative.end": "Initiative"},
            lambda s: lifecycle.end(s.user("menzis@demo.nl"), s.initiative_id, "Geen effect.", "care_returns",
                                    flows.TODAY),
            setup=active,
            refuse=lambda s: lifecycle.end(s.user("menzis@demo.nl"), s.initiative_id, "Geen effect.", "",
                                           flows.TODAY)),
    UseCase("lifecycle.end with follow requests still open",
            {"initiative.end": "Initiative", "follow_request.cancel": "FollowRequest"},
            lambda s: lifecycle.end(s.user("menzis@demo.nl"), s.running_id, "Geen effect.", "care_returns",
                                    flows.TODAY),
            setup=scaled_up_and_evaluated,
            refuse=lambda s: lifecycle.end(s.user("vgz@demo.nl"), s.running_id, "Geen effect.", "care_returns",
                                           flows.TODAY)),
    UseCase("lifecycle.withdraw", {"initiative.withdraw": "Initiative", "follow_request.cancel": "FollowRequest"},
            lambda s: lifecycle.withdraw(s.user("menzis@demo.nl"), s.initiative_id, "Geen draagvlak.", flows.TODAY,
                                         clock.now()),
            setup=opened,
            refuse=lambda s: lifecycle.withdraw(s.user("menzis@demo.nl"), s.initiative_id, " ", flows.TODAY,
                                                clock.now())),
    UseCase("lifecycle.withdraw in mediation", {"initiative.withdraw": "Initiative",
                                                "follow_request.cancel": "FollowRequest",
                                                "mediation.withdraw": "MediationCase"},
            lambda s: lifecycle.withdraw(s.user("menzis@demo.nl"), s.initiative_id, "Geen draagvlak.", flows.TODAY,
                                         clock.now()),
            setup=mediation_asked,
            refuse=lambda s: lifecycle.withdraw(s.user("vgz@demo.nl"), s.initiative_id, "Geen draagvlak.",
                                                flows.TODAY, clock.now())),
    UseCase("lifecycle.escalate_moment", {"initiative.evaluation_overdue": "Initiative"},
            lambda s: (lifecycle.escalate_moment(_moment(s, "baseline").id, _later(_moment(s, "baseline").due_on)),
                       _initiative(s))[1],
            setup=active),
    UseCase("lifecycle.flag_stop_criteria", {"initiative.stop_criteria": "Initiative"},
            lambda s: (lifecycle.flag_stop_criteria(s.initiative_id, _later(_initiative(s).term_end)),
                       _initiative(s))[1],
            setup=active),
    UseCase("follows.follow", {"initiative.follow": "Follow"},
            lambda s: (follows.follow(s.user("cz@demo.nl"), s.running_id), _follow_of(s, "cz@demo.nl"))[1],
            refuse=lambda s: follows.follow(s.user("cz@demo.nl"), s.initiative_id)),  # a draft
    UseCase("follows.unfollow", {"initiative.unfollow": "Follow"},
            lambda s: (_follow_of(s, "cz@demo.nl"),
                       follows.unfollow(s.user("cz@demo.nl"), s.running_id))[0],
            setup=followed, refuse=lambda s: follows.unfollow(s.user("cz@demo.nl"), s.initiative_id)),
    UseCase("accounts.set_language", {"user.language": "User"},
            lambda s: (accounts.set_language(s.user("cz@demo.nl"), "en"), s.user("cz@demo.nl"))[1],
            refuse=lambda s: accounts.set_language(s.user("cz@demo.nl"), "fr")),
    UseCase("mail.set_preferences", {"user.mail_preferences": "User"},
            lambda s: (mail.set_preferences(s.user("cz@demo.nl"), {"reminder.deadline"}), s.user("cz@demo.nl"))[1]),
    UseCase("market_shares.import_market_shares", {"market_shares.import": "MarketShareSet"},
            lambda s: market_shares.import_market_shares(demo.illustrative_market_csv(), date(2027, 1, 1),
                                                         "Illustratief", COMMAND, illustrative=True),
            refuse=lambda s: market_shares.import_market_shares("regio,verzekeraar,verzekerden\nZK22,MENZIS,x\n",
                                                                date(2027, 1, 1), "Illustratief", COMMAND)),
    UseCase("mediation.request_mediation", {"mediation.open": "MediationCase", "initiative.status": "Initiative"},
            lambda s: mediation.request_mediation(s.user("menzis@demo.nl"), s.initiative_id, "insufficient_decline",
                                                  "Onvoldoende onderbouwd.", s.request_of("DSW").id),
            setup=dsw_declined,
            refuse=lambda s: mediation.request_mediation(s.user("menzis@demo.nl"), s.initiative_id,
                                                         "insufficient_decline", "", s.request_of("DSW").id)),
    UseCase("mediation.take", {"mediation.take": "MediationCase"},
            lambda s: mediation.take(s.user("bemiddelaar@demo.nl"), s.case().id),
            setup=mediation_asked,
            refuse=lambda s: mediation.take(s.user("menzis@demo.nl"), s.case().id)),
    UseCase("mediation.request_statement", {"mediation.statement_request": "MediationCase"},
            lambda s: mediation.request_statement(s.user("bemiddelaar@demo.nl"), s.case().id, "DSW", "Waarom?",
                                                  flows.TODAY).case,
            setup=in_mediation,
            refuse=lambda s: mediation.request_statement(s.user("bemiddelaar@demo.nl"), s.case().id, "DSW", "",
                                                         flows.TODAY)),
    UseCase("mediation.answer_statement", {"mediation.statement_answer": "MediationCase"},
            lambda s: mediation.answer_statement(s.user("dsw@demo.nl"), _statement(s), "Geen budget.",
                                                 clock.now()).case,
            setup=statement_asked,
            refuse=lambda s: mediation.answer_statement(s.user("dsw@demo.nl"), _statement(s), " ", clock.now())),
    UseCase("mediation.add_note", {"mediation.note": "MediationCase"},
            lambda s: (mediation.add_note(s.user("bemiddelaar@demo.nl"), s.case().id, "Notitie."), s.case())[1],
            setup=in_mediation,
            refuse=lambda s: mediation.add_note(s.user("bemiddelaar@demo.nl"), s.case().id, "")),
    UseCase("mediation.record_finding follow required",
            {"mediation.finding": "MediationCase", "follow_request.reopened": "FollowRequest"},
            lambda s: mediation.record_finding(s.user("bemiddelaar@demo.nl"), s.case().id, "follow_required",
                                               "Volgen.", flows.TODAY, clock.now()),
            setup=in_mediation,
            refuse=lambda s: mediation.record_finding(s.user("bemiddelaar@demo.nl"), s.case().id, "follow_required",
                                                      "", flows.TODAY, clock.now())),
    UseCase("mediation.record_finding decline upheld",
            {"mediation.finding": "MediationCase", "mediation.close": "MediationCase",
             "initiative.status": "Initiative"},
            lambda s: mediation.record_finding(s.user("bemiddelaar@demo.nl"), s.case().id, "decline_upheld",
                                               "Gegrond.", flows.TODAY, clock.now()),
            setup=in_mediation),
    UseCase("mediation.withdraw", {"mediation.withdraw": "MediationCase"},
            lambda s: mediation.withdraw(s.user("menzis@demo.nl"), s.case().id, clock.now()),
            setup=in_mediation,
            refuse=lambda s: mediation.withdraw(s.user("ziekenhuis@demo.nl"), s.case().id, clock.now())),
    UseCase("notifications.mark_all_read", {"notifications.read": "User"},
            lambda s: (notifications.mark_all_read(s.user("dsw@demo.nl"), clock.now()), s.user("dsw@demo.nl"))[1],
            setup=opened),
    UseCase("notifications.mark_read", {"notifications.read": "User"},
            lambda s: (notifications.mark_read(s.user("dsw@demo.nl"), _notification_of(s, "dsw@demo.nl"), clock.now()),
                       s.user("dsw@demo.nl"))[1],
            setup=opened,  # another user's notification is not found
            refuse=lambda s: notifications.mark_read(s.user("cz@demo.nl"), _notification_of(s, "dsw@demo.nl"),
                                                     clock.now())),
    UseCase("phase.scale_up", {"initiative.scale_up": "Initiative"},
            lambda s: phase.scale_up(s.user("menzis@demo.nl"), s.running_id, flows.TODAY),
            refuse=lambda s: phase.scale_up(s.user("menzis@demo.nl"), s.initiative_id, flows.TODAY)),  # JZOJP
    UseCase("refdata.load_reference_data",
            {"refdata.load": "ReferenceData", "criterion.create": "ArgumentCriterion"},
            lambda s: (refdata.load_reference_data(COMMAND), ("ReferenceData", "zorgkantoorregio"))[1],
            data="empty"),
    UseCase("monitoring.record_measurement", {"measurement.record": "Measurement"},
            lambda s: monitoring.record_measurement(s.user("ziekenhuis@demo.nl"), s.initiative_id,
                                                    _measured(s, "2,2"), flows.TODAY),
            setup=running,
            refuse=lambda s: monitoring.record_measurement(s.user("ziekenhuis@demo.nl"), s.initiative_id,
                                                           _measured(s, "veel"), flows.TODAY)),
    UseCase("monitoring.record_measurements", {"measurement.import": "Initiative"},
            lambda s: (monitoring.record_measurements(s.user("menzis@demo.nl"), s.initiative_id,
                                                      [_measured(s, "2,2"), _measured(s, "2,1")], flows.TODAY),
                       s.db.session.get(Initiative, s.initiative_id))[1],
            setup=running,
            refuse=lambda s: monitoring.record_measurements(s.user("menzis@demo.nl"), s.initiative_id,
                                                            [_measured(s, "2,2"), _measured(s, "")], flows.TODAY)),
    UseCase("monitoring.import_measurements", {"measurement.import": "Initiative"},
            lambda s: (monitoring.import_measurements(s.user("menzis@demo.nl"), s.initiative_id,
                                                      _csv(s, "2,2"), flows.TODAY),
                       s.db.session.get(Initiative, s.initiative_id))[1],
            setup=running,
            refuse=lambda s: monitoring.import_measurements(s.user("menzis@demo.nl"), s.initiative_id,
                                                            _csv(s, "veel"), flows.TODAY)),
    UseCase("monitoring.add_process_entry", {"process_log.add": "ProcessLogEntry"},
            lambda s: monitoring.add_process_entry(s.user("vgz@demo.nl"), s.initiative_id, monitoring.ProcessEntryInput(
                flows.TODAY.isoformat(), "funding_form", "Beschikbaarheidsbekostiging."), flows.TODAY),
            setup=running,
            refuse=lambda s: monitoring.add_process_entry(s.user("dsw@demo.nl"), s.initiative_id,
                                                          monitoring.ProcessEntryInput(flows.TODAY.isoformat(),
                                                                                       "funding_form", "x"),
                                                          flows.TODAY)),
    UseCase("documents.upload", {"document.upload": "Document"},
            lambda s: documents.upload(s.user("ziekenhuis@demo.nl"), s.initiative_id,
                                       documents.Upload("evaluatie.pdf", monitor_flows.PDF)),
            setup=running,
            refuse=lambda s: documents.upload(s.user("ziekenhuis@demo.nl"), s.initiative_id,
                                              documents.Upload("evaluatie.pdf", b"MZ\x90\x00 program"))),
    UseCase("regional_plans.save_plan", {"regional_plan.save": "RegionalPlanVersion"},
            lambda s: regional_plans.save_plan(s.user("achmea@demo.nl"), "ZK22", _plan(s, "Twente vergrijst."),
                                               flows.TODAY),
            refuse=lambda s: regional_plans.save_plan(s.user("cz@demo.nl"), "ZK22", _plan(s, "Niet van CZ."),
                                                      flows.TODAY)),
    UseCase("regional_plans.save_plan refused for bad input", {"regional_plan.save": "RegionalPlanVersion"},
            lambda s: regional_plans.save_plan(s.user("menzis@demo.nl"), "ZK22", _plan(s, "Nieuw."), flows.TODAY),
            refuse=lambda s: regional_plans.save_plan(s.user("menzis@demo.nl"), "ZK22", _plan(s, " "), flows.TODAY)),
    UseCase("tokens.create_token", {"api_token.create": "ApiToken"},
            lambda s: tokens.create_token(s.user("cz@demo.nl"), "script", clock.now())[0],
            refuse=lambda s: tokens.create_token(s.user("cz@demo.nl"), "", clock.now())),
    UseCase("tokens.revoke_token", {"api_token.revoke": "ApiToken"},
            lambda s: _revoke(s, "cz@demo.nl"),
            setup=with_token,
            refuse=lambda s: _revoke(s, "dsw@demo.nl")),  # someone else's token
    # Co-funding (issue 11). The demo's beds: Enschede's pledge confirmed, the care office's waiting.
    UseCase("co_funding.add_pledge", {"co_funding.add": "CoFundingPledge"},
            lambda s: co_funding.add_pledge(s.user("menzis@demo.nl"), s.initiative_id,
                                            co_funding.PledgeInput("ZKT-TWENTE", "1000.00")),
            setup=lambda s: _withdrawn_care_office(s),
            refuse=lambda s: co_funding.add_pledge(s.user("menzis@demo.nl"), s.initiative_id,
                                                   co_funding.PledgeInput("ZKT-TWENTE", "0"))),
    UseCase("co_funding.edit_pledge", {"co_funding.edit": "CoFundingPledge"},
            lambda s: co_funding.edit_pledge(s.user("menzis@demo.nl"), _pledge_of(s, "GEM-ENSCHEDE"),
                                             co_funding.PledgeInput("", "90000.00")),
            refuse=lambda s: co_funding.edit_pledge(s.user("vgz@demo.nl"), _pledge_of(s, "GEM-ENSCHEDE"),
                                                    co_funding.PledgeInput("", "90000.00"))),
    UseCase("co_funding.withdraw_pledge", {"co_funding.withdraw": "CoFundingPledge"},
            lambda s: co_funding.withdraw_pledge(s.user("menzis@demo.nl"), _pledge_of(s, "ZKT-TWENTE")),
            refuse=lambda s: co_funding.withdraw_pledge(s.user("ziekenhuis@demo.nl"), _pledge_of(s, "ZKT-TWENTE"))),
    UseCase("co_funding.decide_pledge", {"co_funding.confirm": "CoFundingPledge"},
            lambda s: co_funding.decide_pledge(s.user("zorgkantoor@demo.nl"), _pledge_of(s, "ZKT-TWENTE"), True, "",
                                               clock.now()),
            refuse=lambda s: co_funding.decide_pledge(s.user("gemeente@demo.nl"), _pledge_of(s, "ZKT-TWENTE"),
                                                      True, "", clock.now())),
    UseCase("co_funding.decide_pledge decline", {"co_funding.decline": "CoFundingPledge"},
            lambda s: co_funding.decide_pledge(s.user("zorgkantoor@demo.nl"), _pledge_of(s, "ZKT-TWENTE"), False,
                                               "Geen Wlz-budget.", clock.now()),
            refuse=lambda s: co_funding.decide_pledge(s.user("zorgkantoor@demo.nl"), _pledge_of(s, "ZKT-TWENTE"),
                                                      False, "", clock.now())),
    UseCase("initiatives.open_for_decisions co-funding", {"initiative.open": "Initiative",
                                                          "co_funding.freeze": "CoFundingPledge",
                                                          "co_funding.lapse": "CoFundingPledge"},
            lambda s: initiatives.open_for_decisions(s.user("menzis@demo.nl"), s.initiative_id, flows.TODAY,
                                                     clock.now())),
    # The public register (issue 12).
    UseCase("publication.publish", {"initiative.publish": "Initiative"},
            lambda s: publication.publish(s.user("menzis@demo.nl"), s.initiative_id, None, flows.TODAY, clock.now()),
            setup=opened,
            refuse=lambda s: publication.publish(s.user("vgz@demo.nl"), s.initiative_id, None, flows.TODAY,
                                                 clock.now())),
    UseCase("publication.publish on a date", {"initiative.publish_scheduled": "Initiative"},
            lambda s: publication.publish(s.user("menzis@demo.nl"), s.initiative_id, "2027-02-01", flows.TODAY,
                                          clock.now()),
            setup=opened,
            refuse=lambda s: publication.publish(s.user("menzis@demo.nl"), s.initiative_id, flows.TODAY.isoformat(),
                                                 flows.TODAY, clock.now())),
    UseCase("publication.unpublish", {"initiative.unpublish": "Initiative"},
            lambda s: publication.unpublish(s.user("menzis@demo.nl"), s.initiative_id),
            setup=lambda s: (opened(s), _published(s)),
            refuse=lambda s: publication.unpublish(s.user("ziekenhuis@demo.nl"), s.initiative_id)),
    UseCase("publication.publish_due", {"initiative.publish": "Initiative"},
            lambda s: (publication.publish_due(s.initiative_id, date(2027, 2, 1), clock.now()), _initiative(s))[1],
            setup=lambda s: (opened(s), _published(s, "2027-02-01"))),
    # Shared savings (issue 11, part 3).
    UseCase("savings.save_agreement", {"savings.agreement_save": "SavingsAgreement"},
            lambda s: savings.save_agreement(s.user("menzis@demo.nl"), s.initiative_id, _agreement(s)),
            setup=lambda s: savings_flows.measurable_draft(s.app, s.db),
            refuse=lambda s: savings.save_agreement(s.user("menzis@demo.nl"), s.initiative_id,
                                                    _agreement(s, key=[("insurers", "99")]))),
    UseCase("initiatives.open_for_decisions with a savings agreement",
            {"initiative.open": "Initiative", "savings.agreement_freeze": "SavingsAgreement"},
            lambda s: initiatives.open_for_decisions(s.user("menzis@demo.nl"), s.initiative_id, flows.TODAY,
                                                     clock.now()),
            setup=lambda s: savings_flows.agreed(s.app, s.db)),
    UseCase("initiatives.update_draft with a savings gate", {"initiative.update": "Initiative"},
            lambda s: initiatives.update_draft(s.user("menzis@demo.nl"), s.initiative_id, _with_gate_goal(s),
                                               flows.TODAY),
            setup=lambda s: savings_flows.agreed(s.app, s.db),
            refuse=lambda s: initiatives.update_draft(s.user("menzis@demo.nl"), s.initiative_id, _draft(s),
                                                      flows.TODAY)),  # without the gate's goal
    UseCase("savings.on_settlement_final", {"savings.compute": "SavingsResult"},
            lambda s: savings.on_settlement_final(s.db.session.get(Settlement, _final(s)), COMMAND),
            setup=_settled_year),
    *SETTLEMENT_USE_CASES,
]


def _pledge_of(s: S, code: str) -> int:
    return s.db.session.scalar(sa.select(CoFundingPledge.id).join(Organisation).where(
        Organisation.code == code, CoFundingPledge.state.in_(["proposed", "confirmed"])))


def _withdrawn_care_office(s: S) -> None:
    with s.app.app_context():
        co_funding.withdraw_pledge(s.user("menzis@demo.nl"), _pledge_of(s, "ZKT-TWENTE"))


def _published(s: S, on: str | None = None) -> None:
    with s.app.app_context():
        publication.publish(s.user("menzis@demo.nl"), s.initiative_id, on, flows.TODAY, clock.now())


def _agreement(s: S, key=savings_flows.KEY) -> savings.AgreementInput:
    return savings_flows.agreement_input(s.db.session.get(Initiative, s.initiative_id).goals[0].id, key=key)


def _with_gate_goal(s: S) -> InitiativeInput:
    draft = _draft(s, amount="998765.43")  # above the demo beds' co-funding pledges
    draft.goals = [GoalInput("Verkeerde-beddagen in Ziekenhuis Twente per jaar", "2.900", "1.500", "2028-12-31",
                             "capacity", baseline_value="2900", target_value="1500")]
    return draft


def _final(s: S) -> int:
    return s.db.session.scalar(sa.select(Settlement.id).where(Settlement.state == "final"))


def _measured(s: S, value: str) -> monitoring.MeasurementInput:
    return monitoring.MeasurementInput(monitor_flows.goal_id(s.app, s.db, s.initiative_id), "periodic",
                                       flows.TODAY.isoformat(), value)


def _csv(s: S, value: str) -> str:
    return f"doel;soort;datum;waarde\n{monitor_flows.goal_id(s.app, s.db, s.initiative_id)};periodiek;" \
           f"{flows.TODAY.isoformat()};{value}\n"


def _refused_log_in(s: S) -> User:
    with pytest.raises(accounts.LoginRefused):
        accounts.authenticate("cz@demo.nl", "niet-het-wachtwoord", clock.now())
    return s.user("cz@demo.nl")


def _wrong_current_password(s: S) -> User:
    with pytest.raises(ServiceError):  # refused, yet the failed attempt counts (and is audited)
        accounts.change_password(s.user("cz@demo.nl"), "niet-het-wachtwoord", NEW_PASSWORD, NEW_PASSWORD,
                                 clock.now())
    return s.user("cz@demo.nl")


def _disabled(s: S, email: str) -> None:
    with s.app.app_context():
        accounts.disable_user(s.user("beheerder@demo.nl"), s.user(email).id, clock.now())


def _criterion(s: S) -> int:
    return s.db.session.scalar(sa.select(ArgumentCriterion.id).where(ArgumentCriterion.code == "financial"))


def _pass_deadline(s: S, code: str, batch: bool = False) -> FollowRequest:
    request = s.request_of(code)
    if batch:  # the scheduler's way: a batch in one transaction
        deadlines.pass_deadlines([request.id], _later(request.deadline))
    else:
        deadlines.pass_deadline(request.id, _later(request.deadline))
    return s.request_of(code)


def _statement(s: S) -> int:
    return s.db.session.scalar(sa.select(StatementRequest.id))


def _plan(s: S, regiobeeld: str) -> regional_plans.PlanInput:
    """Twente's plan as it stands, with another regiobeeld."""
    themes = regional_plans.themes_of_region(regional_plans.region_by_code("ZK22").id)
    return regional_plans.PlanInput(regiobeeld, [regional_plans.ThemeInput(
        t.title, t.start_year, t.end_year, t.description, theme_id=t.theme_id,
        goals=[regional_plans.GoalInput(g.metric, g.baseline, g.target, g.target_date) for g in t.goals])
        for t in themes])


def _revoke(s: S, email: str) -> ApiToken:
    token = s.db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "eerste"))
    tokens.revoke_token(s.user(email), token.id, clock.now())
    return s.db.session.get(ApiToken, token.id)


# The test -----------------------------------------------------------------------------------------

class AuditFailed(Exception):
    pass


def _fingerprint(db) -> dict[str, list[tuple]]:
    """Every row of every table, in key order: what "nothing changed" means."""
    return {table.name: [tuple(row) for row in db.session.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables}


def _last_seq(db) -> int:
    return db.session.scalar(sa.select(sa.func.max(AuditEntry.seq))) or 0


def _object_ref(obj) -> tuple[str, str]:
    if isinstance(obj, tuple):
        return obj[0], str(obj[1])
    return type(obj).__name__, str(obj.id)


@pytest.mark.parametrize("use_case", TABLE, ids=[u.name for u in TABLE])
def test_every_use_case_writes_its_audit_entry_in_its_own_transaction(app, request, use_case):
    request.getfixturevalue({"demo": "demo", "refdata": "refdata", "empty": "database"}[use_case.data])
    db = request.getfixturevalue("database")
    s = S(app, db)
    use_case.setup(s)

    def refuse_every_audit_entry(mapper, connection, target):
        raise AuditFailed("the audit trail is unavailable")

    with app.app_context():
        # 1. The audit entry cannot be written: the whole use case fails and changes nothing.
        before = _fingerprint(db)
        event.listen(AuditEntry, "before_insert", refuse_every_audit_entry)
        try:
            with pytest.raises(AuditFailed):
                use_case.act(s)
        finally:
            event.remove(AuditEntry, "before_insert", refuse_every_audit_entry)
        db.session.rollback()
        assert _fingerprint(db) == before

        # 2. Refused: no entry, no change.
        if use_case.refuse is not None:
            with pytest.raises(ServiceError):
                use_case.refuse(s)
            db.session.rollback()
            assert _fingerprint(db) == before

        # 3. Done: its entries, about what it changed, committed with it.
        seq = _last_seq(db)
        changed = _object_ref(use_case.act(s))
        db.session.remove()
        entries = db.session.execute(sa.select(AuditEntry.action, AuditEntry.object_type, AuditEntry.object_id)
                                     .where(AuditEntry.seq > seq)).all()
        # 4. The figures stored for the dashboards (issue 15) moved with it, in the same transaction.
        assert committed.mismatches() == [], use_case.name
        assert decision_times.mismatches() == [], use_case.name
    written = {(action, object_type) for action, object_type, _ in entries}
    assert set(use_case.actions.items()) <= written, (use_case.name, sorted(written))
    primary = {action for action, object_type in use_case.actions.items() if object_type == changed[0]}
    assert primary, f"{use_case.name}: no expected action is about the {changed[0]} it changed"
    for action in primary:
        assert (action, *changed) in entries, (use_case.name, action, changed, entries)


def _use_cases_in_services() -> set[str]:
    """Every public function of services/ that opens a write transaction of its own."""
    found = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and any(
                    isinstance(n, ast.Name) and n.id == "write_transaction" for n in ast.walk(node)):
                found.add(f"{path.stem}.{node.name}")
    return found


def test_the_table_names_every_use_case_that_writes():
    in_table = {u.name.split(" ")[0] for u in TABLE}
    assert not in_table & set(NOT_AUDITED)
    assert _use_cases_in_services() == in_table | set(NOT_AUDITED)


def test_every_audit_action_reads_as_a_dutch_sentence():
    """The timeline words every action (issue 13): a new use case's action needs its sentence in labels.py."""
    from innovatieregister import labels

    written = {action for use_case in TABLE for action in use_case.actions}
    assert written - set(labels.AUDIT_ACTIONS) == set()
