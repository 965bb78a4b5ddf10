"""audit trail: keyed chain (chain_version, key_id) and TRUNCATE refused on PostgreSQL

Entries written before this revision keep their unkeyed SHA-256 links as chain version 1:
rehashing them with the key now would launder whatever was done to them before. New entries
are version 2 (HMAC with AUDIT_KEY, named by key_id); `flask audit verify` refuses a version-1
entry after a version-2 one. The column default 1 means a row inserted by hand without a
version counts as unkeyed, and so is refused after the first keyed entry.

When the table holds entries, this revision appends one keyed marker entry ("audit.chain_keyed")
whose HMAC covers the last unkeyed hash: from here on a valid chain always ends in a keyed entry,
so relabelling the whole chain as version 1 and rehashing it with the public function is refused
by `verify` without any checkpoint. Runs in the Flask app context, so AUDIT_KEY is configured.

Revision ID: 0008_audit_keyed
Revises: 0007_list_indexes
Create Date: 2026-11-24 08:30:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister import clock
from innovatieregister.models import AuditEntry
from innovatieregister.services.audit import Actor, keyed_link

revision = '0008_audit_keyed'
down_revision = '0007_list_indexes'
branch_labels = None
depends_on = None

# SQLite has no TRUNCATE (its DELETE is refused by 0004's trigger); PostgreSQL's TRUNCATE skips
# row triggers, so it needs a statement-level one. It reuses 0004's function, which raises.
POSTGRES_TRUNCATE_TRIGGER = """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"""
MARKER_ACTION = "audit.chain_keyed"
MARKER_ACTOR = Actor.command("flask db upgrade").display

# The columns this revision knows, with the model's types (aware UTC times, JSON): later
# revisions may add columns to the model.
COLUMNS = ("id", "seq", "occurred_at", "actor_user_id", "actor_organisation_id", "actor_label", "action",
           "object_type", "object_id", "before", "after", "request_id", "prev_hash", "entry_hash",
           "chain_version", "key_id")
entries = sa.table("audit_entries", *(sa.column(name, AuditEntry.__table__.c[name].type) for name in COLUMNS))


def _append_keyed_marker(bind) -> None:
    """Close the unkeyed part of the chain with one keyed entry (see the docstring)."""
    last = bind.execute(sa.select(entries.c.seq, entries.c.entry_hash)
                        .order_by(entries.c.seq.desc()).limit(1)).first()
    if last is None:  # an empty trail: its first entry will be keyed anyway
        return
    fields = {"seq": last.seq + 1, "occurred_at": clock.now(), "actor_user_id": None,
              "actor_organisation_id": None, "actor_label": MARKER_ACTOR, "action": MARKER_ACTION,
              "object_type": "AuditTrail", "object_id": str(last.seq), "before": None,
              "after": {"unkeyed_entries_up_to_seq": last.seq}, "request_id": None}
    bind.execute(entries.insert().values(**fields, **keyed_link(fields, last.entry_hash)))


def upgrade():
    # Plain ADD COLUMNs (no table rebuild on SQLite, which would drop 0004's triggers); the
    # default fills the existing rows without an UPDATE, which those triggers would refuse.
    op.add_column('audit_entries', sa.Column('chain_version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('audit_entries', sa.Column('key_id', sa.String(length=16), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_TRUNCATE_TRIGGER)
    _append_keyed_marker(op.get_bind())


def _keyed_entries_to_undo(bind) -> list[int]:
    """The marker this revision wrote, if it is the only keyed entry. Later keyed entries cannot
    go back to version 1 without becoming unverifiable, so then the downgrade is refused."""
    keyed = bind.execute(sa.select(entries.c.id, entries.c.seq, entries.c.action)
                         .where(entries.c.chain_version != 1).order_by(entries.c.seq)).all()
    if not keyed:
        return []
    newest = bind.execute(sa.select(sa.func.max(entries.c.seq))).scalar()
    if len(keyed) > 1 or keyed[0].action != MARKER_ACTION or keyed[0].seq != newest:
        raise RuntimeError(
            f"Downgrade geweigerd: het audittrail heeft {len(keyed)} regels met sleutel (versie 2). Zonder de"
            " kolommen chain_version en key_id zijn die niet meer te controleren, en bij een nieuwe upgrade"
            " zou de keten breken.")
    return [keyed[0].id]


def downgrade():
    bind = op.get_bind()
    # The marker goes first (the triggers refuse a DELETE; off and on again around it).
    marker = _keyed_entries_to_undo(bind)
    if bind.dialect.name == "postgresql":
        if marker:
            op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change")
            bind.execute(entries.delete().where(entries.c.id.in_(marker)))
            op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change")
        op.execute("DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries")
        op.drop_column('audit_entries', 'key_id')
        op.drop_column('audit_entries', 'chain_version')
        return
    # SQLite: dropping a column rebuilds the table, so 0004's triggers go and come back.
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_entries_no_delete")
    bind.execute(entries.delete().where(entries.c.id.in_(marker)))
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('key_id')
        batch_op.drop_column('chain_version')
    op.execute("""CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""")
    op.execute("""CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""")
