"""Changes to the staff training's records, and the reads within a user's scope.

Leads and administrators change everything; an HR contact records attendance only for the
units of their own administrations (mvp.auth.permissions.administration_scope), and sees
only the units and occasions that concern those administrations. Every refusal is an
Invalid with a message per field, raised before anything is written.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from mvp.auth.permissions import administration_filter, administration_scope
from mvp.db import count_as_edit
from mvp.extensions import db
from mvp.mentors.models import Sex
from mvp.organisation.models import Administration
from mvp.staff_training.models import (
    HEADCOUNT_SEXES,
    AttendanceCount,
    Audience,
    Occasion,
    OrgUnit,
    Participant,
    Programme,
    ProgrammeKind,
    StaffRole,
    occasion_unit,
)
from mvp.validation import Invalid

# What a participant row can say.
REGISTERED, ATTENDED, REMOVED = "registered", "attended", "removed"


@dataclass
class UnitData:
    """A unit and its headcount: managers and all staff (managers included) by sex."""

    administration_id: int | None
    name: str
    managers_women: int = 0
    managers_men: int = 0
    staff_women: int = 0
    staff_men: int = 0
    active: bool = True


@dataclass
class OccasionData:
    """A training day of a programme."""

    programme_id: int | None
    held_on: dt.date | None
    hours: float | None
    audience: str
    unit_ids: list[int]
    trainer: str = ""
    notes: str = ""


@dataclass
class ParticipantData:
    """A person registered for an occasion."""

    name: str
    unit_id: int | None
    role: str
    sex: str = Sex.UNKNOWN
    email: str = ""
    attended: bool = False


# --- administrations and units -----------------------------------------------------------------


def list_administrations(user, *, include_inactive: bool = True) -> list[Administration]:
    """The administrations within the user's scope, by name."""
    statement = (
        sa.select(Administration)
        .where(administration_filter(user, Administration.id))
        .order_by(Administration.name)
    )
    if not include_inactive:
        statement = statement.where(Administration.active)
    return list(db.session.scalars(statement))


def save_administration(record: Administration | None, name: str, active: bool) -> Administration:
    """Create (record None) or change an administration; its name is unique."""
    name = " ".join(name.split())
    taken = db.session.scalar(
        sa.select(Administration.id).where(
            sa.func.lower(Administration.name) == name.lower(),
            Administration.id != (record.id if record is not None else -1),
        )
    )
    if taken is not None:
        raise Invalid({"name": _("There is already an administration named %(name)s.", name=name)})
    if record is None:
        record = Administration(name=name)
        db.session.add(record)
    record.name, record.active = name, active
    db.session.flush()
    return record


def headcount_errors(data: UnitData) -> dict[str, str]:
    """The headcount's problems by field: a unit cannot have more managers than staff."""
    errors = {}
    for sex, managers, staff in (
        ("women", data.managers_women, data.staff_women),
        ("men", data.managers_men, data.staff_men),
    ):
        if managers > staff:
            errors[f"managers_{sex}"] = (
                _(
                    "%(managers)d women managers is more than the unit's %(staff)d women in all "
                    "(the staff total includes the managers).",
                    managers=managers,
                    staff=staff,
                )
                if sex == "women"
                else _(
                    "%(managers)d men managers is more than the unit's %(staff)d men in all "
                    "(the staff total includes the managers).",
                    managers=managers,
                    staff=staff,
                )
            )
    return errors


def list_units(user) -> list[OrgUnit]:
    """The units of the user's administrations, by administration and name."""
    return list(
        db.session.scalars(
            sa.select(OrgUnit)
            .join(OrgUnit.administration)
            .options(sa.orm.contains_eager(OrgUnit.administration))
            .where(administration_filter(user, OrgUnit.administration_id))
            .order_by(Administration.name, OrgUnit.name)
        )
    )


def get_unit(user, unit_id: int) -> OrgUnit:
    """One unit within the user's scope, else 404."""
    unit = db.session.scalar(
        sa.select(OrgUnit).where(
            OrgUnit.id == unit_id, administration_filter(user, OrgUnit.administration_id)
        )
    )
    if unit is None:
        abort(404)
    return unit


def save_unit(record: OrgUnit | None, data: UnitData) -> OrgUnit:
    """Create (record None) or change a unit; refuses more managers than staff."""
    errors = headcount_errors(data)
    name = " ".join(data.name.split())
    if (
        data.administration_id is None
        or db.session.get(Administration, data.administration_id) is None
    ):
        errors["administration_id"] = _("Choose the unit's administration.")
    elif (
        db.session.scalar(
            sa.select(OrgUnit.id).where(
                OrgUnit.administration_id == data.administration_id,
                sa.func.lower(OrgUnit.name) == name.lower(),
                OrgUnit.id != (record.id if record is not None else -1),
            )
        )
        is not None
    ):
        errors["name"] = _("The administration already has a unit named %(name)s.", name=name)
    if errors:
        raise Invalid(errors)
    if record is None:
        record = OrgUnit(administration_id=data.administration_id, name=name)
        db.session.add(record)
    record.administration_id = data.administration_id
    record.name = name
    record.managers_women, record.managers_men = data.managers_women, data.managers_men
    record.staff_women, record.staff_men = data.staff_women, data.staff_men
    record.active = data.active
    db.session.flush()
    return record


# --- programmes --------------------------------------------------------------------------------


def list_programmes() -> list[Programme]:
    """Every programme, by name."""
    return list(db.session.scalars(sa.select(Programme).order_by(Programme.name)))


def save_programme(
    record: Programme | None, name: str, kind: str, description: str = "", active: bool = True
) -> Programme:
    """Create (record None) or change a programme; its name is unique."""
    name = " ".join(name.split())
    if kind not in set(ProgrammeKind):
        raise Invalid({"kind": _("Choose the kind of programme.")})
    taken = db.session.scalar(
        sa.select(Programme.id).where(
            sa.func.lower(Programme.name) == name.lower(),
            Programme.id != (record.id if record is not None else -1),
        )
    )
    if taken is not None:
        raise Invalid({"name": _("There is already a programme named %(name)s.", name=name)})
    if record is None:
        record = Programme(name=name)
        db.session.add(record)
    record.name, record.kind, record.description, record.active = name, kind, description, active
    db.session.flush()
    return record


# --- occasions ---------------------------------------------------------------------------------


def visible_occasions(user) -> sa.ColumnElement[bool]:
    """Occasions a user may see: for an HR contact, those inviting a unit of theirs."""
    scope = administration_scope(user)
    if scope is None:
        return sa.true()
    return Occasion.id.in_(
        sa.select(occasion_unit.c.occasion_id)
        .join(OrgUnit, OrgUnit.id == occasion_unit.c.unit_id)
        .where(OrgUnit.administration_id.in_(scope))
    )


def list_occasions(user) -> list[Occasion]:
    """Occasions within the user's sight, latest first, with programme and invited units."""
    return list(
        db.session.scalars(
            sa.select(Occasion)
            .where(visible_occasions(user))
            .options(
                sa.orm.joinedload(Occasion.programme),
                sa.orm.selectinload(Occasion.units),
            )
            .order_by(Occasion.held_on.desc(), Occasion.id.desc())
        )
    )


def get_occasion(user, occasion_id: int) -> Occasion:
    """One occasion within the user's sight, else 404."""
    occasion = db.session.scalar(
        sa.select(Occasion).where(Occasion.id == occasion_id, visible_occasions(user))
    )
    if occasion is None:
        abort(404)
    return occasion


def save_occasion(record: Occasion | None, data: OccasionData, *, today: dt.date) -> Occasion:
    """Create (record None) or change an occasion."""
    errors = {}
    programme = db.session.get(Programme, data.programme_id) if data.programme_id else None
    if programme is None:
        errors["programme_id"] = _("Choose the programme.")
    if data.audience not in set(Audience):
        errors["audience"] = _("Choose the audience.")
    units = list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(data.unit_ids or []))))
    if data.audience != Audience.POLITICIANS and not units:
        errors["unit_ids"] = _("Choose the units invited.")
    if data.hours is not None and data.hours < 0:
        errors["hours"] = _("The hours cannot be negative.")
    moved_ahead = record is not None and data.held_on is not None and data.held_on > today
    if moved_ahead and (
        any(p.attended for p in record.participants) or any(c.attended for c in record.counts)
    ):
        errors["held_on"] = _(
            "People are marked as attended: the day cannot be moved into the future."
        )
    if errors:
        raise Invalid(errors)
    if record is None:
        record = Occasion()
        db.session.add(record)
    record.programme_id = programme.id
    record.held_on = data.held_on
    record.hours = data.hours or 0
    record.audience = data.audience
    record.trainer = data.trainer.strip()
    record.notes = data.notes
    record.units = units
    db.session.flush()
    if record.participants or record.counts:
        _check_attendance(record, today=today)
    return record


def delete_occasion(occasion: Occasion) -> None:
    """Remove an occasion with its attendance."""
    db.session.delete(occasion)
    db.session.flush()


# --- attendance --------------------------------------------------------------------------------


def changeable_units(user, occasion: Occasion) -> list[OrgUnit]:
    """The invited units whose attendance the user may record."""
    scope = administration_scope(user)
    return [u for u in occasion.units if scope is None or u.administration_id in scope]


def can_record_politicians(user) -> bool:
    """Politicians belong to no administration: only leads and administrators record them."""
    return administration_scope(user) is None


def _check_attendance(occasion: Occasion, *, today: dt.date) -> None:
    """Refuse attendance on a future day, and more attending than a unit has of a role."""
    attended_named = [p for p in occasion.participants if p.attended]
    attended_counts = [c for c in occasion.counts if c.attended]
    if occasion.held_on > today and (attended_named or attended_counts):
        raise Invalid(
            {
                "attendance": _(
                    "The occasion on %(day)s has not taken place yet: nobody can be marked as "
                    "attended. Register them now and mark who attended afterwards.",
                    day=occasion.held_on.isoformat(),
                )
            }
        )
    errors = []
    sexes = {Sex.WOMAN: _("women"), Sex.MAN: _("men"), None: _("all")}
    for unit in occasion.units:
        for role in (StaffRole.MANAGER, StaffRole.STAFF):
            errors_before = len(errors)
            for sex, sex_words in sexes.items():
                attending = sum(
                    1
                    for p in attended_named
                    if p.unit_id == unit.id and p.role == role and sex in (None, p.sex)
                ) + sum(
                    c.attended
                    for c in attended_counts
                    if c.unit_id == unit.id and c.role == role and sex in (None, c.sex)
                )
                headcount = unit.role_headcount(role) if sex is None else unit.headcount(role, sex)
                # The total is checked for people of another or no stated sex, and only
                # where no sex of the role was over already (one message per problem).
                over_already = sex is None and len(errors) > errors_before
                if attending > headcount and not over_already:
                    errors.append(
                        _(
                            "%(unit)s, %(role)s, %(sex)s: %(n)d marked as attended, but the "
                            "unit has %(max)d (HR's headcount).",
                            unit=unit.name,
                            role=_("managers") if role == StaffRole.MANAGER else _("staff"),
                            sex=sex_words,
                            n=attending,
                            max=headcount,
                        )
                    )
    if errors:
        raise Invalid({"attendance": " ".join(errors)})


def add_participant(user, occasion: Occasion, data: ParticipantData, *, today: dt.date):
    """Register (or mark as attended) one person for an occasion."""
    errors = {}
    allowed = {u.id for u in changeable_units(user, occasion)}
    if data.unit_id is None:
        if occasion.audience != Audience.POLITICIANS or not can_record_politicians(user):
            errors["unit_id"] = _("Choose the person's unit.")
    elif data.unit_id not in allowed:
        errors["unit_id"] = _("Choose one of the units invited that you record attendance for.")
    if data.role not in set(StaffRole):
        errors["role"] = _("Choose manager or staff.")
    if data.sex not in set(Sex):
        errors["sex"] = _("Choose one of the options.")
    if data.attended and occasion.held_on > today:
        errors["attended"] = _(
            "The occasion on %(day)s has not taken place yet: register the person now and mark "
            "them as attended afterwards.",
            day=occasion.held_on.isoformat(),
        )
    key = (data.email or data.name).strip().lower()
    if any(p.person_key == key for p in occasion.participants):
        errors["name"] = _("%(name)s is already registered for this occasion.", name=data.name)
    if errors:
        raise Invalid(errors)
    participant = Participant(
        occasion=occasion,
        unit_id=data.unit_id,
        name=" ".join(data.name.split()),
        email=data.email.strip().lower(),
        role=data.role,
        sex=data.sex,
        attended=data.attended,
    )
    db.session.add(participant)
    count_as_edit(occasion)
    db.session.flush()
    try:
        _check_attendance(occasion, today=today)
    except Invalid as error:
        raise Invalid({"attended": error.errors["attendance"]}) from None
    return participant


def record_attendance(
    user, occasion: Occasion, statuses: dict[int, str], counts: dict, *, today: dt.date
) -> None:
    """Save the participants' statuses and the counts per unit, role and sex, all or nothing.

    `statuses` is {participant id: registered | attended | removed}; `counts` is
    {(unit id, role, sex): attended}. Rows of units the user may not change are left alone.
    """
    allowed = {u.id for u in changeable_units(user, occasion)}
    politicians = can_record_politicians(user)
    for participant in list(occasion.participants):
        status = statuses.get(participant.id)
        if status is None or not (
            participant.unit_id in allowed or (participant.unit_id is None and politicians)
        ):
            continue
        if status == REMOVED:
            occasion.participants.remove(participant)
        else:
            participant.attended = status == ATTENDED
    existing = {(c.unit_id, c.role, c.sex): c for c in occasion.counts}
    for (unit_id, role, sex), attended in counts.items():
        if unit_id not in allowed or role not in set(StaffRole) or sex not in HEADCOUNT_SEXES:
            continue
        row = existing.get((unit_id, role, sex))
        if row is None and attended:
            occasion.counts.append(
                AttendanceCount(unit_id=unit_id, role=role, sex=sex, attended=attended)
            )
        elif row is not None and attended:
            row.attended = attended
        elif row is not None:
            occasion.counts.remove(row)
    count_as_edit(occasion)
    db.session.flush()
    _check_attendance(occasion, today=today)
