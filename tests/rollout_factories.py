"""Factories for the rollout's tests: leaders, trainings, lesson plans and waves, made directly
with the models (the screens that make them belong to other areas)."""

import datetime as dt
import itertools

from mvp.extensions import db
from mvp.lessons.models import Curriculum
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.rollout.models import SchoolRollout
from mvp.rollout.terms import SchoolTerm
from mvp.schools.models import School, StudentGroup
from mvp.surveys.models import Instrument, Wave

_numbers = itertools.count(1)


def make_leader(school: School | None, *, active: bool = True, **overrides) -> Leader:
    leader = Leader(
        name=overrides.pop("name", f"Ledare {next(_numbers)}"),
        school=school,
        role=overrides.pop("role", "teacher"),
        sex=overrides.pop("sex", "woman"),
        active=active,
        **overrides,
    )
    db.session.add(leader)
    db.session.commit()
    return leader


def make_training(kind: str, school: School | None, starts_on: dt.date, **overrides) -> Training:
    training = Training(kind=kind, school=school, starts_on=starts_on, **overrides)
    db.session.add(training)
    db.session.commit()
    return training


def train(leaders, finished_on: dt.date, *, attended: bool = True, kind="leader_training"):
    """A (central) leader training of three days ending on `finished_on`, with these leaders."""
    training = Training(
        kind=kind,
        school=None,
        starts_on=finished_on - dt.timedelta(days=2),
        ends_on=finished_on,
        hours=18,
    )
    db.session.add(training)
    for leader in leaders:
        db.session.add(TrainingParticipant(training=training, leader=leader, attended=attended))
    db.session.commit()
    return training


def make_curriculum(name: str | None = None) -> Curriculum:
    curriculum = Curriculum(name=name or f"MVP högstadiet {next(_numbers)}")
    db.session.add(curriculum)
    db.session.commit()
    return curriculum


def equip(group: StudentGroup, *, curriculum=None, leaders=(), before_wave: bool = False):
    """Give a group its lesson plan, its leader pair and (optionally) a before-questionnaire."""
    if curriculum is not None:
        group.curriculum = curriculum
    if leaders:
        group.leader_1 = leaders[0]
        group.leader_2 = leaders[1] if len(leaders) > 1 else None
    if before_wave:
        make_wave(group, "before")
    db.session.commit()
    return group


def make_wave(group: StudentGroup, phase: str, opens_on: dt.date | None = None) -> Wave:
    instrument = db.session.query(Instrument).first()
    if instrument is None:
        instrument = Instrument(key="mvp-standard", version=1, name_sv="MVP", name_en="MVP")
        db.session.add(instrument)
    opens_on = opens_on or dt.date.today() + dt.timedelta(days=30)
    code = f"W{next(_numbers):05d}"[-6:]
    wave = Wave(
        group=group,
        phase=phase,
        instrument=instrument,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=14),
        code=code,
    )
    db.session.add(wave)
    db.session.commit()
    return wave


def make_rollout(
    school: School,
    stage: str = "not_started",
    target: SchoolTerm | None = None,
    *,
    since: dt.date | None = None,
    responsible: str = "",
) -> SchoolRollout:
    """A rollout row set directly (no stage-change history), for reads and the plan."""
    rollout = SchoolRollout(
        school=school,
        stage=stage,
        stage_since=since or dt.date.today(),
        target_year=target.school_year if target else None,
        target_term=target.term if target else None,
        responsible=responsible,
    )
    db.session.add(rollout)
    db.session.commit()
    return rollout


def ready_school(school_year: int, **overrides) -> School:
    """A school with every readiness item done for the groups of `school_year`."""
    from tests.factories import make_group, make_school

    today = dt.date.today()
    school = make_school(**overrides)
    make_training("anchoring", school, today - dt.timedelta(days=120))
    make_training("staff_half_day", school, today - dt.timedelta(days=60))
    make_training("supervision", school, today + dt.timedelta(days=60))
    leaders = [make_leader(school) for _ in range(2)]
    train(leaders, today - dt.timedelta(days=30))
    group = make_group(school, name="8A", school_year=school_year)
    equip(group, curriculum=make_curriculum(), leaders=leaders, before_wave=True)
    return school
