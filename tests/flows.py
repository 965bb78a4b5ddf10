"""Steps of the observation-bed scenario shared by the web, API and authorization tests.

They go through the services, as a second user would; the behaviour under test is
always exercised through the web or the API in the test itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa

from innovatieregister.models import Initiative, MarketShare, Organisation, User
from innovatieregister.services import decisions, initiatives
from innovatieregister.services.decisions import ArgumentInput
from tests import frozen_clock

TODAY = frozen_clock.TODAY
BUDGET = Decimal("1055550.80")
# The demo's confirmed pledge of Gemeente Enschede (issue 11): frozen when the beds open, so the
# insurers share the rest of the budget.
CO_FUNDING = Decimal("100000.00")
INSURERS_PART = BUDGET - CO_FUNDING
# The demo's initiatives: the observation beds (a draft) and the running home-monitoring innovation
# (the `settled_demo` fixture adds the observation-bed pilot with last year settled, issue 11).
DEMO_INITIATIVES = 2
WEIGHTY = [ArgumentInput("insufficient_evidence", 2, "Geen effectmeting na twee jaar."),
           ArgumentInput("overcapacity", 1, "Er zijn al 12 ELV-bedden in de regio.")]  # 3×2 + 2×1 = 8
CONDITIONS = "Alleen bij een evaluatie na twaalf maanden."
NOT_WEIGHTY = [ArgumentInput("financial", 3, "Past niet in ons budget.")]  # 1×3 = 3


def speaks(app, db, email: str, language: str) -> None:
    """A demo user reads the register in this language (issue 13), as if chosen on the profile page."""
    with app.app_context():
        db.session.execute(sa.update(User).where(User.email == email).values(language=language))
        db.session.commit()


def user(db, email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def observation_beds_id(app, db) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Initiative.id).where(Initiative.title == "Observatiebedden Twente"))


def open_observation_beds(app, db) -> int:
    initiative_id = observation_beds_id(app, db)
    with app.app_context():
        from innovatieregister import clock

        initiatives.open_for_decisions(user(db, "menzis@demo.nl"), initiative_id, TODAY, clock.now())
    return initiative_id


def decide(app, db, email: str, kind: str, arguments=(), key=None, conditions="") -> None:
    with app.app_context():
        decisions.decide(user(db, email), observation_beds_id(app, db), kind, conditions, list(arguments),
                         key, TODAY)


def exact_shares(app, db, initiative_id: int) -> dict[str, Fraction]:
    """Each insurer's exact (unrounded) share of the insurers' part of the budget in the frozen key."""
    with app.app_context():
        initiative = db.session.get(Initiative, initiative_id)
        rows = db.session.execute(
            sa.select(Organisation.code, MarketShare.insured)
            .join(Organisation, Organisation.id == MarketShare.insurer_id)
            .where(MarketShare.set_id == initiative.market_share_set_id,
                   MarketShare.region_id == initiative.region_id)).all()
    total = sum(n for _, n in rows)
    return {code: Fraction(INSURERS_PART) * n / total for code, n in rows}


def ask_adoption(app, db, email: str, insurer_code: str, volume: int = 400) -> int:
    """A provider asks an insurer to adopt the observation-bed deal; returns the request id."""
    from innovatieregister.services import adoption

    with app.app_context():
        request = adoption.request_adoption(
            user(db, email), observation_beds_id(app, db), insurer_code,
            adoption.Impact("Verkeerde-beddagen naar observatiebedden", volume, "bed_days", date(2027, 12, 31)),
            TODAY)
        return request.id


def mediation_on_dsw(app, db, ask_statement_of: str | None = None) -> tuple[int, int | None]:
    """The lead asks for mediation on DSW's insufficiently substantiated decline; the mediator
    takes the case (and asks a party for its statement). Returns (case id, statement id)."""
    from innovatieregister.models import FollowRequest, Organisation
    from innovatieregister.services import mediation

    with app.app_context():
        request_id = db.session.scalar(sa.select(FollowRequest.id).join(
            Organisation, Organisation.id == FollowRequest.insurer_id).where(Organisation.code == "DSW"))
        case = mediation.request_mediation(user(db, "menzis@demo.nl"), observation_beds_id(app, db),
                                           "insufficient_decline", "DSW onderbouwt de afwijzing onvoldoende.",
                                           request_id)
        mediation.take(user(db, "bemiddelaar@demo.nl"), case.id)
        statement = mediation.request_statement(user(db, "bemiddelaar@demo.nl"), case.id, ask_statement_of,
                                                "Wat is uw zienswijze?", TODAY) if ask_statement_of else None
        return case.id, statement.id if statement else None


def decision_versions(app, db, insurer_code: str) -> list[tuple[int, str, bool]]:
    """Every version of an insurer's decisions: (version, kind, standing), oldest first."""
    from innovatieregister.models import Decision, FollowRequest, Organisation

    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            sa.select(Decision.version, Decision.kind, Decision.standing)
            .join(FollowRequest, FollowRequest.id == Decision.follow_request_id)
            .join(Organisation, Organisation.id == FollowRequest.insurer_id)
            .where(Organisation.code == insurer_code).order_by(Decision.version))]


def monitored_innovation_id(app, db) -> int:
    """The demo's running start-up innovation, evaluated 'on track'."""
    from innovatieregister.services.demo import MONITORING_TITLE

    with app.app_context():
        return db.session.scalar(sa.select(Initiative.id).where(Initiative.title == MONITORING_TITLE))


def add_evaluation(app, db, initiative_id: int, verdict: str, kind: str = "periodic") -> None:
    """A later evaluation with this verdict, by the hospital, as a row (the evaluation use case is
    another part of issue 10; a row may also be what an older version stored)."""
    from innovatieregister.models import Evaluation

    with app.app_context():
        hospital = user(db, "ziekenhuis@demo.nl")
        db.session.add(Evaluation(initiative_id=initiative_id, kind=kind, verdict=verdict,
                                  reasoning=f"Oordeel: {verdict}.", recorded_by_id=hospital.id,
                                  organisation_id=hospital.organisation_id))
        db.session.commit()


# After the decision (issue 10) -----------------------------------------------------------------------

def fund_observation_beds(app, db, declines: str | None = None, registered_term: bool = False,
                          conditions_of: str | None = None) -> int:
    """Open the observation beds and let every insurer asked decide: all follow (fully funded), or
    `declines` (a code) declines weightily and the deadline passes (partially funded).
    `conditions_of` (a code) follows with the conditions CONDITIONS.

    Without `registered_term` the term the demo registered is cleared first, so activation fixes the
    policy's default term from today (the arithmetic the life-cycle tests check); with it, activation
    keeps the registered term."""
    from datetime import timedelta

    from innovatieregister.models import FollowRequest
    from innovatieregister.services import accounts, deadlines
    from innovatieregister.services.audit import Actor

    initiative_id = open_observation_beds(app, db)
    with app.app_context():
        if not registered_term:
            initiative = db.session.get(Initiative, initiative_id)
            initiative.term_start = initiative.term_end = None
            db.session.commit()
        requests = db.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == initiative_id)).all()
        asked = [(r.insurer.code, r.insurer_id) for r in requests]
        for code, insurer_id in asked:
            staff = db.session.scalar(sa.select(User).where(User.organisation_id == insurer_id))
            if staff is None:
                staff = accounts.create_user(f"staf@{code.lower()}.test", "Staf", code, "insurer_staff",
                                             "een-lang-wachtwoord", Actor.command("test"))
            kind, arguments = ("decline", WEIGHTY) if code == declines else ("follow", [])
            decisions.decide(staff, initiative_id, kind, CONDITIONS if code == conditions_of else "",
                             list(arguments), None, TODAY)
        if declines:
            for request in db.session.scalars(sa.select(FollowRequest).where(
                    FollowRequest.initiative_id == initiative_id)).all():
                deadlines.pass_deadline(request.id, request.deadline + timedelta(days=1))
    return initiative_id


def activate_observation_beds(app, db, declines: str | None = None) -> int:
    """Funded as above, then activated by the lead today (with the gap accepted when partial)."""
    from innovatieregister import clock
    from innovatieregister.services import lifecycle

    initiative_id = fund_observation_beds(app, db, declines)
    with app.app_context():
        lifecycle.activate(user(db, "menzis@demo.nl"), initiative_id, "Het tekort dekken wij zelf." if declines
                           else "", TODAY, clock.now())
    return initiative_id


def grow_life(app, db, count: int, initiative_ids: list[int]) -> None:
    """Add `count` of everything the life-cycle and monitor pages list to each initiative:
    measurements (of every goal), evaluations resting on them and on documents, process-log
    entries, documents, monitoring moments and extensions (as rows: the use cases are tested
    elsewhere, and refuse some of these in a given state)."""
    from innovatieregister import clock
    from innovatieregister.domain.monitoring import DocumentKind, MeasurementKind, ProcessEntryKind, Verdict
    from innovatieregister.models import (
        Document,
        DocumentContent,
        Evaluation,
        Measurement,
        MonitoringMoment,
        ProcessLogEntry,
        TermExtension,
    )

    with app.app_context():
        hospital = user(db, "ziekenhuis@demo.nl")
        by = {"organisation_id": hospital.organisation_id}
        for initiative_id in initiative_ids:
            initiative = db.session.get(Initiative, initiative_id)
            end = initiative.term_end or TODAY
            for i in range(count):
                day = TODAY - timedelta(days=7 * i + 1)
                measured = [Measurement(initiative_id=initiative_id, goal_id=goal.id, kind=MeasurementKind.PERIODIC,
                                        measured_on=day, value=Decimal(i), unit=goal.unit, entered_by_id=hospital.id,
                                        **by) for goal in initiative.goals]
                document = Document(initiative_id=initiative_id, kind=DocumentKind.EVIDENCE, title=f"Rapport {i}",
                                    filename=f"rapport-{i}.csv", content_type="text/csv", size_bytes=4,
                                    sha256="0" * 64, uploaded_by_id=hospital.id, **by)
                moment = MonitoringMoment(initiative_id=initiative_id, kind=MeasurementKind.PERIODIC, due_on=day,
                                          done_at=clock.now())
                evaluation = Evaluation(initiative_id=initiative_id, moment=moment, kind=MeasurementKind.PERIODIC,
                                        verdict=Verdict.ON_TRACK, reasoning=f"Op koers ({i}).",
                                        recorded_by_id=hospital.id, measurements=measured, documents=[document], **by)
                db.session.add_all([*measured, document, moment, evaluation, ProcessLogEntry(
                    initiative_id=initiative_id, occurred_on=day, kind=ProcessEntryKind.AGREEMENT,
                    text=f"Afspraak {i}.", author_id=hospital.id, **by)])
                db.session.flush()
                db.session.add_all([DocumentContent(document_id=document.id, content=b"a;b\n"), TermExtension(
                    initiative_id=initiative_id, evaluation_id=evaluation.id, previous_end=end,
                    new_end=end + timedelta(days=1), reasons=f"Verlengd ({i}).", decided_by_id=hospital.id)])
                end += timedelta(days=1)
        db.session.commit()
