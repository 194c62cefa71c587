"""Leader, Training and who took part: the people who deliver MVP and how they were prepared."""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin


class LeaderRole(StrEnum):
    """A leader's profession; peer mentors are pupils in the Botkyrka/peer model."""

    TEACHER = "teacher"
    COUNSELLOR = "counsellor"  # kurator
    SCHOOL_NURSE = "school_nurse"
    SCHOOL_LEADER = "school_leader"
    YOUTH_WORKER = "youth_worker"  # fritidsledare
    PUPIL_MENTOR = "pupil_mentor"
    OTHER = "other"


class Sex(StrEnum):
    """A leader's sex, for sex-disaggregated statistics about staff."""

    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    UNKNOWN = "unknown"


class TrainingKind(StrEnum):
    """The Swedish implementation steps, in their order, plus refreshers and other events."""

    ANCHORING = "anchoring"  # förankringssamtal with the school leadership
    STAFF_HALF_DAY = "staff_half_day"  # personalhalvdag for all staff
    LEADER_TRAINING = "leader_training"  # the standardised 3-day ledarutbildning
    SUPERVISION = "supervision"  # handledning
    REFRESHER = "refresher"
    OTHER = "other"


class Leader(Audited, TimestampMixin, VersionedMixin, Base):
    """An MVP leader (MVP-ledare): a member of staff, or a pupil mentor in the peer model."""

    __tablename__ = "leader"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    # None: central staff (e.g. the municipality's own trainers), not bound to one school.
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(sa.String(20))
    sex: Mapped[str] = mapped_column(sa.String(10), default=Sex.UNKNOWN)
    active: Mapped[bool] = mapped_column(default=True)

    school: Mapped["School | None"] = relationship()  # noqa: F821
    participations: Mapped[list["TrainingParticipant"]] = relationship(
        back_populates="leader", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_([r.value for r in LeaderRole]), name="role_known"),
        sa.CheckConstraint(sa.column("sex").in_([s.value for s in Sex]), name="sex_known"),
    )

    @property
    def audit_label(self) -> str:
        return self.name


class Training(Audited, TimestampMixin, VersionedMixin, Base):
    """A training event: an anchoring meeting, staff half-day, leader training, supervision…"""

    __tablename__ = "training"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    starts_on: Mapped[dt.date]
    # The last day of a training of several days (the 3-day leader training); None: one day.
    ends_on: Mapped[dt.date | None]
    hours: Mapped[float] = mapped_column(default=0)
    # None: open to several schools (a central leader training).
    school_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school.id", ondelete="RESTRICT"), index=True
    )
    trainer: Mapped[str] = mapped_column(sa.String(120), default="")
    # People present who are not registered leaders (the staff at a half-day, the leadership
    # at an anchoring meeting); registered leaders are counted through the participants.
    other_attendees: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    school: Mapped["School | None"] = relationship()  # noqa: F821
    participants: Mapped[list["TrainingParticipant"]] = relationship(
        back_populates="training", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(
            sa.column("kind").in_([k.value for k in TrainingKind]), name="kind_known"
        ),
        sa.CheckConstraint("hours >= 0 AND other_attendees >= 0", name="not_negative"),
    )

    @property
    def last_day(self) -> dt.date:
        return self.ends_on or self.starts_on

    @property
    def audit_label(self) -> str:
        """The kind in words, the day and where: "Personalhalvdag 2025-08-20, Hallsta skola"."""
        from mvp.mentors.labels import KIND_LABELS  # the labels module imports these models

        kind = KIND_LABELS.get(self.kind, self.kind)
        day = self.starts_on.isoformat() if self.starts_on else ""
        school = self.school
        if school is None and self.school_id is not None:
            # Set by id only: the relationship is not loaded while the log is written.
            from mvp.schools.models import School

            school = sa.orm.object_session(self).get(School, self.school_id)
        where = school.name if school is not None else _("central")
        return f"{kind} {day}, {where}"


class TrainingParticipant(Audited, Base):
    """A leader registered for a training, and whether they attended."""

    __tablename__ = "training_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    leader_id: Mapped[int] = mapped_column(
        sa.ForeignKey("leader.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(default=True)

    training: Mapped[Training] = relationship(back_populates="participants")
    leader: Mapped[Leader] = relationship(back_populates="participations")

    __table_args__ = (sa.UniqueConstraint("training_id", "leader_id"),)

    @property
    def audit_label(self) -> str:
        training = self.training.audit_label if self.training is not None else self.training_id
        leader = self.leader.name if self.leader is not None else self.leader_id
        return f"{leader}: {training}"
