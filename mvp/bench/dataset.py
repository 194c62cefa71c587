"""A generated municipality for `flask bench`: deterministic (seeded), any size, bulk-inserted.

Only ever written into the bench's throwaway database. The simulated pupils are the demo's
(mvp.demo.surveys: consistent within a scale, modest improvement, typos in linkage codes);
their linkage codes are hashed with the installation's key, their scale scores computed by
mvp.surveys.scoring as when a response is saved, and the pairs made by the app's own
relink (mvp.surveys.services.relink_all). Rows go in with bulk INSERTs (COPY on PostgreSQL),
which is the only shortcut: what ends up in the tables is what the app would have stored.
"""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from mvp.demo import surveys as simulated
from mvp.extensions import db
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson, lesson_leader
from mvp.lessons.services import load_standard_plans
from mvp.mentors.models import Leader, Training, TrainingParticipant
from mvp.rollout.models import SchoolRollout, Stage
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import current_school_year
from mvp.surveys import linkage, scoring
from mvp.surveys.instruments import ensure_default_instrument
from mvp.surveys.models import Answer, Phase, Response, ResponseKind, ScaleScore, Source, Wave
from mvp.surveys.services import CODE_ALPHABET, CODE_LENGTH, instrument_items, relink_all

GRADES = (7, 8, 9)
# Waves whose answers are inserted together (~7,500 responses, ~220,000 item answers).
WAVES_PER_INSERT = 300
LEADER_ROLES = ("teacher", "teacher", "counsellor", "school_nurse", "teacher", "youth_worker")


@dataclass(frozen=True)
class Scale:
    """A size of the generated municipality."""

    name: str
    schools: int
    years: int
    groups_per_school_year: int
    # Share of groups that also answer a follow-up questionnaire the autumn after.
    follow_up_share: float = 1 / 3


SCALES = {
    "pilot": Scale("pilot", schools=2, years=3, groups_per_school_year=2),
    # 40 schools × 5 years × 6 groups = 1,200 groups, ~16,800 lessons, ~61,000 answers.
    "municipality": Scale("municipality", schools=40, years=5, groups_per_school_year=6),
    # ~600,000 answers: meant for PostgreSQL.
    "national": Scale("national", schools=400, years=5, groups_per_school_year=6),
}


@dataclass
class Dataset:
    """What was generated: the school years and the counts the bench prints."""

    years: tuple[int, ...]
    school_ids: tuple[int, ...]
    instrument_id: int
    curriculum_id: int
    groups: int = 0
    lessons: int = 0
    responses: int = 0
    answers: int = 0


def generate(scale: Scale, *, seed: int = 1) -> Dataset:
    """Fill an empty database with `scale`'s municipality; the caller commits.

    The same seed gives the same rows; the school years end with the last complete one.
    """
    rng = random.Random(f"bench:{seed}")
    last = current_school_year() - 1
    years = tuple(range(last - scale.years + 1, last + 1))
    load_standard_plans()
    instrument = ensure_default_instrument()
    plan = db.session.scalars(sa.select(Curriculum).order_by(Curriculum.id)).first()
    plan_length = db.session.scalar(
        sa.select(sa.func.count(CurriculumLesson.id)).where(
            CurriculumLesson.curriculum_id == plan.id
        )
    )
    schools = [
        School(
            name=f"Skola {n:03d}",
            kind="7-9",
            pupils_by_grade={str(g): rng.randint(90, 160) for g in GRADES},
        )
        for n in range(1, scale.schools + 1)
    ]
    db.session.add_all(schools)
    db.session.flush()
    first_day = dt.date(years[0], 8, 15)
    db.session.add_all(
        SchoolRollout(school_id=s.id, stage=Stage.ESTABLISHED.value, stage_since=first_day)
        for s in schools
    )
    dataset = Dataset(years, tuple(s.id for s in schools), instrument.id, plan.id)
    leaders = _leaders_and_trainings(schools, years, rng)
    groups = _groups(scale, schools, years, plan.id, rng)
    dataset.groups = len(groups)
    dataset.lessons = _lessons(groups, leaders, plan_length, rng)
    _questionnaires(scale, groups, instrument.id, rng, dataset)
    relink_all()
    return dataset


def _bulk(table, rows: list[dict], columns: list[str]) -> None:
    """INSERT many rows: COPY on PostgreSQL, the driver's executemany on SQLite."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
        return
    if connection.dialect.name == "sqlite":
        # Straight to the driver: SQLAlchemy's per-row parameter processing costs more than
        # SQLite's insert itself.
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _c in columns)
        connection.connection.driver_connection.executemany(
            f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
            [tuple(row[c] for c in columns) for row in rows],
        )
        return
    db.session.execute(sa.insert(table), rows)


def _inserted_ids(model, rows: list[dict]) -> list[int]:
    """Bulk INSERT … RETURNING id, in the order of the rows."""
    if not rows:
        return []
    statement = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _leaders_and_trainings(schools, years, rng) -> dict[int, list[int]]:
    """Eight leaders per school, trained centrally before the first year; each school's
    anchoring meeting and staff half-day, and three supervisions a year."""
    rows = [
        {
            "name": f"Ledare {school.id}-{n}",
            "school_id": school.id,
            "role": LEADER_ROLES[n % len(LEADER_ROLES)],
            "sex": rng.choice(["woman", "woman", "man"]),
        }
        for school in schools
        for n in range(8)
    ]
    ids = _inserted_ids(Leader, rows)
    by_school: dict[int, list[int]] = defaultdict(list)
    for row, leader_id in zip(rows, ids, strict=True):
        by_school[row["school_id"]].append(leader_id)
    start = dt.date(years[0], 8, 20)
    trainings, participants = [], []
    central = Training(
        kind="leader_training", starts_on=start, ends_on=start + dt.timedelta(2), hours=21
    )
    db.session.add(central)
    for school in schools:
        trainings.append(
            {
                "kind": "anchoring",
                "starts_on": start - dt.timedelta(60),
                "hours": 2,
                "school_id": school.id,
                "other_attendees": 4,
            }
        )
        trainings.append(
            {
                "kind": "staff_half_day",
                "starts_on": start - dt.timedelta(30),
                "hours": 4,
                "school_id": school.id,
                "other_attendees": 40,
            }
        )
        for year in years:
            for month in (10, 1, 4):
                day = dt.date(year + (month < 8), month, 12)
                trainings.append(
                    {"kind": "supervision", "starts_on": day, "hours": 2, "school_id": school.id}
                )
    ids = _inserted_ids(Training, trainings)
    db.session.flush()
    for school in schools:
        for leader_id in by_school[school.id]:
            participants.append(
                {"training_id": central.id, "leader_id": leader_id, "attended": True}
            )
    for row, training_id in zip(trainings, ids, strict=True):
        if row["kind"] == "supervision":
            for leader_id in by_school[row["school_id"]][:6]:
                participants.append(
                    {
                        "training_id": training_id,
                        "leader_id": leader_id,
                        "attended": rng.random() < 0.85,
                    }
                )
    db.session.execute(sa.insert(TrainingParticipant), participants)
    return by_school


def _groups(scale, schools, years, plan_id, rng) -> list[StudentGroup]:
    rows = []
    for year in years:
        for school in schools:
            for n in range(scale.groups_per_school_year):
                grade = GRADES[n % len(GRADES)]
                size = rng.randint(20, 29)
                girls = rng.randint(size // 2 - 3, size // 2 + 2)
                others = rng.choice([0, 0, 0, 1, 2])
                rows.append(
                    {
                        "school_id": school.id,
                        "school_year": year,
                        "name": f"{grade}{'ABCDEFGHIJ'[n // len(GRADES)]}",
                        "grade": grade,
                        "girls": girls,
                        "boys": size - girls - others,
                        "others": others,
                        "curriculum_id": plan_id,
                    }
                )
    ids = _inserted_ids(StudentGroup, rows)
    return [StudentGroup(id=i, **row) for i, row in zip(ids, rows, strict=True)]


def _lessons(groups, leaders, plan_length, rng) -> int:
    """Every lesson of the plan, weekly from October; a few partly delivered or missed."""
    rows, pairs = [], []
    for group in groups:
        pair = rng.sample(leaders[group.school_id], 2)
        held = [n for n in range(1, plan_length + 1) if rng.random() > 0.02]
        for number in held:
            partly = rng.random() < 0.08
            rows.append(
                {
                    "group_id": group.id,
                    "number": number,
                    "held_on": dt.date(group.school_year, 10, 1) + dt.timedelta(days=7 * number),
                    "girls_present": max(0, group.girls - rng.randint(0, 3)),
                    "boys_present": max(0, group.boys - rng.randint(0, 3)),
                    "others_present": group.others,
                    "delivered": "partly" if partly else "fully",
                    "adaptation": "Kortare diskussion." if partly else "",
                }
            )
            pairs.append(pair if rng.random() < 0.85 else pair[:1])
    ids = _inserted_ids(Lesson, rows)
    _bulk(
        lesson_leader,
        [
            {"lesson_id": i, "leader_id": leader}
            for i, pair in zip(ids, pairs, strict=True)
            for leader in pair
        ],
        ["lesson_id", "leader_id"],
    )
    return len(rows)


def _wave_codes(rng, count: int) -> list[str]:
    codes: set[str] = set()
    ordered = []
    while len(ordered) < count:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in codes:
            codes.add(code)
            ordered.append(code)
    return ordered


def _scales(items) -> dict[int, list[scoring.ScaleItem]]:
    """The instrument's scales as mvp.surveys.services scores them (choice items left out)."""
    scales: dict[int, list[scoring.ScaleItem]] = defaultdict(list)
    for item in items:
        if item.scale_id is not None and item.kind != ResponseKind.CHOICE:
            scales[item.scale_id].append(scoring.ScaleItem(item.id, item.kind, item.reverse))
    return dict(scales)


def _questionnaires(scale, groups, instrument_id, rng, dataset: Dataset) -> None:
    """Before, after and (for some groups) follow-up waves, answered by simulated pupils;
    inserted a few hundred waves at a time so that memory stays bounded at any scale."""
    items = instrument_items(instrument_id)
    scales = _scales(items)
    key = linkage.linkage_key()
    plans = []
    for group in groups:
        plans.append((group, Phase.BEFORE, dt.date(group.school_year, 9, 8)))
        plans.append((group, Phase.AFTER, dt.date(group.school_year + 1, 5, 4)))
        if rng.random() < scale.follow_up_share:
            plans.append((group, Phase.FOLLOW_UP, dt.date(group.school_year + 1, 10, 5)))
    codes = _wave_codes(rng, len(plans))
    wave_rows = [
        {
            "group_id": group.id,
            "phase": phase.value,
            "instrument_id": instrument_id,
            "opens_on": opens,
            "closes_on": opens + dt.timedelta(days=11),
            "code": code,
        }
        for (group, phase, opens), code in zip(plans, codes, strict=True)
    ]
    wave_ids = _inserted_ids(Wave, wave_rows)
    waves = [(*plan, wave_id) for plan, wave_id in zip(plans, wave_ids, strict=True)]
    pupils_of = {}
    for first in range(0, len(waves), WAVES_PER_INSERT):
        responses, values = [], []
        for group, phase, opens, wave_id in waves[first : first + WAVES_PER_INSERT]:
            if group.id not in pupils_of:
                pupils_of[group.id] = simulated._pupils(group, rng)
            for pupil in pupils_of[group.id]:
                if rng.random() > simulated.TAKING_PART[phase]:
                    continue
                typed = simulated._typed_code(pupil, rng, later=phase != Phase.BEFORE)
                responses.append(
                    {
                        "wave_id": wave_id,
                        "answered_on": opens + dt.timedelta(days=rng.randint(0, 4)),
                        "source": Source.ONLINE.value,
                        "sex": pupil.sex,
                        "grade": group.grade,
                        "link_code": linkage.hash_code(typed, key),
                    }
                )
                values.append(simulated._answers(pupil, items, phase, rng))
        ids = _inserted_ids(Response, responses)
        answer_rows, score_rows = [], []
        for response_id, answers in zip(ids, values, strict=True):
            for item_id, coded in answers.items():
                answer_rows.append(
                    {
                        "response_id": response_id,
                        "item_id": item_id,
                        "value": coded.value,
                        "dont_know": coded.dont_know,
                    }
                )
            given = {item_id: (a.value, a.dont_know) for item_id, a in answers.items()}
            for scale_id, scale_items in scales.items():
                result = scoring.score(scale_items, given)
                score_rows.append(
                    {
                        "response_id": response_id,
                        "scale_id": scale_id,
                        "mean": result.mean,
                        "index": result.index,
                        "answered": result.answered,
                        "valid": result.valid,
                    }
                )
        _bulk(Answer.__table__, answer_rows, ["response_id", "item_id", "value", "dont_know"])
        _bulk(
            ScaleScore.__table__,
            score_rows,
            ["response_id", "scale_id", "mean", "index", "answered", "valid"],
        )
        dataset.responses += len(responses)
        dataset.answers += len(answer_rows)
