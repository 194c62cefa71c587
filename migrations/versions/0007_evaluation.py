"""evaluation: the project lead's report texts (lessons learned, next steps) per school year

Revision ID: 0007_evaluation
Revises: 0006_surveys
Create Date: 2026-11-27 14:51:22.927106

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_evaluation"
down_revision = "0006_surveys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_text',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('lessons_learned', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_text_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_text')),
    sa.UniqueConstraint('school_year', name=op.f('uq_report_text_school_year'))
    )


def downgrade():
    op.drop_table('report_text')
