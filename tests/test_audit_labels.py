"""The audit log speaks the reader's language: every coded value has a label, every object is
named so that a reader knows which one (a lesson by group and school), school years as 2025/26.

The first test walks the models: a column whose values are limited to a list of codes (a check
constraint `column IN (...)`) on an audited model must have a Swedish label for every code, so
a new code without a label fails here."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from mvp.audit.labels import value_label, value_labels
from mvp.audit.mixin import Audited
from mvp.audit.models import AuditEvent
from mvp.db import Base
from mvp.extensions import db
from mvp.rollout import services as rollout_services
from mvp.rollout.readiness import Item as ReadinessItem
from mvp.rollout.services import StageData
from tests.delivery_factories import (
    make_plan,
    make_trained_leader,
    make_training,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in


def coded_columns() -> list[tuple[str, str, list[str]]]:
    """(table, column, codes) for every `column IN (codes)` check on an audited model."""
    found = []
    for mapper in Base.registry.mappers:
        if not issubclass(mapper.class_, Audited):
            continue
        table = mapper.local_table
        for constraint in table.constraints:
            if not isinstance(constraint, sa.CheckConstraint):
                continue
            expression = constraint.sqltext
            right = getattr(expression, "right", None)
            if getattr(right, "expanding", False) and isinstance(right.value, list):
                found.append((table.name, expression.left.name, list(right.value)))
    return found


def test_the_walk_finds_the_coded_columns(app):
    columns = {(table, column) for table, column, _codes in coded_columns()}
    assert {
        ("user", "role"),
        ("school", "kind"),
        ("leader", "role"),
        ("leader", "sex"),
        ("training", "kind"),
        ("lesson", "delivered"),
        ("wave", "phase"),
        ("school_rollout", "stage"),
    } <= columns


def test_every_code_of_an_audited_column_has_a_swedish_label(app):
    missing = []
    with app.test_request_context(), force_locale("sv"):
        for table, column, codes in coded_columns():
            labels = value_labels(table, column)
            for code in codes:
                if labels is None or code not in labels:
                    missing.append(f"{table}.{column} = {code!r}")
                elif str(labels[code]) in ("", code) and not code[:1].isdigit():
                    missing.append(f"{table}.{column} = {code!r} (label is the code)")
    assert missing == [], "no Swedish label in the audit log for: " + ", ".join(missing)


def test_every_readiness_item_and_stage_of_a_change_has_a_label(app):
    with app.test_request_context(), force_locale("sv"):
        items = [str(value_label("stage_change", "missing", [i.value for i in ReadinessItem]))]
    assert not any(i.value in items[0] for i in ReadinessItem)


@pytest.fixture
def pilot(app):
    school = make_school(name="Hallsta skola", kind="7-9")
    leaders = [make_trained_leader(school, name=n) for n in ("Karin Ek", "Ahmed Yusuf")]
    group = make_group(school, name="8B", school_year=2025)
    set_up_group(group, make_plan(14, name="MVP högstadiet"), leaders)
    return school, group


def test_the_log_names_lessons_by_group_and_school_and_writes_codes_in_words(client, pilot):
    school, group = pilot
    lesson = record_lesson(
        group, 3, held_on=dt.date(2025, 9, 15), delivered="partly", adaptation="Kortare."
    )
    make_training("staff_half_day", on=dt.date(2025, 8, 20), hours=3.5, school=school)
    rollout_services.change_stage(
        school,
        StageData(stage="established", changed_on=None, reason="Andra året."),
        actor=None,
        today=dt.date.today(),
    )
    db.session.commit()
    [logged] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "lesson")
    ).all()
    assert logged.object_id == lesson.id
    assert logged.object_label == "8B, Hallsta skola: lektion 3 (2025-09-15)"

    sign_in(client, make_user("lead"))
    page = client.get("/audit/").get_data(as_text=True)
    assert "Hållen lektion: 8B, Hallsta skola: lektion 3 (2025-09-15)" in page
    assert "Delvis enligt plan" in page and "partly" not in page
    assert "Personalhalvdag 2025-08-20, Hallsta skola" in page and "staff_half_day" not in page
    assert "Läsår</strong>: 2025/26" in page
    assert "Hallsta skola: Ej påbörjad → Etablerad" in page
    assert "first_round" not in page and "established" not in page
