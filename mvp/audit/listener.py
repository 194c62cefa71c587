"""Writes an AuditEvent for every flushed create, update and delete of an Audited model.

It runs in the flush itself, on the same connection, so a rolled-back transaction
leaves no log entry and a committed change always has one.
"""

import datetime as dt
import decimal
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mvp.audit.actor import current_actor
from mvp.audit.mixin import Audited
from mvp.audit.models import AuditEvent
from mvp.db import utcnow

HIDDEN = "***"


def _plain(value):
    """A JSON-friendly version of a column value or related object."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, Audited):
        return value.audit_label
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


def _logged_keys(obj: Audited):
    mapper = sa.inspect(obj).mapper
    for prop in mapper.column_attrs:
        if prop.key not in obj.__audit_ignore__ and prop.key != "id":
            yield prop.key, False
    for rel in mapper.relationships:
        # Many-to-many links (a coordinator's schools) have no column of their own to log.
        if rel.secondary is not None and rel.key not in obj.__audit_ignore__:
            yield rel.key, True


def _changes(obj: Audited, action: str) -> dict:
    state = sa.inspect(obj)
    changes = {}
    for key, is_collection in _logged_keys(obj):
        history = state.attrs[key].history
        if is_collection:
            before = [*history.unchanged, *history.deleted]
            after = [*history.unchanged, *history.added]
            if action == "update" and not (history.added or history.deleted):
                continue
            old = sorted(_plain(o) for o in before) if action != "create" else None
            new = sorted(_plain(o) for o in after) if action != "delete" else None
        elif action == "create":
            old, new = None, _plain(state.dict.get(key))
            if new is None:
                continue
        elif action == "delete":
            old, new = _plain(state.dict.get(key)), None
        else:
            if not history.has_changes():
                continue
            old = _plain(history.deleted[0]) if history.deleted else None
            new = _plain(history.added[0]) if history.added else None
            if old == new:
                continue
        if key in obj.__audit_secret__:
            old, new = (HIDDEN if old is not None else None), HIDDEN
        changes[key] = [old, new]
    return changes


@sa.event.listens_for(Session, "after_flush")
def record_changes(session: Session, flush_context) -> None:
    """Collect the flushed changes of audited objects and insert their log rows."""
    actor = current_actor()
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=True):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": utcnow(),
                    "actor_id": actor.user_id,
                    "actor_label": actor.label,
                    "action": action,
                    "object_type": sa.inspect(obj).mapper.local_table.name,
                    # The identity key is set only after this hook; the primary key already is.
                    "object_id": sa.inspect(obj).mapper.primary_key_from_instance(obj)[0],
                    "object_label": obj.audit_label[:300],
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(sa.insert(AuditEvent), rows)
