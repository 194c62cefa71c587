"""Every school's rollout: reads within a user's scope, the plan of a school, stage changes.

A school without a SchoolRollout row has not started and has no target term; the row is
created the first time a lead plans the school or moves it to another stage, so that a
school added by hand or by import needs nothing more to appear in the rollout.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.auth.models import User
from mvp.auth.permissions import get_in_scope_or_404, school_filter
from mvp.extensions import db
from mvp.rollout.models import SchoolRollout, Stage, StageChange
from mvp.rollout.readiness import Readiness, coming_school_year, readiness_for
from mvp.rollout.stages import ORDER, RUNNING, is_forward_jump, stage_label
from mvp.rollout.terms import SchoolTerm, term_of, term_or_none
from mvp.schools.models import School
from mvp.validation import Invalid

# A target term further ahead than this many school years is taken for a typing error.
MAX_YEARS_AHEAD = 10
REASON_MAX = 2000
RESPONSIBLE_MAX = 120


@dataclass
class SchoolState:
    """One school's place in the rollout: its stage, plan and derived readiness."""

    school: School
    rollout: SchoolRollout | None
    readiness: Readiness

    @property
    def stage(self) -> str:
        return self.rollout.stage if self.rollout is not None else Stage.NOT_STARTED.value

    @property
    def stage_since(self) -> dt.date | None:
        return self.rollout.stage_since if self.rollout is not None else None

    @property
    def target(self) -> SchoolTerm | None:
        if self.rollout is None:
            return None
        return term_or_none(self.rollout.target_year, self.rollout.target_term)

    @property
    def responsible(self) -> str:
        return self.rollout.responsible if self.rollout is not None else ""

    @property
    def running(self) -> bool:
        return self.stage in RUNNING

    def target_passed(self, today: dt.date) -> bool:
        """The target term has ended and the school has still not begun its first round."""
        return (
            not self.running
            and self.stage != Stage.PAUSED
            and self.target is not None
            and self.target < term_of(today)
        )


@dataclass
class PlanData:
    """What a lead plans for a school: the term its first round starts, who is responsible."""

    target: SchoolTerm | None
    responsible: str = ""


@dataclass
class StageData:
    """A move to another stage: which, on which day (default today), and why."""

    stage: str
    changed_on: dt.date | None = None
    reason: str = ""


# --- reads ---------------------------------------------------------------------------------


def school_states(
    user, today: dt.date, *, stage: str | None = None, include_inactive: bool = False
) -> list[SchoolState]:
    """The schools the user may see with their stage and readiness, by name; four queries."""
    statement = (
        sa.select(School, SchoolRollout)
        .outerjoin(SchoolRollout, SchoolRollout.school_id == School.id)
        .where(school_filter(user, School.id))
        .order_by(School.name)
    )
    if not include_inactive:
        statement = statement.where(School.active)
    if stage == Stage.NOT_STARTED:
        statement = statement.where(
            sa.or_(SchoolRollout.id.is_(None), SchoolRollout.stage == Stage.NOT_STARTED.value)
        )
    elif stage:
        statement = statement.where(SchoolRollout.stage == stage)
    rows = db.session.execute(statement).all()
    return _with_readiness(rows, today)


def _with_readiness(rows, today: dt.date) -> list[SchoolState]:
    years = {school.id: coming_school_year(rollout, today) for school, rollout in rows}
    readiness = readiness_for(years, today)
    return [SchoolState(school, rollout, readiness[school.id]) for school, rollout in rows]


def get_school_state(user, school_id: int, today: dt.date) -> SchoolState:
    """One school's rollout within the user's scope, else 404."""
    school = get_in_scope_or_404(sa.select(School).where(School.id == school_id), user, School.id)
    rollout = find_rollout(school.id)
    return _with_readiness([(school, rollout)], today)[0]


def find_rollout(school_id: int) -> SchoolRollout | None:
    """A school's rollout row, if it has one."""
    return db.session.scalar(sa.select(SchoolRollout).where(SchoolRollout.school_id == school_id))


@dataclass(frozen=True)
class HistoryEntry:
    """A stage change as the school's page shows it."""

    changed_on: dt.date
    from_stage: str | None
    to_stage: str
    reason: str
    missing: list[str]
    actor: str


def stage_history(rollout: SchoolRollout | None) -> list[HistoryEntry]:
    """A school's stage changes, newest first, with who made them (one query)."""
    if rollout is None:
        return []
    rows = db.session.execute(
        sa.select(StageChange, User.email)
        .outerjoin(User, User.id == StageChange.actor_id)
        .where(StageChange.rollout_id == rollout.id)
        .order_by(StageChange.changed_on.desc(), StageChange.id.desc())
    )
    return [
        HistoryEntry(
            change.changed_on,
            change.from_stage,
            change.to_stage,
            change.reason,
            list(change.missing or []),
            email or "",
        )
        for change, email in rows
    ]


# --- changes -------------------------------------------------------------------------------


def rollout_of(school: School, today: dt.date) -> SchoolRollout:
    """The school's rollout row, created (not started, no target) when it has none."""
    rollout = find_rollout(school.id)
    if rollout is None:
        rollout = SchoolRollout(
            school=school, stage=Stage.NOT_STARTED.value, stage_since=today, responsible=""
        )
        db.session.add(rollout)
    return rollout


def check_target(
    target: SchoolTerm | None, today: dt.date, current: SchoolTerm | None = None
) -> str | None:
    """Why a target term cannot be set (None when it can); an unchanged one is always kept."""
    if target is None or target == current:
        return None
    now = term_of(today)
    if target < now:
        return _("%(term)s has already ended. Choose this term or a coming one.", term=target)
    if target.school_year > now.school_year + MAX_YEARS_AHEAD:
        return _(
            "%(term)s is more than %(years)d years ahead. Check the year.",
            term=target,
            years=MAX_YEARS_AHEAD,
        )
    return None


def set_plan(school: School, data: PlanData, today: dt.date) -> SchoolRollout:
    """Set a school's target term and responsible person; raises Invalid, nothing saved."""
    existing = find_rollout(school.id)
    current = None if existing is None else term_or_none(existing.target_year, existing.target_term)
    errors = {}
    problem = check_target(data.target, today, current)
    if problem:
        errors["target"] = problem
    responsible = (data.responsible or "").strip()
    if len(responsible) > RESPONSIBLE_MAX:
        errors["responsible"] = _("Write at most %(max)d characters.", max=RESPONSIBLE_MAX)
    if errors:
        raise Invalid(errors)
    rollout = existing or rollout_of(school, today)
    rollout.target_year = data.target.school_year if data.target else None
    rollout.target_term = data.target.term if data.target else None
    rollout.responsible = responsible
    db.session.flush()
    return rollout


def _position_before(rollout: SchoolRollout) -> int:
    """Where the school stands on the normal path; a paused school where it paused from."""
    if rollout.stage != Stage.PAUSED:
        return ORDER[Stage(rollout.stage)]
    for change in reversed(rollout.changes):
        if change.to_stage == Stage.PAUSED and change.from_stage in ORDER:
            return ORDER[Stage(change.from_stage)]
    return ORDER[Stage.NOT_STARTED]


def change_stage(
    school: School, data: StageData, *, actor: User | None, today: dt.date
) -> StageChange:
    """Move a school to another stage, dated and with the lead's reason where one is needed.

    A reason is required to skip stages going forward, to pause, and to start the first
    round while checklist items are missing; the missing items are kept with the change.
    Raises Invalid (nothing saved) for a broken rule.
    """
    rollout = find_rollout(school.id)
    current = rollout.stage if rollout is not None else Stage.NOT_STARTED.value
    reason = (data.reason or "").strip()
    changed_on = data.changed_on or today
    errors: dict[str, str] = {}
    if data.stage not in set(Stage):
        raise Invalid({"stage": _("Choose the stage the school moves to.")})
    if data.stage == current:
        errors["stage"] = _("The school is already at this stage.")
    if changed_on > today:
        errors["changed_on"] = _("The date cannot be in the future.")
    elif rollout is not None and rollout.changes and changed_on < rollout.stage_since:
        errors["changed_on"] = _(
            "The date cannot be before the previous change (%(date)s).", date=rollout.stage_since
        )
    if len(reason) > REASON_MAX:
        errors["reason"] = _("Write at most %(max)d characters.", max=REASON_MAX)

    missing: list[str] = []
    if data.stage in RUNNING and current not in RUNNING:
        state = _with_readiness([(school, rollout)], today)[0]
        missing = state.readiness.missing
    position = _position_before(rollout) if rollout is not None else 0
    if not reason and "stage" not in errors and "reason" not in errors:
        if is_forward_jump(position, data.stage):
            errors["reason"] = _(
                "Moving from %(from)s to %(to)s skips stages. Write why.",
                **{"from": stage_label(current), "to": stage_label(data.stage)},
            )
        elif data.stage == Stage.FIRST_ROUND and missing:
            errors["reason"] = _(
                "Items of the readiness checklist are missing. "
                "Write why the school starts its first round anyway."
            )
        elif data.stage == Stage.PAUSED:
            errors["reason"] = _("Write why the work is paused.")
    if errors:
        raise Invalid(errors)

    rollout = rollout or rollout_of(school, today)
    change = StageChange(
        rollout=rollout,
        from_stage=current,
        to_stage=data.stage,
        changed_on=changed_on,
        reason=reason,
        missing=missing,
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(change)
    rollout.stage = data.stage
    rollout.stage_since = changed_on
    if data.stage == Stage.FIRST_ROUND and rollout.target_year is None:
        # A school starting without a planned term starts in the term of the change.
        start = term_of(changed_on)
        rollout.target_year, rollout.target_term = start.school_year, start.term
    db.session.flush()
    return change
