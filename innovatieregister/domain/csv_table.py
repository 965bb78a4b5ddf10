"""Reading an uploaded CSV table line by line, for the imports that are all or nothing
(market shares, measurements): every bad line is reported with its number, none is skipped.

Plain Python: the imports look up what the fields name themselves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from innovatieregister import limits
from innovatieregister.domain.text import N_, Phrase

Line = tuple[int, list[str], str | None]  # (line number, fields, that line's error)


def delimiter_of(text: str) -> str:
    """';' when the first line has more of them than ',' (Dutch spreadsheets write ';')."""
    first_line = text.splitlines()[0] if text else ""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def checked_lines(text: str, delimiter: str) -> Iterator[Line]:
    """(line number, fields, error) per record: a field over limits.CSV_FIELD, a forbidden
    character or a record the csv module cannot read is that line's error, not the file's end."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:  # e.g. a field longer than the csv module's own limit (128 KiB)
            yield reader.line_num, [], Phrase(N_("deze regel is geen leesbare CSV (velden hoogstens %(n)s tekens)"),
                                              n=limits.CSV_FIELD)
            continue
        if any(len(f) > limits.CSV_FIELD for f in fields):
            yield reader.line_num, [], Phrase(N_("een veld is langer dan %(n)s tekens"), n=limits.CSV_FIELD)
        elif any(limits.has_forbidden_characters(f) for f in fields):
            yield reader.line_num, [], Phrase(
                N_("een veld bevat een teken dat niet is toegestaan (een stuurteken zoals NUL)"))
        else:
            yield reader.line_num, fields, None


@dataclass
class Table:
    """A file's header, resolved: where each wanted column stands, and the lines after it."""

    positions: dict[str, int]
    width: int
    lines: Iterator[Line]

    def row_problem(self, fields: list[str]) -> str | None:
        """A line with fewer fields than the header, or more that are not empty. A trailing empty
        field (a separator at the end, as spreadsheets write) is harmless."""
        if len(fields) < self.width or any(f.strip() for f in fields[self.width:]):
            return Phrase(N_("%(found)s velden, verwacht %(width)s"), found=len(fields), width=self.width)
        return None

    def records(self, errors: list[str]) -> Iterator[tuple[int, list[str]]]:
        """(line number, fields) of each readable record of the right width; every other line's
        error goes into `errors` ("Regel n: ..."), and empty lines are skipped."""
        for line_no, fields, line_error in self.lines:
            if line_error:
                errors.append(Phrase(N_("Regel %(n)s: %(problem)s."), n=line_no, problem=line_error))
            elif not any(f.strip() for f in fields):
                continue
            elif problem := self.row_problem(fields):
                errors.append(Phrase(N_("Regel %(n)s: %(problem)s."), n=line_no, problem=problem))
            else:
                yield line_no, fields

    def value(self, fields: list[str], column: str) -> str:
        """A column's field, stripped; '' for an optional column the file does not have."""
        position = self.positions.get(column)
        return fields[position].strip() if position is not None else ""


def read_table(text: str, columns: Mapping[str, set[str]], optional: Mapping[str, set[str]] | None = None,
               strict: bool = False) -> tuple[Table | None, list[str]]:
    """The table of `text` with its header resolved against the column names (each with its
    aliases, any case); or None and the file's errors (empty file, unreadable header, a column
    missing or given twice, and when `strict` a column it does not know: an empty header field, as
    a trailing separator writes, is no column)."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None, [N_("Het bestand is leeg.")]
    lines = checked_lines(text, delimiter_of(text))
    header_line, header_fields, header_error = next(lines)
    if header_error:
        return None, [Phrase(N_("Regel %(n)s: %(problem)s."), n=header_line, problem=header_error)]
    header = [h.strip().lower() for h in header_fields]
    positions: dict[str, int] = {}
    errors: list[str] = []
    for column, aliases in {**columns, **(optional or {})}.items():
        matches = [i for i, h in enumerate(header) if h in aliases]
        if len(matches) > 1:  # which of the two would count? Neither may be dropped silently.
            errors.append(Phrase(N_("Regel 1: kolom '%(column)s' staat er %(count)s keer in (%(found)s); geef elke "
                                    "kolom één keer."), column=column, count=len(matches),
                                 found=", ".join(header[i] for i in matches)))
        if matches:
            positions[column] = matches[0]
        elif column in columns:
            errors.append(Phrase(N_("Regel 1: kolom '%(column)s' ontbreekt (gevonden: %(found)s)."), column=column,
                                 found=", ".join(header)))
    known = {**columns, **(optional or {})}
    if strict and (unknown := [h for h in header if h and not any(h in aliases for aliases in known.values())]):
        names = ", ".join(known)
        errors.append(Phrase(N_("Regel 1: onbekende kolom(men) %(unknown)s; dit bestand kent alleen %(names)s."),
                             unknown=", ".join(repr(h) for h in unknown), names=names))
    if errors:
        return None, errors
    return Table(positions, len(header), lines), []
