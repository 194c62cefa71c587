"""Factories for leaders, trainings, lesson plans and held lessons, through the real services."""

import datetime as dt
import itertools
from types import SimpleNamespace

from mvp.extensions import db
from mvp.lessons import services as lesson_services
from mvp.lessons.services import LessonData, PlanData, SetupData
from mvp.mentors import services as mentor_services
from mvp.mentors.services import ATTENDED, LeaderData, TrainingData
from mvp.schools.years import school_year_span

_numbers = itertools.count(1)


# The services check scope through the user's role only; a stand-in lead needs no account.
_LEAD = SimpleNamespace(role="lead")


def _lead():
    return _LEAD


def make_leader(school=None, *, name=None, role="teacher", sex="woman", **overrides):
    data = LeaderData(
        name=name or f"Ledare {next(_numbers)}",
        school_id=school.id if school is not None else None,
        role=role,
        sex=sex,
        **overrides,
    )
    leader = mentor_services.create_leader(data, user=_lead())
    db.session.commit()
    return leader


def make_training(
    kind="leader_training", *, on=None, hours=21, school=None, attended=(), registered=(), **extra
):
    on = on or dt.date.today() - dt.timedelta(days=30)
    data = TrainingData(
        kind=kind, starts_on=on, hours=hours, school_id=school.id if school else None, **extra
    )
    lead = _lead()
    training = mentor_services.create_training(data, user=lead, today=dt.date.today())
    statuses = {leader.id: ATTENDED for leader in attended}
    statuses.update({leader.id: "registered" for leader in registered})
    if statuses:
        mentor_services.set_participants(lead, training, statuses, today=dt.date.today())
    db.session.commit()
    return training


def make_trained_leader(school=None, **overrides):
    leader = make_leader(school, **overrides)
    make_training(attended=[leader])
    return leader


def make_plan(lessons: int = 14, *, name=None):
    plan = lesson_services.create_plan(
        PlanData(
            name=name or f"Plan {next(_numbers)}",
            themes=[f"Tema {number}" for number in range(1, lessons + 1)],
        )
    )
    db.session.commit()
    return plan


def set_up_group(group, plan, leaders=()):
    ids = [leader.id for leader in leaders] + [None, None]
    lesson_services.update_setup(group, SetupData(plan.id, ids[0], ids[1]))
    db.session.commit()
    return group


def lesson_day(group, offset_days: int = 0) -> dt.date:
    """A day within the group's school year, not in the future."""
    first, last = school_year_span(group.school_year)
    day = min(dt.date.today(), last)
    return max(first, day - dt.timedelta(days=offset_days))


def record_lesson(group, number, *, held_on=None, leaders=None, **overrides):
    leaders = group.leader_pair if leaders is None else leaders
    data = {
        "number": number,
        "held_on": held_on or lesson_day(group),
        "leader_ids": [leader.id for leader in leaders],
        "girls_present": group.girls,
        "boys_present": group.boys,
        "others_present": group.others,
    }
    data.update(overrides)
    lesson = lesson_services.create_lesson(group, LessonData(**data))
    db.session.commit()
    return lesson
