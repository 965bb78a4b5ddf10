"""The life after the decision: term and calendar arithmetic, extension, ending, stop criteria."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister.domain.lifecycle import (
    CalendarEntry,
    MomentStatus,
    PlannedMoment,
    StopReason,
    Term,
    TermPolicy,
    activation_problems,
    add_months,
    calendar_problems,
    end_problems,
    evaluation_calendar,
    extension_calendar,
    extension_problems,
    moment_status,
    stop_reasons,
    term_at_activation,
    term_from,
)
from innovatieregister.domain.monitoring import EndOutcome, MeasurementKind, Verdict
from innovatieregister.domain.workflow import InitiativeState

B, P, F = MeasurementKind.BASELINE, MeasurementKind.PERIODIC, MeasurementKind.FINAL
DEFAULT = TermPolicy()  # a start-up year, then three years; the baseline three months in
S = InitiativeState


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 12, 7), 12, date(2027, 12, 7)),
    (date(2026, 12, 7), 3, date(2027, 3, 7)),
    (date(2027, 1, 31), 1, date(2027, 2, 28)),  # a day the month lacks becomes its last
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2026, 5, 15), 0, date(2026, 5, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 120))
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months):
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


@pytest.mark.parametrize(("start", "policy", "start_up_end", "end"), [
    (date(2026, 12, 7), DEFAULT, date(2027, 12, 7), date(2030, 12, 7)),
    (date(2028, 2, 29), DEFAULT, date(2029, 2, 28), date(2032, 2, 28)),
    (date(2026, 12, 7), TermPolicy(start_up_months=6, term_years=2), date(2027, 6, 7), date(2029, 6, 7)),
    (date(2026, 12, 7), TermPolicy(start_up_months=0, term_years=1), date(2026, 12, 7), date(2027, 12, 7)),
])
def test_the_term_is_a_start_up_period_then_the_term_years(start, policy, start_up_end, end):
    assert term_from(start, policy) == Term(start, start_up_end, end)


@pytest.mark.parametrize(("policy", "expected"), [
    (DEFAULT, [(B, date(2027, 3, 7)), (P, date(2027, 12, 7)), (P, date(2028, 12, 7)), (P, date(2029, 12, 7)),
               (F, date(2030, 12, 7))]),
    (TermPolicy(start_up_months=6, term_years=1, baseline_months=1),
     [(B, date(2027, 1, 7)), (P, date(2027, 12, 7)), (F, date(2028, 6, 7))]),
    # A term shorter than a year has no periodic moment; the baseline never lies past the end.
    (TermPolicy(start_up_months=0, term_years=0, baseline_months=3), [(B, date(2026, 12, 7)),
                                                                      (F, date(2026, 12, 7))]),
])
def test_the_calendar_has_a_baseline_yearly_moments_and_a_final_evaluation(policy, expected):
    term = term_from(date(2026, 12, 7), policy)
    assert evaluation_calendar(term, policy) == [PlannedMoment(k, d) for k, d in expected]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)), st.integers(0, 24), st.integers(0, 6))
def test_every_calendar_lies_in_its_term_in_order_and_ends_with_the_final(start, start_up, years):
    policy = TermPolicy(start_up, years)
    term = term_from(start, policy)
    moments = evaluation_calendar(term, policy)
    assert [m.kind for m in moments][0] == B and moments[-1] == PlannedMoment(F, term.end)
    assert all(term.start <= m.due_on <= term.end for m in moments)
    assert [m.due_on for m in moments] == sorted(m.due_on for m in moments)
    assert sum(m.kind == P for m in moments) == max(0, -(-(start_up + 12 * years) // 12) - 1)


def test_an_extension_gets_yearly_moments_and_a_new_final():
    assert extension_calendar(date(2030, 12, 7), date(2032, 6, 1)) == [
        PlannedMoment(P, date(2031, 12, 7)), PlannedMoment(F, date(2032, 6, 1))]
    assert extension_calendar(date(2030, 12, 7), date(2031, 12, 7)) == [PlannedMoment(F, date(2031, 12, 7))]


TERM = Term(date(2026, 12, 7), date(2027, 12, 7), date(2030, 12, 7))
TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("entries", "expected"), [
    ([CalendarEntry(1, B, date(2027, 4, 1), True), CalendarEntry(2, F, TERM.end, False)], {}),
    ([CalendarEntry(1, B, date(2031, 1, 1), True)], {1: "binnen de looptijd"}),
    ([CalendarEntry(1, B, date(2026, 12, 6), True)], {1: "binnen de looptijd"}),  # before the start
    ([CalendarEntry(1, P, date(2026, 12, 8), True)], {}),
    ([CalendarEntry(1, B, date(2027, 1, 1), True)], {}),
    ([CalendarEntry(1, B, date(2028, 1, 1), True), CalendarEntry(2, P, date(2027, 12, 7), False)],
     {1: "volgorde"}),
    ([CalendarEntry(1, P, date(2030, 12, 8), True), CalendarEntry(2, F, TERM.end, False)],
     {1: "binnen de looptijd"}),
    ([CalendarEntry(1, P, date(2030, 12, 1), True), CalendarEntry(2, F, date(2030, 11, 1), True)],
     {1: "volgorde"}),
])
def test_the_lead_adjusts_the_calendar_within_sane_bounds(entries, expected):
    problems = calendar_problems(entries, TERM, TODAY)
    assert set(problems) == set(expected)
    for key, fragment in expected.items():
        assert fragment in problems[key]


def test_a_moved_moment_may_not_lie_in_the_past_an_unmoved_one_may():
    later = date(2027, 6, 1)
    assert calendar_problems([CalendarEntry(1, B, date(2027, 3, 7), True)], TERM, later) == {
        1: "Een verplaatst moment ligt niet in het verleden."}
    assert calendar_problems([CalendarEntry(1, B, date(2027, 3, 7), False)], TERM, later) == {}


@pytest.mark.parametrize(("partially", "reasons", "refused"), [
    (False, "", False), (True, "Wij dekken het zelf.", False), (True, "  ", True), (True, "", True)])
def test_activating_a_partially_funded_initiative_needs_reasons_for_the_gap(partially, reasons, refused):
    assert bool(activation_problems(partially, reasons)) == refused


@pytest.mark.parametrize(("verdict", "new_end", "reasons", "fields"), [
    (Verdict.ON_TRACK, date(2031, 12, 7), "In zicht.", set()),
    (Verdict.ACHIEVED, date(2033, 12, 7), "Behaald.", set()),  # at most one more term
    (Verdict.BEHIND, date(2031, 12, 7), "x", {"evaluation"}),
    (Verdict.NOT_ACHIEVED, date(2031, 12, 7), "x", {"evaluation"}),
    (None, date(2031, 12, 7), "x", {"evaluation"}),
    (Verdict.ON_TRACK, date(2030, 12, 7), "x", {"new_end"}),  # not after the current end
    (Verdict.ON_TRACK, date(2033, 12, 8), "x", {"new_end"}),  # past one more term
    (Verdict.ON_TRACK, None, "x", {"new_end"}),
    (Verdict.ON_TRACK, date(2031, 12, 7), " ", {"reasons"}),
])
def test_an_extension_needs_results_in_sight_a_later_end_and_reasons(verdict, new_end, reasons, fields):
    assert set(extension_problems(verdict, TERM.end, new_end, reasons, DEFAULT)) == fields


@pytest.mark.parametrize(("reasons", "outcome", "fields"), [
    ("Geen effect.", EndOutcome.CARE_RETURNS, set()),
    ("Afgebouwd.", EndOutcome.SCALE_DOWN_EXECUTED, set()),
    ("", EndOutcome.CARE_RETURNS, {"reasons"}),
    ("x", None, {"outcome"}),
    ("", None, {"reasons", "outcome"}),
])
def test_ending_needs_reasons_and_what_happens_to_the_care(reasons, outcome, fields):
    assert set(end_problems(reasons, outcome)) == fields


@pytest.mark.parametrize(("due_on", "done", "expected"), [
    (date(2027, 3, 7), True, MomentStatus.DONE),
    (date(2026, 12, 6), True, MomentStatus.DONE),
    (date(2026, 12, 6), False, MomentStatus.OVERDUE),
    (date(2026, 12, 7), False, MomentStatus.DUE),  # today: due, not yet overdue
    (date(2027, 1, 4), False, MomentStatus.DUE),  # the horizon itself
    (date(2027, 1, 5), False, MomentStatus.PLANNED),
])
def test_a_moment_is_done_planned_due_or_overdue(due_on, done, expected):
    assert moment_status(due_on, done, TODAY, horizon=date(2027, 1, 4)) == expected


@pytest.mark.parametrize(("status", "term_end", "verdict", "expected"), [
    (S.ACTIVE, date(2026, 12, 6), None, [StopReason.PAST_TERM]),
    (S.EXTENDED, date(2026, 12, 6), Verdict.ON_TRACK, [StopReason.PAST_TERM]),  # the earlier final counts not
    (S.ACTIVE, date(2026, 12, 7), None, []),  # the last day of the term is still in it
    (S.EVALUATED, date(2026, 12, 6), Verdict.ON_TRACK, []),  # evaluated: extend or end, no stop
    (S.EVALUATED, date(2027, 12, 6), Verdict.NOT_ACHIEVED, [StopReason.NOT_ACHIEVED]),
    (S.EVALUATED, date(2027, 12, 6), Verdict.BEHIND, []),
    (S.ENDED, date(2026, 12, 6), Verdict.NOT_ACHIEVED, []),  # ended: nothing left to stop
    (S.FULLY_FUNDED, None, None, []),
])
def test_the_stop_criteria(status, term_end, verdict, expected):
    assert stop_reasons(status, term_end, verdict, TODAY) == expected


TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(("registered", "expected"), [
    # No registered term: the policy's default from today.
    ((None, None), Term(TODAY, date(2027, 12, 7), date(2030, 12, 7))),
    # The registered term holds: the insurers decided on it.
    ((date(2027, 1, 1), date(2030, 1, 1)), Term(date(2027, 1, 1), date(2028, 1, 1), date(2030, 1, 1))),
    # A registered start already past: the term starts today and keeps its registered end.
    ((date(2026, 6, 1), date(2029, 6, 1)), Term(TODAY, date(2027, 12, 7), date(2029, 6, 1))),
    # A term shorter than the start-up year: the start-up period ends with it.
    ((date(2027, 1, 1), date(2027, 7, 1)), Term(date(2027, 1, 1), date(2027, 7, 1), date(2027, 7, 1))),
    # A registered end no later than the start is no term: the default.
    ((None, date(2026, 12, 7)), Term(TODAY, date(2027, 12, 7), date(2030, 12, 7))),
    ((date(2027, 3, 1), None), Term(date(2027, 3, 1), date(2028, 3, 1), date(2031, 3, 1))),
])
def test_activation_keeps_the_registered_term_and_otherwise_fixes_the_default(registered, expected):
    assert term_at_activation(TODAY, *registered, DEFAULT) == expected
