"""States are enum members owned by the domain (issue 14): no code compares a state with a string.

A comparison such as `request.state == "open"` or `state in ("open", "decided")` silently stops
matching when a member's value changes or a state is added, and it hides which set of states is
meant ("live" requests, "current" settlements). The code compares with the enum members
and the named sets in domain/workflow.py and domain/funding.py instead.

The scan reads the package's source (AST) and the templates. A state value is a value of any
StrEnum named ...State or ...Status in the package. It fails on every `==`, `!=`, `in`,
`not in`, `match` case and SQL `.in_()`/`.notin_()` with such a value written as a string, and
on every set of states spelled out as strings (`LIVE = ("open", "decided")`), wherever it sits.
Migrations are outside the package; the models' column definitions name their enum type, never
a string, and the partial indexes' SQL text (`state IN ('open', ...)`) is no comparison in Python.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "innovatieregister"
TEMPLATES = ROOT / "templates"
STATE_ENUM = re.compile(r"(State|Status)$")


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "translations" not in p.parts)


def _enum_bases(node: ast.ClassDef) -> set[str]:
    return {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}


def state_values() -> dict[str, str]:
    """{value: 'Enum.MEMBER'} of every state enum in the package, read from the source."""
    values: dict[str, str] = {}
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef) and STATE_ENUM.search(node.name) and "StrEnum" in _enum_bases(node):
                for item in node.body:
                    if (isinstance(item, ast.Assign) and len(item.targets) == 1
                            and isinstance(item.targets[0], ast.Name)
                            and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str)):
                        values.setdefault(item.value.value, f"{node.name}.{item.targets[0].id}")
    return values


def _strings(node: ast.AST) -> list[str]:
    """The string constants a comparison operand stands for (itself, or a literal tuple/list/set's items)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def string_comparisons(source: str, values: set[str]) -> list[tuple[int, str]]:
    """(line, string) for every comparison of something with a state value written as a string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                found += [(node.lineno, s) for s in _strings(operand) if s in values]
        elif isinstance(node, ast.MatchValue):
            found += [(node.lineno, s) for s in _strings(node.value) if s in values]
        elif (isinstance(node, ast.Assign) and isinstance(node.value, (ast.Tuple, ast.List, ast.Set))
              and len(named := _strings(node.value)) > 1 and set(named) <= values):
            found += [(node.lineno, s) for s in named]  # a set of states spelled out: LIVE = ("open", ...)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("in_", "notin_") and node.args):  # SQL: column.in_(("open", ...))
            found += [(node.lineno, s) for s in _strings(node.args[0]) if s in values]
    return found


_JINJA = re.compile(r"{[{%](.*?)[%}]}", re.S)
_TEMPLATE_COMPARISON = re.compile(
    r"""(?:==|!=)\s*(['"])(\w+)\1|(['"])(\w+)\3\s*(?:==|!=)|\bin\s*[(\[]([^)\]]*)[)\]]""")


def template_comparisons(text: str, values: set[str]) -> list[tuple[int, str]]:
    found = []
    for block in _JINJA.finditer(text):
        line = text.count("\n", 0, block.start()) + 1
        for match in _TEMPLATE_COMPARISON.finditer(block.group(1)):
            strings = [match.group(2) or match.group(4)] if match.group(5) is None else \
                re.findall(r"""['"](\w+)['"]""", match.group(5))
            found += [(line, s) for s in strings if s in values]
    return found


def test_the_scan_knows_the_state_enums():
    values = state_values()
    # the workflow's, the funding's, the insurer's and the visibility's states are all found
    for value in ("open", "decided", "in_mediation", "proposed", "final", "follows", "hidden", "revoked"):
        assert value in values


def test_the_scan_finds_string_comparisons_of_states():
    values = set(state_values())
    sample = ('if r.state == "open": pass\n'
              'ok = s in ("decided", "overdue")\n'
              'ok = "hidden" != view.state\n'
              'ok = name == "beheerder"\n'
              'match s:\n    case "closed": pass\n'
              'q = FollowRequest.state.in_(["open", "decided"])\n'
              'q = FollowRequest.state.in_(LIVE_REQUEST_STATES)\n'
              'LIVE = ("open", "overdue")\n'
              'CHOICES = ("open", "ja")\n')
    assert sorted(string_comparisons(sample, values)) == [
        (1, "open"), (2, "decided"), (2, "overdue"), (3, "hidden"), (6, "closed"), (7, "decided"), (7, "open"), (9, "open"), (9, "overdue")]
    template = ("{% if r.state == 'open' %}x{% endif %}\n{{ 'a' if s in ('final', 'x') }}\n"
                "{% if s == States.OPEN %}{% endif %}<p>open</p>")
    assert template_comparisons(template, values) == [(1, "open"), (2, "final")]


def test_no_state_is_compared_with_a_string():
    values = set(state_values())
    problems = []
    for path in _sources():
        problems += [f"{path.relative_to(ROOT)}:{line}: {s!r}"
                     for line, s in string_comparisons(path.read_text("utf-8"), values)]
    for path in sorted(TEMPLATES.rglob("*.html")):
        problems += [f"{path.relative_to(ROOT)}:{line}: {s!r}"
                     for line, s in template_comparisons(path.read_text("utf-8"), values)]
    assert len(_sources()) > 50  # the scan read the package
    assert problems == []
