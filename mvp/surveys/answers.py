"""Answers coming in: one online answer (with a wave's shared code and the form's single-use
token, or with a person's single-use code), and the rows stored for every source.

Every way a response comes in (online, paper, import, demo) goes through store_responses(),
which computes its scale scores at once. A pupil's online answer inserts its own rows and
nothing cohort-wide (no lock, no pairing): see mvp.surveys.pairing for where pairs are made.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.surveys import linkage, scoring, single_use
from mvp.surveys.coding import Coded
from mvp.surveys.models import (
    Answer,
    ImportBatch,
    Item,
    Response,
    ResponseKind,
    ScaleScore,
    Source,
    Wave,
)
from mvp.surveys.populations import spec_of
from mvp.surveys.waves import local_today, wave_status
from mvp.validation import Invalid

# --- responses -----------------------------------------------------------------------------


@dataclass
class ResponseData:
    """One pupil's answers as entered, before they are stored."""

    sex: str
    grade: int | None
    answers: dict[int, Coded] = field(default_factory=dict)  # item id -> answer
    link: dict[str, str | None] = field(default_factory=dict)  # question key -> code
    # Already hashed elements kept from a stored response (paper corrections), by position.
    kept_hashes: list[str | None] | None = None


@dataclass
class _Scorer:
    """An instrument's scales, ready to score responses."""

    scales: dict[int, list[scoring.ScaleItem]]

    @classmethod
    def of(cls, items: list[Item]) -> "_Scorer":
        scales: dict[int, list[scoring.ScaleItem]] = defaultdict(list)
        for item in items:
            if item.scale_id is not None and item.kind != ResponseKind.CHOICE:
                scales[item.scale_id].append(scoring.ScaleItem(item.id, item.kind, item.reverse))
        return cls(dict(scales))

    def rows(self, response_id: int, answers: dict[int, Coded]) -> list[dict]:
        given = {item_id: (a.value, a.dont_know) for item_id, a in answers.items()}
        rows = []
        for scale_id, items in self.scales.items():
            result = scoring.score(items, given)
            rows.append(
                {
                    "response_id": response_id,
                    "scale_id": scale_id,
                    "mean": result.mean,
                    "index": result.index,
                    "answered": result.answered,
                    "valid": result.valid,
                }
            )
        return rows


def instrument_items(instrument_id: int) -> list[Item]:
    """An instrument's items in order."""
    return list(
        db.session.scalars(
            sa.select(Item).where(Item.instrument_id == instrument_id).order_by(Item.position)
        )
    )


def _link_code(data: ResponseData, key: bytes) -> list[str | None]:
    fresh = linkage.hash_code(data.link, key)
    if data.kept_hashes is None:
        return fresh
    kept = list(data.kept_hashes) + [None] * (len(fresh) - len(data.kept_hashes))
    return [new if new is not None else old for new, old in zip(fresh, kept, strict=False)]


def store_responses(
    wave: Wave,
    rows: list[ResponseData],
    *,
    source: str,
    answered_on: dt.date,
    batch: ImportBatch | None = None,
    form_nonce: str | None = None,
    items=None,
) -> list[int]:
    """Insert responses with their answers and scale scores (bulk, in the caller's transaction);
    returns the new responses' ids, in the order of `rows`.

    Does not pair them: staff batches call relink_cohort() once the whole batch is in; a
    pupil's answer is paired where pairs are read (mvp.surveys.pairing.ensure_paired).
    `items`: the instrument's questions when the caller has them already (the answering
    pages keep them, mvp.surveys.kept_questions), else they are read here.
    """
    if not rows:
        return []
    key = linkage.linkage_key()
    # Only a population that pairs its answers keeps a linkage code (pupils); others none.
    pairs = spec_of(wave.population).pairs
    # One INSERT ... RETURNING (the ORM's unit of work cost a pupil's send more than all
    # its other statements together); the session's events still raise the data version.
    ids = list(
        db.session.scalars(
            sa.insert(Response).returning(Response.id, sort_by_parameter_order=True),
            [
                {
                    "wave_id": wave.id,
                    "answered_on": answered_on,
                    "source": source,
                    "sex": row.sex,
                    "grade": row.grade,
                    "link_code": _link_code(row, key) if pairs else [],
                    "batch_id": batch.id if batch is not None else None,
                    "form_nonce": form_nonce,
                }
                for row in rows
            ],
        )
    )
    scorer = _Scorer.of(items if items is not None else instrument_items(wave.instrument_id))
    answer_rows, score_rows = [], []
    for response_id, row in zip(ids, rows, strict=True):
        for item_id, answer in row.answers.items():
            answer_rows.append(
                {
                    "response_id": response_id,
                    "item_id": item_id,
                    "value": answer.value,
                    "dont_know": answer.dont_know,
                }
            )
        score_rows += scorer.rows(response_id, row.answers)
    if answer_rows:
        # NULL written as such: the ORM would otherwise split the rows into one INSERT per
        # run of answered / "don't know" rows (a dozen statements for one pupil).
        db.session.execute(sa.insert(Answer).execution_options(render_nulls=True), answer_rows)
    if score_rows:
        db.session.execute(sa.insert(ScaleScore), score_rows)
    return ids


class AlreadySubmitted(Exception):
    """This form (or this browser) has already sent its answers to the wave."""


class NotOpen(Exception):
    """The wave is not open today; `status` says whether it is upcoming or closed."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def submit_online(wave: Wave, data: ResponseData, form_nonce: str, *, items=None) -> int:
    """Store one pupil's online answers, dated today only: the response, its answers, scale
    scores and hashed code, and nothing cohort-wide (pairs are made where they are read).

    Raises NotOpen outside the wave's dates and AlreadySubmitted when the form's single-use
    token was used (also when two submissions race: the unique token decides).
    """
    status = wave_status(wave)
    if status != "open":
        raise NotOpen(status)
    if db.session.scalar(sa.select(Response.id).where(Response.form_nonce == form_nonce)):
        raise AlreadySubmitted()
    try:
        with db.session.begin_nested():
            (response_id,) = store_responses(
                wave,
                [data],
                source=Source.ONLINE.value,
                answered_on=local_today(),
                form_nonce=form_nonce,
                items=items,
            )
    except sa.exc.IntegrityError as error:
        raise AlreadySubmitted() from error
    return response_id


class CodeNotUsable(Exception):
    """A single-use code that is unknown, void or already used (also: used a moment ago)."""


def submit_with_code(wave: Wave, data: ResponseData, code: str, *, items=None) -> int:
    """Store one person's answers given with a single-use code, dated today only.

    The code is marked used and the answer inserted in the same transaction (the caller
    commits): if the code was already used — also by a request racing this one — nothing is
    stored and CodeNotUsable is raised. The response keeps no trace of the code.
    Raises NotOpen outside the wave's dates.
    """
    status = wave_status(wave)
    if status != "open":
        raise NotOpen(status)
    if not single_use.redeem(wave, code):
        raise CodeNotUsable()
    (response_id,) = store_responses(
        wave, [data], source=Source.ONLINE.value, answered_on=local_today(), items=items
    )
    return response_id


def default_answer_date(wave: Wave) -> dt.date:
    """The date given to paper and imported answers unless told: today, within the wave."""
    today = local_today()
    return max(min(today, wave.closes_on), min(wave.opens_on, today))


def check_answer_date(answered_on: dt.date | None) -> None:
    """Raise Invalid for a missing date or one in the future."""
    if answered_on is None:
        raise Invalid({"answered_on": _("Enter the date the pupils answered, e.g. 2026-09-14.")})
    if answered_on > local_today():
        raise Invalid({"answered_on": _("The date cannot be in the future.")})


def count_responses(wave: Wave) -> int:
    """How many responses a wave has."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.wave_id == wave.id)
    )


def check_group_size(wave: Wave, adding: int, removing: int = 0) -> str | None:
    """A message when the wave would get more answers than the group has pupils."""
    total = count_responses(wave) - removing + adding
    if total > wave.group.size:
        return _(
            "The wave would have %(total)d answers but group %(group)s has %(size)d pupils. "
            "Check the rows, or correct the group's number of pupils first.",
            total=total,
            group=wave.group.name,
            size=wave.group.size,
        )
    return None
