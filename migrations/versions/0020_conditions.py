"""conditions of a follow: the lead's verdict (accepted or rejected) with its reasons (issue 13)

Revision ID: 0020_conditions
Revises: 0019_perf
Create Date: 2026-11-24 17:40:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0020_conditions'
down_revision = '0019_perf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conditions_verdict', sa.Enum(
            'accepted', 'rejected', name='conditions_verdict', native_enum=False, create_constraint=True,
            length=32), nullable=True))
        batch_op.add_column(sa.Column('conditions_reasons', sa.String(length=5000), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('conditions_judged_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('conditions_judged_at', UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_decisions_conditions_judged_by_id_users'), 'users',
                                    ['conditions_judged_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_conditions_judged_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_decisions_conditions_verdict'), type_='check')
        batch_op.drop_column('conditions_judged_at')
        batch_op.drop_column('conditions_judged_by_id')
        batch_op.drop_column('conditions_reasons')
        batch_op.drop_column('conditions_verdict')
