"""the dashboard's indexes (issue 15): a lead's initiatives by state (replacing the one by lead),
follows whose conditions wait for the lead's verdict

Revision ID: 0023_dashboard
Revises: 0022_language
Create Date: 2026-11-25 01:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_dashboard'
down_revision = '0022_language'
branch_labels = None
depends_on = None

UNJUDGED = "conditions_verdict IS NULL AND conditions <> ''"


def upgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index('ix_initiatives_lead_status', ['lead_insurer_id', 'status'], unique=False)
        batch_op.drop_index('ix_initiatives_lead_insurer_id')  # its first column: the new one serves both
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_conditions_unjudged', ['follow_request_id'], unique=False,
                              sqlite_where=sa.text(UNJUDGED), postgresql_where=sa.text(UNJUDGED))


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_conditions_unjudged')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index('ix_initiatives_lead_insurer_id', ['lead_insurer_id'], unique=False)
        batch_op.drop_index('ix_initiatives_lead_status')
