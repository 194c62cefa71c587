"""Curriculum (lesson plan), its planned lessons, and Lesson: one held MVP lesson of a group."""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin


class Delivery(StrEnum):
    """Whether a lesson was delivered as the lesson plan says."""

    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


class Curriculum(Audited, TimestampMixin, VersionedMixin, Base):
    """A lesson plan such as "MVP högstadiet" (14 lessons), edited by project leads."""

    __tablename__ = "curriculum"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    lessons: Mapped[list["CurriculumLesson"]] = relationship(
        back_populates="curriculum",
        order_by="CurriculumLesson.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def audit_label(self) -> str:
        return self.name


class CurriculumLesson(Audited, Base):
    """One planned lesson of a lesson plan: its number and theme (our own short titles)."""

    __tablename__ = "curriculum_lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curriculum.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    theme: Mapped[str] = mapped_column(sa.String(200))

    curriculum: Mapped[Curriculum] = relationship(back_populates="lessons")

    __table_args__ = (
        sa.UniqueConstraint("curriculum_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.number}. {self.theme}"


lesson_leader = sa.Table(
    "lesson_leader",
    Base.metadata,
    sa.Column("lesson_id", sa.ForeignKey("lesson.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("leader_id", sa.ForeignKey("leader.id", ondelete="RESTRICT"), primary_key=True),
)


class Lesson(Audited, TimestampMixin, VersionedMixin, Base):
    """A lesson actually held with a pupil group: who led it, who came, and how it went."""

    __tablename__ = "lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("student_group.id", ondelete="RESTRICT"), index=True
    )
    # The lesson plan's lesson number (1–14 in "MVP högstadiet").
    number: Mapped[int]
    # A lesson held again (for pupils who missed it, or redone); does not count towards dose.
    is_repeat: Mapped[bool] = mapped_column(default=False)
    held_on: Mapped[dt.date] = mapped_column(index=True)
    minutes: Mapped[int] = mapped_column(default=60)
    girls_present: Mapped[int] = mapped_column(default=0)
    boys_present: Mapped[int] = mapped_column(default=0)
    others_present: Mapped[int] = mapped_column(default=0)
    half_groups: Mapped[bool] = mapped_column(default=False)
    single_sex: Mapped[bool] = mapped_column(default=False)
    delivered: Mapped[str] = mapped_column(sa.String(10), default=Delivery.FULLY)
    # Required when the lesson was delivered partly or not as planned.
    adaptation: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    group: Mapped["StudentGroup"] = relationship()  # noqa: F821
    leaders: Mapped[list["Leader"]] = relationship(  # noqa: F821
        secondary=lesson_leader, order_by="Leader.name"
    )

    __table_args__ = (
        sa.CheckConstraint(
            sa.column("delivered").in_([d.value for d in Delivery]), name="delivered_known"
        ),
        sa.CheckConstraint(
            "girls_present >= 0 AND boys_present >= 0 AND others_present >= 0 AND minutes >= 0",
            name="not_negative",
        ),
    )

    @property
    def present(self) -> int:
        return self.girls_present + self.boys_present + self.others_present

    @property
    def audit_label(self) -> str:
        """The group and school, lesson number and day: "8B, Hallsta skola: lesson 3 (…)"."""
        group = self.group
        return _(
            "%(group)s, %(school)s: lesson %(number)s (%(date)s)",
            group=group.name if group is not None else self.group_id,
            school=group.school.name if group is not None and group.school else "",
            number=self.number,
            date=self.held_on.isoformat() if self.held_on else "",
        )
