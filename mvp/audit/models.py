"""AuditEvent: one created, changed or deleted object, by whom and when."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from mvp.db import Base, utcnow


class AuditEvent(Base):
    """One created, changed or deleted object: who, when, and each field's old and new value."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    # SET NULL: the log outlives accounts; actor_label keeps who it was.
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(20))
    object_type: Mapped[str] = mapped_column(sa.String(50), index=True)
    object_id: Mapped[int | None]
    object_label: Mapped[str] = mapped_column(sa.String(300), default="")
    # {field: [old, new]}; secret fields appear with both values hidden.
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
