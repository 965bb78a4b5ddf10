"""input limits: every text a person enters has a maximum length in the column too

Revision ID: 0010_input_limits
Revises: 0009_accounts
Create Date: 2026-11-24 08:09:56.107386

The numbers are those of innovatieregister/limits.py when this was written; a migration
keeps its own copy so it means the same thing later.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_input_limits'
down_revision = '0009_accounts'
branch_labels = None
depends_on = None

TEXT = 5000
# table -> [(column, new length, nullable)]
COLUMNS = {
    'argument_criteria': [('explanation', TEXT, False)],
    'cost_lines': [('basis', 300, False), ('source', 300, False)],
    'decision_arguments': [('explanation', TEXT, False)],
    'decisions': [('conditions', TEXT, False)],
    'follow_requests': [('impact_description', TEXT, False)],
    'initiatives': [(name, TEXT, False) for name in (
        'description', 'substitution_from', 'substitution_to', 'scale_down_plan', 'start_criteria',
        'stop_criteria', 'necessity_justification', 'cross_institution_justification', 'evaluation_links')],
    'market_share_sets': [('source', 1000, False)],
    'mediation_cases': [('statement', TEXT, False), ('finding_reasoning', TEXT, False)],
    'mediation_statements': [('question', TEXT, False), ('answer', TEXT, True)],
    'mediator_notes': [('body', TEXT, False)],
}


def overlong_rows(connection, limit_rows: int = 5) -> list[str]:
    """Stored texts longer than their new limit (before this migration nothing stopped them)."""
    found = []
    for table, columns in COLUMNS.items():
        for column, length, _ in columns:
            rows = connection.execute(sa.text(
                f"SELECT id, length({column}) FROM {table} WHERE length({column}) > :n ORDER BY id LIMIT :k"),  # noqa: S608 - names from COLUMNS above
                {"n": length, "k": limit_rows}).all()
            found += [f"{table}.{column} id {row_id}: {size} tekens (hoogstens {length})" for row_id, size in rows]
    return found


def upgrade():
    # PostgreSQL refuses to shorten a longer text to VARCHAR(n), halfway through. Say which rows
    # first, and change nothing: cutting audited decisions and arguments short silently is worse.
    overlong = overlong_rows(op.get_bind())
    if overlong:
        raise RuntimeError(
            "Migratie 0010 gaat niet door: deze teksten zijn langer dan de nieuwe grens. Kort ze in "
            "tot hun grens (bijvoorbeeld met left(kolom, grens) in SQL) en migreer opnieuw:\n- "
            + "\n- ".join(overlong))
    # On SQLite batch mode copies each table; its partial indexes and CHECK constraints come along.
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length, nullable in columns:
                batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=length),
                                      existing_nullable=nullable)


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length, nullable in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=length), type_=sa.Text(),
                                      existing_nullable=nullable)
