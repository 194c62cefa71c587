"""The audit log: every create, update and delete with who, when and old → new."""

import sqlalchemy as sa

from mvp.audit.actor import set_actor
from mvp.audit.models import AuditEvent
from mvp.auth import services as auth_services
from mvp.extensions import db
from mvp.schools import services
from mvp.schools.services import GroupData
from tests.factories import make_group, make_school, make_user, sign_in


def events(object_type=None):
    statement = sa.select(AuditEvent).order_by(AuditEvent.id)
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    return list(db.session.scalars(statement))


def test_changes_through_the_ui_are_logged_with_who_and_old_and_new(client):
    lead = make_user("lead", email="maria@kommun.se")
    school = make_school(name="Hallsta skola")
    group = make_group(school, name="8A", girls=10, school_year=2025)
    sign_in(client, lead)
    client.post(
        f"/groups/{group.id}/edit",
        data={
            "school_year": "2025/26",
            "name": "8A",
            "grade": "8",
            "girls": "14",
            "boys": str(group.boys),
            "others": str(group.others),
        },
    )
    [update] = [e for e in events("student_group") if e.action == "update"]
    assert update.actor_label == "maria@kommun.se"
    assert update.actor_id == lead.id
    assert update.object_id == group.id
    assert update.changes == {"girls": [10, 14]}
    client.post(f"/groups/{group.id}/delete")
    [delete] = [e for e in events("student_group") if e.action == "delete"]
    assert delete.changes["name"] == ["8A", None]


def test_creation_records_the_new_values(app):
    set_actor(None)
    school = make_school(name="Kvarnbyskolan", kind="F-3", pupils_by_grade={1: 40})
    [create] = events("school")
    assert create.action == "create"
    assert create.object_id == school.id
    assert create.object_label == "Kvarnbyskolan"
    assert create.changes["kind"] == [None, "F-3"]
    assert create.changes["pupils_by_grade"] == [None, {"1": 40}]
    assert create.actor_label == "system"


def test_password_values_never_reach_the_log(app):
    user, _ = auth_services.create_user(email="a@kommun.se", role="lead", password="hemligt-ord-1")
    auth_services.reset_password(user)
    db.session.commit()
    for event in events("user"):
        text = str(event.changes)
        assert "hemligt" not in text
        assert "scrypt" not in text
    update = [e for e in events("user") if e.action == "update"][-1]
    assert update.changes["password_hash"] == ["***", "***"]


def test_a_coordinators_schools_are_logged_as_names(app):
    first, second = make_school(name="Första"), make_school(name="Andra")
    user, _ = auth_services.create_user(
        email="c@kommun.se", role="coordinator", school_ids=[first.id]
    )
    db.session.commit()
    auth_services.update_user(
        user,
        email=user.email,
        role="coordinator",
        name="",
        school_ids=[first.id, second.id],
        active=True,
    )
    db.session.commit()
    update = [e for e in events("user") if e.action == "update"][-1]
    assert update.changes["schools"] == [["Första"], ["Andra", "Första"]]


def test_a_rolled_back_change_leaves_no_log_entry(app):
    school = make_school()
    before = len(events())
    services.create_group(school, GroupData(2025, "9Z", 9, 5, 5, 0))
    db.session.rollback()
    assert len(events()) == before


def test_leads_filter_the_log_and_coordinators_cannot_read_it(client):
    lead = make_user("lead", email="maria@kommun.se")
    school = make_school(name="Hallsta skola")
    make_group(school, name="8A")
    sign_in(client, lead)
    page = client.get("/audit/?object_type=school").get_data(as_text=True)
    assert "Skola: Hallsta skola" in page
    assert "Elevgrupp: 8A" not in page
    page = client.get("/audit/?text=8A").get_data(as_text=True)
    assert "Elevgrupp: 8A" in page
    page = client.get("/audit/?date_from=2999-01-01").get_data(as_text=True)
    assert "0 händelser" in page
    coordinator_client = client.application.test_client()
    sign_in(coordinator_client, make_user("coordinator", schools=[school]))
    assert coordinator_client.get("/audit/").status_code == 403


def test_coded_values_and_fields_are_shown_in_the_readers_words(client):
    from mvp.auth import services as auth_services

    admin = make_user("admin")
    user, _ = auth_services.create_user(email="v@kommun.se", role="viewer")
    db.session.commit()
    auth_services.update_user(
        user, email=user.email, role="lead", name="", school_ids=[], active=True
    )
    db.session.commit()
    sign_in(client, admin)
    page = client.get("/audit/?object_type=user&action=update").get_data(as_text=True)
    assert "<strong>Roll</strong>: Läsare → Projektledare" in page
