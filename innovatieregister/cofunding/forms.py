"""The co-funding forms. Field names are the ones services.co_funding names in its per-field errors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.inputs import max_length


class PledgeForm(FlaskForm):
    organisation = SelectField(_l("Medefinancier (gemeente of zorgkantoor)"), validate_choice=False)
    amount_per_year = StringField(_l("Bedrag per jaar (€)"), [max_length(limits.CODE)])
    conditions = TextAreaField(_l("Voorwaarden"), [max_length(limits.TEXT)])
    pro_rata = BooleanField(_l("Naar rato: bij de nacalculatie telt de toezegging mee in verhouding tot de "
                            "werkelijke kosten"))

    def __init__(self, *args, co_funders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation.choices = [("", _("— kies —"))] + [(o.code, o.name) for o in co_funders]


class PledgeDecisionForm(FlaskForm):
    decision = RadioField(_l("Uw besluit"), validate_choice=False,
                          choices=[("confirm", _l("Bevestigen")), ("decline", _l("Afwijzen"))])
    reasons = TextAreaField(_l("Redenen (verplicht bij afwijzen)"), [max_length(limits.TEXT)])
    confirmed = HiddenField()  # set on the confirmation step (initiatives.forms.CONFIRMED)


def show_errors(form: FlaskForm, field_errors: dict[str, list[str]]) -> list[str]:
    """Put a service's per-field errors next to their fields; return those without a field."""
    rest = []
    for name, messages in field_errors.items():
        target = getattr(form, name, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + messages
        else:
            rest.extend(messages)
    return rest
