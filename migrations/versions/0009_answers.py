"""answers: pairing outside the pupil's request (cohort_pairing), shared-device waves

Revision ID: 0009_answers
Revises: 0008_data_version
Create Date: 2026-12-02 09:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_answers"
down_revision = "0008_data_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cohort_pairing",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("cohort", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("signature", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_cohort_pairing_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("school_id", "cohort", name=op.f("pk_cohort_pairing")),
    )
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shared_device", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.drop_column("shared_device")
    op.drop_table("cohort_pairing")
