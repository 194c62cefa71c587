"""sessions and versions: an edit counter on every edited record, and input kept over a sign-in

Revision ID: 0010_sessions_versions
Revises: 0009_answers
Create Date: 2026-12-02 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_sessions_versions"
down_revision = "0009_answers"
branch_labels = None
depends_on = None

# The records edited through forms: a stale save of any of them is refused.
VERSIONED_TABLES = (
    "user",
    "school",
    "student_group",
    "leader",
    "training",
    "curriculum",
    "lesson",
    "wave",
    "school_rollout",
    "report_text",
    "item",
)


def upgrade():
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )
    op.create_table(
        "kept_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_kept_input_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_input")),
        sa.UniqueConstraint("token", name=op.f("uq_kept_input_token")),
    )


def downgrade():
    op.drop_table("kept_input")
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
