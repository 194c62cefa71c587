"""The one input rule: control characters refused with a Swedish message, a length limit on
every text field (never above its database column), and odd addresses sent home."""

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import StringField

import mvp
from mvp.auth.models import User
from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.forms_base import BaseForm, max_length_of
from mvp.input_rules import text_problem
from mvp.lessons.models import Curriculum, Lesson
from mvp.main.models import AccessibilityReport
from mvp.mentors.models import Leader, Training
from mvp.rollout.models import SchoolRollout, StageChange
from mvp.schools.models import School, StudentGroup
from mvp.surveys.models import Item
from tests.factories import PASSWORD, make_school, make_user, sign_in

CONTROL_MESSAGE = "Texten innehåller ett otillåtet tecken (kontrolltecken)."


def _form_modules():
    for info in pkgutil.walk_packages(mvp.__path__, "mvp."):
        if info.name.endswith((".forms", ".fields")):
            yield importlib.import_module(info.name)


def _form_classes():
    for module in _form_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, FlaskForm)
                and value.__module__ == module.__name__
            ):
                yield value


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("Östra skolan 🙂", False, False),
        ("Skola\x00", False, True),
        ("Skola\x1b[31m", False, True),
        ("Skola\x85", False, True),
        ("Skola\ud800", False, True),
        ("Två\trader", False, True),
        ("Två\r\nrader\tmed tabb", True, False),
        ("Två\x0bvertikal tabb", True, True),
    ],
)
def test_the_rule_refuses_control_characters(app, text, multiline, refused):
    with app.test_request_context():
        problem = text_problem(text, multiline=multiline, max_length=100)
    assert (problem == CONTROL_MESSAGE) is refused


def test_the_rule_limits_the_length(app):
    with app.test_request_context():
        assert text_problem("x" * 200, max_length=200) is None
        assert text_problem("x" * 201, max_length=200) == "Skriv högst 200 tecken."


def test_every_form_of_the_project_follows_the_rule():
    classes = list(_form_classes())
    assert len(classes) >= 20
    assert [c.__name__ for c in classes if not issubclass(c, BaseForm)] == []


# Each form and the model its fields are saved into (fields and columns of the same name).
SAVED_INTO = {
    "SchoolForm": School,
    "GroupForm": StudentGroup,
    "LeaderForm": Leader,
    "TrainingForm": Training,
    "PlanForm": (Curriculum, SchoolRollout),
    "LessonForm": Lesson,
    "UserForm": User,
    "AccessibilityReportForm": AccessibilityReport,
    "StageForm": StageChange,
    "ReportTextForm": ReportText,
    "ItemForm": Item,
}


def test_no_text_field_accepts_more_than_its_database_column(app):
    checked = 0
    with app.test_request_context():
        for form_class in _form_classes():
            models = SAVED_INTO.get(form_class.__name__, ())
            models = models if isinstance(models, tuple) else (models,)
            form = form_class(meta={"csrf": False})
            for field in form:
                if not isinstance(field, StringField):
                    continue
                for model in models:
                    column = model.__table__.columns.get(field.name)
                    if column is not None and isinstance(column.type, sa.String):
                        limit = column.type.length
                        if limit is not None:
                            checked += 1
                            assert max_length_of(field) <= limit, (form_class, field.name)
    assert checked >= 15


def test_a_nul_in_the_anonymous_accessibility_form_gets_a_message_and_nothing_is_saved(client):
    response = client.post("/accessibility", data={"description": "Knappen\x00syns inte"})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessibilityReport)) == 0


def test_a_nul_in_a_school_name_is_refused_beside_the_field(client):
    school = make_school(name="Orörda skolan")
    sign_in(client, make_user("lead"))
    response = client.post(f"/schools/{school.id}/edit", data={"name": "Kapad\x00", "kind": "7-9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and CONTROL_MESSAGE in page
    assert db.session.get(School, school.id).name == "Orörda skolan"


def test_a_100k_report_text_gets_a_length_message(client):
    sign_in(client, make_user("lead"))
    response = client.post(
        "/evaluation/texts", data={"school_year": "2025/26", "lessons_learned": "x" * 100_000}
    )
    assert response.status_code == 200
    assert "Skriv högst 10 000 tecken." in response.get_data(as_text=True)


def test_a_count_too_large_for_the_database_is_refused(client):
    school = make_school(name="Räkneskolan")
    sign_in(client, make_user("lead"))
    data = {"school_year": "2025/26", "name": "8A", "grade": "8"}
    data |= {"girls": "99999999999", "boys": "²", "others": "0"}
    response = client.post(f"/schools/{school.id}/groups/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Talet är för stort." in page
    assert "Ange ett heltal, 0 eller mer." in page


@pytest.mark.parametrize(
    "target",
    [
        "/schools/\r\nSet-Cookie: x=1",
        "/schools/\n",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "/a b",
        "/" + "x" * 3000,
    ],
)
def test_an_odd_next_goes_to_the_start_page(client, target):
    make_user("lead", email="maria@kommun.se")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "maria@kommun.se", "password": PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = client.post("/language", data={"lang": "sv", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_same_site_next_is_followed(client):
    response = client.post("/language", data={"lang": "en", "next": "/schools/?year=2025"})
    assert response.headers["Location"] == "/schools/?year=2025"


@pytest.mark.parametrize("url", ["/e/AB%00CD", "/schools/?year=2025%00", "/leaders/?school=%00"])
def test_a_control_character_in_the_address_gets_a_swedish_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.get_data(as_text=True)
