"""audit trail: hash chain, and UPDATE/DELETE refused by the database

Revision ID: 0004_audit_chain
Revises: 0003_adoption
Create Date: 2026-11-23 11:40:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.domain.audit_chain import GENESIS, unkeyed_hash

revision = '0004_audit_chain'
down_revision = '0003_adoption'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()""",
]


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))

    # Chain the entries that exist, in the order they were written.
    bind = op.get_bind()
    entries = sa.table('audit_entries', *(sa.column(c) for c in (
        'id', 'seq', 'occurred_at', 'actor_user_id', 'actor_organisation_id', 'actor_label', 'action',
        'object_type', 'object_id', 'before', 'after', 'request_id', 'prev_hash', 'entry_hash')))
    from innovatieregister.models import AuditEntry

    # The model's column types (aware UTC times, JSON), but only the columns this revision has:
    # later revisions add columns to the model.
    model = AuditEntry.__table__
    prev = GENESIS
    rows = bind.execute(sa.select(*(model.c[c.name] for c in entries.columns))
                        .order_by(model.c.id)).mappings().all()
    for seq, row in enumerate(rows, start=1):
        digest = unkeyed_hash({**row, "seq": seq}, prev)  # version 1 of the chain (see 0008)
        bind.execute(entries.update().where(entries.c.id == row["id"]).values(
            seq=seq, prev_hash=prev, entry_hash=digest))
        prev = digest

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('entry_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_seq'), ['seq'])

    for statement in (SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS):
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_change ON audit_entries")
        op.execute("DROP FUNCTION IF EXISTS audit_entries_append_only()")
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_seq'), type_='unique')
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
