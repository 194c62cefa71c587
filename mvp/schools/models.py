"""School and StudentGroup: where MVP is delivered, and to which groups of pupils."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin
from mvp.schools.grades import SchoolKind, grades_of


class School(Audited, TimestampMixin, VersionedMixin, Base):
    """A school of the municipality, whether or not it runs MVP yet."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    principal_name: Mapped[str] = mapped_column(sa.String(120), default="")
    principal_email: Mapped[str] = mapped_column(sa.String(254), default="")
    # {"7": 112, "8": 108}: pupils per grade (0 = F, 10–12 = gymnasiet), replaced whole on edit.
    pupils_by_grade: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)

    groups: Mapped[list["StudentGroup"]] = relationship(
        back_populates="school", order_by="StudentGroup.name", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("kind").in_([k.value for k in SchoolKind]), name="kind_known"),
    )

    def pupils_in(self, grade: int) -> int:
        """Pupils in one grade (0 when not given)."""
        return int((self.pupils_by_grade or {}).get(str(grade), 0))

    @property
    def total_pupils(self) -> int:
        return sum(int(n) for n in (self.pupils_by_grade or {}).values())

    @property
    def grades(self) -> tuple[int, ...]:
        return grades_of(self.kind)

    @property
    def audit_label(self) -> str:
        return self.name


class StudentGroup(Audited, TimestampMixin, VersionedMixin, Base):
    """A class or other group of pupils taking MVP in one school year; counts only, no names."""

    __tablename__ = "student_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="RESTRICT"), index=True
    )
    school_year: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    grade: Mapped[int]
    girls: Mapped[int] = mapped_column(default=0)
    boys: Mapped[int] = mapped_column(default=0)
    # Pupils who are neither registered as girls nor boys, or whose sex is not known.
    others: Mapped[int] = mapped_column(default=0)
    # The lesson plan the group follows and its leader pair (see mvp.lessons, mvp.mentors).
    curriculum_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("curriculum.id", ondelete="RESTRICT"), index=True
    )
    leader_1_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("leader.id", ondelete="SET NULL"), index=True
    )
    leader_2_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("leader.id", ondelete="SET NULL"), index=True
    )

    school: Mapped[School] = relationship(back_populates="groups")
    curriculum: Mapped["Curriculum | None"] = relationship()  # noqa: F821
    leader_1: Mapped["Leader | None"] = relationship(foreign_keys=[leader_1_id])  # noqa: F821
    leader_2: Mapped["Leader | None"] = relationship(foreign_keys=[leader_2_id])  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("school_id", "school_year", "name"),
        sa.CheckConstraint("girls >= 0 AND boys >= 0 AND others >= 0", name="counts_not_negative"),
        sa.CheckConstraint("grade >= 0 AND grade <= 12", name="grade_range"),
    )

    @property
    def size(self) -> int:
        return self.girls + self.boys + self.others

    @property
    def leader_pair(self) -> list:
        """The group's leaders (0, 1 or 2 of them)."""
        return [leader for leader in (self.leader_1, self.leader_2) if leader is not None]

    @property
    def audit_label(self) -> str:
        return f"{self.name} ({self.school_year}/{(self.school_year + 1) % 100:02d})"
