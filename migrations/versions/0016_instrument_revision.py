"""instrument revision: counts in-place edits, so answering pages may keep questions in memory

Revision ID: 0016_instrument_revision
Revises: 0015_goals
Create Date: 2026-12-02 17:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016_instrument_revision"
down_revision = "0015_goals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("instrument") as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("instrument") as batch_op:
        batch_op.drop_column("revision")
