"""Factories for the evaluation's tests: instruments, lessons, trainings, answers and links.

Rows are made directly with the models, as the delivery and questionnaire areas would save
them; scale scores are computed here the way the questionnaire area stores them (mean of the
answered items after reverse scoring, index 0–100, valid with two thirds answered).
"""

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

import sqlalchemy as sa

from mvp.extensions import db
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson
from mvp.mentors.models import Leader, Training, TrainingParticipant
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

_numbers = itertools.count(1)
DONT_KNOW = "vet ej"

# (scale key, Swedish name, kind, [(item key, reverse)])
SCALES = [
    (
        "readiness",
        "Beredskap att ingripa",
        "agreement",
        [("r1", False), ("r2", False), ("r3", True)],
    ),
    ("norms", "Jämställda normer", "agreement", [("n1", True), ("n2", True), ("n3", False)]),
    ("recognise", "Känna igen våld", "yes_no", [("v1", False), ("v2", False), ("v3", False)]),
]


def make_instrument(key="mvp-test", version=1, scales=SCALES) -> Instrument:
    instrument = Instrument(key=key, version=version, name_sv="MVP-enkäten", name_en="MVP survey")
    position = itertools.count(1)
    for scale_position, (scale_key, name, kind, items) in enumerate(scales):
        scale = Scale(
            key=scale_key,
            position=scale_position,
            name_sv=name,
            name_en=f"{name} (en)",
            construct_sv=f"Mäter {name.lower()}",
            construct_en=f"Measures {scale_key}",
        )
        instrument.scales.append(scale)
        for item_key, reverse in items:
            instrument.items.append(
                Item(
                    key=item_key,
                    position=next(position),
                    text_sv=f"Påstående {item_key}",
                    text_en=f"Statement {item_key}",
                    kind=kind,
                    scale=scale,
                    reverse=reverse,
                )
            )
    db.session.add(instrument)
    db.session.commit()
    return instrument


def make_curriculum(lessons: int = 14, name: str | None = None) -> Curriculum:
    curriculum = Curriculum(name=name or f"MVP högstadiet {next(_numbers)}")
    for number in range(1, lessons + 1):
        curriculum.lessons.append(CurriculumLesson(number=number, theme=f"Tema {number}"))
    db.session.add(curriculum)
    db.session.commit()
    return curriculum


def make_leader(school=None, *, sex="woman", role="teacher", name=None) -> Leader:
    leader = Leader(
        name=name or f"Ledare {next(_numbers)}",
        school_id=school.id if school else None,
        role=role,
        sex=sex,
    )
    db.session.add(leader)
    db.session.commit()
    return leader


def make_training(kind, *, school=None, hours=3.0, starts_on=None, leaders=(), absent=()):
    training = Training(
        kind=kind,
        school_id=school.id if school else None,
        hours=hours,
        starts_on=starts_on or dt.date.today(),
    )
    for leader in leaders:
        training.participants.append(TrainingParticipant(leader_id=leader.id, attended=True))
    for leader in absent:
        training.participants.append(TrainingParticipant(leader_id=leader.id, attended=False))
    db.session.add(training)
    db.session.commit()
    return training


def make_lesson(
    group,
    number,
    *,
    leaders=(),
    present=None,
    delivered="fully",
    repeat=False,
    held_on=None,
    commit=True,
) -> Lesson:
    girls, boys, others = (
        present if present is not None else (group.girls, group.boys, group.others)
    )
    lesson = Lesson(
        group_id=group.id,
        number=number,
        is_repeat=repeat,
        held_on=held_on or dt.date.today(),
        girls_present=girls,
        boys_present=boys,
        others_present=others,
        delivered=delivered,
        adaptation="" if delivered == "fully" else "Kortare pass",
        leaders=list(leaders),
    )
    db.session.add(lesson)
    if commit:
        db.session.commit()
    return lesson


def make_wave(group, phase, instrument, *, opens_on=None) -> Wave:
    opens_on = opens_on or dt.date.today()
    wave = Wave(
        group_id=group.id,
        phase=phase,
        instrument_id=instrument.id,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=14),
        code=f"W{next(_numbers):05d}"[:6],
    )
    db.session.add(wave)
    db.session.commit()
    return wave


def score(items: list[Item], answers: dict) -> tuple[float | None, float | None, int, bool]:
    """(mean, index, answered, valid) of a scale as the questionnaire area stores it."""
    values = []
    for item in items:
        value = answers.get(item.key)
        if value is None or value == DONT_KNOW:
            continue
        if item.reverse:
            value = 5 - value if item.kind == "agreement" else 1 - value
        values.append(value)
    if not values:
        return None, None, 0, False
    mean = sum(values) / len(values)
    index = (mean - 1) / 3 * 100 if items[0].kind == "agreement" else mean * 100
    return mean, index, len(values), len(values) * 3 >= 2 * len(items)


def make_response(wave, *, sex="girl", answers: dict, grade=None, commit=True) -> Response:
    """A response with answers {item key: value | DONT_KNOW | None} and its scale scores."""
    instrument = wave.instrument
    response = Response(
        wave_id=wave.id,
        answered_on=wave.opens_on,
        source="online",
        sex=sex,
        grade=grade,
        link_code=[],
    )
    for item in instrument.items:
        value = answers.get(item.key)
        if value is None:
            continue
        if value == DONT_KNOW:
            response.answers.append(Answer(item_id=item.id, value=None, dont_know=True))
        else:
            response.answers.append(Answer(item_id=item.id, value=value, dont_know=False))
    for scale in instrument.scales:
        mean, index, answered, valid = score(scale.items, answers)
        response.scores.append(
            ScaleScore(scale_id=scale.id, mean=mean, index=index, answered=answered, valid=valid)
        )
    db.session.add(response)
    if commit:
        db.session.commit()
    return response


def link(before: Response, later: Response, phase="after", quality="exact", commit=True):
    db.session.add(
        ResponseLink(before_id=before.id, later_id=later.id, later_phase=phase, quality=quality)
    )
    if commit:
        db.session.commit()
        mark_paired()


def mark_paired() -> None:
    """Take the hand-made links as the cohorts' pairing, as if pairing had just run.

    The pages pair online answers where pairs are read (mvp.surveys.pairing.ensure_paired);
    without this they would replace the links these tests make by hand with code-based ones.
    """
    from mvp.surveys.pairing import cohort_codes, lock_cohort, stale_cohorts

    for school_id, cohort in stale_cohorts():
        marker = lock_cohort(school_id, cohort)
        marker.signature = cohort_codes(school_id, cohort).signature
    db.session.commit()


@dataclass
class Cohort:
    """The responses made for one group: before, after and which were linked."""

    before: list = field(default_factory=list)
    after: list = field(default_factory=list)
    pairs: list = field(default_factory=list)


def _answer(rng: random.Random, item: Item, lift: float, dont_know: float):
    if rng.random() < dont_know:
        return DONT_KNOW
    if item.kind == "yes_no":
        chance = min(0.95, 0.55 + lift / 4)
        yes = rng.random() < chance
        return int(not yes) if item.reverse else int(yes)
    level = min(4, max(1, round(rng.gauss(2.6 + lift, 0.8))))
    return 5 - level if item.reverse else level


def make_cohort(
    group,
    instrument,
    *,
    rng: random.Random,
    sexes=None,
    answer_rate=0.9,
    link_rate=0.8,
    lift=0.4,
    dont_know=0.08,
    later_phase="after",
) -> Cohort:
    """Before and later answers of a group's pupils, with a lift in the hoped-for direction.

    A group that already answered before the lessons gets only later answers, linked to
    its existing before-answers (a follow-up round after the after round).
    """
    before_wave = db.session.scalar(
        sa.select(Wave).where(Wave.group_id == group.id, Wave.phase == "before")
    ) or make_wave(group, "before", instrument)
    later_wave = make_wave(group, later_phase, instrument)
    sexes = sexes or (["girl"] * group.girls + ["boy"] * group.boys + ["other"] * group.others)
    cohort = Cohort()
    items = list(instrument.items)
    existing = list(
        db.session.scalars(sa.select(Response).where(Response.wave_id == before_wave.id))
    )
    if existing:
        sexes = [response.sex for response in existing]
    for position, sex in enumerate(sexes):
        personal = rng.gauss(0, 0.4)
        if existing:
            before = existing[position]
        else:
            if rng.random() > answer_rate:
                continue
            before = make_response(
                before_wave,
                sex=sex,
                answers={i.key: _answer(rng, i, personal, dont_know) for i in items},
                commit=False,
            )
        cohort.before.append(before)
        if rng.random() > answer_rate:
            continue
        after = make_response(
            later_wave,
            sex=sex,
            answers={i.key: _answer(rng, i, personal + lift, dont_know / 2) for i in items},
            commit=False,
        )
        cohort.after.append(after)
        if rng.random() < link_rate:
            cohort.pairs.append((before, after))
    db.session.flush()
    for before, after in cohort.pairs:
        quality = "exact" if rng.random() < 0.8 else "one_differs"
        link(before, after, later_phase, quality, commit=False)
    db.session.commit()
    return cohort
