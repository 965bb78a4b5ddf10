"""a provider's region: an adopted draft offers the providers of its own region (issue 13)

Revision ID: 0021_provider_region
Revises: 0020_conditions
Create Date: 2026-11-24 17:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_provider_region'
down_revision = '0020_conditions'
branch_labels = None
depends_on = None


def upgrade():
    # Unknown for the providers there are (None): `flask demo load` fills in the demo's.
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organisations_region_id'), ['region_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_organisations_region_id_regions'), 'regions', ['region_id'], ['id'])


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisations_region_id_regions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organisations_region_id'))
        batch_op.drop_column('region_id')
