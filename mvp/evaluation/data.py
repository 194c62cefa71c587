"""The evaluation's data: a fixed, small number of aggregate queries, whatever the data size.

Each function runs one query. Lessons, trainings and response counts are aggregated in the
database; scale scores, links and answers come back as plain rows (a few numbers each) for
numpy. Scale scores are read as stored when each response was saved, never recomputed.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.lessons.models import Curriculum, CurriculumLesson, Delivery, Lesson, lesson_leader
from mvp.mentors.models import Leader, Training, TrainingKind, TrainingParticipant
from mvp.schools.models import School, StudentGroup
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


@dataclass
class RawData:
    """Everything the evaluation is computed from, as plain rows."""

    groups: list = field(default_factory=list)
    schools: list = field(default_factory=list)
    lessons: dict = field(default_factory=dict)
    leaders: list = field(default_factory=list)
    trainings: list = field(default_factory=list)
    waves: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    links: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    items: list = field(default_factory=list)
    continuation: list = field(default_factory=list)
    texts: list = field(default_factory=list)


def selected_groups(selection: EvaluationFilter) -> sa.Select:
    """SELECT the ids of the pupil groups in the selection (used as a subquery)."""
    return sa.select(StudentGroup.id).where(*group_conditions(selection))


def group_conditions(selection: EvaluationFilter) -> list:
    """WHERE clauses on StudentGroup for the selection."""
    conditions = [StudentGroup.school_year.in_(selection.years)]
    if selection.school_ids is not None:
        conditions.append(StudentGroup.school_id.in_(selection.school_ids))
    if selection.grades:
        conditions.append(StudentGroup.grade.in_(selection.grades))
    if selection.plan_ids:
        conditions.append(StudentGroup.curriculum_id.in_(selection.plan_ids))
    return conditions


def school_condition(selection: EvaluationFilter, column) -> sa.ColumnElement[bool]:
    """Schools in the selection: the chosen (or the coordinator's) ones, else every school."""
    if selection.school_ids is None:
        return sa.true()
    return column.in_(selection.school_ids)


def load(selection: EvaluationFilter, today: dt.date | None = None) -> RawData:
    """Run the evaluation's queries (thirteen, whatever the number of answers).

    Trainings count up to the end of the last school year or today, whichever is earlier:
    a leader is trained once a leader training they attended is over (as on the delivery
    area's pages), and supervision is what has been held so far.
    """
    until = min(selection.last_day, today or dt.date.today())
    return RawData(
        groups=load_groups(selection),
        schools=load_schools(selection),
        lessons=load_lessons(selection),
        leaders=load_leaders(selection, until),
        trainings=load_trainings(selection, until),
        waves=load_waves(selection),
        responses=load_responses(selection),
        scores=load_scores(selection),
        links=load_links(selection),
        answers=load_answers(selection),
        items=load_items(selection),
        continuation=load_continuation(selection),
        texts=load_texts(selection),
    )


def load_groups(selection: EvaluationFilter) -> list:
    """The selected groups with their school, lesson plan and plan length."""
    plan_length = (
        sa.select(CurriculumLesson.curriculum_id, sa.func.count().label("lessons"))
        .group_by(CurriculumLesson.curriculum_id)
        .subquery()
    )
    return list(
        db.session.execute(
            sa.select(
                StudentGroup.id,
                StudentGroup.school_id,
                School.name.label("school_name"),
                StudentGroup.school_year,
                StudentGroup.grade,
                StudentGroup.name,
                StudentGroup.girls,
                StudentGroup.boys,
                StudentGroup.others,
                StudentGroup.curriculum_id,
                Curriculum.name.label("plan_name"),
                plan_length.c.lessons.label("plan_lessons"),
            )
            .join(School, School.id == StudentGroup.school_id)
            .outerjoin(Curriculum, Curriculum.id == StudentGroup.curriculum_id)
            .outerjoin(plan_length, plan_length.c.curriculum_id == StudentGroup.curriculum_id)
            .where(*group_conditions(selection))
            .order_by(School.name, StudentGroup.school_year, StudentGroup.grade, StudentGroup.name)
        )
    )


def load_schools(selection: EvaluationFilter) -> list:
    """Every school in the selection's scope, for shares and the adoption of schools."""
    return list(
        db.session.execute(
            sa.select(School.id, School.name, School.active, School.pupils_by_grade)
            .where(school_condition(selection, School.id))
            .order_by(School.name)
        )
    )


def load_lessons(selection: EvaluationFilter) -> dict:
    """Per selected group: its lessons, aggregated (see lesson_aggregates)."""
    return lesson_aggregates(selected_groups(selection))


def lesson_aggregates(group_ids: sa.Select) -> dict:
    """{group id: one row of counts} for the groups `group_ids` selects, in one query:
    distinct lesson numbers held, held lessons, repeats, lessons with a leader pair, delivered
    fully/partly/not, and pupils present by sex — repeats excluded except from `repeats`
    (mvp.evaluation.fidelity turns them into the implementation figures)."""
    leaders = (
        sa.select(lesson_leader.c.lesson_id, sa.func.count().label("leaders"))
        .group_by(lesson_leader.c.lesson_id)
        .subquery()
    )
    first = ~Lesson.is_repeat

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    def sum_if(condition, column):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, column), else_=0)), 0)

    rows = db.session.execute(
        sa.select(
            Lesson.group_id,
            sa.func.count(sa.distinct(sa.case((first, Lesson.number)))).label("numbers"),
            count_if(first).label("held"),
            count_if(Lesson.is_repeat).label("repeats"),
            count_if(sa.and_(first, sa.func.coalesce(leaders.c.leaders, 0) >= 2)).label("pairs"),
            count_if(sa.and_(first, Lesson.delivered == Delivery.FULLY)).label("fully"),
            count_if(sa.and_(first, Lesson.delivered == Delivery.PARTLY)).label("partly"),
            count_if(sa.and_(first, Lesson.delivered == Delivery.NOT)).label("not_"),
            sum_if(first, Lesson.girls_present).label("girls_present"),
            sum_if(first, Lesson.boys_present).label("boys_present"),
            sum_if(first, Lesson.others_present).label("others_present"),
        )
        .outerjoin(leaders, leaders.c.lesson_id == Lesson.id)
        .where(Lesson.group_id.in_(group_ids))
        .group_by(Lesson.group_id)
    )
    return {row.group_id: row for row in rows}


def load_leaders(selection: EvaluationFilter, until: dt.date) -> list:
    """Leaders of the selected schools and those who led a selected group's lesson.

    Per leader: trained (attended a leader training whose last day is by `until`), hours of
    supervision attended from the period's first day to `until`, and lessons led in the
    selection.
    """
    last_day = sa.func.coalesce(Training.ends_on, Training.starts_on)
    attended = (
        sa.select(
            TrainingParticipant.leader_id,
            sa.func.max(
                sa.case(
                    (
                        sa.and_(Training.kind == TrainingKind.LEADER_TRAINING, last_day <= until),
                        1,
                    ),
                    else_=0,
                )
            ).label("trained"),
            sa.func.sum(
                sa.case(
                    (
                        sa.and_(
                            Training.kind == TrainingKind.SUPERVISION,
                            Training.starts_on.between(selection.first_day, until),
                        ),
                        Training.hours,
                    ),
                    else_=0,
                )
            ).label("supervision_hours"),
        )
        .join(Training, Training.id == TrainingParticipant.training_id)
        .where(TrainingParticipant.attended)
        .group_by(TrainingParticipant.leader_id)
        .subquery()
    )
    led = (
        sa.select(lesson_leader.c.leader_id, sa.func.count().label("lessons"))
        .join(Lesson, Lesson.id == lesson_leader.c.lesson_id)
        .where(Lesson.group_id.in_(selected_groups(selection)))
        .group_by(lesson_leader.c.leader_id)
        .subquery()
    )
    in_schools = (
        Leader.school_id.in_(selection.school_ids)
        if selection.school_ids is not None
        else Leader.school_id.is_not(None)
    )
    return list(
        db.session.execute(
            sa.select(
                Leader.id,
                Leader.school_id,
                Leader.role,
                Leader.sex,
                sa.func.coalesce(attended.c.trained, 0).label("trained"),
                sa.func.coalesce(attended.c.supervision_hours, 0).label("supervision_hours"),
                sa.func.coalesce(led.c.lessons, 0).label("lessons"),
            )
            .outerjoin(attended, attended.c.leader_id == Leader.id)
            .outerjoin(led, led.c.leader_id == Leader.id)
            .where(sa.or_(in_schools, led.c.lessons.is_not(None)))
        )
    )


def load_trainings(selection: EvaluationFilter, until: dt.date) -> list:
    """Per school and kind of training: the first date by `until`, and the hours held from
    the period's first day to `until` (school None: central trainings)."""
    within = Training.starts_on.between(selection.first_day, until)
    return list(
        db.session.execute(
            sa.select(
                Training.school_id,
                Training.kind,
                sa.func.min(sa.case((Training.starts_on <= until, Training.starts_on))).label(
                    "first_on"
                ),
                sa.func.coalesce(sa.func.sum(sa.case((within, Training.hours), else_=0)), 0).label(
                    "hours"
                ),
            )
            .where(
                sa.or_(
                    school_condition(selection, Training.school_id), Training.school_id.is_(None)
                )
            )
            .group_by(Training.school_id, Training.kind)
        )
    )


def load_waves(selection: EvaluationFilter) -> list:
    """The selected groups' questionnaire rounds."""
    return list(
        db.session.execute(
            sa.select(Wave.id, Wave.group_id, Wave.phase, Wave.instrument_id).where(
                Wave.group_id.in_(selected_groups(selection))
            )
        )
    )


def load_responses(selection: EvaluationFilter) -> list:
    """(id, group, phase, self-reported sex) of every response in the selection."""
    return list(
        db.session.execute(
            sa.select(Response.id, Wave.group_id, Wave.phase, Response.sex)
            .join(Wave, Wave.id == Response.wave_id)
            .where(Wave.group_id.in_(selected_groups(selection)))
        )
    )


def load_scores(selection: EvaluationFilter) -> list:
    """Valid scale scores as stored: (response, instrument key, scale key, mean, index)."""
    return list(
        db.session.execute(
            sa.select(
                ScaleScore.response_id,
                Instrument.key.label("instrument"),
                Scale.key.label("scale"),
                ScaleScore.mean,
                ScaleScore.index,
            )
            .join(Response, Response.id == ScaleScore.response_id)
            .join(Wave, Wave.id == Response.wave_id)
            .join(Scale, Scale.id == ScaleScore.scale_id)
            .join(Instrument, Instrument.id == Scale.instrument_id)
            .where(
                Wave.group_id.in_(selected_groups(selection)),
                ScaleScore.valid,
                ScaleScore.index.is_not(None),
                ScaleScore.mean.is_not(None),
            )
        )
    )


def load_links(selection: EvaluationFilter) -> list:
    """Links from the selection's before-answers to later answers."""
    return list(
        db.session.execute(
            sa.select(
                ResponseLink.before_id,
                ResponseLink.later_id,
                ResponseLink.later_phase,
                ResponseLink.quality,
            )
            .join(Response, Response.id == ResponseLink.before_id)
            .join(Wave, Wave.id == Response.wave_id)
            .where(Wave.group_id.in_(selected_groups(selection)))
        )
    )


def load_answers(selection: EvaluationFilter) -> list:
    """Every answer of the selection: (response, item, value, dont_know)."""
    return list(
        db.session.execute(
            sa.select(Answer.response_id, Answer.item_id, Answer.value, Answer.dont_know)
            .join(Response, Response.id == Answer.response_id)
            .join(Wave, Wave.id == Response.wave_id)
            .where(Wave.group_id.in_(selected_groups(selection)))
        )
    )


def load_items(selection: EvaluationFilter) -> list:
    """The items and scales of the instruments the selection's waves used."""
    used = sa.select(Wave.instrument_id).where(Wave.group_id.in_(selected_groups(selection)))
    return list(
        db.session.execute(
            sa.select(
                Item.id,
                Item.key,
                Item.position,
                Item.text_sv,
                Item.text_en,
                Item.kind,
                Item.reverse,
                Instrument.id.label("instrument_id"),
                Instrument.key.label("instrument"),
                Instrument.version,
                Instrument.name_sv.label("instrument_sv"),
                Instrument.name_en.label("instrument_en"),
                Scale.key.label("scale"),
                Scale.position.label("scale_position"),
                Scale.name_sv.label("scale_sv"),
                Scale.name_en.label("scale_en"),
                Scale.construct_sv,
                Scale.construct_en,
            )
            .join(Instrument, Instrument.id == Item.instrument_id)
            .outerjoin(Scale, Scale.id == Item.scale_id)
            .where(Item.instrument_id.in_(used))
            .order_by(Instrument.key, Instrument.version, Item.position)
        )
    )


def load_continuation(selection: EvaluationFilter) -> list:
    """Groups per school and school year after the first selected one (any grade or plan)."""
    return list(
        db.session.execute(
            sa.select(
                StudentGroup.school_id,
                StudentGroup.school_year,
                sa.func.count(StudentGroup.id).label("groups"),
            )
            .where(
                school_condition(selection, StudentGroup.school_id),
                StudentGroup.school_year > min(selection.years),
            )
            .group_by(StudentGroup.school_id, StudentGroup.school_year)
        )
    )


def load_texts(selection: EvaluationFilter) -> list:
    """The project lead's texts for the selected school years."""
    return list(
        db.session.scalars(
            sa.select(ReportText)
            .where(ReportText.school_year.in_(selection.years))
            .order_by(ReportText.school_year)
        )
    )


@dataclass
class AnswerFile:
    """The raw material of the de-identified answer file: responses, scores, answers, links."""

    responses: list
    scores: list
    answers: list
    items: list
    links: list


def load_answer_file(selection: EvaluationFilter) -> AnswerFile:
    """Five queries, whatever the number of answers."""
    responses = list(
        db.session.execute(
            sa.select(
                Response.id,
                Response.sex,
                Wave.phase,
                StudentGroup.id.label("group_id"),
                StudentGroup.school_id,
                StudentGroup.school_year,
                StudentGroup.grade,
            )
            .join(Wave, Wave.id == Response.wave_id)
            .join(StudentGroup, StudentGroup.id == Wave.group_id)
            .where(*group_conditions(selection))
        )
    )
    scores = list(
        db.session.execute(
            sa.select(
                ScaleScore.response_id,
                Scale.key.label("scale"),
                ScaleScore.mean,
                ScaleScore.index,
                ScaleScore.valid,
            )
            .join(Scale, Scale.id == ScaleScore.scale_id)
            .join(Response, Response.id == ScaleScore.response_id)
            .join(Wave, Wave.id == Response.wave_id)
            .where(Wave.group_id.in_(selected_groups(selection)))
        )
    )
    items = load_items(selection)
    return AnswerFile(
        responses=responses,
        scores=scores,
        answers=load_answers(selection),
        items=items,
        links=load_links(selection),
    )
