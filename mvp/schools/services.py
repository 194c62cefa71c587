"""Schools and pupil groups: reads within a user's scope, and the changes users make."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from mvp.auth.permissions import get_in_scope_or_404, school_filter
from mvp.extensions import db
from mvp.lessons.models import Lesson
from mvp.schools.grades import SchoolKind, grade_label, grades_of
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import current_school_year
from mvp.validation import Invalid


@dataclass
class SchoolData:
    """What a lead (or the school's coordinator) enters about a school."""

    name: str
    kind: str
    principal_name: str = ""
    principal_email: str = ""
    pupils_by_grade: dict[int, int | None] | None = None
    active: bool = True


@dataclass
class GroupData:
    """What a coordinator enters about a pupil group: counts only, never names."""

    school_year: int
    name: str
    grade: int
    girls: int
    boys: int
    others: int = 0


# --- reads ---------------------------------------------------------------------------------


def list_schools(user, *, include_inactive: bool = True) -> list[School]:
    """The schools the user may see, by name."""
    statement = sa.select(School).where(school_filter(user, School.id)).order_by(School.name)
    if not include_inactive:
        statement = statement.where(School.active)
    return list(db.session.scalars(statement))


def get_school(user, school_id: int) -> School:
    """One school within the user's scope, else 404."""
    return get_in_scope_or_404(sa.select(School).where(School.id == school_id), user, School.id)


def get_group(user, group_id: int) -> StudentGroup:
    """One pupil group within the user's scope, else 404."""
    statement = sa.select(StudentGroup).where(StudentGroup.id == group_id)
    return get_in_scope_or_404(statement, user, StudentGroup.school_id)


def list_groups(user, school_year: int, school_id: int | None = None) -> list[StudentGroup]:
    """The pupil groups of one school year within the user's scope, by school and name."""
    statement = (
        sa.select(StudentGroup)
        .join(StudentGroup.school)
        .options(sa.orm.contains_eager(StudentGroup.school))
        .where(StudentGroup.school_year == school_year)
        .where(school_filter(user, StudentGroup.school_id))
        .order_by(School.name, StudentGroup.grade, StudentGroup.name)
    )
    if school_id is not None:
        statement = statement.where(StudentGroup.school_id == school_id)
    return list(db.session.scalars(statement))


def school_years_in_use(user) -> list[int]:
    """School years that have groups the user may see, plus the current one; newest first."""
    years = set(
        db.session.scalars(
            sa.select(StudentGroup.school_year)
            .where(school_filter(user, StudentGroup.school_id))
            .distinct()
        )
    )
    years.add(current_school_year())
    return sorted(years, reverse=True)


def group_counts_by_school(user, school_year: int) -> dict[int, tuple[int, int]]:
    """{school id: (groups, pupils)} in one school year, in one query."""
    rows = db.session.execute(
        sa.select(
            StudentGroup.school_id,
            sa.func.count(StudentGroup.id),
            sa.func.sum(StudentGroup.girls + StudentGroup.boys + StudentGroup.others),
        )
        .where(StudentGroup.school_year == school_year)
        .where(school_filter(user, StudentGroup.school_id))
        .group_by(StudentGroup.school_id)
    )
    return {school_id: (groups, int(pupils or 0)) for school_id, groups, pupils in rows}


# --- changes -------------------------------------------------------------------------------


def _check_school(data: SchoolData, school: School | None) -> dict[int, int]:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = _("Enter the school's name.")
    else:
        clash = db.session.scalar(
            sa.select(School.id).where(sa.func.lower(School.name) == name.lower())
        )
        if clash is not None and (school is None or clash != school.id):
            errors["name"] = _("There is already a school with this name.")
    if data.kind not in set(SchoolKind):
        errors["kind"] = _("Choose the kind of school.")
    pupils: dict[int, int] = {}
    for grade, count in (data.pupils_by_grade or {}).items():
        if count in (None, 0):
            continue
        if count < 0:
            errors[f"grade_{grade}"] = _("The number of pupils cannot be negative.")
        elif "kind" not in errors and grade not in grades_of(data.kind):
            errors[f"grade_{grade}"] = _(
                "This kind of school has no grade %(grade)s.", grade=grade_label(grade)
            )
        else:
            pupils[grade] = count
    if errors:
        raise Invalid(errors)
    return pupils


def _apply_school(school: School, data: SchoolData, pupils: dict[int, int]) -> None:
    school.name = data.name.strip()
    school.kind = data.kind
    school.principal_name = (data.principal_name or "").strip()
    school.principal_email = (data.principal_email or "").strip().lower()
    # A new dict (not an in-place change) so that SQLAlchemy and the audit log see the change.
    school.pupils_by_grade = {str(grade): count for grade, count in sorted(pupils.items())}
    school.active = data.active


def create_school(data: SchoolData) -> School:
    """Add a school; raises Invalid (nothing saved) for a duplicate name or impossible grades."""
    pupils = _check_school(data, None)
    school = School()
    _apply_school(school, data, pupils)
    db.session.add(school)
    db.session.flush()
    return school


def update_school(school: School, data: SchoolData) -> School:
    """Change a school's details."""
    pupils = _check_school(data, school)
    _apply_school(school, data, pupils)
    db.session.flush()
    return school


def _check_group(school: School, data: GroupData, group: StudentGroup | None) -> None:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = _("Enter the group's name, for example 8B.")
    else:
        clash = db.session.scalar(
            sa.select(StudentGroup.id).where(
                StudentGroup.school_id == school.id,
                StudentGroup.school_year == data.school_year,
                sa.func.lower(StudentGroup.name) == name.lower(),
            )
        )
        if clash is not None and (group is None or clash != group.id):
            errors["name"] = _("The school already has a group with this name this school year.")
    if data.grade not in school.grades:
        errors["grade"] = _(
            "%(school)s has no grade %(grade)s.", school=school.name, grade=grade_label(data.grade)
        )
    for field in ("girls", "boys", "others"):
        value = getattr(data, field)
        if value is None or value < 0:
            errors[field] = _("Enter a whole number, 0 or more.")
    if not errors and data.girls + data.boys + data.others == 0:
        errors["girls"] = _("A group needs at least one pupil.")
    if errors:
        raise Invalid(errors)


def _apply_group(group: StudentGroup, data: GroupData) -> None:
    group.school_year = data.school_year
    group.name = data.name.strip()
    group.grade = data.grade
    group.girls, group.boys, group.others = data.girls, data.boys, data.others


def create_group(school: School, data: GroupData) -> StudentGroup:
    """Add a pupil group to a school; raises Invalid (nothing saved) for bad input."""
    _check_group(school, data, None)
    group = StudentGroup(school=school)
    _apply_group(group, data)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(group: StudentGroup, data: GroupData) -> StudentGroup:
    """Change a pupil group's details.

    Answers are paired before-to-after within a school's cohort (school year − grade), so a
    new grade or school year moves the group's answers to another cohort: both cohorts are
    paired again, in the same transaction.
    """
    _check_group(group.school, data, group)
    old_cohort = group.school_year - group.grade
    _apply_group(group, data)
    db.session.flush()
    new_cohort = group.school_year - group.grade
    if new_cohort != old_cohort:
        from mvp.surveys.services import relink_cohort  # surveys build on schools

        for cohort in (old_cohort, new_cohort):
            relink_cohort(group.school_id, cohort)
    return group


def delete_group(group: StudentGroup) -> None:
    """Remove a pupil group that has held no MVP lessons; raises Invalid otherwise."""
    held = db.session.scalar(sa.select(sa.func.count(Lesson.id)).where(Lesson.group_id == group.id))
    if held:
        raise Invalid(
            {
                "group": ngettext(
                    "The group has %(num)d recorded MVP lesson, which is part of the "
                    "programme's records, so it cannot be removed.",
                    "The group has %(num)d recorded MVP lessons, which are part of the "
                    "programme's records, so it cannot be removed.",
                    held,
                )
            }
        )
    db.session.delete(group)
    db.session.flush()
