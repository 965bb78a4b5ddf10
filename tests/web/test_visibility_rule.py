"""The visibility rule's Python predicates and their SQL clauses agree, for every user of the
authorization matrix (and every other user, a disabled one included) and every object."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from innovatieregister import clock, visibility
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.models import (
    AuditEntry,
    Document,
    FollowRequest,
    Initiative,
    MediationCase,
    MediatorNote,
    Organisation,
    ProcessLogEntry,
    StatementRequest,
    User,
)
from innovatieregister.services import mediation
from innovatieregister.services.accounts import create_user
from innovatieregister.services.audit import Actor
from tests import flows
from tests.web.test_authorization import (  # noqa: F401 (world: the matrix's fixture)
    CARE_OFFICE,
    CO_FUNDER,
    EVERYONE,
    LEAD,
    MEDIATOR,
    OUTSIDER_INSURER,
    OUTSIDER_PROVIDER,
    world,
)

DISABLED = "uitgeschakeld@demo.nl"


@pytest.fixture
def everything(app, demo, world):  # noqa: F811
    """The matrix's world plus a note, the lead's statement, a disagreement case without a
    request, an undecided insurer's own case (and another's withdrawn one), an overdue request
    and a disabled user."""
    with app.app_context():
        mediator, lead = flows.user(demo, MEDIATOR), flows.user(demo, LEAD)
        mediation.add_note(mediator, world["case"], "Privé")
        asked = mediation.request_statement(mediator, world["case"], "MENZIS", "Uw kant?", flows.TODAY)
        mediation.answer_statement(lead, asked.id, "Onze kant.", clock.now())
        mediation.request_mediation(lead, world["open"], "disagreement", "Over de looptijd.")
        # CZ, undecided, is party to a live case of its own; Achmea, undecided, only to a withdrawn one.
        mediation.request_mediation(flows.user(demo, "cz@demo.nl"), world["open"], "disagreement", "Te duur.")
        withdrawn = mediation.request_mediation(flows.user(demo, "achmea@demo.nl"), world["open"], "disagreement",
                                                "Nog onduidelijk.")
        mediation.withdraw(flows.user(demo, "achmea@demo.nl"), withdrawn.id, clock.now())
        create_user(DISABLED, "x", "ACHMEA", "insurer_staff", "een-lang-wachtwoord", Actor.command("t"))
        demo.session.scalar(sa.select(User).where(User.email == DISABLED)).active = False
        asr = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ASR"))
        late = demo.session.scalar(sa.select(FollowRequest).where(FollowRequest.insurer_id == asr))
        late.state = "overdue"  # one request escalated without a decision: its insurer sees the others
        # Process-log entries by the lead, a provider and insurers asked (one that follows, one that
        # declined, one undecided), on the open initiative and the running one.
        for initiative_id in (world["open"], world["running"]):
            for code in ("MENZIS", "ZH-TWENTE", "VGZ", "DSW", "ACHMEA"):
                author = demo.session.scalar(sa.select(Organisation.id).where(Organisation.code == code))
                demo.session.add(ProcessLogEntry(initiative_id=initiative_id, occurred_on=flows.TODAY,
                                                 kind="agreement", text=code, organisation_id=author))
        demo.session.commit()
    return world


def _ids(db, model, clause) -> set[int]:
    return set(db.session.scalars(sa.select(model.id).where(clause)))


@pytest.mark.parametrize("days_later", [0, 40], ids=["before the deadline", "after the deadline"])
def test_each_python_predicate_agrees_with_its_sql_clause(app, demo, everything, days_later):
    with app.app_context():
        db = demo
        today = flows.TODAY + timedelta(days=days_later)
        users = db.session.scalars(sa.select(User).order_by(User.id)).all()
        assert {u.email for u in users} >= EVERYONE | {DISABLED}
        initiatives = db.session.scalars(sa.select(Initiative)).all()
        requests = db.session.scalars(sa.select(FollowRequest)).all()
        cases = db.session.scalars(sa.select(MediationCase)).all()
        statements = db.session.scalars(sa.select(StatementRequest)).all()
        notes = db.session.scalars(sa.select(MediatorNote)).all()
        documents = db.session.scalars(sa.select(Document)).all()
        entries = db.session.scalars(sa.select(AuditEntry)).all()
        log_entries = db.session.scalars(sa.select(ProcessLogEntry)).all()
        assert len(initiatives) >= 2 and len(requests) >= 6 and len(cases) >= 2 and statements and notes
        # The open one's and the draft's (the demo's running innovation has none).
        assert len({d.initiative_id for d in documents}) == 2 and {d.initiative_id for d in documents} <= {
            i.id for i in initiatives}
        by_initiative: dict[int, list[FollowRequest]] = {}
        for r in requests:
            by_initiative.setdefault(r.initiative_id, []).append(r)

        statuses_seen = set()
        for user in users:
            def own(initiative, user=user):
                return visibility.own_follow_request(user, by_initiative.get(initiative.id, []))

            shown = dict(db.session.execute(sa.select(Initiative.id, visibility.status_column(user, today))).all())
            assert shown == {i.id: visibility.shown_status(user, i, own(i), today) for i in initiatives}, user.email
            statuses_seen |= {(i.status, shown[i.id]) for i in initiatives}
            assert _ids(db, Initiative, visibility.mediation_clause(user, today)) == {
                i.id for i in initiatives if visibility.sees_mediation(user, i, own(i), today)}, user.email
            seen = _ids(db, Initiative, visibility.initiative_clause(user))
            assert seen == {i.id for i in initiatives if visibility.sees_initiative(
                user, i, [r.insurer_id for r in by_initiative.get(i.id, [])])}, user.email
            seen = _ids(db, FollowRequest, visibility.decisions_clause(user, today))
            assert seen == {r.id for r in requests if visibility.sees_decisions(
                user, r, visibility.own_follow_request(user, by_initiative[r.initiative_id]), today)}, user.email
            assert _ids(db, MediationCase, visibility.case_clause(user)) == {
                c.id for c in cases if visibility.sees_case(user, c)}, user.email
            assert _ids(db, StatementRequest, visibility.statement_clause(user)) == {
                s.id for s in statements if visibility.sees_statement(user, s)}, user.email
            assert _ids(db, MediatorNote, visibility.note_clause(user)) == {
                n.id for n in notes if visibility.sees_note(user, n)}, user.email
            assert _ids(db, Document, visibility.document_clause(user)) == {
                d.id for d in documents if visibility.sees_documents(
                    user, db.session.get(Initiative, d.initiative_id),
                    [r.insurer_id for r in by_initiative.get(d.initiative_id, [])])}, user.email
            assert _ids(db, ProcessLogEntry, visibility.process_entry_clause(user, today)) == {
                e.id for e in log_entries if visibility.sees_process_entry(user, e, db.session.get(
                    Initiative, e.initiative_id), own(db.session.get(Initiative, e.initiative_id)), today)}, user.email
            seen_statements = {s.id for s in statements if visibility.sees_statement(user, s)}
            assert _ids(db, AuditEntry, visibility.case_entry_clause(seen_statements)) == {
                e.id for e in entries if visibility.sees_case_entry(e, seen_statements)}, user.email
        # Timelines leave out in SQL what reveals a mediation, as the Python predicate does.
        assert _ids(db, AuditEntry, visibility.reveals_mediation_clause()) == {
            e.id for e in entries if visibility.reveals_mediation(e)} != set()
        assert any(e.action in visibility.STATEMENT_ACTIONS for e in entries)
        # Both sides of the status rule were compared: in mediation as it is, and shown as open.
        assert (InitiativeState.IN_MEDIATION, InitiativeState.IN_MEDIATION) in statuses_seen
        assert (InitiativeState.IN_MEDIATION, InitiativeState.OPEN) in statuses_seen
        # The public register (issue 12): its clause agrees with its predicate, and anyone reads the
        # status as an insurer does that sees no decision and is party to no case.
        assert _ids(db, Initiative, visibility.public_clause()) == {
            i.id for i in initiatives if visibility.is_public(i)} != set()
        outsider = next(u for u in users if u.email == OUTSIDER_INSURER)
        public = dict(db.session.execute(sa.select(Initiative.id, visibility.public_status_column())).all())
        assert public == {i.id: visibility.shown_status(outsider, i, None, today) for i in initiatives}
        assert InitiativeState.IN_MEDIATION not in public.values()


def test_the_rule_itself(app, demo, everything):
    """A few cells of the table spelled out, so that agreeing on a wrong rule fails too."""
    with app.app_context():
        db = demo

        def user(email):
            return flows.user(db, email)

        case = db.session.get(MediationCase, everything["case"])  # about DSW's decline
        assert {e for e in EVERYONE if visibility.sees_case(user(e), case)} == {
            LEAD, MEDIATOR, "ziekenhuis@demo.nl", "ouderenzorg@demo.nl"}
        assert visibility.sees_case(user("dsw@demo.nl"), case)  # the insurer concerned
        assert not visibility.sees_case(user("vgz@demo.nl"), case)  # another insurer asked
        assert not visibility.sees_case(user("beheerder@demo.nl"), case)
        note = db.session.scalars(sa.select(MediatorNote)).first()
        assert [e for e in EVERYONE | {"dsw@demo.nl"} if visibility.sees_note(user(e), note)] == [MEDIATOR]
        lead_statement = db.session.scalar(sa.select(StatementRequest).where(StatementRequest.answer == "Onze kant."))
        assert {e for e in EVERYONE | {"dsw@demo.nl"} if visibility.sees_statement(user(e), lead_statement)} == {
            LEAD, MEDIATOR}
        # Achmea has not decided and its deadline has not passed: it sees only its own request.
        achmea = user("achmea@demo.nl")
        requests = db.session.scalars(sa.select(FollowRequest).where(
            FollowRequest.initiative_id == everything["open"])).all()
        own = visibility.own_follow_request(achmea, requests)
        assert own is not None and own.state == "open"
        assert [r.insurer.code for r in requests if visibility.sees_decisions(achmea, r, own, flows.TODAY)] == [
            "ACHMEA"]
        after = own.deadline + timedelta(days=1)
        assert all(visibility.sees_decisions(achmea, r, own, after) for r in requests)
        # On the process log Achmea sees the lead's and the provider's entries and its own, not those
        # of the insurers asked (they tell that these follow), until its deadline has passed.
        open_initiative = db.session.get(Initiative, everything["open"])
        log = db.session.scalars(sa.select(ProcessLogEntry).where(
            ProcessLogEntry.initiative_id == everything["open"])).all()
        assert sorted(e.text for e in log if visibility.sees_process_entry(achmea, e, open_initiative, own,
                                                                           flows.TODAY)) == [
            "ACHMEA", "MENZIS", "ZH-TWENTE"]
        assert all(visibility.sees_process_entry(achmea, e, open_initiative, own, after) for e in log)
        assert not visibility.sees_initiative(user(DISABLED), db.session.get(Initiative, everything["open"]),
                                              [r.insurer_id for r in requests])
        # Documents: the parties only. The open initiative's: the lead, the providers, the insurers asked,
        # the mediator and the admin; the draft's: the lead, its one provider and the admin.
        asked = [r.insurer_id for r in requests]
        # Co-funders see the initiatives they pledged to (issue 11) but are no party: no documents.
        co_funders = {CO_FUNDER, CARE_OFFICE}
        assert all(visibility.sees_initiative(user(e), open_initiative, asked) for e in co_funders)
        assert visibility.sees_initiative(user(CARE_OFFICE), db.session.get(Initiative, everything["draft"]), [])
        assert not visibility.sees_initiative(user(CO_FUNDER), db.session.get(Initiative, everything["draft"]), [])
        assert not any(visibility.sees_decisions(user(e), r, None, after) for e in co_funders for r in requests)
        for document_id, parties in ((everything["document"],
                                      EVERYONE - {OUTSIDER_INSURER, OUTSIDER_PROVIDER} - co_funders),
                                     (everything["draft_document"], {LEAD, "ziekenhuis@demo.nl", "beheerder@demo.nl"})):
            initiative_of = db.session.get(Initiative, db.session.get(Document, document_id).initiative_id)
            asked_of = asked if initiative_of.id == everything["open"] else []
            assert {e for e in EVERYONE | {DISABLED} if visibility.sees_documents(
                user(e), initiative_of, asked_of)} == parties, document_id
        # In mediation (DSW's decline): Achmea, undecided, sees "open" until its deadline has passed;
        # the parties, the mediator, the admin and the insurers that have decided (or are overdue) see it.
        initiative = db.session.get(Initiative, everything["open"])
        assert initiative.status == InitiativeState.IN_MEDIATION

        def shown(email, today=flows.TODAY):
            who = user(email)
            return visibility.shown_status(who, initiative, visibility.own_follow_request(who, requests), today)

        assert shown("achmea@demo.nl") == InitiativeState.OPEN  # its own case was withdrawn
        assert shown(OUTSIDER_INSURER) == shown(OUTSIDER_PROVIDER) == InitiativeState.OPEN
        assert shown("achmea@demo.nl", after) == InitiativeState.IN_MEDIATION
        for email in (LEAD, MEDIATOR, "dsw@demo.nl", "cz@demo.nl", "vgz@demo.nl", "asr@demo.nl",
                      "ziekenhuis@demo.nl", "beheerder@demo.nl"):
            assert shown(email) == InitiativeState.IN_MEDIATION, email
        # Once Achmea is party to a case of its own, it learns of the mediation.
        mediation.request_mediation(achmea, initiative.id, "disagreement", "Wij zien de noodzaak niet.")
        db.session.expire_all()
        assert shown("achmea@demo.nl") == InitiativeState.IN_MEDIATION
