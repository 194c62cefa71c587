"""goals: equality goals, indicators with targets, Kolada figures, typed figures, deviations

Revision ID: 0015_goals
Revises: 0014_training
Create Date: 2026-12-02 12:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015_goals"
down_revision = "0014_training"
branch_labels = None
depends_on = None


def _stamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade():
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sub_goal", sa.String(length=20), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "sub_goal IN ('power', 'economy', 'education', 'health', 'unpaid_work', 'violence')",
            name=op.f("ck_goal_sub_goal"),
        ),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["administration.id"],
            name=op.f("fk_goal_administration_id_administration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal")),
    )
    op.create_index(op.f("ix_goal_administration_id"), "goal", ["administration_id"])
    op.create_table(
        "goal_owner",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_goal_owner_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_goal_owner_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("goal_id", "user_id", name=op.f("pk_goal_owner")),
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source_note", sa.String(length=200), nullable=False),
        sa.Column("by_sex", sa.Boolean(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("target_kind", sa.String(length=10), nullable=False),
        sa.Column("target_women", sa.Double(), nullable=True),
        sa.Column("target_men", sa.Double(), nullable=True),
        sa.Column("target_gap", sa.Double(), nullable=True),
        sa.Column("target_total", sa.Double(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "source IN ('kolada', 'own', 'typed')", name=op.f("ck_indicator_source")
        ),
        sa.CheckConstraint(
            "target_kind IN ('values', 'gap', 'total')", name=op.f("ck_indicator_target_kind")
        ),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goal.id"], name=op.f("fk_indicator_goal_id_goal"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
    )
    op.create_index(op.f("ix_indicator_goal_id"), "indicator", ["goal_id"])
    op.create_table(
        "kolada_kpi",
        sa.Column("id", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("by_sex", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kolada_kpi")),
    )
    op.create_table(
        "kolada_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kpi_id", sa.String(length=12), nullable=False),
        sa.Column("municipality", sa.String(length=4), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.CheckConstraint("gender IN ('T', 'K', 'M')", name=op.f("ck_kolada_value_gender")),
        sa.ForeignKeyConstraint(
            ["kpi_id"],
            ["kolada_kpi.id"],
            name=op.f("fk_kolada_value_kpi_id_kolada_kpi"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kolada_value")),
        sa.UniqueConstraint(
            "kpi_id",
            "municipality",
            "year",
            "gender",
            name=op.f("uq_kolada_value_kpi_id_municipality_year_gender"),
        ),
    )
    op.create_index(op.f("ix_kolada_value_kpi_id"), "kolada_value", ["kpi_id"])
    op.create_table(
        "typed_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("women", sa.Double(), nullable=True),
        sa.Column("men", sa.Double(), nullable=True),
        sa.Column("total", sa.Double(), nullable=True),
        sa.Column("source_note", sa.String(length=200), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_typed_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_typed_value")),
        sa.UniqueConstraint("indicator_id", "year", name=op.f("uq_typed_value_indicator_id_year")),
    )
    op.create_index(op.f("ix_typed_value_indicator_id"), "typed_value", ["indicator_id"])
    op.create_table(
        "deviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=120), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=False),
        sa.Column("follows_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_deviation_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["follows_id"], ["deviation.id"], name=op.f("fk_deviation_follows_id_deviation")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user.id"],
            name=op.f("fk_deviation_recorded_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation")),
    )
    op.create_index(op.f("ix_deviation_indicator_id"), "deviation", ["indicator_id"])


def downgrade():
    op.drop_table("deviation")
    op.drop_table("typed_value")
    op.drop_table("kolada_value")
    op.drop_table("kolada_kpi")
    op.drop_table("indicator")
    op.drop_table("goal_owner")
    op.drop_table("goal")
