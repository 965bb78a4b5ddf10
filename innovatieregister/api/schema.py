"""The API's one input and output layer: pydantic models that validate, serialise and document.

Every route of /api/v1 declares its query, body and responses with `operation(...)`. SpecTree
(pydantic v2 underneath) then validates the request before the view runs, serialises the response
through its model, and writes both into the OpenAPI 3.1 document (`api/openapi.py`), so the
document cannot drift from what the code accepts and returns. A refused request is a 422
problem+json whose `errors` name each field (`cost_lines-2-amount`, 1-based like the forms) with a
message in the caller's language.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import cache, wraps
from typing import Annotated, Any

from flask import request, url_for
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints, ValidationError, create_model
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData

from innovatieregister import inputs, limits
from innovatieregister.domain.text import N_
from innovatieregister.exports import requested_format
from innovatieregister.paging import COUNT_CAP, CURSOR_MAX, PER_PAGE, Page, decode
from innovatieregister.services import Invalid

# Amounts and measured values are exact decimals written as text with a decimal point: JSON
# numbers are binary floats, and money must not pass through one.
MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
QUANTITY_PATTERN = r"^-?\d{1,13}(\.\d{1,4})?$"
DUTCH_DATE_PATTERN = r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}$"
YEAR_PATTERN = r"^\d{4}$"  # a year written as text ("2027"), as a settlement's period
PERCENTAGE_PATTERN = r"^\d{1,3}(\.\d{1,4})?$"


class In(BaseModel):
    """A request body: unknown fields are refused, and no type is guessed (`"1"` is not 1)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """Query parameters: text by nature, so numbers are read from it; unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response: exactly these fields (the document says additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


def Text(limit: int, **field: Any) -> Any:  # a type, named as pydantic's own constrained types
    """Input text of at most `limit` characters (limits.py: the same as the column and the form)."""
    return Annotated[str, StringConstraints(max_length=limit), Field(**field)]


MoneyIn = Annotated[str, StringConstraints(pattern=MONEY_PATTERN),
                    Field(examples=["12.50"], description="an amount: digits, a point, at most two decimals")]
Money = Annotated[str, StringConstraints(pattern=r"^-?\d+\.\d{2}$"), Field(examples=["1055550.80"])]
QuantityIn = Annotated[str, StringConstraints(pattern=QUANTITY_PATTERN),
                       Field(examples=["2.9"], description=f"at most {limits.MEASUREMENT_ABS_MAX} in absolute value")]
Quantity = Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d{1,4})?$"), Field(examples=["2.9"])]
# A date the API reads (limits.parse_date): ISO as it writes them, or dd-mm-jjjj as people type them.
DateIn = Annotated[str, StringConstraints(max_length=limits.CODE),
                   Field(description="jjjj-mm-dd, of dd-mm-jjjj", json_schema_extra={
                       "anyOf": [{"format": "date"}, {"pattern": DUTCH_DATE_PATTERN}]})]
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"})]
IsoDateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
YearIn = Annotated[str, StringConstraints(pattern=YEAR_PATTERN), Field(examples=["2027"])]
PercentageIn = Annotated[str, StringConstraints(pattern=PERCENTAGE_PATTERN), Field(examples=["37.5"])]
# An id the caller names (a goal, a measurement, a theme): the range of the id columns.
IdIn = Annotated[int, Field(ge=1, le=limits.ID_MAX)]


def Choice(enum: type[Enum], **field: Any) -> Any:  # noqa: N802  (a type, as Text)
    """Input that is one of the domain's enum values (`"care"`): a strict model would want the
    member itself, so this one field reads the value; anything else is refused."""
    return Annotated[enum, Field(strict=False, **field)]


class Problem(BaseModel):
    """application/problem+json (RFC 9457), with the refused fields and why."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


# The error statuses every route may answer (errors.problem writes them).
ERRORS = (400, 401, 403, 404, 409, 422)

_COMPONENTS: dict[str, type] = {}


def _component_name(model: type) -> str:
    """A model's name in the document: its class name, which must be the API's only model of that
    name (SpecTree would silently keep one of two)."""
    if _COMPONENTS.setdefault(model.__name__, model) is not model:
        raise RuntimeError(f"Two API models are called {model.__name__}: rename one")
    return model.__name__


spec = SpecTree(
    "flask",
    title="Innovatieregister API",
    version="1",
    description="Het volgbeleid JZOJP: registreren, besluiten, overnemen, bemiddelen, monitoren en nacalculeren.",
    mode="strict",  # only the routes declared with operation(): the web pages are no API
    annotations=False,  # views read request.context; their own parameters stay the URL's
    naming_strategy=lambda model: _component_name(model),
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(
        type=SecureType.HTTP, scheme="bearer", description="Token van de profielpagina of `flask users token`."))],
    security={"bearer": []},
    validation_error_status=422,
    page_templates={},  # no documentation pages that would load scripts from elsewhere
)

# Pydantic's error types, said in Dutch (the catalogue has the English).
_MESSAGES = {
    "missing": N_("Dit veld is verplicht."),
    "extra_forbidden": N_("Dit veld bestaat hier niet."),
    "string_type": N_("Verwacht: tekst."),
    "int_type": N_("Verwacht: geheel getal."),
    "int_parsing": N_("Verwacht: geheel getal."),
    "int_from_float": N_("Verwacht: geheel getal."),
    "bool_type": N_("Verwacht: true of false."),
    "bool_parsing": N_("Verwacht: true of false."),
    "list_type": N_("Verwacht: lijst."),
    "dict_type": N_("Verwacht: object."),
    "model_type": N_("Verwacht: object."),
    "model_attributes_type": N_("Verwacht: object."),
    "string_too_long": N_("De tekst is te lang (maximaal %(max_length)s tekens)."),
    "string_too_short": N_("Dit veld is verplicht."),
    "too_long": N_("Hoogstens %(max_length)s."),
    "too_short": N_("Ten minste %(min_length)s."),
    "greater_than_equal": N_("De waarde is ten minste %(ge)s."),
    "less_than_equal": N_("De waarde is ten hoogste %(le)s."),
    "greater_than": N_("De waarde is groter dan %(gt)s."),
    "less_than": N_("De waarde is kleiner dan %(lt)s."),
    "literal_error": N_("Kies een van: %(expected)s."),
    "enum": N_("Kies een van: %(expected)s."),
}
_PATTERNS = {
    MONEY_PATTERN: N_('Een bedrag als tekst met hoogstens twee decimalen, bijv. "12.50".'),
    QUANTITY_PATTERN: N_('Een getal als tekst met een punt en hoogstens vier decimalen, bijv. "2.9".'),
    YEAR_PATTERN: N_('Een jaar van vier cijfers, bijvoorbeeld "2027".'),
    PERCENTAGE_PATTERN: N_('Een percentage als tekst, bijv. "37.5".'),
}
_INVALID = N_("De waarde is ongeldig.")


def field_key(location: tuple[int | str, ...]) -> str:
    """`('cost_lines', 0, 'amount')` → `cost_lines-1-amount`: rows count from 1, as people do."""
    return "-".join(str(p + 1) if isinstance(p, int) else str(p) for p in location) or "body"


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for e in error.errors(include_url=False):
        context = e.get("ctx") or {}
        kind = e["type"]
        if kind == "value_error":  # a model's own check: its message is already said
            message = str(context.get("error", e["msg"]))
        else:
            said = _PATTERNS.get(context.get("pattern", ""), _INVALID) if kind == "string_pattern_mismatch" \
                else _MESSAGES.get(kind, _INVALID)
            message = _(said, **{k: str(v) for k, v in context.items()})
        errors.setdefault(field_key(tuple(e["loc"])), []).append(message)
    return errors


def _refuse(req, resp, error, instance, *rest) -> None:
    """SpecTree's hook before the view: a refused request becomes the API's 422 problem."""
    if error is not None:
        raise Invalid(_("De invoer is ongeldig."), field_errors(error))


def _json_object(or_list: bool = False) -> None:
    """The body a route with a JSON model reads: an object (`or_list`: or a list, for a RootModel
    that says which), within the guards of inputs.json_body."""
    body = inputs.json_body()  # refuses nesting too deep and forbidden characters (BadInput, 422)
    if not isinstance(body, dict | list if or_list else dict):
        raise Invalid(_("De body is geen JSON-object (Content-Type: application/json)."),
                      {"body": [_("Verwacht: object.")]})


def responses(ok: type[BaseModel] | None, status: int = 200, *, also: dict[int, type[BaseModel] | None] | None = None,
              errors: tuple[int, ...] = ERRORS) -> Response:
    """The documented answers of a route: `ok` on `status`, `also` others, and the problems."""
    codes: dict[str, Any] = {f"HTTP_{status}": ok}
    codes.update({f"HTTP_{code}": model for code, model in (also or {}).items()})
    codes.update({f"HTTP_{code}": Problem for code in errors})
    return Response(**codes)


# Operation id → what the document says beyond the models: its 200 may be an export (CSV/XLSX),
# it reads an Idempotency-Key, its body may also be a CSV file, its 200 is a file of one of
# these media types. api/openapi.py adds them.
EXPORTS: set[str] = set()
IDEMPOTENT: set[str] = set()
CSV_BODY: set[str] = set()
FILES: dict[str, tuple[str, ...]] = {}


class Form(BaseModel):
    """A multipart/form-data body (an upload): its fields are text by nature; unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


def operation(*, resp: Response, json: type[In] | type[RootModel] | None = None, query: type[Query] | None = None,
              form: type[Form] | None = None, tags: tuple[str, ...] = (), exports: bool = False,
              idempotent: bool = False, csv: bool = False, files: tuple[str, ...] = (),
              name: str | None = None) -> Callable:
    """Declare a route of the API: what it reads (`json`, `query`, `form`) and answers (`resp`).

    The view finds what was read with `body()` / `query()` / `form()`. `exports`: with `Accept: text/csv`
    or the XLSX type (or `?formaat=`), the view answers a file instead (exports.py), which no
    JSON model describes. `idempotent`: the route honours an Idempotency-Key header. `csv`: a
    text/csv body goes to the view unread (it reads and checks the file itself). `files`: the
    200 is a file of one of these media types, sent as the view made it (streamed: nothing is
    read; such a route reads no query or body). A RootModel as `json` may take a list (it says
    which). The operation id is the view's name (`Class_method` for a MethodView's method: GET and
    POST on one path share one rule, so an id out of range is a 404), or `name`."""

    def decorate(view: Callable) -> Callable:
        operation_id = name or view.__qualname__.replace(".", "_")
        validated = spec.validate(json=json, query=query, form=form, resp=resp, tags=list(tags), before=_refuse,
                                  force_resp_serialize=True, operation_id=operation_id)(view)

        @wraps(validated)
        def guarded(*args: Any, **kwargs: Any):
            if files or exports and requested_format() or csv and request.mimetype == "text/csv":
                return view(*args, **kwargs)  # a file: nothing to validate or serialise as JSON
            if json is not None:
                _json_object(or_list=issubclass(json, RootModel))
            return validated(*args, **kwargs)

        for flag, registry in ((exports, EXPORTS), (idempotent, IDEMPOTENT), (csv, CSV_BODY)):
            if flag:
                registry.add(operation_id)
        if files:
            FILES[operation_id] = files
        return guarded

    return decorate


def body() -> Any:
    """The validated body of this request (declared with operation(json=...))."""
    return request.context.json  # type: ignore[attr-defined]


def query() -> Any:
    return request.context.query  # type: ignore[attr-defined]


def form() -> Any:
    """The validated multipart form of this request, or None when it came as another media type."""
    return request.context.form  # type: ignore[attr-defined]


# Lists ------------------------------------------------------------------------------------------
# Every list that can grow with the registry is read a page at a time (paging.py), by one
# convention: ?page=&per_page= (limits stated in the document), keyset links `next`/`previous`
# that carry ?after=/?before=, and a total that is capped where counting all would be slow.

class PageQuery(Query):
    page: int = Field(1, ge=1, le=limits.PAGE_MAX,
                      description="De pagina, vanaf 1. Voorbij de laatste: een lege lijst.")
    per_page: int = Field(PER_PAGE, ge=1, le=limits.PER_PAGE_MAX,
                          description=f"Hoeveel per pagina; meer dan {limits.PER_PAGE_MAX} wordt geweigerd met 422.")
    after: str | None = Field(None, max_length=CURSOR_MAX, description=(
        "Verder na de rij die de link `next` noemt (keyset: een diepe pagina leest alleen haar eigen rijen). "
        "Geef hem niet zelf op; een onbruikbare waarde wordt geweigerd met 422."))
    before: str | None = Field(None, max_length=CURSOR_MAX, description=(
        "Verder vóór de rij die de link `previous` noemt. Geef hem niet zelf op."))

    def paging(self) -> dict[str, Any]:
        """The arguments of a service's paged query (page, per_page, cursor)."""
        cursor = None
        for name, backwards in (("after", False), ("before", True)):
            value = getattr(self, name)
            if value is not None:
                cursor = decode(value, backwards)
                if cursor is None:
                    raise Invalid(_("Ongeldige parameter."), {
                        name: [_("Gebruik de link `next` of `previous` van een eerdere pagina.")]})
        return {"page": self.page, "per_page": self.per_page, "cursor": cursor}


_PAGE_LINK = Field(description="De URL van de pagina ernaast (dezelfde parameters); null als die er niet is.")


@cache  # one model per item: the document names it once
def page_of(item: type[BaseModel]) -> type[Out]:
    """The response model of one page of `item`s (named `<Item>Page` in the document)."""
    return create_model(
        f"{item.__name__}Page", __base__=Out,
        items=(list[item], ...),
        page=(int, Field(ge=1)), per_page=(int, Field(ge=1)),
        total=(int, Field(ge=0, le=COUNT_CAP)),
        total_capped=(bool, Field(description=f"Er zijn er meer dan `total` ({COUNT_CAP}): verfijn met de filters.")),
        next=(str | None, _PAGE_LINK), previous=(str | None, _PAGE_LINK))


@cache
def list_of(item: type[BaseModel], **extra: Any) -> type[Out]:
    """A short list that does not grow with the registry (regions, criteria): `{"items": [...]}`."""
    return create_model(f"{item.__name__}List", __base__=Out, items=(list[item], ...), **extra)


def listing(page: Page, items: list[Any]) -> dict[str, Any]:
    """One page of an API list: its items, where it is, the (capped) total and the links to
    the pages beside it, every other query parameter kept."""
    def link(number: int, cursor: dict) -> str:
        kept = {k: v for k, v in request.args.to_dict().items() if k not in ("after", "before")}
        return url_for(request.endpoint or "", **(request.view_args or {}),
                       **{**kept, "page": number, "per_page": page.per_page, **cursor})

    def near(cursor: str | None, name: str) -> dict:
        return {name: cursor} if cursor else {}

    return {"items": items, "page": page.page, "per_page": page.per_page, "total": page.total,
            "total_capped": page.capped,
            "next": link(page.page + 1, near(page.next_cursor, "after")) if page.has_next else None,
            "previous": link(page.page - 1, near(page.previous_cursor, "before")) if page.has_previous else None}
