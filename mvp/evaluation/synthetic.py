"""Synthetic pilot data of any size, for `flask bench` (never the real database).

Rows are inserted in bulk, as the questionnaire area would store them: answers scored
4..1 or 1/0, scale scores computed at save time, before-answers linked to after-answers.
"""

import datetime as dt
import random

import sqlalchemy as sa

from mvp.extensions import db
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson, lesson_leader
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import school_year_span
from mvp.surveys.models import (
    Answer,
    Instrument,
    Item,
    Response,
    ResponseLink,
    Scale,
    ScaleScore,
    Wave,
)

SCALES = [
    ("readiness", "agreement", [False, False, True, False]),
    ("norms", "agreement", [True, True, False, True]),
    ("recognise", "yes_no", [False, False, False, False]),
]


def fill(groups: int, *, school_year: int, schools: int = 4, seed: int = 1) -> int:
    """Fill an empty database with `groups` pupil groups answering before, after and at
    follow-up; returns the number of responses."""
    rng = random.Random(seed)
    start, _end = school_year_span(school_year)
    school_rows = [
        School(name=f"Skola {n}", kind="7-9", pupils_by_grade={"7": 120, "8": 120, "9": 120})
        for n in range(1, schools + 1)
    ]
    plan = Curriculum(name="MVP högstadiet")
    plan.lessons = [CurriculumLesson(number=n, theme=f"Tema {n}") for n in range(1, 15)]
    instrument = Instrument(key="mvp-bench", version=1, name_sv="Enkät", name_en="Survey")
    position = 0
    for scale_position, (key, kind, reverse_items) in enumerate(SCALES):
        scale = Scale(key=key, position=scale_position, name_sv=key, name_en=key)
        instrument.scales.append(scale)
        for number, reverse in enumerate(reverse_items, 1):
            position += 1
            instrument.items.append(
                Item(
                    key=f"{key}{number}",
                    position=position,
                    text_sv=f"{key} {number}",
                    text_en=f"{key} {number}",
                    kind=kind,
                    scale=scale,
                    reverse=reverse,
                )
            )
    db.session.add_all([*school_rows, plan, instrument])
    db.session.flush()
    leaders = [
        Leader(
            name=f"Ledare {n}",
            school_id=school_rows[n % schools].id,
            role="teacher",
            sex=rng.choice(["woman", "woman", "man"]),
        )
        for n in range(schools * 4)
    ]
    db.session.add_all(leaders)
    db.session.flush()
    training = Training(kind="leader_training", starts_on=start, hours=21)
    training.participants = [TrainingParticipant(leader_id=leader.id) for leader in leaders]
    db.session.add(training)
    group_rows = []
    for n in range(groups):
        size = rng.randint(20, 29)
        girls = rng.randint(size // 2 - 3, size // 2 + 2)
        others = rng.choice([0, 0, 1, 2])
        group_rows.append(
            StudentGroup(
                school_id=school_rows[n % schools].id,
                school_year=school_year,
                name=f"G{n}",
                grade=rng.choice([7, 8, 9]),
                girls=girls,
                boys=size - girls - others,
                others=others,
                curriculum_id=plan.id,
            )
        )
    db.session.add_all(group_rows)
    db.session.flush()
    items = sorted(instrument.items, key=lambda i: i.position)
    scales = list(instrument.scales)
    responses = 0
    lesson_rows, link_rows, leader_rows = [], [], []
    for group in group_rows:
        pair = [leader for leader in leaders if leader.school_id == group.school_id][:2]
        for number in range(1, rng.randint(11, 14) + 1):
            lesson_rows.append(
                {
                    "group_id": group.id,
                    "number": number,
                    "held_on": start + dt.timedelta(days=30 + 7 * number),
                    "girls_present": max(0, group.girls - rng.randint(0, 3)),
                    "boys_present": max(0, group.boys - rng.randint(0, 3)),
                    "others_present": group.others,
                    "delivered": rng.choice(["fully", "fully", "fully", "partly"]),
                    "leaders": pair if rng.random() < 0.85 else pair[:1],
                }
            )
        responses += _answers(group, instrument, items, scales, rng, start, link_rows)
    for row in lesson_rows:
        pair = row.pop("leaders")
        lesson = Lesson(**row)
        db.session.add(lesson)
        leader_rows.append((lesson, pair))
    db.session.flush()
    db.session.execute(
        sa.insert(lesson_leader),
        [
            {"lesson_id": lesson.id, "leader_id": leader.id}
            for lesson, pair in leader_rows
            for leader in pair
        ],
    )
    if link_rows:
        db.session.execute(sa.insert(ResponseLink), link_rows)
    return responses


def _answers(group, instrument, items, scales, rng, start, link_rows) -> int:
    sexes = ["girl"] * group.girls + ["boy"] * group.boys + ["other"] * group.others
    waves = {}
    for offset, phase in enumerate(("before", "after", "follow_up")):
        wave = Wave(
            group_id=group.id,
            phase=phase,
            instrument_id=instrument.id,
            opens_on=start + dt.timedelta(days=20 + 140 * offset),
            closes_on=start + dt.timedelta(days=34 + 140 * offset),
            code=f"{group.id:03d}{offset}"[-6:].rjust(6, "B"),
        )
        db.session.add(wave)
        waves[phase] = wave
    db.session.flush()
    made = {}
    answer_rows, score_rows = [], []
    for pupil, sex in enumerate(sexes):
        level = rng.gauss(0, 0.5)
        for phase, lift in (("before", 0.0), ("after", 0.35), ("follow_up", 0.25)):
            if rng.random() > 0.88:
                continue
            response = Response(
                wave_id=waves[phase].id,
                answered_on=waves[phase].opens_on,
                source="online",
                sex=sex if rng.random() > 0.03 else "no_answer",
                link_code=[],
            )
            db.session.add(response)
            made[(pupil, phase)] = (response, {})
            for item in items:
                value = _value(rng, item, level + lift)
                made[(pupil, phase)][1][item.id] = value
    db.session.flush()
    for (pupil, phase), (response, values) in made.items():
        for item in items:
            value = values[item.id]
            answer_rows.append(
                {
                    "response_id": response.id,
                    "item_id": item.id,
                    "value": value,
                    "dont_know": value is None,
                }
            )
        for scale in scales:
            scored = [
                (5 - values[i.id] if i.kind == "agreement" else 1 - values[i.id])
                if i.reverse
                else values[i.id]
                for i in items
                if i.scale_id == scale.id and values[i.id] is not None
            ]
            count = sum(1 for i in items if i.scale_id == scale.id)
            mean = sum(scored) / len(scored) if scored else None
            kind = next(i.kind for i in items if i.scale_id == scale.id)
            index = (
                None
                if mean is None
                else ((mean - 1) / 3 * 100 if kind == "agreement" else mean * 100)
            )
            score_rows.append(
                {
                    "response_id": response.id,
                    "scale_id": scale.id,
                    "mean": mean,
                    "index": index,
                    "answered": len(scored),
                    "valid": len(scored) * 3 >= 2 * count,
                }
            )
        if phase != "before" and (pupil, "before") in made and rng.random() < 0.8:
            link_rows.append(
                {
                    "before_id": made[(pupil, "before")][0].id,
                    "later_id": response.id,
                    "later_phase": phase,
                    "quality": "exact" if rng.random() < 0.85 else "one_differs",
                }
            )
    db.session.execute(sa.insert(Answer), answer_rows)
    db.session.execute(sa.insert(ScaleScore), score_rows)
    return len(made)


def _value(rng: random.Random, item, lift: float):
    if rng.random() < 0.06:
        return None  # vet ej
    if item.kind == "yes_no":
        yes = rng.random() < min(0.95, 0.55 + lift / 4)
        return int(not yes) if item.reverse else int(yes)
    level = min(4, max(1, round(rng.gauss(2.6 + lift, 0.8))))
    return 5 - level if item.reverse else level
