"""each request's first decision (its Dutch date and the working days to it) stored on the request,
for the figures per insurer and region; each initiative's committed part with every follower counted,
for the national overview; an index of an initiative's requests by state and deadline (issue 15)

Revision ID: 0025_figures
Revises: 0024_request_indexes
Create Date: 2026-11-25 02:20:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import Money, UTCDateTime
from innovatieregister.services.decision_times import first_decision

# revision identifiers, used by Alembic.
revision = '0025_figures'
down_revision = '0024_request_indexes'
branch_labels = None
depends_on = None

requests = sa.table('follow_requests', sa.column('id', sa.Integer), sa.column('created_at', UTCDateTime()),
                    sa.column('first_decided_on', sa.Date), sa.column('decision_days', sa.Integer))
decisions = sa.table('decisions', sa.column('follow_request_id', sa.Integer), sa.column('decided_at', UTCDateTime()))


def upgrade():
    with op.batch_alter_table('follow_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_decided_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decision_days', sa.Integer(), nullable=True))
        batch_op.create_index('ix_follow_requests_initiative_state', ['initiative_id', 'state', 'deadline'],
                              unique=False)
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committed_all', Money(), nullable=True))
    # Existing requests with a decision: the app's own computation (Dutch dates and working days
    # need the calendar, not SQL).
    connection = op.get_bind()
    first = sa.select(decisions.c.follow_request_id, sa.func.min(decisions.c.decided_at).label('first')) \
        .group_by(decisions.c.follow_request_id).subquery()
    rows = connection.execute(sa.select(requests.c.id, requests.c.created_at,
                                        sa.type_coerce(first.c.first, UTCDateTime()))
                              .join(first, first.c.follow_request_id == requests.c.id)).all()
    values = []
    for request_id, asked_at, first_at in rows:
        decided_on, days = first_decision(asked_at, first_at)
        values.append({'r': request_id, 'on': decided_on, 'days': days})
    if values:
        connection.execute(requests.update().where(requests.c.id == sa.bindparam('r'))
                           .values(first_decided_on=sa.bindparam('on'), decision_days=sa.bindparam('days')), values)
    # Existing initiatives: the app's own computation (the largest-remainder apportionment).
    from innovatieregister.services import committed
    committed.recompute(connection=connection)


def downgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_column('committed_all')
    with op.batch_alter_table('follow_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_requests_initiative_state')
        batch_op.drop_column('decision_days')
        batch_op.drop_column('first_decided_on')
