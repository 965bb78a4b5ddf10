"""lists at national scale: notifications newest first and adoption requests by deadline, through indexes

Revision ID: 0013_list_speed
Revises: 0012_due_indexes
Create Date: 2026-11-24 10:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_list_speed'
down_revision = '0012_due_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at'], unique=False)
    with op.batch_alter_table('follow_requests', schema=None) as batch_op:
        batch_op.create_index('ix_follow_requests_kind_deadline', ['kind', 'deadline', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('follow_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_requests_kind_deadline')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
