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
