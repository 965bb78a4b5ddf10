"""Generic error pages in the reader's language: never a stack trace."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from wtforms import Form
from wtforms.fields.core import UnboundField

from innovatieregister import limits
from innovatieregister.domain.text import N_
from innovatieregister.extensions import db
from innovatieregister.inputs import BadInput
from innovatieregister.services import ServiceError

# Dutch, marked for the catalogue; `_messages` says them in the reader's language.
MESSAGES = {
    400: (N_("Ongeldig verzoek"), N_("Het verzoek kon niet worden verwerkt.")),
    401: (N_("Niet ingelogd"), N_("Log in om verder te gaan.")),
    403: (N_("Geen toegang"), N_("U hebt geen toegang tot deze pagina of handeling.")),
    404: (N_("Niet gevonden"), N_("Deze pagina bestaat niet (meer).")),
    405: (N_("Niet toegestaan"), N_("Deze handeling is op deze pagina niet mogelijk.")),
    409: (N_("Conflict"), N_("De handeling botst met de huidige stand van zaken.")),
    413: (N_("Bestand te groot"), N_("Het bestand is groter dan toegestaan: hoogstens %(mb)s MB. "
                                     "Er is niets opgeslagen.")),
    422: (N_("Ongeldige invoer"), N_("De invoer is niet geldig.")),
    500: (N_("Er ging iets mis"), N_("Er ging iets mis aan onze kant. Er is niets gewijzigd; probeer "
                                     "het later opnieuw.")),
}


def _messages(code: int) -> tuple[str, str]:
    """The title and message for `code`, in the reader's language."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return _(title), _(message, mb=limits.DOCUMENT_BYTES_MAX // (1024 * 1024))


def render_error(code: int, detail: str | None = None, errors: dict[str, list[str]] | None = None,
                 bare: bool = False, back: str | None = None):
    """The error page (or problem document) for `code`. `bare`: after a database error the page
    must not touch the database again (no menu, no notification count, no user details)."""
    title, message = _messages(code)
    if _for_api():
        return problem(code, detail or message, errors)
    return render_template("errors/error.html", code=code, title=title, message=detail or message,
                           errors=errors or {}, bare=bare, back=back), code


def _for_api() -> bool:
    """A request to the API (also one no API route matched) is answered with a problem document."""
    return request.blueprint == "api" or request.path.startswith("/api/")


_ROW_KEY = re.compile(r"^(\w+)-(\d+)-(\w+)$")


def _label(key: str) -> str:
    """The label a person saw for a form field key, from the forms of the blueprint that
    answers this URL; a readable phrase when no single label fits."""
    if key in request.args:
        return _("Het webadres")
    view = current_app.view_functions.get(request.endpoint or "")
    package = view.__module__.rpartition(".")[0] if view else ""
    row = _ROW_KEY.match(key)
    name = row.group(3) if row else key.rpartition("-")[2]  # a row's column; a prefixed form's field
    labels = set()
    forms: list[type] = [Form]
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        # Rows are plain Forms inside a FlaskForm; a page's own fields are the FlaskForm's.
        if not package or not form.__module__.startswith(package + ".") or issubclass(form, FlaskForm) == bool(row):
            continue
        field = getattr(form, name, None)
        if isinstance(field, UnboundField):
            text = field.args[0] if field.args else field.kwargs.get("label")
            if isinstance(text, str | LazyString):  # a label marked for translation (lazy_gettext) too
                labels.add(str(text))
    if len(labels) != 1:
        return _("Een veld van het formulier")
    text = labels.pop()
    return _("%(label)s (regel %(row)s)", label=text, row=row.group(2)) if row else text


def _same_site_referrer() -> str | None:
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def problem(status: int, detail: str, errors: dict[str, list[str]] | None = None):
    """An RFC 9457 problem document, as the API answers every error."""
    title = _messages(status)[0]
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="innovatieregister"'
    return response


def service_error(error: ServiceError):
    """A refused use case, the one mapping for every blueprint (Cosmic Python's entrypoint): its status
    (404 not found, 403 not allowed, 409 conflict, 422 invalid) with its message, already said in the
    reader's language by the service. The API answers a problem document with the field keys; a page
    names each field by the label the person saw. A view catches a service error only to do more
    than this: show the messages next to a form's fields, or flash them and go back."""
    if _for_api():
        return problem(error.status, error.message, error.field_errors or None)
    return render_error(error.status, error.message, _labelled(error.field_errors))


def _labelled(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    labelled: dict[str, list[str]] = {}
    for key, messages in errors.items():
        labelled.setdefault(_label(key), []).extend(messages)
    return labelled


def _as_response(result) -> tuple:
    if isinstance(result, tuple):
        return make_response(result[0]), result[1]
    return result, result.status_code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_error(400, _("Het formulier is verlopen of ongeldig (CSRF). "
                                   "Laad de pagina opnieuw en probeer het nog eens."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(BadInput)
    def _bad_input(error: BadInput):
        # The guard refuses before any view, so no form is there to show the message next to
        # its field; letting the text through to the view would let it reach a service. So the
        # page names the field by the label the person saw and leads back to the form, where the
        # browser's back button keeps what was typed. The API keeps the field keys.
        if _for_api():
            return render_error(422, error.message, error.errors)
        return render_error(422, error.message, _labelled(error.errors), back=_same_site_referrer())

    app.register_error_handler(ServiceError, service_error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        app.logger.exception("unhandled error", exc_info=error)
        # First end the failed transaction: on PostgreSQL every later query in it would fail too.
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection itself may be gone; the page needs none
            app.logger.exception("rollback after an unhandled error failed")
        response, status = _as_response(render_error(InternalServerError.code, bare=True))
        response.headers["Cache-Control"] = "no-store"
        return response, status
