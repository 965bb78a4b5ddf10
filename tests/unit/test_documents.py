"""Which files the register keeps, told by their bytes (domain/documents.py)."""

from __future__ import annotations

import io
import zipfile

import pytest

from innovatieregister import limits
from innovatieregister.domain.documents import CSV, DOCX, PDF, XLSX, Refused, check_upload, file_type, safe_filename


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override PartName="/x" ContentType="application/'
                                                f'vnd.openxmlformats-officedocument.{main_part}"/></Types>')
        package.writestr("x", "inhoud")
    return buffer.getvalue()


XLSX_BYTES = office("spreadsheetml.sheet.main+xml")
DOCX_BYTES = office("wordprocessingml.document.main+xml")


@pytest.mark.parametrize(("content", "kind"), [
    (b"%PDF-1.7\n...", PDF), (XLSX_BYTES, XLSX), (DOCX_BYTES, DOCX),
    (b"doel;waarde\n7;2,5\n", CSV), ("\ufeffdoel;bron\n7;Zorgverzekeraars Nederland – ü\n".encode(), CSV),
])
def test_the_allowed_types_by_their_bytes(content, kind):
    assert file_type(content) == kind


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n....", b"MZ\x90\x00 an executable", b"\xff\xd8\xff\xe0 jpeg",
    office("presentationml.presentation.main+xml"),  # a PowerPoint: a ZIP, but not one we keep
    b"PK\x03\x04 not really a zip", b"text with a NUL \x00 inside", "latin-1 caf\xe9".encode("latin-1"),
])
def test_anything_else_is_no_allowed_type(content):
    assert file_type(content) is None


def test_a_pdf_named_csv_or_a_program_named_pdf_is_refused():
    with pytest.raises(Refused, match="geen PDF, XLSX, DOCX of CSV"):
        check_upload("rapport.pdf", b"MZ\x90\x00 an executable")
    with pytest.raises(Refused, match=r"eindigt op \.pdf, maar de inhoud is CSV"):
        check_upload("rapport.pdf", b"a,b\n1,2\n")
    assert check_upload("rapport", b"%PDF-1.4") == PDF  # no extension: the bytes decide


def test_empty_and_oversize_are_refused():
    with pytest.raises(Refused, match="leeg"):
        check_upload("leeg.csv", b"")
    with pytest.raises(Refused, match="te groot"):
        check_upload("groot.csv", b"a" * (limits.DOCUMENT_BYTES_MAX + 1))
    assert check_upload("precies.csv", b"a" * limits.DOCUMENT_BYTES_MAX) == CSV


@pytest.mark.parametrize(("name", "kind", "safe"), [
    ("Evaluatie 2027.pdf", PDF, "Evaluatie 2027.pdf"),
    ("../../etc/passwd", CSV, "passwd.csv"),
    ("C:\\Users\\x\\rapport.PDF", PDF, "rapport.pdf"),
    ('"; rm -rf *<script>.docx', DOCX, "rm -rf __script.docx"),
    ("...", XLSX, "document.xlsx"),
    ("meting.xlsx", CSV, "meting.xlsx.csv"),  # the name never claims another type than the bytes
    ("é" * 400 + ".pdf", PDF, "é" * (limits.FILENAME - 4) + ".pdf"),
])
def test_file_names_are_made_safe(name, kind, safe):
    assert safe_filename(name, kind) == safe
    assert len(safe_filename(name, kind)) <= limits.FILENAME
