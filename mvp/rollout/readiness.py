"""A school's readiness checklist, derived from the data (never ticked by hand).

The items follow the Swedish implementation steps and the municipality's own advice (anchor
with the leadership first, then the staff, then train leaders):

1. an anchoring meeting with the school leadership held (a Training of kind "anchoring" for
   the school, on or before today);
2. the staff half-day held (likewise, kind "staff_half_day");
3. at least two trained leaders: active leaders of the school who attended a leader training
   that has ended; the recommended team (TEAM_SIZE_MIN–TEAM_SIZE_MAX) is shown beside it;
4. supervision planned or held (a "supervision" Training for the school, any date);
5. groups for the coming school year, each with a lesson plan and a full leader pair;
6. a before-questionnaire wave scheduled for each of those groups.

The coming school year is the current one for a school already running MVP, else the school
year of its target term (never one that has passed). Everything for any number of schools is
read in three queries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from mvp.extensions import db
from mvp.mentors.models import Leader, Training, TrainingKind, TrainingParticipant
from mvp.rollout.models import SchoolRollout
from mvp.rollout.stages import RUNNING
from mvp.schools.models import StudentGroup
from mvp.schools.years import current_school_year, format_school_year
from mvp.surveys.models import Phase, Wave

MINIMUM_TRAINED_LEADERS = 2


class Item(StrEnum):
    """The checklist items, in the order a school normally completes them."""

    ANCHORING = "anchoring"
    STAFF_HALF_DAY = "staff_half_day"
    LEADERS = "leaders"
    SUPERVISION = "supervision"
    GROUPS = "groups"
    BEFORE_WAVE = "before_wave"


ITEM_LABELS = {
    Item.ANCHORING: _l("Anchoring meeting with the school leadership held"),
    Item.STAFF_HALF_DAY: _l("Half-day for all staff held"),
    Item.LEADERS: _l("At least two trained MVP leaders"),
    Item.SUPERVISION: _l("Supervision of the leaders planned or held"),
    Item.GROUPS: _l("Groups for the coming school year with a lesson plan and a leader pair"),
    Item.BEFORE_WAVE: _l("Before-questionnaire scheduled for those groups"),
}


def item_label(key: str) -> str:
    """The reader's name of a checklist item (also for items recorded on a stage change)."""
    label = ITEM_LABELS.get(key)
    return str(label) if label is not None else key


@dataclass(frozen=True)
class GroupState:
    """What the checklist needs to know about one pupil group of the coming school year."""

    id: int
    name: str
    grade: int
    has_curriculum: bool
    has_leader_pair: bool
    has_before_wave: bool

    @property
    def complete(self) -> bool:
        return self.has_curriculum and self.has_leader_pair


@dataclass(frozen=True)
class TrainingDates:
    """When trainings of one kind for one school were held (last) and are planned (next)."""

    held_on: dt.date | None = None
    planned_on: dt.date | None = None


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist: whether it is done, and in plain words what stands."""

    key: str
    done: bool
    message: str

    @property
    def label(self) -> str:
        return item_label(self.key)


@dataclass(frozen=True)
class Readiness:
    """The derived readiness of one school on one day."""

    school_id: int
    today: dt.date
    school_year: int | None
    anchoring: TrainingDates = TrainingDates()
    staff_half_day: TrainingDates = TrainingDates()
    supervision: TrainingDates = TrainingDates()
    active_leaders: int = 0
    trained_leaders: int = 0
    team_min: int = 6
    team_max: int = 8
    groups: tuple[GroupState, ...] = field(default_factory=tuple)

    # --- each item: done or not ---------------------------------------------------------

    def is_done(self, key: str) -> bool:
        """Whether one checklist item is fulfilled."""
        if key == Item.ANCHORING:
            return self.anchoring.held_on is not None
        if key == Item.STAFF_HALF_DAY:
            return self.staff_half_day.held_on is not None
        if key == Item.LEADERS:
            return self.trained_leaders >= MINIMUM_TRAINED_LEADERS
        if key == Item.SUPERVISION:
            return self.supervision.held_on is not None or self.supervision.planned_on is not None
        if key == Item.GROUPS:
            return bool(self.groups) and all(group.complete for group in self.groups)
        if key == Item.BEFORE_WAVE:
            return bool(self.groups) and all(group.has_before_wave for group in self.groups)
        raise KeyError(key)

    @property
    def missing(self) -> list[str]:
        """The keys of the items not yet fulfilled, in checklist order."""
        return [key.value for key in Item if not self.is_done(key)]

    @property
    def done_count(self) -> int:
        return len(Item) - len(self.missing)

    @property
    def total(self) -> int:
        return len(Item)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def team_status(self) -> str:
        """'below' the minimum of two, 'small' below the recommended team, else 'ok'."""
        if self.trained_leaders < MINIMUM_TRAINED_LEADERS:
            return "below"
        if self.trained_leaders < self.team_min:
            return "small"
        return "ok"

    # --- in the reader's words ----------------------------------------------------------

    @property
    def items(self) -> list[CheckItem]:
        """Every item with a sentence saying what is done or what is missing."""
        return [CheckItem(key.value, self.is_done(key), self._message(key)) for key in Item]

    def _message(self, key: Item) -> str:
        if key in (Item.ANCHORING, Item.STAFF_HALF_DAY):
            return self._meeting_message(key)
        if key == Item.LEADERS:
            return self._leaders_message()
        if key == Item.SUPERVISION:
            if self.supervision.held_on:
                return _("Supervision was last held on %(date)s.", date=self.supervision.held_on)
            if self.supervision.planned_on:
                return _("Supervision is planned for %(date)s.", date=self.supervision.planned_on)
            return _("No supervision of the leaders is planned yet.")
        if key == Item.GROUPS:
            return self._groups_message()
        return self._wave_message()

    def _meeting_message(self, key: Item) -> str:
        dates = self.anchoring if key == Item.ANCHORING else self.staff_half_day
        if dates.held_on:
            return _("Held on %(date)s.", date=dates.held_on)
        if key == Item.ANCHORING:
            text = _("No anchoring meeting with the school leadership has been held yet.")
        else:
            text = _("No half-day for all staff has been held yet.")
        if dates.planned_on:
            text += " " + _("One is planned for %(date)s.", date=dates.planned_on)
        return text

    def _leaders_message(self) -> str:
        trained = ngettext(
            "%(num)d trained leader", "%(num)d trained leaders", self.trained_leaders
        )
        recommended = _(
            "the recommended team is %(min)d–%(max)d", min=self.team_min, max=self.team_max
        )
        if self.trained_leaders < MINIMUM_TRAINED_LEADERS:
            return _(
                "%(trained)s; at least %(minimum)d are needed (%(recommended)s).",
                trained=trained,
                minimum=MINIMUM_TRAINED_LEADERS,
                recommended=recommended,
            )
        return _("%(trained)s (%(recommended)s).", trained=trained, recommended=recommended)

    def _groups_message(self) -> str:
        if self.school_year is None:
            return _("Set a target term first: it decides which school year the groups are for.")
        year = format_school_year(self.school_year)
        if not self.groups:
            return _("There are no pupil groups for the school year %(year)s yet.", year=year)
        incomplete = [group for group in self.groups if not group.complete]
        if not incomplete:
            return ngettext(
                "%(num)d group for %(year)s, with lesson plan and leader pair.",
                "%(num)d groups for %(year)s, all with lesson plan and leader pair.",
                len(self.groups),
                year=year,
            )
        parts = []
        no_plan = [group.name for group in incomplete if not group.has_curriculum]
        no_pair = [group.name for group in incomplete if not group.has_leader_pair]
        if no_plan:
            parts.append(_("without a lesson plan: %(groups)s", groups=", ".join(no_plan)))
        if no_pair:
            parts.append(_("without a full leader pair: %(groups)s", groups=", ".join(no_pair)))
        return _("Groups for %(year)s %(problems)s.", year=year, problems="; ".join(parts))

    def _wave_message(self) -> str:
        if not self.groups:
            return _("A before-questionnaire needs pupil groups for the coming school year.")
        without = [group.name for group in self.groups if not group.has_before_wave]
        if not without:
            return _("Every group has a before-questionnaire scheduled.")
        return _("No before-questionnaire is scheduled for %(groups)s.", groups=", ".join(without))


def coming_school_year(rollout: SchoolRollout | None, today: dt.date) -> int | None:
    """The school year whose groups the checklist looks at (None: no target term yet)."""
    current = current_school_year(today)
    if rollout is not None and rollout.stage in RUNNING:
        return current
    if rollout is None or rollout.target_year is None:
        return None
    return max(rollout.target_year, current)


def readiness_for(school_years: dict[int, int | None], today: dt.date) -> dict[int, Readiness]:
    """{school id: Readiness} for the given {school id: coming school year}, in three queries."""
    if not school_years:
        return {}
    ids = list(school_years)
    trainings = _training_dates(ids, today)
    leaders = _leader_counts(ids, today)
    groups = _group_states(school_years)
    team_min = int(current_app.config["TEAM_SIZE_MIN"])
    team_max = int(current_app.config["TEAM_SIZE_MAX"])
    result = {}
    for school_id, year in school_years.items():
        active, trained = leaders.get(school_id, (0, 0))
        dates = trainings.get(school_id, {})
        result[school_id] = Readiness(
            school_id=school_id,
            today=today,
            school_year=year,
            anchoring=dates.get(TrainingKind.ANCHORING, TrainingDates()),
            staff_half_day=dates.get(TrainingKind.STAFF_HALF_DAY, TrainingDates()),
            supervision=dates.get(TrainingKind.SUPERVISION, TrainingDates()),
            active_leaders=active,
            trained_leaders=trained,
            team_min=team_min,
            team_max=team_max,
            groups=tuple(groups.get(school_id, ())),
        )
    return result


def _training_dates(ids: list[int], today: dt.date) -> dict[int, dict[str, TrainingDates]]:
    kinds = [TrainingKind.ANCHORING, TrainingKind.STAFF_HALF_DAY, TrainingKind.SUPERVISION]
    rows = db.session.execute(
        sa.select(
            Training.school_id,
            Training.kind,
            sa.func.max(sa.case((Training.starts_on <= today, Training.starts_on))),
            sa.func.min(sa.case((Training.starts_on > today, Training.starts_on))),
        )
        .where(Training.school_id.in_(ids), Training.kind.in_([k.value for k in kinds]))
        .group_by(Training.school_id, Training.kind)
    )
    result: dict[int, dict[str, TrainingDates]] = defaultdict(dict)
    for school_id, kind, held_on, planned_on in rows:
        result[school_id][kind] = TrainingDates(held_on, planned_on)
    return result


def _leader_counts(ids: list[int], today: dt.date) -> dict[int, tuple[int, int]]:
    """{school id: (active leaders, active leaders who attended a finished leader training)}."""
    trained = (
        sa.select(TrainingParticipant.leader_id)
        .join(Training, Training.id == TrainingParticipant.training_id)
        .where(
            Training.kind == TrainingKind.LEADER_TRAINING.value,
            TrainingParticipant.attended,
            sa.func.coalesce(Training.ends_on, Training.starts_on) <= today,
        )
    )
    rows = db.session.execute(
        sa.select(
            Leader.school_id,
            sa.func.count(Leader.id),
            sa.func.sum(sa.case((Leader.id.in_(trained), 1), else_=0)),
        )
        .where(Leader.school_id.in_(ids), Leader.active)
        .group_by(Leader.school_id)
    )
    return {school_id: (int(active), int(trained or 0)) for school_id, active, trained in rows}


def _group_states(school_years: dict[int, int | None]) -> dict[int, list[GroupState]]:
    years = {year for year in school_years.values() if year is not None}
    if not years:
        return {}
    has_before_wave = (
        sa.select(Wave.id)
        .where(Wave.group_id == StudentGroup.id, Wave.phase == Phase.BEFORE.value)
        .exists()
    )
    rows = db.session.execute(
        sa.select(
            StudentGroup.id,
            StudentGroup.school_id,
            StudentGroup.school_year,
            StudentGroup.name,
            StudentGroup.grade,
            StudentGroup.curriculum_id,
            StudentGroup.leader_1_id,
            StudentGroup.leader_2_id,
            has_before_wave,
        )
        .where(
            StudentGroup.school_id.in_([i for i, year in school_years.items() if year]),
            StudentGroup.school_year.in_(years),
        )
        .order_by(StudentGroup.grade, StudentGroup.name)
    )
    result: dict[int, list[GroupState]] = defaultdict(list)
    for gid, school_id, year, name, grade, curriculum, leader_1, leader_2, wave in rows:
        if school_years.get(school_id) != year:
            continue
        pair = leader_1 is not None and leader_2 is not None and leader_1 != leader_2
        result[school_id].append(
            GroupState(gid, name, grade, curriculum is not None, pair, bool(wave))
        )
    return result
