"""Tables finance staff can file: CSV that Dutch Excel opens as it is, and XLSX with real numbers.

One place for every export (fair-share statements, decisions, settlements, savings, dashboards):
a view builds `Column`s and an iterable of rows and hands them to `export_response`. Rows are
read once, as they come, so a large export streams (CSV) or is written row by row to a
temporary file (XLSX, XlsxWriter's constant-memory mode): memory stays flat however many rows.

Formula injection: a text cell that starts with = + - @, a tab or a carriage return would be
run as a formula by a spreadsheet; it is written with a leading apostrophe instead (OWASP's
advice), in both formats. Numbers are never text, so a negative balance stays a number.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import overload

import xlsxwriter
from flask import Response, request, stream_with_context
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString

from innovatieregister.formatting import AMSTERDAM

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024


class Kind(StrEnum):
    """How a column's values are written: text, whole numbers, euros, exact decimals, dates."""

    TEXT = "text"
    INTEGER = "integer"
    EURO = "euro"
    DECIMAL = "decimal"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


def neutralised(text: str) -> str:
    """A text cell a spreadsheet will show, never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: object) -> object:
    if isinstance(value, LazyString):  # a label said in the reader's language (labels.HIDDEN)
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).replace(tzinfo=None)
    return value.value if isinstance(value, StrEnum) else value


def _csv_cell(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, Decimal | int):
        return str(value).replace(".", ",")  # decimal comma; no grouping, so Excel reads a number
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return neutralised(str(value))


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The table as Dutch-Excel CSV (UTF-8 with BOM, ';', decimal comma), a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralised(str(c.title)) for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        if buffer.tell() >= _CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(target, sheet: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
    """The table as an XLSX workbook in `target` (a path or a binary file object), written row by
    row: numbers as numbers with a euro or date format, text as text (never a formula)."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False,
                                            "strings_to_formulas": False, "strings_to_numbers": False,
                                            "strings_to_urls": False, "remove_timezone": True})
    formats = {
        Kind.EURO: workbook.add_format({"num_format": "€ #,##0.00;€ -#,##0.00"}),
        Kind.DECIMAL: workbook.add_format({"num_format": "#,##0.####"}),
        Kind.INTEGER: workbook.add_format({"num_format": "#,##0"}),
        Kind.DATE: workbook.add_format({"num_format": "dd-mm-yyyy"}),
    }
    bold = workbook.add_format({"bold": True})
    worksheet = workbook.add_worksheet(_sheet_name(sheet))
    for col, column in enumerate(columns):
        title = str(column.title)  # a lazy title in the reader's language
        worksheet.write_string(0, col, neutralised(title), bold)
        worksheet.set_column(col, col, max(12, min(len(title) + 2, 60)))
    worksheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write_cell(worksheet, r, col, _plain(value), formats.get(columns[col].kind))
    workbook.close()


def _write_cell(worksheet, row: int, col: int, value: object, fmt) -> None:
    if value is None:
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_string(row, col, _yes_no(value))
    elif isinstance(value, Decimal | int):
        # Excel stores doubles: exact for every amount below 2^53 cents.
        worksheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, fmt)
    else:
        worksheet.write_string(row, col, neutralised(str(value)))


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(name))[:31] or _("Blad1")


@overload
def requested_format(default: str) -> str: ...
@overload
def requested_format(default: None = None) -> str | None: ...
def requested_format(default: str | None = None) -> str | None:
    """'csv' or 'xlsx' from ?formaat= (web links) or the Accept header (the API); else `default`."""
    asked = request.args.get("formaat", "").lower()
    if asked in MEDIA_TYPES:
        return asked
    best = request.accept_mimetypes.best_match([CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, "application/json",
                                                "text/html"])
    for fmt, media_type in MEDIA_TYPES.items():
        if best == media_type:
            return fmt
    return default


def export_response(fmt: str, filename: str, columns: Sequence[Column],
                    rows: Iterable[Sequence[object]], sheet: str = "Export") -> Response:
    """The table as a download, streamed: `filename` without extension (ASCII, no quotes)."""
    disposition = f'attachment; filename="{filename}.{fmt}"'
    if fmt == "csv":
        return Response(stream_with_context(csv_chunks(columns, rows)),
                        mimetype=CSV_MEDIA_TYPE + "; charset=utf-8",
                        headers={"Content-Disposition": disposition})
    if fmt != "xlsx":
        raise ValueError(f"unknown export format {fmt!r}")
    spool = tempfile.TemporaryFile()  # gone when closed, also if the client goes away
    write_xlsx(spool, sheet, columns, rows)
    length = spool.tell()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(_CHUNK):
                yield block

    return Response(chunks(), mimetype=XLSX_MEDIA_TYPE,
                    headers={"Content-Disposition": disposition, "Content-Length": str(length)})
