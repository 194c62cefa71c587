"""Reading a selection (filters) within a user's scope, the filter choices, and the lead's texts."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.auth.permissions import can, school_filter, school_scope
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.models import ReportText
from mvp.extensions import db
from mvp.lessons.models import Curriculum
from mvp.schools.grades import grade_label
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import (
    SchoolYearError,
    current_school_year,
    format_school_year,
    parse_school_year,
)
from mvp.surveys.models import Phase, Response, Wave
from mvp.validation import Invalid

MAX_TEXT = 10_000


@dataclass
class FilterChoices:
    """What a user may choose from: school years, schools, grades and lesson plans."""

    years: list[int]
    schools: list[tuple[int, str]]
    grades: list[int]
    plans: list[tuple[int, str]]


def filter_choices(user) -> FilterChoices:
    """The choices offered in the evaluation's filter form, within the user's scope."""
    in_scope = school_filter(user, StudentGroup.school_id)
    years = set(db.session.scalars(sa.select(StudentGroup.school_year).where(in_scope).distinct()))
    years.add(current_school_year())
    grades = sorted(db.session.scalars(sa.select(StudentGroup.grade).where(in_scope).distinct()))
    schools = list(
        db.session.execute(
            sa.select(School.id, School.name)
            .where(school_filter(user, School.id))
            .order_by(School.name)
        )
    )
    plans = list(
        db.session.execute(sa.select(Curriculum.id, Curriculum.name).order_by(Curriculum.name))
    )
    return FilterChoices(
        years=sorted(years, reverse=True),
        schools=[(row.id, row.name) for row in schools],
        grades=grades,
        plans=[(row.id, row.name) for row in plans],
    )


def _in_scope(user, column):
    """The user's schools; None (the command line) sees every school."""
    return sa.true() if user is None else school_filter(user, column)


def default_school_year(user) -> int:
    """The school year an evaluation opens on: the latest whose round has largely answered.

    That is the latest school year (up to now) in which at least half of the groups have
    answers after the lessons — so that one early group of a round under way does not turn
    the default away from the last complete round; else the latest with any answers after
    the lessons; else the latest with groups; else the current one. One query.
    """
    current = current_school_year()
    answered_after = sa.case(
        (sa.and_(Wave.phase == Phase.AFTER, Response.id.is_not(None)), StudentGroup.id)
    )
    rows = db.session.execute(
        sa.select(
            StudentGroup.school_year,
            sa.func.count(sa.distinct(StudentGroup.id)),
            sa.func.count(sa.distinct(answered_after)),
        )
        .outerjoin(Wave, Wave.group_id == StudentGroup.id)
        .outerjoin(Response, Response.wave_id == Wave.id)
        .where(_in_scope(user, StudentGroup.school_id), StudentGroup.school_year <= current)
        .group_by(StudentGroup.school_year)
        .order_by(StudentGroup.school_year.desc())
    ).all()
    for year, groups, with_after in rows:
        if with_after and 2 * with_after >= groups:
            return int(year)
    for year, _groups, with_after in rows:
        if with_after:
            return int(year)
    return int(rows[0][0]) if rows else current


def resolve_filter(
    user,
    *,
    years=(),
    schools=(),
    grades=(),
    plans=(),
    schools_by_name: bool = False,
) -> EvaluationFilter:
    """Check a selection from a form, the API or the command line; raises Invalid.

    `user` None means the command line: every school. Schools are given by id (web, API) or
    by name (command line). A school that does not exist and one outside the user's schools
    get the same message, so that nothing reveals another school's existence.
    """
    errors: dict[str, str] = {}
    scope = school_scope(user) if user is not None else None
    parsed_years = _years(years, errors)
    school_ids, school_names = _schools(schools, scope, schools_by_name, errors)
    parsed_grades = _grades(grades, errors)
    plan_ids, plan_names = _plans(plans, errors)
    if errors:
        raise Invalid(errors)
    if not parsed_years:
        parsed_years = (default_school_year(user),)
    chosen = bool(school_ids)
    if not chosen and scope is not None:
        school_ids = tuple(sorted(scope))
        school_names = tuple(
            db.session.scalars(
                sa.select(School.name).where(School.id.in_(school_ids)).order_by(School.name)
            )
        )
    return EvaluationFilter(
        years=parsed_years,
        school_ids=school_ids if (chosen or scope is not None) else None,
        grades=parsed_grades or None,
        plan_ids=plan_ids or None,
        school_names=school_names,
        plan_names=plan_names,
        chosen_schools=chosen,
        whole_rollout=user is None or can("rollout.plan", user),
    )


def _clean(values) -> list[str]:
    return [str(v).strip() for v in values if str(v).strip()]


def _years(values, errors) -> tuple[int, ...]:
    years = set()
    for value in _clean(values):
        try:
            years.add(parse_school_year(value))
        except SchoolYearError:
            errors["year"] = _(
                "“%(value)s” is not a school year. Write it as %(example)s.",
                value=value,
                example=format_school_year(current_school_year()),
            )
    return tuple(sorted(years))


def _schools(values, scope, by_name, errors) -> tuple[tuple[int, ...], tuple[str, ...]]:
    wanted = _clean(values)
    if not wanted:
        return (), ()
    if by_name:
        keys = {v.casefold(): v for v in wanted}
        rows = db.session.execute(
            sa.select(School.id, School.name).where(
                sa.func.lower(School.name).in_([v.lower() for v in wanted])
            )
        )
        found = {row.name.casefold(): row for row in rows if scope is None or row.id in scope}
        missing = [original for key, original in keys.items() if key not in found]
        rows = list(found.values())
    else:
        ids = {}
        missing = []
        for value in wanted:
            if value.isdecimal():
                ids[int(value)] = value
            else:
                missing.append(value)
        rows = (
            list(db.session.execute(sa.select(School.id, School.name).where(School.id.in_(ids))))
            if ids
            else []
        )
        rows = [row for row in rows if scope is None or row.id in scope]
        missing += [value for key, value in ids.items() if key not in {r.id for r in rows}]
    if missing:
        errors["school"] = _(
            "There is no school “%(value)s” among the schools you may see.", value=missing[0]
        )
    rows = sorted(rows, key=lambda row: row.name)
    return tuple(row.id for row in rows), tuple(row.name for row in rows)


def _grades(values, errors) -> tuple[int, ...]:
    grades = set()
    for value in _clean(values):
        if value.isdecimal() and 0 <= int(value) <= 12:
            grades.add(int(value))
        else:
            errors["grade"] = _(
                "“%(value)s” is not a grade. Give a number from 0 (F) to 12.", value=value
            )
    return tuple(sorted(grades))


def _plans(values, errors) -> tuple[tuple[int, ...], tuple[str, ...]]:
    wanted = _clean(values)
    if not wanted:
        return (), ()
    ids = {int(v) for v in wanted if v.isdecimal()}
    rows = list(
        db.session.execute(
            sa.select(Curriculum.id, Curriculum.name).where(
                sa.or_(Curriculum.id.in_(ids), Curriculum.name.in_(wanted))
            )
        )
    )
    known = {str(row.id) for row in rows} | {row.name for row in rows}
    missing = [v for v in wanted if v not in known]
    if missing:
        errors["plan"] = _("There is no lesson plan “%(value)s”.", value=missing[0])
    rows = sorted(rows, key=lambda row: row.name)
    return tuple(row.id for row in rows), tuple(row.name for row in rows)


def selection_summary(selection: EvaluationFilter) -> str:
    """The selection in words, for headings: years, schools, grades, plans."""
    parts = [_("School year %(period)s", period=selection.period)]
    if selection.chosen_schools:
        parts.append(", ".join(selection.school_names))
    if selection.grades:
        parts.append(
            _("grade %(grades)s", grades=", ".join(grade_label(g) for g in selection.grades))
        )
    if selection.plan_names:
        parts.append(", ".join(selection.plan_names))
    return " · ".join(parts)


# --- the project lead's texts ------------------------------------------------------------------


def get_texts(school_year: int) -> ReportText | None:
    """The texts of one school year, if written."""
    return db.session.scalar(sa.select(ReportText).where(ReportText.school_year == school_year))


def save_texts(school_year: int, lessons_learned: str, next_steps: str, *, actor) -> ReportText:
    """Write (or rewrite) a school year's texts; raises Invalid for a text that is too long."""
    errors = {}
    for field, value in (("lessons_learned", lessons_learned), ("next_steps", next_steps)):
        if len(value or "") > MAX_TEXT:
            errors[field] = _("Write at most %(n)s characters.", n=MAX_TEXT)
    if errors:
        raise Invalid(errors)
    texts = get_texts(school_year)
    if texts is None:
        texts = ReportText(school_year=school_year)
        db.session.add(texts)
    texts.lessons_learned = (lessons_learned or "").strip()
    texts.next_steps = (next_steps or "").strip()
    texts.updated_by_id = getattr(actor, "id", None)
    db.session.flush()
    return texts
