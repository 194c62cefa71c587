"""Small factories for the staff training's tests: administrations, units, occasions."""

import datetime as dt

import sqlalchemy as sa

from mvp.extensions import db
from mvp.organisation.models import Administration
from mvp.staff_training.models import (
    AttendanceCount,
    Occasion,
    OrgUnit,
    Participant,
    Programme,
)


def make_administration(name: str = "Socialförvaltningen") -> Administration:
    administration = Administration(name=name)
    db.session.add(administration)
    db.session.commit()
    return administration


def make_unit(administration, name="Enhet A", *, managers=(2, 2), staff=(20, 10)) -> OrgUnit:
    """`managers` and `staff` are (women, men); staff include the managers."""
    unit = OrgUnit(
        administration=administration,
        name=name,
        managers_women=managers[0],
        managers_men=managers[1],
        staff_women=staff[0],
        staff_men=staff[1],
    )
    db.session.add(unit)
    db.session.commit()
    return unit


def make_programme(name="Grundutbildning i jämställdhetsintegrering", kind="basic") -> Programme:
    programme = db.session.scalar(sa.select(Programme).where(Programme.name == name))
    if programme is None:
        programme = Programme(name=name, kind=kind)
        db.session.add(programme)
        db.session.commit()
    return programme


def make_occasion(
    units, *, audience="staff", held_on: dt.date | None = None, programme=None, hours=3
) -> Occasion:
    occasion = Occasion(
        programme=programme or make_programme(),
        held_on=held_on or dt.date.today(),
        hours=hours,
        audience=audience,
        units=list(units),
    )
    db.session.add(occasion)
    db.session.commit()
    return occasion


def attend(occasion, unit, name, *, role="staff", sex="woman", email="", attended=True):
    """A named participant (attended unless told otherwise)."""
    participant = Participant(
        occasion=occasion,
        unit=unit,
        name=name,
        email=email,
        role=role,
        sex=sex,
        attended=attended,
    )
    db.session.add(participant)
    db.session.commit()
    return participant


def count(occasion, unit, role, sex, attended):
    """Counted attendance of a unit, role and sex."""
    row = AttendanceCount(occasion=occasion, unit=unit, role=role, sex=sex, attended=attended)
    db.session.add(row)
    db.session.commit()
    return row
