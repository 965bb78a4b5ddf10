"""The domain is plain Python: no Flask, no SQLAlchemy, no clock."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "innovatieregister" / "domain"
FORBIDDEN_MODULES = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "innovatieregister.models",
                     "innovatieregister.services")
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic"}


def test_domain_imports_no_framework_and_reads_no_clock():
    problems = []
    for path in sorted(DOMAIN.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            problems += [f"{path.name}: import {n}" for n in names if n.startswith(FORBIDDEN_MODULES)]
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in CLOCK_CALLS):
                problems.append(f"{path.name}:{node.lineno}: calls .{node.func.attr}()")
    assert problems == []
    assert len(list(DOMAIN.glob("*.py"))) >= 6  # the scan really looked at the domain
