"""The README's configuration table names every setting that config.py reads from the environment
(issue 14: the table and the code had drifted apart)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_read() -> set[str]:
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    production = source.split("class TestConfig")[0]  # the test settings are not for operators
    names = set(re.findall(r'(?:_int|_bool|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', production))
    app_factory = (ROOT / "innovatieregister" / "__init__.py").read_text(encoding="utf-8")
    return names | set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"', app_factory))


def _table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("Configuration (environment variables")
    return readme[start:readme.index("\n## ", start)]


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    settings = _settings_read()
    assert len(settings) > 30  # the scan found the settings, not an empty file
    table = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", _table()))
    assert sorted(settings - table) == []


def test_the_readme_table_names_no_setting_the_code_does_not_read():
    table = set(re.findall(r"^\| ([^|]+)\|", _table(), re.M))
    named = {n for row in table for n in re.findall(r"`([A-Z][A-Z0-9_]*)`", row)}
    assert len(named) > 30
    assert sorted(named - _settings_read()) == []


def _layout() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Layout")
    return readme[readme.index("```", start):readme.index("```", readme.index("```", start) + 3)]


def _entries(folder: Path) -> set[str]:
    """The package's modules and folders as the layout writes them (`paging.py`, `models/`)."""
    return {p.name + "/" if p.is_dir() else p.name for p in folder.iterdir()
            if not p.name.startswith((".", "__pycache__")) and (p.is_dir() or p.suffix == ".py")}


def test_the_layout_names_every_module_and_folder_of_the_package_and_nothing_else():
    layout = _layout()
    written = set(re.findall(r"(?<![\w./-])([a-z_][a-z0-9_]*(?:\.py|/))", layout))
    package = _entries(ROOT / "innovatieregister")
    assert len(package) > 30
    assert sorted(package - written) == []
    top = {"innovatieregister/", "migrations/", "templates/", "tests/", "bench/", "config.py", "wsgi.py"}
    # a name in the layout is a module or folder of the package, a folder under it, or the repository's own
    nested = {p.name + "/" for p in (ROOT / "innovatieregister").glob("*/*") if p.is_dir()}
    tests = {p.name + "/" for p in (ROOT / "tests").iterdir() if p.is_dir()}
    assert sorted(written - package - nested - tests - top) == []
    assert "GLOSSARY.md" in layout and (ROOT / "GLOSSARY.md").exists()


SOURCES = [ROOT / "config.py", ROOT / "Makefile", *sorted((ROOT / "innovatieregister").rglob("*.py")),
           *sorted((ROOT / "tests").rglob("*.py")), *sorted((ROOT / "templates").rglob("*.html")),
           *sorted((ROOT / "bench").rglob("*.py"))]


def test_no_comment_points_to_a_document_the_repository_does_not_hold():
    """A design document outside the repository ("DESIGN §3") tells a reader of the code nothing."""
    problems = []
    markdown = {p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.md") if ".venv" not in p.parts}
    for path in (p for p in SOURCES if p != Path(__file__).resolve()):  # this test names what it looks for
        text = path.read_text(encoding="utf-8")
        here = path.relative_to(ROOT).as_posix()
        problems += [f"{here}: {m.group(0)}" for m in re.finditer(r"\bDESIGN\b|\bSTYLE\.md\b|\.\./shared", text)]
        for name in re.findall(r"(?<![\w/.-])([\w/.-]+\.md)\b", text):
            if not any(m == name or m.endswith("/" + name) for m in markdown):
                problems.append(f"{here}: {name}")
    assert len(SOURCES) > 100
    assert problems == []
