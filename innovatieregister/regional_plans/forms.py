"""The regional plan form: the regiobeeld and its themes with SMART goals, without JavaScript.

Themes and goals come as a fixed number of rows (the stored ones plus blank ones); empty rows are
ignored, and an existing theme marked "vervalt" is left out of the new version.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, StringField, TextAreaField

from innovatieregister import limits
from innovatieregister.inputs import max_length
from innovatieregister.services.regional_plans import GoalInput, PlanInput, ThemeInput

THEME_ROWS = 2  # blank themes offered besides the stored ones
GOAL_ROWS = 2  # blank goals offered per theme besides the stored ones


class PlanGoalForm(Form):
    metric = StringField(_l("Maatstaf"), [max_length(limits.LINE)])
    baseline = StringField(_l("Nulmeting"), [max_length(limits.GOAL_VALUE)])
    target = StringField(_l("Streefwaarde"), [max_length(limits.GOAL_VALUE)])
    target_date = StringField(_l("Streefdatum (dd-mm-jjjj)"), [max_length(limits.CODE)])

    def is_empty(self) -> bool:
        return not any((f.data or "").strip() for f in (self.metric, self.baseline, self.target, self.target_date))


class ThemeForm(Form):
    theme_id = HiddenField()
    dropped = BooleanField(_l("Dit thema vervalt in de nieuwe versie"))
    title = StringField(_l("Titel van het thema"), [max_length(limits.TITLE)])
    description = TextAreaField(_l("Toelichting"), [max_length(limits.TEXT)])
    start_year = StringField(_l("Periode: van jaar"), [max_length(limits.CODE)])
    end_year = StringField(_l("Periode: tot en met jaar"), [max_length(limits.CODE)])
    goals = FieldList(FormField(PlanGoalForm), min_entries=GOAL_ROWS + 1, max_entries=limits.THEME_GOALS)

    def is_empty(self) -> bool:
        texts = (self.title, self.description, self.start_year, self.end_year)
        return not any((f.data or "").strip() for f in texts) and all(g.form.is_empty() for g in self.goals)

    def filled_goals(self) -> list[PlanGoalForm]:
        return [row.form for row in self.goals if not row.form.is_empty()]


class PlanForm(FlaskForm):
    based_on_version = HiddenField()
    regiobeeld = TextAreaField(_l("Regiobeeld"), [max_length(limits.REGIOBEELD)])
    note = StringField(_l("Wat is er veranderd? (kort)"), [max_length(limits.LINE)])
    themes = FieldList(FormField(ThemeForm), min_entries=THEME_ROWS, max_entries=limits.THEMES)

    def fill_from(self, plan) -> None:
        """Prefill from the plan as it stands: every theme and goal, plus blank rows."""
        self.based_on_version.data = str(plan.version)
        self.regiobeeld.data = plan.regiobeeld
        _rows(self.themes, len(plan.themes) + THEME_ROWS)
        for row, theme in zip(self.themes, plan.themes, strict=False):
            f = row.form
            f.theme_id.data, f.title.data, f.description.data = str(theme.theme_id), theme.title, theme.description
            f.start_year.data, f.end_year.data = str(theme.start_year), str(theme.end_year)
            _rows(f.goals, len(theme.goals) + GOAL_ROWS)
            for goal_row, goal in zip(f.goals, theme.goals, strict=False):
                g = goal_row.form
                g.metric.data, g.baseline.data, g.target.data = goal.metric, goal.baseline, goal.target
                g.target_date.data = limits.date_input(goal.target_date)

    def kept(self) -> list[ThemeForm]:
        """The themes of the new version, as the service numbers them (from 1)."""
        return [row.form for row in self.themes if not row.form.dropped.data and not row.form.is_empty()]

    def to_input(self) -> PlanInput:
        based_on = self.based_on_version.data or ""
        return PlanInput(
            regiobeeld=self.regiobeeld.data or "", note=self.note.data or "",
            based_on_version=int(based_on) if based_on.isdigit() and len(based_on) < 10 else None,
            themes=[ThemeInput(title=f.title.data or "", description=f.description.data or "",
                               start_year=f.start_year.data or None, end_year=f.end_year.data or None,
                               theme_id=f.theme_id.data or None,
                               goals=[GoalInput(g.metric.data or "", g.baseline.data or "", g.target.data or "",
                                                g.target_date.data or None) for g in f.filled_goals()])
                    for f in self.kept()])

    def show_errors(self, field_errors: dict[str, list[str]]) -> list[str]:
        """Put the service's errors next to their fields (`themes-2-goals-1-metric` to that cell);
        return every message to list above the form."""
        rest = []
        for key, messages in field_errors.items():
            rest.extend(messages)
            parts = key.split("-")
            target = getattr(self, parts[0], None) if len(parts) == 1 else None
            if parts[0] == "themes" and len(parts) >= 3 and parts[1].isdigit():
                themes = self.kept()
                if 0 < int(parts[1]) <= len(themes):
                    theme = themes[int(parts[1]) - 1]
                    target = getattr(theme, parts[2], None)
                    if parts[2] == "goals" and len(parts) == 5 and parts[3].isdigit():
                        goals = theme.filled_goals()
                        target = getattr(goals[int(parts[3]) - 1], parts[4], None) \
                            if 0 < int(parts[3]) <= len(goals) else None
                    if parts[2] == "theme_id":
                        target = theme.title
            if target is not None and hasattr(target, "errors") and not isinstance(target, FieldList):
                target.errors = list(target.errors) + messages
        return rest


def _rows(rows: FieldList, wanted: int) -> None:
    while len(rows) < min(wanted, rows.max_entries):
        rows.append_entry()
