"""the public register: an initiative's publication (now, or on a set date by the scheduler)

Revision ID: 0016_public_register
Revises: 0015_regional_plans
Create Date: 2026-11-24 14:10:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0016_public_register'
down_revision = '0015_regional_plans'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('publish_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_initiatives_published', ['published_at', 'id'], unique=False)
        batch_op.create_index('ix_initiatives_publish_on', ['publish_on'], unique=False)


def downgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index('ix_initiatives_publish_on')
        batch_op.drop_index('ix_initiatives_published')
        batch_op.drop_column('publish_on')
        batch_op.drop_column('published_at')
