"""Mediation through the API (issue 14): the cases the caller may see, a case with its statements
(and, for the mediator only, its notes), and each step the web's mediation pages let each role take.
The same services and policies as the web (mediation/views.py); visibility.py decides who sees what."""

from __future__ import annotations

from datetime import date, datetime

from flask_login import current_user
from pydantic import Field

from innovatieregister import clock, limits
from innovatieregister.api import bp, money
from innovatieregister.api.schema import (
    Choice,
    DateIn,
    In,
    Money,
    Out,
    PageQuery,
    Text,
    body,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.workflow import MediationState
from innovatieregister.models import Finding, MediationReason
from innovatieregister.policies import allow, any_user, is_mediator
from innovatieregister.services import mediation


class CaseSummary(Out):
    id: int
    initiative_id: int
    initiative: str
    state: Choice(MediationState)
    reason: Choice(MediationReason)
    request: int | None = Field(description="the follow or adoption request the case is about")
    insurer: str | None = Field(description="the insurer that request was sent to")
    settlement: int | None = Field(description="a contested settlement the case is about")
    opened_at: datetime
    at_stake: Money | None = Field(description=(
        "the insurer's share by the frozen key, or (a case about no one insurer's request) the funding gap "
        "as the caller may see it; null before a key is frozen"))
    at_stake_of: str | None = Field(description="whose share is at stake; null: the funding gap")


class StatementOut(Out):
    id: int
    case_id: int
    party: str
    party_name: str
    question: str
    deadline: date
    requested_at: datetime
    answer: str | None
    answered_at: datetime | None
    may_answer: bool = Field(description="the caller's organisation was asked and has not yet answered")


class NoteOut(Out):
    id: int
    body: str
    author: str
    created_at: datetime


class Party(Out):
    code: str
    name: str


class Case(CaseSummary):
    statement: str = Field(description="why mediation was asked, in the requester's words")
    opened_by: str | None = Field(description="the organisation that asked; null: the register (deadline passed)")
    finding: Choice(Finding) | None
    finding_reasoning: str
    finding_at: datetime | None
    follow_up_deadline: date | None = Field(description="follow required: the insurer's new deadline")
    closed_at: datetime | None
    statements: list[StatementOut] = Field(description="those the caller may see")
    notes: list[NoteOut] | None = Field(description="the mediator's own notes: null for everyone else")
    parties: list[Party] | None = Field(description="whom the mediator may ask for a statement (the mediator only)")
    may_withdraw: bool


class MediationRequestIn(In):
    reason: Choice(MediationReason)
    statement: Text(limits.TEXT, description="why you ask for mediation")
    request: int | None = Field(None, ge=1, le=limits.ID_MAX, description=(
        "the request the impasse is about (an insurer asked speaks for its own request)"))


class StatementRequestIn(In):
    party: Text(limits.CODE, description="the code of a party to the case")
    question: Text(limits.TEXT)
    deadline: DateIn | None = Field(None, description="empty: the usual term; at most about three months ahead")


class AnswerIn(In):
    answer: Text(limits.TEXT)


class NoteIn(In):
    body: Text(limits.TEXT)


class FindingIn(In):
    finding: Choice(Finding)
    reasoning: Text(limits.TEXT)


def _summary(case, stake, initiative: str, insurer: str | None) -> dict:
    """`initiative`: its title; `insurer`: the code of the insurer the request is addressed to."""
    return {"id": case.id, "initiative_id": case.initiative_id, "initiative": initiative,
            "state": case.state.value, "reason": case.reason.value, "request": case.follow_request_id,
            "insurer": insurer, "settlement": case.settlement_id,
            "opened_at": case.opened_at,
            "at_stake": money(stake.amount) if stake is not None and stake.amount is not None else None,
            "at_stake_of": stake.insurer if stake is not None else None}


def _statement(s, is_mediator: bool) -> dict:
    return {"id": s.id, "case_id": s.case_id, "party": s.party.code, "party_name": s.party.name,
            "question": s.question, "deadline": s.deadline, "requested_at": s.requested_at, "answer": s.answer,
            "answered_at": s.answered_at,
            "may_answer": s.answer is None and not is_mediator and s.party_id == current_user.organisation_id}


def _note(n) -> dict:
    return {"id": n.id, "body": n.body, "author": n.author.name, "created_at": n.created_at}


def _case(case_id: int) -> dict:
    """The case as the caller may see it: what the web's case page shows of it."""
    view = mediation.case_view(current_user, case_id)
    case = view.case
    return {
        **_summary(case, mediation.stake_for(current_user, case, clock.today()), case.initiative.title,
                   case.follow_request.insurer.code if case.follow_request else None),
        "statement": case.statement,
        "opened_by": case.opened_by_organisation.code if case.opened_by_organisation else None,
        "finding": case.finding.value if case.finding else None, "finding_reasoning": case.finding_reasoning,
        "finding_at": case.finding_at, "follow_up_deadline": case.follow_up_deadline, "closed_at": case.closed_at,
        "statements": [_statement(s, view.is_mediator) for s in view.statements],
        "notes": [_note(n) for n in view.notes] if view.sees_notes else None,
        "parties": [{"code": p.code, "name": p.name} for p in mediation.party_organisations(case)]
        if view.is_mediator else None,
        "may_withdraw": view.may_withdraw,
    }


@bp.route("/mediation-cases")
@allow(any_user)
@operation(query=PageQuery, resp=responses(page_of(CaseSummary)))
def mediation_cases():
    """Bemiddelingszaken: voor de bemiddelaar alle lopende, voor een partij de zaken waarbij zij partij is"""
    args: PageQuery = query()
    page = mediation.queue_for(current_user, clock.today(), **args.paging())
    return listing(page, [_summary(row.case, row.stake, row.title, row.insurer_code) for row in page.items])


@bp.route("/mediation-cases/<int:case_id>")
@allow(any_user)
@operation(resp=responses(Case))
def mediation_case(case_id: int):
    """Eén zaak: partijen, zienswijzen, bevinding; notities alleen voor de bemiddelaar"""
    return _case(case_id)


@bp.route("/initiatives/<int:initiative_id>/mediation", methods=["POST"])
@allow(any_user)
@operation(json=MediationRequestIn, resp=responses(Case, 201))
def request_mediation(initiative_id: int):
    """Een partij vraagt bemiddeling bij een impasse, met de reden"""
    data: MediationRequestIn = body()
    case = mediation.request_mediation(current_user, initiative_id, data.reason, data.statement, data.request)
    return _case(case.id), 201, {"Location": f"/api/v1/mediation-cases/{case.id}"}


@bp.route("/mediation-cases/<int:case_id>/take", methods=["POST"])
@allow(is_mediator)
@operation(resp=responses(Case))
def take_case(case_id: int):
    """De bemiddelaar neemt de zaak in behandeling"""
    mediation.take(current_user, case_id)
    return _case(case_id)


@bp.route("/mediation-cases/<int:case_id>/statements", methods=["POST"])
@allow(is_mediator)
@operation(json=StatementRequestIn, resp=responses(StatementOut, 201))
def ask_statement(case_id: int):
    """De bemiddelaar vraagt een partij om haar zienswijze, met een termijn"""
    data: StatementRequestIn = body()
    statement = mediation.request_statement(current_user, case_id, data.party, data.question, clock.today(),
                                            data.deadline)
    return _statement(statement, True), 201


@bp.route("/mediation-statements/<int:statement_id>/answer", methods=["POST"])
@allow(any_user)
@operation(json=AnswerIn, resp=responses(StatementOut))
def answer_statement(statement_id: int):
    """De gevraagde partij geeft haar zienswijze (één keer)"""
    statement = mediation.answer_statement(current_user, statement_id, body().answer, clock.now())
    return _statement(statement, False)


@bp.route("/mediation-cases/<int:case_id>/notes", methods=["POST"])
@allow(is_mediator)
@operation(json=NoteIn, resp=responses(NoteOut, 201))
def add_note(case_id: int):
    """Een notitie van de bemiddelaar (alleen voor de bemiddelaar zichtbaar)"""
    return _note(mediation.add_note(current_user, case_id, body().body)), 201


@bp.route("/mediation-cases/<int:case_id>/finding", methods=["POST"])
@allow(is_mediator)
@operation(json=FindingIn, resp=responses(Case))
def record_finding(case_id: int):
    """De bemiddelaar legt de bevinding vast; 'volgen vereist' zet het verzoek weer open met een nieuwe termijn"""
    data: FindingIn = body()
    mediation.record_finding(current_user, case_id, data.finding, data.reasoning, clock.today(), clock.now())
    return _case(case_id)


@bp.route("/mediation-cases/<int:case_id>/withdraw", methods=["POST"])
@allow(any_user)
@operation(resp=responses(Case))
def withdraw_mediation(case_id: int):
    """De partij die de bemiddeling vroeg, trekt haar in"""
    mediation.withdraw(current_user, case_id, clock.now())
    return _case(case_id)
