"""What needs doing now: the overview's list for coordinators, project leads and administrators.

A coordinator opening the app wants to know which of their groups are behind, which lack a
leader pair or a questionnaire, which questionnaires are open right now and which leaders are
due for a refresher; a project lead wants the same across schools and, for the rollout, the
schools whose planned start has passed or is near with readiness items missing.

Everything is read through the areas' own loaders — fidelity (mvp.lessons.fidelity), the
waves (mvp.surveys.services), training statuses (mvp.mentors.services) and the rollout plan
(mvp.rollout.plan) — so the overview says what the pages it links to say, in a fixed number
of queries whatever the number of schools and groups. Viewers get nothing here: they read
aggregates only.
"""

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from mvp.auth.permissions import can, school_filter
from mvp.extensions import db
from mvp.lessons.fidelity import GroupFidelity, load_fidelity
from mvp.mentors.models import Leader
from mvp.mentors.services import training_statuses
from mvp.rollout.plan import SchoolPlan, rollout_summary
from mvp.rollout.readiness import item_label
from mvp.rollout.terms import term_of
from mvp.schools.models import StudentGroup
from mvp.surveys.models import Phase
from mvp.surveys.services import WaveRow, list_waves, wave_status


@dataclass
class PairProblem:
    """A group whose leader pair is incomplete or has a leader without the leader training."""

    group: StudentGroup
    missing: int  # leaders missing from the pair (0, 1 or 2)
    untrained: list[Leader] = field(default_factory=list)


@dataclass
class Attention:
    """The things to act on in one school year, within the user's schools."""

    behind: list[GroupFidelity] = field(default_factory=list)
    without_plan: list[GroupFidelity] = field(default_factory=list)
    pair_problems: list[PairProblem] = field(default_factory=list)
    open_waves: list[WaveRow] = field(default_factory=list)
    without_before: list[GroupFidelity] = field(default_factory=list)
    without_after: list[GroupFidelity] = field(default_factory=list)
    refresher_due: list[Leader] = field(default_factory=list)
    overdue_schools: list[SchoolPlan] = field(default_factory=list)
    # Schools starting this or next term, with the names of their missing readiness items.
    starting_not_ready: list[tuple[SchoolPlan, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to act on."""
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def attention(user, school_year: int, *, today: dt.date | None = None) -> Attention | None:
    """What the user should act on in `school_year`; None for viewers (aggregates only).

    Groups behind the weekly pace, without a lesson plan, or with an incomplete or untrained
    leader pair; questionnaires open today; groups with no questionnaire before the lessons,
    and groups that have held every lesson but have no questionnaire after them; active
    leaders due for a refresher; and, for those who plan the rollout, schools whose target
    term has passed without a start or begins this or next term with readiness items missing.
    """
    if not can("groups.view", user):
        return None
    today = today or dt.date.today()
    result = Attention()
    fidelity = load_fidelity(user, school_year, today=today)
    groups = fidelity.groups
    result.behind = [g for g in groups if g.pace.behind and not g.pace.year_over]
    result.without_plan = [g for g in groups if g.group.planned is None]

    waves = list_waves(user, school_year)
    result.open_waves = [row for row in waves if wave_status(row.wave, today) == "open"]
    phases: dict[int, set[str]] = {}
    for row in waves:
        phases.setdefault(row.wave.group_id, set()).add(row.wave.phase)
    result.without_before = [
        g for g in groups if Phase.BEFORE.value not in phases.get(g.group.id, set())
    ]
    result.without_after = [
        g
        for g in groups
        if g.pace.finished and Phase.AFTER.value not in phases.get(g.group.id, set())
    ]

    result.pair_problems, pair_leaders = _pair_problems(user, school_year)
    # The user's schools' active leaders (not mentors.services.list_leaders, which also shows
    # coordinators the central ones: their refresher is the project lead's to arrange).
    leaders = list(
        db.session.scalars(
            sa.select(Leader)
            .where(Leader.active, school_filter(user, Leader.school_id))
            .order_by(Leader.name)
        )
    )
    statuses = training_statuses(
        [leader.id for leader in leaders] + [leader.id for leader in pair_leaders], today=today
    )
    for problem in result.pair_problems:
        problem.untrained = [
            leader for leader in problem.untrained if not statuses[leader.id].trained
        ]
    result.pair_problems = [p for p in result.pair_problems if p.missing or p.untrained]
    result.refresher_due = [leader for leader in leaders if statuses[leader.id].refresher_due]

    if can("rollout.manage", user):
        summary = rollout_summary(today)
        now = term_of(today)
        result.overdue_schools = list(summary.overdue)
        # Schools starting this term or the next: the time left to get ready is short.
        result.starting_not_ready = [
            (school, [item_label(key) for key in school.missing])
            for term in (now, now + 1)
            for school in summary.starting_in(term)
            if school.missing
        ]
    return result


def _pair_problems(user, school_year: int) -> tuple[list[PairProblem], list[Leader]]:
    """Each group with its pair (two queries); untrained leaders are decided by the caller."""
    groups = list(
        db.session.scalars(
            sa.select(StudentGroup)
            .where(
                StudentGroup.school_year == school_year,
                school_filter(user, StudentGroup.school_id),
            )
            .options(
                sa.orm.selectinload(StudentGroup.leader_1),
                sa.orm.selectinload(StudentGroup.leader_2),
                sa.orm.joinedload(StudentGroup.school),
            )
            .order_by(StudentGroup.name)
        )
    )
    problems, leaders = [], []
    for group in groups:
        pair = group.leader_pair
        leaders += pair
        problems.append(PairProblem(group, 2 - len(pair), list(pair)))
    return problems, leaders
