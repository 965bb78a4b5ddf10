"""The monitors through the API (issue 10): measurements (one, a list, or a CSV file), the
process log and documents, with the same services and rules as the web pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

from flask import request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, Field, RootModel, TypeAdapter, model_validator
from spectree.model_adapter.pydantic_adapter import BaseFile
from werkzeug.datastructures import FileStorage

from innovatieregister import clock, limits
from innovatieregister.api import bp, quantity
from innovatieregister.api.schema import (
    Choice,
    DateIn,
    Form,
    IdIn,
    In,
    Out,
    PageQuery,
    Problem,
    Quantity,
    QuantityIn,
    Text,
    body,
    form,
    list_of,
    listing,
    operation,
    page_of,
    query,
    responses,
)
from innovatieregister.domain.documents import ALLOWED
from innovatieregister.domain.monitoring import DocumentKind, MeasurementKind, ProcessEntryKind
from innovatieregister.monitoring.views import document_response
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Invalid, documents, monitoring
from innovatieregister.services.documents import Upload
from innovatieregister.services.monitoring import MeasurementInput, ProcessEntryInput

DOCUMENT_TYPES = tuple(kind.content_type for kind in ALLOWED)
# werkzeug's answer past MAX_CONTENT_LENGTH (errors.problem writes it)
TOO_LARGE: dict[int, type[BaseModel] | None] = {413: Problem}


# Measurements -------------------------------------------------------------------------------------

class Measurement(Out):
    id: int
    goal_id: int
    kind: MeasurementKind
    measured_on: date
    value: Quantity
    unit: str
    source: str
    organisation: str = Field(description="code of the organisation that entered it")


class MeasurementIn(In):
    goal_id: IdIn = Field(description="a goal of this initiative (Initiative.goals[].id)")
    kind: Choice(MeasurementKind)  # type: ignore[valid-type]
    measured_on: DateIn = Field(description="not after today; jjjj-mm-dd, of dd-mm-jjjj")
    value: QuantityIn
    unit: Text(limits.UNIT, description="empty: the goal's unit") = ""  # type: ignore[valid-type]
    source: Text(limits.LINE) = ""  # type: ignore[valid-type]

    def to_input(self) -> MeasurementInput:
        return MeasurementInput(self.goal_id, self.kind, self.measured_on, self.value, self.unit, self.source)


_Many = Annotated[list[MeasurementIn], Field(min_length=1, max_length=limits.MEASUREMENTS_PER_UPLOAD)]
_ONE, _MANY = TypeAdapter(MeasurementIn), TypeAdapter(_Many)


class MeasurementsIn(RootModel[MeasurementIn | _Many]):
    """One measurement or a list of them (all or nothing); a list's faults are named by its row (`3-value`)."""

    @model_validator(mode="wrap")
    @classmethod
    def _one_or_many(cls, value: Any, handler: Any) -> MeasurementsIn:
        if isinstance(value, cls):
            return value
        # Only the shape the caller sent is checked, so its faults are named as sent (not per union member).
        return cls.model_construct(root=(_MANY if isinstance(value, list) else _ONE).validate_python(value))


class MeasurementQuery(PageQuery):
    goal_id: IdIn | None = None


def measurement_json(m) -> Measurement:
    return Measurement(id=m.id, goal_id=m.goal_id, kind=m.kind, measured_on=m.measured_on,
                       value=cast(str, quantity(m.value)),  # a measurement always has its value
                       unit=m.unit, source=m.source, organisation=m.organisation.code)


MeasurementList = list_of(Measurement)


class MeasurementsOut(RootModel[Measurement | MeasurementList]):  # type: ignore[valid-type]
    """What was stored: the one measurement sent, or the list (from a list or a CSV file)."""


# GET and POST on one rule (a MethodView): two rules on one path answer an id out of range with a 405, not a 404.
class Measurements(MethodView):
    @operation(query=MeasurementQuery, resp=responses(page_of(Measurement)))
    def get(self, initiative_id: int):
        """Metingen van de doelen van een initiatief, nieuwste eerst"""
        args: MeasurementQuery = query()
        page = monitoring.measurements(current_user, initiative_id, args.goal_id, **args.paging())
        return listing(page, [measurement_json(m) for m in page.items])

    @operation(json=MeasurementsIn, csv=True, resp=responses(MeasurementsOut, 201, also=TOO_LARGE))
    def post(self, initiative_id: int):
        """Leg metingen vast: één, een lijst of een CSV-bestand (alles of niets)

        Voor de leidende verzekeraar en de betrokken zorgaanbieders. CSV-kolommen: doel, soort (nulmeting, periodiek,
        eind), datum, waarde, en naar keuze eenheid en bron; elke foute regel wordt met zijn nummer gemeld en dan
        wordt niets opgeslagen."""
        if request.mimetype == "text/csv":
            imported = monitoring.import_measurements(current_user, initiative_id, request.get_data(as_text=True),
                                                      clock.today())
            return {"items": [measurement_json(m).model_dump(mode="json") for m in imported]}, 201
        sent = body().root
        if isinstance(sent, list):
            stored = monitoring.record_measurements(current_user, initiative_id, [m.to_input() for m in sent],
                                                    clock.today())
            return {"items": [measurement_json(m) for m in stored]}, 201
        return measurement_json(monitoring.record_measurement(current_user, initiative_id, sent.to_input(),
                                                              clock.today())), 201


# The process log ----------------------------------------------------------------------------------

class ProcessLogEntry(Out):
    id: int
    occurred_on: date
    kind: ProcessEntryKind
    text: str
    organisation: str


class ProcessEntryIn(In):
    occurred_on: DateIn = Field(description="not after today; jjjj-mm-dd, of dd-mm-jjjj")
    kind: Choice(ProcessEntryKind)  # type: ignore[valid-type]
    text: Text(limits.TEXT, min_length=1)  # type: ignore[valid-type]


def process_entry_json(e) -> ProcessLogEntry:
    return ProcessLogEntry(id=e.id, occurred_on=e.occurred_on, kind=e.kind, text=e.text,
                           organisation=e.organisation.code)


class ProcessLog(MethodView):
    @operation(query=PageQuery, resp=responses(page_of(ProcessLogEntry)))
    def get(self, initiative_id: int):
        """Het proceslogboek, nieuwste eerst"""
        args: PageQuery = query()
        page = monitoring.process_log(current_user, initiative_id, **args.paging())
        return listing(page, [process_entry_json(e) for e in page.items])

    @operation(json=ProcessEntryIn, resp=responses(ProcessLogEntry, 201))
    def post(self, initiative_id: int):
        """Een aantekening in het proceslogboek (leidende verzekeraar, betrokken aanbieders, financierende
        verzekeraars)"""
        data: ProcessEntryIn = body()
        entry = monitoring.add_process_entry(current_user, initiative_id,
                                             ProcessEntryInput(data.occurred_on, data.kind, data.text), clock.today())
        return process_entry_json(entry), 201


# Documents ----------------------------------------------------------------------------------------

class Document(Out):
    id: int
    title: str
    kind: DocumentKind
    filename: str
    content_type: str = Field(description="told by the file's bytes", json_schema_extra={"enum": list(DOCUMENT_TYPES)})
    size_bytes: int
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    organisation: str
    created_at: datetime
    content: str = Field(description="where to download it")


class DocumentForm(Form):
    file: BaseFile = Field(description=f"at most {limits.DOCUMENT_BYTES_MAX} bytes")
    title: Text(limits.TITLE) = ""  # type: ignore[valid-type]
    kind: DocumentKind = DocumentKind.OTHER


def document_json(d) -> Document:
    return Document(id=d.id, title=d.title, kind=d.kind, filename=d.filename, content_type=d.content_type,
                    size_bytes=d.size_bytes, sha256=d.sha256, organisation=d.organisation.code,
                    created_at=d.created_at, content=url_for("api.document_content", document_id=d.id))


class Documents(MethodView):
    @operation(query=PageQuery, resp=responses(page_of(Document)))
    def get(self, initiative_id: int):
        """Documenten van een initiatief (alleen voor de partijen)"""
        args: PageQuery = query()
        page = documents.list_for(current_user, initiative_id, **args.paging()).page
        return listing(page, [document_json(d) for d in page.items])

    @operation(form=DocumentForm, resp=responses(Document, 201, also=TOO_LARGE))
    def post(self, initiative_id: int):
        """Voeg een document toe (PDF, XLSX, DOCX of CSV; het soort blijkt uit de inhoud)"""
        data: DocumentForm | None = form()
        if data is None or not isinstance(data.file, FileStorage):  # not multipart, or 'file' sent as text
            raise Invalid(_("De invoer is ongeldig."),
                          {"file": [_("Stuur het bestand als multipart/form-data in 'file'.")]})
        document = documents.upload(current_user, initiative_id, Upload(
            data.file.filename or "", data.file.read(), data.title, data.kind))
        return document_json(document), 201, {"Location": url_for("api.document_content", document_id=document.id)}


# The endpoints keep their names from before the MethodViews.
for _path, _resource, _endpoint in (("measurements", Measurements, "measurements"),
                                    ("process-log", ProcessLog, "process_log"),
                                    ("documents", Documents, "initiative_documents")):
    bp.add_url_rule(f"/initiatives/<int:initiative_id>/{_path}",
                    view_func=allow(any_user)(_resource.as_view(_endpoint)))


@bp.route("/documents/<int:document_id>/content")
@allow(any_user)
@operation(resp=responses(None), files=DOCUMENT_TYPES)
def document_content(document_id: int):
    """Download een document (Content-Disposition: attachment)"""
    return document_response(*documents.content_of(current_user, document_id))
