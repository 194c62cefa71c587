"""Lesson plans, a group's plan and leader pair, and recording held lessons from the group's
page: defaults, every rule of bad input, edit and delete, and the page's query count."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.extensions import db
from mvp.lessons import services
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson
from mvp.lessons.services import LessonData, PlanData
from mvp.schools.models import StudentGroup
from mvp.schools.years import current_school_year
from mvp.validation import Invalid
from tests.delivery_factories import (
    lesson_day,
    make_leader,
    make_plan,
    make_trained_leader,
    make_training,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in

TODAY = dt.date.today()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def delivery(app):
    """A school with a trained pair leading group 8A (12 girls, 11 boys, 1 other), 14 lessons."""
    school = make_school(name="Långsjöskolan")
    first = make_trained_leader(school, name="Karin Ek")
    second = make_trained_leader(school, name="Ahmed Yusuf", sex="man")
    group = set_up_group(make_group(school, name="8A"), make_plan(14), [first, second])
    coordinator = make_user("coordinator", schools=[school])
    return school, group, (first, second), coordinator


def lesson_form(group, leaders, **overrides):
    data = {
        "number": "1",
        "held_on": lesson_day(group).isoformat(),
        "minutes": "60",
        "leader_ids": [str(leader.id) for leader in leaders],
        "girls_present": "12",
        "boys_present": "10",
        "others_present": "1",
        "delivered": "fully",
        "adaptation": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# --- lesson plans ------------------------------------------------------------------------------


def test_every_installation_gets_the_standard_lesson_plans(app, runner):
    result = runner.invoke(args=["lessons", "load-plans"])
    assert result.exit_code == 0, result.output
    assert "Lektionsplaner som lades till" in result.output
    plans = {plan.name: plan for plan in db.session.scalars(sa.select(Curriculum))}
    lengths = {name: plan.lesson_count for name, plan in plans.items()}
    assert lengths == {
        "MVP högstadiet": 14,
        "MVP gymnasiet": 14,
        "Agera tillsammans, mellanstadiet": 17,
        "Elevmentorer": 11,
    }
    for plan in plans.values():
        assert [lesson.number for lesson in plan.lessons] == list(range(1, plan.lesson_count + 1))
        assert all(lesson.theme.strip() for lesson in plan.lessons)
    # A lead's edits survive a second run, and nothing is added twice.
    plans["MVP högstadiet"].lessons[0].theme = "Vår egen inledning"
    db.session.commit()
    result = runner.invoke(args=["lessons", "load-plans"])
    assert "ingenting ändrades" in result.output
    assert count(Curriculum) == 4
    assert (
        db.session.scalar(
            sa.select(CurriculumLesson.theme)
            .where(CurriculumLesson.number == 1)
            .join(Curriculum)
            .where(Curriculum.name == "MVP högstadiet")
        )
        == "Vår egen inledning"
    )


def test_a_lead_edits_a_plans_lessons_and_the_log_shows_each_theme(client):
    plan = make_plan(3, name="Provplan")
    sign_in(client, make_user("lead"))
    form = client.get(f"/plans/{plan.id}/edit").get_data(as_text=True)
    assert "Tema 1\nTema 2\nTema 3" in form
    response = client.post(
        f"/plans/{plan.id}/edit",
        data={"name": "Provplan", "themes": "Tema 1\nNy rubrik\nTema 3\nTema 4", "active": "y"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Ändringarna sparades." in page and "Ny rubrik" in page and "Tema 4" in page
    plan = db.session.get(Curriculum, plan.id)
    assert [lesson.theme for lesson in plan.lessons] == ["Tema 1", "Ny rubrik", "Tema 3", "Tema 4"]
    logged = db.session.scalars(
        sa.select(AuditEvent.changes).where(AuditEvent.object_type == "curriculum_lesson")
    ).all()
    assert {"theme": ["Tema 2", "Ny rubrik"]} in logged


def test_coordinators_read_plans_but_cannot_change_them(client):
    plan = make_plan(3)
    sign_in(client, make_user("coordinator", schools=[make_school()]))
    assert client.get(f"/plans/{plan.id}").status_code == 200
    assert client.get(f"/plans/{plan.id}/edit").status_code == 403


def test_a_plan_cannot_shrink_below_a_lesson_held(delivery):
    _school, group, _pair, _c = delivery
    record_lesson(group, 1)
    record_lesson(group, 12)
    with pytest.raises(Invalid) as error:
        services.update_plan(group.curriculum, PlanData(group.curriculum.name, ["a"] * 11))
    assert "Lektion 12 har hållits med 8A (Långsjöskolan)" in error.value.errors["themes"]
    assert group.curriculum.lesson_count == 14


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        ("", "Skriv varje lektions rubrik"),
        ("\n".join(["x"] * 41), "högst 40 lektioner"),
        ("kort\n" + "x" * 201, "för lång: lektion 2"),
    ],
)
def test_bad_plans_are_refused(client, themes, message):
    sign_in(client, make_user("lead"))
    response = client.post("/plans/new", data={"name": "Ny plan", "themes": themes})
    assert message in response.get_data(as_text=True)
    assert count(Curriculum) == 0


def test_a_plan_in_use_cannot_be_removed_but_an_unused_one_can(client, delivery):
    _school, group, _pair, _c = delivery
    unused = make_plan(2, name="Oanvänd plan")
    sign_in(client, make_user("lead"))
    response = client.post(f"/plans/{group.curriculum_id}/delete", follow_redirects=True)
    assert "1 elevgrupp följer lektionsplanen" in response.get_data(as_text=True)
    response = client.post(f"/plans/{unused.id}/delete", follow_redirects=True)
    assert "Lektionsplanen Oanvänd plan togs bort." in response.get_data(as_text=True)
    assert count(Curriculum) == 1


# --- plan and leader pair ----------------------------------------------------------------------


def test_coordinator_gives_a_group_its_plan_and_pair_with_the_grade_suggested(client):
    school = make_school()
    services.load_standard_plans()
    db.session.commit()
    group = make_group(school, name="8B", grade=8)
    karin, central = make_leader(school, name="Karin Ek"), make_leader(None, name="Helena S")
    sign_in(client, make_user("coordinator", schools=[school]))
    form = client.get(f"/groups/{group.id}/delivery").get_data(as_text=True)
    suggested = re.search(r'<option selected value="(\d+)">MVP högstadiet', form)
    assert suggested, "MVP högstadiet is suggested for grade 8"
    assert "Helena S (central)" in form
    response = client.post(
        f"/groups/{group.id}/delivery",
        data={
            "curriculum_id": suggested.group(1),
            "leader_1_id": str(karin.id),
            "leader_2_id": str(central.id),
        },
    )
    assert response.status_code == 302
    group = db.session.get(StudentGroup, group.id)
    assert group.curriculum.name == "MVP högstadiet"
    assert {leader.name for leader in group.leader_pair} == {"Karin Ek", "Helena S"}


@pytest.mark.parametrize("problem", ["other_school", "same_twice"])
def test_a_pair_needs_two_leaders_of_the_school(client, problem):
    school, other = make_school(name="Egna"), make_school()
    plan = make_plan(14)
    group = make_group(school)
    karin, foreign = make_leader(school), make_leader(other)
    second = foreign if problem == "other_school" else karin
    sign_in(client, make_user("lead"))
    response = client.post(
        f"/groups/{group.id}/delivery",
        data={
            "curriculum_id": str(plan.id),
            "leader_1_id": str(karin.id),
            "leader_2_id": str(second.id),
        },
    )
    page = response.get_data(as_text=True)
    expected = {
        "other_school": "Välj en ledare på Egna eller en central ledare.",
        "same_twice": "Välj två olika ledare.",
    }[problem]
    assert expected in page
    assert db.session.get(StudentGroup, group.id).curriculum_id is None


def test_group_page_warns_about_an_incomplete_pair_and_training(client):
    school = make_school()
    newcomer = make_leader(school, name="Nils Åkesson")
    group = set_up_group(make_group(school), make_plan(14), [newcomer])
    sign_in(client, make_user("lead"))
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Ofullständigt par: 1 av 2 ledare" in page
    assert "Nils Åkesson" in page and "Ej utbildad" in page
    old = make_leader(school, name="Petra Ås")
    make_training(on=TODAY - dt.timedelta(days=4 * 365), attended=[old])
    set_up_group(group, group.curriculum, [newcomer, old])
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Ofullständigt par" not in page
    assert "Dags för repetitionsutbildning" in page


# --- recording lessons -------------------------------------------------------------------------


def test_the_group_page_shows_the_plan_as_a_grid_and_the_next_lesson(client, delivery):
    _school, group, _pair, coordinator = delivery
    record_lesson(group, 1, held_on=lesson_day(group, 14))
    record_lesson(group, 2, held_on=lesson_day(group, 7))
    sign_in(client, coordinator)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Lektionsplan Plan" in page and "2 av 14 lektioner hållna" in page
    assert lesson_day(group, 14).isoformat() in page
    assert page.count("Inte än – registrera") == 12
    assert "Registrera lektion 3" in page
    assert f'href="/groups/{group.id}/lessons/new?number=5"' in page


def test_the_record_form_offers_the_next_lesson_today_and_the_pair(client, delivery):
    _school, group, (karin, ahmed), coordinator = delivery
    record_lesson(group, 1)
    record_lesson(group, 2)
    record_lesson(group, 4)
    other = make_leader(group.school, name="Sara Lind")
    sign_in(client, coordinator)
    page = client.get(f"/groups/{group.id}/lessons/new").get_data(as_text=True)
    assert re.search(r'<option selected value="3">3\. Tema 3</option>', page)
    assert "4. Tema 4 – hållen" in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert re.search(r'id="minutes"[^>]*value="60"', page)
    for leader in (karin, ahmed):
        assert re.search(rf'checked[^>]*value="{leader.id}"|value="{leader.id}"[^>]*checked', page)
    assert not re.search(rf'value="{other.id}"[^>]*checked', page)
    assert re.search(r'id="girls_present"[^>]*value="12"', page)


def test_coordinator_records_a_lesson_and_it_is_audited(client, delivery):
    _school, group, pair, coordinator = delivery
    sign_in(client, coordinator)
    response = client.post(
        f"/groups/{group.id}/lessons/new",
        data=lesson_form(group, pair, half_groups="y", single_sex="y"),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Lektion 1 registrerades." in page
    assert "Registrera lektion 2" in page
    lesson = db.session.scalar(sa.select(Lesson))
    assert (lesson.girls_present, lesson.boys_present, lesson.others_present) == (12, 10, 1)
    assert lesson.half_groups and lesson.single_sex
    assert {leader.name for leader in lesson.leaders} == {"Karin Ek", "Ahmed Yusuf"}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "lesson"))
    assert event.action == "create" and event.actor_label == coordinator.email
    assert sorted(event.changes["leaders"][1]) == ["Ahmed Yusuf", "Karin Ek"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"girls_present": "13"}, "girls_present", "Högst 12: gruppen har 12 flickor."),
        ({"boys_present": "12"}, "boys_present", "Högst 11: gruppen har 11 pojkar."),
        ({"others_present": "2"}, "others_present", "Högst 1: gruppen har 1 elev med annat"),
        ({"held_on": "FUTURE"}, "held_on", "Datumet kan inte ligga i framtiden."),
        ({"held_on": "LAST_YEAR"}, "held_on", "Datumet måste ligga inom gruppens läsår"),
        ({"held_on": "igår"}, "held_on", "Skriv datumet som 2026-11-27."),
        ({"number": "15"}, "number", "Gruppens lektionsplan har 14 lektioner; det finns ingen "),
        ({"number": "DUPLICATE"}, "number", "Lektion 1 hölls redan"),
        ({"is_repeat": "y", "number": "2"}, "is_repeat", "Lektion 2 har inte hållits än"),
        ({"leader_ids": "FOREIGN"}, "leader_ids", "Bara ledare på Långsjöskolan eller centrala"),
        ({"leader_ids": []}, "leader_ids", "Kryssa i de ledare som ledde lektionen."),
        ({"delivered": "partly"}, "adaptation", "Beskriv vad som anpassades eller utgick"),
        ({"delivered": "not", "adaptation": "  "}, "adaptation", "Beskriv vad som anpassades"),
        (
            {"girls_present": "0", "boys_present": "0", "others_present": "0"},
            "girls_present",
            "Ange hur många elever som var närvarande.",
        ),
        ({"single_sex": "y"}, "single_sex", "Könsuppdelade grupper är halvgrupper"),
        ({"minutes": "0"}, "minutes", "Ange lektionens längd i minuter, från 1 till 240."),
        ({"boys_present": "-1"}, "boys_present", "Ange ett heltal, 0 eller mer."),
    ],
)
def test_bad_lesson_input_is_refused_and_nothing_saved(client, delivery, overrides, field, message):
    _school, group, pair, coordinator = delivery
    if overrides.get("number") == "DUPLICATE":
        record_lesson(group, 1)
        overrides["number"] = "1"
    if overrides.get("held_on") == "FUTURE":
        overrides["held_on"] = (TODAY + dt.timedelta(days=1)).isoformat()
    if overrides.get("held_on") == "LAST_YEAR":
        overrides["held_on"] = dt.date(group.school_year, 6, 15).isoformat()
    if overrides.get("leader_ids") == "FOREIGN":
        foreign = make_leader(make_school(name="Hallsta skola"), name="Daniel Berg")
        overrides["leader_ids"] = [str(pair[0].id), str(foreign.id)]
    before = count(Lesson)
    sign_in(client, coordinator)
    response = client.post(
        f"/groups/{group.id}/lessons/new", data=lesson_form(group, pair, **overrides)
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rätta följande" in page
    error = re.search(rf'id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1), f"{field}: {error and error.group(1)}"
    assert count(Lesson) == before


def test_a_central_leader_may_lead_and_a_repeat_does_not_add_to_the_dose(app, delivery):
    _school, group, (karin, _ahmed), _c = delivery
    central = make_leader(None, name="Helena Strömberg")
    record_lesson(group, 1, leaders=[karin, central], held_on=lesson_day(group, 3))
    record_lesson(group, 1, is_repeat=True, girls_present=2, boys_present=1, others_present=0)
    result = services.group_delivery(group)
    assert result.fidelity.figures.held == 1 and result.fidelity.figures.repeats == 1
    assert result.next_number == 2
    assert len(result.grid[0].repeats) == 1


def test_a_lesson_is_edited_and_removed_after_confirming(client, delivery):
    _school, group, pair, coordinator = delivery
    lesson = record_lesson(group, 1, held_on=lesson_day(group, 2))
    sign_in(client, coordinator)
    form = client.get(f"/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert "Ändra lektion 1" in form
    day = lesson_day(group, 1).isoformat()
    response = client.post(
        f"/lessons/{lesson.id}/edit",
        data=lesson_form(group, pair, held_on=day, delivered="partly", adaptation="Kortad."),
    )
    assert response.status_code == 302
    lesson = db.session.get(Lesson, lesson.id)
    assert (lesson.held_on.isoformat(), lesson.delivered) == (day, "partly")
    confirm = client.get(f"/lessons/{lesson.id}/delete").get_data(as_text=True)
    assert "Vill du ta bort lektion 1 för grupp 8A" in confirm
    assert count(Lesson) == 1
    response = client.post(f"/lessons/{lesson.id}/delete", follow_redirects=True)
    assert "Lektion 1 togs bort." in response.get_data(as_text=True)
    assert count(Lesson) == 0
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "lesson")
    ).all()
    assert sorted(actions) == ["create", "delete", "update"]


def test_an_original_lesson_with_repeats_stays(app, delivery):
    _school, group, _pair, _c = delivery
    original = record_lesson(group, 3, held_on=lesson_day(group, 5))
    record_lesson(group, 3, is_repeat=True)
    with pytest.raises(Invalid) as error:
        services.delete_lesson(original)
    assert "har upprepningar" in error.value.errors["lesson"]
    data = LessonData(
        number=4,
        held_on=original.held_on,
        leader_ids=[leader.id for leader in original.leaders],
        girls_present=1,
    )
    with pytest.raises(Invalid):
        services.update_lesson(original, data)


def test_another_schools_lessons_answer_404_to_a_coordinator(client, delivery):
    _school, _group, _pair, coordinator = delivery
    other = make_school()
    theirs = set_up_group(make_group(other), make_plan(14), [make_leader(other)])
    lesson = record_lesson(theirs, 1)
    sign_in(client, coordinator)
    assert client.get(f"/lessons/{lesson.id}/edit").status_code == 404
    assert client.post(f"/lessons/{lesson.id}/delete").status_code == 404
    assert count(Lesson) == 1


def test_a_group_without_a_plan_is_sent_to_choose_one(client):
    school = make_school()
    group = make_group(school)
    sign_in(client, make_user("lead"))
    response = client.get(f"/groups/{group.id}/lessons/new", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Välj först en lektionsplan för gruppen." in page
    assert "Lektionsplan och ledarpar" in page


def test_a_group_with_held_lessons_cannot_be_removed(client, delivery):
    _school, group, _pair, coordinator = delivery
    record_lesson(group, 1)
    sign_in(client, coordinator)
    response = client.post(f"/groups/{group.id}/delete", follow_redirects=True)
    assert "Gruppen har 1 registrerad MVP-lektion," in response.get_data(as_text=True)
    assert count(StudentGroup) == 1


def test_the_group_page_keeps_its_query_count_as_lessons_grow(client, count_queries, delivery):
    school, group, pair, coordinator = delivery
    sign_in(client, coordinator)
    record_lesson(group, 1, held_on=lesson_day(group, 30))
    with count_queries() as few:
        assert client.get(f"/groups/{group.id}").status_code == 200
    extra = [make_trained_leader(school) for _ in range(3)]
    for number in range(2, 15):
        leaders = [pair[0], extra[number % 3]]
        record_lesson(group, number, held_on=lesson_day(group, 30 - number), leaders=leaders)
    record_lesson(group, 5, is_repeat=True, girls_present=1, boys_present=0, others_present=0)
    for index in range(5):
        set_up_group(make_group(school, name=f"9{index}"), group.curriculum, pair)
    with count_queries() as many:
        page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "14 av 14 lektioner hållna" in page
    assert len(many) == len(few), "\n".join(many)


def test_lesson_dates_follow_the_groups_school_year(app):
    school = make_school()
    leader = make_leader(school)
    group = set_up_group(
        make_group(school, school_year=current_school_year() - 1), make_plan(14), [leader]
    )
    lesson = record_lesson(group, 1, held_on=dt.date(group.school_year + 1, 5, 20))
    assert lesson.held_on.year == group.school_year + 1
