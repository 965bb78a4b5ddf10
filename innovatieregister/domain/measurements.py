"""Measured values as people type them, and the measurements CSV (issue 10, the outcome monitor).

A value has at most four decimals (models.base.Quantity) and stays within
limits.MEASUREMENT_ABS_MAX. The CSV is read like the market-share import: every bad line is
reported with its number, and one bad line means nothing is stored (the service decides that).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from innovatieregister import limits
from innovatieregister.domain.csv_table import read_table
from innovatieregister.domain.monitoring import LABELS, MeasurementKind
from innovatieregister.domain.text import N_, Phrase
from innovatieregister.domain.workflow import FUNDED_STATES, RUNNING_STATES, InitiativeState

PLACES = 4
_DECIMAL = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")  # ASCII digits: \d also takes ٥
# Dots between groups of three digits, as Dutch writes thousands: 2.900, 1.055.550.
_THOUSANDS = re.compile(r"^[+-]?[1-9][0-9]{0,2}(\.[0-9]{3})+$")


def parse_decimal(text: object) -> Decimal | None:
    """A number as a Dutch person writes it: '1234,5', '1.234,5', '2.900' (dots group thousands, the
    comma is the decimal sign) or '1234.5' (a dot that groups nothing is a decimal point); spaces
    are ignored. None when it is not such a number."""
    if isinstance(text, Decimal):
        return text if text.is_finite() else None
    cleaned = str(text).replace(" ", "").replace("\xa0", "")
    if "," in cleaned or _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not _DECIMAL.match(cleaned) or len(cleaned) > 40:
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def parse_value(text: object) -> Decimal:
    """A measured value (or a goal's baseline or target value); ValueError with a Dutch reason."""
    value = parse_decimal(text)
    if value is None:
        raise ValueError(Phrase(N_("'%(text)s' is geen getal (bijv. 12,5)"), text=str(text)[:40]))
    if value != value.quantize(Decimal(1).scaleb(-PLACES)):
        raise ValueError(Phrase(N_("'%(text)s' heeft meer dan %(places)s decimalen"), text=text, places=PLACES))
    if abs(value) > limits.MEASUREMENT_ABS_MAX:
        raise ValueError(Phrase(N_("de waarde ligt buiten het bereik (hoogstens %(max)s in absolute waarde)"),
                                max=f"{limits.MEASUREMENT_ABS_MAX:,}".replace(",", ".")))
    return value + 0  # no negative zero


# The kinds as a CSV may name them: Dutch first, the API's values too.
KIND_NAMES: dict[str, MeasurementKind] = {
    "nulmeting": MeasurementKind.BASELINE, "baseline": MeasurementKind.BASELINE,
    "periodiek": MeasurementKind.PERIODIC, "periodieke meting": MeasurementKind.PERIODIC,
    "jaarmeting": MeasurementKind.PERIODIC, "periodic": MeasurementKind.PERIODIC,
    "eind": MeasurementKind.FINAL, "eindmeting": MeasurementKind.FINAL, "final": MeasurementKind.FINAL,
}
COLUMNS = {
    "doel": {"doel", "goal", "maatstaf", "doel_id"},
    "soort": {"soort", "kind", "meting"},
    "datum": {"datum", "date", "meetdatum"},
    "waarde": {"waarde", "value"},
}
OPTIONAL_COLUMNS = {"eenheid": {"eenheid", "unit"}, "bron": {"bron", "source"}}


@dataclass(frozen=True)
class MeasurementRow:
    line: int
    goal_id: int
    kind: MeasurementKind
    measured_on: date
    value: Decimal
    unit: str
    source: str


def unit_problem(unit: str, goal_unit: str) -> str | None:
    """Why a measurement in `unit` cannot count for a goal measured in `goal_unit` (Dutch), or None.
    Progress compares values with the goal's baseline and target, so a goal that has a unit takes
    only values in that unit; an empty unit means the goal's own."""
    if not unit.strip() or not goal_unit.strip() or unit.strip().casefold() == goal_unit.strip().casefold():
        return None
    return Phrase(N_("de eenheid '%(unit)s' is niet die van het doel ('%(goal_unit)s'); geef de waarde in "
                     "de eenheid van het doel of laat de eenheid leeg"), unit=unit.strip(), goal_unit=goal_unit.strip())


def date_problem(measured_on: date | None, today: date) -> str | None:
    """What is wrong with a measurement's date (Dutch), or None: it is a date (limits.parse_date) and
    not in the future."""
    if measured_on is None:
        return Phrase(N_("geen geldige datum (typ %(format)s, bijvoorbeeld 31-12-2029)"), format=limits.DATE_INPUT)
    if measured_on > today:
        return Phrase(N_("de datum ligt in de toekomst; leg een meting vast als ze gedaan is"))
    return None


def parse_measurements_csv(text: str, goals: Mapping[str, int], today: date,
                           units: Mapping[int, str] | None = None) -> tuple[list[MeasurementRow], list[str]]:
    """Read and check a measurements file; its rows and every error, in Dutch, each with its line.

    Columns (header required, ',' or ';' separated): doel (the goal's number or its metric, as
    `goals` maps them, any case), soort (nulmeting, periodiek, eind), datum (dd-mm-jjjj or JJJJ-MM-DD, not after
    `today`), waarde (as parse_decimal reads it); optional eenheid (empty, or the goal's unit as
    `units` maps goal ids to them) and bron.
    """
    table, errors = read_table(text, COLUMNS, OPTIONAL_COLUMNS, strict=True)
    if table is None:
        return [], errors
    rows: list[MeasurementRow] = []
    seen: dict[tuple, MeasurementRow] = {}  # (goal, kind, day) → its first line
    for line_no, fields in table.records(errors):
        row, problems = _row(line_no, {c: table.value(fields, c) for c in (*COLUMNS, *OPTIONAL_COLUMNS)}, goals,
                             today, units or {})
        if problems:
            errors.append(Phrase(N_("Regel %(n)s: %(problem)s."), n=line_no, problem=problems))
        elif row is not None and (problem := _duplicate_problem(row, seen)):
            errors.append(Phrase(N_("Regel %(n)s: %(problem)s."), n=line_no, problem=problem))
        elif row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(N_("Het bestand bevat geen regels met metingen."))
    if len(rows) > limits.MEASUREMENTS_PER_UPLOAD:
        errors.append(Phrase(N_("Het bestand heeft %(n)s metingen; hoogstens %(max)s per bestand. Splits het "
                                "bestand."), n=len(rows), max=limits.MEASUREMENTS_PER_UPLOAD))
    return rows, errors


def _duplicate_problem(row: MeasurementRow, seen: dict[tuple, MeasurementRow]) -> str | None:
    """A goal has one value of a kind on a day: a second line for it is a copy or a contradiction."""
    key = (row.goal_id, row.kind, row.measured_on)
    earlier = seen.setdefault(key, row)
    if earlier is row:
        return None
    if (earlier.value, earlier.unit, earlier.source) == (row.value, row.unit, row.source):
        return Phrase(N_("dubbele regel: dezelfde meting staat ook op regel %(line)s"), line=earlier.line)
    return Phrase(N_("dit doel heeft op regel %(line)s al een %(kind)s op %(date)s met een andere waarde; laat "
                     "één van beide staan"), line=earlier.line, kind=LABELS[row.kind].lower(), date=row.measured_on)


def _row(line_no: int, values: dict[str, str], goals: Mapping[str, int],
         today: date, units: Mapping[int, str]) -> tuple[MeasurementRow | None, list[str]]:
    problems: list[str] = []
    goal_id = goals.get(values["doel"].lower())
    if goal_id is None:
        problems.append(Phrase(N_("onbekend doel '%(goal)s' (het nummer of de maatstaf van een doel)"),
                               goal=values["doel"]))
    kind = KIND_NAMES.get(values["soort"].lower())
    if kind is None:
        problems.append(Phrase(N_("onbekende soort '%(kind)s' (nulmeting, periodiek of eind)"), kind=values["soort"]))
    measured_on = limits.parse_date(values["datum"])
    if problem := date_problem(measured_on, today):
        problems.append(Phrase(N_("datum '%(date)s': %(problem)s"), date=values["datum"], problem=problem))
    try:
        value = parse_value(values["waarde"])
    except ValueError as error:
        problems.append(Phrase(N_("waarde: %(problem)s"), problem=error.args[0]))
        value = None
    if len(values["eenheid"]) > limits.UNIT:
        problems.append(Phrase(N_("de eenheid is langer dan %(n)s tekens"), n=limits.UNIT))
    elif goal_id is not None and (problem := unit_problem(values["eenheid"], units.get(goal_id, ""))):
        problems.append(problem)
    if problems or goal_id is None or kind is None or measured_on is None or value is None:
        return None, problems
    return MeasurementRow(line_no, goal_id, kind, measured_on, value, values["eenheid"], values["bron"]), []


# When measurements are entered (003: a baseline measurement at the start, periodic ones while it runs,
# a final one at the end): while the initiative runs; the baseline already once it is funded.
MEASURING_STATES = RUNNING_STATES
BASELINE_STATES = RUNNING_STATES | FUNDED_STATES


def measurement_refusal(status: InitiativeState, kinds: set[MeasurementKind]) -> str | None:
    """Why measurements of these kinds cannot be entered in this state (Dutch), or None."""
    if status in MEASURING_STATES or (status in BASELINE_STATES and kinds <= {MeasurementKind.BASELINE}):
        return None
    if status in BASELINE_STATES:
        return ("Dit initiatief is nog niet actief: alleen een nulmeting kan al worden vastgelegd. Periodieke en "
                "eindmetingen volgen zodra de leidende verzekeraar het initiatief heeft geactiveerd.")
    return ("Metingen worden vastgelegd vanaf de financiering (de nulmeting) en zolang het initiatief loopt "
            "(actief, geëvalueerd of verlengd); in deze fase niet.")
