"""The savings agreement's form. Row fields carry the names the service gives its per-field errors
(`gates-2-minimum_value`, `key-1-percentage`), numbered over the rows that were filled in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.initiatives.forms import InitiativeForm
from innovatieregister.inputs import max_length
from innovatieregister.services.savings import KEY_PARTS

KEY_ROWS = 4  # the insurers, a provider, a municipality, one more


class GateRow(Form):
    goal_id = HiddenField()
    minimum_value = StringField(_l("Minimumwaarde"), [max_length(limits.CODE)])

    def is_empty(self) -> bool:
        return not (self.minimum_value.data or "").strip()


class KeyRow(Form):
    party = SelectField(_l("Partij"), validate_choice=False)
    percentage = StringField(_l("Percentage"), [max_length(limits.CODE)])

    def is_empty(self) -> bool:
        return not ((self.party.data or "").strip() or (self.percentage.data or "").strip())


class AgreementForm(FlaskForm):
    baseline_annual_cost = StringField(_l("Basislijn: jaarlijkse kosten van de zorg die wordt vervangen (€)"),
                                       [max_length(limits.CODE)])
    explanation = TextAreaField(_l("Toelichting"), [max_length(limits.TEXT)])
    gates = FieldList(FormField(GateRow), max_entries=limits.GOALS)
    key = FieldList(FormField(KeyRow), min_entries=KEY_ROWS, max_entries=KEY_PARTS)

    def _filled(self, name: str) -> list[Form]:
        return [row.form for row in getattr(self, name) if not row.form.is_empty()]

    # The same placing of row errors as the initiative form: at the cell, and listed above the form.
    show_errors = InitiativeForm.show_errors
