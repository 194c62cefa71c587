"""The data version: raised in the same transaction as every write to the evaluation's data.

A cached evaluation is keyed by this version (mvp.dashboard.cache), so the next view after
any change, by any app server, builds afresh. The rule is written once, here, as session
events, rather than in each service: a flush with new, changed or deleted rows of a table
the evaluation may read marks the session, and so does a bulk INSERT/UPDATE/DELETE run
through the session (imports, paper batches, synthetic data); the commit then raises the
counter before it ends. The UPDATE comes last in the transaction, so the row lock (on
PostgreSQL) is held only while committing and always taken after every other lock.
"""

import time
from itertools import chain

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mvp.dashboard.models import ROW_ID, DataVersion
from mvp.extensions import db

# Tables no figure of the evaluation depends on: accounts (a coordinator's schools are
# resolved into the cache key instead), the audit log, accessibility reports and the
# counter itself. Every other table counts, so a new area's tables are covered by default.
IGNORED_TABLES = frozenset(
    {"user", "user_school", "audit_event", "accessibility_report", "data_version"}
    # The equality goals (mvp.goals) read the evaluation's figures but never feed them.
    | {"goal", "goal_owner", "indicator", "kolada_kpi", "kolada_value", "typed_value"}
    | {"deviation"}
)

_CHANGED = "mvp_data_changed"
# The version read in the current transaction (a request reads it once, however many parts
# of a page ask); forgotten when the transaction ends.
_READ = "mvp_data_version"


def counts(table_name: str) -> bool:
    """Whether a write to this table may change a figure of the evaluation."""
    return table_name not in IGNORED_TABLES


def _table_of(obj) -> str:
    return sa.inspect(obj).mapper.local_table.name


@sa.event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, flush_context) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in chain(session.new, session.deleted):
        if counts(_table_of(obj)):
            session.info[_CHANGED] = True
            return
    for obj in session.dirty:
        if counts(_table_of(obj)) and session.is_modified(obj, include_collections=True):
            session.info[_CHANGED] = True
            return


@sa.event.listens_for(Session, "do_orm_execute")
def _note_bulk_writes(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or counts(getattr(table, "name", "")):
        state.session.info[_CHANGED] = True


@sa.event.listens_for(Session, "before_commit")
def _raise_version(session: Session) -> None:
    # A savepoint's commit is not the end: the outer transaction raises the version once.
    if session.in_nested_transaction():
        return
    session.flush()
    session.info.pop(_READ, None)
    if session.info.pop(_CHANGED, False):
        table = DataVersion.__table__
        raised = session.connection().execute(
            sa.update(table).where(table.c.id == ROW_ID).values(version=table.c.version + 1)
        )
        if raised.rowcount == 0:
            # The row was deleted by hand: start again above any count it can have reached
            # (milliseconds since 1970), so no older cached entry is taken for new data.
            fresh = int(time.time() * 1000)
            session.connection().execute(sa.insert(table).values(id=ROW_ID, version=fresh))


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_changes(session: Session, transaction) -> None:
    # A rolled-back transaction changed nothing; only the outermost one ends the mark.
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_READ, None)


def current_version() -> int:
    """The committed data version this transaction sees (one small query per transaction)."""
    info = db.session.info
    if _READ not in info:
        table = DataVersion.__table__
        value = db.session.execute(
            sa.select(table.c.version).where(table.c.id == ROW_ID)
        ).scalar_one_or_none()
        info[_READ] = int(value or 0)
    return info[_READ]
