"""A small pilot for the evaluation's tests: two schools, four groups, lessons and answers."""

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest

from mvp.extensions import db
from mvp.schools.years import current_school_year
from tests.evaluation.factories import (
    make_cohort,
    make_curriculum,
    make_instrument,
    make_leader,
    make_lesson,
    make_training,
    mark_paired,
)
from tests.factories import make_group, make_school


@dataclass
class Pilot:
    year: int
    instrument: object
    plan: object
    schools: dict
    groups: list
    leaders: list
    cohorts: list = field(default_factory=list)


def build_pilot(*, seed: int = 7, groups_per_school: int = 2, lift: float = 0.45) -> Pilot:
    """Långsjöskolan (two grade-8 groups) and Hallsta skola (grade 7 and 8), last school year."""
    rng = random.Random(seed)
    year = current_school_year() - 1
    instrument = make_instrument()
    plan = make_curriculum(14, name="MVP högstadiet")
    schools = {
        "Långsjöskolan": make_school(name="Långsjöskolan", pupils_by_grade={7: 118, 8: 112}),
        "Hallsta skola": make_school(name="Hallsta skola", pupils_by_grade={7: 56, 8: 53}),
    }
    groups, leaders = [], []
    for school_name, school in schools.items():
        pair = [
            make_leader(school, sex="woman", role="teacher"),
            make_leader(school, sex="man", role="counsellor"),
        ]
        leaders += pair
        make_training("leader_training", leaders=pair, hours=21, starts_on=dt.date(year, 8, 15))
        make_training(
            "supervision", school=school, hours=3, leaders=pair[:1], starts_on=dt.date(year, 10, 2)
        )
        make_training("anchoring", school=school, hours=2, starts_on=dt.date(year - 1, 5, 4))
        for index in range(groups_per_school):
            grade = 8 if school_name == "Långsjöskolan" or index else 7
            group = make_group(
                school,
                name=f"{grade}{'ABCDEFGH'[index]}",
                school_year=year,
                grade=grade,
                girls=13,
                boys=12,
                others=1 if index == 0 else 0,
            )
            group.curriculum_id = plan.id
            group.leader_1_id, group.leader_2_id = pair[0].id, pair[1].id
            groups.append(group)
    db.session.commit()
    for group_index, group in enumerate(groups):
        school_pair = [leader for leader in leaders if leader.school_id == group.school_id]
        for number in range(1, 13 + (group_index % 2)):
            make_lesson(
                group,
                number,
                leaders=school_pair if number % 4 else school_pair[:1],
                present=(group.girls - number % 3, group.boys - 1, group.others),
                delivered="fully" if number % 5 else "partly",
                held_on=dt.date(year, 9, 1) + dt.timedelta(days=7 * number),
                commit=False,
            )
        make_lesson(group, 3, leaders=school_pair, repeat=True, commit=False)
    db.session.commit()
    pilot = Pilot(year, instrument, plan, schools, groups, leaders)
    for group in groups:
        pilot.cohorts.append(make_cohort(group, instrument, rng=rng, lift=lift))
    mark_paired()
    return pilot


@pytest.fixture
def pilot(app) -> Pilot:
    return build_pilot()
