"""Each school's place on the way to MVP: its stage, target term and who is responsible."""

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin


class Stage(StrEnum):
    """A school's rollout stage, in the order schools normally pass them."""

    NOT_STARTED = "not_started"
    ANCHORING = "anchoring"
    PREPARING = "preparing"
    FIRST_ROUND = "first_round"
    ESTABLISHED = "established"
    PAUSED = "paused"


class Term(StrEnum):
    """Hösttermin (autumn) and vårtermin (spring)."""

    AUTUMN = "HT"
    SPRING = "VT"


class SchoolRollout(Audited, TimestampMixin, VersionedMixin, Base):
    """One school's rollout: its current stage, the term it should start, who is responsible."""

    __tablename__ = "school_rollout"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school.id", ondelete="CASCADE"), unique=True
    )
    stage: Mapped[str] = mapped_column(sa.String(20), default=Stage.NOT_STARTED)
    stage_since: Mapped[dt.date]
    # The school year (its first calendar year) and term in which the first round starts.
    target_year: Mapped[int | None]
    target_term: Mapped[str | None] = mapped_column(sa.String(2))
    responsible: Mapped[str] = mapped_column(sa.String(120), default="")

    school: Mapped["School"] = relationship()  # noqa: F821
    changes: Mapped[list["StageChange"]] = relationship(
        back_populates="rollout", order_by="StageChange.changed_on", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(sa.column("stage").in_([s.value for s in Stage]), name="stage_known"),
    )

    @property
    def audit_label(self) -> str:
        # The school is always set when a rollout is created (see mvp.rollout.services).
        return self.school.name if self.school is not None else f"school {self.school_id}"


class StageChange(Audited, TimestampMixin, Base):
    """A dated move from one stage to another, with the lead's reason where items were missing.

    Audited too, so that the reason written for a move stands in the audit log beside it.
    """

    __tablename__ = "stage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    rollout_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_rollout.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(sa.String(20))
    to_stage: Mapped[str] = mapped_column(sa.String(20))
    changed_on: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Readiness items that were missing when the move was made (kept for the record).
    missing: Mapped[list] = mapped_column(sa.JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    rollout: Mapped[SchoolRollout] = relationship(back_populates="changes")

    @property
    def audit_label(self) -> str:
        from mvp.rollout.stages import STAGE_LABELS  # the labels module imports these models

        school = self.rollout.audit_label if self.rollout is not None else ""
        before = STAGE_LABELS.get(self.from_stage, self.from_stage) if self.from_stage else "–"
        return f"{school}: {before} → {STAGE_LABELS.get(self.to_stage, self.to_stage)}"
