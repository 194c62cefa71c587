"""Lesson plans, a group's plan and leader pair, and the lessons held: reads and changes.

Every rule about a held lesson is checked here before anything is written, so that a form,
the demo and any future import get the same Swedish messages and save nothing when one fails.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_babel import ngettext

from mvp.auth.permissions import school_filter
from mvp.extensions import db
from mvp.lessons.fidelity import (
    GroupFidelity,
    group_facts,
    group_figures,
    held_lesson,
    next_lesson_number,
    pace,
)
from mvp.lessons.models import Curriculum, CurriculumLesson, Delivery, Lesson
from mvp.lessons.plans import standard_plans
from mvp.mentors.models import Leader
from mvp.mentors.services import TrainingStatus, training_statuses
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import format_school_year, school_year_span
from mvp.validation import Invalid

MAX_PLAN_LESSONS = 40
MAX_THEME = 200
MAX_MINUTES = 240
# The plan suggested for a group without one, by grade.
PLAN_FOR_GRADES = {
    "Agera tillsammans, mellanstadiet": range(4, 7),
    "MVP högstadiet": range(7, 10),
    "MVP gymnasiet": range(10, 13),
}


@dataclass
class PlanData:
    """A lesson plan as a lead enters it: the themes of lessons 1..N, in order."""

    name: str
    themes: list[str]
    description: str = ""
    active: bool = True


@dataclass
class SetupData:
    """A group's lesson plan and leader pair."""

    curriculum_id: int | None
    leader_1_id: int | None = None
    leader_2_id: int | None = None


@dataclass
class LessonData:
    """One held lesson as a coordinator records it."""

    number: int | None
    held_on: dt.date | None
    leader_ids: list[int] = field(default_factory=list)
    girls_present: int | None = 0
    boys_present: int | None = 0
    others_present: int | None = 0
    minutes: int | None = 60
    is_repeat: bool = False
    half_groups: bool = False
    single_sex: bool = False
    delivered: str = Delivery.FULLY
    adaptation: str = ""
    notes: str = ""


# --- lesson plans ------------------------------------------------------------------------------


def load_standard_plans() -> list[str]:
    """Add the shipped lesson plans that are missing (by name); returns the names added.

    Plans already present are left as the leads edited them.
    """
    present = {name.lower() for name in db.session.scalars(sa.select(Curriculum.name))}
    added = []
    for plan in standard_plans():
        if plan.name.lower() in present:
            continue
        curriculum = Curriculum(name=plan.name, description=plan.description)
        curriculum.lessons = [
            CurriculumLesson(number=number, theme=theme)
            for number, theme in enumerate(plan.themes, start=1)
        ]
        db.session.add(curriculum)
        added.append(plan.name)
    db.session.flush()
    return added


@dataclass
class PlanRow:
    """A lesson plan in the list, with how many groups follow it."""

    plan: Curriculum
    groups: int
    groups_this_year: int


def list_plans(school_year: int) -> list[PlanRow]:
    """Every lesson plan with its lessons and group counts, in three queries."""
    plans = list(
        db.session.scalars(
            sa.select(Curriculum)
            .options(sa.orm.selectinload(Curriculum.lessons))
            .order_by(Curriculum.active.desc(), Curriculum.name)
        )
    )
    counts = {
        plan_id: (int(total), int(this_year or 0))
        for plan_id, total, this_year in db.session.execute(
            sa.select(
                StudentGroup.curriculum_id,
                sa.func.count(StudentGroup.id),
                sa.func.count(StudentGroup.id).filter(StudentGroup.school_year == school_year),
            )
            .where(StudentGroup.curriculum_id.is_not(None))
            .group_by(StudentGroup.curriculum_id)
        )
    }
    return [PlanRow(plan, *counts.get(plan.id, (0, 0))) for plan in plans]


def get_plan(plan_id: int) -> Curriculum:
    """One lesson plan with its lessons, else 404 (plans are shared by every school)."""
    plan = db.session.scalar(
        sa.select(Curriculum)
        .where(Curriculum.id == plan_id)
        .options(sa.orm.selectinload(Curriculum.lessons))
    )
    if plan is None:
        abort(404)
    return plan


def plan_options(keep_id: int | None = None) -> list[Curriculum]:
    """Active plans (and the one a group already has) to choose from."""
    return list(
        db.session.scalars(
            sa.select(Curriculum)
            .where(sa.or_(Curriculum.active, Curriculum.id == keep_id))
            .order_by(Curriculum.name)
        )
    )


def suggested_plan_id(grade: int) -> int | None:
    """The usual plan for a grade (mellanstadiet, högstadiet, gymnasiet), if it exists."""
    name = next((name for name, grades in PLAN_FOR_GRADES.items() if grade in grades), None)
    if name is None:
        return None
    return db.session.scalar(
        sa.select(Curriculum.id).where(Curriculum.name == name, Curriculum.active)
    )


def highest_number_held(curriculum_id: int, *, group_id: int | None = None) -> tuple[int, list]:
    """The highest lesson number held by groups following a plan, and those groups' names."""
    statement = (
        sa.select(Lesson.number, StudentGroup.name, School.name)
        .join(StudentGroup, StudentGroup.id == Lesson.group_id)
        .join(School, School.id == StudentGroup.school_id)
        .where(StudentGroup.curriculum_id == curriculum_id)
        .order_by(Lesson.number.desc(), School.name, StudentGroup.name)
    )
    if group_id is not None:
        statement = statement.where(StudentGroup.id == group_id)
    rows = list(db.session.execute(statement))
    if not rows:
        return 0, []
    top = rows[0][0]
    names = sorted({f"{group} ({school})" for number, group, school in rows if number == top})
    return top, names


def _check_plan(data: PlanData, plan: Curriculum | None) -> list[str]:
    errors: dict[str, str] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = _("Enter the lesson plan's name.")
    else:
        clash = db.session.scalar(
            sa.select(Curriculum.id).where(sa.func.lower(Curriculum.name) == name.lower())
        )
        if clash is not None and (plan is None or clash != plan.id):
            errors["name"] = _("There is already a lesson plan with this name.")
    themes = [theme.strip() for theme in data.themes if theme.strip()]
    if not themes:
        errors["themes"] = _("Write the theme of each lesson, one line per lesson.")
    elif len(themes) > MAX_PLAN_LESSONS:
        errors["themes"] = _("A lesson plan has at most %(n)d lessons.", n=MAX_PLAN_LESSONS)
    else:
        long_lines = [str(n) for n, theme in enumerate(themes, 1) if len(theme) > MAX_THEME]
        if long_lines:
            errors["themes"] = _(
                "Keep each theme to %(max)d characters (too long: lesson %(lines)s).",
                max=MAX_THEME,
                lines=", ".join(long_lines),
            )
    if plan is not None and "themes" not in errors:
        top, groups = highest_number_held(plan.id)
        if top > len(themes):
            errors["themes"] = _(
                "Lesson %(n)d has been held with %(groups)s, so the plan needs at least "
                "%(n)d lessons.",
                n=top,
                groups=", ".join(groups),
            )
    if errors:
        raise Invalid(errors)
    return themes


def _apply_plan(plan: Curriculum, data: PlanData, themes: list[str]) -> None:
    plan.name = data.name.strip()
    plan.description = (data.description or "").strip()
    plan.active = data.active
    # Change lessons in place (number by number) so the log shows each theme's change.
    by_number = {lesson.number: lesson for lesson in plan.lessons}
    for number, theme in enumerate(themes, start=1):
        lesson = by_number.get(number)
        if lesson is None:
            plan.lessons.append(CurriculumLesson(number=number, theme=theme))
        elif lesson.theme != theme:
            lesson.theme = theme
    for number, lesson in by_number.items():
        if number > len(themes):
            plan.lessons.remove(lesson)


def create_plan(data: PlanData) -> Curriculum:
    """Add a lesson plan; raises Invalid (nothing saved) for bad input."""
    themes = _check_plan(data, None)
    plan = Curriculum()
    plan.lessons = []
    _apply_plan(plan, data, themes)
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(plan: Curriculum, data: PlanData) -> Curriculum:
    """Change a plan's name, description, lessons or whether it is offered."""
    themes = _check_plan(data, plan)
    _apply_plan(plan, data, themes)
    db.session.flush()
    return plan


def count_plan_groups(plan_id: int) -> int:
    """How many pupil groups follow a lesson plan (such a plan cannot be removed)."""
    return db.session.scalar(
        sa.select(sa.func.count(StudentGroup.id)).where(StudentGroup.curriculum_id == plan_id)
    )


def delete_plan(plan: Curriculum) -> None:
    """Remove a lesson plan that no group follows."""
    groups = count_plan_groups(plan.id)
    if groups:
        raise Invalid(
            {
                "plan": ngettext(
                    "%(num)d pupil group follows this lesson plan, so it cannot be removed. "
                    "Mark it as not offered instead.",
                    "%(num)d pupil groups follow this lesson plan, so it cannot be removed. "
                    "Mark it as not offered instead.",
                    groups,
                )
            }
        )
    db.session.delete(plan)
    db.session.flush()


# --- a group's plan and leader pair -----------------------------------------------------------


def update_setup(group: StudentGroup, data: SetupData) -> StudentGroup:
    """Set a group's lesson plan and leader pair; raises Invalid (nothing saved) for bad input."""
    errors: dict[str, str] = {}
    plan = db.session.get(Curriculum, data.curriculum_id) if data.curriculum_id else None
    if data.curriculum_id and plan is None:
        errors["curriculum_id"] = _("Choose one of the lesson plans.")
    top, _groups = (
        highest_number_held(group.curriculum_id, group_id=group.id)
        if group.curriculum_id
        else (0, [])
    )
    if plan is None and top and "curriculum_id" not in errors:
        errors["curriculum_id"] = _("The group has held lessons, so it needs a lesson plan.")
    elif plan is not None and top > len(plan.lessons):
        errors["curriculum_id"] = _(
            "The group has held lesson %(n)d, but %(plan)s has only %(m)d lessons.",
            n=top,
            plan=plan.name,
            m=len(plan.lessons),
        )
    elif plan is not None and not plan.active and plan.id != group.curriculum_id:
        errors["curriculum_id"] = _("This lesson plan is no longer offered.")
    for key in ("leader_1_id", "leader_2_id"):
        leader_id = getattr(data, key)
        if leader_id is None:
            continue
        leader = db.session.get(Leader, leader_id)
        if leader is None or leader.school_id not in (None, group.school_id):
            errors[key] = _(
                "Choose a leader of %(school)s or a central leader.", school=group.school.name
            )
        elif not leader.active and leader_id not in (group.leader_1_id, group.leader_2_id):
            errors[key] = _("%(name)s is marked as inactive.", name=leader.name)
    if data.leader_1_id and data.leader_1_id == data.leader_2_id:
        errors["leader_2_id"] = _("Choose two different leaders.")
    if errors:
        raise Invalid(errors)
    group.curriculum = plan
    group.leader_1 = db.session.get(Leader, data.leader_1_id) if data.leader_1_id else None
    group.leader_2 = db.session.get(Leader, data.leader_2_id) if data.leader_2_id else None
    db.session.flush()
    return group


# --- the group page ------------------------------------------------------------------------------


@dataclass
class GridRow:
    """One lesson of the plan on the group's grid: held (when, by whom) or not yet."""

    number: int
    theme: str
    held: Lesson | None
    repeats: list[Lesson]


@dataclass
class PairMember:
    """One leader of the group's pair, with what is worth a warning."""

    leader: Leader
    status: TrainingStatus
    other_school: bool


@dataclass
class GroupDelivery:
    """Everything the group page shows about delivery, read in a fixed number of queries."""

    group: StudentGroup
    plan_lessons: list[CurriculumLesson]
    lessons: list[Lesson]
    grid: list[GridRow]
    pair: list[PairMember]
    fidelity: GroupFidelity
    today: dt.date

    @property
    def next_number(self) -> int | None:
        return self.fidelity.next_number

    @property
    def pair_incomplete(self) -> bool:
        return len(self.pair) < 2


def group_lessons(group_id: int) -> list[Lesson]:
    """A group's held lessons with their leaders, by date."""
    return list(
        db.session.scalars(
            sa.select(Lesson)
            .where(Lesson.group_id == group_id)
            .options(sa.orm.selectinload(Lesson.leaders))
            .order_by(Lesson.held_on, Lesson.id)
        )
    )


def group_delivery(group: StudentGroup, *, today: dt.date | None = None) -> GroupDelivery:
    """The plan as a grid, the leader pair with warnings, and the group's fidelity."""
    today = today or dt.date.today()
    plan_lessons = (
        list(
            db.session.scalars(
                sa.select(CurriculumLesson)
                .where(CurriculumLesson.curriculum_id == group.curriculum_id)
                .order_by(CurriculumLesson.number)
            )
        )
        if group.curriculum_id
        else []
    )
    lessons = group_lessons(group.id)
    held: dict[int, Lesson] = {}
    repeats: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        if lesson.is_repeat:
            repeats.setdefault(lesson.number, []).append(lesson)
        else:
            held.setdefault(lesson.number, lesson)
    themes = {lesson.number: lesson.theme for lesson in plan_lessons}
    numbers = sorted(set(themes) | set(held) | set(repeats))
    grid = [
        GridRow(number, themes.get(number, ""), held.get(number), repeats.get(number, []))
        for number in numbers
    ]
    pair_leaders = group.leader_pair
    statuses = training_statuses([leader.id for leader in pair_leaders], today=today)
    pair = [
        PairMember(leader, statuses[leader.id], leader.school_id not in (None, group.school_id))
        for leader in pair_leaders
    ]
    facts = group_facts(group, len(plan_lessons), group.school.name)
    plain = [held_lesson(lesson) for lesson in lessons]
    fidelity = GroupFidelity(
        group=facts,
        figures=group_figures(facts, plain),
        pace=pace(facts, plain, today),
        held_numbers=frozenset(lesson.number for lesson in plain if not lesson.is_repeat),
    )
    return GroupDelivery(group, plan_lessons, lessons, grid, pair, fidelity, today)


# --- held lessons ------------------------------------------------------------------------------


def get_lesson(user, lesson_id: int) -> Lesson:
    """One held lesson within the user's scope (through its group's school), else 404."""
    lesson = db.session.scalar(
        sa.select(Lesson)
        .join(StudentGroup, StudentGroup.id == Lesson.group_id)
        .where(Lesson.id == lesson_id)
        .where(school_filter(user, StudentGroup.school_id))
        .options(sa.orm.selectinload(Lesson.leaders))
    )
    if lesson is None:
        abort(404)
    return lesson


def plan_length(group: StudentGroup) -> int:
    """How many lessons the group's plan has (0 without a plan)."""
    if group.curriculum_id is None:
        return 0
    return int(
        db.session.scalar(
            sa.select(sa.func.count(CurriculumLesson.id)).where(
                CurriculumLesson.curriculum_id == group.curriculum_id
            )
        )
    )


def next_number(group: StudentGroup) -> int | None:
    """The lowest lesson number of the group's plan not yet held."""
    held = db.session.scalars(
        sa.select(Lesson.number).where(Lesson.group_id == group.id, Lesson.is_repeat.is_(False))
    )
    return next_lesson_number(held, plan_length(group))


# Pupils present, field by field, and the group's count each may not exceed.
PRESENT_FIELDS = {"girls_present": "girls", "boys_present": "boys", "others_present": "others"}


def _check_lesson(
    group: StudentGroup, data: LessonData, lesson: Lesson | None, today: dt.date
) -> list[Leader]:
    errors: dict[str, str] = {}
    planned = plan_length(group)
    if not planned:
        errors["number"] = _("Choose a lesson plan for the group first.")
    elif data.number is None or data.number < 1:
        errors["number"] = _("Choose the lesson's number.")
    elif data.number > planned:
        errors["number"] = _(
            "The group's lesson plan has %(n)d lessons; there is no lesson %(number)d.",
            n=planned,
            number=data.number,
        )

    first, last = school_year_span(group.school_year)
    if data.held_on is None:
        errors["held_on"] = _("Write the date as 2026-11-27.")
    elif data.held_on > today:
        errors["held_on"] = _("The date cannot be in the future.")
    elif not first <= data.held_on <= last:
        errors["held_on"] = _(
            "The date must lie within the group's school year %(year)s (%(first)s – %(last)s).",
            year=format_school_year(group.school_year),
            first=first.isoformat(),
            last=last.isoformat(),
        )

    if data.minutes is None or not 1 <= data.minutes <= MAX_MINUTES:
        errors["minutes"] = _(
            "Enter the lesson's length in minutes, from 1 to %(max)d.", max=MAX_MINUTES
        )

    messages = {
        "girls_present": _("At most %(n)d: the group has %(n)d girls.", n=group.girls),
        "boys_present": _("At most %(n)d: the group has %(n)d boys.", n=group.boys),
        "others_present": ngettext(
            "At most %(num)d: the group has %(num)d pupil of other or unknown sex.",
            "At most %(num)d: the group has %(num)d pupils of other or unknown sex.",
            group.others,
        ),
    }
    for name, sex in PRESENT_FIELDS.items():
        value = getattr(data, name)
        if value is None or value < 0:
            errors[name] = _("Enter a whole number, 0 or more.")
        elif value > getattr(group, sex):
            errors[name] = messages[name]
    if not any(name in errors for name in PRESENT_FIELDS) and not (
        data.girls_present + data.boys_present + data.others_present
    ):
        errors["girls_present"] = _("Enter how many pupils were present.")

    leaders = _check_leaders(group, data.leader_ids, errors)

    if data.delivered not in set(Delivery):
        errors["delivered"] = _("Choose how the lesson was delivered.")
    elif data.delivered != Delivery.FULLY and not (data.adaptation or "").strip():
        errors["adaptation"] = _(
            "Describe what was adapted or left out, since the lesson was not delivered fully "
            "as planned."
        )
    if data.single_sex and not data.half_groups:
        errors["single_sex"] = _("Single-sex groups are half-groups: tick half-groups too.")

    if "number" not in errors:
        _check_repeat(group, data, lesson, errors)
    if errors:
        raise Invalid(errors)
    return leaders


def _check_leaders(group: StudentGroup, leader_ids, errors: dict) -> list[Leader]:
    ids = list(dict.fromkeys(leader_ids or []))
    if not ids:
        errors["leader_ids"] = _("Tick the leaders who led the lesson.")
        return []
    leaders = list(db.session.scalars(sa.select(Leader).where(Leader.id.in_(ids))))
    foreign = sorted(
        leader.name for leader in leaders if leader.school_id not in (None, group.school_id)
    )
    if len(leaders) != len(ids) or foreign:
        errors["leader_ids"] = _(
            "Only leaders of %(school)s or central leaders can lead the group's lessons "
            "(not: %(names)s).",
            school=group.school.name,
            names=", ".join(foreign) or "?",
        )
    return leaders


def _check_repeat(group: StudentGroup, data: LessonData, lesson: Lesson | None, errors: dict):
    others = list(
        db.session.execute(
            sa.select(Lesson.id, Lesson.number, Lesson.is_repeat, Lesson.held_on).where(
                Lesson.group_id == group.id, Lesson.id != (lesson.id if lesson else -1)
            )
        )
    )
    original = next((o for o in others if o.number == data.number and not o.is_repeat), None)
    if not data.is_repeat and original is not None:
        errors["number"] = _(
            "Lesson %(number)d was already held on %(date)s. Tick “Repeat” if it was held again.",
            number=data.number,
            date=original.held_on.isoformat(),
        )
    elif data.is_repeat and original is None:
        errors["is_repeat"] = _(
            "Lesson %(number)d has not been held yet, so it cannot be a repeat.",
            number=data.number,
        )
    if lesson is not None and not lesson.is_repeat:
        moving = data.is_repeat or data.number != lesson.number
        if moving and any(o.number == lesson.number and o.is_repeat for o in others):
            errors["number"] = _(
                "Lesson %(number)d has repeats; remove them before changing this lesson's number.",
                number=lesson.number,
            )


def _apply_lesson(lesson: Lesson, data: LessonData, leaders: list[Leader]) -> None:
    lesson.number = data.number
    lesson.is_repeat = data.is_repeat
    lesson.held_on = data.held_on
    lesson.minutes = data.minutes
    lesson.girls_present = data.girls_present
    lesson.boys_present = data.boys_present
    lesson.others_present = data.others_present
    lesson.half_groups = data.half_groups
    lesson.single_sex = data.single_sex
    lesson.delivered = data.delivered
    lesson.adaptation = (data.adaptation or "").strip() if data.delivered != Delivery.FULLY else ""
    lesson.notes = (data.notes or "").strip()
    lesson.leaders = sorted(leaders, key=lambda leader: leader.name)


def create_lesson(group: StudentGroup, data: LessonData, *, today: dt.date | None = None) -> Lesson:
    """Record a held lesson; raises Invalid (nothing saved) for any broken rule."""
    leaders = _check_lesson(group, data, None, today or dt.date.today())
    lesson = Lesson(group=group)
    _apply_lesson(lesson, data, leaders)
    db.session.add(lesson)
    db.session.flush()
    return lesson


def update_lesson(lesson: Lesson, data: LessonData, *, today: dt.date | None = None) -> Lesson:
    """Change a recorded lesson, under the same rules."""
    leaders = _check_lesson(lesson.group, data, lesson, today or dt.date.today())
    _apply_lesson(lesson, data, leaders)
    db.session.flush()
    return lesson


def delete_lesson(lesson: Lesson) -> None:
    """Remove a recorded lesson (not one whose repeats still stand)."""
    if not lesson.is_repeat:
        repeats = db.session.scalar(
            sa.select(sa.func.count(Lesson.id)).where(
                Lesson.group_id == lesson.group_id,
                Lesson.number == lesson.number,
                Lesson.is_repeat,
            )
        )
        if repeats:
            raise Invalid(
                {
                    "lesson": _(
                        "Lesson %(number)d has repeats; remove them first.", number=lesson.number
                    )
                }
            )
    db.session.delete(lesson)
    db.session.flush()
