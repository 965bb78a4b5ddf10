"""Every route, as every role and as users of other organisations, with forged ids.

The table below names, per route, who may use it. Everyone else must be refused (or sent
to log in) and the database must be exactly as it was. Pages everyone may open must not
show what is not theirs. A route missing from the table fails the test.
"""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from innovatieregister import clock
from innovatieregister.models import (
    ApiToken,
    ArgumentCriterion,
    AuditEntry,
    Decision,
    Document,
    FollowRequest,
    Initiative,
    MarketShareSet,
    Measurement,
    MediationCase,
    MediatorNote,
    Notification,
    Organisation,
    PolicySetting,
    ProcessLogEntry,
    StatementRequest,
    User,
)
from innovatieregister.models.funding import Settlement, SettlementContest, SettlementLine, UseReport, UseReportLine
from innovatieregister.services import documents
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from innovatieregister.services.documents import Upload
from innovatieregister.services.initiatives import CostLineInput, InitiativeInput, register
from innovatieregister.services.tokens import create_token
from tests import flows, monitor_flows

LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER_INSURER, OUTSIDER_PROVIDER = (
    "menzis@demo.nl", "vgz@demo.nl", "ziekenhuis@demo.nl", "ouderenzorg@demo.nl", "bemiddelaar@demo.nl",
    "beheerder@demo.nl", "inkoper@buitenstaander.test", "zorg@buitenstaander.test")
EVERYONE = {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN, OUTSIDER_INSURER, OUTSIDER_PROVIDER}
INSURERS = {LEAD, FOLLOWER, OUTSIDER_INSURER}
PARTIES_OF_OPEN = {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER, MEDIATOR, ADMIN}
PARTIES_OF_DRAFT = {LEAD, PROVIDER, ADMIN}  # the draft involves only the hospital
PARTIES_OF_RUNNING = {LEAD, PROVIDER, MEDIATOR, ADMIN}  # the demo's start-up innovation: no one asked to follow
# The case is about DSW's decline: VGZ, another insurer asked, is no party to it, nor is the admin.
PARTIES_OF_CASE = {LEAD, PROVIDER, OTHER_PROVIDER, MEDIATOR}
WORKERS = {LEAD, PROVIDER, OTHER_PROVIDER}  # policies.works_on the open initiative
SECRET_DRAFT = "Geheim concept van Menzis"

# (method, path, who may, what the call sends). {open}, {draft}, {token} and {criterion} are
# filled in; {token} is always another user's token (a forged id for everyone).
ROUTES = [
    ("GET", "/", EVERYONE, None),
    ("GET", "/gezondheid", EVERYONE | {None}, None),
    ("GET", "/inloggen", {None}, None),
    ("POST", "/inloggen", {None}, None),
    ("POST", "/uitloggen", EVERYONE, None),
    ("GET", "/regios/", EVERYONE, None),
    ("GET", "/regios/ZK22", EVERYONE, None),
    ("GET", "/initiatieven/", EVERYONE, None),
    ("GET", "/initiatieven/nieuw", INSURERS, None),
    ("POST", "/initiatieven/nieuw", {LEAD}, "registration"),
    ("GET", "/initiatieven/{open}", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{open}/tijdlijn", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/tijdlijn", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{draft}/bewerken", {LEAD}, None),
    ("POST", "/initiatieven/{draft}/bewerken", {LEAD}, "registration"),
    ("POST", "/initiatieven/{open}/bewerken", set(), "registration"),
    ("POST", "/initiatieven/{draft}/openen", {LEAD}, None),
    ("GET", "/initiatieven/{open}/besluit", {FOLLOWER}, None),
    ("POST", "/initiatieven/{open}/besluit", {FOLLOWER}, "decision"),
    ("GET", "/besluiten/", INSURERS, None),
    ("GET", "/initiatieven/{open}/overnameverzoek", {PROVIDER, OTHER_PROVIDER}, None),
    ("POST", "/initiatieven/{open}/overnameverzoek", {PROVIDER, OTHER_PROVIDER}, "adoption-request"),
    ("POST", "/initiatieven/{draft}/overnameverzoek", set(), "adoption-request"),
    ("GET", "/overnameverzoeken/", EVERYONE, None),
    ("GET", "/overnameverzoeken/{adoption}/besluit", {FOLLOWER}, None),
    ("POST", "/overnameverzoeken/{adoption}/besluit", {FOLLOWER}, "decision"),
    ("GET", "/bemiddeling/", EVERYONE, None),
    ("GET", "/initiatieven/{open}/bemiddeling", PARTIES_OF_OPEN, None),
    ("POST", "/initiatieven/{open}/bemiddeling", {LEAD, FOLLOWER, PROVIDER, OTHER_PROVIDER},
     {"reason": "disagreement", "statement": "x"}),
    ("POST", "/initiatieven/{draft}/bemiddeling", set(), {"reason": "disagreement", "statement": "x"}),
    ("GET", "/bemiddeling/{case}", PARTIES_OF_CASE, None),
    ("GET", "/bemiddeling/{case}/tijdlijn", PARTIES_OF_CASE, None),
    ("POST", "/bemiddeling/{case}/oppakken", {MEDIATOR}, None),
    ("POST", "/bemiddeling/{case}/zienswijze", {MEDIATOR}, {"party": "VGZ", "question": "x"}),
    ("POST", "/bemiddeling/{case}/notitie", {MEDIATOR}, {"body": "x"}),
    ("POST", "/bemiddeling/{case}/bevinding", {MEDIATOR}, {"finding": "settled", "reasoning": "x"}),
    ("POST", "/bemiddeling/{case}/intrekken", {LEAD}, None),
    ("POST", "/bemiddeling/zienswijzen/{statement}", {PROVIDER}, {"answer": "x"}),
    ("GET", "/register/", EVERYONE, None),
    ("GET", "/register/{open}", EVERYONE, None),
    ("GET", "/register/{draft}", set(), None),
    ("POST", "/register/{open}/overnemen", {LEAD, FOLLOWER}, {"region": "ZK16"}),
    ("POST", "/register/{draft}/overnemen", set(), {"region": "ZK16"}),
    ("GET", "/initiatieven/{running}", PARTIES_OF_RUNNING, None),
    ("GET", "/api/v1/initiatives/{running}", PARTIES_OF_RUNNING, None),
    ("GET", "/initiatieven/{running}/opschalen", {LEAD}, None),
    ("POST", "/initiatieven/{running}/opschalen", {LEAD}, None),
    ("POST", "/initiatieven/{open}/opschalen", set(), None),  # a JZOJP intervention: no phase move
    ("GET", "/profiel", EVERYONE, None),
    ("POST", "/profiel", EVERYONE, {"name": "mijn token"}),
    ("POST", "/profiel/tokens/{token}/intrekken", set(), None),
    ("GET", "/profiel/wachtwoord", EVERYONE, None),
    ("POST", "/profiel/wachtwoord", EVERYONE, {"current_password": "x", "new_password": "een-nieuw-wachtwoord",
                                               "repeat_password": "een-nieuw-wachtwoord"}),
    ("POST", "/profiel/meldingen", EVERYONE, {"email": "decision.recorded"}),
    ("GET", "/meldingen", EVERYONE, None),
    ("POST", "/meldingen/gelezen", EVERYONE, None),
    ("GET", "/beheer/marktaandelen", {ADMIN}, None),
    ("POST", "/beheer/marktaandelen", {ADMIN}, None),
    ("GET", "/beheer/gebruikers", {ADMIN}, None),
    ("GET", "/beheer/gebruikers/nieuw", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/nieuw", {ADMIN}, {"email": "nieuw@buitenstaander.test", "organisation": "VGZ",
                                                   "role": "insurer_staff", "password": ""}),
    ("GET", "/beheer/gebruikers/{user}", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/blokkeren", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/deblokkeren", {ADMIN}, None),
    ("POST", "/beheer/gebruikers/{user}/wachtwoord", {ADMIN}, {"password": ""}),
    ("GET", "/beheer/criteria", {ADMIN}, None),
    ("POST", "/beheer/criteria", {ADMIN}, {"code": "nieuw", "name": "Nieuw", "weight": "2"}),
    ("GET", "/beheer/criteria/{criterion}", {ADMIN}, None),
    ("POST", "/beheer/criteria/{criterion}", {ADMIN}, {"code": "financial", "name": "F", "weight": "9"}),
    ("POST", "/beheer/drempel", {ADMIN}, {"t-threshold": "1"}),
    # The life cycle (issue 10). The open initiative is in mediation: nobody may take a life-cycle
    # step on it (tests/web/test_lifecycle.py has the matrix on a running initiative).
    ("GET", "/initiatieven/{open}/looptijd", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/looptijd", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{open}/looptijd/activeren", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/activeren", set(), {"gap_acceptance_reasons": "x", "confirmed": "ja"}),
    ("GET", "/initiatieven/{open}/looptijd/kalender", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/kalender", set(), {"moment_1": "2027-01-01"}),
    ("GET", "/initiatieven/{open}/looptijd/evaluatie", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/evaluatie", set(), {"kind": "final", "verdict": "achieved",
                                                                 "reasoning": "x"}),
    ("GET", "/initiatieven/{open}/looptijd/verlengen", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/verlengen", set(), {"new_end": "2031-01-01", "reasons": "x"}),
    ("GET", "/initiatieven/{open}/looptijd/beeindigen", set(), None),
    ("POST", "/initiatieven/{open}/looptijd/beeindigen", set(), {"outcome": "care_returns", "reasons": "x",
                                                                  "confirmed": "ja"}),
    ("GET", "/initiatieven/{open}/intrekken", {LEAD}, None),
    ("POST", "/initiatieven/{open}/intrekken", {LEAD}, {"reasons": "x", "confirmed": "ja"}),
    ("GET", "/looptijd/stopcriteria", {MEDIATOR}, None),
    ("POST", "/api/v1/initiatives/{open}/activate", set(), {"gap_acceptance_reasons": "x"}),
    ("GET", "/api/v1/initiatives/{open}/calendar", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/calendar", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/calendar", set(), {"moments": [{"id": 1, "due_on": "2027-01-01"}]}),
    ("GET", "/api/v1/initiatives/{open}/evaluations", PARTIES_OF_OPEN, None),
    ("POST", "/api/v1/initiatives/{open}/evaluations", set(), {"kind": "final", "verdict": "achieved",
                                                                "reasoning": "x"}),
    ("POST", "/api/v1/initiatives/{open}/extend", set(), {"new_end": "2031-01-01", "reasons": "x"}),
    ("POST", "/api/v1/initiatives/{open}/end", set(), {"outcome": "care_returns", "reasons": "x"}),
    ("POST", "/api/v1/initiatives/{open}/withdraw", {LEAD}, {"reasons": "x"}),
    ("POST", "/api/v1/initiatives/{running}/withdraw", set(), {"reasons": "x"}),  # it runs: too late
    ("GET", "/api/v1/openapi.json", EVERYONE | {None}, None),
    ("GET", "/api/v1/regions", EVERYONE, None),
    ("GET", "/api/v1/criteria", EVERYONE, None),
    ("GET", "/api/v1/initiatives", EVERYONE, None),
    ("POST", "/api/v1/initiatives", {LEAD}, "api-registration"),
    ("GET", "/api/v1/initiatives/{open}", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{draft}/open", {LEAD}, None),
    ("GET", "/api/v1/initiatives/{open}/cost-shares", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/cost-shares", PARTIES_OF_DRAFT, None),
    ("GET", "/api/v1/follow-requests", EVERYONE, None),
    ("GET", "/api/v1/adoption-requests", EVERYONE, None),
    ("POST", "/api/v1/initiatives/{open}/adoption-requests", {PROVIDER, OTHER_PROVIDER}, "api-adoption-request"),
    ("POST", "/api/v1/initiatives/{draft}/adoption-requests", set(), "api-adoption-request"),
    ("POST", "/api/v1/adoption-requests/{adoption}/decision", {FOLLOWER}, {"decision": "follow"}),
    ("POST", "/api/v1/initiatives/{open}/adopt", {LEAD, FOLLOWER}, {"region": "ZK16"}),
    ("POST", "/api/v1/initiatives/{draft}/adopt", set(), {"region": "ZK16"}),
    ("POST", "/api/v1/initiatives/{running}/scale-up", {LEAD}, None),
    ("POST", "/api/v1/initiatives/{open}/scale-up", set(), None),
    ("POST", "/api/v1/initiatives/{open}/decision", {FOLLOWER}, {"decision": "decline", "arguments": [
        {"criterion": "financial", "strength": 3, "explanation": "x"}], "insurer": "VGZ"}),
    # The monitors (issue 10): measurements and documents by the lead and the providers involved, the
    # process log also by the insurers that fund it (VGZ follows); documents seen by the parties only.
    ("GET", "/initiatieven/{open}/monitor", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/monitor", PARTIES_OF_DRAFT, None),
    ("POST", "/initiatieven/{open}/monitor/metingen", WORKERS, "measurement"),
    ("POST", "/initiatieven/{draft}/monitor/metingen", {LEAD, PROVIDER}, "measurement"),
    ("POST", "/initiatieven/{open}/monitor/csv", WORKERS, "measurements-csv"),
    ("POST", "/initiatieven/{open}/monitor/proceslogboek", WORKERS | {FOLLOWER}, "process-entry"),
    ("POST", "/initiatieven/{draft}/monitor/proceslogboek", {LEAD, PROVIDER}, "process-entry"),
    ("GET", "/initiatieven/{open}/documenten", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/documenten", PARTIES_OF_DRAFT, None),
    ("POST", "/initiatieven/{open}/documenten", WORKERS, "document"),
    ("POST", "/initiatieven/{draft}/documenten", {LEAD, PROVIDER}, "document"),
    ("GET", "/initiatieven/{open}/documenten/{document}", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/documenten/{draft_document}", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{open}/documenten/{draft_document}", set(), None),  # another initiative's document
    ("GET", "/api/v1/initiatives/{open}/measurements", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/measurements", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/measurements", WORKERS, "api-measurement"),
    ("GET", "/api/v1/initiatives/{open}/process-log", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/process-log", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/process-log", WORKERS | {FOLLOWER}, "api-process-entry"),
    ("GET", "/api/v1/initiatives/{open}/documents", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/initiatives/{draft}/documents", PARTIES_OF_DRAFT, None),
    ("POST", "/api/v1/initiatives/{open}/documents", WORKERS, "document"),
    ("GET", "/api/v1/documents/{document}/content", PARTIES_OF_OPEN, None),
    ("GET", "/api/v1/documents/{draft_document}/content", PARTIES_OF_DRAFT, None),
    # Settlement (issue 11). The open initiative is not activated: nothing to settle. The running one
    # has a settlement of its first year (written as a row: a start-up innovation has no frozen key,
    # so proposing is refused, 409) funded by the lead alone, and a provider's use report.
    ("GET", "/initiatieven/{open}/nacalculatie", PARTIES_OF_OPEN, None),
    ("GET", "/initiatieven/{draft}/nacalculatie", PARTIES_OF_DRAFT, None),
    ("GET", "/initiatieven/{running}/nacalculatie", PARTIES_OF_RUNNING, None),
    ("POST", "/initiatieven/{open}/nacalculatie", set(), {"year": "2026", "actual_costs-0": "1,00"}),
    ("POST", "/initiatieven/{running}/nacalculatie", set(), {"year": "2026", "actual_costs-0": "1,00"}),
    ("POST", "/initiatieven/{running}/nacalculatie/gebruik", set(), {"use_year": "2026", "use-MENZIS": "1"}),
    ("POST", "/initiatieven/{running}/nacalculatie/gebruik/{use_report}", {LEAD}, {"decision": "confirm"}),
    ("GET", "/initiatieven/{running}/nacalculatie/{settlement}/export", PARTIES_OF_RUNNING, None),
    ("GET", "/initiatieven/{open}/nacalculatie/{settlement}/export", set(), None),  # another initiative's
    ("POST", "/initiatieven/{running}/nacalculatie/{settlement}/bezwaar", set(), {"reasons": "x"}),
    ("POST", "/initiatieven/{running}/nacalculatie/bezwaar/{settlement}/intrekken", set(), None),
    ("POST", "/initiatieven/{running}/nacalculatie/{settlement}/bemiddeling", set(), {"statement": "x"}),
    ("GET", "/api/v1/initiatives/{running}/settlements", PARTIES_OF_RUNNING, None),
    ("GET", "/api/v1/initiatives/{open}/settlements", PARTIES_OF_OPEN, None),
    ("POST", "/api/v1/initiatives/{running}/settlements", set(), {"period": "2026", "actual_cost": "1.00"}),
    ("GET", "/api/v1/initiatives/{running}/settlements/{settlement}", PARTIES_OF_RUNNING, None),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/contest", set(), {"reasons": "x"}),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/contest/withdraw", set(), None),
    ("POST", "/api/v1/initiatives/{running}/settlements/{settlement}/mediation", set(), {"statement": "x"}),
    ("GET", "/api/v1/initiatives/{running}/use-reports", PARTIES_OF_RUNNING, None),
    ("POST", "/api/v1/initiatives/{running}/use-reports", set(), {"period": "2026", "use": [
        {"insurer": "MENZIS", "units": 1}]}),
    ("POST", "/api/v1/use-reports/{use_report}/decision", {LEAD}, {"decision": "confirm"}),
]
REFUSED = {302, 401, 403, 404, 405, 409}  # 409: refused by the state of things, e.g. a draft
ILL_FORMED = {400, 422}  # refused for bad input before any authority is used


def _state(db) -> tuple:
    """Everything a forbidden call could change."""
    def rows(query):
        return tuple(tuple(r) for r in db.session.execute(query).all())

    return (
        rows(sa.select(Initiative.id, Initiative.title, Initiative.status, Initiative.phase,
                       Initiative.market_share_set_id, Initiative.updated_at).order_by(Initiative.id)),
        rows(sa.select(FollowRequest.id, FollowRequest.state, FollowRequest.deadline).order_by(FollowRequest.id)),
        rows(sa.select(Decision.id, Decision.standing, Decision.kind).order_by(Decision.id)),
        rows(sa.select(User.id, User.session_version, User.active, User.role, User.password_hash,
                       User.must_change_password, User.failed_logins, User.locked_until).order_by(User.id)),
        rows(sa.select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at).order_by(ApiToken.id)),
        rows(sa.select(ArgumentCriterion.id, ArgumentCriterion.weight, ArgumentCriterion.name).order_by(ArgumentCriterion.id)),
        rows(sa.select(PolicySetting.key, PolicySetting.value)),
        rows(sa.select(MarketShareSet.id)),
        rows(sa.select(MediationCase.id, MediationCase.state, MediationCase.finding).order_by(MediationCase.id)),
        rows(sa.select(StatementRequest.id, StatementRequest.answer).order_by(StatementRequest.id)),
        rows(sa.select(MediatorNote.id)),
        rows(sa.select(Notification.id, Notification.read_at).order_by(Notification.id)),
        rows(sa.select(Measurement.id, Measurement.value).order_by(Measurement.id)),
        rows(sa.select(ProcessLogEntry.id).order_by(ProcessLogEntry.id)),
        rows(sa.select(Document.id, Document.sha256).order_by(Document.id)),
        rows(sa.select(Settlement.id, Settlement.state, Settlement.version).order_by(Settlement.id)),
        rows(sa.select(SettlementContest.id, SettlementContest.resolved_at).order_by(SettlementContest.id)),
        rows(sa.select(UseReport.id, UseReport.state).order_by(UseReport.id)),
        db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action != "user.login")),
    )


@pytest.fixture
def world(app, demo):
    """The open observation beds (VGZ has a request), a secret draft, and two outsiders."""
    open_id = flows.open_observation_beds(app, demo)
    adoption_id = flows.ask_adoption(app, demo, PROVIDER, "VGZ")  # before VGZ follows
    flows.decide(app, demo, FOLLOWER, "follow")
    flows.decide(app, demo, "dsw@demo.nl", "decline", flows.NOT_WEIGHTY)
    case_id, statement_id = flows.mediation_on_dsw(app, demo, ask_statement_of="ZH-TWENTE")
    with app.app_context():
        db = demo
        outsider = Organisation(kind="insurer", name="Buitenstaander Verzekeringen", code="BUITEN")
        outsider_provider = Organisation(kind="provider", name="Buitenstaander Zorg", code="BUITEN-ZORG")
        db.session.add_all([outsider, outsider_provider])
        db.session.commit()
        create_user(OUTSIDER_INSURER, "x", "BUITEN", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))
        create_user(OUTSIDER_PROVIDER, "x", "BUITEN-ZORG", "provider_staff", "een-lang-wachtwoord",
                    Actor.command("t"))
        hospital = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ZH-TWENTE"))
        draft = register(flows.user(db, LEAD), InitiativeInput(
            title=SECRET_DRAFT, region_code="ZK22", kind="innovation", phase="start_up",
            provider_ids=[hospital.id], cross_institution_justification="Met huisartsen en gemeente.",
            cost_lines=[CostLineInput("ict", "Tariefafspraak 4711", "98765.43")]), flows.TODAY)
        tokens = {email: create_token(flows.user(db, email), "t", clock.now())[1] for email in EVERYONE}
        # A token of a user outside the matrix: revoking it is a forged id for everyone.
        foreign_token = create_token(flows.user(db, "cz@demo.nl"), "van CZ", clock.now())[0].id
        criterion = db.session.scalar(sa.select(ArgumentCriterion.id).where(ArgumentCriterion.code == "financial"))
        draft_id = draft.id
        running = flows.monitored_innovation_id(app, db)  # the demo's start-up innovation, evaluated on track
        other_user = flows.user(db, "cz@demo.nl").id  # a user outside the matrix, for the admin pages
        document = documents.upload(flows.user(db, LEAD), open_id, Upload("evaluatie.pdf", monitor_flows.PDF)).id
        draft_document = documents.upload(flows.user(db, LEAD), draft_id, Upload("concept.pdf", monitor_flows.PDF)).id
        settlement, use_report = _running_settlement(db, running)
    return {"settlement": settlement, "use_report": use_report,"open": open_id, "draft": draft_id, "running": running, "token": foreign_token, "criterion": criterion, "user": other_user,
            "adoption": adoption_id, "case": case_id, "statement": statement_id, "tokens": tokens,
            "document": document, "draft_document": draft_document}


def _running_settlement(db, initiative_id: int) -> tuple[int, int]:
    """A settlement of the running innovation's first year, funded by the lead alone, and a use
    report a provider submitted (rows: what the services would write)."""
    from datetime import date
    from decimal import Decimal

    initiative = db.session.get(Initiative, initiative_id)
    lead, hospital = flows.user(db, LEAD), flows.user(db, PROVIDER)
    amount = Decimal("1000.00")
    settlement = Settlement(initiative_id=initiative_id, year=initiative.term_start.year, basis="market_share",
                            actual_cost=amount, co_funding=Decimal("0.00"), allocated=amount,
                            uncovered=Decimal("0.00"), contest_deadline=date(2100, 1, 1), proposed_by_id=lead.id,
                            lines=[SettlementLine(insurer_id=lead.organisation_id, insured=1, funds=True,
                                                  allocated=amount, advance=amount, balance=Decimal("0.00"))])
    report = UseReport(initiative_id=initiative_id, year=initiative.term_start.year, state="submitted",
                       organisation_id=hospital.organisation_id, submitted_by_id=hospital.id,
                       lines=[UseReportLine(insurer_id=lead.organisation_id, units=1)])
    db.session.add_all([settlement, report])
    db.session.commit()
    return settlement.id, report.id


def _payload(kind, world):
    if kind == "registration":
        return {"data": {"title": "Ingebroken", "region": "ZK22", "kind": "innovation", "phase": "scale_up",
                         "cross_institution_justification": "x", "cost_lines-0-category": "ict",
                         "cost_lines-0-description": "x", "cost_lines-0-amount": "1.00",
                         "lead_insurer_id": "1"}}
    if kind == "api-registration":
        return {"json": {"title": "Ingebroken", "region": "ZK22", "kind": "innovation", "phase": "scale_up",
                         "cross_institution_justification": "x", "lead_insurer": "ACHMEA",
                         "cost_lines": [{"category": "ict", "description": "x", "amount": "1.00"}]}}
    if kind == "adoption-request":
        return {"data": {"insurer": "CZ", "impact_description": "ELV in plaats van ziekenhuis",
                         "impact_volume": "300", "impact_unit": "bed_days", "impact_by": "2027-12-31",
                         "requesting_provider_id": "1"}}
    if kind == "api-adoption-request":
        return {"json": {"insurer": "CZ", "requested_by": "VVT-TWENTE", "impact": {
            "description": "ELV", "volume": 300, "unit": "bed_days", "by": "2027-12-31"}}}
    if kind == "decision":
        return {"data": {"decision": "decline", "action": "decide", "arguments-0-criterion": "financial",
                         "arguments-0-strength": "3", "arguments-0-explanation": "x"}}
    if kind == "measurement":
        return {"data": {"meting-goal": "1", "meting-kind": "baseline", "meting-measured_on": "2026-01-01",
                         "meting-value": "2,9", "organisation_id": "1"}}
    if kind == "api-measurement":
        return {"json": {"goal_id": 1, "kind": "baseline", "measured_on": "2026-01-01", "value": "2.9"}}
    if kind == "measurements-csv":
        return {"upload": {"csv-file": (io.BytesIO(b"doel;soort;datum;waarde\n1;nulmeting;2026-01-01;2,9\n"),
                                        "metingen.csv")}}
    if kind == "process-entry":
        return {"data": {"log-occurred_on": "2026-01-01", "log-kind": "agreement", "log-text": "x"}}
    if kind == "api-process-entry":
        return {"json": {"occurred_on": "2026-01-01", "kind": "agreement", "text": "x"}}
    if kind == "document":
        return {"upload": {"file": (io.BytesIO(monitor_flows.PDF), "ingebroken.pdf"), "title": "Ingebroken"}}
    if isinstance(kind, dict):
        return {"json": kind}
    return {}


def _call(app, client, method, path, who, world, payload):
    kwargs = _payload(payload, world)
    if "upload" in kwargs:  # a file: multipart, on the web and in the API alike
        kwargs = {"data": kwargs["upload"], "content_type": "multipart/form-data"}
        if path.startswith("/api/"):
            kwargs["headers"] = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
        return client.open(path, method=method, **kwargs)
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world['tokens'][who]}"} if who else {}
        if "data" in kwargs:
            kwargs = {"json": kwargs["data"]}
        return client.open(path, method=method, headers=headers, **kwargs)
    if "json" in kwargs:
        kwargs = {"data": kwargs["json"]}
    return client.open(path, method=method, **kwargs)


def test_the_table_covers_every_route(app):
    described = {(m, re.sub(r"\{[^}]+\}", "*", p).replace("/ZK22", "/*")) for m, p, _, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            shape = re.sub(r"<[^>]+>", "*", rule.rule)
            assert (method, shape) in described, f"{method} {rule.rule} is missing from ROUTES"


@pytest.mark.parametrize("who", sorted(EVERYONE) + [None], ids=lambda w: w or "anonymous")
def test_nobody_writes_or_reads_what_is_not_theirs(app, demo, world, who):
    client = app.test_client()
    if who is not None:
        response = client.post("/inloggen", data={"email": who, "password": "demo-wachtwoord-2026"
                                                  if who.endswith("@demo.nl") else "een-lang-wachtwoord"})
        assert response.status_code == 302
    for method, template, allowed, payload in ROUTES:
        path = template.format(**{k: v for k, v in world.items() if k != "tokens"})
        if who in allowed:
            if method == "GET":
                response = _call(app, client, method, path, who, world, payload)
                assert response.status_code == 200, (who, method, path, response.status_code)
            continue  # what the allowed may do is tested with the use cases themselves
        with app.app_context():
            before = _state(demo)
        response = _call(app, client, method, path, who, world, payload)
        assert response.status_code in REFUSED | ILL_FORMED, (who, method, path, response.status_code)
        with app.app_context():
            assert _state(demo) == before, (who, method, path)
        if who not in PARTIES_OF_DRAFT:  # a refusal never tells more than no
            assert SECRET_DRAFT not in response.get_data(as_text=True), (who, method, path)
            assert "98765" not in response.get_data(as_text=True), (who, method, path)

    # Pages that everyone may open show only what is theirs.
    if who not in PARTIES_OF_DRAFT:
        for path in ("/", "/initiatieven/", "/besluiten/", "/api/v1/initiatives", "/api/v1/follow-requests"):
            response = _call(app, client, "GET", path, who, world, None)
            assert SECRET_DRAFT not in response.get_data(as_text=True), (who, path)
    if who in {OUTSIDER_INSURER, OUTSIDER_PROVIDER}:
        listing = _call(app, client, "GET", "/api/v1/initiatives", who, world, None).get_json()
        assert listing["total"] == 0


def test_forged_organisation_fields_are_ignored(app, demo, world):
    """The acting organisation comes from the logged-in user, never from the request."""
    from tests.api.conftest import Api

    cz = Api(app.test_client(), world["tokens"].get("cz@demo.nl") or _token(app, demo, "cz@demo.nl"))
    with app.app_context():
        vgz_request = demo.session.scalar(sa.select(FollowRequest).join(Organisation, FollowRequest.insurer_id == Organisation.id)
                                          .where(Organisation.code == "VGZ"))
        vgz_before = [(d.version, d.kind, d.standing) for d in vgz_request.decisions]
        vgz_id = vgz_request.insurer_id
    response = cz.post(f"/api/v1/initiatives/{world['open']}/decision", json={
        "decision": "decline", "insurer": "VGZ", "insurer_id": vgz_id, "organisation_id": vgz_id,
        "arguments": [{"criterion": "financial", "strength": 3, "explanation": "x"}]})
    assert response.status_code == 201 and response.get_json()["insurer"] == "CZ"
    with app.app_context():
        vgz_request = demo.session.get(FollowRequest, vgz_request.id)
        assert [(d.version, d.kind, d.standing) for d in vgz_request.decisions] == vgz_before
    menzis = Api(app.test_client(), world["tokens"][LEAD])
    created = menzis.post("/api/v1/initiatives", json={
        "title": "Eigen", "region": "ZK22", "kind": "innovation", "phase": "scale_up", "lead_insurer": "ACHMEA",
        "cross_institution_justification": "x", "cost_lines": [{"category": "ict", "description": "x", "amount": "1.00"}]})
    assert created.status_code == 201 and created.get_json()["lead_insurer"] == "MENZIS"


def _token(app, demo, email):
    with app.app_context():
        return create_token(flows.user(demo, email), "t", clock.now())[1]
