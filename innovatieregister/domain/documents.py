"""Which uploaded files the register keeps (issue 10: PDF, XLSX, DOCX, CSV), told by their bytes.

A client's Content-Type header and a file name say what the sender claims; the first bytes say
what the file is. A PDF starts with `%PDF-`; XLSX and DOCX are ZIP packages whose
`[Content_Types].xml` names the spreadsheet or word-processing part; a CSV is UTF-8 text.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from innovatieregister import limits
from innovatieregister.domain.text import N_, Phrase


@dataclass(frozen=True)
class FileType:
    name: str
    extension: str
    content_type: str


PDF = FileType("PDF", "pdf", "application/pdf")
XLSX = FileType("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX = FileType("Word (DOCX)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
CSV = FileType("CSV", "csv", "text/csv")
ALLOWED = (PDF, XLSX, DOCX, CSV)
ALLOWED_TEXT = N_("PDF, XLSX, DOCX of CSV")
# The package part that names an Office file's main document (ECMA-376 part 2).
_OFFICE_MAIN_PARTS = {XLSX: b"spreadsheetml.sheet.main+xml", DOCX: b"wordprocessingml.document.main+xml"}
_CONTENT_TYPES_MAX = 1024 * 1024  # a real [Content_Types].xml is a few KB; never inflate a bomb


class Refused(ValueError):
    """The file is not kept; the message is Dutch."""


def file_type(content: bytes) -> FileType | None:
    """What the bytes are, among the allowed types; None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"PK\x03\x04"):
        return _office_type(content)
    return CSV if _is_text(content) else None


def _office_type(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            types = package.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    return next((kind for kind, part in _OFFICE_MAIN_PARTS.items() if part in types), None)


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not limits.has_forbidden_characters(text)


_UNSAFE = re.compile(r"[^\w .()+,-]")


def safe_filename(name: str, kind: FileType) -> str:
    """The name to store and to offer on download: no folders, no control or shell characters, no
    leading dots, at most limits.FILENAME characters, ending in the type's own extension."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    stem, dot, extension = base.rpartition(".")
    if not dot or extension.lower() != kind.extension:
        stem = base
    stem = re.sub(r"\s+", " ", _UNSAFE.sub("_", stem)).strip(" ._") or "document"
    return f"{stem[:limits.FILENAME - len(kind.extension) - 1]}.{kind.extension}"


def check_upload(name: str, content: bytes) -> FileType:
    """The type of an upload the register keeps; Refused (in Dutch) otherwise."""
    if not content:
        raise Refused(N_("Het bestand is leeg."))
    if len(content) > limits.DOCUMENT_BYTES_MAX:
        raise Refused(too_large_message())
    kind = file_type(content)
    if kind is None:
        raise Refused(Phrase(N_("Dit bestand is geen %(allowed)s: de inhoud is van een ander soort bestand."),
                             allowed=Phrase(ALLOWED_TEXT)))
    claimed = (name or "").rpartition(".")[2].lower() if "." in (name or "") else ""
    if claimed and claimed != kind.extension and claimed in {t.extension for t in ALLOWED}:
        raise Refused(Phrase(N_("De naam eindigt op .%(claimed)s, maar de inhoud is %(kind)s. "
                                "Kies het juiste bestand of geef het de juiste naam."),
                             claimed=claimed, kind=kind.name))
    return kind


def too_large_message() -> str:
    return Phrase(N_("Het bestand is te groot: hoogstens %(mb)s MB (%(allowed)s)."),
                  mb=limits.DOCUMENT_BYTES_MAX // (1024 * 1024), allowed=Phrase(ALLOWED_TEXT))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
