"""regional agreements: versioned regional plans with themes and SMART goals; initiatives link to a theme

Revision ID: 0015_regional_plans
Revises: 0014_money
Create Date: 2026-11-24 14:10:00

"""
import sqlalchemy as sa
from alembic import op

from innovatieregister.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0015_regional_plans'
down_revision = '0014_money'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regional_plan_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('regiobeeld', sa.String(length=20000), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_regional_plan_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_regional_plan_versions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_regional_plan_versions_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_plan_versions')),
    sa.UniqueConstraint('region_id', 'version', name=op.f('uq_regional_plan_versions_region_id_version'))
    )
    op.create_table('regional_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_regional_themes_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_themes'))
    )
    with op.batch_alter_table('regional_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regional_themes_region_id'), ['region_id'], unique=False)

    op.create_table('regional_theme_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_version_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=5000), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.CheckConstraint('end_year >= start_year', name=op.f('ck_regional_theme_versions_period_in_order')),
    sa.ForeignKeyConstraint(['plan_version_id'], ['regional_plan_versions.id'], name=op.f('fk_regional_theme_versions_plan_version_id_regional_plan_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['regional_themes.id'], name=op.f('fk_regional_theme_versions_theme_id_regional_themes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_theme_versions')),
    sa.UniqueConstraint('plan_version_id', 'theme_id', name=op.f('uq_regional_theme_versions_plan_version_id_theme_id'))
    )
    with op.batch_alter_table('regional_theme_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regional_theme_versions_theme_id'), ['theme_id'], unique=False)

    op.create_table('regional_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('theme_version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=300), nullable=False),
    sa.Column('baseline', sa.String(length=100), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['theme_version_id'], ['regional_theme_versions.id'], name=op.f('fk_regional_goals_theme_version_id_regional_theme_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regional_goals'))
    )
    with op.batch_alter_table('regional_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regional_goals_theme_version_id'), ['theme_version_id'], unique=False)

    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_initiatives_theme_id'), ['theme_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_initiatives_theme_id_regional_themes'), 'regional_themes',
                                    ['theme_id'], ['id'])


def downgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_initiatives_theme_id_regional_themes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_initiatives_theme_id'))
        batch_op.drop_column('theme_id')
    with op.batch_alter_table('regional_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regional_goals_theme_version_id'))
    op.drop_table('regional_goals')
    with op.batch_alter_table('regional_theme_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regional_theme_versions_theme_id'))
    op.drop_table('regional_theme_versions')
    with op.batch_alter_table('regional_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regional_themes_region_id'))
    op.drop_table('regional_themes')
    op.drop_table('regional_plan_versions')
