"""The declarative base with a constraint naming convention, and shared columns and mixins."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.orm.attributes import flag_modified

# Named constraints let Alembic's batch mode on SQLite alter and drop them reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    """Return the current time in UTC (a callable default, evaluated per row)."""
    return dt.datetime.now(dt.UTC)


class TimestampMixin:
    """When a row was created (administrative records only, never pupils' answers)."""

    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class VersionedMixin:
    """A row whose edits are counted, so that a save based on an old copy is refused.

    SQLAlchemy's version counter: every UPDATE sets ``version = version + 1`` and requires the
    version read (else StaleDataError), and edit forms carry it (mvp.versioning), so a second
    person saving a form opened before the first one's save never silently undoes it.
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


def count_as_edit(record: VersionedMixin) -> None:
    """Count a change made in rows under the record (a training's participants) as its edit."""
    flag_modified(record, "created_at")


@sa.event.listens_for(Session, "before_flush")
def _count_collection_edits(session: Session, flush_context, instances) -> None:
    """A change of only a many-to-many collection (a lesson's leaders) counts as an edit too.

    SQLAlchemy updates the row, and so its version, only when a column changes; marking the
    creation time as touched makes it write the row (with the same value) and count it. Only
    many-to-many links count: rows added under a record (a pupil's answer to a wave) must never
    write the record's row, or concurrent answers would wait on each other and collide.
    """
    for obj in session.dirty:
        if not isinstance(obj, VersionedMixin) or session.is_modified(
            obj, include_collections=False
        ):
            continue
        state = sa.inspect(obj)
        if "created_at" in state.mapper.column_attrs and any(
            rel.secondary is not None and state.attrs[rel.key].history.has_changes()
            for rel in state.mapper.relationships
        ):
            count_as_edit(obj)
