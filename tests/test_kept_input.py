"""Nothing typed is lost: an expired form, or one posted after the session ended, comes back
filled with what was typed, saves nothing, and saves with "Spara igen"."""

import re
import time

import pytest
import sqlalchemy as sa

from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.kept_input import KeptInput
from mvp.lessons.models import Lesson
from mvp.schools.years import current_school_year, format_school_year
from mvp.surveys.models import Response
from tests.delivery_factories import lesson_day, make_plan, make_trained_leader, set_up_group
from tests.factories import PASSWORD, make_group, make_school, make_user, sign_in
from tests.survey_factories import CODE, make_wave

EXPIRED = "Formuläret hade gått ut – kontrollera och spara igen."
NOTES = "Bra diskussion om att säga ifrån; två elever ville fortsätta efteråt."


@pytest.fixture
def csrf_app(base_app):
    """The test app with CSRF protection switched on, as in production."""
    base_app.config["WTF_CSRF_ENABLED"] = True
    with base_app.app_context():
        yield base_app
        from tests.conftest import clean_database

        clean_database()
    base_app.config["WTF_CSRF_ENABLED"] = False


def token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def lesson_group(csrf_app):
    school = make_school(name="Långsjöskolan")
    pair = [make_trained_leader(school, name="Karin Ek"), make_trained_leader(school, name="Ali")]
    group = set_up_group(make_group(school, name="8A"), make_plan(14), pair)
    coordinator = make_user("coordinator", schools=[school], email="omar@kommun.se")
    return group, pair, coordinator


def lesson_form(group, pair, **overrides):
    data = {
        "number": "1",
        "held_on": lesson_day(group).isoformat(),
        "minutes": "60",
        "leader_ids": [str(leader.id) for leader in pair],
        "girls_present": "12",
        "boys_present": "10",
        "others_present": "1",
        "delivered": "partly",
        "adaptation": "Kortade övning 3.",
        "notes": NOTES,
    }
    data.update(overrides)
    return data


def assert_kept(page: str) -> None:
    assert EXPIRED in page and ">Spara igen</button>" in page
    assert NOTES in page and "Kortade övning 3." in page


def test_an_expired_lesson_form_comes_back_filled_and_saves_again(csrf_app, lesson_group):
    group, pair, coordinator = lesson_group
    client = csrf_app.test_client()
    sign_in(client, coordinator)
    url = f"/groups/{group.id}/lessons/new"
    client.get(url)
    response = client.post(url, data=lesson_form(group, pair, csrf_token="from-an-old-session"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400  # refused, but shown again filled in
    assert_kept(page)
    assert re.search(r"<input checked [^>]*value=\"partly\"", page)
    assert count(Lesson) == 0  # nothing saved before the user has checked it
    response = client.post(url, data=lesson_form(group, pair, csrf_token=token(page)))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Lesson.notes)) == NOTES


def test_an_expired_paper_grid_keeps_every_typed_cell(csrf_app):
    school = make_school()
    wave = make_wave(make_group(school))
    client = csrf_app.test_client()
    sign_in(client, make_user("coordinator", schools=[school]))
    url = f"/surveys/waves/{wave.id}/paper"
    client.get(url)
    rows = {"answered_on": "2026-09-14", "r1-kon": "1", "r1-arskurs": "8", "r1-agera1": "3"}
    rows.update({f"r1-{key}": value for key, value in CODE.items()})
    rows.update({"r2-kon": "2", "r2-arskurs": "8", "r2-agera2": "4"})
    response = client.post(url, data={**rows, "csrf_token": "expired"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and EXPIRED in page and ">Spara igen</button>" in page
    assert 'name="r1-agera1" id="r1-agera1" value="3"' in page
    assert 'name="r2-agera2" id="r2-agera2" value="4"' in page
    assert 'value="2026-09-14"' in page
    assert count(Response) == 0
    response = client.post(url, data={**rows, "csrf_token": token(page)})
    assert response.status_code == 302
    assert count(Response) == 2


def test_an_expired_report_texts_form_keeps_the_leads_texts(csrf_app):
    client = csrf_app.test_client()
    sign_in(client, make_user("lead"))
    year = format_school_year(current_school_year())
    client.get("/evaluation/texts")
    data = {
        "school_year": year,
        "lessons_learned": "Rektorernas stöd avgjorde hur väl det gick.",
        "next_steps": "Utbilda ledare på Norrgårdsskolan under hösten.",
    }
    response = client.post("/evaluation/texts", data={**data, "csrf_token": "expired"})
    page = response.get_data(as_text=True)
    assert EXPIRED in page and ">Spara igen</button>" in page
    assert "Rektorernas stöd avgjorde hur väl det gick." in page
    assert "Utbilda ledare på Norrgårdsskolan under hösten." in page
    assert count(ReportText) == 0
    response = client.post("/evaluation/texts", data={**data, "csrf_token": token(page)})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ReportText.next_steps)).startswith("Utbilda")


def login_again(client, response, email):
    """Follow the redirect to the login page and sign in there; returns the next response."""
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_page = client.get(response.headers["Location"])
    response = client.post(
        response.headers["Location"],
        data={"email": email, "password": PASSWORD, "csrf_token": token(login_page.text)},
    )
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def test_a_lesson_typed_past_the_idle_timeout_is_kept_over_the_login(
    csrf_app, lesson_group, monkeypatch
):
    group, pair, _coordinator = lesson_group
    client = csrf_app.test_client()
    url = f"/groups/{group.id}/lessons/new"
    first = client.get("/login")
    client.post(
        "/login",
        data={"email": "omar@kommun.se", "password": PASSWORD, "csrf_token": token(first.text)},
    )
    form = client.get(url).get_data(as_text=True)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3 * 3600)  # a long lesson and a coffee
    response = client.post(url, data=lesson_form(group, pair, csrf_token=token(form)))
    assert count(Lesson) == 0 and count(KeptInput) == 1
    again = login_again(client, response, "omar@kommun.se")
    assert again.request.path == url
    assert_kept(again.text)
    assert count(Lesson) == 0 and count(KeptInput) == 0
    response = client.post(url, data=lesson_form(group, pair, csrf_token=token(again.text)))
    assert response.status_code == 302 and count(Lesson) == 1


def test_a_form_posted_after_logging_out_elsewhere_is_kept(csrf_app, lesson_group):
    group, pair, _coordinator = lesson_group
    laptop, phone = csrf_app.test_client(), csrf_app.test_client()
    for client in (laptop, phone):
        page = client.get("/login").text
        client.post(
            "/login",
            data={"email": "omar@kommun.se", "password": PASSWORD, "csrf_token": token(page)},
        )
    url = f"/groups/{group.id}/lessons/new"
    form = laptop.get(url).get_data(as_text=True)
    phone.post("/logout", data={"csrf_token": token(phone.get("/account").text)})
    response = laptop.post(url, data=lesson_form(group, pair, csrf_token=token(form)))
    again = login_again(laptop, response, "omar@kommun.se")
    assert_kept(again.text)
    assert count(Lesson) == 0


def test_kept_input_is_given_only_to_the_person_who_typed_it(csrf_app, lesson_group):
    group, pair, _coordinator = lesson_group
    school = group.school
    make_user("coordinator", schools=[school], email="lisa@kommun.se")
    client = csrf_app.test_client()
    page = client.get("/login").text
    client.post(
        "/login", data={"email": "omar@kommun.se", "password": PASSWORD, "csrf_token": token(page)}
    )
    url = f"/groups/{group.id}/lessons/new"
    form = client.get(url).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": token(form)})
    # Someone signs in on the same browser later; the old page is posted by mistake.
    response = client.post(url, data=lesson_form(group, pair, csrf_token=token(form)))
    again = login_again(client, response, "lisa@kommun.se")
    assert NOTES not in again.text


def test_an_expired_login_form_just_asks_to_reload(csrf_app):
    client = csrf_app.test_client()
    response = client.post(
        "/login", data={"email": "omar@kommun.se", "password": PASSWORD, "csrf_token": "old"}
    )
    assert response.status_code == 400
    assert "Formuläret hade gått ut. Ladda om sidan och försök igen." in response.text
    assert count(KeptInput) == 0


def test_an_action_that_is_no_form_page_is_not_replayed(csrf_app):
    user = make_user("lead", email="maria@kommun.se")
    client = csrf_app.test_client()
    sign_in(client, user)
    response = client.post("/logout", data={"csrf_token": "old"})
    assert response.status_code == 400
    assert client.get("/schools/").status_code == 200  # still signed in: no forced logout


def test_kept_input_older_than_a_day_is_deleted_at_the_next_sign_in(csrf_app):
    import datetime as dt

    user = make_user("lead", email="maria@kommun.se")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=1, minutes=1)
    db.session.add(KeptInput(token="t", user_id=user.id, path="/", data="[]", created_at=old))
    db.session.add(KeptInput(token="u", user_id=user.id, path="/", data="[]"))
    db.session.commit()
    client = csrf_app.test_client()
    page = client.get("/login").text
    client.post(
        "/login", data={"email": "maria@kommun.se", "password": PASSWORD, "csrf_token": token(page)}
    )
    assert db.session.scalars(sa.select(KeptInput.token)).all() == ["u"]
