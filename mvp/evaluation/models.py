"""ReportText: the project lead's own words in the evaluation report, one set per school year."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mvp.audit.mixin import Audited
from mvp.db import Base, TimestampMixin, VersionedMixin, utcnow


class ReportText(Audited, TimestampMixin, VersionedMixin, Base):
    """Lessons learned and next steps for one school year, written by a project lead."""

    __tablename__ = "report_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The school year the texts are about (its first calendar year: 2025 = 2025/26).
    school_year: Mapped[int] = mapped_column(unique=True)
    lessons_learned: Mapped[str] = mapped_column(sa.Text, default="")
    next_steps: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def audit_label(self) -> str:
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"
