"""The registration form: every field of an initiative (README "Register"), without JavaScript.

Repeating parts (cost lines, goals) come as a fixed number of rows; empty rows are ignored.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

from innovatieregister import labels, limits
from innovatieregister.domain.funding import FundingModel, RiskLevel, SettlementBasis
from innovatieregister.domain.monitoring import OutcomeCategory
from innovatieregister.formatting import amount, quantity
from innovatieregister.inputs import max_length
from innovatieregister.models import CostCategory, EvidenceLevel, InitiativeKind, InnovationType, Phase
from innovatieregister.services.initiatives import CostLineInput, GoalInput, InitiativeInput

COST_ROWS = 5
GOAL_ROWS = 3


def _choices(enum, blank: str | None = None):
    options = labels.choices(enum)
    return ([("", blank)] if blank is not None else []) + options


class CostLineForm(Form):
    category = SelectField(_l("Kostensoort"), validate_choice=False, choices=_choices(CostCategory, "—"))
    description = StringField(_l("Omschrijving"), [max_length(limits.LINE)])
    amount = StringField(_l("Bedrag per jaar (€)"), [max_length(limits.CODE)])
    basis = StringField(_l("Berekening"), [max_length(limits.LINE)])
    source = StringField(_l("Bron"), [max_length(limits.LINE)])

    def is_empty(self) -> bool:
        return not ((self.description.data or "").strip() or (self.amount.data or "").strip())


class GoalForm(Form):
    metric = StringField(_l("Maatstaf"), [max_length(limits.LINE)])
    category = SelectField(_l("Uitkomstcategorie"), validate_choice=False,
                           choices=[("", "—"), *labels.choices(OutcomeCategory)])
    baseline = StringField(_l("Nulmeting"), [max_length(limits.GOAL_VALUE)])
    target = StringField(_l("Streefwaarde"), [max_length(limits.GOAL_VALUE)])
    baseline_value = StringField(_l("Nulmeting (getal)"), [max_length(limits.CODE)])
    target_value = StringField(_l("Streefwaarde (getal)"), [max_length(limits.CODE)])
    unit = StringField(_l("Eenheid"), [max_length(limits.UNIT)])
    target_date = StringField(_l("Streefdatum (dd-mm-jjjj)"), [max_length(limits.CODE)])

    def is_empty(self) -> bool:
        # The category alone (a select left as it was) does not make a row.
        return not any((f.data or "").strip() for f in (self.metric, self.baseline, self.target, self.baseline_value,
                                                         self.target_value, self.unit, self.target_date))


class InitiativeForm(FlaskForm):
    idempotency_key = HiddenField()
    title = StringField(_l("Titel"), [max_length(limits.TITLE)])
    description = TextAreaField(_l("Beschrijving"), [max_length(limits.TEXT)])
    region = SelectField(_l("Regio"), validate_choice=False)
    theme = SelectField(_l("Thema uit het regioplan"), validate_choice=False)
    kind = SelectField(_l("Soort"), validate_choice=False, choices=_choices(InitiativeKind))
    innovation_type = SelectField(_l("Soort innovatie"), validate_choice=False,
                                  choices=_choices(InnovationType, _l("— niet van toepassing —")))
    phase = SelectField(_l("Fase"), validate_choice=False, choices=_choices(Phase))
    providers = SelectMultipleField(_l("Betrokken zorgaanbieders"), validate_choice=False,
                                    widget=widgets.ListWidget(prefix_label=False),
                                    option_widget=widgets.CheckboxInput())
    cross_institution_justification = TextAreaField(
        _l("Toelichting instellingsoverstijgend (bij minder dan twee aanbieders)"), [max_length(limits.TEXT)])
    substitution_from = TextAreaField(_l("Substitutie: zorg gaat van"), [max_length(limits.TEXT)])
    substitution_to = TextAreaField(_l("Substitutie: zorg gaat naar"), [max_length(limits.TEXT)])
    scale_down_plan = TextAreaField(_l("Afbouwplan"), [max_length(limits.TEXT)])
    replaces_existing_care = BooleanField(_l("Vervangt bestaande zorg"))
    start_criteria = TextAreaField(_l("Startcriteria"), [max_length(limits.TEXT)])
    stop_criteria = TextAreaField(_l("Stopcriteria"), [max_length(limits.TEXT)])
    term_start = StringField(_l("Looptijd: start (dd-mm-jjjj)"), [max_length(limits.CODE)])
    term_end = StringField(_l("Looptijd: einde (dd-mm-jjjj)"), [max_length(limits.CODE)])
    necessity_justification = TextAreaField(_l("Noodzaak van gelijkgericht handelen"), [max_length(limits.TEXT)])
    evidence_level = SelectField(_l("Bewijsniveau"), validate_choice=False, choices=_choices(EvidenceLevel))
    evaluation_links = TextAreaField(_l("Links naar evaluaties (één per regel)"), [max_length(limits.TEXT)])
    funding_model = SelectField(_l("Financieringsvorm"), validate_choice=False,
                                choices=labels.choices(FundingModel))
    risk_level = SelectField(_l("Risiconiveau (KPMG)"), validate_choice=False,
                             choices=labels.choices(RiskLevel))
    settlement_basis = SelectField(_l("Verrekenbasis bij de nacalculatie"), validate_choice=False,
                                   choices=labels.choices(SettlementBasis))
    unit_price = StringField(_l("Prijs per eenheid (€, bij prijs × volume)"), [max_length(limits.CODE)])
    expected_volume = StringField(_l("Verwacht volume per jaar (eenheden, bij prijs × volume)"),
                                  [max_length(limits.CODE)])
    cost_lines = FieldList(FormField(CostLineForm), min_entries=COST_ROWS, max_entries=limits.COST_LINES)
    goals = FieldList(FormField(GoalForm), min_entries=GOAL_ROWS, max_entries=limits.GOALS)

    def __init__(self, *args, regions=(), providers=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _("— kies een regio —"))] + [(r.code, f"{r.name} ({r.code})") for r in regions]
        # Grouped by region (no JavaScript to narrow it down); the service accepts only a theme of
        # the initiative's own region.
        self.theme.choices = {"": [("", _("— geen thema —"))],
                              **{f"{region.name} ({region.code})": [(str(t.theme_id), t.title) for t in listed]
                                 for region, listed in themes}}
        self.providers.choices = [
            (str(p.id), _("%(name)s, regio %(region)s", name=p.name, region=p.region.name) if p.region else p.name)
            for p in providers]
        if not self.idempotency_key.data:
            self.idempotency_key.data = uuid.uuid4().hex
        self._label_choices()

    def _label_choices(self) -> None:
        """The enum options in the reader's language (the class-level ones were made at import)."""
        for name, enum in (("kind", InitiativeKind), ("phase", Phase), ("evidence_level", EvidenceLevel),
                           ("funding_model", FundingModel), ("risk_level", RiskLevel),
                           ("settlement_basis", SettlementBasis)):
            getattr(self, name).choices = _choices(enum)
        self.innovation_type.choices = _choices(InnovationType, _("— niet van toepassing —"))
        for row in self.cost_lines:
            row.form.category.choices = _choices(CostCategory, "—")
        for row in self.goals:
            row.form.category.choices = _choices(OutcomeCategory, "—")

    def fill_from(self, initiative) -> None:
        """Prefill for editing a draft."""
        for name in ("title", "description", "substitution_from", "substitution_to", "scale_down_plan",
                     "replaces_existing_care", "start_criteria", "stop_criteria",
                     "necessity_justification", "cross_institution_justification", "evaluation_links"):
            getattr(self, name).data = getattr(initiative, name)
        self.region.data = initiative.region.code
        self.theme.data = str(initiative.theme_id) if initiative.theme_id else ""
        self.kind.data = initiative.kind.value
        self.innovation_type.data = initiative.innovation_type.value if initiative.innovation_type else ""
        self.phase.data = initiative.phase.value
        self.evidence_level.data = initiative.evidence_level.value
        self.funding_model.data = initiative.funding_model.value
        self.risk_level.data = str(initiative.risk_level)
        self.settlement_basis.data = initiative.settlement_basis.value
        self.unit_price.data = amount(initiative.unit_price)
        self.expected_volume.data = str(initiative.expected_volume) if initiative.expected_volume is not None else ""
        self.providers.data = [str(p.provider_id) for p in initiative.providers]
        self.term_start.data = limits.date_input(initiative.term_start)
        self.term_end.data = limits.date_input(initiative.term_end)
        # A row for every stored line and goal (the API may have made more than the blank form
        # shows), so saving the form never drops one.
        _rows_for(self.cost_lines, len(initiative.cost_lines))
        _rows_for(self.goals, len(initiative.goals))
        self._label_choices()
        for row, line in zip(self.cost_lines, initiative.cost_lines, strict=False):
            f = row.form
            f.category.data, f.description.data = line.category.value, line.description
            f.amount.data, f.basis.data, f.source.data = amount(line.amount), line.basis, line.source
        for row, goal in zip(self.goals, initiative.goals, strict=False):
            f = row.form
            f.metric.data, f.baseline.data, f.target.data = goal.metric, goal.baseline, goal.target
            f.target_date.data = limits.date_input(goal.target_date)
            f.category.data = goal.category.value if goal.category else ""
            f.unit.data = goal.unit
            f.baseline_value.data = quantity(goal.baseline_value, grouped=False)
            f.target_value.data = quantity(goal.target_value, grouped=False)

    def to_input(self) -> InitiativeInput:
        return InitiativeInput(
            title=self.title.data or "", region_code=self.region.data or "", kind=self.kind.data,
            phase=self.phase.data, provider_ids=list(self.providers.data or []),
            description=self.description.data or "", innovation_type=self.innovation_type.data or None,
            substitution_from=self.substitution_from.data or "", substitution_to=self.substitution_to.data or "",
            scale_down_plan=self.scale_down_plan.data or "",
            replaces_existing_care=bool(self.replaces_existing_care.data),
            start_criteria=self.start_criteria.data or "", stop_criteria=self.stop_criteria.data or "",
            term_start=self.term_start.data or None, term_end=self.term_end.data or None,
            necessity_justification=self.necessity_justification.data or "",
            cross_institution_justification=self.cross_institution_justification.data or "",
            evidence_level=self.evidence_level.data,
            evaluation_links=(self.evaluation_links.data or "").splitlines(),
            cost_lines=[CostLineInput(f.category.data, f.description.data or "", f.amount.data or "",
                                      f.basis.data or "", f.source.data or "")
                        for f in self._filled("cost_lines")],
            goals=[GoalInput(f.metric.data or "", f.baseline.data or "", f.target.data or "",
                             f.target_date.data or None, category=f.category.data or None,
                             unit=f.unit.data or "", baseline_value=f.baseline_value.data or None,
                             target_value=f.target_value.data or None)
                   for f in self._filled("goals")],
            idempotency_key=self.idempotency_key.data or None,
            funding_model=self.funding_model.data or "", risk_level=self.risk_level.data or "",
            settlement_basis=self.settlement_basis.data or "", unit_price=self.unit_price.data or None,
            expected_volume=self.expected_volume.data or None,
            theme_id=self.theme.data or None,
        )

    def _filled(self, name: str) -> list[Form]:
        """The rows of a repeating part that were filled in, as the service numbers them (from 1)."""
        return [row.form for row in getattr(self, name) if not row.form.is_empty()]

    def show_errors(self, field_errors: dict[str, list[str]]) -> list[str]:
        """Put a service's per-field errors next to their fields; return those to list above the form.

        Row errors (`cost_lines-2-amount`) go to that cell of the row the service numbered 2, and
        are listed above the form as well, since they name their row."""
        rest = []
        for key, messages in field_errors.items():
            name, _sep, row = key.partition("-")
            number, _sep, column = row.partition("-")
            target = getattr(self, name, None)
            if isinstance(target, FieldList):
                rows = self._filled(name)
                rest.extend(messages)
                if not (number.isdigit() and 0 < int(number) <= len(rows)):
                    continue
                target = getattr(rows[int(number) - 1], column, None)
            if target is not None and hasattr(target, "errors"):
                target.errors = list(target.errors) + messages
            else:
                rest.extend(messages)
        return rest


CONFIRMED = "ja"  # the value of `confirmed` once the user has seen the confirmation step


class ConfirmForm(FlaskForm):
    """A button-only form: the CSRF token, and `confirmed` set on a confirmation step (an
    irreversible step acts only when the user has seen and confirmed what it will do)."""

    confirmed = HiddenField()


def _rows_for(rows: FieldList, stored: int) -> None:
    """Exactly the stored rows plus one blank row (within the limit), at least the usual number."""
    wanted = max(rows.min_entries, min(stored + 1, rows.max_entries))
    while len(rows) < wanted:
        rows.append_entry()
