"""organisation: the municipality's administrations (förvaltningar), shared by the
gender-mainstreaming training and the equality goals

Revision ID: 0012_organisation
Revises: 0011_batch_version
Create Date: 2026-12-02 12:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_organisation"
down_revision = "0011_batch_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "administration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administration")),
        sa.UniqueConstraint("name", name=op.f("uq_administration_name")),
    )


def downgrade():
    op.drop_table("administration")
