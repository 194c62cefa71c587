"""MVP leaders and trainings: what coordinators and leads enter, who counts as trained, and
every bad input."""

import datetime as dt

import pytest
import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.extensions import db
from mvp.mentors import services
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.mentors.services import LeaderData, TrainingData, training_status
from mvp.validation import Invalid
from tests.delivery_factories import (
    make_leader,
    make_plan,
    make_trained_leader,
    make_training,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in

TODAY = dt.date.today()


def leader_form(**overrides):
    data = {"name": "Karin Ek", "email": "karin.ek@kommun.se", "role": "teacher", "sex": "woman"}
    data.update(overrides)
    return data


def training_form(**overrides):
    data = {
        "kind": "supervision",
        "title": "Handledning 1",
        "starts_on": (TODAY - dt.timedelta(days=7)).isoformat(),
        "ends_on": "",
        "hours": "3,5",
        "trainer": "Helena Strömberg",
        "other_attendees": "0",
        "notes": "",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- leaders ---------------------------------------------------------------------------------


def test_coordinator_adds_a_leader_to_their_school(client):
    school = make_school(name="Långsjöskolan")
    sign_in(client, make_user("coordinator", schools=[school]))
    response = client.post(
        "/leaders/new", data=leader_form(school_id=str(school.id)), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Karin Ek lades till som MVP-ledare." in page
    assert "Långsjöskolan" in page and "Lärare" in page and "Ej utbildad" in page
    leader = db.session.scalar(sa.select(Leader))
    assert (leader.school_id, leader.role, leader.sex) == (school.id, "teacher", "woman")


def test_a_lead_adds_a_central_leader_but_a_coordinator_cannot(client):
    school = make_school()
    sign_in(client, make_user("coordinator", schools=[school]))
    response = client.post("/leaders/new", data=leader_form(school_id=""))
    assert "Välj en av dina skolor." in response.get_data(as_text=True)
    assert count(Leader) == 0
    sign_in(client, make_user("lead"))
    assert client.post("/leaders/new", data=leader_form(school_id="")).status_code == 302
    assert db.session.scalar(sa.select(Leader)).school_id is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Ange ledarens namn."),
        ({"email": "inte-en-adress"}, "Ange en e-postadress"),
        ({"role": "rektor"}, "Välj ledarens roll."),
        ({"sex": "x"}, "Välj ett av alternativen."),
    ],
)
def test_bad_leader_input_is_refused_in_swedish(client, overrides, message):
    school = make_school()
    sign_in(client, make_user("lead"))
    response = client.post("/leaders/new", data=leader_form(school_id=str(school.id), **overrides))
    page = response.get_data(as_text=True)
    assert "Rätta följande" in page and message in page
    assert count(Leader) == 0


def test_a_coordinator_cannot_file_a_leader_under_another_school(client):
    own, other = make_school(), make_school()
    sign_in(client, make_user("coordinator", schools=[own]))
    response = client.post("/leaders/new", data=leader_form(school_id=str(other.id)))
    assert "Välj en av dina skolor." in response.get_data(as_text=True)
    assert count(Leader) == 0


def test_leader_emails_are_unique(app):
    make_leader(make_school(), email="karin@kommun.se")
    with pytest.raises(Invalid) as error:
        services.create_leader(
            LeaderData("Karin Två", None, "teacher", email="KARIN@kommun.se"),
            user=make_user("lead"),
        )
    assert "redan en ledare med den e-postadressen" in error.value.errors["email"]


def test_coordinator_sees_own_and_central_leaders_only(client):
    own, other = make_school(name="Egna"), make_school(name="Andra")
    make_leader(own, name="Egen Ledare")
    make_leader(other, name="Annan Ledare")
    central = make_leader(None, name="Central Utbildare")
    foreign = db.session.scalar(sa.select(Leader).where(Leader.name == "Annan Ledare"))
    sign_in(client, make_user("coordinator", schools=[own]))
    page = client.get("/leaders/").get_data(as_text=True)
    assert "Egen Ledare" in page and "Central Utbildare" in page
    assert "Annan Ledare" not in page
    assert client.get(f"/leaders/{foreign.id}").status_code == 404
    # A central leader can be seen, but only a project lead changes them.
    assert client.get(f"/leaders/{central.id}").status_code == 200
    assert client.get(f"/leaders/{central.id}/edit").status_code == 403


def test_a_leader_who_leads_a_group_cannot_move_to_another_school(app):
    school, other = make_school(name="Egna"), make_school()
    leader = make_leader(school, name="Karin Ek")
    set_up_group(make_group(school, name="8A"), make_plan(), [leader])
    with pytest.raises(Invalid) as error:
        services.update_leader(
            leader, LeaderData("Karin Ek", other.id, "teacher"), user=make_user("lead")
        )
    assert "8A (Egna)" in error.value.errors["school_id"]


def test_leader_page_shows_groups_lessons_and_trainings(client):
    school = make_school()
    leader = make_trained_leader(school, name="Karin Ek")
    partner = make_trained_leader(school, name="Ahmed Yusuf")
    group = set_up_group(make_group(school, name="8B"), make_plan(), [leader, partner])
    record_lesson(group, 1)
    sign_in(client, make_user("lead"))
    page = client.get(f"/leaders/{leader.id}").get_data(as_text=True)
    assert "8B" in page and "Ahmed Yusuf" in page
    assert "Ledarutbildning (3 dagar)" in page
    assert "Ledda lektioner" in page and "<dd>1</dd>" in page


def test_a_leader_who_led_lessons_cannot_be_removed(client):
    school = make_school()
    leader = make_leader(school, name="Karin Ek")
    record_lesson(set_up_group(make_group(school), make_plan(), [leader]), 1)
    sign_in(client, make_user("lead"))
    response = client.post(f"/leaders/{leader.id}/delete", follow_redirects=True)
    assert "Karin Ek har lett 1 lektion," in response.get_data(as_text=True)
    assert count(Leader) == 1


def test_removing_a_leader_leaves_their_pairs_in_the_log(client):
    school = make_school()
    leader = make_leader(school, name="Karin Ek")
    group = set_up_group(make_group(school, name="8C"), make_plan(), [leader])
    sign_in(client, make_user("coordinator", schools=[school]))
    confirm = client.get(f"/leaders/{leader.id}/delete").get_data(as_text=True)
    assert "Vill du ta bort Karin Ek" in confirm and "8C" in confirm
    response = client.post(f"/leaders/{leader.id}/delete", follow_redirects=True)
    assert "Karin Ek togs bort." in response.get_data(as_text=True)
    assert count(Leader) == 0
    db.session.refresh(group)
    assert group.leader_1_id is None
    changes = db.session.scalars(
        sa.select(AuditEvent.changes).where(
            AuditEvent.object_type == "student_group", AuditEvent.action == "update"
        )
    ).all()
    assert any("leader_1_id" in change for change in changes)


# --- who is trained ----------------------------------------------------------------------------


def test_training_status_needs_an_attended_leader_training_and_flags_old_ones():
    today = dt.date(2026, 11, 27)
    untrained = training_status(None, None, 0, today=today, refresher_years=3)
    assert not untrained.trained and not untrained.refresher_due
    fresh = training_status(
        dt.date(2024, 8, 12), dt.date(2024, 8, 12), 6, today=today, refresher_years=3
    )
    assert fresh.trained and not fresh.refresher_due and fresh.supervision_hours == 6
    old = training_status(
        dt.date(2022, 8, 12), dt.date(2023, 11, 26), 0, today=today, refresher_years=3
    )
    assert old.refresher_due
    renewed = training_status(
        dt.date(2019, 8, 12), dt.date(2024, 3, 1), 0, today=today, refresher_years=3
    )
    assert renewed.trained and not renewed.refresher_due


def test_statuses_count_attended_trainings_only(app):
    school = make_school()
    trained, absent, old, renewed = (make_leader(school) for _ in range(4))
    make_training(attended=[trained], registered=[absent])
    make_training(on=TODAY - dt.timedelta(days=4 * 365), attended=[old, renewed])
    make_training("refresher", on=TODAY - dt.timedelta(days=100), hours=7, attended=[renewed])
    make_training("supervision", hours=3, school=school, attended=[trained])
    make_training("supervision", hours=2.5, school=school, attended=[trained], registered=[old])
    statuses = services.training_statuses([trained.id, absent.id, old.id, renewed.id])
    assert statuses[trained.id].trained and statuses[trained.id].supervision_hours == 5.5
    assert not statuses[absent.id].trained
    assert statuses[old.id].refresher_due and statuses[old.id].supervision_hours == 0
    assert statuses[renewed.id].trained and not statuses[renewed.id].refresher_due


def test_the_refresher_interval_is_a_setting(app):
    leader = make_leader(make_school())
    make_training(on=TODAY - dt.timedelta(days=2 * 365), attended=[leader])
    assert not services.training_statuses([leader.id])[leader.id].refresher_due
    app.config["REFRESHER_YEARS"] = 1
    try:
        assert services.training_statuses([leader.id])[leader.id].refresher_due
    finally:
        app.config["REFRESHER_YEARS"] = 3


def test_leader_list_flags_untrained_and_refresher_due(client):
    school = make_school()
    make_leader(school, name="Ny Ledare")
    old = make_leader(school, name="Gammal Ledare", sex="man")
    make_training(on=TODAY - dt.timedelta(days=5 * 365), attended=[old])
    sign_in(client, make_user("lead"))
    page = client.get("/leaders/").get_data(as_text=True)
    assert "Ej utbildad" in page and "Dags för repetition" in page
    assert "⚠" in page  # a warning is text and an icon, not colour alone


# --- trainings ---------------------------------------------------------------------------------


def test_coordinator_enters_a_supervision_session_and_marks_attendance(client):
    school = make_school(name="Hallsta skola")
    anna = make_leader(school, name="Anna Wikström")
    robin = make_leader(school, name="Robin Ek", sex="other")
    sign_in(client, make_user("coordinator", schools=[school]))
    response = client.post("/trainings/new", data=training_form(school_id=str(school.id)))
    training = db.session.scalar(sa.select(Training))
    assert response.headers["Location"].endswith(f"/trainings/{training.id}/participants")
    assert (training.hours, training.school_id) == (3.5, school.id)
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Deltagande för Anna Wikström" in form
    response = client.post(
        f"/trainings/{training.id}/participants",
        data={f"leader_{anna.id}": "attended", f"leader_{robin.id}": "registered"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Deltagarna sparades." in page
    assert "1 av 2 anmälda ledare deltog." in page
    status = services.training_statuses([anna.id, robin.id])
    assert status[anna.id].supervision_hours == 3.5 and status[robin.id].supervision_hours == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts_on": "27/11/2026"}, "Skriv datumet som 2026-11-27."),
        ({"ends_on": "2020-01-01"}, "Sista dagen kan inte vara före den första."),
        ({"hours": "tre"}, "Ange timmarna som ett tal, till exempel 3 eller 3,5."),
        ({"hours": "0"}, "Ange timmarna, mer än 0 och högst 100."),
        ({"kind": "fest"}, "Välj typ av utbildning."),
        ({"other_attendees": "-2"}, "Ange ett heltal, 0 eller mer."),
    ],
)
def test_bad_training_input_is_refused(client, overrides, message):
    school = make_school()
    sign_in(client, make_user("lead"))
    response = client.post(
        "/trainings/new", data=training_form(school_id=str(school.id), **overrides)
    )
    page = response.get_data(as_text=True)
    assert "Rätta följande" in page and message in page
    assert count(Training) == 0


def test_nobody_attends_a_training_that_has_not_happened(app):
    school = make_school()
    leader = make_leader(school)
    training = make_training(
        "supervision", on=TODAY + dt.timedelta(days=10), hours=3, school=school
    )
    lead = make_user("lead")
    with pytest.raises(Invalid) as error:
        services.set_participants(lead, training, {leader.id: "attended"})
    assert "inte ägt rum" in error.value.errors[f"leader_{leader.id}"]
    services.set_participants(lead, training, {leader.id: "registered"})
    assert count(TrainingParticipant) == 1


def test_a_school_training_takes_only_its_own_and_central_leaders(app):
    school, other = make_school(), make_school()
    own, central, foreign = make_leader(school), make_leader(None), make_leader(other)
    training = make_training("supervision", hours=3, school=school)
    lead = make_user("lead")
    with pytest.raises(Invalid) as error:
        services.set_participants(
            lead, training, {own.id: "attended", central.id: "attended", foreign.id: "attended"}
        )
    assert set(error.value.errors) == {f"leader_{foreign.id}"}
    assert count(TrainingParticipant) == 0  # all or nothing
    services.set_participants(lead, training, {own.id: "attended", central.id: "attended"})
    assert count(TrainingParticipant) == 2


def test_coordinators_see_central_trainings_but_change_only_their_own(client):
    school, other = make_school(), make_school()
    central = make_training(title="Gemensam ledarutbildning")
    foreign = make_training("supervision", hours=3, school=other, title="Deras handledning")
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get("/trainings/").get_data(as_text=True)
    assert "Gemensam ledarutbildning" in page and "Deras handledning" not in page
    assert client.get(f"/trainings/{central.id}").status_code == 200
    assert client.get(f"/trainings/{central.id}/edit").status_code == 403
    assert client.get(f"/trainings/{foreign.id}").status_code == 404


def test_removing_a_training_removes_its_participants_after_confirming(client):
    school = make_school()
    leader = make_leader(school)
    training = make_training(attended=[leader])
    sign_in(client, make_user("lead"))
    assert "Vill du ta bort utbildningen" in client.get(
        f"/trainings/{training.id}/delete"
    ).get_data(as_text=True)
    client.post(f"/trainings/{training.id}/delete")
    assert count(Training) == 0 and count(TrainingParticipant) == 0
    assert not services.training_statuses([leader.id])[leader.id].trained


def test_trainings_update_keeps_attended_ones_in_the_past(app):
    school = make_school()
    leader = make_leader(school)
    training = make_training("supervision", hours=3, school=school, attended=[leader])
    data = TrainingData("supervision", TODAY + dt.timedelta(days=3), 3, school_id=school.id)
    with pytest.raises(Invalid) as error:
        services.update_training(training, data, user=make_user("lead"))
    assert "starts_on" in error.value.errors


def test_the_leader_list_keeps_its_query_count(client, count_queries):
    school = make_school()
    sign_in(client, make_user("lead"))
    make_trained_leader(school)
    with count_queries() as few:
        assert client.get("/leaders/").status_code == 200
    plan = make_plan(14)
    for _ in range(4):
        other = make_school()
        pair = [make_trained_leader(other) for _ in range(2)]
        set_up_group(make_group(other), plan, pair)
        make_training("supervision", hours=3, school=other, attended=pair)
    with count_queries() as many:
        assert client.get("/leaders/").status_code == 200
    assert len(many) == len(few)


def test_a_leader_is_trained_once_the_leader_training_is_over(app):
    leader = make_leader(make_school())
    make_training(
        on=TODAY - dt.timedelta(days=1), ends_on=TODAY + dt.timedelta(days=1), attended=[leader]
    )
    assert not services.training_statuses([leader.id])[leader.id].trained
    later = TODAY + dt.timedelta(days=2)
    assert services.training_statuses([leader.id], today=later)[leader.id].trained
