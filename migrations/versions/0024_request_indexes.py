"""the request lists (issue 15): indexes for the adoption requests an insurer received, a provider
sent, or that are on an initiative

Revision ID: 0024_request_indexes
Revises: 0023_dashboard
Create Date: 2026-11-25 02:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_request_indexes'
down_revision = '0023_dashboard'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_follow_requests_insurer_kind', 'follow_requests',
                    ['insurer_id', 'kind', 'deadline', 'id'], unique=False)
    op.create_index('ix_follow_requests_provider_kind', 'follow_requests',
                    ['requesting_provider_id', 'kind', 'deadline', 'id'], unique=False)
    op.create_index('ix_follow_requests_initiative_kind', 'follow_requests', ['initiative_id', 'kind'], unique=False)


def downgrade():
    op.drop_index('ix_follow_requests_initiative_kind', table_name='follow_requests')
    op.drop_index('ix_follow_requests_provider_kind', table_name='follow_requests')
    op.drop_index('ix_follow_requests_insurer_kind', table_name='follow_requests')
