"""Dates as people type them (issue 13): dd-mm-jjjj, ISO still accepted; one parser (limits.parse_date)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovatieregister import limits
from innovatieregister.domain.calendar import written


@pytest.mark.parametrize(("typed", "expected"), [
    ("31-12-2029", date(2029, 12, 31)),
    ("2029-12-31", date(2029, 12, 31)),
    (" 8-12-2026 ", date(2026, 12, 8)),
    ("08/12/2026", date(2026, 12, 8)),
    ("08.12.2026", date(2026, 12, 8)),
    ("29-02-2028", date(2028, 2, 29)),
    (date(2027, 1, 6), date(2027, 1, 6)),
])
def test_a_date_typed_either_way_is_read(typed, expected):
    assert limits.parse_date(typed) == expected


@pytest.mark.parametrize("typed", [
    "", "morgen", "31-13-2029", "29-02-2027", "12-31-2029", "31-12-29", "2029-12-31T00:00", "2029/12/31",
    "31-12-1999", "01-01-2101", "1-1-2029x", "٣١-١٢-٢٠٢٩", None, 20291231,
])
def test_anything_else_is_no_date(typed):
    assert limits.parse_date(typed) is None


@given(st.dates(min_value=limits.DATE_MIN, max_value=limits.DATE_MAX))
def test_what_a_form_shows_reads_back_as_the_same_date(day):
    assert limits.date_input(day) == f"{day.day:02d}-{day.month:02d}-{day.year}"
    assert limits.parse_date(limits.date_input(day)) == day
    assert limits.parse_date(day.isoformat()) == day


def test_the_message_names_the_form_to_type():
    assert "dd-mm-jjjj" in limits.invalid_date("De einddatum")


def test_a_date_is_written_one_way():
    assert written(date(2026, 12, 8)) == "8 december 2026"


def test_a_moment_shown_without_its_time_is_its_day_in_amsterdam():
    from datetime import UTC, datetime

    from innovatieregister.formatting import datum

    assert datum(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), time=False) == "8 december 2026"


def test_no_template_writes_a_date_its_own_way():
    """One style on every page: the `datum` filter as it is, never a format of a template's own."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    own = [f"{path.relative_to(templates)}: {line.strip()[:80]}" for path in templates.rglob("*.html")
           for line in path.read_text(encoding="utf-8").splitlines()
           if re.search(r"datum\(['\"]|strftime|%d-%m|>\{\{[^}]*\.isoformat\(\)", line)]  # <time datetime=ISO> is fine
    assert own == []
