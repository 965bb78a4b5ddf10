"""The monitor of an initiative (measurements, progress, process log) and its documents."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from innovatieregister import clock, inputs
from innovatieregister.account.forms import show_errors
from innovatieregister.domain.documents import ALLOWED_TEXT
from innovatieregister.domain.progress import STATUS_LABELS
from innovatieregister.monitoring.chart import chart
from innovatieregister.monitoring.forms import DocumentForm, MeasurementForm, MeasurementsFileForm, ProcessEntryForm
from innovatieregister.policies import allow, any_user
from innovatieregister.services import Conflict, Invalid, documents, monitoring
from innovatieregister.services.documents import Upload
from innovatieregister.services.monitoring import MeasurementInput, ProcessEntryInput

bp = Blueprint("monitoring", __name__, url_prefix="/initiatieven/<int:initiative_id>")

# Each form's prefix: one page holds them all, and their fields share names (kind, file).
PREFIXES = {"measurement": "meting", "upload": "csv", "entry": "log"}


def _forms(posted: str | None = None) -> dict[str, FlaskForm]:
    """The monitor's forms; only the posted one reads the request."""
    classes = {"measurement": MeasurementForm, "upload": MeasurementsFileForm, "entry": ProcessEntryForm}
    return {name: cls(prefix=PREFIXES[name], **({} if name == posted else {"formdata": None}))
            for name, cls in classes.items()}


def _monitor_page(initiative_id: int, forms: dict[str, FlaskForm], problems=(), status: int = 200):
    view = monitoring.monitor(current_user, initiative_id, inputs.page_number(), inputs.page_cursor())
    forms["measurement"].goal.choices = [(str(g.goal.id), g.goal.metric) for g in view.goals]
    return render_template("monitoring/monitor.html", view=view, forms=forms, problems=list(problems),
                           chart=chart, status_labels=STATUS_LABELS), status


def _refused(initiative_id: int, forms: dict[str, FlaskForm], form: FlaskForm, error):
    """A use case refused: bad input next to its fields (422); a state that does not allow it, the
    reason above the form (409). (Not found and not allowed are errors.service_error's.)"""
    rest = show_errors(form, error.field_errors)
    return _monitor_page(initiative_id, forms, [error.message, *rest], error.status)


@bp.route("/monitor")
@allow(any_user)
def monitor(initiative_id: int):
    return _monitor_page(initiative_id, _forms())


def _submit(initiative_id: int, posted: str, not_saved: str, use_case, anchor: str = ""):
    """Run one monitor use case from its form: bad input next to its fields (422), nothing saved;
    done, the use case's own message and back to the monitor."""
    forms = _forms(posted)
    form = forms[posted]
    if not form.validate():
        return _monitor_page(initiative_id, forms, [not_saved], 422)
    try:
        done = use_case(form)
    except (Invalid, Conflict) as error:
        return _refused(initiative_id, forms, form, error)
    flash(done, "success")
    return redirect(url_for("monitoring.monitor", initiative_id=initiative_id) + anchor)


@bp.route("/monitor/metingen", methods=["POST"])
@allow(any_user)
def add_measurement(initiative_id: int):
    def record(form) -> str:
        monitoring.record_measurement(current_user, initiative_id, MeasurementInput(
            form.goal.data, form.kind.data, form.measured_on.data, form.value.data or "", form.unit.data or "",
            form.source.data or ""), clock.today())
        return _("De meting is vastgelegd.")

    return _submit(initiative_id, "measurement", _("De meting is niet opgeslagen."), record)


@bp.route("/monitor/csv", methods=["POST"])
@allow(any_user)
def upload_measurements(initiative_id: int):
    def read(form) -> str:
        try:
            text = form.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(_("Er is niets geïmporteerd."), {
                "file": [_("Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).")]}) from None
        imported = monitoring.import_measurements(current_user, initiative_id, text, clock.today())
        return _("%(n)s metingen ingelezen.", n=len(imported))

    return _submit(initiative_id, "upload", _("Er is niets geïmporteerd."), read)


@bp.route("/monitor/proceslogboek", methods=["POST"])
@allow(any_user)
def add_process_entry(initiative_id: int):
    def write(form) -> str:
        monitoring.add_process_entry(current_user, initiative_id, ProcessEntryInput(
            form.occurred_on.data, form.kind.data, form.text.data or ""), clock.today())
        return _("De aantekening staat in het proceslogboek.")

    return _submit(initiative_id, "entry", _("De aantekening is niet opgeslagen."), write, "#proceslogboek")


# Documents ----------------------------------------------------------------------------------------

def _documents_page(initiative_id: int, form: DocumentForm, problems=(), status: int = 200):
    view = documents.list_for(current_user, initiative_id, inputs.page_number(), cursor=inputs.page_cursor())
    return render_template("monitoring/documents.html", view=view, page=view.page, form=form,
                           problems=list(problems), allowed=ALLOWED_TEXT), status


@bp.route("/documenten", methods=["GET", "POST"])
@allow(any_user)
def documents_page(initiative_id: int):
    form = DocumentForm()
    if not form.is_submitted():
        return _documents_page(initiative_id, form)
    if not form.validate():
        return _documents_page(initiative_id, form, [_("Het document is niet opgeslagen.")], 422)
    upload = form.file.data
    try:
        document = documents.upload(current_user, initiative_id, Upload(
            upload.filename or "", upload.read(), form.title.data or "", form.kind.data))
    except Invalid as invalid:
        return _documents_page(initiative_id, form, [invalid.message, *show_errors(form, invalid.field_errors)], 422)
    flash(_("'%(title)s' is toegevoegd.", title=document.title), "success")
    return redirect(url_for("monitoring.documents_page", initiative_id=initiative_id))


@bp.route("/documenten/<int:document_id>")
@allow(any_user)
def download(initiative_id: int, document_id: int):
    document, content = documents.content_of(current_user, document_id)
    if document.initiative_id != initiative_id:
        abort(404)
    return document_response(document, content)


def document_response(document, content: bytes):
    """A stored file as a download: never shown inline, never sniffed, never cached by a proxy."""
    response = send_file(io.BytesIO(content), mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, etag=document.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
