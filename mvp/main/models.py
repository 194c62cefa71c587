"""AccessibilityReport: a problem with the service's accessibility, reported by anyone."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mvp.db import Base, TimestampMixin


class AccessibilityReport(TimestampMixin, Base):
    """A reported accessibility problem, for the administrators to handle."""

    __tablename__ = "accessibility_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(sa.Text)
    page: Mapped[str] = mapped_column(sa.String(500), default="")
    # Optional, and only for an answer; no IP address or other trace of the sender is kept.
    contact: Mapped[str] = mapped_column(sa.String(254), default="")
    handled: Mapped[bool] = mapped_column(default=False)
