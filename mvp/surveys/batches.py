"""Batches of paper and imported answers: stored all together, corrected, removed; the
cohort is paired again in the same transaction (a staff change, not a pupil's request)."""

import datetime as dt

import sqlalchemy as sa

from mvp.auth.permissions import get_in_scope_or_404
from mvp.db import count_as_edit
from mvp.extensions import db
from mvp.schools.models import StudentGroup
from mvp.surveys.answers import ResponseData, store_responses
from mvp.surveys.models import ImportBatch, Response, Wave
from mvp.surveys.pairing import cohort_of, lock_cohort, relink_cohort


def add_batch(
    wave: Wave,
    rows: list[ResponseData],
    *,
    source: str,
    answered_on: dt.date,
    user=None,
    filename: str = "",
    file_sha256: str | None = None,
) -> ImportBatch:
    """Store a typed-in or imported batch of responses all together, then pair again."""
    batch = ImportBatch(
        wave_id=wave.id,
        source=source,
        file_sha256=file_sha256,
        filename=filename[:255],
        rows=len(rows),
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(batch)
    db.session.flush()
    store_responses(wave, rows, source=source, answered_on=answered_on, batch=batch)
    relink_cohort(wave.group.school_id, cohort_of(wave.group))
    return batch


def replace_batch(batch: ImportBatch, rows: list[ResponseData], answered_on: dt.date) -> None:
    """Replace a paper batch's responses by corrected ones, then pair again."""
    wave = db.session.get(Wave, batch.wave_id)
    # The pairing lock first: a pairing running now finishes before these rows go.
    lock_cohort(wave.group.school_id, cohort_of(wave.group))
    batch.rows = len(rows)
    # A correction is an edit of the batch: its row is written (and its version raised) even
    # when the count stays, and first, so a correction saved meanwhile by someone else stops
    # this one (StaleDataError) before any of its questionnaires go.
    count_as_edit(batch)
    db.session.flush()
    db.session.execute(sa.delete(Response).where(Response.batch_id == batch.id))
    store_responses(wave, rows, source=batch.source, answered_on=answered_on, batch=batch)
    relink_cohort(wave.group.school_id, cohort_of(wave.group))


def delete_batch(batch: ImportBatch) -> None:
    """Remove a batch and its responses, then pair again."""
    wave = db.session.get(Wave, batch.wave_id)
    # The pairing lock first: a pairing running now finishes before these rows go.
    lock_cohort(wave.group.school_id, cohort_of(wave.group))
    db.session.execute(sa.delete(Response).where(Response.batch_id == batch.id))
    db.session.delete(batch)
    db.session.flush()
    relink_cohort(wave.group.school_id, cohort_of(wave.group))


def batch_responses(batch: ImportBatch) -> list[Response]:
    """A batch's responses with their answers, in the order they were entered."""
    return list(
        db.session.scalars(
            sa.select(Response)
            .where(Response.batch_id == batch.id)
            .options(sa.orm.selectinload(Response.answers))
            .order_by(Response.id)
        )
    )


def get_batch(user, batch_id: int) -> ImportBatch:
    """One batch within the user's scope, else 404."""
    statement = (
        sa.select(ImportBatch)
        .join(Wave, Wave.id == ImportBatch.wave_id)
        .join(Wave.group)
        .where(ImportBatch.id == batch_id)
    )
    return get_in_scope_or_404(statement, user, StudentGroup.school_id)


def list_batches(wave: Wave) -> list[ImportBatch]:
    """A wave's paper and import batches, newest first."""
    return list(
        db.session.scalars(
            sa.select(ImportBatch)
            .where(ImportBatch.wave_id == wave.id)
            .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        )
    )


def batch_with_file(file_sha256: str) -> ImportBatch | None:
    """An earlier import of the same file content, in any wave."""
    return db.session.scalars(
        sa.select(ImportBatch).where(ImportBatch.file_sha256 == file_sha256)
    ).first()
