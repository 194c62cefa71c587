"""The evaluation's data: a fixed, small number of aggregate queries, whatever the data size.

Each function runs one query. The pupil groups, their held lessons and the supervision held
are read by the delivery area's fidelity loader (mvp.lessons.fidelity), so that the
implementation figures are computed once, the same on the fidelity pages and in the
evaluation. Trainings and response counts are aggregated in the database; scale scores,
links and answers come back as plain rows (a few numbers each) for numpy. Scale scores are
read as stored when each response was saved, never recomputed.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import sqlalchemy as sa

from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.lessons.fidelity import GroupFacts, ProgrammeFidelity, load_fidelity
from mvp.lessons.models import Lesson, lesson_leader
from mvp.mentors.models import Leader, Training, TrainingKind, TrainingParticipant
from mvp.rollout.plan import RolloutSummary, rollout_summary
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
    """Everything the evaluation is computed from, as plain rows.

    `fidelity` holds the selected groups (as GroupFacts, also in `groups`), their fidelity
    figures per group, school and in total, and the supervision held per school. `rollout` is
    the municipality's rollout on the day the evaluation is made (mvp.rollout.plan).
    """

    fidelity: ProgrammeFidelity
    groups: list[GroupFacts] = field(default_factory=list)
    schools: list = field(default_factory=list)
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
    rollout: RolloutSummary | None = None


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
    """Run the evaluation's queries (eighteen, whatever the number of answers or schools).

    The rollout is read once, as it stands on `today` (four queries, mvp.rollout.plan).

    Trainings count up to the end of the last school year or today, whichever is earlier:
    a leader is trained once a leader training they attended is over (as on the delivery
    area's pages), and supervision is what has been held so far.
    """
    today = today or dt.date.today()
    until = min(selection.last_day, today)
    fidelity = load_selected_fidelity(selection, today)
    return RawData(
        fidelity=fidelity,
        groups=[group.group for group in fidelity.groups],
        schools=load_schools(selection),
        leaders=load_leaders(selection, until),
        trainings=load_trainings(selection, until),
        waves=load_waves(selection),
        responses=load_responses(selection),
        scores=numeric_rows(score_query(selection)),
        links=load_links(selection),
        answers=numeric_rows(answer_numbers_query(selection), dtype=np.int64),
        items=load_items(selection),
        continuation=load_continuation(selection),
        texts=load_texts(selection),
        rollout=rollout_summary(today),
    )


def load_selected_fidelity(selection: EvaluationFilter, today: dt.date) -> ProgrammeFidelity:
    """The selected groups with their fidelity and the supervision held (three queries).

    The selection already holds a coordinator's schools, so no user's scope is added.
    Central supervision (held for no school) counts unless the reader chose schools, as on
    the fidelity page.
    """
    return load_fidelity(
        None,
        selection.years,
        school_ids=selection.school_ids,
        grades=selection.grades,
        curriculum_ids=selection.plan_ids,
        today=today,
        central_supervision=not selection.chosen_schools,
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
    """Per school and kind of training: the first date by `until` (school None: central
    trainings). The hours of supervision come with the fidelity figures."""
    return list(
        db.session.execute(
            sa.select(
                Training.school_id,
                Training.kind,
                sa.func.min(sa.case((Training.starts_on <= until, Training.starts_on))).label(
                    "first_on"
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
    """The selected groups' questionnaire rounds, with the day each opens."""
    return list(
        db.session.execute(
            sa.select(Wave.id, Wave.group_id, Wave.phase, Wave.instrument_id, Wave.opens_on)
            .where(Wave.group_id.in_(selected_groups(selection)))
            .order_by(Wave.id)
        )
    )


def load_responses(selection: EvaluationFilter) -> list:
    """(id, group, phase, self-reported sex) of every response in the selection."""
    return list(
        db.session.execute(
            sa.select(Response.id, Wave.group_id, Wave.phase, Response.sex)
            .join(Wave, Wave.id == Response.wave_id)
            .where(Wave.group_id.in_(selected_groups(selection)))
            .order_by(Response.id)
        )
    )


def score_query(selection: EvaluationFilter) -> sa.Select:
    """Valid scale scores as stored: (response, scale id, mean, index) — plain numbers; the
    scales' keys come with the items (load_items)."""
    return (
        sa.select(
            ScaleScore.response_id,
            ScaleScore.scale_id,
            ScaleScore.mean,
            ScaleScore.index,
        )
        .join(Response, Response.id == ScaleScore.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .where(
            Wave.group_id.in_(selected_groups(selection)),
            ScaleScore.valid,
            ScaleScore.index.is_not(None),
            ScaleScore.mean.is_not(None),
        )
        # A fixed order: floating-point sums depend on it, and a figure rounded to two
        # decimals must not change when the database returns rows in another physical
        # order (after a restore, a VACUUM FULL or an update that moves rows).
        .order_by(ScaleScore.response_id, ScaleScore.scale_id)
    )


def answer_query(selection: EvaluationFilter) -> sa.Select:
    """Every answer of the selection: (response, item, value, dont_know)."""
    return (
        sa.select(Answer.response_id, Answer.item_id, Answer.value, Answer.dont_know)
        .join(Response, Response.id == Answer.response_id)
        .join(Wave, Wave.id == Response.wave_id)
        .where(Wave.group_id.in_(selected_groups(selection)))
        .order_by(Answer.response_id, Answer.item_id)  # a fixed order, as for the scores
    )


# An answer's value where it has none ("don't know"), among the evaluation's whole numbers:
# values are never negative (surveys.models.Answer).
NO_VALUE = -1


def answer_numbers_query(selection: EvaluationFilter) -> sa.Select:
    """``answer_query`` as whole numbers only: no value is NO_VALUE (numpy then reads the
    answers as integers, a third faster than as floats with None for NaN)."""
    return answer_query(selection).with_only_columns(
        Answer.response_id,
        Answer.item_id,
        sa.func.coalesce(Answer.value, NO_VALUE).label("value"),
        Answer.dont_know,
        maintain_column_froms=True,
    )


def numeric_rows(statement: sa.Select, dtype=float) -> np.ndarray:
    """The rows of a query of numbers as one array (float: None as NaN; or whole numbers,
    for a query that gives no None), one row per row.

    The query runs through the session like any other (same transaction, counted by the
    query counters), but its rows are taken as the database driver returns them: plain
    tuples straight into numpy, not a Row object per answer — the answers are the bulk of
    the evaluation's data and are only ever used as arrays.
    """
    columns = len(statement.selected_columns)
    result = db.session.connection().execute(statement)
    try:
        # One flat pass over the values as the driver hands the rows over (None becomes
        # NaN, as in np.array): no list of every row is kept, so each row's tuple is freed
        # as soon as it is read — for a school year's 345,000 answers 40 ms less than
        # fetching them all first, and the memory of those tuples never taken.
        flat = np.fromiter(chain.from_iterable(result.cursor), dtype=dtype)
    finally:
        result.close()
    return flat.reshape(-1, columns)


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
            .order_by(ResponseLink.later_id)
        )
    )


def load_answers(selection: EvaluationFilter) -> list:
    """Every answer of the selection: (response, item, value, dont_know), as rows."""
    return list(db.session.execute(answer_query(selection)))


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
                Scale.id.label("scale_id"),
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
