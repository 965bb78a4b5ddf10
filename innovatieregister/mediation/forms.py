"""The mediation forms. Field names are the ones the services name in their per-field errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.core import Label

from innovatieregister import limits
from innovatieregister.inputs import max_length
from innovatieregister.models import Finding, MediationReason
from innovatieregister.models.mediation import MEDIATION_LABELS


class MediationRequestForm(FlaskForm):
    reason = SelectField(_l("Reden"), validate_choice=False,
                         choices=[(r.value, MEDIATION_LABELS[r]) for r in MediationReason])
    request = SelectField(_l("Over het verzoek aan (bij afwijzing of verstreken termijn)"), validate_choice=False)
    statement = TextAreaField(_l("Waarom vraagt u bemiddeling?"), [max_length(limits.TEXT)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [(r.value, MEDIATION_LABELS[r]) for r in MediationReason]  # the reader's language


class StatementRequestForm(FlaskForm):
    party = SelectField(_l("Aan"), validate_choice=False)
    question = TextAreaField(_l("Vraag"), [max_length(limits.TEXT)])
    deadline = StringField(_l("Uiterlijk (dd-mm-jjjj)"), [max_length(limits.CODE)])


class FindingForm(FlaskForm):
    finding = RadioField(_l("Bevinding"), validate_choice=False,
                         choices=[(f.value, MEDIATION_LABELS[f]) for f in Finding])
    reasoning = TextAreaField(_l("Onderbouwing"), [max_length(limits.TEXT)])
    confirmed = HiddenField()  # set on the confirmation step: only then is the finding recorded

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.finding.choices = [(f.value, MEDIATION_LABELS[f]) for f in Finding]  # the reader's language


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Notitie"), [max_length(limits.TEXT)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Uw zienswijze"), [max_length(limits.TEXT)])


def answer_form(statement_id: int, posted: bool) -> AnswerForm:
    """The answer form of one statement request. A page can hold several: each gets its own id,
    while the posted name stays `answer`. Only the one just posted shows what was typed."""
    form = AnswerForm() if posted else AnswerForm(formdata=None)
    form.answer.id = f"answer-{statement_id}"
    form.answer.label = Label(form.answer.id, form.answer.label.text)
    return form
