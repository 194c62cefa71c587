"""No silent overwrite: a save based on a form opened before someone else's save is refused,
says what they changed, and keeps what this user typed; saving again then keeps theirs."""

import html
import re

import pytest

from mvp.extensions import db
from mvp.lessons.models import Lesson
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import format_school_year
from tests.delivery_factories import (
    lesson_day,
    make_plan,
    make_trained_leader,
    record_lesson,
    set_up_group,
)
from tests.factories import make_group, make_school, make_user, sign_in

SOMEONE_ELSE = "Någon annan ändrade det här medan du hade formuläret öppet, så inget sparades."


def hidden(page: str, name: str) -> str:
    value = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)
    return html.unescape(value)


def opened_form(client, url: str) -> dict:
    """The hidden version fields of an edit form as this user opened it."""
    page = client.get(url).get_data(as_text=True)
    return {"version": hidden(page, "version"), "opened": hidden(page, "opened")}


@pytest.fixture
def two_coordinators(app):
    school = make_school(name="Långsjöskolan")
    pair = [make_trained_leader(school, name="Karin Ek"), make_trained_leader(school, name="Ali")]
    group = set_up_group(make_group(school, name="8A"), make_plan(14), pair)
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_user("coordinator", schools=[school], email="omar@kommun.se"))
    sign_in(second, make_user("coordinator", schools=[school], email="lisa@kommun.se"))
    return school, group, pair, first, second


def lesson_form(group, pair, **overrides):
    data = {
        "number": "1",
        "held_on": lesson_day(group, 2).isoformat(),
        "minutes": "60",
        "leader_ids": [str(leader.id) for leader in pair],
        "girls_present": "12",
        "boys_present": "11",
        "others_present": "1",
        "delivered": "fully",
        "adaptation": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_a_stale_lesson_edit_is_refused_with_their_change_and_my_input_kept(two_coordinators):
    _school, group, pair, omar, lisa = two_coordinators
    lesson = record_lesson(group, 1, held_on=lesson_day(group, 2), girls_present=12)
    url = f"/lessons/{lesson.id}/edit"
    omars, lisas = opened_form(omar, url), opened_form(lisa, url)
    # Omar corrects the girls present and saves first.
    response = omar.post(url, data={**lesson_form(group, pair, girls_present="9"), **omars})
    assert response.status_code == 302
    # Lisa, working from the page she opened before, adds notes.
    notes = "Eleverna diskuterade länge; vi hann inte övning 4."
    response = lisa.post(
        url, data={**lesson_form(group, pair, notes=notes, delivered="partly"), **lisas}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SOMEONE_ELSE in page
    assert "<li>Flickor: nu ”9”; när du öppnade formuläret ”12”." in page
    assert notes in page  # what Lisa typed is still in the form
    lesson = db.session.get(Lesson, lesson.id)
    assert (lesson.girls_present, lesson.notes) == (9, "")  # Omar's save stands
    # Saving again, knowing Omar's change, is Lisa's deliberate choice.
    again = {"version": hidden(page, "version"), "opened": hidden(page, "opened")}
    response = lisa.post(
        url,
        data={**lesson_form(group, pair, girls_present="9", notes=notes), **again},
    )
    assert response.status_code == 302
    lesson = db.session.get(Lesson, lesson.id)
    assert (lesson.girls_present, lesson.notes) == (9, notes)


def test_a_fresh_lesson_edit_is_saved(two_coordinators):
    _school, group, pair, omar, _lisa = two_coordinators
    lesson = record_lesson(group, 1, held_on=lesson_day(group, 2))
    url = f"/lessons/{lesson.id}/edit"
    for minutes in ("50", "55"):  # each save based on the form as it then was
        data = {**lesson_form(group, pair, minutes=minutes), **opened_form(omar, url)}
        response = omar.post(url, data=data)
        assert response.status_code == 302
    assert db.session.get(Lesson, lesson.id).minutes == 55


def test_a_change_of_only_the_leaders_counts_as_an_edit(two_coordinators):
    school, group, pair, omar, lisa = two_coordinators
    third = make_trained_leader(school, name="Sara Lind")
    lesson = record_lesson(group, 1, held_on=lesson_day(group, 2))
    url = f"/lessons/{lesson.id}/edit"
    omars, lisas = opened_form(omar, url), opened_form(lisa, url)
    changed = lesson_form(group, [pair[0], third])
    assert omar.post(url, data={**changed, **omars}).status_code == 302
    response = lisa.post(url, data={**lesson_form(group, pair, notes="Bra."), **lisas})
    page = response.get_data(as_text=True)
    assert SOMEONE_ELSE in page and "Sara Lind" in page
    assert {leader.name for leader in db.session.get(Lesson, lesson.id).leaders} == {
        "Karin Ek",
        "Sara Lind",
    }


def test_a_stale_school_edit_is_refused(app, client):
    school = make_school(name="Hallsta skola", principal_name="Anna Berg")
    lead, other = app.test_client(), app.test_client()
    sign_in(lead, make_user("lead"))
    sign_in(other, make_user("lead"))
    url = f"/schools/{school.id}/edit"
    leads, others = opened_form(lead, url), opened_form(other, url)
    base = {"name": "Hallsta skola", "kind": "7-9", "principal_email": "", "active": "y"}
    response = lead.post(url, data={**base, "principal_name": "Per Ek", **leads})
    assert response.status_code == 302
    response = other.post(
        url, data={**base, "name": "Hallsta skola F–9", "principal_name": "Anna Berg", **others}
    )
    page = response.get_data(as_text=True)
    assert SOMEONE_ELSE in page
    assert "nu ”Per Ek”; när du öppnade formuläret ”Anna Berg”." in page
    assert 'value="Hallsta skola F–9"' in page
    school = db.session.get(School, school.id)
    assert (school.name, school.principal_name) == ("Hallsta skola", "Per Ek")


def test_a_stale_group_edit_is_refused_and_a_fresh_one_saved(app):
    school = make_school()
    group = make_group(school, name="8A", girls=12)
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_user("coordinator", schools=[school]))
    sign_in(second, make_user("coordinator", schools=[school]))
    url = f"/groups/{group.id}/edit"
    firsts, seconds = opened_form(first, url), opened_form(second, url)
    base = {
        "school_year": format_school_year(group.school_year),
        "name": "8A",
        "grade": "8",
        "girls": "12",
        "boys": "11",
        "others": "1",
    }
    response = first.post(url, data={**base, "girls": "13", **firsts})
    assert response.status_code == 302
    response = second.post(url, data={**base, "name": "8 A", **seconds})
    page = response.get_data(as_text=True)
    assert SOMEONE_ELSE in page and "nu ”13”; när du öppnade formuläret ”12”." in page
    assert 'value="8 A"' in page
    assert db.session.get(StudentGroup, group.id).name == "8A"
    response = second.post(url, data={**base, "name": "8 A", **opened_form(second, url)})
    assert response.status_code == 302
    assert db.session.get(StudentGroup, group.id).name == "8 A"


def test_an_account_edit_is_not_made_stale_by_the_person_logging_out(app):
    person = make_user("coordinator", email="omar@kommun.se", schools=[make_school()])
    admin, omar = app.test_client(), app.test_client()
    sign_in(admin, make_user("admin"))
    sign_in(omar, person)
    url = f"/admin/users/{person.id}/edit"
    opened = opened_form(admin, url)
    omar.post("/logout")  # ends Omar's sessions, but is no edit of his account
    response = admin.post(
        url,
        data={
            "email": "omar@kommun.se",
            "name": "Omar Said",
            "role": "viewer",
            "active": "y",
            **opened,
        },
    )
    assert response.status_code == 302
    assert db.session.get(type(person), person.id).name == "Omar Said"


def test_answers_added_to_a_wave_do_not_write_the_waves_row(app, client, count_queries):
    from tests.survey_factories import CODE, make_wave

    school = make_school()
    wave = make_wave(make_group(school))
    version = wave.version
    sign_in(client, make_user("coordinator", schools=[school]))
    row = {"kon": "1", "arskurs": "8", "agera1": "1", **CODE}
    data = {"answered_on": wave.opens_on.isoformat()}
    data.update({f"r1-{key}": value for key, value in row.items()})
    with count_queries() as queries:
        response = client.post(f"/surveys/waves/{wave.id}/paper", data=data)
    assert response.status_code == 302
    assert not [q for q in queries if q.lstrip().upper().startswith("UPDATE WAVE")]
    db.session.expire_all()
    assert db.session.get(type(wave), wave.id).version == version


def test_a_stale_participants_form_is_refused(app):
    from tests.delivery_factories import make_leader, make_training

    school = make_school()
    anna = make_leader(school, name="Anna Wikström")
    training = make_training("supervision", hours=3, school=school, registered=[anna])
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_user("coordinator", schools=[school]))
    sign_in(second, make_user("coordinator", schools=[school]))
    url = f"/trainings/{training.id}/participants"
    firsts, seconds = opened_form(first, url), opened_form(second, url)
    response = first.post(url, data={f"leader_{anna.id}": "attended", **firsts})
    assert response.status_code == 302
    response = second.post(url, data={f"leader_{anna.id}": "", **seconds})
    page = response.get_data(as_text=True)
    assert SOMEONE_ELSE in page
    assert "nu ”Deltog”; när du öppnade formuläret ”Anmäld, deltog inte”." in page
    db.session.expire_all()
    assert [p.attended for p in training.participants] == [True]
