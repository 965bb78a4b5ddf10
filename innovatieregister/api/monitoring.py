"""The monitors through the API (issue 10): measurements (one, a list, or a CSV file), the
process log and documents, with the same services and rules as the web pages."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from innovatieregister import clock, inputs, limits
from innovatieregister.api import QUANTITY_INPUT, _body, _field, _int_arg, _page_args, _texts, bp, listing, quantity
from innovatieregister.monitoring.views import document_response
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, documents, monitoring
from innovatieregister.services.documents import Upload
from innovatieregister.services.monitoring import MeasurementInput, ProcessEntryInput


def _listing(page, to_json) -> dict:
    return listing(page, [to_json(item) for item in page.items])


# Measurements -------------------------------------------------------------------------------------

def measurement_json(m) -> dict:
    return {"id": m.id, "goal_id": m.goal_id, "kind": m.kind.value, "measured_on": m.measured_on.isoformat(),
            "value": quantity(m.value), "unit": m.unit, "source": m.source, "organisation": m.organisation.code}


def _measurement_input(obj, key: str, errors: dict) -> MeasurementInput:
    """One measurement of a JSON body; type errors at `key-field` (`field` for a single object)."""
    def at(name):
        return f"{key}-{name}" if key else name

    if not isinstance(obj, dict):
        errors.setdefault(key or "body", []).append("Een meting is een object met goal_id, kind, measured_on en value.")
        return MeasurementInput(None, "", None, "")
    goal_id = obj.get("goal_id")
    if not isinstance(goal_id, int) or isinstance(goal_id, bool):
        errors.setdefault(at("goal_id"), []).append("Verwacht: het id van een doel (geheel getal).")
    texts = _texts(obj, ("kind", "measured_on", "value", "unit", "source"), key, errors)
    if not QUANTITY_INPUT.match(texts["value"]):
        errors.setdefault(at("value"), []).append(
            'Een getal als tekst met een punt en hoogstens vier decimalen, bijv. "2.9".')
    for name in ("kind", "measured_on"):
        if not texts[name]:
            errors.setdefault(at(name), []).append("Dit veld is verplicht.")
    return MeasurementInput(goal_id, texts["kind"], texts["measured_on"] or None, texts["value"], texts["unit"],
                            texts["source"])


# One rule per path for both methods: an id out of range is then a 404, not a 405 from the other rule.
@bp.route("/initiatives/<int:initiative_id>/measurements", methods=["GET", "POST"])
@allow(any_user)
def measurements(initiative_id: int):
    return add_measurements(initiative_id) if request.method == "POST" else list_measurements(initiative_id)


def list_measurements(initiative_id: int):
    args = _page_args("goal_id")
    goal_id = _int_arg("goal_id", 1, limits.ID_MAX) if "goal_id" in request.args else None
    return _listing(monitoring.measurements(current_user, initiative_id, goal_id, **args), measurement_json)


def add_measurements(initiative_id: int):
    if request.mimetype == "text/csv":
        imported = monitoring.import_measurements(current_user, initiative_id, request.get_data(as_text=True),
                                                  clock.today())
        return {"items": [measurement_json(m) for m in imported]}, 201
    body = _body_or_list()
    errors: dict[str, list[str]] = {}
    if isinstance(body, list):
        data = [_measurement_input(item, str(n), errors) for n, item in enumerate(body, start=1)]
        if errors:
            raise Invalid("De invoer is ongeldig.", errors)
        stored = monitoring.record_measurements(current_user, initiative_id, data, clock.today())
        return {"items": [measurement_json(m) for m in stored]}, 201
    data = _measurement_input(body, "", errors)
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    return measurement_json(monitoring.record_measurement(current_user, initiative_id, data, clock.today())), 201


def _body_or_list():
    """A JSON object or a list of them."""
    body = inputs.json_body()
    if not isinstance(body, dict | list):
        return _body()  # refuses with the usual message
    return body


# The process log ----------------------------------------------------------------------------------

def process_entry_json(e) -> dict:
    return {"id": e.id, "occurred_on": e.occurred_on.isoformat(), "kind": e.kind.value, "text": e.text,
            "organisation": e.organisation.code}


@bp.route("/initiatives/<int:initiative_id>/process-log", methods=["GET", "POST"])
@allow(any_user)
def process_log(initiative_id: int):
    return add_process_entry(initiative_id) if request.method == "POST" else list_process_log(initiative_id)


def list_process_log(initiative_id: int):
    return _listing(monitoring.process_log(current_user, initiative_id, **_page_args()), process_entry_json)


def add_process_entry(initiative_id: int):
    errors: dict[str, list[str]] = {}
    body = _body()
    data = ProcessEntryInput(_field(body, "occurred_on", str, errors, required=True),
                             _field(body, "kind", str, errors, required=True) or "",
                             _field(body, "text", str, errors, required=True) or "")
    if errors:
        raise Invalid("De invoer is ongeldig.", errors)
    entry = monitoring.add_process_entry(current_user, initiative_id, data, clock.today())
    return process_entry_json(entry), 201


# Documents ----------------------------------------------------------------------------------------

def document_json(d) -> dict:
    return {"id": d.id, "title": d.title, "kind": d.kind.value, "filename": d.filename,
            "content_type": d.content_type, "size_bytes": d.size_bytes, "sha256": d.sha256,
            "organisation": d.organisation.code, "created_at": d.created_at.isoformat(),
            "content": url_for("api.document_content", document_id=d.id)}


@bp.route("/initiatives/<int:initiative_id>/documents", methods=["GET", "POST"])
@allow(any_user)
def initiative_documents(initiative_id: int):
    return upload_document(initiative_id) if request.method == "POST" else list_documents(initiative_id)


def list_documents(initiative_id: int):
    return _listing(documents.list_for(current_user, initiative_id, **_page_args()).page, document_json)


def upload_document(initiative_id: int):
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("De invoer is ongeldig.", {"file": ["Stuur het bestand als multipart/form-data in 'file'."]})
    document = documents.upload(current_user, initiative_id, Upload(
        upload.filename or "", upload.read(), request.form.get("title", ""), request.form.get("kind", "other")))
    return document_json(document), 201, {"Location": url_for("api.document_content", document_id=document.id)}


@bp.route("/documents/<int:document_id>/content")
@allow(any_user)
def document_content(document_id: int):
    return document_response(*documents.content_of(current_user, document_id))
