from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, RadioField, SelectField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.domain.arguments import STRENGTHS
from innovatieregister.inputs import max_length
from innovatieregister.services.decisions import ArgumentInput

ARGUMENT_ROWS = 3


class ArgumentForm(Form):
    criterion = SelectField(_l("Criterium"), validate_choice=False)
    strength = SelectField(_l("Sterkte"), validate_choice=False)
    explanation = TextAreaField(_l("Toelichting"), [max_length(limits.TEXT)])
    evidence = StringField(_l("Onderbouwing (link, optioneel)"), [max_length(limits.URL)])

    def is_empty(self) -> bool:
        return not ((self.criterion.data or "") or (self.explanation.data or "").strip()
                    or (self.evidence.data or "").strip())


class DecisionForm(FlaskForm):
    idempotency_key = HiddenField()
    decision = RadioField(_l("Besluit"), validate_choice=False,
                          choices=[("follow", _l("Volgen")), ("decline", _l("Afwijzen"))])
    conditions = TextAreaField(_l("Voorwaarden bij volgen (optioneel)"), [max_length(limits.TEXT)])
    arguments = FieldList(FormField(ArgumentForm), min_entries=ARGUMENT_ROWS, max_entries=10)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)  # the page names the one that refers to the regional plan
        options = [("", _("— kies een criterium —"))] + [
            (c.code, _("%(name)s (gewicht %(weight)s)", name=c.name, weight=c.weight)) for c in criteria]
        strengths = [("", "—")] + [(str(k), f"{k} – {_(v)}") for k, v in STRENGTHS.items()]
        for row in self.arguments:
            row.form.criterion.choices = options
            row.form.strength.choices = strengths
        if not self.idempotency_key.data:
            self.idempotency_key.data = uuid.uuid4().hex

    def argument_inputs(self) -> list[ArgumentInput]:
        # Numbered by their row, so a message names the argument the user sees.
        return [ArgumentInput(f.criterion.data or "", f.strength.data or None, f.explanation.data or "",
                              f.evidence.data or "", number=n)
                for n, f in enumerate((row.form for row in self.arguments), start=1) if not f.is_empty()]

    def show_errors(self, field_errors: dict[str, list[str]]) -> None:
        """Put the service's messages about an argument next to that argument's criterion."""
        for key, messages in field_errors.items():
            name, _sep, number = key.partition("-")
            if name == "arguments" and number.isdigit() and 0 < int(number) <= len(self.arguments.entries):
                criterion = self.arguments.entries[int(number) - 1].form.criterion
                criterion.errors = [*criterion.errors, *messages]
            elif name == "decision":
                self.decision.errors = [*self.decision.errors, *messages]


class ConditionsForm(FlaskForm):
    """The lead's verdict on a follower's conditions (services/conditions.py)."""

    verdict = RadioField(_l("Uw oordeel over de voorwaarden"), validate_choice=False,
                         choices=[("accepted", _l("Aanvaarden: het volgbesluit geldt met deze voorwaarden")),
                                  ("rejected", _l("Afwijzen: de verzekeraar besluit opnieuw"))])
    reasons = TextAreaField(_l("Redenen"), [max_length(limits.TEXT)])
