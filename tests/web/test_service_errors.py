"""Every service error is mapped to HTTP once (errors.service_error), for the web and the API alike:
not found 404, not allowed 403, conflict 409, invalid 422, with the service's message in the
reader's language. Views keep a try/except only to do more than that (a form with its messages)."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from flask import Blueprint
from flask_babel import gettext as _

from innovatieregister.policies import public
from innovatieregister.services import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from innovatieregister.services.accounts import LOGIN_REFUSED, LoginRefused
from tests import flows
from tests.api.conftest import check_contract

PACKAGE = Path(__file__).resolve().parents[2] / "innovatieregister"
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
# Each refusal with a message the catalogue has (so the English page can be checked) and its status.
REFUSALS = [
    (NotFound, "Dit initiatief bestaat niet.", 404, "Niet gevonden"),
    (NotAllowed, "Alleen de bemiddelaar doet dit.", 403, "Geen toegang"),
    (Conflict, "Deze zienswijze is al gegeven.", 409, "Conflict"),
    (Invalid, "Onbekende sortering.", 422, "Ongeldige invoer"),
    (LoginRefused, LOGIN_REFUSED, 401, "Niet ingelogd"),
    (ServiceError, "Deze gebruiker bestaat niet.", 400, "Ongeldig verzoek"),
]


def _service_errors() -> set[type[ServiceError]]:
    found, todo = set(), [ServiceError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


SERVICE_ERRORS = {cls.__name__: cls.status for cls in _service_errors()}


def test_the_table_names_every_service_error():
    assert {cls for cls, *_rest in REFUSALS} == _service_errors()


@pytest.fixture(scope="module")
def raising_app(app):
    """The app with a tiny blueprint whose routes raise each service error, on a page and in the API
    (a path under /api/); its own app, since the session's has served requests already."""
    from config import TestConfig
    from innovatieregister import create_app

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    raising = create_app(Config)
    by_name = {cls.__name__: (cls, message) for cls, message, *_rest in REFUSALS}

    @public
    def refuse(name: str):
        cls, message = by_name[name]
        raise cls(_(message), {"sorteer": [_(message)]} if cls is Invalid else None)

    for bp in (Blueprint("proef", __name__, url_prefix="/proef"), Blueprint("proef_api", __name__,
                                                                            url_prefix="/api/proef")):
        bp.add_url_rule("/<name>", view_func=refuse)
        raising.register_blueprint(bp)
    return raising


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(("cls", "message", "status", "title"), REFUSALS)
def test_a_page_that_raises_a_service_error_shows_its_status_and_message(raising_app, english, cls, message, status,
                                                                          title):
    client = raising_app.test_client()
    page = client.get(f"/proef/{cls.__name__}")
    assert page.status_code == status and page.mimetype == "text/html"
    assert f"<h1>{title}</h1>" in _text(page) and f"<p>{message}</p>" in _text(page)
    english_page = client.get(f"/proef/{cls.__name__}", headers=ENGLISH)
    assert english_page.status_code == status
    assert f"<h1>{english(title)}</h1>" in _text(english_page)
    assert f"<p>{english(message)}</p>" in _text(english_page) and english(message) != message


def test_a_page_names_the_invalid_field_as_the_person_saw_it(raising_app):
    page = raising_app.test_client().get("/proef/Invalid?sorteer=kleur")
    assert page.status_code == 422 and "<li>Het webadres: Onbekende sortering.</li>" in _text(page)


@pytest.mark.parametrize(("cls", "message", "status", "title"), REFUSALS)
def test_the_api_answers_a_service_error_with_a_problem_document(raising_app, cls, message, status, title):
    answer = raising_app.test_client().get(f"/api/proef/{cls.__name__}")
    assert answer.status_code == status and answer.mimetype == "application/problem+json"
    expected = {"type": "about:blank", "title": title, "status": status, "detail": message}
    if cls is Invalid:
        expected["errors"] = {"sorteer": [message]}  # the API keeps the field keys
    assert answer.get_json() == expected


# The same, through the app's own routes -----------------------------------------------------------

def test_an_initiative_no_one_registered_is_a_404_page_that_says_so(client, auth, demo, english):
    auth.login("menzis@demo.nl")
    missing = client.get("/initiatieven/999999")
    assert missing.status_code == 404 and "<p>Dit initiatief bestaat niet.</p>" in _text(missing)
    flows.speaks(client.application, demo, "menzis@demo.nl", "en")
    missing = client.get("/initiatieven/999999/tijdlijn")
    assert missing.status_code == 404 and f"<p>{english('Dit initiatief bestaat niet.')}</p>" in _text(missing)


def test_the_api_says_the_same_as_a_problem_document(app, client, demo):
    from innovatieregister import clock
    from innovatieregister.services.tokens import create_token

    with app.app_context():
        _, raw = create_token(flows.user(demo, "menzis@demo.nl"), "test", clock.now())
    answer = client.get("/api/v1/initiatives/999999", headers={"Authorization": f"Bearer {raw}"})
    check_contract("GET", "/api/v1/initiatives/999999", answer)
    assert answer.status_code == 404 and answer.get_json()["detail"] == "Dit initiatief bestaat niet."


# Mapped once: no view translates a service error into a status itself -----------------------------

def _web_modules() -> list[Path]:
    """Every module of a web blueprint: a package with views (the API maps nothing of its own)."""
    return sorted(path for views in PACKAGE.glob("*/views.py") if views.parent.name != "api"
                  for path in views.parent.glob("*.py"))


def _caught(handler: ast.ExceptHandler) -> list[str]:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in names if n is not None]


def _status_of(statement: ast.stmt) -> int | None:
    """The status a lone `abort(N)` or `return render_error(N, ...)` answers; None for anything else."""
    call = statement.value if isinstance(statement, ast.Expr | ast.Return) else None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
        return None
    if call.func.id not in {"abort", "render_error"} or not call.args:
        return None
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, int) else None


def only_maps_to_its_status(handler: ast.ExceptHandler) -> bool:
    """A handler of service errors whose whole body answers the status the one handler would give.
    (One that answers another status, say 404 for a refusal that must not show the thing exists,
    does something else.)"""
    caught = _caught(handler)
    if not caught or not all(name in SERVICE_ERRORS for name in caught) or len(handler.body) != 1:
        return False
    return {SERVICE_ERRORS[name] for name in caught} == {_status_of(handler.body[0])}


def only_tests_for_its_status(branch: ast.If) -> bool:
    """The same ladder spelled `if isinstance(error, NotFound): abort(404)`."""
    test = branch.test
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and len(test.args) == 2 and len(branch.body) == 1 and not branch.orelse):
        return False
    kinds = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    names = [k.id for k in kinds if isinstance(k, ast.Name)]
    return bool(names) and all(n in SERVICE_ERRORS for n in names) \
        and {SERVICE_ERRORS[n] for n in names} == {_status_of(branch.body[0])}


def ladders(source: str) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ExceptHandler) and only_maps_to_its_status(node)
            or isinstance(node, ast.If) and only_tests_for_its_status(node)]


def test_the_check_finds_a_ladder_and_leaves_form_handling_alone():
    ladder = ("try:\n    x()\nexcept NotFound:\n    abort(404)\nexcept (NotAllowed,):\n    abort(403)\n"
              "except Conflict as c:\n    return render_error(409, c.message)\n")
    assert ladders(ladder) == [3, 5, 7]
    assert ladders("if isinstance(e, NotFound):\n    abort(404)\nif isinstance(e, NotAllowed):\n"
                   "    return render_error(403, e.message)\n") == [1, 3]
    kept = ("try:\n    x()\nexcept Invalid as i:\n    return page(i.field_errors, 422)\n"
            "except (NotFound, NotAllowed):\n    abort(404)\nexcept Conflict as c:\n    flash(c.message)\n"
            "except KeyError:\n    abort(404)\nif isinstance(e, Conflict):\n    flash(e.message)\n")
    assert ladders(kept) == []


def test_no_web_view_maps_a_service_error_to_a_status_itself():
    modules = _web_modules()
    assert len(modules) > 20 and any(m.parent.name == "initiatives" for m in modules)
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}" for path in modules for line in ladders(path.read_text())]
    assert found == [], "mapped by errors.service_error already: " + ", ".join(found)


def test_a_page_with_a_form_still_shows_the_refusal_next_to_its_field(client, auth, demo):
    """The kept handlers: the threshold form re-rendered with its message (422), not the error page."""
    auth.login("beheerder@demo.nl")
    refused = client.post("/beheer/drempel", data={"t-threshold": "0"})
    assert refused.status_code == 422
    assert re.search(r'<p class="error" id="t-threshold-error">', refused.get_data(as_text=True))
