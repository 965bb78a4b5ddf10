"""Exports open in Dutch Excel as they are, never run a formula, and keep numbers numbers."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from innovatieregister.exports import Column, Kind, csv_chunks, neutralised, write_xlsx

COLUMNS = [Column("Partij"), Column("Saldo", Kind.EURO), Column("Datum", Kind.DATE), Column("Eenheden", Kind.INTEGER)]
DANGEROUS = ["=HYPERLINK(\"http://x\")", "+31 6", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _rows():
    yield ("gewoon", Decimal("-12.50"), date(2027, 1, 6), 3)
    for text in DANGEROUS:
        yield (text, Decimal("1055550.80"), None, None)


def test_csv_is_what_dutch_excel_reads_semicolon_decimal_comma_bom():
    text = "".join(csv_chunks(COLUMNS, _rows()))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Partij", "Saldo", "Datum", "Eenheden"]
    assert rows[1] == ["gewoon", "-12,50", "06-01-2027", "3"]  # a negative amount stays a number
    assert [r[0] for r in rows[2:]] == ["'" + t for t in DANGEROUS]


def test_xlsx_has_numbers_with_a_euro_format_and_no_formula():
    with tempfile.TemporaryFile() as f:
        write_xlsx(f, "Verdeel:staat", COLUMNS, _rows())
        f.seek(0)
        sheet = openpyxl.load_workbook(f).active
    assert sheet.title == "Verdeel staat"  # ':' is not allowed in a sheet name
    assert sheet["B2"].value == -12.5 and sheet["B2"].data_type == "n"
    assert "€" in sheet["B2"].number_format
    assert sheet["C2"].is_date and sheet["D2"].value == 3
    texts = [sheet.cell(row=r, column=1) for r in range(3, 3 + len(DANGEROUS))]
    assert all(c.value.startswith("'") for c in texts)  # (XLSX stores a carriage return escaped)
    assert [c.value for c in texts[:5]] == ["'" + t for t in DANGEROUS[:5]]
    assert all(c.data_type == "s" for c in texts)  # text, not a formula ("f")


@pytest.mark.parametrize("text", ["Zorg", "12", "", "a=b"])
def test_harmless_text_is_left_alone(text):
    assert neutralised(text) == text
