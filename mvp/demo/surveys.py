"""Demo step: questionnaire waves with realistic answers for the pilot and the current round.

The pilot round's groups answered before and after (three also at a follow-up in the autumn);
the current round's groups have their before wave, and a group that has held every lesson
its after wave (open for two weeks from the next school day). Answers come from simulated
pupils: girls and boys start at different levels and improve modestly and differently;
"vet ej" becomes rarer after the lessons; a few pupils mistype one element of their code
(still linked) and a few cannot be linked at all. No wave gets more answers than its group
has pupils. Lessons, trainings and answers fall on weekdays (mvp.demo.school_day).
"""

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from mvp.demo import DemoContext, school_day
from mvp.extensions import db
from mvp.lessons import services as lesson_services
from mvp.lessons.models import Lesson
from mvp.surveys import services
from mvp.surveys.coding import Coded
from mvp.surveys.instruments import ensure_default_instrument
from mvp.surveys.linkage import QUESTIONS
from mvp.surveys.models import Item, Phase, PupilSex, ResponseKind, Source, Wave
from mvp.surveys.services import ResponseData

# Oriented scale means (1–4, higher = hoped-for) of boys before the lessons, girls' difference,
# and the change after the lessons for girls and boys (the follow-up keeps 70 % of it).
BASE = {"agera": 2.75, "tilltro": 2.7, "avstand": 2.95, "jamstalld": 2.8, "trygghet": 3.15}
GIRLS = {"agera": 0.15, "tilltro": -0.05, "avstand": 0.3, "jamstalld": 0.4, "trygghet": -0.1}
CHANGE = {
    PupilSex.GIRL: {"agera": 0.12, "tilltro": 0.1, "avstand": 0.08, "jamstalld": 0.03},
    PupilSex.BOY: {"agera": 0.22, "tilltro": 0.18, "avstand": 0.16, "jamstalld": 0.3},
}
# Recognising violence: chance of "yes" before, its rise after, and the share of "vet ej".
YES_BEFORE = {PupilSex.GIRL: 0.74, PupilSex.BOY: 0.62}
YES_RISE = {PupilSex.GIRL: 0.07, PupilSex.BOY: 0.11}
DONT_KNOW = {Phase.BEFORE: 0.17, Phase.AFTER: 0.08, Phase.FOLLOW_UP: 0.1}
TAKING_PART = {Phase.BEFORE: 0.92, Phase.AFTER: 0.87, Phase.FOLLOW_UP: 0.8}
FOLLOW_UP_GROUPS = {("Långsjöskolan", "8A"), ("Långsjöskolan", "8B"), ("Hallsta skola", "8A")}
PAPER_WAVES = {("Hallsta skola", "7A", Phase.AFTER)}
_INITIALS = "AAAAEEEKKLLMMMSSSJJHHCIIBBFGNPRTUVYÅÖ"


@dataclass
class Pupil:
    """A simulated pupil: self-reported sex, a stable code and a personal level per scale."""

    sex: str
    group_sex: str  # girl or boy as far as the answers go (others answer like a mix)
    code: dict[str, str]
    level: float
    yes_bias: float


def _code(rng: random.Random) -> dict[str, str]:
    return {
        "kod_bokstav": rng.choice(_INITIALS),
        "kod_manad": str(rng.randint(1, 12)),
        "kod_dag": str(rng.randint(0, 9)),
        "kod_syskon": str(rng.choices(range(6), weights=[38, 34, 16, 7, 3, 2])[0]),
        "kod_namn": str(rng.choices(range(3, 11), weights=[6, 20, 24, 20, 14, 9, 5, 2])[0]),
        "kod_hand": rng.choices(["1", "2", "3"], weights=[86, 11, 3])[0],
    }


def _pupils(group, rng: random.Random) -> list[Pupil]:
    pupils = []
    for registered, count in (("girl", group.girls), ("boy", group.boys), ("other", group.others)):
        for _ in range(count):
            if registered == "other":
                sex = rng.choice([PupilSex.OTHER, PupilSex.NO_ANSWER])
            else:
                sex = rng.choices([registered, PupilSex.NO_ANSWER, PupilSex.OTHER], [95, 4, 1])[0]
            answers_like = registered if registered != "other" else rng.choice(["girl", "boy"])
            pupils.append(
                Pupil(str(sex), answers_like, _code(rng), rng.gauss(0, 0.6), rng.gauss(0, 1.4))
            )
    return pupils


def _typed_code(pupil: Pupil, rng: random.Random, later: bool) -> dict[str, str | None]:
    """The code as typed this time: usually right; sometimes one or two elements off."""
    code = dict(pupil.code)
    roll = rng.random()
    keys = [q.key for q in QUESTIONS]
    if later and roll < 0.1:
        changes = 1  # a typo or a changed answer: still linked ("one differs")
    elif later and roll < 0.14:
        changes = 2  # too different to link
    else:
        changes = 0
    for key in rng.sample(keys, changes):
        question = next(q for q in QUESTIONS if q.key == key)
        other = [c for c, _label in question.options if c != code[key]]
        code[key] = rng.choice(other)
    if rng.random() < 0.02:
        for key in rng.sample(keys, 2):
            code[key] = None  # skipped two code questions: cannot be linked
    return code


def _agreement(level: float, reverse: bool, rng: random.Random, phase: str) -> Coded | None:
    roll = rng.random()
    if roll < 0.015:
        return None
    if roll < 0.015 + (0.045 if phase == Phase.BEFORE else 0.025):
        return Coded(None, True)
    oriented = min(4, max(1, round(level + rng.gauss(0, 0.6))))
    return Coded(5 - oriented if reverse else oriented)


def _yes_no(chance: float, rng: random.Random, phase: str) -> Coded | None:
    roll = rng.random()
    if roll < 0.01:
        return None
    if roll < 0.01 + DONT_KNOW[phase]:
        return Coded(None, True)
    return Coded(1 if rng.random() < chance else 0)


def _answers(pupil: Pupil, items: list[Item], phase: str, rng: random.Random) -> dict:
    sex = PupilSex(pupil.group_sex)
    after = 0.0 if phase == Phase.BEFORE else (1.0 if phase == Phase.AFTER else 0.7)
    answers = {}
    for item in items:
        scale = item.scale.key if item.scale else None
        if item.kind == ResponseKind.AGREEMENT and scale in BASE:
            level = BASE[scale] + pupil.level + (GIRLS[scale] if sex == PupilSex.GIRL else 0)
            level += after * CHANGE[sex].get(scale, 0.0)
            coded = _agreement(level, item.reverse, rng, phase)
        elif item.kind == ResponseKind.YES_NO:
            chance = YES_BEFORE[sex] + after * YES_RISE[sex]
            chance = 1 / (1 + math.exp(-(math.log(chance / (1 - chance)) + pupil.yes_bias)))
            coded = _yes_no(chance, rng, phase)
        else:
            weights = [30, 25, 33, 12] if phase == Phase.BEFORE else [36, 26, 29, 9]
            count = len(item.options)
            coded = Coded(rng.choices(range(1, count + 1), weights=weights[:count])[0])
        if coded is not None:
            answers[item.id] = coded
    return answers


def _window(start: dt.date, rng: random.Random) -> tuple[dt.date, dt.date]:
    opens = start + dt.timedelta(days=rng.randint(0, 6))
    return opens, opens + dt.timedelta(days=11)


def _finished_on(group) -> dt.date | None:
    """The day a group held the last lesson of its plan, if it has held them all."""
    planned = lesson_services.plan_length(group)
    held = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Lesson.number)), sa.func.max(Lesson.held_on)).where(
            Lesson.group_id == group.id, Lesson.is_repeat.is_(False)
        )
    ).one()
    return held[1] if planned and held[0] >= planned else None


def _answer_wave(wave: Wave, pupils, items, rng, today: dt.date, source: str) -> None:
    last = min(wave.closes_on, today)
    if last < wave.opens_on:
        return  # not opened yet
    phase = Phase(wave.phase)
    # The class answers together on one or two days of the window.
    span = (last - wave.opens_on).days
    days = sorted(
        {
            school_day(wave.opens_on + dt.timedelta(days=rng.randint(0, span)), latest=last)
            for _ in range(2)
        }
    )
    by_day = defaultdict(list)
    for pupil in pupils:
        if rng.random() > TAKING_PART[phase]:
            continue
        data = ResponseData(
            sex=pupil.sex,
            grade=wave.group.grade,
            answers=_answers(pupil, items, phase, rng),
            link=_typed_code(pupil, rng, later=phase != Phase.BEFORE),
        )
        by_day[rng.choice(days)].append(data)
    for day, rows in sorted(by_day.items()):
        if source == Source.PAPER:
            services.add_batch(wave, rows, source=source, answered_on=day)
        else:
            services.store_responses(wave, rows, source=source, answered_on=day)


def seed(context: DemoContext) -> None:
    """Waves and answers for the demo groups; pairs computed at the end."""
    rng = context.rng_for("surveys")
    instrument = ensure_default_instrument()
    items = services.instrument_items(instrument.id)
    pilot, current = context.pilot_year, context.current_year
    for (round_name, school, name), group in sorted(context.groups.items()):
        pupils = _pupils(group, rng)
        plans = []
        if round_name == "pilot":
            plans.append((Phase.BEFORE, dt.date(pilot, 9, 8)))
            plans.append((Phase.AFTER, dt.date(pilot + 1, 5, 4)))
            if (school, name) in FOLLOW_UP_GROUPS:
                plans.append((Phase.FOLLOW_UP, dt.date(pilot + 1, 10, 5)))
        else:
            plans.append((Phase.BEFORE, dt.date(current, 9, 8)))
        finished_on = _finished_on(group) if round_name == "current" else None
        for phase, start in plans:
            opens, closes = _window(start, rng)
            opens, closes = school_day(opens), school_day(closes)
            wave = Wave(
                group=group,
                phase=phase.value,
                instrument=instrument,
                opens_on=opens,
                closes_on=closes,
                code=services.new_code(rng),
            )
            db.session.add(wave)
            db.session.flush()
            source = Source.PAPER if (school, name, phase) in PAPER_WAVES else Source.ONLINE
            _answer_wave(wave, pupils, items, rng, context.today, source.value)
        if round_name == "current" and finished_on is not None:
            # Opened the school day after the last lesson, for two weeks: pupils answer online.
            opens = school_day(finished_on + dt.timedelta(days=1))
            wave = Wave(
                group=group,
                phase=Phase.AFTER.value,
                instrument=instrument,
                opens_on=opens,
                closes_on=school_day(opens + dt.timedelta(days=13)),
                code=services.new_code(rng),
            )
            db.session.add(wave)
            db.session.flush()
            _answer_wave(wave, pupils, items, rng, context.today, Source.ONLINE.value)
            if services.wave_status(wave, context.today) == "open":
                context.extra["open_wave"] = wave  # `flask demo` tells how to try it
    services.relink_all()
    context.extra["instrument"] = instrument
