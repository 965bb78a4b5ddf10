"""The OpenAPI 3.1 description of /api/v1. tests/api checks every response against it."""

from __future__ import annotations

import re
from functools import cache

from innovatieregister import limits
from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.paging import COUNT_CAP, CURSOR_MAX, PER_PAGE
from innovatieregister.policies import PUBLIC
from innovatieregister.services.criteria import MAX_WEIGHT, THRESHOLD_RANGE

MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["1055550.80"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
# A date the API reads (limits.parse_date): ISO as it writes them, or dd-mm-jjjj as people type them.
DATE_INPUT = {"type": "string", "maxLength": limits.CODE, "description": "jjjj-mm-dd, of dd-mm-jjjj",
              "anyOf": [{"format": "date"}, {"pattern": "^[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}$"}]}
# A measured value: exact, as a string with a decimal point (at most four decimals).
QUANTITY = {"type": "string", "pattern": r"^-?\d+(\.\d{1,4})?$", "examples": ["2.9"]}
QUANTITY_INPUT = {"type": ["string", "null"], "pattern": r"^-?\d{1,13}(\.\d{1,4})?$", "examples": ["2.9"],
                  "description": f"at most {limits.MEASUREMENT_ABS_MAX} in absolute value"}
STATE = {"type": "string", "enum": ["follows", "declines", "undecided", "hidden"],
         "description": "hidden: the caller may not see this decision yet (decisions stay independent)."}


def _text(limit: int, **extra) -> dict:
    """Input text: at most `limit` characters (limits.py, the same as the column and the form)."""
    return {"type": "string", "maxLength": limit, **extra}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": required if required is not None else list(properties)}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# The funding terms of an initiative (issue 11).
FUNDING_MODELS = ["budget", "availability", "price_volume", "bundled", "population"]
SETTLEMENT_BASES = ["market_share", "actual_use"]
FUNDING_TERMS_OUT = {
    "funding_model": {"type": "string", "enum": FUNDING_MODELS},
    "risk_level": {"type": "integer", "minimum": 1, "maximum": 3, "description": "KPMG's levels 1–3"},
    "settlement_basis": {"type": "string", "enum": SETTLEMENT_BASES},
    "unit_price": {"oneOf": [{"type": "null"}, MONEY], "description": "price × volume only"},
    "expected_volume": {"type": ["integer", "null"], "description": "price × volume only"},
}
FUNDING_TERMS_IN = {
    "funding_model": {"type": "string", "enum": FUNDING_MODELS, "default": "budget"},
    "risk_level": {"type": "integer", "enum": [1, 2, 3], "default": 1,
                   "description": "1: no risk for the providers; 2: shared savings; 3: shared savings and losses"},
    "settlement_basis": {"type": "string", "enum": SETTLEMENT_BASES, "default": "market_share"},
    "unit_price": {"type": ["string", "null"], "pattern": r"^\d{1,12}(\.\d{1,2})?$",
                   "description": "price × volume: required, more than 0"},
    "expected_volume": {"type": ["integer", "null"], "minimum": 1, "maximum": limits.VOLUME_MAX,
                        "description": "price × volume: required"},
}

ERRORS = {
    "400": {"$ref": "#/components/responses/Problem"},
    "401": {"$ref": "#/components/responses/Problem"},
    "403": {"$ref": "#/components/responses/Problem"},
    "404": {"$ref": "#/components/responses/Problem"},
    "409": {"$ref": "#/components/responses/Problem"},
    "422": {"$ref": "#/components/responses/Problem"},
}

SCHEMAS = {
    "Problem": {
        "type": "object",
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["type", "title", "status", "detail"],
    },
    "MarketShareSource": {
        "oneOf": [
            {"type": "null"},
            _object({"peildatum": DATE, "source": {"type": "string"}, "illustrative": {"type": "boolean"}}),
        ]
    },
    "_summary": _object(SUMMARY := {
        "id": {"type": "integer"}, "title": {"type": "string"},
        "adopted_from": {"type": ["integer", "null"], "description": "the initiative this one was adopted from"},
        "status": {"type": "string", "enum": ["concept", "open", "fully_funded", "partially_funded",
                                              "in_mediation", "active", "evaluated", "extended", "ended",
                                              "withdrawn"],
                   "description": "as the caller may see it: an insurer that may not yet see the others' "
                                  "decisions, and is no party to the case, sees in_mediation as open"},
        "kind": {"type": "string", "enum": ["jzojp_intervention", "innovation"]},
        "phase": {"type": "string", "enum": ["start_up", "scale_up"]},
        "region": {"type": "string"}, "lead_insurer": {"type": "string"}, "annual_budget": MONEY,
    }),
    "Argument": _object({
        "criterion": {"type": "string"}, "criterion_name": {"type": "string"}, "weight": {"type": "integer"},
        "strength": {"type": "integer", "minimum": 1, "maximum": 3}, "explanation": {"type": "string"},
        "evidence": {"type": "string"},
        "regional_plan": {"oneOf": [{"type": "null"}, _object({
            "region": {"type": "string"},
            "version": {"type": ["integer", "null"],
                        "description": "the version of the region's plan that stood when decided; null: none yet"},
            "theme": {"type": ["string", "null"], "description": "the theme the initiative serves, if any"}})],
            "description": "on the criterion no_regional_fit: the regional plan the argument refers to"},
    }),
    "Decision": _object({
        "version": {"type": "integer"},
        "standing": {"type": "boolean", "description": "false: a later version stands now, or none does since the "
                                                      "lead rejected this follow's conditions (conditions_verdict)"},
        "decision": {"type": "string", "enum": ["follow", "decline"]},
        "conditions": {"type": "string"},
        "conditions_verdict": {"type": ["string", "null"], "enum": ["accepted", "rejected", None],
                               "description": "the lead's verdict on the conditions; null: none yet (or none)"},
        "conditions_reasons": {"type": "string"},
        "score": {"type": ["integer", "null"]},
        "threshold": {"type": ["integer", "null"]}, "weighty": {"type": ["boolean", "null"]},
        "insufficiently_substantiated": {"type": "boolean"},
        "arguments": {"type": "array", "items": _ref("Argument")},
    }),
    "FollowRequestDecision": _object({
        "request_id": {"type": "integer"}, "kind": {"type": "string", "enum": ["follow", "adoption"]},
        # null (deadline) and 'hidden' (request_state): another insurer's request while the caller
        # may not yet see its decision.
        "insurer": {"type": "string"}, "deadline": NULLABLE_DATE,
        "request_state": {"type": "string", "enum": ["open", "decided", "overdue", "closed", "cancelled",
                                                     "hidden"]},
        "state": STATE, "decision": {"oneOf": [{"type": "null"}, _ref("Decision")]},
    }),
    "Initiative": _object({
            **SUMMARY,
            "description": {"type": "string"}, "innovation_type": {"type": ["string", "null"]},
            "evidence_level": {"type": "string"},
            "providers": {"type": "array", "items": _object({"code": {"type": "string"}, "name": {"type": "string"}})},
            "cross_institution_justification": {"type": "string"},
            "substitution_from": {"type": "string"}, "substitution_to": {"type": "string"},
            "scale_down_plan": {"type": "string"}, "replaces_existing_care": {"type": "boolean"},
            "start_criteria": {"type": "string"}, "stop_criteria": {"type": "string"},
            "term_start": NULLABLE_DATE, "term_end": NULLABLE_DATE,
            "necessity_justification": {"type": "string"},
            "evaluation_links": {"type": "array", "items": {"type": "string"}},
            "goals": {"type": "array", "items": _ref("Goal")},
            "cost_lines": {"type": "array", "items": _object({
                "category": {"type": "string"}, "description": {"type": "string"}, "amount": MONEY,
                "basis": {"type": "string"}, "source": {"type": "string"}})},
            "decisions": {"type": "array", "items": _ref("FollowRequestDecision")},
            "adopted_without_positive_evaluation": {
                "type": "boolean", "description": "adopted (insurer axis) although the origin was not evaluated "
                                                  "successfully, as the adopting insurer confirmed"},
            **FUNDING_TERMS_OUT,
            "co_funding": {"type": "array", "items": _ref("CoFundingPledge"),
                           "description": "every pledge; before opening, one not confirmed says it will not count"},
            "theme": {"oneOf": [{"type": "null"}, _object({"id": {"type": "integer"}, "title": {"type": "string"}})],
                      "description": "the theme of the region's plan it serves (/regions/{code}/plan)"},
    }),
    "Goal": _object({
        "id": {"type": "integer", "description": "the goal's id, for measurements"},
        "metric": {"type": "string"}, "baseline": {"type": "string"}, "target": {"type": "string"},
        "target_date": DATE,
        "category": {"type": ["string", "null"], "enum": [*(c.value for c in OutcomeCategory), None],
                     "description": "null: registered before goals had a category"},
        "unit": {"type": "string"},
        "baseline_value": {"oneOf": [{"type": "null"}, QUANTITY]},
        "target_value": {"oneOf": [{"type": "null"}, QUANTITY]},
    }),
    "InitiativeInput": {
        "type": "object",
        "properties": {
            "title": _text(limits.TITLE, minLength=1),
            "region": _text(limits.CODE, description="CBS code, e.g. ZK22"),
            "kind": {"type": "string", "enum": ["jzojp_intervention", "innovation"]},
            "phase": {"type": "string", "enum": ["start_up", "scale_up"]},
            "innovation_type": {"type": ["string", "null"], "enum": ["medical", "organisational", "digital", None]},
            "providers": {"type": "array", "items": {"type": "string"}, "description": "provider codes"},
            "cross_institution_justification": _text(limits.TEXT),
            "substitution_from": _text(limits.TEXT), "substitution_to": _text(limits.TEXT),
            "scale_down_plan": _text(limits.TEXT), "replaces_existing_care": {"type": "boolean"},
            "start_criteria": _text(limits.TEXT), "stop_criteria": _text(limits.TEXT),
            "necessity_justification": _text(limits.TEXT),
            "evaluation_links": {"type": "array", "items": _text(limits.URL, pattern="^https?://")},
            "cost_lines": {"type": "array", "maxItems": limits.COST_LINES, "items": {
                "type": "object", "properties": {
                "category": {"type": "string", "enum": ["infrastructure", "staff", "ict", "housing", "care",
                                                        "other"]},
                "description": _text(limits.LINE, minLength=1),
                "amount": {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "examples": ["1055550.80"]},
                "basis": _text(limits.LINE), "source": _text(limits.LINE)},
                "required": ["category", "description", "amount"]}},
            "goals": {"type": "array", "maxItems": limits.GOALS, "items": {"type": "object", "properties": {
                "metric": _text(limits.LINE, minLength=1), "baseline": _text(limits.GOAL_VALUE, minLength=1),
                "target": _text(limits.GOAL_VALUE, minLength=1), "target_date": DATE_INPUT,
                "category": {"type": "string", "enum": [c.value for c in OutcomeCategory]},
                "unit": _text(limits.UNIT),
                "baseline_value": QUANTITY_INPUT, "target_value": QUANTITY_INPUT},
                "required": ["metric", "baseline", "target", "target_date", "category"]}},
            "description": _text(limits.TEXT),
            "evidence_level": {"type": "string", "enum": ["none", "practice", "observational", "controlled",
                                                          "randomised"]},
            "term_start": DATE_INPUT, "term_end": DATE_INPUT,
            **FUNDING_TERMS_IN,
            "theme": {"type": ["integer", "null"], "minimum": 1, "maximum": limits.ID_MAX,
                      "description": "a theme of the region's current plan (RegionalPlan.themes[].id)"},
        },
        "required": ["title", "region", "kind", "phase"],
        "description": "cost_lines: at least one, except for price_volume, whose budget is unit_price × "
                       "expected_volume (one cost line 'prijs × volume' is kept for it).",
    },
    "DecisionInput": {
        "type": "object",
        "properties": {
            "decision": {"type": "string", "enum": ["follow", "decline"]},
            "conditions": _text(limits.TEXT),
            "arguments": {"type": "array", "maxItems": 10, "items": {"type": "object", "properties": {
                "criterion": _text(limits.CODE), "strength": {"type": "integer", "enum": [1, 2, 3]},
                "explanation": _text(limits.TEXT, minLength=1), "evidence": _text(limits.URL)},
                "required": ["criterion", "strength", "explanation"]}},
        },
        "required": ["decision"],
    },
    "CostShares": _object({
        "total": MONEY, "committed": MONEY, "gap": MONEY,
        "co_funding": {**MONEY, "description": "the confirmed co-funding (frozen at opening)"},
        "insurers_total": {**MONEY, "description": "total − co_funding: split over the insurers by market share"},
        "co_funders": {"type": "array", "items": _object({"name": {"type": "string"}, "amount": MONEY})},
        "coverage": {"type": "string", "pattern": r"^\d\.\d{4}$",
                     "description": "committed (co-funding and the insurers that fund) / the whole budget"},
        "frozen": {"type": "boolean", "description": "false before the initiative opens: a preview"},
        "market_shares": _ref("MarketShareSource"),
        "shares": {"type": "array", "items": _object({"insurer": {"type": "string"}, "insured": {"type": "integer"},
                                                       "amount": MONEY, "state": STATE})},
    }),
    "AdoptionRequest": _object({
        "id": {"type": "integer"}, "initiative_id": {"type": "integer"}, "initiative": {"type": "string"},
        "region": {"type": "string"}, "insurer": {"type": "string", "description": "the insurer asked to adopt"},
        "requested_by": {"type": ["string", "null"], "description": "the provider that asks"},
        "deadline": DATE,
        "request_state": {"type": "string", "enum": ["open", "decided", "overdue", "closed", "cancelled"]},
        "insured": {"type": "integer", "description": "the insurer's insured in the frozen allocation key"},
        "impact": _object({"description": {"type": "string"}, "volume": {"type": "integer"},
                           "unit": {"type": "string", "enum": ["patients", "bed_days"]}, "by": DATE}),
        "evidence": {"type": "string"},
        "decision": {"type": ["string", "null"], "enum": ["follow", "decline", None]},
    }),
    "AdoptionRequestInput": {
        "type": "object",
        "properties": {
            "insurer": _text(limits.CODE, description="code of the insurer asked to adopt"),
            "impact": {"type": "object", "properties": {
                "description": _text(limits.TEXT, minLength=1),
                "volume": {"type": "integer", "minimum": 1, "maximum": limits.IMPACT_VOLUME_MAX},
                "unit": {"type": "string", "enum": ["patients", "bed_days"]},
                "by": {**DATE_INPUT, "description": "today or later; jjjj-mm-dd, of dd-mm-jjjj"}},
                "required": ["description", "volume", "unit", "by"]},
            "evidence": _text(limits.URL),
        },
        "required": ["insurer", "impact"],
    },
    "FollowRequest": _object({
        "initiative_id": {"type": "integer"}, "initiative": {"type": "string"}, "region": {"type": "string"},
        "deadline": DATE, "overdue": {"type": "boolean"},
        "request_state": {"type": "string", "enum": ["open", "decided", "overdue", "closed", "cancelled"]},
        "decision": {"type": ["string", "null"], "enum": ["follow", "decline", None]},
        "version": {"type": ["integer", "null"]},
    }),
}

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": limits.ID_MAX}
ID = [{"name": "initiative_id", "in": "path", "required": True, "schema": ID_SCHEMA}]
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "pattern": f"^[!-~]{{1,{limits.IDEMPOTENCY_KEY}}}$"},
               "description": "The same key again returns the first result and stores nothing new. "
                              "On a decision: the version stored under the key, also when a later version "
                              "stands now (`standing` false); the same key with another body, for another "
                              "request or by another user is refused with 409."}


def _list(item: str, extra: dict | None = None) -> dict:
    return _object({"items": {"type": "array", "items": _ref(item)}, **(extra or {})})


# Every list that can grow with the registry is read a page at a time (paging.py).
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": limits.PAGE_MAX},
     "description": "De pagina, vanaf 1. Voorbij de laatste: een lege lijst."},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": limits.PER_PAGE_MAX,
                                                   "default": PER_PAGE},
     "description": f"Hoeveel per pagina; meer dan {limits.PER_PAGE_MAX} wordt geweigerd met 422."},
    *({"name": name, "in": "query", "schema": {"type": "string", "maxLength": CURSOR_MAX},
       "description": f"Verder {where} de rij die de link `{link}` noemt (keyset: een diepe pagina leest alleen "
                      "haar eigen rijen). Geef hem niet zelf op; een onbruikbare waarde wordt geweigerd met 422."}
      for name, where, link in (("after", "na", "next"), ("before", "vóór", "previous"))),
]
PAGE_LINK = {"type": ["string", "null"], "description": "De URL van de pagina ernaast (dezelfde parameters); "
                                                        "null als die er niet is."}


def _page(item: str) -> dict:
    return _list(item, {
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0, "maximum": COUNT_CAP},
        "total_capped": {"type": "boolean", "description": f"Er zijn er meer dan `total` ({COUNT_CAP}): "
                                                          "verfijn met de filters."},
        "next": PAGE_LINK, "previous": PAGE_LINK})


def _with_files(response: dict) -> dict:
    """A JSON response that also comes as CSV (Dutch Excel) or XLSX, by the Accept header."""
    return {**response, "content": {
        **response["content"],
        "text/csv": {"schema": {"type": "string", "description": "UTF-8 with BOM, ';', decimal comma"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "format": "binary"}}}}


# A route declared with operation(exports=True) answers its 200 also as a file (exports.py).
_EXPORTABLE = {
    "application/json": None,
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                     "format": "binary"}},
}


def _exportable(schema: dict) -> dict:
    return {"description": "JSON, or with Accept: text/csv / the XLSX media type the export (Dutch Excel)",
            "content": {media: body or {"schema": schema} for media, body in _EXPORTABLE.items()}}


@cache
def document() -> dict:
    """The document of /api/v1: generated from the routes' models (api/schema.py), joined with
    the part still written by hand for the routes not yet declared with operation()."""
    written = _written()
    generated = _generated()
    clash = set(written["components"]["schemas"]) & set(generated["components"]["schemas"]) - {"Problem"}
    if clash:
        raise RuntimeError(f"Schema names written twice: {sorted(clash)}")
    written["components"]["schemas"].update(generated["components"]["schemas"])
    for path, operations in generated["paths"].items():
        written["paths"].setdefault(path.removeprefix("/api/v1"), {}).update(operations)
    return written


def _generated() -> dict:
    """SpecTree's document of the API blueprint, on an app of its own (the document is the same
    for every app, and is also read where no app runs: tests, schemathesis)."""
    from flask import Flask

    from innovatieregister.api import bp
    from innovatieregister.api.schema import CSV_BODY, EXPORTS, FILES, IDEMPOTENT, spec

    app = Flask(__name__)
    app.register_blueprint(bp)
    with app.app_context():
        generated = spec._generate_spec()  # noqa: SLF001  (its cached `spec` property would keep the first app's)
    for rule in app.url_map.iter_rules():  # a route declared @public needs no token (policies.py says so once)
        if getattr(app.view_functions[rule.endpoint], "policy", None) == PUBLIC:
            for op in generated["paths"].get(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule), {}).values():
                op["security"] = []
    for operations in generated["paths"].values():
        for op in operations.values():
            op.pop("tags", None) if not op.get("tags") else None
            if op["operationId"] in EXPORTS:
                op["responses"]["200"] = _exportable(op["responses"]["200"]["content"]["application/json"]["schema"])
            if op["operationId"] in IDEMPOTENT:
                op.setdefault("parameters", []).append(IDEMPOTENCY)
            for parameter in op.get("parameters", []):
                if parameter["in"] == "path":  # the app's converters: an id 1..ID_MAX (inputs.IdConverter), a code
                    integer = parameter["schema"].get("type") == "integer"
                    parameter["schema"] = dict(ID_SCHEMA) if integer else _text(limits.CODE)
                    if not parameter.get("description"):
                        parameter.pop("description", None)
            if op["operationId"] in CSV_BODY:
                op["requestBody"]["content"]["text/csv"] = {"schema": {"type": "string"}}
            if op["operationId"] in FILES:
                op["responses"]["200"] = {"description": "Het bestand", "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILES[op["operationId"]]}}
            for status in op["responses"]:
                if status >= "400":  # problems are problem+json, one shared response
                    op["responses"][status] = {"$ref": "#/components/responses/Problem"}
    return generated


def _written() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Innovatieregister API", "version": "1",
                 "description": "Volgbeleid JZOJP: initiatieven, volgverzoeken, besluiten en eerlijke "
                                "aandelen. Geld als tekst met twee decimalen; fouten als problem+json."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Token van de profielpagina of `flask users token`."}},
            "schemas": {**{k: v for k, v in SCHEMAS.items() if not k.startswith("_")},
                        **FOLLOW_SCHEMAS, **WHAT_IF_SCHEMAS},
            "responses": {"Problem": {"description": "Fout", "content": {
                "application/problem+json": {"schema": _ref("Problem")}}}},
        },
        "paths": {
            "/initiatives": {
                "post": {"summary": "Registreer een concept (alleen een leidende verzekeraar van de regio)",
                         "parameters": [IDEMPOTENCY],
                         "requestBody": {"required": True, "content": {"application/json": {
                             "schema": _ref("InitiativeInput")}}},
                         "responses": {"201": _json(_ref("Initiative"), "Geregistreerd"), **ERRORS}},
            },
            "/initiatives/{initiative_id}": {"get": {
                "parameters": ID, "responses": {"200": _json(_ref("Initiative")), **ERRORS}}},
            "/initiatives/{initiative_id}/open": {"post": {
                "summary": "Open voor besluiten: zet de verdeelsleutel vast en stuur volgverzoeken",
                "parameters": ID, "responses": {"200": _json(_ref("Initiative")), **ERRORS}}},
            "/initiatives/{initiative_id}/cost-shares": {"get": {
                "summary": "Eerlijk aandeel per verzekeraar, medefinanciers, toegezegd, tekort en dekking",
                "description": "With Accept: text/csv or the XLSX media type: the fair-share statement "
                               "(verdeelstaat) as a file.",
                "parameters": ID, "responses": {"200": _with_files(_json(_ref("CostShares"))), **ERRORS}}},
            "/initiatives/{initiative_id}/decisions": {"get": {
                "summary": "De besluiten met hun argumenten, voor zover de aanroeper ze mag zien",
                "description": "With Accept: text/csv or the XLSX media type: one row per argument of every "
                               "version the caller may see.",
                "parameters": ID, "responses": {"200": _with_files(_json(_list("FollowRequestDecision"))),
                                                **ERRORS}}},
            "/initiatives/{initiative_id}/decision": {"post": {
                "summary": "Leg het besluit van de eigen verzekeraar vast (nieuwe versie)",
                "parameters": [*ID, IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DecisionInput")}}},
                "responses": {"201": _json(_ref("FollowRequestDecision"), "Vastgelegd"), **ERRORS}}},
            "/initiatives/{initiative_id}/adoption-requests": {"post": {
                "summary": "Een betrokken zorgaanbieder vraagt een verzekeraar de afspraak over te nemen",
                "parameters": ID,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("AdoptionRequestInput")}}},
                "responses": {"201": _json(_ref("AdoptionRequest"), "Verstuurd"), **ERRORS}}},
            "/adoption-requests": {"get": {
                "summary": "Overnameverzoeken van, aan of over de eigen organisatie",
                "parameters": PAGE_PARAMETERS,
                "responses": {"200": _json(_page("AdoptionRequest")), **ERRORS}}},
            "/adoption-requests/{request_id}/decision": {"post": {
                "summary": "De aangesproken verzekeraar besluit over een overnameverzoek",
                "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": ID_SCHEMA},
                               IDEMPOTENCY],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DecisionInput")}}},
                "responses": {"201": _json(_ref("FollowRequestDecision"), "Vastgelegd"), **ERRORS}}},
            "/follow-requests/{request_id}/conditions": {"post": {
                "summary": "De leidende verzekeraar aanvaardt of wijst de voorwaarden van een volgbesluit af, met "
                           "redenen; afwijzen zet het verzoek weer open met een nieuwe termijn",
                "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": ID_SCHEMA}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["verdict", "reasons"], "properties": {
                        "verdict": {"type": "string", "enum": ["accepted", "rejected"]},
                        "reasons": _text(limits.TEXT, minLength=1)}}}}},
                "responses": {"200": _json(_ref("FollowRequestDecision"), "Beoordeeld"), **ERRORS}}},
            "/initiatives/{initiative_id}/adopt": {"post": {
                "summary": "Neem het initiatief over in een regio waar de eigen verzekeraar leidt",
                "parameters": ID,
                "requestBody": {"required": True, "content": {"application/json": {"schema": _object(
                    {"region": _text(limits.CODE), "confirm_without_positive_evaluation": {
                        "type": "boolean", "default": False,
                        "description": "required (true) to adopt an innovation whose latest evaluation is not "
                                       "positive; the draft then says so (adopted_without_positive_evaluation)"}},
                    required=["region"])}}},
                "responses": {"201": _json(_ref("Initiative"), "Overgenomen als concept"), **ERRORS}}},
            "/follow-requests": {"get": {
                "summary": "Openstaande volgverzoeken aan de eigen organisatie, dichtstbijzijnde termijn eerst",
                "parameters": PAGE_PARAMETERS,
                "responses": {"200": _json(_page("FollowRequest")), **ERRORS}}},
            **SPREAD_PATHS,
            **FOLLOW_PATHS,
            **WHAT_IF_PATHS,
        },
    }


# Start-up and scale-up (issue 10, domain/phase.py).
SPREAD_PATHS = {
    "/initiatives/{initiative_id}/scale-up": {"post": {
        "summary": "De leidende verzekeraar brengt een positief geëvalueerde innovatie naar de opschalingsfase",
        "description": "Alleen een innovatie in de opstartfase die loopt en waarvan de laatste evaluatie 'op koers' "
                       "of 'doelen behaald' zegt. De verdeelsleutel wordt vastgezet en de andere verzekeraars in de "
                       "regio krijgen een volgverzoek; anders 409 met de reden.",
        "parameters": ID, "responses": {"200": _json(_ref("Initiative")), **ERRORS}}},
}


# Following an initiative (issue 12, api/following.py).
_FOLLOWING = _json(_object({"initiative": {"type": "integer"}, "following": {"type": "boolean"}}))
FOLLOW_SCHEMAS = {
    "FollowedInitiative": _object({
        **{name: SUMMARY[name] for name in ("id", "title", "status", "kind", "phase", "region", "lead_insurer")},
        "followed_at": {"type": "string", "format": "date-time"}}),
}
FOLLOW_PATHS = {
    "/initiatives/{initiative_id}/follow": {
        "post": {"summary": "Volg een initiatief uit het register (iedere ingelogde gebruiker)",
                 "description": "Een melding (en naar keuze een e-mail) van elke statuswijziging en evaluatie, "
                                "elk precies één keer, met alleen wat het register de volger toont. Nogmaals "
                                "volgen verandert niets. Een concept is niet te volgen (404).",
                 "parameters": ID, "responses": {"200": _FOLLOWING, **ERRORS}},
        "delete": {"summary": "Volg een initiatief niet meer (niet volgen is geen fout)",
                   "parameters": ID, "responses": {"200": _FOLLOWING, **ERRORS}},
    },
    "/following": {"get": {
        "summary": "De initiatieven die de aanroeper volgt, het laatst gevolgde eerst",
        "parameters": PAGE_PARAMETERS,
        "responses": {"200": _json(_page("FollowedInitiative")), **ERRORS}}},
}


# What if (issue 12, api/what_if.py): no state change.
_WEIGHT = {"type": "integer", "minimum": 0, "maximum": MAX_WEIGHT}
_ASSESSMENT = _object({"score": {"type": "integer"}, "threshold": {"type": "integer"}, "weighty": {"type": "boolean"}})
WHAT_IF_SCHEMAS = {
    "WhatIfInput": {"type": "object", "additionalProperties": False, "properties": {
        "weights": {"type": "object", "maxProperties": 100, "additionalProperties": _WEIGHT,
                    "propertyNames": {"maxLength": limits.CODE},
                    "description": "proposed weight per criterion code (GET /criteria); a criterion left out "
                                   "keeps the weight in force"},
        "threshold": {"type": "integer", "minimum": THRESHOLD_RANGE[0], "maximum": THRESHOLD_RANGE[1],
                      "description": "the proposed threshold; left out: the one in force"},
        "case": {**ID_SCHEMA, "description": "only the declines on this mediation case's initiative "
                                             "(the mediator)"},
        "page": {"type": "integer", "minimum": 1, "maximum": limits.PAGE_MAX, "default": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": limits.PER_PAGE_MAX, "default": PER_PAGE}}},
    "WhatIf": _object({
        "weights": {"type": "object", "additionalProperties": {"type": "integer"}},
        "threshold": {"type": "integer"}, "case": {"type": ["integer", "null"]},
        "declines": {"type": "integer", "minimum": 0, "description": "standing declines reassessed"},
        "weighty_recorded": {"type": "integer", "minimum": 0}, "weighty_proposed": {"type": "integer", "minimum": 0},
        "becomes_weighty": {"type": "integer", "minimum": 0},
        "becomes_insufficient": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
        "items": {"type": "array", "items": _object({
            "initiative": {"type": "integer"}, "insurer": {"type": "string"},
            "request_kind": {"type": "string", "enum": ["follow", "adoption"]}, "version": {"type": "integer"},
            "recorded": _ASSESSMENT, "proposed": _ASSESSMENT, "changes": {"type": "boolean"}})}}),
}
WHAT_IF_PATHS = {
    "/criteria/what-if": {"post": {
        "summary": "Wat als: de staande afwijzingen herberekend met voorgestelde gewichten of drempel "
                   "(bemiddelaar en beheerder)",
        "description": "Verandert niets: er wordt niets opgeslagen en de vastgelegde beoordeling (score, drempel, "
                       "oordeel) blijft zoals ze is. Een POST omdat het voorstel een body is. Met `case` alleen de "
                       "afwijzingen van het initiatief van die bemiddelingszaak. De gewijzigde oordelen eerst.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("WhatIfInput")}}},
        "responses": {"200": _json(_ref("WhatIf")), **ERRORS}}},
}


