"""The life-cycle forms. Field names are the ones services.lifecycle names in its per-field errors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from innovatieregister import limits
from innovatieregister.domain.monitoring import EndOutcome, MeasurementKind, Verdict
from innovatieregister.inputs import max_length
from innovatieregister.labels import choices, label


def _checkboxes(label: str) -> SelectMultipleField:
    return SelectMultipleField(label, validate_choice=False, widget=widgets.ListWidget(prefix_label=False),
                               option_widget=widgets.CheckboxInput())


class ActivateForm(FlaskForm):
    gap_acceptance_reasons = TextAreaField(_l("Waarom accepteert u het financieringstekort?"),
                                           [max_length(limits.TEXT)])
    confirmed = HiddenField()  # set on the confirmation step: only then does anything change


class EvaluationForm(FlaskForm):
    kind = SelectField(_l("Soort evaluatie"), validate_choice=False, choices=choices(MeasurementKind))
    verdict = RadioField(_l("Oordeel"), validate_choice=False, choices=choices(Verdict))
    reasoning = TextAreaField(_l("Onderbouwing"), [max_length(limits.TEXT)])
    measurements = _checkboxes(_l("Metingen waarop het oordeel rust"))
    documents = _checkboxes(_l("Documenten"))


class ExtendForm(FlaskForm):
    new_end = StringField(_l("Nieuwe einddatum (dd-mm-jjjj)"), [max_length(limits.CODE)])
    reasons = TextAreaField(_l("Redenen voor de verlenging"), [max_length(limits.TEXT)])


class EndForm(FlaskForm):
    outcome = RadioField(_l("Wat gebeurt er met de zorg?"), validate_choice=False, choices=choices(EndOutcome))
    reasons = TextAreaField(_l("Redenen om te beëindigen"), [max_length(limits.TEXT)])
    confirmed = HiddenField()


def calendar_form(moments, **kwargs) -> FlaskForm:
    """One date field per planned moment, named `moment_<id>` as the service reports its errors."""

    class CalendarForm(FlaskForm):
        pass

    for view in moments:
        moment = view.moment
        setattr(CalendarForm, f"moment_{moment.id}", StringField(
            _("%(moment)s (dd-mm-jjjj)", moment=label(moment.kind)), [max_length(limits.CODE)],
            default=limits.date_input(moment.due_on)))
    return CalendarForm(**kwargs)


def chosen_ids(values) -> list[int]:
    """Ids ticked in a form; anything that is no id becomes 0, which the service refuses."""
    return [int(v) if v.isascii() and v.isdigit() and len(v) <= len(str(limits.ID_MAX)) else 0
            for v in values or []]


class WithdrawForm(FlaskForm):
    reasons = TextAreaField(_l("Redenen om in te trekken"), [max_length(limits.TEXT)])
    confirmed = HiddenField()
