"""MVP leaders and trainings: reads within a user's scope, who is trained, and the changes.

Coordinators see their own schools' leaders and trainings plus the central ones (school
None: the municipality's trainers and its joint leader trainings), and change only their
own schools'. A leader is *trained* once they attended a leader training that is over (its
last day has passed); a trained leader whose latest leader training or refresher is older
than REFRESHER_YEARS is due a refresher.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from mvp.auth.permissions import in_scope, school_filter, school_scope
from mvp.db import count_as_edit
from mvp.extensions import db
from mvp.lessons.models import Lesson, lesson_leader
from mvp.mentors.models import Leader, LeaderRole, Sex, Training, TrainingKind, TrainingParticipant
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import current_school_year
from mvp.validation import Invalid

# What a participant row of a training can say.
NOT_REGISTERED, REGISTERED, ATTENDED = "", "registered", "attended"


@dataclass
class LeaderData:
    """What a coordinator or lead enters about an MVP leader."""

    name: str
    school_id: int | None
    role: str
    sex: str = Sex.UNKNOWN
    email: str = ""
    active: bool = True


@dataclass
class TrainingData:
    """What is entered about a training event."""

    kind: str
    starts_on: dt.date | None
    hours: float | None
    school_id: int | None = None
    ends_on: dt.date | None = None
    title: str = ""
    trainer: str = ""
    other_attendees: int = 0
    notes: str = ""


@dataclass(frozen=True)
class TrainingStatus:
    """Whether a leader is trained, when, whether a refresher is due, and supervision hours."""

    trained_on: dt.date | None  # the last day of their first leader training attended
    latest_on: dt.date | None  # the last day of their latest leader training or refresher
    supervision_hours: float
    refresher_due: bool

    @property
    def trained(self) -> bool:
        return self.trained_on is not None


NO_TRAINING = TrainingStatus(None, None, 0.0, False)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def training_status(
    trained_on: dt.date | None,
    latest_on: dt.date | None,
    supervision_hours: float,
    *,
    today: dt.date,
    refresher_years: int,
) -> TrainingStatus:
    """A leader's status from their training dates (pure)."""
    due = trained_on is not None and (latest_on or trained_on) < years_before(
        today, refresher_years
    )
    return TrainingStatus(trained_on, latest_on, float(supervision_hours or 0), due)


def training_statuses(leader_ids, *, today: dt.date | None = None) -> dict[int, TrainingStatus]:
    """{leader id: TrainingStatus} for the given leaders, in one query; missing ids: untrained."""
    ids = list(set(leader_ids))
    if not ids:
        return {}
    today = today or dt.date.today()
    last_day = sa.func.coalesce(Training.ends_on, Training.starts_on)
    is_training = Training.kind == TrainingKind.LEADER_TRAINING
    renews = Training.kind.in_([TrainingKind.LEADER_TRAINING, TrainingKind.REFRESHER])
    rows = db.session.execute(
        sa.select(
            TrainingParticipant.leader_id,
            sa.func.min(sa.case((is_training, last_day))),
            sa.func.max(sa.case((renews, last_day))),
            sa.func.sum(sa.case((Training.kind == TrainingKind.SUPERVISION, Training.hours))),
        )
        .join(Training, Training.id == TrainingParticipant.training_id)
        .where(
            TrainingParticipant.leader_id.in_(ids),
            TrainingParticipant.attended,
            # A training counts once it is over (a leader is trained after the third day).
            last_day <= today,
        )
        .group_by(TrainingParticipant.leader_id)
    )
    years = current_app.config["REFRESHER_YEARS"]
    statuses = dict.fromkeys(ids, NO_TRAINING)
    for leader_id, trained_on, latest_on, hours in rows:
        statuses[leader_id] = training_status(
            _as_date(trained_on),
            _as_date(latest_on),
            hours or 0,
            today=today,
            refresher_years=years,
        )
    return statuses


def _as_date(value) -> dt.date | None:
    # SQLite hands back the result of MIN()/MAX() over a CASE as text.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- leaders: reads ---------------------------------------------------------------------------


def visible_leaders(user) -> sa.ColumnElement[bool]:
    """Leaders a user may see: their schools' and the central ones."""
    return sa.or_(Leader.school_id.is_(None), school_filter(user, Leader.school_id))


def list_leaders(
    user, *, school_id: int | None = None, central: bool = False, include_inactive: bool = True
) -> list[Leader]:
    """Leaders within the user's sight, by school (central first) and name."""
    statement = (
        sa.select(Leader)
        .outerjoin(Leader.school)
        .options(sa.orm.contains_eager(Leader.school))
        .where(visible_leaders(user))
        .order_by(School.name.is_not(None), School.name, Leader.name)
    )
    if central:
        statement = statement.where(Leader.school_id.is_(None))
    elif school_id is not None:
        statement = statement.where(Leader.school_id == school_id)
    if not include_inactive:
        statement = statement.where(Leader.active)
    return list(db.session.scalars(statement))


def get_leader(user, leader_id: int) -> Leader:
    """One leader the user may see, else 404."""
    leader = db.session.scalar(
        sa.select(Leader).where(Leader.id == leader_id).where(visible_leaders(user))
    )
    if leader is None:
        abort(404)
    return leader


def can_change_leader(user, leader: Leader) -> bool:
    """Coordinators change their own schools' leaders; central leaders are the leads'."""
    return in_scope(user, leader.school_id)


def pair_counts(leader_ids, school_year: int) -> dict[int, int]:
    """{leader id: groups they lead (as one of the pair) in a school year}, in one query."""
    ids = list(leader_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    for column in (StudentGroup.leader_1_id, StudentGroup.leader_2_id):
        rows = db.session.execute(
            sa.select(column, sa.func.count(StudentGroup.id))
            .where(column.in_(ids), StudentGroup.school_year == school_year)
            .group_by(column)
        )
        for leader_id, count in rows:
            counts[leader_id] += count
    return counts


def leader_groups(user, leader: Leader) -> list[StudentGroup]:
    """The groups (within the user's scope) a leader is one of the pair of, newest year first."""
    return list(
        db.session.scalars(
            sa.select(StudentGroup)
            .join(StudentGroup.school)
            .options(
                sa.orm.contains_eager(StudentGroup.school),
                sa.orm.selectinload(StudentGroup.leader_1),
                sa.orm.selectinload(StudentGroup.leader_2),
            )
            .where(
                sa.or_(StudentGroup.leader_1_id == leader.id, StudentGroup.leader_2_id == leader.id)
            )
            .where(school_filter(user, StudentGroup.school_id))
            .order_by(StudentGroup.school_year.desc(), School.name, StudentGroup.name)
        )
    )


def lessons_led(user, leader: Leader, limit: int = 25) -> tuple[int, list[Lesson]]:
    """How many lessons (within the user's scope) the leader led, and the latest of them."""
    where = [
        lesson_leader.c.leader_id == leader.id,
        school_filter(user, StudentGroup.school_id),
    ]
    total = db.session.scalar(
        sa.select(sa.func.count(Lesson.id))
        .join(lesson_leader, lesson_leader.c.lesson_id == Lesson.id)
        .join(StudentGroup, StudentGroup.id == Lesson.group_id)
        .where(*where)
    )
    latest = db.session.scalars(
        sa.select(Lesson)
        .join(lesson_leader, lesson_leader.c.lesson_id == Lesson.id)
        .join(Lesson.group)
        .join(StudentGroup.school)
        .options(
            sa.orm.contains_eager(Lesson.group).contains_eager(StudentGroup.school),
        )
        .where(*where)
        .order_by(Lesson.held_on.desc(), Lesson.id.desc())
        .limit(limit)
    )
    return int(total or 0), list(latest)


def leader_trainings(leader: Leader) -> list[TrainingParticipant]:
    """Every training the leader was registered for, newest first."""
    return list(
        db.session.scalars(
            sa.select(TrainingParticipant)
            .join(TrainingParticipant.training)
            .options(sa.orm.contains_eager(TrainingParticipant.training))
            .where(TrainingParticipant.leader_id == leader.id)
            .order_by(Training.starts_on.desc())
        )
    )


def leader_options(school_id: int, *, keep=()) -> list[Leader]:
    """Leaders who may lead a school's groups: its active leaders and the central ones.

    `keep` adds leaders already chosen (such as an inactive one) so that a form can show them.
    """
    keep_ids = [leader_id for leader_id in keep if leader_id]
    statement = (
        sa.select(Leader)
        .where(
            sa.or_(
                sa.and_(
                    sa.or_(Leader.school_id == school_id, Leader.school_id.is_(None)),
                    Leader.active,
                ),
                Leader.id.in_(keep_ids),
            )
        )
        .order_by(Leader.school_id.is_(None), Leader.name)
    )
    return list(db.session.scalars(statement))


# --- leaders: changes ---------------------------------------------------------------------------


def _check_school_choice(user, school_id: int | None, errors: dict, field: str = "school_id"):
    if school_id is None:
        if school_scope(user) is not None:
            errors[field] = _("Choose one of your schools.")
        return
    if db.session.get(School, school_id) is None or not in_scope(user, school_id):
        errors[field] = _("Choose one of your schools.")


def _check_leader(data: LeaderData, user, leader: Leader | None) -> None:
    errors: dict[str, str] = {}
    if not (data.name or "").strip():
        errors["name"] = _("Enter the leader's name.")
    email = (data.email or "").strip().lower()
    if email:
        clash = db.session.scalar(sa.select(Leader.id).where(sa.func.lower(Leader.email) == email))
        if clash is not None and (leader is None or clash != leader.id):
            errors["email"] = _("There is already a leader with this e-mail address.")
    _check_school_choice(user, data.school_id, errors)
    if data.role not in set(LeaderRole):
        errors["role"] = _("Choose the leader's role.")
    if data.sex not in set(Sex):
        errors["sex"] = _("Choose one of the options.")
    if leader is not None and "school_id" not in errors and data.school_id != leader.school_id:
        groups = _current_pairs_elsewhere(leader, data.school_id)
        if groups:
            errors["school_id"] = _(
                "%(name)s leads %(groups)s this school year. Change those groups' leader pairs "
                "first.",
                name=leader.name,
                groups=", ".join(groups),
            )
    if errors:
        raise Invalid(errors)


def _current_pairs_elsewhere(leader: Leader, new_school_id: int | None) -> list[str]:
    """Groups of this or later school years, at another school than the new one, they lead."""
    if new_school_id is None:
        return []  # a central leader may lead any school's groups
    rows = db.session.execute(
        sa.select(StudentGroup.name, School.name)
        .join(School, School.id == StudentGroup.school_id)
        .where(
            sa.or_(StudentGroup.leader_1_id == leader.id, StudentGroup.leader_2_id == leader.id),
            StudentGroup.school_year >= current_school_year(),
            StudentGroup.school_id != new_school_id,
        )
        .order_by(School.name, StudentGroup.name)
    )
    return [f"{group} ({school})" for group, school in rows]


def _apply_leader(leader: Leader, data: LeaderData) -> None:
    leader.name = data.name.strip()
    leader.email = (data.email or "").strip().lower()
    leader.school_id = data.school_id
    leader.role = data.role
    leader.sex = data.sex
    leader.active = data.active


def create_leader(data: LeaderData, *, user) -> Leader:
    """Add an MVP leader; raises Invalid (nothing saved) for bad input or a school out of scope."""
    _check_leader(data, user, None)
    leader = Leader()
    _apply_leader(leader, data)
    db.session.add(leader)
    db.session.flush()
    return leader


def update_leader(leader: Leader, data: LeaderData, *, user) -> Leader:
    """Change a leader's details."""
    _check_leader(data, user, leader)
    _apply_leader(leader, data)
    db.session.flush()
    return leader


def delete_leader(leader: Leader) -> None:
    """Remove a leader who has led no lessons; they leave the leader pairs they were in."""
    led = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(lesson_leader)
        .where(lesson_leader.c.leader_id == leader.id)
    )
    if led:
        raise Invalid(
            {
                "leader": ngettext(
                    "%(name)s has led %(num)d lesson, which is part of the programme's records, "
                    "and cannot be removed. Mark the leader as inactive instead.",
                    "%(name)s has led %(num)d lessons, which are part of the programme's "
                    "records, and cannot be removed. Mark the leader as inactive instead.",
                    led,
                    name=leader.name,
                )
            }
        )
    # Leave the pairs through the ORM, so that the audit log shows each group's change.
    for group in db.session.scalars(
        sa.select(StudentGroup).where(
            sa.or_(StudentGroup.leader_1_id == leader.id, StudentGroup.leader_2_id == leader.id)
        )
    ):
        if group.leader_1_id == leader.id:
            group.leader_1 = None
        if group.leader_2_id == leader.id:
            group.leader_2 = None
    for participation in list(leader.participations):
        db.session.delete(participation)
    db.session.delete(leader)
    db.session.flush()


# --- trainings: reads ---------------------------------------------------------------------------


def visible_trainings(user) -> sa.ColumnElement[bool]:
    """Trainings a user may see: their schools' and the central ones."""
    return sa.or_(Training.school_id.is_(None), school_filter(user, Training.school_id))


@dataclass
class TrainingRow:
    """A training in a list, with how many leaders were registered and attended."""

    training: Training
    registered: int
    attended: int


def list_trainings(
    user,
    *,
    school_id: int | None = None,
    central: bool = False,
    kind: str | None = None,
    school_year: int | None = None,
) -> list[TrainingRow]:
    """Trainings within the user's sight, newest first, with participant counts (one query)."""
    registered = sa.func.count(TrainingParticipant.id)
    attended = sa.func.count(TrainingParticipant.id).filter(TrainingParticipant.attended)
    statement = (
        sa.select(Training, registered, attended)
        .outerjoin(Training.school)
        .outerjoin(TrainingParticipant, TrainingParticipant.training_id == Training.id)
        .options(sa.orm.contains_eager(Training.school))
        .where(visible_trainings(user))
        .group_by(Training.id, School.id)
        .order_by(Training.starts_on.desc(), Training.id.desc())
    )
    if central:
        statement = statement.where(Training.school_id.is_(None))
    elif school_id is not None:
        statement = statement.where(Training.school_id == school_id)
    if kind:
        statement = statement.where(Training.kind == kind)
    if school_year is not None:
        first = dt.date(school_year, 7, 1)
        statement = statement.where(
            Training.starts_on >= first, Training.starts_on < first.replace(year=school_year + 1)
        )
    return [TrainingRow(t, int(r), int(a)) for t, r, a in db.session.execute(statement)]


def get_training(user, training_id: int) -> Training:
    """One training the user may see, else 404."""
    training = db.session.scalar(
        sa.select(Training).where(Training.id == training_id).where(visible_trainings(user))
    )
    if training is None:
        abort(404)
    return training


def can_change_training(user, training: Training) -> bool:
    """Coordinators change their own schools' trainings; central trainings are the leads'."""
    return in_scope(user, training.school_id)


def training_participants(user, training: Training) -> list[TrainingParticipant]:
    """The training's participants the user may see, by name."""
    return list(
        db.session.scalars(
            sa.select(TrainingParticipant)
            .join(TrainingParticipant.leader)
            .options(sa.orm.contains_eager(TrainingParticipant.leader).joinedload(Leader.school))
            .where(TrainingParticipant.training_id == training.id)
            .where(visible_leaders(user))
            .order_by(Leader.name)
        )
    )


def eligible_participants(user, training: Training) -> list[Leader]:
    """Leaders who may take part: the school's and central ones (any visible, if central).

    Inactive leaders are offered only when already registered.
    """
    registered = {participant.leader_id for participant in training.participants}
    return [
        leader
        for leader in list_leaders(user)
        if (leader.active or leader.id in registered)
        and (training.school_id is None or leader.school_id in (None, training.school_id))
    ]


# --- trainings: changes -------------------------------------------------------------------------

MAX_HOURS = 100


def _check_training(data: TrainingData, user, training: Training | None, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if data.kind not in set(TrainingKind):
        errors["kind"] = _("Choose the kind of training.")
    if data.starts_on is None:
        errors["starts_on"] = _("Write the date as 2026-11-27.")
    elif data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    if data.hours is None or not 0 < data.hours <= MAX_HOURS:
        errors["hours"] = _("Enter the hours, more than 0 and at most %(max)d.", max=MAX_HOURS)
    if data.other_attendees is None or data.other_attendees < 0:
        errors["other_attendees"] = _("Enter a whole number, 0 or more.")
    _check_school_choice(user, data.school_id, errors)
    if training is not None and not errors:
        if data.starts_on > today and any(p.attended for p in training.participants):
            errors["starts_on"] = _(
                "Participants are marked as having attended; the training cannot lie in the future."
            )
        if data.school_id is not None:
            elsewhere = [
                p.leader.name
                for p in training.participants
                if p.leader.school_id not in (None, data.school_id)
            ]
            if elsewhere:
                errors["school_id"] = _(
                    "Leaders of another school are registered: %(names)s.",
                    names=", ".join(sorted(elsewhere)),
                )
    if errors:
        raise Invalid(errors)


def _apply_training(training: Training, data: TrainingData) -> None:
    training.kind = data.kind
    training.title = (data.title or "").strip()
    training.starts_on = data.starts_on
    training.ends_on = data.ends_on if data.ends_on != data.starts_on else None
    training.hours = float(data.hours)
    training.school_id = data.school_id
    training.trainer = (data.trainer or "").strip()
    training.other_attendees = data.other_attendees or 0
    training.notes = (data.notes or "").strip()


def create_training(data: TrainingData, *, user, today: dt.date | None = None) -> Training:
    """Add a training; raises Invalid (nothing saved) for bad input or a school out of scope."""
    _check_training(data, user, None, today or dt.date.today())
    training = Training()
    _apply_training(training, data)
    db.session.add(training)
    db.session.flush()
    return training


def update_training(
    training: Training, data: TrainingData, *, user, today: dt.date | None = None
) -> Training:
    """Change a training's details."""
    _check_training(data, user, training, today or dt.date.today())
    _apply_training(training, data)
    db.session.flush()
    return training


def delete_training(training: Training) -> None:
    """Remove a training and its list of participants."""
    db.session.delete(training)
    db.session.flush()


def set_participants(
    user, training: Training, statuses: dict[int, str], *, today: dt.date | None = None
) -> None:
    """Register leaders for a training and mark who attended, all or nothing.

    `statuses` maps leader ids to "" (not registered), "registered" or "attended"; leaders
    not mentioned keep what they had.
    """
    today = today or dt.date.today()
    eligible = {leader.id: leader for leader in eligible_participants(user, training)}
    errors: dict[str, str] = {}
    for leader_id, status in statuses.items():
        field = f"leader_{leader_id}"
        if leader_id not in eligible:
            errors[field] = _("This leader belongs to another school.")
        elif status not in (NOT_REGISTERED, REGISTERED, ATTENDED):
            errors[field] = _("Choose one of the options.")
        elif status == ATTENDED and training.starts_on > today:
            errors[field] = _(
                "The training has not taken place yet; leaders can be registered but not "
                "marked as having attended."
            )
    if errors:
        raise Invalid(errors)
    current = {p.leader_id: p for p in training.participants}
    for leader_id, status in statuses.items():
        participant = current.get(leader_id)
        if status == NOT_REGISTERED:
            if participant is not None:
                training.participants.remove(participant)
        elif participant is None:
            training.participants.append(
                TrainingParticipant(leader=eligible[leader_id], attended=status == ATTENDED)
            )
        else:
            participant.attended = status == ATTENDED
    count_as_edit(training)  # another open participants form of it is now stale
    db.session.flush()


def leaders_by_sex(leaders, statuses: dict[int, TrainingStatus]) -> dict[str, dict[str, int]]:
    """Active and trained leaders counted by sex, for the list's summary (pure)."""
    summary = {"active": dict.fromkeys(Sex, 0), "trained": dict.fromkeys(Sex, 0)}
    for leader in leaders:
        if not leader.active:
            continue
        summary["active"][Sex(leader.sex)] += 1
        if statuses.get(leader.id, NO_TRAINING).trained:
            summary["trained"][Sex(leader.sex)] += 1
    return summary
