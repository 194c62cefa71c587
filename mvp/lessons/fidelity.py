"""Fidelity: how faithfully MVP is delivered, per group, per school and for the whole programme.

This is the one implementation of the figures: the delivery area's pages and the evaluation's
Implementation section (mvp.evaluation) both read them through ``load_fidelity``.

- **dose** = distinct lesson numbers held (repeats excluded) / lessons in the group's plan;
- **full-pair share** = share of the held non-repeat lessons with at least 2 leaders present;
- **as-planned share** = share of the held non-repeat lessons delivered "fully" (the "partly"
  and "not" shares are reported beside it);
- **attendance rate of a sex** = pupils of that sex present, summed over the held non-repeat
  lessons / (that sex's count in the group × the number of those lessons);
- **supervision hours**: per leader, the hours of supervision trainings attended; per school,
  the hours of supervision sessions held for that school;
- **behind a weekly pace**: counting whole weeks since the group's first held lesson (or since
  the school year's first school day, 20 August, when none is held and that day has passed),
  fewer lessons are held than weeks have passed — one week of slack — while the plan is not
  finished.

Figures for a school or the programme pool the groups' counts (the sum of the numerators over
the sum of the denominators), so each group weighs by its planned lessons, lessons and pupils.
Everything here is pure computation over plain data except ``load_fidelity``, which reads the
data in a fixed number of queries whatever their size.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa

from mvp.auth.permissions import school_filter
from mvp.evaluation.suppress import SUPPRESSED  # the one ".."
from mvp.extensions import db
from mvp.lessons.models import Curriculum, CurriculumLesson, Lesson, lesson_leader
from mvp.mentors.models import Leader, Training, TrainingKind, TrainingParticipant
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import school_year_span

SEXES = ("girls", "boys", "others")
FULL_PAIR = 2
FIRST_SCHOOL_DAY = (8, 20)  # (month, day) in the school year's first calendar year


# --- plain data ----------------------------------------------------------------------------


class HeldLesson(NamedTuple):
    """One held lesson as fidelity sees it (a named tuple: a municipality's school year has
    thousands, made from the rows, and a frozen dataclass took three times as long each)."""

    group_id: int
    number: int
    held_on: dt.date
    is_repeat: bool = False
    leaders_present: int = FULL_PAIR
    delivered: str = "fully"
    girls: int = 0
    boys: int = 0
    others: int = 0
    minutes: int = 60


@dataclass(frozen=True)
class GroupFacts:
    """A pupil group as fidelity sees it; `planned` is None when no lesson plan is chosen."""

    id: int
    school_id: int
    school_year: int
    name: str
    grade: int
    girls: int
    boys: int
    others: int
    planned: int | None
    school_name: str = ""
    curriculum_id: int | None = None
    plan_name: str = ""

    def count(self, sex: str) -> int:
        """Pupils of one sex ("girls", "boys" or "others") in the group."""
        return getattr(self, sex)


def _zeros() -> dict[str, int]:
    return dict.fromkeys(SEXES, 0)


@dataclass
class Figures:
    """The counts behind the fidelity of one group or a pool of groups; shares derive from them."""

    groups: int = 0
    groups_with_plan: int = 0
    groups_full_dose: int = 0  # groups that held every lesson of their plan
    planned: int = 0  # lessons in the plans of the groups that have one
    held: int = 0  # distinct lesson numbers held, repeats excluded (the dose's numerator)
    lessons: int = 0  # held non-repeat lessons (the shares' denominator)
    repeats: int = 0
    full_pair: int = 0
    fully: int = 0
    partly: int = 0
    not_delivered: int = 0
    minutes: int = 0
    present: dict[str, int] = field(default_factory=_zeros)  # pupils present, summed
    expected: dict[str, int] = field(default_factory=_zeros)  # pupils of the sex × lessons
    pupils: dict[str, int] = field(default_factory=_zeros)  # in groups that held a lesson

    @property
    def dose(self) -> float | None:
        """Lessons held of those planned (0–1); None without a plan."""
        return self.held / self.planned if self.planned else None

    @property
    def full_pair_share(self) -> float | None:
        """Share of held lessons with at least two leaders present."""
        return self._share(self.full_pair)

    @property
    def fully_share(self) -> float | None:
        """Share of held lessons delivered as planned."""
        return self._share(self.fully)

    @property
    def partly_share(self) -> float | None:
        """Share of held lessons delivered partly as planned."""
        return self._share(self.partly)

    @property
    def not_share(self) -> float | None:
        """Share of held lessons not delivered as planned."""
        return self._share(self.not_delivered)

    def _share(self, count: int) -> float | None:
        return count / self.lessons if self.lessons else None

    def attendance(self, sex: str) -> float | None:
        """Attendance rate of one sex over the held lessons; None when there is no base."""
        return self.present[sex] / self.expected[sex] if self.expected[sex] else None

    @property
    def attendance_rates(self) -> dict[str, float | None]:
        """Attendance rate by sex."""
        return {sex: self.attendance(sex) for sex in SEXES}

    @property
    def attendance_all(self) -> float | None:
        """Attendance rate of all pupils together; None when there is no base.

        Only for readers who see every sex's rate, or whose own suppression of the pupils'
        counts keeps it from giving a hidden rate back (the evaluation's).
        """
        expected = sum(self.expected.values())
        return sum(self.present.values()) / expected if expected else None


def group_figures(group: GroupFacts, lessons: Iterable[HeldLesson]) -> Figures:
    """The fidelity counts of one group from its held lessons."""
    figures = Figures(groups=1, groups_with_plan=int(group.planned is not None))
    figures.planned = group.planned or 0
    numbers = set()
    for lesson in lessons:
        if lesson.is_repeat:
            figures.repeats += 1
            continue
        figures.lessons += 1
        figures.minutes += lesson.minutes
        if group.planned is None or 1 <= lesson.number <= group.planned:
            numbers.add(lesson.number)
        figures.full_pair += int(lesson.leaders_present >= FULL_PAIR)
        figures.fully += int(lesson.delivered == "fully")
        figures.partly += int(lesson.delivered == "partly")
        figures.not_delivered += int(lesson.delivered == "not")
        for sex in SEXES:
            figures.present[sex] += getattr(lesson, sex)
    figures.held = len(numbers)
    figures.groups_full_dose = int(bool(group.planned) and figures.held >= group.planned)
    for sex in SEXES:
        figures.expected[sex] = group.count(sex) * figures.lessons
        figures.pupils[sex] = group.count(sex) if figures.lessons else 0
    return figures


def pool(many: Iterable[Figures]) -> Figures:
    """The counts of several groups together (a school, the programme)."""
    total = Figures()
    for figures in many:
        for name in (
            "groups",
            "groups_with_plan",
            "groups_full_dose",
            "planned",
            "held",
            "lessons",
            "repeats",
            "full_pair",
            "fully",
            "partly",
            "not_delivered",
            "minutes",
        ):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        for sex in SEXES:
            total.present[sex] += figures.present[sex]
            total.expected[sex] += figures.expected[sex]
            total.pupils[sex] += figures.pupils[sex]
    return total


def suppressed_attendance(figures: Figures, min_n: int) -> dict[str, float | str | None]:
    """Attendance rate by sex, ".." where it concerns fewer than `min_n` pupils of that sex.

    No overall rate is offered beside them: with the groups' sizes it would give a
    suppressed rate back.
    """
    shown: dict[str, float | str | None] = {}
    for sex in SEXES:
        base = figures.pupils[sex]
        shown[sex] = SUPPRESSED if 0 < base < min_n else figures.attendance(sex)
    return shown


def group_facts(
    group: StudentGroup, planned: int, school_name: str = "", plan_name: str | None = None
) -> GroupFacts:
    """A StudentGroup as plain data; `planned` is its plan's length (ignored without a plan)."""
    return GroupFacts(
        id=group.id,
        school_id=group.school_id,
        school_year=group.school_year,
        name=group.name,
        grade=group.grade,
        girls=group.girls,
        boys=group.boys,
        others=group.others,
        planned=planned if group.curriculum_id is not None else None,
        school_name=school_name,
        curriculum_id=group.curriculum_id,
        plan_name=plan_name or "",
    )


def held_lesson(lesson: Lesson) -> HeldLesson:
    """A Lesson (with its leaders loaded) as plain data."""
    return HeldLesson(
        group_id=lesson.group_id,
        number=lesson.number,
        held_on=lesson.held_on,
        is_repeat=lesson.is_repeat,
        leaders_present=len(lesson.leaders),
        delivered=lesson.delivered,
        girls=lesson.girls_present,
        boys=lesson.boys_present,
        others=lesson.others_present,
        minutes=lesson.minutes,
    )


# --- pace ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """Where a group stands against a weekly pace on a given day."""

    start: dt.date | None  # the first held lesson, or 20 August; None: not started yet
    weeks: int  # whole weeks since start
    held: int
    planned: int | None
    finished: bool
    behind: bool
    year_over: bool = False  # the group's school year has ended: "not completed", not "behind"

    @property
    def lessons_short(self) -> int:
        """Lessons missing to be back within the pace (0 when on pace)."""
        return max(0, self.weeks - self.held) if self.behind else 0


def first_school_day(school_year: int) -> dt.date:
    """The first school day of a school year, 20 August, as the pace counts it."""
    return dt.date(school_year, *FIRST_SCHOOL_DAY)


def pace(group: GroupFacts, lessons: Iterable[HeldLesson], today: dt.date) -> Pace:
    """Whether a group is behind a weekly pace on `today` (see the module's definition)."""
    lessons = list(lessons)
    planned = group.planned
    held = len(
        {
            lesson.number
            for lesson in lessons
            if not lesson.is_repeat and (planned is None or 1 <= lesson.number <= planned)
        }
    )
    dates = [lesson.held_on for lesson in lessons]
    start = min(dates) if dates else first_school_day(group.school_year)
    year_over = today > school_year_span(group.school_year)[1]
    if not dates and today < start:
        return Pace(None, 0, held, planned, False, False, year_over)
    weeks = max(0, (today - start).days // 7)
    finished = planned is not None and held >= planned
    behind = planned is not None and not finished and held < weeks
    return Pace(start, weeks, held, planned, finished, behind, year_over)


def next_lesson_number(held_numbers: Iterable[int], planned: int | None) -> int | None:
    """The lowest lesson number of the plan not yet held; None when all are (or no plan)."""
    if not planned:
        return None
    held = set(held_numbers)
    return next((number for number in range(1, planned + 1) if number not in held), None)


# --- per group, school and programme ------------------------------------------------------


@dataclass
class GroupFidelity:
    """A group's fidelity: its figures, its pace and the lesson numbers held."""

    group: GroupFacts
    figures: Figures
    pace: Pace
    held_numbers: frozenset[int]

    @property
    def next_number(self) -> int | None:
        """The next lesson of the plan to hold."""
        return next_lesson_number(self.held_numbers, self.group.planned)


@dataclass
class LeaderSupervision:
    """A leader's supervision hours and lessons led within the period looked at."""

    leader_id: int
    name: str
    school_id: int | None
    role: str
    sex: str
    supervision_hours: float
    lessons_led: int


@dataclass
class SchoolFidelity:
    """One school's groups and their pooled figures."""

    school_id: int
    name: str
    groups: list[GroupFidelity]
    figures: Figures
    supervision_hours: float

    @property
    def behind(self) -> list[GroupFidelity]:
        """The school's groups behind the weekly pace."""
        return [group for group in self.groups if group.pace.behind]


@dataclass
class ProgrammeFidelity:
    """Fidelity of every school (in the reader's scope) in the school years looked at."""

    school_years: tuple[int, ...]
    today: dt.date
    schools: list[SchoolFidelity]
    figures: Figures
    supervision_hours: float  # schools' sessions plus central ones (school None)
    central_supervision_hours: float
    leaders: list[LeaderSupervision]

    @property
    def groups(self) -> list[GroupFidelity]:
        """Every group, school by school."""
        return [group for school in self.schools for group in school.groups]

    @property
    def behind(self) -> list[GroupFidelity]:
        """Every group behind the weekly pace."""
        return [group for group in self.groups if group.pace.behind]

    @property
    def years_over(self) -> bool:
        """Whether every group's school year has ended (behind then means not completed)."""
        return bool(self.groups) and all(group.pace.year_over for group in self.groups)

    def group(self, group_id: int) -> GroupFidelity | None:
        """One group's fidelity, if it is among those loaded."""
        return next((g for g in self.groups if g.group.id == group_id), None)


def build_fidelity(
    groups: Iterable[GroupFacts],
    lessons: Iterable[HeldLesson],
    *,
    today: dt.date,
    school_years: Iterable[int] = (),
    supervision_by_school: dict[int | None, float] | None = None,
    leaders: Iterable[LeaderSupervision] = (),
) -> ProgrammeFidelity:
    """Per group, per school and in total, from plain data (no database)."""
    by_group: dict[int, list[HeldLesson]] = defaultdict(list)
    for lesson in lessons:
        by_group[lesson.group_id].append(lesson)
    supervision = supervision_by_school or {}
    schools: dict[int, SchoolFidelity] = {}
    for group in groups:
        held = by_group.get(group.id, [])
        fidelity = GroupFidelity(
            group=group,
            figures=group_figures(group, held),
            pace=pace(group, held, today),
            held_numbers=frozenset(lesson.number for lesson in held if not lesson.is_repeat),
        )
        school = schools.get(group.school_id)
        if school is None:
            school = schools[group.school_id] = SchoolFidelity(
                group.school_id,
                group.school_name,
                [],
                Figures(),
                float(supervision.get(group.school_id, 0)),
            )
        school.groups.append(fidelity)
    for school in schools.values():
        school.figures = pool(g.figures for g in school.groups)
    # Schools with supervision but no groups in the period still count in the total.
    central = float(supervision.get(None, 0))
    return ProgrammeFidelity(
        school_years=tuple(sorted(set(school_years))),
        today=today,
        schools=sorted(schools.values(), key=lambda s: s.name.lower()),
        figures=pool(s.figures for s in schools.values()),
        supervision_hours=float(sum(supervision.values())),
        central_supervision_hours=central,
        leaders=sorted(leaders, key=lambda leader: leader.name.lower()),
    )


# --- the loader ----------------------------------------------------------------------------


def _scope(user, school_id_column) -> sa.ColumnElement[bool]:
    """The user's schools; None (a caller that has limited the schools itself) sees all."""
    return sa.true() if user is None else school_filter(user, school_id_column)


def load_fidelity(
    user,
    school_years: int | Iterable[int],
    *,
    school_id: int | None = None,
    group_id: int | None = None,
    school_ids: Iterable[int] | None = None,
    grades: Iterable[int] | None = None,
    curriculum_ids: Iterable[int] | None = None,
    today: dt.date | None = None,
    with_leaders: bool = False,
    central_supervision: bool | None = None,
) -> ProgrammeFidelity:
    """Read what fidelity needs within the user's scope, in at most five queries.

    The groups can be narrowed to one school or group, or to schools, grades and lesson plans.
    Supervision counts sessions (and attendance) from the first school year's 1 July up to
    `today` or the last school year's end, whichever is earlier, for the schools looked at,
    plus central sessions (held for no school) when `central_supervision` says so — by
    default when no school, group or list of schools is chosen. A group's pace is measured
    on `today`.

    `user` None reads without a user's scope: the caller has already kept `school_ids`
    within what its reader may see (the evaluation's selection does), or it is the command
    line, which sees every school.
    """
    today = today or dt.date.today()
    years = (school_years,) if isinstance(school_years, int) else tuple(school_years)
    span_from = school_year_span(min(years))[0]
    span_to = min(today, school_year_span(max(years))[1])

    in_view = [
        StudentGroup.school_year.in_(years),
        _scope(user, StudentGroup.school_id),
    ]
    if school_id is not None:
        in_view.append(StudentGroup.school_id == school_id)
    if group_id is not None:
        in_view.append(StudentGroup.id == group_id)
    if school_ids is not None:
        in_view.append(StudentGroup.school_id.in_(list(school_ids)))
    if grades is not None:
        in_view.append(StudentGroup.grade.in_(list(grades)))
    if curriculum_ids is not None:
        in_view.append(StudentGroup.curriculum_id.in_(list(curriculum_ids)))

    plan_length = (
        sa.select(sa.func.count(CurriculumLesson.id))
        .where(CurriculumLesson.curriculum_id == StudentGroup.curriculum_id)
        .scalar_subquery()
    )
    group_rows = db.session.execute(
        sa.select(StudentGroup, School.name, plan_length, Curriculum.name)
        .join(School, School.id == StudentGroup.school_id)
        .outerjoin(Curriculum, Curriculum.id == StudentGroup.curriculum_id)
        .where(*in_view)
        .order_by(School.name, StudentGroup.school_year, StudentGroup.grade, StudentGroup.name)
    )
    groups = [
        group_facts(group, length, school_name, plan_name)
        for group, school_name, length, plan_name in group_rows
    ]

    leader_count = sa.func.count(lesson_leader.c.leader_id)
    lesson_rows = db.session.execute(
        sa.select(
            Lesson.group_id,
            Lesson.number,
            Lesson.held_on,
            Lesson.is_repeat,
            leader_count,
            Lesson.delivered,
            Lesson.girls_present,
            Lesson.boys_present,
            Lesson.others_present,
            Lesson.minutes,
        )
        .join(StudentGroup, StudentGroup.id == Lesson.group_id)
        .outerjoin(lesson_leader, lesson_leader.c.lesson_id == Lesson.id)
        .where(*in_view)
        .group_by(Lesson.id)
        .order_by(Lesson.held_on, Lesson.id)
    )
    lessons = [HeldLesson(*row) for row in lesson_rows]

    chosen = school_id is not None or group_id is not None or school_ids is not None
    if central_supervision is None:
        central_supervision = not chosen
    schools_looked_at = _scope(user, Training.school_id)
    if school_id is not None or group_id is not None:
        wanted = school_id if school_id is not None else (groups[0].school_id if groups else -1)
        schools_looked_at = sa.and_(schools_looked_at, Training.school_id == wanted)
    elif school_ids is not None:
        schools_looked_at = sa.and_(schools_looked_at, Training.school_id.in_(list(school_ids)))
    supervision_where = [
        Training.kind == TrainingKind.SUPERVISION,
        Training.starts_on >= span_from,
        Training.starts_on <= span_to,
        sa.or_(Training.school_id.is_(None), schools_looked_at)
        if central_supervision
        else schools_looked_at,
    ]
    supervision = {
        school: float(hours or 0)
        for school, hours in db.session.execute(
            sa.select(Training.school_id, sa.func.sum(Training.hours))
            .where(*supervision_where)
            .group_by(Training.school_id)
        )
    }

    leaders: list[LeaderSupervision] = []
    if with_leaders:
        hours = (
            sa.select(
                TrainingParticipant.leader_id.label("leader_id"),
                sa.func.sum(Training.hours).label("hours"),
            )
            .join(Training, Training.id == TrainingParticipant.training_id)
            .where(
                TrainingParticipant.attended,
                Training.kind == TrainingKind.SUPERVISION,
                Training.starts_on >= span_from,
                Training.starts_on <= span_to,
            )
            .group_by(TrainingParticipant.leader_id)
            .subquery()
        )
        led = (
            sa.select(
                lesson_leader.c.leader_id.label("leader_id"),
                sa.func.count(Lesson.id).label("lessons"),
            )
            .join(Lesson, Lesson.id == lesson_leader.c.lesson_id)
            .join(StudentGroup, StudentGroup.id == Lesson.group_id)
            .where(*in_view)
            .group_by(lesson_leader.c.leader_id)
            .subquery()
        )
        # A school's own leaders (active, or with something to show); central leaders only
        # where they led lessons of the groups looked at.
        own = sa.and_(
            Leader.school_id.is_not(None),
            _scope(user, Leader.school_id),
            sa.or_(Leader.active, led.c.lessons.is_not(None), hours.c.hours.is_not(None)),
        )
        if school_id is not None:
            own = sa.and_(own, Leader.school_id == school_id)
        central = sa.and_(Leader.school_id.is_(None), led.c.lessons.is_not(None))
        rows = db.session.execute(
            sa.select(
                Leader.id,
                Leader.name,
                Leader.school_id,
                Leader.role,
                Leader.sex,
                sa.func.coalesce(hours.c.hours, 0),
                sa.func.coalesce(led.c.lessons, 0),
            )
            .outerjoin(hours, hours.c.leader_id == Leader.id)
            .outerjoin(led, led.c.leader_id == Leader.id)
            .where(sa.or_(own, central))
        )
        leaders = [
            LeaderSupervision(id_, name, school, role, sex, float(h), int(n))
            for id_, name, school, role, sex, h, n in rows
        ]

    return build_fidelity(
        groups,
        lessons,
        today=today,
        school_years=years,
        supervision_by_school=supervision,
        leaders=leaders,
    )
