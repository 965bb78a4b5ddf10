"""The life after the decision: term, evaluation calendar, extension, ending and stop criteria.

Sources: 003_80f9d5aad3919ca4.txt (~205–285): a start-up year, then a term of three years; a
baseline measurement, periodic (yearly) measurements and a final measurement; extension only
when the intended results are in sight. 002_9e2ed54812f6e80c.txt: start/stop criteria; an
initiative without evidence within the set period stops. The numbers (start-up months, term
years, baseline months) are design choices passed in as a TermPolicy (config.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from innovatieregister.domain.label_table import Labels
from innovatieregister.domain.monitoring import POSITIVE_VERDICTS, EndOutcome, MeasurementKind, Verdict
from innovatieregister.domain.text import N_, Phrase
from innovatieregister.domain.workflow import InitiativeState

# The states that wait for a final evaluation of the current term.
AWAITING_FINAL = frozenset({InitiativeState.ACTIVE, InitiativeState.EXTENDED})


@dataclass(frozen=True)
class TermPolicy:
    start_up_months: int = 12
    term_years: int = 3
    baseline_months: int = 3


@dataclass(frozen=True)
class Term:
    start: date
    start_up_end: date  # the start-up period runs up to here; the term proper starts
    end: date


@dataclass(frozen=True)
class PlannedMoment:
    kind: MeasurementKind
    due_on: date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day the month lacks becomes its last (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_from(start: date, policy: TermPolicy) -> Term:
    """The term fixed at activation: a start-up period, then `term_years` years."""
    start_up_end = add_months(start, policy.start_up_months)
    return Term(start, start_up_end, add_months(start_up_end, 12 * policy.term_years))


def term_at_activation(today: date, registered_start: date | None, registered_end: date | None,
                       policy: TermPolicy) -> Term:
    """The term activation fixes. The insurers decided on the term the lead registered, so that term
    holds where there is one: it starts on its registered start (today, if that has passed) and ends
    on its registered end. Without a registered end (or one already past the start), the policy's
    default: a start-up period, then `term_years` years (`003`). The start-up period never outlasts
    the term."""
    start = max(today, registered_start) if registered_start else today
    if registered_end is None or registered_end <= start:
        return term_from(start, policy)
    return Term(start, min(add_months(start, policy.start_up_months), registered_end), registered_end)


def _yearly(after: date, before: date) -> list[PlannedMoment]:
    """A periodic moment on every anniversary of `after`, strictly before `before`."""
    moments, years = [], 1
    while (due := add_months(after, 12 * years)) < before:
        moments.append(PlannedMoment(MeasurementKind.PERIODIC, due))
        years += 1
    return moments


def evaluation_calendar(term: Term, policy: TermPolicy) -> list[PlannedMoment]:
    """A baseline shortly after the start, a periodic moment every year, a final one at the end."""
    baseline = PlannedMoment(MeasurementKind.BASELINE, min(add_months(term.start, policy.baseline_months), term.end))
    return [baseline, *_yearly(term.start, term.end), PlannedMoment(MeasurementKind.FINAL, term.end)]


def extension_calendar(previous_end: date, new_end: date) -> list[PlannedMoment]:
    """An extension's own calendar: yearly moments after the old end, a final one at the new end."""
    return [*_yearly(previous_end, new_end), PlannedMoment(MeasurementKind.FINAL, new_end)]


# Adjusting the calendar ------------------------------------------------------------------------

_ORDER = {MeasurementKind.BASELINE: 0, MeasurementKind.PERIODIC: 1, MeasurementKind.FINAL: 2}


@dataclass(frozen=True)
class CalendarEntry:
    key: int  # the moment's id: problems are reported under it
    kind: MeasurementKind
    due_on: date
    changed: bool  # the lead moved it now


def calendar_problems(entries: Sequence[CalendarEntry], term: Term, today: date) -> dict[int, str]:
    """Why the adjusted (pending) moments cannot stand, per moment: each within the term, a moved
    one not in the past (it would only escalate at once), and a baseline before every periodic
    moment before the final one."""
    problems: dict[int, str] = {}
    for entry in entries:
        if not term.start <= entry.due_on <= term.end:
            problems[entry.key] = Phrase(N_("Kies een datum binnen de looptijd (%(start)s t/m %(end)s)."),
                                         start=term.start, end=term.end)
        elif entry.changed and entry.due_on < today:
            problems[entry.key] = N_("Een verplaatst moment ligt niet in het verleden.")
    for entry in entries:
        later_kind_earlier = [e for e in entries
                              if _ORDER[e.kind] > _ORDER[entry.kind] and e.due_on < entry.due_on]
        if later_kind_earlier and entry.key not in problems:
            problems[entry.key] = N_("De volgorde klopt niet: eerst de nulmeting, dan de periodieke metingen, "
                                     "dan de eindevaluatie.")
    return problems


# Activation, extension and ending --------------------------------------------------------------

def activation_problems(partially_funded: bool, gap_reasons: str) -> dict[str, list[str]]:
    """Partially funded: the lead activates only by accepting the remaining gap, with reasons."""
    if partially_funded and not gap_reasons.strip():
        return {"gap_acceptance_reasons": [
            N_("Het initiatief is deels gefinancierd: leg uit waarom u het tekort accepteert.")]}
    return {}


def extends_on(final_verdict: Verdict | None) -> bool:
    """Whether the latest final evaluation's verdict lets the term be extended: results in sight."""
    return final_verdict in POSITIVE_VERDICTS


# At a baseline nothing has been achieved or missed yet: it says whether the start is on track.
BASELINE_VERDICTS = frozenset({Verdict.ON_TRACK, Verdict.BEHIND})


def evaluation_problems(kind: MeasurementKind | None, verdict: Verdict | None) -> dict[str, list[str]]:
    """A baseline evaluation's verdict is on track or behind; 'achieved' or 'not achieved' is for
    the periodic and final evaluations, which measure against the baseline."""
    if kind == MeasurementKind.BASELINE and verdict is not None and verdict not in BASELINE_VERDICTS:
        return {"verdict": [N_("Bij een nulmeting is nog niets behaald of niet behaald: kies 'op koers' of "
                               "'achter op schema'.")]}
    return {}


def extension_problems(verdict: Verdict | None, current_end: date, new_end: date | None, reasons: str,
                       policy: TermPolicy) -> dict[str, list[str]]:
    """An extension rests on a final evaluation whose verdict says the results are in sight, moves the
    end later (by at most one more term) and says why."""
    problems: dict[str, list[str]] = {}
    if not extends_on(verdict):
        problems["evaluation"] = [N_("Verlengen kan alleen als de eindevaluatie zegt dat de resultaten in zicht "
                                     "zijn (op koers of doelen behaald).")]
    latest = add_months(current_end, 12 * policy.term_years)
    if new_end is None:
        problems["new_end"] = [N_("Geef de nieuwe einddatum (dd-mm-jjjj).")]
    elif not current_end < new_end <= latest:
        problems["new_end"] = [Phrase(N_("De nieuwe einddatum ligt na %(end)s en uiterlijk op %(latest)s "
                                         "(één looptijd verder)."), end=current_end, latest=latest)]
    if not reasons.strip():
        problems["reasons"] = [N_("Geef de redenen voor de verlenging.")]
    return problems


def end_problems(reasons: str, outcome: EndOutcome | None) -> dict[str, list[str]]:
    """Ending says why, and what happens to the care (it returns, or the scale-down plan ran)."""
    problems: dict[str, list[str]] = {}
    if not reasons.strip():
        problems["reasons"] = [N_("Geef de redenen om te beëindigen.")]
    if outcome is None:
        problems["outcome"] = [N_("Kies wat er met de zorg gebeurt.")]
    return problems


# Reading the calendar ---------------------------------------------------------------------------

class MomentStatus(StrEnum):
    DONE = "done"
    PLANNED = "planned"
    DUE = "due"  # within the reminder window
    OVERDUE = "overdue"


MOMENT_STATUS_LABELS = Labels({
    MomentStatus.DONE: N_("Gedaan"),
    MomentStatus.PLANNED: N_("Gepland"),
    MomentStatus.DUE: N_("Binnenkort"),
    MomentStatus.OVERDUE: N_("Te laat"),
})


def moment_status(due_on: date, done: bool, today: date, horizon: date) -> MomentStatus:
    """`horizon`: the last due date the scheduler reminds of today (so 'due' means 'reminded')."""
    if done:
        return MomentStatus.DONE
    if due_on < today:
        return MomentStatus.OVERDUE
    return MomentStatus.DUE if due_on <= horizon else MomentStatus.PLANNED


# Stop criteria (002) ----------------------------------------------------------------------------

class StopReason(StrEnum):
    PAST_TERM = "past_term"  # the term has passed without a final evaluation
    NOT_ACHIEVED = "not_achieved"  # the final evaluation says the goals were not achieved


STOP_REASON_LABELS = Labels({
    StopReason.PAST_TERM: N_("De looptijd is voorbij zonder eindevaluatie"),
    StopReason.NOT_ACHIEVED: N_("De eindevaluatie zegt: doelen niet behaald"),
})


def stop_reasons(status: InitiativeState, term_end: date | None, final_verdict: Verdict | None,
                 today: date) -> list[StopReason]:
    """The stop criteria an initiative meets (services.lifecycle.stop_clause is this in SQL)."""
    reasons = []
    if status in AWAITING_FINAL and term_end is not None and term_end < today:
        reasons.append(StopReason.PAST_TERM)
    if status == InitiativeState.EVALUATED and final_verdict == Verdict.NOT_ACHIEVED:
        reasons.append(StopReason.NOT_ACHIEVED)
    return reasons
