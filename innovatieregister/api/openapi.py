"""The OpenAPI 3.1 description of /api/v1. tests/api checks every response against it."""

from __future__ import annotations

from functools import cache

from innovatieregister import limits
from innovatieregister.domain.monitoring import DocumentKind, MeasurementKind, ProcessEntryKind
from innovatieregister.paging import COUNT_CAP, CURSOR_MAX, PER_PAGE
from innovatieregister.services.savings import KEY_PARTS

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
}

# The status of an initiative as the caller may see it (api.InitiativeSummary), for the routes still
# written here.
SUMMARY = {
    "status": {"type": "string", "enum": ["concept", "open", "fully_funded", "partially_funded",
                                          "in_mediation", "active", "evaluated", "extended", "ended", "withdrawn"],
               "description": "as the caller may see it: an insurer that may not yet see the others' "
                              "decisions, and is no party to the case, sees in_mediation as open"},
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


# The life cycle (issue 10, api/lifecycle.py) ------------------------------------------------------

_KINDS = ["baseline", "periodic", "final"]
_LIFE = _json(_ref("Lifecycle"))
LIFECYCLE_SCHEMAS = {
    "Lifecycle": _object({
        "id": {"type": "integer"}, "status": SUMMARY["status"],
        "activated_at": {"type": ["string", "null"], "format": "date-time"},
        "term_start": NULLABLE_DATE, "start_up_end": NULLABLE_DATE, "term_end": NULLABLE_DATE,
        "gap_acceptance_reasons": {"type": "string"},
        "ended_on": NULLABLE_DATE, "end_reasons": {"type": "string"},
        "end_outcome": {"type": ["string", "null"],
                        "enum": ["care_returns", "scale_down_executed", "continues_as_regular", None]},
        "calendar": {"type": "array", "items": _object({
            "id": {"type": "integer"}, "kind": {"type": "string", "enum": _KINDS}, "due_on": DATE,
            "status": {"type": "string", "enum": ["done", "planned", "due", "overdue"],
                       "description": "due: within the reminder window"}})},
        "extensions": {"type": "array", "items": _object({
            "previous_end": DATE, "new_end": DATE, "reasons": {"type": "string"}, "evaluation": {"type": "integer"}})},
        "stop_criteria": {"type": "array", "items": {"type": "string", "enum": ["past_term", "not_achieved"]}},
        "may": {"type": "array", "items": {"type": "string"},
                "description": "the life-cycle steps the caller may take now"},
    }),
    "Evaluation": _object({
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": _KINDS},
        "verdict": {"type": "string", "enum": ["on_track", "behind", "achieved", "not_achieved"]},
        "reasoning": {"type": "string"}, "organisation": {"type": "string"},
        "recorded_at": {"type": "string", "format": "date-time"}, "moment": {"type": ["integer", "null"]},
        "measurements": {"type": "array", "items": {"type": "integer"}},
        "documents": {"type": "array", "items": {"type": "integer"}},
    }),
    "EvaluationInput": {"type": "object", "properties": {
        "kind": {"type": "string", "enum": _KINDS},
        "verdict": {"type": "string", "enum": ["on_track", "behind", "achieved", "not_achieved"]},
        "reasoning": _text(limits.TEXT, minLength=1),
        "measurements": {"type": "array", "maxItems": limits.EVALUATION_MEASUREMENTS, "items": ID_SCHEMA,
                         "description": "ids of this initiative's measurements"},
        "documents": {"type": "array", "maxItems": limits.EVALUATION_MEASUREMENTS, "items": ID_SCHEMA,
                      "description": "ids of this initiative's documents"}},
        "required": ["kind", "verdict", "reasoning"]},
}


def _post(summary: str, schema: dict | None, created: dict | None = None) -> dict:
    operation = {"summary": summary, "parameters": ID, "responses": {"200": _LIFE, **ERRORS}}
    if created is not None:
        operation["responses"] = {"201": created, **ERRORS}
    if schema is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return {"post": operation}


LIFECYCLE_PATHS = {
    "/initiatives/{initiative_id}/activate": _post(
        "Activeer (leidende verzekeraar): legt looptijd en evaluatiekalender vast; bij deels gefinancierd "
        "met redenen om het tekort te accepteren",
        {"type": "object", "properties": {"gap_acceptance_reasons": _text(limits.TEXT)}}),
    "/initiatives/{initiative_id}/calendar": {
        "get": {"summary": "Looptijd, evaluatiekalender, verlengingen en stopcriteria", "parameters": ID,
                "responses": {"200": _LIFE, **ERRORS}},
        **_post("Verplaats geplande evaluatiemomenten binnen de looptijd (leidende verzekeraar)", {
            "type": "object", "required": ["moments"], "properties": {"moments": {"type": "array", "items": {
                "type": "object", "required": ["id", "due_on"],
                "properties": {"id": ID_SCHEMA, "due_on": DATE_INPUT}}}}})},
    "/initiatives/{initiative_id}/evaluations": {
        "get": {"summary": "De evaluaties, nieuwste eerst", "parameters": [*ID, *PAGE_PARAMETERS],
                "responses": {"200": _json(_page("Evaluation")), **ERRORS}},
        **_post("Leg een evaluatie vast (leidende verzekeraar of betrokken zorgaanbieder); een eindevaluatie "
                "maakt het initiatief 'evaluated'", _ref("EvaluationInput"),
                created=_json(_ref("Evaluation"), "Vastgelegd"))},
    "/initiatives/{initiative_id}/extend": _post(
        "Verleng na een eindevaluatie met resultaten in zicht (leidende verzekeraar)",
        {"type": "object", "required": ["new_end", "reasons"],
         "properties": {"new_end": DATE_INPUT, "reasons": _text(limits.TEXT, minLength=1)}}),
    "/initiatives/{initiative_id}/end": _post(
        "Beëindig (leidende verzekeraar): redenen en wat er met de zorg gebeurt",
        {"type": "object", "required": ["reasons", "outcome"], "properties": {
            "reasons": _text(limits.TEXT, minLength=1),
            "outcome": {"type": "string", "enum": ["care_returns", "scale_down_executed", "continues_as_regular"]}}}),
    "/initiatives/{initiative_id}/withdraw": _post(
        "Trek in (leidende verzekeraar), zolang het initiatief nog niet loopt: verzoeken waarover nog besloten "
        "wordt vervallen en lopende bemiddeling eindigt",
        {"type": "object", "required": ["reasons"], "properties": {"reasons": _text(limits.TEXT, minLength=1)}}),
}


# The monitors (issue 10): measurements, the process log and documents -------------------------------

MEASUREMENT_INPUT = {
    "type": "object",
    "properties": {
        "goal_id": {**ID_SCHEMA, "description": "a goal of this initiative (Initiative.goals[].id)"},
        "kind": {"type": "string", "enum": [k.value for k in MeasurementKind]},
        "measured_on": {**DATE_INPUT, "description": "not after today; jjjj-mm-dd, of dd-mm-jjjj"},
        "value": {**QUANTITY_INPUT, "type": "string"},
        "unit": _text(limits.UNIT, description="empty: the goal's unit"), "source": _text(limits.LINE),
    },
    "required": ["goal_id", "kind", "measured_on", "value"],
}
DOCUMENT_TYPES = ["application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/csv"]
MONITORING_SCHEMAS = {
    "Measurement": _object({
        "id": {"type": "integer"}, "goal_id": {"type": "integer"},
        "kind": {"type": "string", "enum": [k.value for k in MeasurementKind]}, "measured_on": DATE,
        "value": QUANTITY, "unit": {"type": "string"}, "source": {"type": "string"},
        "organisation": {"type": "string", "description": "code of the organisation that entered it"},
    }),
    "ProcessLogEntry": _object({
        "id": {"type": "integer"}, "occurred_on": DATE,
        "kind": {"type": "string", "enum": [k.value for k in ProcessEntryKind]}, "text": {"type": "string"},
        "organisation": {"type": "string"},
    }),
    "Document": _object({
        "id": {"type": "integer"}, "title": {"type": "string"},
        "kind": {"type": "string", "enum": [k.value for k in DocumentKind]}, "filename": {"type": "string"},
        "content_type": {"type": "string", "enum": DOCUMENT_TYPES, "description": "told by the file's bytes"},
        "size_bytes": {"type": "integer"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "organisation": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
        "content": {"type": "string", "description": "where to download it"},
    }),
}
# Co-funding and the funding terms (issue 11) ------------------------------------------------------

PLEDGE_FIELDS = {
    "amount_per_year": {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "examples": ["100000.00"],
                        "description": "more than 0; all live pledges together at most the budget"},
    "conditions": _text(limits.TEXT),
    "pro_rata": {"type": "boolean", "default": False,
                 "description": "in a settlement the pledge counts in proportion to actual / budgeted cost"},
}
PLEDGE_ID = [{"name": "pledge_id", "in": "path", "required": True, "schema": ID_SCHEMA}]
CO_FUNDING_PATHS = {
    "/initiatives/{initiative_id}/co-funding": {
        "get": {"summary": "Toezeggingen van medefinanciers (gemeenten, zorgkantoren)", "parameters": ID,
                "responses": {"200": _json(_list("CoFundingPledge")), **ERRORS}},
        "post": {"summary": "De leidende verzekeraar voegt een toezegging toe (alleen vóór het openen)",
                 "parameters": ID,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": _object(
                     {"organisation": _text(limits.CODE, description="code of a municipality or care office"),
                      **PLEDGE_FIELDS}, required=["organisation", "amount_per_year"])}}},
                 "responses": {"201": _json(_ref("CoFundingPledge"), "Toegevoegd"), **ERRORS}},
    },
    "/co-funding/{pledge_id}": {"put": {
        "summary": "De leidende verzekeraar wijzigt een toezegging (vóór het openen; opnieuw te bevestigen)",
        "parameters": PLEDGE_ID,
        "requestBody": {"required": True, "content": {"application/json": {"schema": _object(
            PLEDGE_FIELDS, required=["amount_per_year"])}}},
        "responses": {"200": _json(_ref("CoFundingPledge")), **ERRORS}}},
    "/co-funding/{pledge_id}/withdraw": {"post": {
        "summary": "De leidende verzekeraar trekt een toezegging in (vóór het openen)",
        "parameters": PLEDGE_ID, "responses": {"200": _json(_ref("CoFundingPledge")), **ERRORS}}},
    "/co-funding/{pledge_id}/decision": {"post": {
        "summary": "De medefinancier bevestigt of wijst af (met redenen)",
        "parameters": PLEDGE_ID,
        "requestBody": {"required": True, "content": {"application/json": {"schema": _object(
            {"decision": {"type": "string", "enum": ["confirm", "decline"]},
             "reasons": _text(limits.TEXT, description="required when declining")}, required=["decision"])}}},
        "responses": {"200": _json(_ref("CoFundingPledge")), **ERRORS}}},
}


MONITORING_PATHS = {
    "/initiatives/{initiative_id}/measurements": {
        "get": {"summary": "Metingen van de doelen van een initiatief, nieuwste eerst",
                "parameters": [*ID, {"name": "goal_id", "in": "query", "schema": ID_SCHEMA}, *PAGE_PARAMETERS],
                "responses": {"200": _json(_page("Measurement")), **ERRORS}},
        "post": {"summary": "Leg metingen vast: één, een lijst of een CSV-bestand (alles of niets)",
                 "description": "Voor de leidende verzekeraar en de betrokken zorgaanbieders. CSV-kolommen: doel, "
                                "soort (nulmeting, periodiek, eind), datum, waarde, en naar keuze eenheid en bron; "
                                "elke foute regel wordt met zijn nummer gemeld en dan wordt niets opgeslagen.",
                 "parameters": ID,
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": {"oneOf": [MEASUREMENT_INPUT, {
                         "type": "array", "minItems": 1, "maxItems": limits.MEASUREMENTS_PER_UPLOAD,
                         "items": MEASUREMENT_INPUT}]}},
                     "text/csv": {"schema": {"type": "string"}}}},
                 "responses": {"201": _json({"oneOf": [_ref("Measurement"), _list("Measurement")]}, "Vastgelegd"),
                               **ERRORS, "413": {"$ref": "#/components/responses/Problem"}}},
    },
    "/initiatives/{initiative_id}/process-log": {
        "get": {"summary": "Het proceslogboek, nieuwste eerst", "parameters": [*ID, *PAGE_PARAMETERS],
                "responses": {"200": _json(_page("ProcessLogEntry")), **ERRORS}},
        "post": {"summary": "Een aantekening in het proceslogboek (leidende verzekeraar, betrokken aanbieders, "
                            "financierende verzekeraars)",
                 "parameters": ID,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "properties": {
                         "occurred_on": {**DATE_INPUT, "description": "not after today; jjjj-mm-dd, of dd-mm-jjjj"},
                         "kind": {"type": "string", "enum": [k.value for k in ProcessEntryKind]},
                         "text": _text(limits.TEXT, minLength=1)},
                     "required": ["occurred_on", "kind", "text"]}}}},
                 "responses": {"201": _json(_ref("ProcessLogEntry"), "Vastgelegd"), **ERRORS}},
    },
    "/initiatives/{initiative_id}/documents": {
        "get": {"summary": "Documenten van een initiatief (alleen voor de partijen)",
                "parameters": [*ID, *PAGE_PARAMETERS],
                "responses": {"200": _json(_page("Document")), **ERRORS}},
        "post": {"summary": "Voeg een document toe (PDF, XLSX, DOCX of CSV; het soort blijkt uit de inhoud)",
                 "parameters": ID,
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "properties": {
                         "file": {"type": "string", "format": "binary",
                                  "description": f"at most {limits.DOCUMENT_BYTES_MAX} bytes"},
                         "title": _text(limits.TITLE),
                         "kind": {"type": "string", "enum": [k.value for k in DocumentKind]}},
                     "required": ["file"]}}}},
                 "responses": {"201": _json(_ref("Document"), "Toegevoegd"), **ERRORS,
                               "413": {"$ref": "#/components/responses/Problem"}}},
    },
    "/documents/{document_id}/content": {"get": {
        "summary": "Download een document (Content-Disposition: attachment)",
        "parameters": [{"name": "document_id", "in": "path", "required": True, "schema": ID_SCHEMA}],
        "responses": {"200": {"description": "Het bestand", "content": {
            kind: {"schema": {"type": "string", "format": "binary"}} for kind in DOCUMENT_TYPES}}, **ERRORS}}},
}


# Regional agreements (issue 12, api/plans.py) -----------------------------------------------

YEAR = {"type": "integer", "minimum": limits.DATE_MIN.year, "maximum": limits.DATE_MAX.year}
PLAN_GOAL = {"metric": {"type": "string"}, "baseline": {"type": "string"}, "target": {"type": "string"},
             "target_date": DATE}
PLAN_SCHEMAS = {
    "RegionalPlan": _object({
        "region": _object({"code": {"type": "string"}, "name": {"type": "string"}}),
        "lead_insurers": {"type": "array", "items": {"type": "string"},
                          "description": "codes of the region's lead insurers: they (and admins) keep the plan"},
        "may_edit": {"type": "boolean", "description": "may the caller save a new version?"},
        "version": {"type": ["integer", "null"], "description": "the version shown; null: no plan yet"},
        "current_version": {"type": ["integer", "null"], "description": "the version that stands now"},
        "regiobeeld": {"type": "string"}, "note": {"type": "string"},
        "saved_at": {"type": ["string", "null"], "format": "date-time"},
        "organisation": {"type": ["string", "null"], "description": "code of the organisation that saved it"},
        "themes": {"type": "array", "items": _object({
            "id": {"type": "integer", "description": "the theme's id, kept across versions (Initiative.theme)"},
            "title": {"type": "string"}, "description": {"type": "string"},
            "start_year": {"type": "integer"}, "end_year": {"type": "integer"},
            "goals": {"type": "array", "items": _object(PLAN_GOAL)}})},
        "versions": {"type": "array", "description": "every version, newest first", "items": _object({
            "version": {"type": "integer"}, "saved_at": {"type": "string", "format": "date-time"},
            "organisation": {"type": ["string", "null"]}, "note": {"type": "string"}})},
    }),
    "RegionalPlanInput": {
        "type": "object",
        "properties": {
            "regiobeeld": _text(limits.REGIOBEELD, minLength=1),
            "note": _text(limits.LINE, description="what changed, in a line"),
            "based_on_version": {"type": ["integer", "null"], "minimum": 0, "maximum": limits.ID_MAX,
                                 "description": "the version the edit started from (0: none); a newer one "
                                                "is refused with 409"},
            "themes": {"type": "array", "maxItems": limits.THEMES, "items": {
                "type": "object",
                "properties": {
                    "id": {"type": ["integer", "null"], "minimum": 1, "maximum": limits.ID_MAX,
                           "description": "an existing theme of this region: keeps its identity and its "
                                          "initiatives; absent for a new theme. A theme left out is no longer "
                                          "in the plan."},
                    "title": _text(limits.TITLE, minLength=1), "description": _text(limits.TEXT),
                    "start_year": YEAR, "end_year": {**YEAR, "description": "not before start_year"},
                    "goals": {"type": "array", "minItems": 1, "maxItems": limits.THEME_GOALS, "items": {
                        "type": "object",
                        "properties": {"metric": _text(limits.LINE, minLength=1),
                                       "baseline": _text(limits.GOAL_VALUE, minLength=1),
                                       "target": _text(limits.GOAL_VALUE, minLength=1), "target_date": DATE_INPUT},
                        "required": ["metric", "baseline", "target", "target_date"]}}},
                "required": ["title", "start_year", "end_year", "goals"]}},
        },
        "required": ["regiobeeld"],
    },
}
REGION_CODE = {"name": "code", "in": "path", "required": True, "schema": _text(limits.CODE),
               "description": "CBS code, e.g. ZK22"}
PLAN_PATHS = {
    "/regions/{code}/plan": {
        "get": {"summary": "Het regioplan zoals het nu geldt: regiobeeld, thema's met SMART-doelen, alle versies",
                "parameters": [REGION_CODE], "responses": {"200": _json(_ref("RegionalPlan")), **ERRORS}},
        "put": {"summary": "Sla het regioplan op als nieuwe versie (leidende verzekeraars van de regio, beheer)",
                "description": "Eerdere versies blijven leesbaar. Dezelfde inhoud als de geldende versie maakt "
                               "geen nieuwe versie.",
                "parameters": [REGION_CODE],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("RegionalPlanInput")}}},
                "responses": {"200": _json(_ref("RegionalPlan"), "Opgeslagen"), **ERRORS}},
    },
    "/regions/{code}/plan/versions/{version}": {"get": {
        "summary": "Een eerdere (of de geldende) versie van het regioplan",
        "parameters": [REGION_CODE, {"name": "version", "in": "path", "required": True,
                                     "schema": {"type": "integer", "minimum": 1, "maximum": limits.ID_MAX}}],
        "responses": {"200": _json(_ref("RegionalPlan")), **ERRORS}}},
}


# Shared savings (issue 11, part 3) -------------------------------------------------------------------

PERCENTAGE_INPUT = r"^\d{1,3}(\.\d{1,4})?$"
SAVINGS_PARTY = {
    "party": {"type": "string", "enum": ["insurers", "organisation"]},
    "organisation": {"type": ["string", "null"], "description": "its code; null for the insurers as a group"},
    "name": {"type": "string"}, "percentage": QUANTITY,
}
SAVINGS_SCHEMAS = {
    "SavingsAgreement": _object({
        "may_edit": {"type": "boolean", "description": "the caller may replace it now (the lead, before opening)"},
        "agreement": {"oneOf": [{"type": "null"}, _object({
            "baseline_annual_cost": MONEY, "explanation": {"type": "string"},
            "frozen": {"type": "boolean"}, "frozen_at": {"type": ["string", "null"], "format": "date-time"},
            "gates": {"type": "array", "items": _object({
                "goal_id": {"type": "integer"}, "metric": {"type": "string"}, "unit": {"type": "string"},
                "direction": {"type": "string", "enum": ["at_least", "at_most"],
                              "description": "the goal's direction: the value must be at least / at most the minimum"},
                "minimum_value": QUANTITY})},
            "key": {"type": "array", "items": _object(SAVINGS_PARTY)}})]}}),
    "SavingsAgreementInput": {"type": "object", "required": ["baseline_annual_cost", "key"], "properties": {
        "baseline_annual_cost": {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$",
                                 "description": "the yearly cost of the care being replaced; more than 0"},
        "explanation": _text(limits.TEXT),
        "gates": {"type": "array", "maxItems": limits.GOALS, "items": {
            "type": "object", "required": ["goal_id", "minimum_value"], "properties": {
                "goal_id": {**ID_SCHEMA, "description": "a goal of this initiative with a numeric baseline and target"},
                "minimum_value": {**QUANTITY_INPUT, "type": "string"}}}},
        "key": {"type": "array", "minItems": 1, "maxItems": KEY_PARTS,
                "description": "the percentages add up to exactly 100",
                "items": {"type": "object", "required": ["party", "percentage"], "properties": {
                    "party": {"type": "string", "enum": ["insurers", "organisation"]},
                    "organisation": {"type": "string", "maxLength": limits.CODE,
                                     "description": "with party organisation: the code of a provider involved, "
                                                    "a municipality or a care office"},
                    "percentage": {"type": "string", "pattern": PERCENTAGE_INPUT}}}}}},
    "SavingsYear": _object({
        "year": {"type": "integer"}, "settlement": {"type": "integer"}, "settlement_version": {"type": "integer"},
        "current": {"type": "boolean", "description": "false: its settlement was superseded by a correction"},
        "baseline": MONEY, "realised_cost": MONEY, "gate_met": {"type": "boolean"}, "savings": MONEY,
        "reason": {"type": "string", "description": "why there are no savings (empty when there are)"},
        "parties": {"type": "array", "items": _object({**SAVINGS_PARTY, "amount": MONEY})},
        "insurers": {"type": "array", "description": "the insurers' part over the funders, as far as the caller "
                                                     "may see who funds", "items": _object({
                                                         "insurer": {"type": "string"}, "amount": MONEY})}}),
}
EXPORT_TYPES = {"text/csv": {"schema": {"type": "string"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                    {"schema": {"type": "string", "format": "binary"}}}
SAVINGS_PATHS = {
    "/initiatives/{initiative_id}/savings-agreement": {
        "get": {"summary": "De afspraak over gedeelde besparingen (basislijn, kwaliteitspoort, verdeelsleutel)",
                "parameters": ID, "responses": {"200": _json(_ref("SavingsAgreement")), **ERRORS}},
        "put": {"summary": "Leg de afspraak vast of vervang haar (leidende verzekeraar, vóór het openen)",
                "parameters": ID,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": _ref("SavingsAgreementInput")}}},
                "responses": {"200": _json(_ref("SavingsAgreement")), **ERRORS}}},
    "/initiatives/{initiative_id}/savings": {"get": {
        "summary": "De gedeelde besparing per jaar met haar verdeling; CSV of XLSX met de Accept-header",
        "parameters": ID,
        "responses": {"200": {"description": "OK", "content": {
            "application/json": {"schema": _list("SavingsYear")}, **EXPORT_TYPES}}, **ERRORS}}},
}


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
    from innovatieregister.api.schema import EXPORTS, IDEMPOTENT, spec

    app = Flask(__name__)
    app.register_blueprint(bp)
    with app.app_context():
        generated = spec._generate_spec()  # noqa: SLF001  (its cached `spec` property would keep the first app's)
    for operations in generated["paths"].values():
        for op in operations.values():
            op.pop("tags", None) if not op.get("tags") else None
            if op["operationId"] in EXPORTS:
                op["responses"]["200"] = _exportable(op["responses"]["200"]["content"]["application/json"]["schema"])
            if op["operationId"] in IDEMPOTENT:
                op.setdefault("parameters", []).append(IDEMPOTENCY)
            for parameter in op.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                    parameter["schema"] = ID_SCHEMA  # inputs.IdConverter: any other number matches no route
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
                        **LIFECYCLE_SCHEMAS, **MONITORING_SCHEMAS, **PLAN_SCHEMAS, **PUBLIC_SCHEMAS,
                        **DASHBOARD_SCHEMAS, **SAVINGS_SCHEMAS, **SETTLEMENT_SCHEMAS},
            "responses": {"Problem": {"description": "Fout", "content": {
                "application/problem+json": {"schema": _ref("Problem")}}}},
        },
        "paths": {
            **CO_FUNDING_PATHS,
            **DASHBOARD_PATHS,
            **LIFECYCLE_PATHS,
            **MONITORING_PATHS,
            **PLAN_PATHS,
            **PUBLIC_PATHS,
            **SAVINGS_PATHS,
            **SETTLEMENT_PATHS,
        },
    }


# The public register (issue 12, api/public_register.py): no authentication, the public fields only.
_FRACTION = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{4}$",
             "description": "de fractie van de weg van nulmeting naar streefwaarde (1.0000: bereikt)"}
_PUBLIC_STATUS = {"type": "string", "enum": ["open", "fully_funded", "partially_funded", "active", "evaluated",
                                             "extended", "ended", "withdrawn"],
                  "description": "zoals iedereen hem ziet: een initiatief in bemiddeling staat hier zoals het "
                                 "zonder bemiddeling zou staan"}
_PUBLIC_REGION = _object({"code": {"type": "string"}, "name": {"type": "string"}})
_LICENCE = _object({"name": {"type": "string"}, "code": {"type": "string"}, "url": {"type": "string"}})
_PUBLIC_SUMMARY = {
    "id": {"type": "integer"}, "title": {"type": "string"}, "status": _PUBLIC_STATUS, "region": _PUBLIC_REGION,
    "providers": {"type": "array", "items": {"type": "string"}}, "published_on": DATE,
    "goals": {"type": "integer", "minimum": 0}, "goals_measured": {"type": "integer", "minimum": 0},
    "mean_progress": _FRACTION,
    "latest_verdict": {"type": ["string", "null"], "enum": ["on_track", "behind", "achieved", "not_achieved", None]},
    "url": {"type": "string", "description": "de openbare pagina"},
}
PUBLIC_SCHEMAS = {
    "Licence": _LICENCE,
    "PublicInitiativeSummary": _object(_PUBLIC_SUMMARY),
    "PublicInitiative": _object({
        "id": {"type": "integer"}, "title": {"type": "string"}, "status": _PUBLIC_STATUS, "region": _PUBLIC_REGION,
        "providers": {"type": "array", "items": {"type": "string"}},
        "description": {"type": "string"}, "substitution_from": {"type": "string"},
        "substitution_to": {"type": "string"}, "necessity_justification": {"type": "string"},
        "term_start": NULLABLE_DATE, "term_end": NULLABLE_DATE, "published_on": DATE,
        "goals": {"type": "array", "items": _object({
            "metric": {"type": "string"}, "baseline": {"type": "string"}, "target": {"type": "string"},
            "unit": {"type": "string"}, "target_date": DATE,
            "progress": _object({"status": {"type": "string"}, "fraction": _FRACTION,
                                 "latest_value": {"oneOf": [{"type": "null"}, QUANTITY]},
                                 "latest_on": NULLABLE_DATE})})},
        "evaluations": {"type": "array", "items": _object({
            "kind": {"type": "string", "enum": _KINDS},
            "verdict": {"type": "string", "enum": ["on_track", "behind", "achieved", "not_achieved"]},
            "recorded_on": DATE})},
        "licence": _ref("Licence"),
    }),
    "Publication": _object({"initiative_id": {"type": "integer"},
                            "published_at": {"type": ["string", "null"], "format": "date-time"},
                            "publish_on": NULLABLE_DATE}),
}
_PUBLIC_PAGE = _page("PublicInitiativeSummary")
_PUBLIC_PAGE["properties"]["licence"] = _ref("Licence")
_PUBLIC_PAGE["required"] = [*_PUBLIC_PAGE["required"], "licence"]
_PUBLIC_ERRORS = {"404": ERRORS["404"], "422": ERRORS["422"]}
PUBLIC_PATHS = {
    "/public/initiatives": {"get": {
        "summary": "Het openbare register: gepubliceerde initiatieven, de laatst gepubliceerde eerst (zonder account)",
        "description": "Alleen wat de leidende verzekeraar publiceerde, en daarvan alleen de openbare velden: nooit "
                       "besluiten, argumenten, aandelen, bedragen of bemiddeling. Open data onder CC0 1.0. "
                       "Antwoorden mogen 5 minuten worden bewaard (Cache-Control public, ETag).",
        "security": [],
        "parameters": [{"name": "region", "in": "query", "schema": _text(limits.CODE)},
                       {"name": "q", "in": "query", "schema": _text(limits.TITLE),
                        "description": "elk woord in de titel, het probleem of de substitutie"},
                       {"name": "theme", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                   "maximum": limits.ID_MAX},
                        "description": "een thema van een regioplan (/regions/{code}/plan)"},
                       *PAGE_PARAMETERS],
        "responses": {"200": _json(_PUBLIC_PAGE), "304": {"description": "Niet gewijzigd (If-None-Match)"},
                      **_PUBLIC_ERRORS}}},
    "/public/initiatives/{initiative_id}": {"get": {
        "summary": "Eén gepubliceerd initiatief: de openbare velden, doelen met voortgang en de evaluatie-oordelen",
        "security": [], "parameters": ID,
        "responses": {"200": _json(_ref("PublicInitiative")), "304": {"description": "Niet gewijzigd (If-None-Match)"},
                      **_PUBLIC_ERRORS}}},
    "/initiatives/{initiative_id}/publication": {
        "post": {
            "summary": "De leidende verzekeraar publiceert het initiatief in het openbare register, nu of op een datum",
            "description": "Zonder `publish_on` (of null): nu. Met een datum na vandaag: de planner publiceert het op "
                           "die dag, precies één keer. Een concept wordt niet gepubliceerd (409).",
            "parameters": ID,
            "requestBody": {"required": True, "content": {"application/json": {"schema": _object(
                {"publish_on": {**DATE_INPUT, "type": ["string", "null"]}}, required=[])}}},
            "responses": {"200": _json(_ref("Publication")), **ERRORS}},
        "delete": {
            "summary": "De leidende verzekeraar haalt het initiatief uit het openbare register (of annuleert de datum)",
            "parameters": ID, "responses": {"200": _json(_ref("Publication")), **ERRORS,
                                            # werkzeug's answer to DELETE on an id out of range
                                            "405": {"$ref": "#/components/responses/Problem"}}},
    },
}


# The figures (issue 12): computed only from what the caller may see (hidden decisions count as
# undecided). Exact ratios as decimal strings with four places.
RATIO = {"type": ["string", "null"], "pattern": r"^\d+\.\d{4}$",
         "description": "exact fraction to four decimals; null when there is nothing to divide by"}
_TOTALS = {"initiatives": {"type": "integer", "minimum": 0}, "annual_budget": MONEY, "committed": MONEY,
           "gap": MONEY, "coverage": RATIO}
_FACETS = ("asked", "decided", "follows", "declines", "in_time", "late", "overdue", "insufficient")
DASHBOARD_SCHEMAS = {
    "FundingTotals": _object(_TOTALS),
    "RegionDashboard": _object({
        "region": {"type": "string"},
        "funding": {**_ref("FundingTotals"), "description": "initiatives opened for decisions, not withdrawn or ended"},
        "by_status": {"type": "array", "items": _object({
            "status": SUMMARY["status"],
            "initiatives": {"type": "integer", "minimum": 0}, "annual_budget": MONEY})},
        "stalled": {"type": "array", "items": _object({
            "reason": {"type": "string", "enum": ["termijn", "gedeeltelijk", "bemiddeling"],
                       "description": "open past a deadline without a decision, partially funded, in mediation"},
            **_TOTALS})},
        "stalled_gap": MONEY,
        "themes": {"type": "array", "items": _object({
            "theme": {"type": ["integer", "null"]}, "name": {"type": "string"}, **_TOTALS})},
    }),
    "InsurerFigures": _object({
        "insurer": {"type": "string"}, "name": {"type": "string"},
        **{facet: {"type": "integer", "minimum": 0} for facet in _FACETS},
        "follow_rate": RATIO, "median_working_days_to_decision": RATIO}),
    "RegionFigures": _object({
        "region": {"type": "string"}, "name": {"type": "string"}, **_TOTALS, "stalled_gap": MONEY,
        "in_mediation": {"type": "integer", "minimum": 0}, "median_working_days_to_decision": RATIO}),
}
_SORTS = ["regio", "dekking", "vastgelopen", "bemiddeling", "besluittijd"]
DASHBOARD_PATHS = {
    "/regions/{code}/dashboard": {"get": {
        "summary": "Cijfers van een regio: per status, budget, toegezegd, tekort, dekking, vastgelopen, per thema",
        "parameters": [{"name": "code", "in": "path", "required": True, "schema": _text(limits.CODE)}],
        "responses": {"200": _json(_ref("RegionDashboard")), **ERRORS}}},
    "/dashboards/insurers": {"get": {
        "summary": "Per verzekeraar: volgpercentage, mediane besluittijd, op tijd/te laat, over de termijn, "
                   "onvoldoende onderbouwde afwijzingen (leidende verzekeraars van de regio, bemiddelaar, beheer)",
        "description": "Follow requests whose decisions the caller may see. Without `region` only for the mediator "
                       "and admins (all regions).",
        "parameters": [{"name": "region", "in": "query", "schema": _text(limits.CODE, minLength=1)}],
        "responses": {"200": _json(_object({"region": {"type": ["string", "null"]},
                                            "items": {"type": "array", "items": _ref("InsurerFigures")}})),
                      **ERRORS}}},
    "/dashboards/national": {"get": {
        "summary": "De regio's naast elkaar (bemiddelaar en beheer), sorteerbaar",
        "parameters": [{"name": "sort", "in": "query", "schema": {
            "type": "string", "enum": [*_SORTS, *("-" + s for s in _SORTS)],
            "description": "a column; '-' in front: descending"}}],
        "responses": {"200": _json(_object({"sort": {"type": "string"},
                                            "items": {"type": "array", "items": _ref("RegionFigures")}})),
                      **ERRORS}}},
}


# Settlement (nacalculatie, issue 11). GETs answer CSV (Dutch Excel) or XLSX when asked by Accept.
_NULL_MONEY = {"type": ["string", "null"], "pattern": r"^\d+\.\d{2}$"}
_PERIOD = {"type": "string", "pattern": r"^\d{4}$", "examples": ["2027"], "description": "a year of the term"}
_MONEY_INPUT = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "examples": ["998000.00"]}
_USE = {"type": "array", "maxItems": 100, "items": {
    "type": "object", "required": ["insurer", "units"], "properties": {
        "insurer": _text(limits.CODE, minLength=1, description="code of an insurer of the frozen key"),
        "units": {"type": "integer", "minimum": 0, "maximum": limits.IMPACT_VOLUME_MAX}}}}
_DATETIME = {"type": "string", "format": "date-time"}
_NULL_DATETIME = {"type": ["string", "null"], "format": "date-time"}
SETTLEMENT_SCHEMAS = {
    "Settlement": _object({
        "id": {"type": "integer"}, "period": {"type": "string"}, "version": {"type": "integer"},
        "state": {"type": "string", "enum": ["proposed", "contested", "final", "superseded"]},
        "basis": {"type": "string", "enum": ["market_share", "actual_use"]},
        "actual_cost": MONEY, "actual_volume": {"type": ["integer", "null"]}, "unit_price": _NULL_MONEY,
        "co_funding": MONEY, "allocated": MONEY,
        "uncovered": {**MONEY, "description": "the parts of insurers that do not fund: never moved to the funders"},
        "co_funders": {"type": "array", "items": _object({
            "organisation": {"type": "string"}, "pledged": MONEY, "counted": MONEY})},
        "lines": {"type": "array", "items": _object({
            "insurer": {"type": "string"}, "insured": {"type": "integer"}, "units": {"type": ["integer", "null"]},
            "allocated": MONEY, "advance": MONEY,
            "balance": {"type": "string", "pattern": r"^-?\d+\.\d{2}$",
                        "description": "allocated − advance for a funder: positive it pays, negative it gets back"},
            "funds": {"type": "boolean"}})},
        "cost_lines": {"type": "array", "items": _object({
            "description": {"type": "string"}, "budgeted": MONEY, "actual": MONEY})},
        "contests": {"type": "array", "items": _object({
            "id": {"type": "integer"}, "organisation": {"type": "string"}, "reasons": {"type": "string"},
            "created_at": _DATETIME, "resolved_at": _NULL_DATETIME, "resolution": {"type": "string"}})},
        "proposed_at": _DATETIME, "contest_deadline": DATE, "final_at": _NULL_DATETIME,
        "supersedes": {"type": ["integer", "null"]}, "explanation": {"type": "string"}}),
    "UseReport": _object({
        "id": {"type": "integer"}, "period": {"type": "string"},
        "state": {"type": "string", "enum": ["submitted", "confirmed", "rejected", "superseded"]},
        "organisation": {"type": "string"}, "filename": {"type": "string"}, "reasons": {"type": "string"},
        "use": {"type": "array", "items": _object({"insurer": {"type": "string"}, "units": {"type": "integer"}})}}),
}
_EXPORTABLE = {
    "application/json": None,
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                     "format": "binary"}},
}


def _exportable(schema: dict) -> dict:
    return {"description": "JSON, or with Accept: text/csv / the XLSX media type the export (Dutch Excel)",
            "content": {media: body or {"schema": schema} for media, body in _EXPORTABLE.items()}}


_SETTLEMENT_ID = [*ID, {"name": "settlement_id", "in": "path", "required": True, "schema": ID_SCHEMA}]
_SETTLEMENT = _json(_ref("Settlement"))


def _body_of(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


SETTLEMENT_PATHS = {
    "/initiatives/{initiative_id}/settlements": {
        "get": {"summary": "De nacalculaties die de aanroeper mag zien, elke versie", "parameters": ID,
                "responses": {"200": _exportable(_object({"items": {"type": "array", "items": _ref("Settlement")}})),
                              **ERRORS}},
        "post": {"summary": "Stel de nacalculatie van een jaar voor (penvoerder); opnieuw voor hetzelfde jaar is "
                            "een correctie (nieuwe versie)",
                 "description": "Werkelijke kosten als één bedrag (actual_cost), per kostenregel in de volgorde "
                                "van het initiatief (cost_lines), of bij prijs × volume het werkelijke volume "
                                "(actual_volume). Bij verrekening op werkelijk gebruik: use per verzekeraar, of de "
                                "bevestigde gebruiksopgave van het jaar.",
                 "parameters": ID,
                 "requestBody": _body_of({"type": "object", "required": ["period"], "properties": {
                     "period": _PERIOD, "actual_cost": _MONEY_INPUT,
                     "cost_lines": {"type": "array", "maxItems": limits.COST_LINES, "items": _MONEY_INPUT},
                     "actual_volume": {"type": "integer", "minimum": 0, "maximum": limits.IMPACT_VOLUME_MAX},
                     "use": _USE, "explanation": _text(limits.TEXT)}}),
                 "responses": {"201": _json(_ref("Settlement"), "Voorgesteld"), **ERRORS}}},
    "/initiatives/{initiative_id}/settlements/{settlement_id}": {"get": {
        "summary": "Eén nacalculatie", "parameters": _SETTLEMENT_ID,
        "responses": {"200": _exportable(_ref("Settlement")), **ERRORS}}},
    "/initiatives/{initiative_id}/settlements/{settlement_id}/contest": {"post": {
        "summary": "Maak bezwaar (financierende verzekeraar of medefinancier), binnen de bezwaartermijn",
        "parameters": _SETTLEMENT_ID,
        "requestBody": _body_of({"type": "object", "required": ["reasons"], "properties": {
            "reasons": _text(limits.TEXT, minLength=1)}}),
        "responses": {"201": _json(_ref("Settlement"), "Bezwaar vastgelegd"), **ERRORS}}},
    "/initiatives/{initiative_id}/settlements/{settlement_id}/contest/withdraw": {"post": {
        "summary": "Trek het bezwaar van de eigen organisatie in", "parameters": _SETTLEMENT_ID,
        "responses": {"200": _SETTLEMENT, **ERRORS}}},
    "/initiatives/{initiative_id}/settlements/{settlement_id}/mediation": {"post": {
        "summary": "Breng een betwiste nacalculatie naar de bemiddelaar (penvoerder of wie bezwaar maakte)",
        "parameters": _SETTLEMENT_ID,
        "requestBody": _body_of({"type": "object", "required": ["statement"], "properties": {
            "statement": _text(limits.TEXT, minLength=1)}}),
        "responses": {"201": _json(_object({"id": {"type": "integer"}, "state": {"type": "string"},
                                            "reason": {"type": "string"}, "settlement": {"type": "integer"}}),
                                   "Bemiddeling aangevraagd"), **ERRORS}}},
    "/initiatives/{initiative_id}/use-reports": {
        "get": {"summary": "Gebruiksopgaven (penvoerder en betrokken zorgaanbieders; verrekening op gebruik)",
                "parameters": ID,
                "responses": {"200": _json(_object({"items": {"type": "array", "items": _ref("UseReport")}})),
                              **ERRORS}},
        "post": {"summary": "Leg het gebruik per verzekeraar vast: van de penvoerder bevestigd, van een "
                            "zorgaanbieder ingediend ter bevestiging",
                 "parameters": ID,
                 "requestBody": _body_of({"type": "object", "required": ["period", "use"], "properties": {
                     "period": _PERIOD, "use": _USE}}),
                 "responses": {"201": _json(_ref("UseReport"), "Vastgelegd"), **ERRORS}}},
    "/use-reports/{report_id}/decision": {"post": {
        "summary": "De penvoerder bevestigt een gebruiksopgave of wijst haar af (met redenen)",
        "parameters": [{"name": "report_id", "in": "path", "required": True, "schema": ID_SCHEMA}],
        "requestBody": _body_of({"type": "object", "required": ["decision"], "properties": {
            "decision": {"type": "string", "enum": ["confirm", "reject"]}, "reasons": _text(limits.TEXT)}}),
        "responses": {"200": _json(_ref("UseReport")), **ERRORS}}},
}
