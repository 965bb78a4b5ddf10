"""following an initiative: who follows what, and which events each follower was told of (issue 12)

Revision ID: 0017_follow
Revises: 0016_public_register
Create Date: 2026-11-24 14:20:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0017_follow'
down_revision = '0016_public_register'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_follows_initiative_id_initiatives')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
    sa.UniqueConstraint('user_id', 'initiative_id', name=op.f('uq_follows_user_id_initiative_id'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index('ix_follows_initiative', ['initiative_id'], unique=False)

    op.create_table('follow_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follow_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_notices')),
    sa.UniqueConstraint('user_id', 'audit_seq', name=op.f('uq_follow_notices_user_id_audit_seq'))
    )


def downgrade():
    op.drop_table('follow_notices')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index('ix_follows_initiative')
    op.drop_table('follows')
