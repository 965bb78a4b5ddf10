"""One guard in front of every request: text a person cannot have meant never reaches a service.

Control characters (NUL and the rest, except tab, newline and carriage return) and lone
surrogates are refused wherever text comes in: query strings, form fields, JSON bodies and the
CSV import. PostgreSQL cannot store a NUL at all, and the others only hide what a text says.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError
from wtforms.validators import Length
from wtforms.validators import ValidationError as FieldError

from innovatieregister import limits

if TYPE_CHECKING:
    from innovatieregister.paging import Cursor

_FORBIDDEN = limits.FORBIDDEN_CHARACTERS
REFUSED = _l("De invoer is niet verwerkt: er staat iets in dat niet is toegestaan. Er is niets gewijzigd.")
_IDEMPOTENCY_KEY = re.compile(rf"^[\x21-\x7e]{{1,{limits.IDEMPOTENCY_KEY}}}$")


class BadInput(Exception):
    """Input refused before any use case ran; `errors` per field, in the reader's language."""

    def __init__(self, message: str, errors: dict[str, list[str]]):
        super().__init__(message)
        self.message = message
        self.errors = errors


has_forbidden_characters = limits.has_forbidden_characters


def _check_pairs(pairs, errors: dict[str, list[str]]) -> None:
    for key, values in pairs:
        # A multipart part the parser could not read as text comes through as None: refused like the rest.
        key = key if isinstance(key, str) else "\x00"
        if has_forbidden_characters(key) or any(not isinstance(v, str) or has_forbidden_characters(v) for v in values):
            errors.setdefault(_printable(key), []).append(
                _("Het veld bevat een teken dat niet is toegestaan (een stuurteken zoals NUL)."))


def _printable(key: str) -> str:
    return _FORBIDDEN.sub("?", key)[: limits.CODE]


def check_request() -> None:
    """Query string, form fields and the idempotency key of any request; raises BadInput."""
    errors: dict[str, list[str]] = {}
    _check_pairs(request.args.lists(), errors)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        _check_pairs(request.form.lists(), errors)
    for name, value in (("Idempotency-Key", request.headers.get("Idempotency-Key")),
                        ("idempotency_key", request.form.get("idempotency_key") if request.form else None)):
        if value and not _IDEMPOTENCY_KEY.match(value):
            errors.setdefault(name, []).append(
                _("De sleutel is 1 tot %(n)s zichtbare ASCII-tekens lang.", n=limits.IDEMPOTENCY_KEY))
    if errors:
        raise BadInput(str(REFUSED), errors)


def json_body() -> Any:
    """The request's JSON, read safely: never deeper than limits.JSON_DEPTH, no forbidden
    characters in any key or string. None when the body is not JSON at all. Fields are named
    as the API's schema layer names them (`arguments-1-explanation`)."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # the parser's own recursion limit: nested far too deep
        raise _too_deep() from None
    errors: dict[str, list[str]] = {}
    # Walk without recursion: the body itself decides how deep this goes.
    stack: list[tuple[str, Any, int]] = [("", body, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > limits.JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, str) and has_forbidden_characters(value):
            errors.setdefault(path or "body", []).append(
                _("Het veld bevat een teken dat niet is toegestaan (een stuurteken zoals NUL)."))
        stack.extend(_children(path, value, depth, errors))
    if errors:
        raise BadInput(str(REFUSED), errors)
    return body


def _children(path: str, value: Any, depth: int, errors: dict[str, list[str]]) -> list[tuple[str, Any, int]]:
    """The members of a JSON object or array, each with its field name; a forbidden character in a
    member's name is an error of its own."""
    if isinstance(value, list):
        return [(f"{path}-{i + 1}" if path else str(i + 1), item, depth + 1) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return []
    members = []
    for key, item in value.items():
        child = _printable(f"{path}-{key}" if path else str(key))
        if has_forbidden_characters(str(key)):
            errors.setdefault(child, []).append(
                _("De naam van het veld bevat een teken dat niet is toegestaan (een stuurteken zoals NUL)."))
        members.append((child, item, depth + 1))
    return members


def _too_deep() -> BadInput:
    return BadInput(_("De body is te diep genest."),
                    {"body": [_("JSON mag hoogstens %(n)s niveaus diep zijn.", n=limits.JSON_DEPTH)]})


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: 1 to 2**31 - 1, the range of the id columns. Anything else
    does not match the route (a 404), instead of reaching the database as an overflow."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", limits.ID_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str):
        if len(value) > len(str(limits.ID_MAX)):  # also spares int() a 5,000-digit number
            raise ValidationError()
        return super().to_python(value)


def page_number(name: str = "pagina") -> int:
    """A page number from the query string for a web list: anything unusable means the first
    page, and past PAGE_MAX the last page there can be (lists are clamped, never an error)."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()):
        return 1
    if len(value) > len(str(limits.PAGE_MAX)):
        return limits.PAGE_MAX
    return min(max(1, int(value)), limits.PAGE_MAX)


def page_cursor() -> Cursor | None:
    """The keyset cursor of a web list's Vorige/Volgende link (`na`, `voor`); anything unusable
    means none: the page by its number."""
    from innovatieregister.paging import decode

    if request.args.get("na"):
        return decode(request.args["na"])
    return decode(request.args.get("voor"), backwards=True)


def form_id(name: str) -> int | None:
    """An id chosen in a form (a select's value): None unless it is one an id column can hold."""
    value = (request.form.get(name) or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(limits.ID_MAX)):
        return None
    number = int(value)
    return number if 1 <= number <= limits.ID_MAX else None


class TypedDate:
    """A WTForms validator: the field holds a date as limits.parse_date reads it (dd-mm-jjjj or ISO)."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, form, field) -> None:
        if limits.parse_date(field.data) is None:
            raise FieldError(limits.invalid_date(self.label))


def max_length(limit: int) -> Length:
    """A form field's limit (from limits.py) as a validator: the browser gets maxlength, the
    message is in the reader's language. The services check the same limit for the web and the API alike."""
    return Length(max=limit, message=_l("Maximaal %(n)s tekens.", n=limit))


def init_app(app: Flask) -> None:
    """Call before the blueprints register their routes: the converter applies as rules are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_request)
    app.jinja_env.globals["limits"] = limits  # maxlength of fields written in plain HTML
    from innovatieregister.paging import page_url

    app.jinja_env.globals["page_url"] = page_url  # the pagination macro's links
