"""The monitor's forms. Field names are the ones the services name in their per-field errors;
each form has a prefix, so several share one page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.domain.monitoring import DocumentKind, MeasurementKind, ProcessEntryKind
from innovatieregister.inputs import max_length
from innovatieregister.labels import choices


class MeasurementForm(FlaskForm):
    goal = SelectField(_l("Doel"), validate_choice=False)
    kind = SelectField(_l("Soort meting"), validate_choice=False, choices=choices(MeasurementKind))
    measured_on = StringField(_l("Meetdatum (dd-mm-jjjj)"), [max_length(limits.CODE)])
    value = StringField(_l("Waarde"), [max_length(limits.CODE)])
    unit = StringField(_l("Eenheid (leeg: die van het doel)"), [max_length(limits.UNIT)])
    source = StringField(_l("Bron"), [max_length(limits.LINE)])


class MeasurementsFileForm(FlaskForm):
    file = FileField(_l("CSV-bestand met metingen"), validators=[FileRequired(_l("Kies een CSV-bestand."))])


class ProcessEntryForm(FlaskForm):
    occurred_on = StringField(_l("Datum (dd-mm-jjjj)"), [max_length(limits.CODE)])
    kind = SelectField(_l("Onderwerp"), validate_choice=False, choices=choices(ProcessEntryKind))
    # "Aantekening", not "notitie": that word belongs to the mediator's private notes, which no party may see a sign of.
    text = TextAreaField(_l("Aantekening"), [max_length(limits.TEXT)])


class DocumentForm(FlaskForm):
    file = FileField(_l("Bestand (PDF, XLSX, DOCX of CSV)"), validators=[FileRequired(_l("Kies een bestand."))])
    title = StringField(_l("Titel (leeg: de bestandsnaam)"), [max_length(limits.TITLE)])
    kind = SelectField(_l("Soort document"), validate_choice=False, choices=choices(DocumentKind))
