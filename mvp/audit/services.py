"""Reading the audit log: filtered, newest first, a page at a time."""

import datetime as dt
import math
from dataclasses import dataclass, field

import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.extensions import db


@dataclass
class AuditFilter:
    """What the reader narrows the log to."""

    object_type: str | None = None
    actor: str | None = None
    action: str | None = None
    text: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Page:
    """One page of rows and where it stands among all pages."""

    items: list = field(default_factory=list)
    number: int = 1
    pages: int = 1
    total: int = 0


def _conditions(criteria: AuditFilter) -> list:
    conditions = []
    if criteria.object_type:
        conditions.append(AuditEvent.object_type == criteria.object_type)
    if criteria.actor:
        conditions.append(AuditEvent.actor_label == criteria.actor)
    if criteria.action:
        conditions.append(AuditEvent.action == criteria.action)
    if criteria.text:
        conditions.append(AuditEvent.object_label.ilike(f"%{criteria.text.strip()}%"))
    if criteria.date_from:
        start = dt.datetime.combine(criteria.date_from, dt.time.min, tzinfo=dt.UTC)
        conditions.append(AuditEvent.at >= start)
    if criteria.date_to:
        end = dt.datetime.combine(
            criteria.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC
        )
        conditions.append(AuditEvent.at < end)
    return conditions


def list_events(criteria: AuditFilter, page: int = 1, per_page: int = 50) -> Page:
    """The log entries matching `criteria`, newest first, in two queries."""
    conditions = _conditions(criteria)
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = db.session.scalars(
        sa.select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return Page(list(items), page, pages, total)


def actors() -> list[str]:
    """Everyone who appears in the log, for the filter."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent.actor_label).distinct().order_by(AuditEvent.actor_label)
        )
    )


def object_types() -> list[str]:
    """The kinds of object that appear in the log, for the filter."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
        )
    )


def history_of(object_type: str, object_id: int) -> list[AuditEvent]:
    """Every entry about one object, newest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
