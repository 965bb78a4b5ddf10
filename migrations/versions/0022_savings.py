"""shared savings: the key's percentage is bounded by the service, not by a CHECK

SQLite stores a Quantity scaled to an integer (models.base.Quantity: 50 % is stored as 500000), so the
CHECK "percentage > 0 AND percentage <= 100" of 0014 refused every valid key there. Like a measured
value (0011), the percentage is bounded where it is entered (services/savings.py), on both databases.

Revision ID: 0022_savings
Revises: 0014_money
Create Date: 2026-11-24 14:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_savings'
down_revision = '0014_money'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('savings_key_parts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_savings_key_parts_percentage_in_range'), type_='check')


def downgrade():
    with op.batch_alter_table('savings_key_parts', schema=None) as batch_op:
        batch_op.create_check_constraint('percentage_in_range', 'percentage > 0 AND percentage <= 100')
