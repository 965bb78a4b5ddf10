"""accounts: token expiry, password changes, disabled users

Revision ID: 0009_accounts
Revises: 0008_audit_keyed
Create Date: 2026-11-24 08:30:00

"""
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0009_accounts'
down_revision = '0008_audit_keyed'
branch_labels = None
depends_on = None

# Tokens made before expiry existed get the default lifetime from their creation.
EXISTING_TOKEN_DAYS = 90


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', UTCDateTime(), nullable=True))

    tokens = sa.table('api_tokens', sa.column('id', sa.Integer()), sa.column('created_at', UTCDateTime()),
                      sa.column('expires_at', UTCDateTime()))
    connection = op.get_bind()
    # Row by row in Python: date arithmetic is spelled differently on SQLite and PostgreSQL.
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(tokens.update().where(tokens.c.id == token_id)
                           .values(expires_at=created_at + timedelta(days=EXISTING_TOKEN_DAYS)))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=UTCDateTime(), nullable=False)

    # Plain ADD COLUMNs (no table copy on SQLite: other tables' foreign keys point at users).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default='0'))  # a string: an expression would force the copy
        batch_op.add_column(sa.Column('disabled_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('password_changed_at')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
