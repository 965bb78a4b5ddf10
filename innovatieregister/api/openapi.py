"""The OpenAPI 3.1 document of /api/v1, generated from the routes' models (api/schema.py).

SpecTree writes each route's parameters, body and answers from the pydantic models it validates
with; this module adds what the models cannot say: the app's id range in paths, the Idempotency-Key
header, exports and files as other media types, the routes that need no token, and one shared
problem+json answer. tests/api checks every response against it, and schemathesis fuzzes from it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from innovatieregister import limits
from innovatieregister.policies import PUBLIC

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": limits.ID_MAX}
CODE_SCHEMA = {"type": "string", "maxLength": limits.CODE}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "pattern": f"^[!-~]{{1,{limits.IDEMPOTENCY_KEY}}}$"},
               "description": "The same key again returns the first result and stores nothing new. "
                              "On a decision: the version stored under the key, also when a later version "
                              "stands now (`standing` false); the same key with another body, for another "
                              "request or by another user is refused with 409."}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM = {"$ref": "#/components/responses/Problem"}
PREFIX = "/api/v1"


@cache
def document() -> dict:
    """The document as /api/v1/openapi.json serves it (the same for every app)."""
    from flask import Flask

    from innovatieregister.api import bp
    from innovatieregister.api.schema import spec

    app = Flask(__name__)  # an app of its own: the document is also read where no app runs (tests, fuzzing)
    app.register_blueprint(bp)
    with app.app_context():
        generated = spec._generate_spec()  # noqa: SLF001  (its cached `spec` property would keep the first app's)
        public = _public_paths(app)
    paths: dict[str, dict] = {}
    for path, operations in generated["paths"].items():
        for op in operations.values():
            _complete(op, public=path in public)
        paths[path.removeprefix(PREFIX)] = operations
    components = generated["components"]
    components["responses"] = {"Problem": {"description": "Fout", "content": {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Innovatieregister API", "version": "1",
                 "description": "Volgbeleid JZOJP: initiatieven, volgverzoeken, besluiten, eerlijke aandelen, "
                                "bemiddeling, de looptijd en de nacalculatie. Geld als tekst met twee decimalen; "
                                "fouten als problem+json met een melding per veld."},
        "servers": [{"url": PREFIX}],
        "security": [{"bearer": []}],
        "components": components,
        "paths": paths,
    }


def _public_paths(app) -> set[str]:
    """The paths of routes declared @public: they need no token (policies.py says so once)."""
    return {re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule) for rule in app.url_map.iter_rules()
            if getattr(app.view_functions[rule.endpoint], "policy", None) == PUBLIC}


def _complete(op: dict[str, Any], public: bool) -> None:
    """What one operation's models cannot say, added to what SpecTree wrote."""
    from innovatieregister.api.schema import CSV_BODY, EXPORTS, FILES, IDEMPOTENT

    if not op.get("tags"):
        op.pop("tags", None)
    if public:
        op["security"] = []
    name = op["operationId"]
    if name in EXPORTS:
        op["responses"]["200"] = _exportable(op["responses"]["200"]["content"]["application/json"]["schema"])
    if name in IDEMPOTENT:
        op.setdefault("parameters", []).append(IDEMPOTENCY)
    if name in CSV_BODY:
        op["requestBody"]["content"]["text/csv"] = {"schema": {"type": "string"}}
    if name in FILES:
        op["responses"]["200"] = {"description": "Het bestand", "content": {
            kind: {"schema": {"type": "string", "format": "binary"}} for kind in FILES[name]}}
    for parameter in op.get("parameters", []):
        if parameter["in"] == "path":  # the app's converters: an id 1..ID_MAX (inputs.IdConverter), a code
            parameter["schema"] = dict(ID_SCHEMA if parameter["schema"].get("type") == "integer" else CODE_SCHEMA)
            if not parameter.get("description"):
                parameter.pop("description", None)
    for status in op["responses"]:
        if status >= "400":  # problems are problem+json, one shared answer
            op["responses"][status] = PROBLEM


def _exportable(schema: dict) -> dict:
    """A JSON answer that also comes as the export (Dutch-Excel CSV or XLSX, exports.py) by Accept."""
    return {"description": "JSON, or with Accept: text/csv / the XLSX media type the export (Dutch Excel)",
            "content": {"application/json": {"schema": schema},
                        "text/csv": {"schema": {"type": "string", "description": "UTF-8 with BOM, ';', decimal comma"}},
                        XLSX: {"schema": {"type": "string", "format": "binary"}}}}
