"""The demo pilot's delivery: leaders, trainings in the Swedish order, pairs, plans and lessons
that make the pilot round mostly complete and the current round partly behind."""

import datetime as dt

import pytest
import sqlalchemy as sa

from mvp.demo import build_demo
from mvp.extensions import db
from mvp.lessons.fidelity import load_fidelity
from mvp.lessons.models import Curriculum, Lesson
from mvp.mentors.models import Leader, Training
from mvp.mentors.services import training_statuses
from mvp.schools.models import School, StudentGroup
from mvp.surveys.models import Response, Wave

TODAY = dt.date(2026, 11, 27)


def test_each_pilot_school_has_a_mixed_team_and_there_is_a_central_trainer(demo):
    for name in ("Långsjöskolan", "Hallsta skola"):
        school = db.session.scalar(sa.select(School).where(School.name == name))
        team = list(db.session.scalars(sa.select(Leader).where(Leader.school_id == school.id)))
        assert 6 <= len(team) <= 8
        assert len({leader.role for leader in team}) >= 3
        assert {"woman", "man"} <= {leader.sex for leader in team}
    assert db.session.scalar(sa.select(Leader).where(Leader.school_id.is_(None))) is not None


def test_trainings_come_in_the_swedish_order_before_and_during_the_pilot(demo):
    pilot_start = dt.date(demo.pilot_year, 8, 20)
    school = demo.schools["Långsjöskolan"]
    trainings = list(
        db.session.scalars(
            sa.select(Training)
            .where(sa.or_(Training.school_id == school.id, Training.school_id.is_(None)))
            .where(Training.starts_on >= dt.date(demo.pilot_year, 1, 1))
            .where(Training.starts_on < dt.date(demo.pilot_year + 1, 7, 1))
            .order_by(Training.starts_on)
        )
    )
    kinds = [t.kind for t in trainings]
    assert kinds == ["anchoring", "staff_half_day", "leader_training"] + ["supervision"] * 3
    assert all(t.starts_on < pilot_start for t in trainings[:3])
    assert sum(t.hours for t in trainings if t.kind == "supervision") == 9


def test_every_group_has_a_plan_and_a_pair_and_the_warnings_have_examples(demo):
    groups = list(db.session.scalars(sa.select(StudentGroup)))
    assert groups and all(g.curriculum_id and len(g.leader_pair) == 2 for g in groups)
    assert db.session.scalar(sa.select(sa.func.count(Curriculum.id))) >= 4
    pair_ids = {leader.id for g in groups for leader in g.leader_pair}
    statuses = training_statuses(pair_ids, today=TODAY).values()
    assert any(not s.trained for s in statuses), "an untrained leader in a pair"
    assert any(s.refresher_due for s in statuses), "a leader due for a refresher"


def test_the_pilot_round_is_mostly_complete_and_the_current_one_partly_behind(demo):
    lead = demo.users["lead"]
    pilot = load_fidelity(lead, demo.pilot_year, today=TODAY)
    finished = [g for g in pilot.groups if g.pace.finished]
    assert len(finished) >= len(pilot.groups) - 1
    assert sorted(g.figures.held for g in pilot.groups if not g.pace.finished) == [12]
    assert pilot.figures.partly + pilot.figures.not_delivered >= 2
    assert all(
        lesson.adaptation
        for lesson in db.session.scalars(sa.select(Lesson).where(Lesson.delivered != "fully"))
    )
    current = load_fidelity(lead, demo.current_year, today=TODAY)
    assert 1 <= len(current.behind) < len(current.groups)
    assert all(g.figures.held > 0 for g in current.groups)
    # One group has held every lesson: its after questionnaire opened the next school day
    # and is open today, with the first answers in.
    finished = [g for g in current.groups if g.pace.finished]
    assert [(g.group.school_name, g.group.name) for g in finished] == [("Långsjöskolan", "8A")]
    after = db.session.scalars(
        sa.select(Wave).where(Wave.group_id == finished[0].group.id, Wave.phase == "after")
    ).one()
    last_lesson = db.session.scalar(
        sa.select(sa.func.max(Lesson.held_on)).where(Lesson.group_id == after.group_id)
    )
    assert last_lesson < after.opens_on <= TODAY <= after.closes_on
    group = finished[0].group
    assert 0 < len(after.responses) < group.girls + group.boys + group.others
    assert max(lesson.held_on for lesson in db.session.scalars(sa.select(Lesson))) <= TODAY


def test_lessons_trainings_and_answers_fall_on_weekdays(demo):
    days = list(db.session.scalars(sa.select(Lesson.held_on)))
    days += list(db.session.scalars(sa.select(Training.starts_on)))
    days += [d for d in db.session.scalars(sa.select(Training.ends_on)) if d is not None]
    days += list(db.session.scalars(sa.select(Response.answered_on)))
    assert len(days) > 500
    assert {day.weekday() for day in days} <= {0, 1, 2, 3, 4}


@pytest.mark.parametrize("today", [dt.date(2027, 7, 2), dt.date(2027, 8, 21), dt.date(2028, 1, 5)])
def test_the_demo_builds_on_any_day_without_lessons_in_the_future(app, today):
    context = build_demo(today=today)
    db.session.commit()
    days = list(db.session.scalars(sa.select(Lesson.held_on)))
    assert days and max(days) <= today
    assert load_fidelity(context.users["lead"], context.pilot_year, today=today).groups


def test_the_demo_tells_which_code_to_try_as_a_pupil(demo, app):
    from mvp.demo.cli import _write_accounts

    wave = demo.extra["open_wave"]
    assert wave.phase == "after" and wave.opens_on <= TODAY <= wave.closes_on
    text = _write_accounts(demo.passwords, wave)
    assert f"Svara som elev: gå till /e och skriv koden {wave.code}" in text
    assert "Långsjöskolan 8A" in text and wave.closes_on.isoformat() in text
