"""Measured values and the measurements CSV (domain/measurements.py): every bad line with its number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from innovatieregister import limits
from innovatieregister.domain.measurements import parse_measurements_csv, parse_value, unit_problem
from innovatieregister.domain.monitoring import MeasurementKind

GOALS = {"7": 7, "verkeerde-beddagen per week": 7, "8": 8}
HEADER = "doel;soort;datum;waarde;eenheid;bron\n"
TODAY = date(2030, 1, 1)


@pytest.mark.parametrize(("text", "value"), [
    ("12", Decimal("12")), ("12,5", Decimal("12.5")), ("12.5", Decimal("12.5")), ("-3,25", Decimal("-3.25")),
    ("1.234,5", Decimal("1234.5")), ("2.900", Decimal("2900")), ("2.9", Decimal("2.9")), ("0.125", Decimal("0.125")),
    ("1.055.550", Decimal("1055550")), (" 2 900 ", Decimal("2900")), ("0,0001", Decimal("0.0001")),
    (str(limits.MEASUREMENT_ABS_MAX), Decimal(limits.MEASUREMENT_ABS_MAX)), ("-0", Decimal("0")),
])
def test_values_as_people_write_them(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("", "geen getal"), ("veel", "geen getal"), ("1,2,3", "geen getal"), ("1e5", "geen getal"),
    ("NaN", "geen getal"), ("\u0665", "geen getal"), ("1,23456", "meer dan 4 decimalen"),
    (str(limits.MEASUREMENT_ABS_MAX + 1), "buiten het bereik"),
])
def test_values_refused_with_their_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_value(text)


def test_a_good_file_gives_every_row():
    rows, errors = parse_measurements_csv(
        HEADER + "7;nulmeting;2026-01-15;2,9;per week;Vektis\n"
        "Verkeerde-beddagen per week;periodiek;2027-01-15;2,2;;\n"
        "8;eind;2029-01-15;1.234,5;euro;CBS\n", GOALS, TODAY)
    assert errors == []
    assert [(r.line, r.goal_id, r.kind, r.measured_on, r.value, r.unit, r.source) for r in rows] == [
        (2, 7, MeasurementKind.BASELINE, date(2026, 1, 15), Decimal("2.9"), "per week", "Vektis"),
        (3, 7, MeasurementKind.PERIODIC, date(2027, 1, 15), Decimal("2.2"), "", ""),
        (4, 8, MeasurementKind.FINAL, date(2029, 1, 15), Decimal("1234.5"), "euro", "CBS"),
    ]


def test_the_optional_columns_may_be_left_out_and_commas_separate_too():
    rows, errors = parse_measurements_csv("doel,soort,datum,waarde\n7,periodiek,2027-01-15,\"2,2\"\n", GOALS, TODAY)
    assert errors == [] and rows[0].value == Decimal("2.2") and rows[0].unit == ""


def test_every_bad_line_is_reported_with_its_number():
    rows, errors = parse_measurements_csv(
        HEADER + "7;nulmeting;2026-01-15;2,9;;\n"  # 2: good
        "99;periodiek;2027-01-15;2;;\n"  # 3: unknown goal
        "7;tussenmeting;2027-01-15;2;;\n"  # 4: unknown kind
        "7;periodiek;15-1-27;2;;\n"  # 5: neither dd-mm-jjjj nor jjjj-mm-dd
        "7;periodiek;2027-01-15;twee;;\n"  # 6: not a number
        "7;periodiek;2027-01-15;2,12345;;\n"  # 7: too many decimals
        "7;periodiek\n"  # 8: too few fields
        "\n"  # 9: empty, ignored
        f"7;periodiek;2027-01-15;2;{'x' * (limits.UNIT + 1)};\n"  # 10: unit too long
        "99;later;gisteren;veel;;\n"  # 11: four problems on one line
        "7;eind;2030-01-02;1;;\n", GOALS, TODAY)  # 12: after today
    assert [e.split(":")[0] for e in errors] == [f"Regel {n}" for n in (3, 4, 5, 6, 7, 8, 10, 11, 12)]
    assert "onbekend doel '99'" in errors[0]
    assert "onbekende soort 'tussenmeting'" in errors[1]
    assert "datum '15-1-27': geen geldige datum (typ dd-mm-jjjj" in errors[2]
    assert "'twee' is geen getal" in errors[3]
    assert "meer dan 4 decimalen" in errors[4]
    assert "2 velden, verwacht 6" in errors[5]
    assert f"langer dan {limits.UNIT} tekens" in errors[6]
    assert errors[7].count(";") == 3  # all four problems of line 11 in one message
    assert "de datum ligt in de toekomst" in errors[8]
    assert len(rows) == 1  # the caller stores nothing when there are errors


@pytest.mark.parametrize(("text", "expected"), [
    ("", ["Het bestand is leeg."]),
    ("doel;soort;datum\n7;eind;2027-01-01\n", ["Regel 1: kolom 'waarde' ontbreekt (gevonden: doel, soort, datum)."]),
    (HEADER, ["Het bestand bevat geen regels met metingen."]),
    (HEADER + "7;eind;2027-01-01;1;\x00;\n", ["Regel 2: een veld bevat een teken dat niet is toegestaan "
                                               "(een stuurteken zoals NUL)."]),
])
def test_a_file_that_is_not_a_measurements_table(text, expected):
    assert parse_measurements_csv(text, GOALS, TODAY) == ([], expected)


def test_a_file_with_too_many_lines_is_refused_as_a_whole():
    first = date(2020, 1, 1).toordinal()  # a day each: no line repeats another
    body = "".join(f"7;periodiek;{date.fromordinal(first + i).isoformat()};{i};;\n"
                   for i in range(limits.MEASUREMENTS_PER_UPLOAD + 1))
    _, errors = parse_measurements_csv(HEADER + body, GOALS, TODAY)
    assert errors == [f"Het bestand heeft {limits.MEASUREMENTS_PER_UPLOAD + 1} metingen; hoogstens "
                      f"{limits.MEASUREMENTS_PER_UPLOAD} per bestand. Splits het bestand."]


@pytest.mark.parametrize(("unit", "goal_unit", "refused"), [
    ("euro", "%", True), ("%", "%", False), ("", "%", False), (" Beddagen ", "beddagen", False),
    ("euro", "", False),  # a goal without a unit takes what is measured
])
def test_a_value_counts_only_in_its_goals_unit(unit, goal_unit, refused):
    assert (unit_problem(unit, goal_unit) is not None) == refused


def test_a_csv_line_in_another_unit_than_its_goals_is_a_bad_line():
    rows, errors = parse_measurements_csv(
        HEADER + "7;periodiek;2027-01-15;2,2;per week;\n8;eind;2029-01-15;9999;euro;\n8;eind;2029-01-16;61;;\n",
        GOALS, TODAY, {7: "per week", 8: "%"})
    assert [e.split(":")[0] for e in errors] == ["Regel 3"]
    assert "eenheid 'euro' is niet die van het doel ('%')" in errors[0]
    assert [r.line for r in rows] == [2, 4]


def test_a_measurement_twice_in_a_file_is_a_bad_line_whether_a_copy_or_a_contradiction():
    rows, errors = parse_measurements_csv(
        HEADER + "7;periodiek;2027-01-15;2,2;;Vektis\n"  # 2
        "7;nulmeting;2027-01-15;2,2;;Vektis\n"  # 3: another kind: fine
        "7;periodiek;2027-01-15;2,2;;Vektis\n"  # 4: a copy of line 2
        "verkeerde-beddagen per week;periodiek;2027-01-15;3;;\n"  # 5: line 2's goal, kind and day, another value
        "8;periodiek;2027-01-15;2,2;;Vektis\n", GOALS, TODAY)  # 6: another goal: fine
    assert errors == [
        "Regel 4: dubbele regel: dezelfde meting staat ook op regel 2.",
        "Regel 5: dit doel heeft op regel 2 al een periodieke meting op 15 januari 2027 met een andere waarde; "
        "laat één van beide staan.",
    ]
    assert [r.line for r in rows] == [2, 3, 6]


@pytest.mark.parametrize(("header", "error"), [
    ("doel;soort;datum;waarde;waarde", "kolom 'waarde' staat er 2 keer in (waarde, waarde)"),
    ("doel;soort;datum;waarde;value", "kolom 'waarde' staat er 2 keer in (waarde, value)"),
    ("doel;soort;datum;waarde;opmerking", "onbekende kolom(men) 'opmerking'"),
])
def test_a_column_twice_or_one_it_does_not_know_refuses_the_file(header, error):
    rows, errors = parse_measurements_csv(f"{header}\n7;periodiek;2027-01-15;2;3\n", GOALS, TODAY)
    assert rows == [] and len(errors) == 1
    assert errors[0].startswith("Regel 1: ") and error in errors[0]


def test_a_trailing_separator_in_the_header_is_no_unknown_column():
    rows, errors = parse_measurements_csv("doel;soort;datum;waarde;\n7;periodiek;2027-01-15;2;\n", GOALS, TODAY)
    assert errors == [] and len(rows) == 1
