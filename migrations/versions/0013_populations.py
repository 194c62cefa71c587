"""populations: the questionnaire engine asks more than pupils (a population per instrument
and wave, single-use codes), and the elected officials' safety survey

Revision ID: 0013_populations
Revises: 0012_organisation
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_populations"
down_revision = "0012_organisation"
branch_labels = None
depends_on = None

POPULATIONS = "population IN ('pupils', 'officials', 'staff_training')"
SEXES = "sex IN ('girl', 'boy', 'woman', 'man', 'other', 'no_answer')"
PUPIL_SEXES = "sex IN ('girl', 'boy', 'other', 'no_answer')"


def upgrade():
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("population", sa.String(length=20), server_default="pupils", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_instrument_population_known"), sa.text(POPULATIONS)
        )
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("population", sa.String(length=20), server_default="pupils", nullable=False)
        )
        batch_op.alter_column("group_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("phase", existing_type=sa.String(length=10), nullable=True)
        batch_op.alter_column("code", existing_type=sa.String(length=6), nullable=True)
        batch_op.create_check_constraint(op.f("ck_wave_population_known"), sa.text(POPULATIONS))
        batch_op.create_check_constraint(
            op.f("ck_wave_pupils_have_group"),
            sa.text("population != 'pupils' OR (group_id IS NOT NULL AND phase IS NOT NULL)"),
        )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_response_sex_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_response_sex_known"), sa.text(SEXES))
    op.create_table(
        "single_use_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("void", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["wave.id"], name=op.f("fk_single_use_code_wave_id_wave"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_single_use_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_single_use_code_code_hash")),
    )
    with op.batch_alter_table("single_use_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_single_use_code_wave_id"), ["wave_id"], unique=False)
    op.create_table(
        "political_body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "kind IN ('assembly', 'executive', 'committee', 'company_board')",
            name=op.f("ck_political_body_kind_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_political_body")),
        sa.UniqueConstraint("name", name=op.f("uq_political_body_name")),
    )
    op.create_table(
        "seat_count",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seat_kind", sa.String(length=12), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "seat_kind IN ('ordinary', 'substitute', 'chair')",
            name=op.f("ck_seat_count_seat_kind_known"),
        ),
        sa.CheckConstraint("sex IN ('woman', 'man', 'other')", name=op.f("ck_seat_count_sex_known")),
        sa.CheckConstraint("count >= 0", name=op.f("ck_seat_count_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["political_body.id"],
            name=op.f("fk_seat_count_body_id_political_body"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("body_id", "year", "seat_kind", "sex", name=op.f("pk_seat_count")),
    )
    op.create_table(
        "official_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("suppression_min", sa.Integer(), server_default="5", nullable=False),
        sa.Column("closed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("suppression_min >= 2", name=op.f("ck_official_round_threshold_sensible")),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["wave.id"], name=op.f("fk_official_round_wave_id_wave"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_round")),
        sa.UniqueConstraint("wave_id", name=op.f("uq_official_round_wave_id")),
        sa.UniqueConstraint("year", name=op.f("uq_official_round_year")),
    )
    op.create_table(
        "official_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=30), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("percent", sa.Double(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "percent >= 0 AND percent <= 100", name=op.f("ck_official_reference_percent_range")
        ),
        sa.CheckConstraint(
            "sex IN ('all', 'woman', 'man')", name=op.f("ck_official_reference_sex_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_reference")),
    )


def downgrade():
    op.drop_table("official_reference")
    op.drop_table("official_round")
    op.drop_table("seat_count")
    op.drop_table("political_body")
    with op.batch_alter_table("single_use_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_single_use_code_wave_id"))
    op.drop_table("single_use_code")
    # Answers of other populations cannot be kept in the pupils' schema.
    op.execute("DELETE FROM wave WHERE population != 'pupils'")
    op.execute("DELETE FROM instrument WHERE population != 'pupils'")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_response_sex_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_response_sex_known"), sa.text(PUPIL_SEXES))
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_wave_pupils_have_group"), type_="check")
        batch_op.drop_constraint(op.f("ck_wave_population_known"), type_="check")
        batch_op.alter_column("code", existing_type=sa.String(length=6), nullable=False)
        batch_op.alter_column("phase", existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column("group_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("population")
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_instrument_population_known"), type_="check")
        batch_op.drop_column("population")
