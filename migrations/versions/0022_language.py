"""a user's language: Dutch, or English on request (issue 13)

Revision ID: 0022_language
Revises: 0021_provider_region
Create Date: 2026-11-24 09:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_language'
down_revision = '0021_provider_region'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='nl', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
