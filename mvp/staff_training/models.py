"""Units, programmes, occasions and who attended: the staff training's records.

A unit (enhet) belongs to an administration and has a headcount of managers and of all
staff by sex (HR's figures). A programme has occasions (a held or planned training day,
"tillfälle" in the UI; not "session", which Flask and SQLAlchemy own); an occasion invites
units and has one audience. Attendance is either per person (the employer's own records:
name and e-mail allowed) or, where HR prefers, counts per unit, role and sex.
"""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin
from mvp.mentors.models import Sex


class ProgrammeKind(StrEnum):
    """What a programme is for; refreshers renew a person's training but add no coverage."""

    BASIC = "basic"  # grundutbildning
    LEADERSHIP = "leadership"  # ledarutbildning
    REFRESHER = "refresher"
    OTHER = "other"


class Audience(StrEnum):
    """Who an occasion is for, in the top-down order the training follows."""

    POLITICIANS = "politicians"
    MANAGEMENT = "management"  # the administration's management team (ledningsgrupp)
    MANAGERS = "managers"
    STAFF = "staff"


AUDIENCE_ORDER = (Audience.POLITICIANS, Audience.MANAGEMENT, Audience.MANAGERS, Audience.STAFF)


class StaffRole(StrEnum):
    """A participant's place in their unit: a manager (chef) or staff (medarbetare)."""

    MANAGER = "manager"
    STAFF = "staff"


# The sexes a unit's headcount is given in (HR's lists); a participant may also be "other".
HEADCOUNT_SEXES = (Sex.WOMAN, Sex.MAN)

occasion_unit = sa.Table(
    "staff_occasion_unit",
    Base.metadata,
    sa.Column(
        "occasion_id", sa.ForeignKey("staff_occasion.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("unit_id", sa.ForeignKey("org_unit.id", ondelete="CASCADE"), primary_key=True),
)


class OrgUnit(Audited, TimestampMixin, VersionedMixin, Base):
    """A unit (enhet) of an administration with its headcount by sex.

    `staff_*` is every employee of the unit, managers included, so a unit's managers can
    never outnumber its staff; the staff to train are the staff who are not managers.
    """

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("administration.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    managers_women: Mapped[int] = mapped_column(default=0)
    managers_men: Mapped[int] = mapped_column(default=0)
    staff_women: Mapped[int] = mapped_column(default=0)
    staff_men: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    administration: Mapped["Administration"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("administration_id", "name"),
        sa.CheckConstraint(
            "managers_women >= 0 AND managers_men >= 0 AND managers_women <= staff_women "
            "AND managers_men <= staff_men",
            name="headcount_sane",
        ),
    )

    def headcount(self, role: str, sex: str) -> int:
        """Managers, or staff who are not managers, of one sex."""
        managers = self.managers_women if sex == Sex.WOMAN else self.managers_men
        if sex not in HEADCOUNT_SEXES:
            return 0
        if role == StaffRole.MANAGER:
            return managers
        return (self.staff_women if sex == Sex.WOMAN else self.staff_men) - managers

    def role_headcount(self, role: str) -> int:
        return sum(self.headcount(role, sex) for sex in HEADCOUNT_SEXES)

    @property
    def audit_label(self) -> str:
        return self.name


class Programme(Audited, TimestampMixin, VersionedMixin, Base):
    """A training programme, e.g. "Grundutbildning i jämställdhetsintegrering"."""

    __tablename__ = "staff_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=ProgrammeKind.BASIC)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (
        sa.CheckConstraint(
            sa.column("kind").in_([k.value for k in ProgrammeKind]), name="kind_known"
        ),
    )

    @property
    def audit_label(self) -> str:
        return self.name


class Occasion(Audited, TimestampMixin, VersionedMixin, Base):
    """One held or planned training day of a programme, for one audience and invited units."""

    __tablename__ = "staff_occasion"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_programme.id", ondelete="RESTRICT"), index=True
    )
    held_on: Mapped[dt.date] = mapped_column(index=True)
    hours: Mapped[float] = mapped_column(default=0)
    trainer: Mapped[str] = mapped_column(sa.String(120), default="")
    audience: Mapped[str] = mapped_column(sa.String(20))
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    programme: Mapped[Programme] = relationship()
    units: Mapped[list[OrgUnit]] = relationship(secondary=occasion_unit, order_by="OrgUnit.name")
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )
    counts: Mapped[list["AttendanceCount"]] = relationship(
        back_populates="occasion", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(
            sa.column("audience").in_([a.value for a in Audience]), name="audience_known"
        ),
        sa.CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    @property
    def audit_label(self) -> str:
        name = self.programme.name if self.programme is not None else self.programme_id
        day = self.held_on.isoformat() if self.held_on else ""
        return f"{name} {day}"


class Participant(Audited, Base):
    """A person registered for an occasion, and whether they attended."""

    __tablename__ = "staff_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_occasion.id", ondelete="CASCADE"), index=True
    )
    # None: a politician, who belongs to no unit.
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    role: Mapped[str] = mapped_column(sa.String(10), default=StaffRole.STAFF)
    sex: Mapped[str] = mapped_column(sa.String(10), default=Sex.UNKNOWN)
    attended: Mapped[bool] = mapped_column(default=False)

    occasion: Mapped[Occasion] = relationship(back_populates="participants")
    unit: Mapped[OrgUnit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_([r.value for r in StaffRole]), name="role_known"),
        sa.CheckConstraint(sa.column("sex").in_([s.value for s in Sex]), name="sex_known"),
    )

    @property
    def person_key(self) -> str:
        """Who the person is across occasions: their e-mail, else their name, in lower case."""
        return (self.email or self.name).strip().lower()

    @property
    def audit_label(self) -> str:
        return self.name


class AttendanceCount(Audited, Base):
    """How many of a unit's managers or staff of one sex attended, where HR keeps no names."""

    __tablename__ = "staff_attendance_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    occasion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_occasion.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("org_unit.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(10))
    sex: Mapped[str] = mapped_column(sa.String(10))
    attended: Mapped[int] = mapped_column(default=0)

    occasion: Mapped[Occasion] = relationship(back_populates="counts")
    unit: Mapped[OrgUnit] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("occasion_id", "unit_id", "role", "sex"),
        sa.CheckConstraint("attended >= 0", name="not_negative"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.unit_id} {self.role} {self.sex}"
