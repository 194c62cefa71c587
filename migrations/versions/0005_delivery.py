"""delivery: the standard lesson plans every installation starts with (data only)

Revision ID: 0005_delivery
Revises: 0004_rollout
Create Date: 2026-11-27 15:00:00

The plans come from mvp/data/lesson_plans.toml. Plans already present (by name) are left
alone; after this they are ordinary data that project leads edit in the app, and
`flask --app mvp lessons load-plans` adds any standard plan that is missing.
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

from mvp.lessons.plans import standard_plans

# revision identifiers, used by Alembic.
revision = "0005_delivery"
down_revision = "0004_rollout"
branch_labels = None
depends_on = None

curriculum = sa.table(
    "curriculum",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("active", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
curriculum_lesson = sa.table(
    "curriculum_lesson",
    sa.column("curriculum_id", sa.Integer),
    sa.column("number", sa.Integer),
    sa.column("theme", sa.String),
)


def upgrade():
    connection = op.get_bind()
    present = {
        name.lower() for name in connection.scalars(sa.select(curriculum.c.name))
    }
    now = dt.datetime.now(dt.UTC)
    for plan in standard_plans():
        if plan.name.lower() in present:
            continue
        connection.execute(
            curriculum.insert().values(
                name=plan.name, description=plan.description, active=True, created_at=now
            )
        )
        plan_id = connection.scalar(
            sa.select(curriculum.c.id).where(curriculum.c.name == plan.name)
        )
        connection.execute(
            curriculum_lesson.insert(),
            [
                {"curriculum_id": plan_id, "number": number, "theme": theme}
                for number, theme in enumerate(plan.themes, start=1)
            ],
        )


def downgrade():
    # The plans are data that leads may have edited and groups follow; downgrading the
    # schema past this revision keeps them (0002_delivery drops the tables if it goes further).
    pass
