"""The readiness checklist is derived from the data: each item, and what is (not) counted."""

import datetime as dt

import pytest

from mvp.extensions import db
from mvp.rollout.readiness import Item, coming_school_year, readiness_for
from mvp.rollout.terms import SchoolTerm, term_of
from mvp.schools.models import StudentGroup
from mvp.schools.years import current_school_year
from tests.factories import make_group, make_school
from tests.rollout_factories import (
    equip,
    make_curriculum,
    make_leader,
    make_rollout,
    make_training,
    make_wave,
    ready_school,
    train,
)

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
NEXT_YEAR = current_school_year() + 1


def readiness(school, year=None):
    return readiness_for({school.id: year}, TODAY)[school.id]


def item(state, key):
    return next(i for i in state.items if i.key == key)


# --- anchoring meeting and staff half-day ----------------------------------------------------


@pytest.mark.parametrize("kind", ["anchoring", "staff_half_day"])
def test_meeting_counts_only_when_held_for_this_school(app, kind):
    school, other = make_school(), make_school()
    assert not readiness(school).is_done(kind)

    make_training(kind, other, TODAY - 10 * DAY)  # another school's
    make_training("other", school, TODAY - 10 * DAY)  # another kind
    planned = make_training(kind, school, TODAY + 14 * DAY)
    state = readiness(school)
    assert not state.is_done(kind)
    assert f"Ett är planerat till {planned.starts_on.isoformat()}." in item(state, kind).message

    make_training(kind, school, TODAY)
    state = readiness(school)
    assert state.is_done(kind)
    assert item(state, kind).message == f"Hölls {TODAY.isoformat()}."


def test_missing_meetings_are_said_in_plain_swedish(app):
    state = readiness(make_school())
    assert item(state, Item.ANCHORING).message == (
        "Inget förankringssamtal med skolledningen har hållits ännu."
    )
    assert item(state, Item.STAFF_HALF_DAY).message == (
        "Ingen halvdag för all personal har hållits ännu."
    )


# --- trained leaders ---------------------------------------------------------------------------


def test_two_trained_active_leaders_of_the_school_are_needed(app):
    school, other = make_school(), make_school()
    anna, bo = make_leader(school), make_leader(school)
    train([anna], TODAY - 30 * DAY)
    state = readiness(school)
    assert (state.trained_leaders, state.active_leaders) == (1, 2)
    assert not state.is_done(Item.LEADERS)
    assert item(state, Item.LEADERS).message == (
        "1 utbildad ledare; minst 2 behövs (det rekommenderade laget är 6–8)."
    )

    train([bo, make_leader(other)], TODAY - DAY)
    state = readiness(school)
    assert state.trained_leaders == 2
    assert state.is_done(Item.LEADERS)
    assert state.team_status == "small"
    assert item(state, Item.LEADERS).message == (
        "2 utbildade ledare (det rekommenderade laget är 6–8)."
    )


@pytest.mark.parametrize(
    "how",
    ["inactive", "absent", "not_finished", "refresher", "other_school"],
)
def test_leaders_who_do_not_count_as_trained(app, how):
    school = make_school()
    counted = make_leader(school)
    train([counted], TODAY - 60 * DAY)
    if how == "inactive":
        train([make_leader(school, active=False)], TODAY - DAY)
    elif how == "absent":
        train([make_leader(school)], TODAY - DAY, attended=False)
    elif how == "not_finished":
        train([make_leader(school)], TODAY + DAY)  # the three days end tomorrow
    elif how == "refresher":
        train([make_leader(school)], TODAY - DAY, kind="refresher")
    else:
        train([make_leader(make_school())], TODAY - DAY)
    state = readiness(school)
    assert state.trained_leaders == 1
    assert not state.is_done(Item.LEADERS)


def test_team_size_recommendation_is_configurable(app, monkeypatch):
    school = make_school()
    train([make_leader(school) for _ in range(4)], TODAY - DAY)
    assert readiness(school).team_status == "small"
    monkeypatch.setitem(app.config, "TEAM_SIZE_MIN", 3)
    monkeypatch.setitem(app.config, "TEAM_SIZE_MAX", 5)
    state = readiness(school)
    assert state.team_status == "ok"
    assert "det rekommenderade laget är 3–5" in item(state, Item.LEADERS).message


# --- supervision -------------------------------------------------------------------------------


def test_supervision_planned_or_held_counts(app):
    school = make_school()
    state = readiness(school)
    assert not state.is_done(Item.SUPERVISION)
    assert item(state, Item.SUPERVISION).message == "Ingen handledning av ledarna är planerad ännu."

    planned = make_training("supervision", school, TODAY + 40 * DAY)
    state = readiness(school)
    assert state.is_done(Item.SUPERVISION)
    assert item(state, Item.SUPERVISION).message == (
        f"Handledning är planerad till {planned.starts_on.isoformat()}."
    )

    make_training("supervision", school, TODAY - 5 * DAY)
    assert "Handledning hölls senast" in item(readiness(school), Item.SUPERVISION).message


# --- groups for the coming school year ---------------------------------------------------------


def test_coming_school_year_follows_the_stage_and_target(app):
    school = make_school()
    now = term_of(TODAY)
    assert coming_school_year(None, TODAY) is None
    rollout = make_rollout(school, "preparing", SchoolTerm(NEXT_YEAR, "VT"))
    assert coming_school_year(rollout, TODAY) == NEXT_YEAR
    rollout.target_year = now.school_year - 2  # a target that has passed: this year
    assert coming_school_year(rollout, TODAY) == now.school_year
    rollout.stage, rollout.target_year = "established", now.school_year - 3
    assert coming_school_year(rollout, TODAY) == now.school_year


def test_groups_need_a_target_year_first(app):
    state = readiness(make_school(), None)
    assert not state.is_done(Item.GROUPS)
    assert item(state, Item.GROUPS).message == (
        "Ange först en planerad starttermin: den avgör vilket läsår grupperna gäller."
    )


def test_every_group_of_the_coming_year_needs_a_lesson_plan_and_a_leader_pair(app):
    school = make_school()
    year = NEXT_YEAR
    state = readiness(school, year)
    assert not state.is_done(Item.GROUPS)
    assert item(state, Item.GROUPS).message == (
        f"Det finns inga elevgrupper för läsåret {year}/{(year + 1) % 100:02d} ännu."
    )

    plan = make_curriculum()
    anna, bo = make_leader(school), make_leader(school)
    a = equip(make_group(school, name="8A", school_year=year), curriculum=plan, leaders=[anna, bo])
    make_group(school, name="8B", school_year=year)
    equip(make_group(school, name="8C", school_year=year), curriculum=plan, leaders=[anna])
    make_group(school, name="8X", school_year=year - 1)  # last year's group does not count
    state = readiness(school, year)
    assert not state.is_done(Item.GROUPS)
    message = item(state, Item.GROUPS).message
    assert "utan lektionsplan: 8B" in message
    assert "utan fullt ledarpar: 8B, 8C" in message
    assert "8A" not in message and "8X" not in message

    for group in state.groups:
        if group.id != a.id:
            equip(db.session.get(StudentGroup, group.id), curriculum=plan, leaders=[anna, bo])
    state = readiness(school, year)
    assert state.is_done(Item.GROUPS)
    assert item(state, Item.GROUPS).message.startswith("3 grupper för")


# --- before-questionnaire -----------------------------------------------------------------------


def test_every_group_needs_a_before_questionnaire(app):
    school = make_school()
    year = NEXT_YEAR
    assert not readiness(school, year).is_done(Item.BEFORE_WAVE)
    first = make_group(school, name="8A", school_year=year)
    second = make_group(school, name="8B", school_year=year)
    make_wave(first, "before")
    make_wave(second, "after")  # an after-wave is not a before-wave
    state = readiness(school, year)
    assert not state.is_done(Item.BEFORE_WAVE)
    assert item(state, Item.BEFORE_WAVE).message == "Ingen föreenkät är schemalagd för 8B."
    make_wave(second, "before")
    assert readiness(school, year).is_done(Item.BEFORE_WAVE)


# --- all together ------------------------------------------------------------------------------


def test_a_fully_prepared_school_is_ready(app):
    school = ready_school(NEXT_YEAR)
    state = readiness(school, NEXT_YEAR)
    assert state.missing == []
    assert state.ready
    assert (state.done_count, state.total) == (6, 6)


def test_readiness_of_many_schools_takes_three_queries(app, count_queries):
    ids = [ready_school(NEXT_YEAR).id for _ in range(2)]
    with count_queries() as few:
        readiness_for(dict.fromkeys(ids, NEXT_YEAR), TODAY)
    ids += [ready_school(NEXT_YEAR).id for _ in range(6)]
    with count_queries() as many:
        result = readiness_for(dict.fromkeys(ids, NEXT_YEAR), TODAY)
    assert len(few) == len(many) == 3
    assert all(state.ready for state in result.values())
