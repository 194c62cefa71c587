"""batch version: an edit counter on a batch of typed-in questionnaires, so that two
coordinators correcting the same paper batch never silently undo each other

Revision ID: 0011_batch_version
Revises: 0010_sessions_versions
Create Date: 2026-12-02 10:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_batch_version"
down_revision = "0010_sessions_versions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("version")
