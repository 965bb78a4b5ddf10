"""indexes for the scheduler's selections: what is due, by state and deadline

Revision ID: 0012_due_indexes
Revises: 0011_lifecycle
Create Date: 2026-11-24 10:50:00

Without them one pass over 100,000 open requests scans follow_requests through the
(insurer, state) index and sorts in a temporary tree, and scans initiatives and
mediation_statements whole (issue 15).
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_due_indexes'
down_revision = '0011_lifecycle'
branch_labels = None
depends_on = None

INDEXES = [
    ('follow_requests', 'ix_follow_requests_state_deadline', ['state', 'deadline']),
    ('initiatives', 'ix_initiatives_status_term_end', ['status', 'term_end']),
    ('mediation_cases', 'ix_mediation_cases_state_follow_up', ['state', 'follow_up_deadline']),
    ('mediation_statements', 'ix_mediation_statements_due', ['answered_at', 'deadline']),
]


def upgrade():
    for table, name, columns in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, name, _columns in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
