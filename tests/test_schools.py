"""Schools and pupil groups: what leads and coordinators can enter, and every bad input."""

import pytest
import sqlalchemy as sa

from mvp.extensions import db
from mvp.schools import services
from mvp.schools.models import School, StudentGroup
from mvp.schools.services import GroupData
from mvp.schools.years import current_school_year
from mvp.validation import Invalid
from tests.factories import make_group, make_school, make_user, sign_in


def school_form(**overrides):
    data = {
        "name": "Ekängsskolan",
        "kind": "7-9",
        "principal_name": "Lisa Rektor",
        "principal_email": "lisa@kommun.se",
        "grade_7": "101",
        "grade_8": "99",
        "grade_9": "",
        "active": "y",
    }
    data.update(overrides)
    return data


def group_form(**overrides):
    data = {
        "school_year": "2025/26",
        "name": "8B",
        "grade": "8",
        "girls": "12",
        "boys": "13",
        "others": "0",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- schools --------------------------------------------------------------------------------


def test_lead_creates_a_school_with_pupils_per_grade(client):
    sign_in(client, make_user("lead"))
    response = client.post("/schools/new", data=school_form(), follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Skolan Ekängsskolan lades till." in page
    school = db.session.scalar(sa.select(School))
    assert school.pupils_by_grade == {"7": 101, "8": 99}
    assert school.total_pupils == 200
    assert school.principal_email == "lisa@kommun.se"


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"name": ""}, "Ange skolans namn."),
        ({"kind": "10-12"}, "Välj skolform."),
        ({"grade_8": "-3"}, "Ange ett heltal, 0 eller mer."),
        ({"grade_8": "många"}, "Ange ett heltal, 0 eller mer."),
        ({"grade_3": "20"}, "Den skolformen har ingen årskurs 3."),
        ({"principal_email": "inte-en-adress"}, "Ange en e-postadress"),
    ],
)
def test_bad_school_input_is_refused_with_a_swedish_message(client, overrides, field_message):
    sign_in(client, make_user("lead"))
    response = client.post("/schools/new", data=school_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rätta följande" in page
    assert field_message in page
    assert count(School) == 0


def test_duplicate_school_name_is_refused_whatever_the_case(client):
    make_school(name="Hallsta skola")
    sign_in(client, make_user("lead"))
    response = client.post("/schools/new", data=school_form(name="HALLSTA SKOLA"))
    assert "Det finns redan en skola med det namnet." in response.get_data(as_text=True)
    assert count(School) == 1


def test_coordinator_edits_own_school_but_not_another(client):
    own, other = make_school(name="Egna"), make_school(name="Andra")
    sign_in(client, make_user("coordinator", schools=[own]))
    response = client.post(f"/schools/{own.id}/edit", data=school_form(name="Egna skolan"))
    assert response.status_code == 302
    assert db.session.get(School, own.id).name == "Egna skolan"
    response = client.post(f"/schools/{other.id}/edit", data=school_form(name="Kapad"))
    assert response.status_code == 404
    assert db.session.get(School, other.id).name == "Andra"


def test_coordinator_lists_only_own_schools(client):
    own = make_school(name="Egna")
    make_school(name="Andra")
    sign_in(client, make_user("coordinator", schools=[own]))
    page = client.get("/schools/").get_data(as_text=True)
    assert "Egna" in page
    assert "Andra" not in page
    assert client.get("/schools/new").status_code == 403


def test_school_page_shows_its_groups_for_the_chosen_year(client):
    school = make_school()
    year = current_school_year()
    make_group(school, name="Årets-8A", school_year=year)
    make_group(school, name="Förra-7X", grade=7, school_year=year - 1)
    sign_in(client, make_user("lead"))
    current = client.get(f"/schools/{school.id}").get_data(as_text=True)
    assert ">Årets-8A<" in current and ">Förra-7X<" not in current
    earlier = client.get(f"/schools/{school.id}?year={year - 1}/{year % 100:02d}")
    earlier = earlier.get_data(as_text=True)
    assert ">Förra-7X<" in earlier and ">Årets-8A<" not in earlier


# --- pupil groups -----------------------------------------------------------------------------


def test_coordinator_adds_a_group_with_counts_only(client):
    school = make_school()
    sign_in(client, make_user("coordinator", schools=[school]))
    response = client.post(f"/schools/{school.id}/groups/new", data=group_form())
    assert response.status_code == 302
    group = db.session.scalar(sa.select(StudentGroup))
    assert (group.school_year, group.name, group.grade) == (2025, "8B", 8)
    assert (group.girls, group.boys, group.others, group.size) == (12, 13, 0, 25)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"school_year": "2025/27"}, "Skriv läsåret som 2025/26."),
        ({"school_year": "25/26"}, "Skriv läsåret som 2025/26."),
        ({"school_year": ""}, "Skriv läsåret som 2025/26."),
        ({"girls": "-1"}, "Ange ett heltal, 0 eller mer."),
        ({"boys": "tolv"}, "Ange ett heltal, 0 eller mer."),
        ({"girls": "0", "boys": "0", "others": "0"}, "En grupp behöver minst en elev."),
        ({"name": ""}, "Ange gruppens namn, till exempel 8B."),
        ({"grade": "3"}, "Välj en av skolans årskurser."),
    ],
)
def test_bad_group_input_is_refused_and_nothing_saved(client, overrides, message):
    school = make_school()
    sign_in(client, make_user("lead"))
    response = client.post(f"/schools/{school.id}/groups/new", data=group_form(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rätta följande" in page
    assert message in page
    assert count(StudentGroup) == 0


def test_group_names_are_unique_per_school_and_year(app):
    school = make_school()
    services.create_group(school, GroupData(2025, "8B", 8, 10, 10, 0))
    with pytest.raises(Invalid) as error:
        services.create_group(school, GroupData(2025, "8b", 8, 10, 10, 0))
    assert "name" in error.value.errors
    # The same name in another school year is another group.
    services.create_group(school, GroupData(2026, "8B", 8, 10, 10, 0))


def test_a_school_cannot_have_a_group_in_a_grade_it_does_not_teach(app):
    school = make_school(kind="F-3", pupils_by_grade={1: 20})
    with pytest.raises(Invalid) as error:
        services.create_group(school, GroupData(2025, "8A", 8, 10, 10, 0))
    assert "ingen årskurs 8" in error.value.errors["grade"]


def test_group_list_defaults_to_the_current_school_year(client):
    school = make_school(name="Skolan")
    year = current_school_year()
    make_group(school, name="Årets-1", school_year=year)
    make_group(school, name="Förra-1", school_year=year - 1)
    sign_in(client, make_user("lead"))
    page = client.get("/groups/").get_data(as_text=True)
    assert ">Årets-1<" in page and ">Förra-1<" not in page
    assert f'<option value="{year}/{(year + 1) % 100:02d}" selected>' in page


def test_coordinator_removes_a_group_after_confirming(client):
    school = make_school()
    group = make_group(school, name="8C")
    sign_in(client, make_user("coordinator", schools=[school]))
    confirm = client.get(f"/groups/{group.id}/delete").get_data(as_text=True)
    assert "Vill du ta bort gruppen 8C" in confirm
    assert count(StudentGroup) == 1
    response = client.post(f"/groups/{group.id}/delete", follow_redirects=True)
    assert "Gruppen 8C togs bort." in response.get_data(as_text=True)
    assert count(StudentGroup) == 0


def test_editing_a_group_keeps_its_school(client):
    school = make_school()
    group = make_group(school, name="8C", school_year=2025)
    sign_in(client, make_user("lead"))
    response = client.post(f"/groups/{group.id}/edit", data=group_form(name="8D", girls="15"))
    assert response.status_code == 302
    group = db.session.get(StudentGroup, group.id)
    assert (group.name, group.girls, group.school_id) == ("8D", 15, school.id)


def test_list_queries_do_not_grow_with_the_number_of_groups(client, count_queries):
    lead = make_user("lead")
    sign_in(client, lead)
    school = make_school()
    for index in range(3):
        make_group(school, name=f"A{index}")
    with count_queries() as few:
        assert client.get("/groups/").status_code == 200
    for index in range(20):
        make_group(make_school(), name=f"B{index}")
    with count_queries() as many:
        assert client.get("/groups/").status_code == 200
    assert len(many) == len(few)
