"""the registry's spread per original as summary columns (all funders counted), indexed

Revision ID: 0019_perf
Revises: 0017_follow
Create Date: 2026-11-24 14:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_perf'
down_revision = '0017_follow'
branch_labels = None
depends_on = None

# The members of an original: itself, and every copy adopted from it that is past its draft and
# not withdrawn (NOT_SPREAD); the same rule as services/spread.family_counts.


def upgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spread_regions', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('spread_insurers', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_initiatives_spread', ['adopted_from_id', 'spread_regions', 'spread_insurers'],
                              unique=False)
    # Existing originals: their regions, and their leads and standing follows, every one counted.
    op.execute("""
        UPDATE initiatives SET
          spread_regions = (
            SELECT count(DISTINCT m.region_id) FROM initiatives m
            WHERE m.id = initiatives.id
               OR (m.adopted_from_id = initiatives.id AND m.status NOT IN ('concept', 'withdrawn'))),
          spread_insurers = (
            SELECT count(*) FROM (
              SELECT m.lead_insurer_id AS insurer FROM initiatives m
              WHERE m.id = initiatives.id
                 OR (m.adopted_from_id = initiatives.id AND m.status NOT IN ('concept', 'withdrawn'))
              UNION
              SELECT f.insurer_id FROM initiatives m
              JOIN follow_requests f ON f.initiative_id = m.id
              JOIN decisions d ON d.follow_request_id = f.id AND d.standing = true AND d.kind = 'follow'
              WHERE m.id = initiatives.id
                 OR (m.adopted_from_id = initiatives.id AND m.status NOT IN ('concept', 'withdrawn'))
            ) funders)
        WHERE adopted_from_id IS NULL""")


def downgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index('ix_initiatives_spread')
        batch_op.drop_column('spread_insurers')
        batch_op.drop_column('spread_regions')
