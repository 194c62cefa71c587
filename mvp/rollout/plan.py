"""The municipality's rollout plan: schools per stage, starts per term and projected coverage.

``rollout_summary(today)`` is the one computation behind the plan page, the evaluation's
rollout section and the report: plain dataclasses, the same numbers everywhere.

Pupils reached are the pupils of the grades MVP targets at each school (TARGET_GRADES: grade 5
at 4–6 and F–6 schools, "Agera tillsammans"; grade 8 at 7–9 and F–9 schools; Gy 1 at upper
secondary schools; none at F–3 schools), counted from the schools' registry figures per grade.
Those figures have no breakdown by sex. Coverage is the pupils reached in a school year as a
share of all the municipality's pupils in the same grade band. Counts of schools are not
statistics about people and are not suppressed.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from mvp.extensions import db
from mvp.rollout.models import SchoolRollout, Stage
from mvp.rollout.readiness import MINIMUM_TRAINED_LEADERS, coming_school_year, readiness_for
from mvp.rollout.stages import PATH, RUNNING
from mvp.rollout.terms import SchoolTerm, term_of, term_or_none, term_range
from mvp.schools.grades import SchoolKind, grades_of
from mvp.schools.models import School

# Grade bands for coverage: key, grades, label.
BANDS = (
    ("F-3", range(0, 4), "F–3"),
    ("4-6", range(4, 7), "4–6"),
    ("7-9", range(7, 10), "7–9"),
    ("gymnasium", range(10, 13), _l("Upper secondary")),
)

DEFAULT_TARGET_GRADES = {
    SchoolKind.F3: (),
    SchoolKind.F6: (5,),
    SchoolKind.G46: (5,),
    SchoolKind.G79: (8,),
    SchoolKind.F9: (8,),
    SchoolKind.GYMNASIUM: (10,),
    SchoolKind.OTHER: (),
}

# The plan looks at least this many terms ahead, and never further than this.
MIN_TERMS_SHOWN = 4
MAX_TERMS_SHOWN = 20


def band_label(key: str) -> str:
    """The reader's name of a grade band."""
    return next(str(label) for band, _grades, label in BANDS if band == key)


def target_grades(kind: str) -> tuple[int, ...]:
    """The grades MVP targets at a kind of school (TARGET_GRADES overrides the defaults)."""
    configured = (current_app.config.get("TARGET_GRADES") or {}).get(kind)
    grades = DEFAULT_TARGET_GRADES[SchoolKind(kind)] if configured is None else configured
    taught = grades_of(kind)
    return tuple(int(grade) for grade in grades if int(grade) in taught)


@dataclass(frozen=True)
class SchoolPlan:
    """One active school in the plan."""

    school_id: int
    name: str
    kind: str
    stage: str
    target: SchoolTerm | None
    responsible: str
    target_grades: tuple[int, ...]
    pupils_targeted: int
    pupils_by_grade: dict[int, int]
    trained_leaders: int
    ready_items: int
    total_items: int
    missing: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        """MVP has a variant for one of the school's grades."""
        return bool(self.target_grades)

    @property
    def running(self) -> bool:
        return self.stage in RUNNING

    def leaders_to_train(self, wanted: int) -> int:
        """How many more leaders must be trained to have `wanted` trained leaders."""
        return max(0, wanted - self.trained_leaders)


@dataclass(frozen=True)
class BandCoverage:
    """Pupils reached in a grade band against all the municipality's pupils in it."""

    band: str
    pupils_total: int
    pupils_reached: int
    targeted: bool  # MVP targets a grade of this band at some kind of school

    @property
    def label(self) -> str:
        return band_label(self.band)

    @property
    def share(self) -> float | None:
        return self.pupils_reached / self.pupils_total if self.pupils_total else None


@dataclass(frozen=True)
class StageCount:
    """How many active schools are at one stage."""

    stage: str
    schools: int


@dataclass(frozen=True)
class TermPlan:
    """One term: the schools planned to start, and the projected state at its end."""

    term: SchoolTerm
    starting: tuple[SchoolPlan, ...]
    schools_running: int
    schools_share: float | None
    pupils_starting: int
    pupils_reached: int
    bands: tuple[BandCoverage, ...]
    leaders_to_train_minimum: int
    leaders_to_train_recommended: int


@dataclass(frozen=True)
class RolloutSummary:
    """The rollout on one day: stages, the plan by term, and how far from MVP in every school."""

    today: dt.date
    current_term: SchoolTerm
    team_min: int
    team_max: int
    schools_active: int
    schools_eligible: int
    schools_running: int
    stages: tuple[StageCount, ...]
    now: tuple[BandCoverage, ...]
    terms: tuple[TermPlan, ...]
    schools: tuple[SchoolPlan, ...]
    unplanned: tuple[SchoolPlan, ...]
    overdue: tuple[SchoolPlan, ...]
    not_targeted: tuple[SchoolPlan, ...]

    @property
    def running_share(self) -> float | None:
        """Schools in their first round or established, of the schools MVP is meant for."""
        return self.schools_running / self.schools_eligible if self.schools_eligible else None

    @property
    def schools_remaining(self) -> int:
        return self.schools_eligible - self.schools_running

    @property
    def pupils_reached_now(self) -> int:
        return sum(band.pupils_reached for band in self.now)

    @property
    def complete_in(self) -> SchoolTerm | None:
        """The first term by whose end every eligible school runs MVP, if the plan gets there."""
        if self.schools_eligible and self.schools_running >= self.schools_eligible:
            return self.current_term
        for term in self.terms:
            if term.schools_running >= self.schools_eligible > 0:
                return term.term
        return None

    def starting_in(self, term: SchoolTerm) -> tuple[SchoolPlan, ...]:
        """The schools planned to start in a term (empty outside the plan)."""
        return next((t.starting for t in self.terms if t.term == term), ())


def _school_plans(today: dt.date) -> list[SchoolPlan]:
    rows = db.session.execute(
        sa.select(School, SchoolRollout)
        .outerjoin(SchoolRollout, SchoolRollout.school_id == School.id)
        .where(School.active)
        .order_by(School.name)
    ).all()
    years = {school.id: coming_school_year(rollout, today) for school, rollout in rows}
    readiness = readiness_for(years, today)
    plans = []
    for school, rollout in rows:
        state = readiness[school.id]
        grades = target_grades(school.kind)
        plans.append(
            SchoolPlan(
                school_id=school.id,
                name=school.name,
                kind=school.kind,
                stage=rollout.stage if rollout else Stage.NOT_STARTED.value,
                target=term_or_none(rollout.target_year, rollout.target_term) if rollout else None,
                responsible=rollout.responsible if rollout else "",
                target_grades=grades,
                pupils_targeted=sum(school.pupils_in(grade) for grade in grades),
                pupils_by_grade={g: school.pupils_in(g) for g in school.grades},
                trained_leaders=state.trained_leaders,
                ready_items=state.done_count,
                total_items=state.total,
                missing=tuple(state.missing),
            )
        )
    return plans


def _coverage(schools: list[SchoolPlan], reached: list[SchoolPlan]) -> tuple[BandCoverage, ...]:
    targeted_grades = {grade for kind in SchoolKind for grade in target_grades(kind)}
    result = []
    for band, grades, _label in BANDS:
        total = sum(s.pupils_by_grade.get(g, 0) for s in schools for g in grades)
        got = sum(
            s.pupils_by_grade.get(g, 0) for s in reached for g in s.target_grades if g in grades
        )
        result.append(BandCoverage(band, total, got, bool(targeted_grades & set(grades))))
    return tuple(result)


def rollout_summary(today: dt.date | None = None) -> RolloutSummary:
    """Compute the whole rollout for the municipality (every active school), in four queries."""
    today = today or dt.date.today()
    now = term_of(today)
    team_min = int(current_app.config["TEAM_SIZE_MIN"])
    team_max = int(current_app.config["TEAM_SIZE_MAX"])
    schools = _school_plans(today)
    eligible = [s for s in schools if s.eligible]
    running = [s for s in eligible if s.running]
    # A paused school is projected only when a lead has given it a coming target term.
    planned = [s for s in eligible if not s.running and s.target is not None and s.target >= now]
    overdue = [
        s
        for s in eligible
        if not s.running and s.stage != Stage.PAUSED and s.target is not None and s.target < now
    ]
    placed = {s.school_id for s in (*planned, *overdue)}
    unplanned = [s for s in eligible if not s.running and s.school_id not in placed]

    last = max([now + (MIN_TERMS_SHOWN - 1), *(s.target for s in planned)])
    last = min(last, now + (MAX_TERMS_SHOWN - 1))
    terms = []
    reached = list(running)
    for term in term_range(now, last):
        starting = tuple(sorted((s for s in planned if s.target == term), key=lambda s: s.name))
        reached.extend(starting)
        terms.append(
            TermPlan(
                term=term,
                starting=starting,
                schools_running=len(reached),
                schools_share=len(reached) / len(eligible) if eligible else None,
                pupils_starting=sum(s.pupils_targeted for s in starting),
                pupils_reached=sum(s.pupils_targeted for s in reached),
                bands=_coverage(schools, reached),
                leaders_to_train_minimum=sum(
                    s.leaders_to_train(MINIMUM_TRAINED_LEADERS) for s in starting
                ),
                leaders_to_train_recommended=sum(s.leaders_to_train(team_min) for s in starting),
            )
        )
    stages = tuple(
        StageCount(stage.value, sum(1 for s in schools if s.stage == stage))
        for stage in [*PATH, Stage.PAUSED]
    )
    return RolloutSummary(
        today=today,
        current_term=now,
        team_min=team_min,
        team_max=team_max,
        schools_active=len(schools),
        schools_eligible=len(eligible),
        schools_running=len(running),
        stages=stages,
        now=_coverage(schools, running),
        terms=tuple(terms),
        schools=tuple(schools),
        unplanned=tuple(unplanned),
        overdue=tuple(overdue),
        not_targeted=tuple(s for s in schools if not s.eligible),
    )
