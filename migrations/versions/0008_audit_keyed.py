"""audit trail: keyed chain (chain_version, key_id) and TRUNCATE refused on PostgreSQL

Entries written before this revision keep their unkeyed SHA-256 links as chain version 1:
rehashing them with the key now would launder whatever was done to them before. New entries
are version 2 (HMAC with AUDIT_KEY, named by key_id); `flask audit verify` refuses a version-1
entry after a version-2 one. The column default 1 means a row inserted by hand without a
version counts as unkeyed, and so is refused after the first keyed entry.

Revision ID: 0008_audit_keyed
Revises: 0007_list_indexes
Create Date: 2026-11-24 08:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_audit_keyed'
down_revision = '0007_list_indexes'
branch_labels = None
depends_on = None

# SQLite has no TRUNCATE (its DELETE is refused by 0004's trigger); PostgreSQL's TRUNCATE skips
# row triggers, so it needs a statement-level one. It reuses 0004's function, which raises.
POSTGRES_TRUNCATE_TRIGGER = """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"""


def upgrade():
    # Plain ADD COLUMNs (no table rebuild on SQLite, which would drop 0004's triggers); the
    # default fills the existing rows without an UPDATE, which those triggers would refuse.
    op.add_column('audit_entries', sa.Column('chain_version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('audit_entries', sa.Column('key_id', sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_TRUNCATE_TRIGGER)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.drop_column('audit_entries', 'key_id')
        op.drop_column('audit_entries', 'chain_version')
        return
    # SQLite: dropping a column rebuilds the table, so 0004's triggers go and come back.
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('key_id')
        batch_op.drop_column('chain_version')
    op.execute("""CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""")
    op.execute("""CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""")
