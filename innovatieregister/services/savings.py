"""Shared savings (issue 11, part 3): the agreement before opening, the savings of each settled year.

- The lead records the agreement while the initiative is a draft: the baseline annual cost of the
  care being replaced, the quality gate (goals with numbers of the outcome monitor, a minimum each
  in the goal's direction) and the split key (the insurers as a group, providers involved,
  municipalities and care offices) adding up to exactly 100 %. Opening freezes it (`freeze`).
- Editing the draft recreates its goals: a gate follows its goal by metric (`carry_gates`); an edit
  that removes a gate goal or takes away its direction is refused with a message at the goals.
- When a settlement becomes final, `on_settlement_final` computes the year's savings on its actual
  cost and the year's measurements, splits them (domain/allocation.py) and stores them. A corrected
  settlement gets its own result; the one of the superseded version stays as history.

Who sees it: visibility.sees_savings. Who writes: policies.can_edit_savings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from innovatieregister import limits, policies, visibility
from innovatieregister.domain.allocation import split_savings
from innovatieregister.domain.funding import SavingsLineKind, SavingsPartyKind, SettlementState
from innovatieregister.domain.measurements import parse_value
from innovatieregister.domain.progress import Point
from innovatieregister.domain.savings import (
    DIRECTION_LABELS,
    Direction,
    GateCheck,
    direction,
    key_total_problem,
    year_savings,
    year_value,
)
from innovatieregister.domain.text import N_
from innovatieregister.domain.workflow import InitiativeState
from innovatieregister.extensions import db
from innovatieregister.formatting import euro, quantity
from innovatieregister.i18n import translated
from innovatieregister.models import (
    FollowRequest,
    Initiative,
    Measurement,
    Organisation,
    OrganisationKind,
    SmartGoal,
    User,
)
from innovatieregister.models.funding import (
    SavingsAgreement,
    SavingsGate,
    SavingsKeyPart,
    SavingsResult,
    SavingsResultLine,
    Settlement,
)
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, write_transaction
from innovatieregister.services.audit import Actor, record
from innovatieregister.services.monitoring import visible_initiative
from innovatieregister.services.notifications import Said, notify_organisations

INSURERS = "insurers"  # the key's party "the insurers as a group", as forms and the API name it
KEY_PARTS = 10  # parties of one key: the insurers, a few providers, a municipality, a care office
CO_FUNDER_KINDS = (OrganisationKind.MUNICIPALITY, OrganisationKind.CARE_OFFICE)
LEAD_ONLY = N_("Alleen de leidende verzekeraar legt de besparingsafspraak vast.")
FROZEN = N_("De besparingsafspraak ligt vast sinds het initiatief is geopend; wijzigen kan niet meer.")


@dataclass
class GateInput:
    goal_id: object
    minimum_value: object


@dataclass
class KeyPartInput:
    party: str  # INSURERS or an organisation's code
    percentage: object


@dataclass
class AgreementInput:
    baseline_annual_cost: object
    explanation: str = ""
    gates: list[GateInput] = field(default_factory=list)
    key: list[KeyPartInput] = field(default_factory=list)


# The agreement --------------------------------------------------------------------------------------

def _agreement_of(initiative_id: int) -> SavingsAgreement | None:
    return db.session.scalar(sa.select(SavingsAgreement).where(SavingsAgreement.initiative_id == initiative_id)
                             .options(selectinload(SavingsAgreement.gates), selectinload(SavingsAgreement.key_parts)))


def gate_goals(initiative: Initiative) -> list[SmartGoal]:
    """The goals that can be a gate: those with a direction (a numeric baseline and target)."""
    return [g for g in initiative.goals if direction(g.baseline_value, g.target_value) is not None]


def key_parties(initiative: Initiative) -> list[Organisation]:
    """The organisations a key may name: the providers involved, then municipalities and care offices."""
    providers = [p.provider for p in initiative.providers]
    co_funders = list(db.session.scalars(sa.select(Organisation).where(Organisation.kind.in_(CO_FUNDER_KINDS))
                                         .order_by(Organisation.name)))
    return providers + co_funders


def _percentage(value: object, key: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        percentage = parse_value(value)
    except ValueError as problem:
        errors.setdefault(key, []).append(_("Percentage: %(problem)s.", problem=translated(problem.args[0])))
        return None
    if not 0 < percentage <= 100:
        errors.setdefault(key, []).append(_("Een percentage is groter dan 0 en hoogstens 100."))
        return None
    return percentage


def _checked(initiative: Initiative,
             data: AgreementInput) -> tuple[Decimal, str, list[SavingsGate], list[SavingsKeyPart]]:
    """Every field checked; Invalid with every problem at its field otherwise. Row fields are
    numbered from 1 as they were given (`gates-2-minimum_value`, `key-1-percentage`)."""
    errors: dict[str, list[str]] = {}
    baseline = _baseline(data, errors)
    explanation = limits.checked_text(data.explanation, limits.TEXT, "explanation", errors, _("De toelichting"))
    gates = _gates(initiative, data, errors)
    parts = _key(initiative, data, errors)
    if errors or baseline is None:  # no baseline is an error too: said for the type checker
        raise Invalid(_("De besparingsafspraak is niet opgeslagen."), errors)
    return baseline, explanation, gates, parts


def _baseline(data: AgreementInput, errors: dict[str, list[str]]) -> Decimal | None:
    """The yearly cost of the care that is replaced: an amount above € 0."""
    from innovatieregister.services.initiatives import parse_amount  # initiatives calls this module

    text = "" if data.baseline_annual_cost is None else str(data.baseline_annual_cost).strip()
    if not text:
        errors["baseline_annual_cost"] = [_("Vul de jaarlijkse kosten van de zorg die wordt vervangen in.")]
        return None
    if len(text) > limits.CODE:
        errors["baseline_annual_cost"] = [limits.too_long(_("Het bedrag"), limits.CODE)]
        return None
    try:
        baseline = parse_amount(text)
    except ValueError as problem:
        errors["baseline_annual_cost"] = [_("Bedrag: %(problem)s.", problem=translated(problem.args[0]))]
        return None
    if baseline <= 0:
        errors["baseline_annual_cost"] = [_("De basislijn is een bedrag groter dan € 0.")]
    return baseline


def _gates(initiative: Initiative, data: AgreementInput, errors: dict[str, list[str]]) -> list[SavingsGate]:
    """The quality gate: goals of this initiative with a direction, each once, with a minimum value."""
    goals = {str(g.id): g for g in initiative.goals}
    gates: list[SavingsGate] = []
    if len(data.gates) > limits.GOALS:
        errors["gates"] = [_("Hoogstens %(n)s doelen in de kwaliteitspoort.", n=limits.GOALS)]
    for n, gate in enumerate(data.gates[:limits.GOALS], start=1):
        goal = goals.get(str(gate.goal_id).strip())
        if goal is None:
            errors.setdefault(f"gates-{n}-goal_id", []).append(_("Kies een doel van dit initiatief."))
            continue
        if direction(goal.baseline_value, goal.target_value) is None:
            errors.setdefault(f"gates-{n}-goal_id", []).append(
                _("'%(goal)s' heeft geen nulmeting en streefwaarde als verschillende getallen: "
                  "dan zegt niets welke kant beter is. Vul die eerst in bij het initiatief.", goal=goal.metric))
            continue
        if any(g.goal is goal for g in gates):
            errors.setdefault(f"gates-{n}-goal_id", []).append(
                _("'%(goal)s' staat al in de kwaliteitspoort.", goal=goal.metric))
            continue
        try:
            minimum = parse_value(gate.minimum_value)
        except ValueError as problem:
            errors.setdefault(f"gates-{n}-minimum_value", []).append(
                _("Minimumwaarde: %(problem)s.", problem=translated(problem.args[0])))
            continue
        gates.append(SavingsGate(goal=goal, minimum_value=minimum))
    return gates


def _key(initiative: Initiative, data: AgreementInput, errors: dict[str, list[str]]) -> list[SavingsKeyPart]:
    """The key: who gets which percentage of the savings, each party once, 100% in total."""
    allowed = {o.code: o for o in key_parties(initiative)}
    parts: list[SavingsKeyPart] = []
    percentages: list[Decimal] = []
    named: set[str] = set()
    if not data.key:
        errors["key"] = [_("Vul de verdeelsleutel in: wie krijgt welk percentage van de besparing.")]
    if len(data.key) > KEY_PARTS:
        errors["key"] = [_("Hoogstens %(n)s partijen in de verdeelsleutel.", n=KEY_PARTS)]
    for n, part in enumerate(data.key[:KEY_PARTS], start=1):
        party = (part.party or "").strip()
        percentage = _percentage(part.percentage, f"key-{n}-percentage", errors)
        if party in named:
            errors.setdefault(f"key-{n}-party", []).append(_("Deze partij staat al in de verdeelsleutel."))
            continue
        named.add(party)
        if party == INSURERS:
            part_row = SavingsKeyPart(party=SavingsPartyKind.INSURERS, organisation_id=None)
        elif party in allowed:
            part_row = SavingsKeyPart(party=SavingsPartyKind.ORGANISATION, organisation=allowed[party])
        else:
            errors.setdefault(f"key-{n}-party", []).append(
                _("Kies de zorgverzekeraars samen, een betrokken zorgaanbieder, een gemeente of een zorgkantoor."))
            continue
        if percentage is not None:
            part_row.percentage = percentage
            parts.append(part_row)
            percentages.append(percentage)
    if percentages and len(percentages) == len(data.key) and "key" not in errors:
        problem = key_total_problem(percentages)
        if problem:
            errors["key"] = [translated(problem)]
    return parts


def snapshot(agreement: SavingsAgreement) -> dict:
    """The agreement as the audit trail keeps it."""
    return {
        "initiative": agreement.initiative_id, "baseline_annual_cost": str(agreement.baseline_annual_cost),
        "gates": [[g.goal.metric, str(g.minimum_value)] for g in agreement.gates],
        "key": [[p.organisation.code if p.organisation else INSURERS, str(p.percentage)] for p in agreement.key_parts],
        "frozen": agreement.frozen_at is not None,
    }


def save_agreement(user: User, initiative_id: int, data: AgreementInput) -> SavingsAgreement:
    """Record or replace the agreement of a draft (the lead only); frozen once opened."""
    with write_transaction():
        initiative, _asked = visible_initiative(user, initiative_id, for_update=True)
        if not policies.can_edit_savings(user, initiative):
            raise NotAllowed(_(LEAD_ONLY))
        agreement = _agreement_of(initiative.id)
        if initiative.status != InitiativeState.CONCEPT or (agreement and agreement.frozen_at):
            raise Conflict(_(FROZEN))
        baseline, explanation, gates, parts = _checked(initiative, data)
        before = snapshot(agreement) if agreement else None
        if agreement is None:
            agreement = SavingsAgreement(initiative=initiative, created_by_id=user.id)
            db.session.add(agreement)
        agreement.baseline_annual_cost, agreement.explanation = baseline, explanation
        # Old rows go first: (agreement, goal) is unique and a gate may name the same goal again.
        agreement.gates, agreement.key_parts = [], []
        db.session.flush()
        agreement.gates, agreement.key_parts = gates, parts
        db.session.flush()
        record(Actor(user=user), "savings.agreement_save", agreement, before=before, after=snapshot(agreement))
    return agreement


def freeze(initiative: Initiative, actor: Actor, now: datetime) -> None:
    """At opening (services/initiatives.open_for_decisions, in its transaction): the agreement is
    frozen with the allocation key."""
    agreement = _agreement_of(initiative.id)
    if agreement is None or agreement.frozen_at is not None:
        return
    agreement.frozen_at = now
    db.session.flush()
    record(actor, "savings.agreement_freeze", agreement, after=snapshot(agreement))


def carry_gates(initiative: Initiative, new_goals: list[SmartGoal]) -> None:
    """Editing a draft recreates its goals (new rows): each gate moves to the new goal with the same
    metric, so the agreement survives an edit. A gate goal that is gone, or no longer has a direction,
    refuses the edit with a message at the goals (the lead first changes the agreement).
    Called after the goals were replaced and before the flush that deletes the old rows (whose
    gates would go with them)."""
    with db.session.no_autoflush:
        agreement = _agreement_of(initiative.id)
    if agreement is None or not agreement.gates:
        return
    by_metric = {g.metric.strip().casefold(): g for g in new_goals}
    problems = []
    for gate in agreement.gates:
        new = by_metric.get(gate.goal.metric.strip().casefold())
        if new is None or direction(new.baseline_value, new.target_value) is None:
            problems.append(_("'%(goal)s' is een doel van de kwaliteitspoort van de besparingsafspraak; "
                              "het moet blijven, met nulmeting en streefwaarde als getallen. Pas eerst de "
                              "besparingsafspraak aan.", goal=gate.goal.metric))
        else:
            gate.goal = new
    if problems:
        raise Invalid(_("Het initiatief is niet opgeslagen."), {"goals": problems})


# The savings of a settled year ----------------------------------------------------------------------

def _gate_checks(agreement: SavingsAgreement, year: int) -> list[GateCheck]:
    goal_ids = [g.goal_id for g in agreement.gates]
    points: dict[int, list[Point]] = {goal_id: [] for goal_id in goal_ids}
    if goal_ids:
        for m in db.session.scalars(sa.select(Measurement).where(Measurement.goal_id.in_(goal_ids))
                                    .order_by(Measurement.measured_on, Measurement.id)):
            points[m.goal_id].append(Point(m.kind, m.measured_on, m.value))
    checks = []
    for gate in agreement.gates:
        way = direction(gate.goal.baseline_value, gate.goal.target_value) or Direction.AT_LEAST
        point = year_value(points[gate.goal_id], year)
        checks.append(GateCheck(gate.goal.metric, way, gate.minimum_value, point.value if point else None,
                                point.measured_on if point else None))
    return checks


def _reason(result, checks: list[GateCheck], baseline: Decimal, realised: Decimal, year: int) -> str:
    """Why the year has no savings, in Dutch: which gate failed (with the numbers), or the cost."""
    if result.failed:
        return "Kwaliteitspoort niet gehaald: " + "; ".join(
            f"{c.metric}: geen meting in {year}" if c.value is None else
            f"{c.metric}: gemeten {quantity(c.value)}, vereist {DIRECTION_LABELS[c.way]} {quantity(c.minimum)}"
            for c in result.failed) + "."
    if result.no_savings:
        return (f"Geen besparing: de werkelijke kosten ({euro(realised)}) zijn niet lager dan de basislijn "
                f"({euro(baseline)}).")
    return ""


def on_settlement_final(settlement: Settlement, actor: Actor) -> SavingsResult | None:
    """The year's savings on a settlement that became final (part 2 calls this in its transaction;
    a corrected settlement is a new row, so it gets its own result). Nothing without a frozen
    agreement; computed once per settlement."""
    with write_transaction():
        if settlement.state != SettlementState.FINAL:
            raise Conflict(_("Besparingen worden berekend op een definitieve nacalculatie."))
        agreement = _agreement_of(settlement.initiative_id)
        if agreement is None or agreement.frozen_at is None:
            return None
        existing = db.session.scalar(sa.select(SavingsResult).where(SavingsResult.settlement_id == settlement.id))
        if existing is not None:
            return existing
        checks = _gate_checks(agreement, settlement.year)
        baseline, realised = agreement.baseline_annual_cost, settlement.actual_cost
        outcome = year_savings(baseline, realised, checks)
        percentages = {(p.party, p.organisation_id): p.percentage for p in agreement.key_parts}
        funders = {line.insurer_id: line.insured for line in settlement.lines if line.funds}
        split = split_savings(outcome.savings, percentages, (SavingsPartyKind.INSURERS, None), funders)
        result = SavingsResult(agreement_id=agreement.id, settlement=settlement, year=settlement.year,
                               baseline=baseline, realised_cost=realised, gate_met=outcome.gate_met,
                               savings=outcome.savings, reason=_reason(outcome, checks, baseline, realised,
                                                                       settlement.year))
        result.lines = [SavingsResultLine(kind=SavingsLineKind.PARTY, party=party, organisation_id=org,
                                          percentage=percentages[(party, org)], amount=amount)
                        for (party, org), amount in split.parties.items()]
        result.lines += [SavingsResultLine(kind=SavingsLineKind.INSURER, organisation_id=insurer, amount=amount)
                         for insurer, amount in sorted(split.insurers.items(), key=lambda kv: (-funders[kv[0]], kv[0]))]
        db.session.add(result)
        db.session.flush()
        record(actor, "savings.compute", result, after={
            "initiative": settlement.initiative_id, "year": result.year, "settlement": settlement.id,
            "savings": str(result.savings), "gate_met": result.gate_met, "reason": result.reason,
            "lines": [[line.kind.value, line.organisation_id, str(line.amount)] for line in result.lines]})
        initiative = db.session.get_one(Initiative, settlement.initiative_id)
        notify_organisations(
            _parties(initiative, agreement, funders) - {actor.organisation_id}, "savings.computed",
            Said("De gedeelde besparing van '%(title)s' over %(year)s is berekend: %(amount)s.",
                 title=initiative.title, year=result.year, amount=euro(result.savings)),
            f"/initiatieven/{initiative.id}/besparingen")
    return result


def _parties(initiative: Initiative, agreement: SavingsAgreement, funders: Iterable[int]) -> set[int]:
    return ({initiative.lead_insurer_id, *(p.provider_id for p in initiative.providers), *funders}
            | {p.organisation_id for p in agreement.key_parts if p.organisation_id is not None})


# Reading --------------------------------------------------------------------------------------------

@dataclass
class YearView:
    result: SavingsResult
    settlement: Settlement
    current: bool  # False: its settlement was superseded by a correction (history)
    insurer_lines: list[SavingsResultLine]  # only those the viewer may see


@dataclass
class SavingsView:
    initiative: Initiative
    agreement: SavingsAgreement | None
    years: list[YearView]
    may_edit: bool
    sees_insurers: bool  # may the viewer see which insurers fund (the decisions rule)?

    @property
    def gate_choices(self) -> list[SmartGoal]:
        return gate_goals(self.initiative)

    def direction_of(self, goal: SmartGoal) -> Direction | None:
        return direction(goal.baseline_value, goal.target_value)


def view(user: User, initiative_id: int, today: date) -> SavingsView:
    """The agreement and every year's savings as this user may see them; NotFound otherwise."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    requests = list(db.session.scalars(sa.select(FollowRequest).where(FollowRequest.initiative_id == initiative_id)))
    agreement = _agreement_of(initiative_id)
    named = {p.organisation_id for p in agreement.key_parts if p.organisation_id} if agreement else set()
    if not visibility.sees_savings(user, initiative, [r.insurer_id for r in requests], named):
        raise NotFound(_("Dit initiatief bestaat niet."))
    own = visibility.own_follow_request(user, requests)
    sees_insurers = visibility.sees_everyones_decisions(user, initiative, own, today)
    years = []
    if agreement is not None:
        results = db.session.scalars(
            sa.select(SavingsResult).join(Settlement, Settlement.id == SavingsResult.settlement_id)
            .where(SavingsResult.agreement_id == agreement.id)
            .options(selectinload(SavingsResult.lines), selectinload(SavingsResult.settlement))
            .order_by(SavingsResult.year.desc(), Settlement.version.desc()))
        for result in results:
            lines = [line for line in result.lines if line.kind == SavingsLineKind.INSURER
                     and (sees_insurers or line.organisation_id == user.organisation_id)]
            years.append(YearView(result, result.settlement, result.settlement.state == SettlementState.FINAL, lines))
    return SavingsView(initiative, agreement, years,
                       may_edit=policies.can_edit_savings(user, initiative)
                       and initiative.status == InitiativeState.CONCEPT
                       and not (agreement and agreement.frozen_at), sees_insurers=sees_insurers)

