"""The cached evaluation: the next view after any kind of write shows it; scopes never mix.

Each test reads the evaluation as a lead would (the JSON API, which shares the dashboard's
cache), makes one kind of change through the services the pages use, and checks the next
view differs and equals an evaluation built from scratch.
"""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from mvp.dashboard import cache
from mvp.dashboard.models import DataVersion
from mvp.dashboard.version import current_version
from mvp.evaluation import services as evaluation_services
from mvp.evaluation.build import build_evaluation
from mvp.extensions import db
from mvp.lessons import services as lesson_services
from mvp.lessons.models import Lesson
from mvp.mentors import services as mentor_services
from mvp.rollout import services as rollout_services
from mvp.rollout.imports import import_schools
from mvp.schools import services as school_services
from mvp.schools.years import format_school_year
from mvp.surveys import importing
from mvp.surveys import services as survey_services
from mvp.surveys.coding import Coded
from mvp.surveys.models import Response, Wave
from tests.evaluation.factories import make_lesson, make_wave
from tests.factories import make_school, make_user, sign_in

# Fixed Redis databases: every test that uses one runs on the same pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("redis")


def view(client, year, **args) -> dict:
    response = client.get(
        "/api/v1/evaluation", query_string={"year": format_school_year(year), **args}
    )
    assert response.status_code == 200
    return response.json


def fresh(user, year) -> dict:
    """The evaluation built now, without the cache, as the API would send it."""
    selection = evaluation_services.resolve_filter(
        user, years=[format_school_year(year)], schools=[], grades=[], plans=[]
    )
    return json.loads(json.dumps(build_evaluation(selection, language="sv").as_dict()))


@pytest.fixture
def lead(client, pilot):
    user = make_user("lead")
    sign_in(client, user)
    return user


def _answers(wave) -> dict:
    items = survey_services.instrument_items(wave.instrument_id)
    return {item.id: Coded(1 if item.kind == "yes_no" else 3) for item in items}


def _after_wave(pilot, index=0) -> Wave:
    return db.session.scalar(
        sa.select(Wave).where(Wave.group_id == pilot.groups[index].id, Wave.phase == "after")
    )


def change_school(pilot, user):
    school = pilot.schools["Hallsta skola"]
    school_services.update_school(
        school,
        school_services.SchoolData(
            name=school.name, kind=school.kind, pupils_by_grade={7: 300, 8: 300}
        ),
    )


def add_group(pilot, user):
    school = pilot.schools["Hallsta skola"]
    school_services.create_group(
        school, school_services.GroupData(pilot.year, "8X", 8, girls=11, boys=12)
    )


def record_lesson(pilot, user):
    group = pilot.groups[0]
    make_lesson(
        group, 14, leaders=pilot.leaders[:2], held_on=dt.date(pilot.year, 12, 1), commit=False
    )


def train_leader(pilot, user):
    leader = pilot.leaders[0]
    mentor_services.create_leader(
        mentor_services.LeaderData(
            name="Ny ledare", school_id=leader.school_id, role="teacher", sex="man"
        ),
        user=user,
    )
    mentor_services.create_training(
        mentor_services.TrainingData(
            kind="supervision",
            starts_on=dt.date(pilot.year, 11, 3),
            hours=3,
            school_id=leader.school_id,
        ),
        user=user,
    )


def open_wave(pilot, user):
    make_wave(pilot.groups[1], "follow_up", pilot.instrument)


def answer_online(pilot, user):
    wave = _after_wave(pilot)
    data = survey_services.ResponseData(sex="boy", grade=wave.group.grade, answers=_answers(wave))
    survey_services.submit_online(wave, data, form_nonce="n" * 32)


def type_paper_batch(pilot, user):
    wave = _after_wave(pilot, 1)
    rows = [
        survey_services.ResponseData(sex="girl", grade=wave.group.grade, answers=_answers(wave))
    ]
    survey_services.add_batch(wave, rows, source="paper", answered_on=wave.opens_on)


def import_school_list(pilot, user):
    data = "namn;skolform;åk 7;åk 8\r\nHallsta skola;7-9;90;95\r\nNya skolan;7-9;60;60"
    import_schools(data.encode("utf-8"), "skolor.csv", update_existing=True)


def import_answer_file(pilot, user):
    wave = _after_wave(pilot)
    items = survey_services.instrument_items(wave.instrument_id)
    header = importing.columns(items)
    values = {"kon": "2", "arskurs": str(wave.group.grade), **{i.key: "1" for i in items}}
    lines = [header, [values.get(column, "") for column in header]]
    data = "\r\n".join(";".join(line) for line in lines).encode("utf-8")
    importing.import_file(wave, data, "svar.csv", answered_on=wave.opens_on, user=user)


def pair_again(pilot, user):
    group = pilot.groups[0]
    survey_services.relink_cohort(group.school_id, survey_services.cohort_of(group))


def change_rollout_stage(pilot, user):
    school = pilot.schools["Långsjöskolan"]
    rollout_services.change_stage(
        school,
        rollout_services.StageData(stage="anchoring", reason="Test"),
        actor=user,
        today=dt.date.today(),
    )


def write_report_texts(pilot, user):
    evaluation_services.save_texts(pilot.year, "Det gick bra.", "Fler skolor.", actor=user)


def delete_lesson(pilot, user):
    lesson = db.session.scalar(
        sa.select(Lesson).where(Lesson.group_id == pilot.groups[0].id).order_by(Lesson.id)
    )
    lesson_services.delete_lesson(lesson)


def delete_responses(pilot, user):
    wave = _after_wave(pilot)
    db.session.execute(sa.delete(Response).where(Response.wave_id == wave.id))


WRITES = [
    change_school,
    add_group,
    record_lesson,
    train_leader,
    open_wave,
    answer_online,
    type_paper_batch,
    import_school_list,
    import_answer_file,
    pair_again,
    change_rollout_stage,
    write_report_texts,
    delete_lesson,
    delete_responses,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__ for w in WRITES])
def test_the_next_view_after_a_write_shows_it(client, pilot, lead, write):
    before = view(client, pilot.year)
    assert view(client, pilot.year) == before  # a repeated view: the same figures
    version = current_version()
    write(pilot, lead)
    db.session.commit()
    assert current_version() > version
    after = view(client, pilot.year)
    assert after != before
    assert after == fresh(lead, pilot.year)


def test_a_rolled_back_change_keeps_the_version(app, pilot):
    version = current_version()
    make_school(name="Ångrad skola")  # committed: the version rises
    assert current_version() == version + 1
    school = db.session.scalar(sa.select(DataVersion))
    assert school.version == version + 1
    make_lesson(pilot.groups[0], 14, commit=False)
    db.session.rollback()
    db.session.commit()
    assert current_version() == version + 1


def test_signing_in_and_reading_change_no_version(client, pilot):
    version = current_version()
    sign_in(client, make_user("viewer"))
    view(client, pilot.year)
    client.get("/evaluation/")
    assert current_version() == version


def test_a_coordinator_never_gets_a_leads_cached_evaluation_or_the_reverse(client, pilot):
    hallsta = pilot.schools["Hallsta skola"]
    lead = make_user("lead")
    coordinator = make_user("coordinator", schools=[hallsta])
    sign_in(client, lead)
    everything = view(client, pilot.year)
    assert {s["name"] for s in everything["schools"]} == {"Långsjöskolan", "Hallsta skola"}
    sign_in(client, coordinator)
    own = view(client, pilot.year)
    assert [s["name"] for s in own["schools"]] == ["Hallsta skola"]
    assert own["reach"]["total"]["groups"] == 2
    sign_in(client, lead)
    assert view(client, pilot.year) == everything
    # The same applies to the dashboard page itself.
    html = client.get("/evaluation/").get_data(as_text=True)
    assert "Långsjöskolan" in html
    sign_in(client, coordinator)
    html = client.get("/evaluation/").get_data(as_text=True)
    assert "Långsjöskolan" not in html


def test_languages_are_kept_apart(client, pilot, lead):
    swedish = view(client, pilot.year)
    english = view(client, pilot.year, lang="en")
    assert swedish != english
    assert view(client, pilot.year) == swedish


def test_a_repeated_view_runs_a_fixed_small_number_of_queries(client, pilot, lead, app):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    view(client, pilot.year)  # the first view builds and stores
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        view(client, pilot.year)
        api_queries = len(statements)
        statements.clear()
        client.get("/evaluation/")
        page_queries = len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    # Signing in (the user) and the selection's scope and names, then the data version.
    assert api_queries <= 6, api_queries
    assert page_queries <= 10, page_queries
    assert sum("data_version" in s for s in statements) == 1


def test_the_cache_in_redis_is_shared_and_keyed_by_the_version(app, pilot):
    app.config["CACHE_URL"] = "redis://127.0.0.1:6379/2"
    app.extensions.pop("mvp_evaluation_cache", None)
    try:
        store = cache.store()
        assert isinstance(store, cache.RedisStore)
        store.clear()
        user = make_user("lead")
        selection = evaluation_services.resolve_filter(
            user, years=[format_school_year(pilot.year)], schools=[], grades=[], plans=[]
        )
        with app.test_request_context():
            first = cache.cached_evaluation(selection, language="sv")
            assert store.client.dbsize() >= 1
            # Another app server (a fresh store on the same Redis) finds the entry.
            app.extensions.pop("mvp_evaluation_cache")
            again = cache.cached_evaluation(selection, language="sv")
            assert again.as_dict() == first.as_dict() and again is not first
            make_school(name="Ny skola")
            third = cache.cached_evaluation(selection, language="sv")
            assert third.adoption.schools_total == first.adoption.schools_total + 1
        cache.store().clear()
    finally:
        app.config["CACHE_URL"] = ""
        app.extensions.pop("mvp_evaluation_cache", None)


def test_emptying_every_table_starts_the_version_above_any_cached_one(app):
    from mvp.demo.cli import clear_database

    make_school(name="Före")
    before = current_version()
    clear_database()  # as the demo's reset does, the counter's row included
    make_school(name="Efter")
    db.session.commit()
    assert current_version() > before
