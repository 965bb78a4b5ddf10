"""GLOSSARY.md cannot drift from the code (issue 14): every class, function, module, table and API
path it names exists, and every term of the in-app glossary (glossary.py) is in its table with
the same English."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from innovatieregister import glossary
from innovatieregister.models import Base

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "GLOSSARY.md"
API_PREFIX = "/api/v1"
COLUMNS = ("dutch", "english", "meaning", "code", "table", "api")


def _rows() -> list[dict[str, str]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    start = text.index("## Terms")
    block = text[start:text.index("\n## ", start + 1)]
    lines = [line for line in block.splitlines() if line.startswith("|")][2:]  # past header and rule
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == len(COLUMNS), line
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def resolve(dotted: str) -> object:
    """`models.Decision.weighty` → the object: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(["innovatieregister", *parts[:cut]]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def _api_paths() -> set[str]:
    """Every path of the JSON API, as its OpenAPI document lists them (tests/api proves the document
    lists exactly the API's routes)."""
    from innovatieregister.api.openapi import document

    return {API_PREFIX + path for path in document()["paths"]}


ROWS = _rows()


def test_the_table_was_read():
    assert len(ROWS) >= 25
    assert sum(len(_names(r["code"])) for r in ROWS) >= 50


@pytest.mark.parametrize("name", sorted({n for r in ROWS for n in _names(r["code"])}))
def test_every_code_name_exists(name):
    assert resolve(name) is not None


def test_a_name_that_does_not_exist_is_caught():
    with pytest.raises((AttributeError, ModuleNotFoundError)):
        resolve("models.DecisionRequest")
    with pytest.raises((AttributeError, ModuleNotFoundError)):
        resolve("domain.workflow.Role")  # renamed to Party (issue 14)


def test_every_table_exists():
    tables = {n for r in ROWS for n in _names(r["table"])}
    assert tables and sorted(tables - set(Base.metadata.tables)) == []


def test_every_api_path_exists():
    paths = {n for r in ROWS for n in _names(r["api"])}
    known = _api_paths()
    assert len(known) > 40  # the scan found the routes
    assert paths and sorted(paths - known) == []


def test_every_term_of_the_in_app_glossary_is_in_the_table_with_its_english():
    rendered = {}
    for row in ROWS:
        for dutch in row["dutch"].split(","):
            rendered[re.sub(r"\s*\(.*\)", "", dutch).strip()] = row["english"]
    for term in glossary.TERMS:
        assert term.dutch in rendered, term.dutch
        assert term.english in rendered[term.dutch], term.dutch
