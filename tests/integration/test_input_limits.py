"""Every text a person enters has one maximum length: the column, the form and the API document
agree, because all three take it from innovatieregister/limits.py. And the market-share import
reports counts and fields out of range per line instead of failing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from innovatieregister import limits
from innovatieregister.admin.forms import CriterionForm, MarketShareImportForm
from innovatieregister.adoption.forms import AdoptionRequestForm
from innovatieregister.api.openapi import document
from innovatieregister.decisions.forms import DecisionForm
from innovatieregister.initiatives.forms import InitiativeForm
from innovatieregister.models import (
    ArgumentCriterion,
    CostLine,
    Decision,
    DecisionArgument,
    FollowRequest,
    Initiative,
    MarketShare,
    MarketShareSet,
    MediationCase,
    MediatorNote,
    RegionalGoal,
    RegionalPlanVersion,
    RegionalThemeVersion,
    SmartGoal,
    StatementRequest,
)
from innovatieregister.models.base import Base
from innovatieregister.regional_plans.forms import PlanForm
from innovatieregister.services import Invalid
from innovatieregister.services.audit import Actor
from innovatieregister.services.market_shares import import_market_shares
from tests.conftest import count_rows

SCHEMAS = document()["components"]["schemas"]
INITIATIVE_TEXTS = ("description", "substitution_from", "substitution_to", "scale_down_plan", "start_criteria",
                    "stop_criteria", "necessity_justification", "cross_institution_justification")


def _api(*path: str) -> int | None:
    """maxLength of an input property in the OpenAPI document: ("InitiativeIn", "cost_lines", "basis");
    a nested model is a $ref to its own schema."""
    node = SCHEMAS[path[0]]
    for name in path[1:]:
        node = _resolved(node["properties"][name])
        node = _resolved(node.get("items", node))
    return node.get("maxLength")


def _resolved(node: dict) -> dict:
    ref = node.get("$ref")
    return SCHEMAS[ref.rsplit("/", 1)[1]] if ref else node


def _forms():
    forms = {
        "initiative": InitiativeForm(regions=[], providers=[]), "decision": DecisionForm(criteria=[]),
        "adoption": AdoptionRequestForm(), "criterion": CriterionForm(), "shares": MarketShareImportForm(),
    }
    forms["cost_line"] = forms["initiative"].cost_lines[0].form
    forms["goal"] = forms["initiative"].goals[0].form
    forms["argument"] = forms["decision"].arguments[0].form
    forms["plan"] = PlanForm()
    forms["theme"] = forms["plan"].themes[0].form
    forms["plan_goal"] = forms["theme"].goals[0].form
    return forms


# (column, (form, field), API path or None when the API does not take it)
FIELDS = [
    (Initiative.title, ("initiative", "title"), ("InitiativeIn", "title")),
    *[(getattr(Initiative, name), ("initiative", name), ("InitiativeIn", name)) for name in INITIATIVE_TEXTS],
    (Initiative.evaluation_links, ("initiative", "evaluation_links"), None),
    (CostLine.description, ("cost_line", "description"), ("InitiativeIn", "cost_lines", "description")),
    (CostLine.basis, ("cost_line", "basis"), ("InitiativeIn", "cost_lines", "basis")),
    (CostLine.source, ("cost_line", "source"), ("InitiativeIn", "cost_lines", "source")),
    (SmartGoal.metric, ("goal", "metric"), ("InitiativeIn", "goals", "metric")),
    (SmartGoal.baseline, ("goal", "baseline"), ("InitiativeIn", "goals", "baseline")),
    (SmartGoal.target, ("goal", "target"), ("InitiativeIn", "goals", "target")),
    (SmartGoal.unit, ("goal", "unit"), ("InitiativeIn", "goals", "unit")),
    (Decision.conditions, ("decision", "conditions"), ("DecisionIn", "conditions")),
    (DecisionArgument.explanation, ("argument", "explanation"), ("DecisionIn", "arguments", "explanation")),
    (DecisionArgument.evidence_url, ("argument", "evidence"), ("DecisionIn", "arguments", "evidence")),
    (FollowRequest.impact_description, ("adoption", "impact_description"),
     ("AdoptionRequestIn", "impact", "description")),
    (FollowRequest.evidence_url, ("adoption", "evidence"), ("AdoptionRequestIn", "evidence")),
    (ArgumentCriterion.code, ("criterion", "code"), None),
    (ArgumentCriterion.name, ("criterion", "name"), None),
    (ArgumentCriterion.explanation, ("criterion", "explanation"), None),
    (MarketShareSet.source, ("shares", "source"), None),
    (RegionalPlanVersion.regiobeeld, ("plan", "regiobeeld"), ("RegionalPlanIn", "regiobeeld")),
    (RegionalPlanVersion.note, ("plan", "note"), ("RegionalPlanIn", "note")),
    (RegionalThemeVersion.title, ("theme", "title"), ("RegionalPlanIn", "themes", "title")),
    (RegionalThemeVersion.description, ("theme", "description"), ("RegionalPlanIn", "themes", "description")),
    (RegionalGoal.metric, ("plan_goal", "metric"), ("RegionalPlanIn", "themes", "goals", "metric")),
    (RegionalGoal.baseline, ("plan_goal", "baseline"), ("RegionalPlanIn", "themes", "goals", "baseline")),
    (RegionalGoal.target, ("plan_goal", "target"), ("RegionalPlanIn", "themes", "goals", "target")),
]


def test_form_api_document_and_column_agree_on_every_text_field(app):
    with app.test_request_context():
        forms = _forms()
        for column, (form, field), api_path in FIELDS:
            length = column.property.columns[0].type.length
            assert length is not None, f"{column} has no maximum length"
            assert getattr(forms[form], field).flags.maxlength == length, f"{form}.{field} vs {column}"
            if api_path is not None:
                assert _api(*api_path) == length, f"{'.'.join(api_path)} vs {column}"


def test_mediation_texts_have_the_free_text_limit_in_the_column():
    # Their forms are plain HTML with maxlength="{{ limits.TEXT }}"; the service checks the same number.
    for column in (MediationCase.statement, MediationCase.finding_reasoning, StatementRequest.question,
                   StatementRequest.answer, MediatorNote.body):
        assert column.property.columns[0].type.length == limits.TEXT


def test_no_unbounded_text_column_is_left_where_people_write():
    # Reference data sources and what the register writes itself (messages, mail, audit JSON) only.
    allowed = {("organisations", "source"), ("regions", "source"), ("notifications", "message"),
               ("outbox_messages", "body"), ("outbox_messages", "last_error")}
    unbounded = {(table.name, column.name) for table in Base.metadata.sorted_tables for column in table.columns
                 if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum)
                 and column.type.length is None}
    assert unbounded == allowed


def _import(text: str):
    return import_market_shares(text, date(2026, 1, 1), "Vektis 2026", Actor.command("test"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"ZK22,VGZ,{2**70}", "te groot (hoogstens 25000000)"),
        (f"ZK22,VGZ,{'9' * 5000}", "langer dan 200 tekens"),  # int() itself would refuse 4,300+ digits
        (f"ZK22,VGZ,{'9' * 150}", "te groot (hoogstens 25000000)"),
        (f"ZK22,VGZ,{limits.INSURED_MAX + 1}", "te groot"),
        (f"ZK22,VGZ,{'1' * 200_000}", "geen leesbare CSV"),  # past the csv module's own 128 KiB field limit
        (f"ZK22,{'V' * 201},10", "langer dan 200 tekens"),
        ("ZK22,V\x00GZ,10", "niet is toegestaan"),
    ],
)
def test_a_market_share_line_out_of_range_is_reported_with_its_line_and_nothing_is_imported(
        refdata, ctx, line, message):
    text = f"regio,verzekeraar,verzekerden\nZK22,MENZIS,300\n{line}\nZK22,ACHMEA,200\n"
    with pytest.raises(Invalid) as refused:
        _import(text)
    [error] = refused.value.field_errors["file"]
    assert error.startswith("Regel 3:") and message in error
    assert count_rows(ctx, MarketShareSet) == 0 and count_rows(ctx, MarketShare) == 0


def test_the_largest_sane_count_is_imported(refdata, ctx):
    _import(f"regio,verzekeraar,verzekerden\nZK22,MENZIS,{limits.INSURED_MAX}\n")
    assert ctx.session.scalar(sa.select(MarketShare.insured)) == limits.INSURED_MAX
