"""Pairing a school's cohort: before-answers with after and follow-up answers, and where it runs.

Where pairing happens, and why. A pupil's answer only inserts its own rows (mvp.surveys.answers):
it neither locks nor re-pairs the cohort, because a whole class answers in the same minute and
pairing inside each of those requests made them wait for each other (on PostgreSQL: deadlocks,
HTTP 500, lost answers). Pairing is derived data, so it is brought up to date where it is read:
`ensure_paired()` is called by the wave list, the wave page and the evaluation before they read
ResponseLink. It compares each cohort's `signature` (waves, answers, highest answer id) with the
one stored in CohortPairing when the cohort was last paired and pairs only the cohorts that
changed, one short transaction each. Staff changes that remove or move answers (a corrected or
removed batch, a removed wave, a new phase, a group's new grade) pair at once, in their own
transaction, as before; `flask --app mvp surveys relink` pairs everything again.

Why this is the same as pairing answer by answer: `pair_cohort` is a pure function of the
cohort's waves and codes whose result does not depend on the order of the answers, so pairing
the cohort once after 300 answers gives exactly the pairs that pairing it after each answer
would leave behind (tests/surveys/test_concurrent_answers.py checks this under load).

Why it tolerates concurrency: two pairings of one cohort take the lock on its CohortPairing row
(created with INSERT … ON CONFLICT DO NOTHING, so two first readers do not collide) and the
second finds the signature current and does nothing. Pupils never take that lock. The
signature is computed from the very rows that were paired, so an answer committed while a
pairing ran makes the cohort stale again and it is paired at the next read. A deadlock with a
staff change (PostgreSQL aborts one side) is retried.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from mvp.extensions import db
from mvp.schools.models import StudentGroup
from mvp.surveys import linkage
from mvp.surveys.models import CohortPairing, Phase, Response, ResponseLink, Wave

LATER_PHASES = (Phase.AFTER.value, Phase.FOLLOW_UP.value)
RETRIES = 3

log = logging.getLogger(__name__)


def cohort_of(group: StudentGroup) -> int:
    """The pupils' starting year (school year − grade): the same as they move up a grade."""
    return group.school_year - group.grade


@dataclass
class CohortCodes:
    """The waves of one school's cohort and the linkage codes of their responses."""

    waves: list[tuple[int, int, str, dt.date]]  # wave id, group id, phase, first day
    codes: dict[int, dict[int, tuple]]  # wave id -> {response id: code}

    @property
    def signature(self) -> str:
        """What the cohort held: waves, answers and the highest answer id (see CohortPairing)."""
        ids = [rid for wave_codes in self.codes.values() for rid in wave_codes]
        return f"{len(self.waves)}:{len(ids)}:{max(ids, default=0)}"


def cohort_codes(school_id: int, cohort: int) -> CohortCodes:
    """A cohort's waves and codes (two queries)."""
    statement = (
        sa.select(Wave.id, Wave.group_id, Wave.phase, Wave.opens_on)
        .join(Wave.group)
        .where(
            StudentGroup.school_id == school_id,
            StudentGroup.school_year - StudentGroup.grade == cohort,
        )
        .order_by(Wave.id)
    )
    waves = [tuple(row) for row in db.session.execute(statement)]
    codes: dict[int, dict[int, tuple]] = {wave[0]: {} for wave in waves}
    if waves:
        rows = db.session.execute(
            sa.select(Response.wave_id, Response.id, Response.link_code)
            .where(Response.wave_id.in_(list(codes)))
            .order_by(Response.id)
        )
        for wave_id, response_id, code in rows:
            codes[wave_id][response_id] = tuple(code or ())
    return CohortCodes(waves, codes)


def pair_cohort(cohort: CohortCodes) -> dict[str, linkage.Pairing]:
    """Pair a cohort's before-answers with each later phase, in three steps.

    1. Within each group that has both waves: exact, else one element differs.
    2. Reorganised groups: before-waves whose group has no wave of the later phase, and later
       waves whose group has no before-wave, pooled across the school's groups of the same
       cohort: exact, else one element differs.
    3. Pupils who changed group: whatever is still unpaired in the cohort, exact codes only
       (in a wide pool a near match is too likely to be another pupil).
    Across groups a before-answer pairs only with a later wave that opened no earlier.
    """
    phases_of_group: dict[int, set[str]] = defaultdict(set)
    opened, group_of = {}, {}
    for wave_id, group_id, phase, opens_on in cohort.waves:
        phases_of_group[group_id].add(phase)
        opened[wave_id] = opens_on
        group_of[wave_id] = group_id
    results = {}
    for later_phase in LATER_PHASES:
        result = linkage.Pairing()
        for wave_id, group_id, phase, _opens in cohort.waves:
            if phase != later_phase or Phase.BEFORE.value not in phases_of_group[group_id]:
                continue
            before_wave = next(
                w[0] for w in cohort.waves if w[1] == group_id and w[2] == Phase.BEFORE.value
            )
            result.merge(linkage.pair(cohort.codes[before_wave], cohort.codes[wave_id]))

        def orphan(wave_id: int, phase: str, later_phase=later_phase) -> bool:
            wanted = later_phase if phase == Phase.BEFORE.value else Phase.BEFORE.value
            return wanted not in phases_of_group[group_of[wave_id]]

        for only_orphans in (True, False):
            done = result.paired_ids | result.left_out
            befores, laters, wave_of = {}, {}, {}
            for wave_id, _group_id, phase, _opens in cohort.waves:
                if phase not in (Phase.BEFORE.value, later_phase):
                    continue
                if only_orphans and not orphan(wave_id, phase):
                    continue
                target = befores if phase == Phase.BEFORE.value else laters
                for rid, code in cohort.codes[wave_id].items():
                    if rid not in done:
                        target[rid] = code
                        wave_of[rid] = wave_id
            if befores and laters:
                wider = linkage.pair(befores, laters, one_differs=only_orphans)
                wider.pairs = [
                    (b, later, quality)
                    for b, later, quality in wider.pairs
                    if opened[wave_of[b]] <= opened[wave_of[later]]
                ]
                if not only_orphans:
                    # Only pairs count here; the near misses of a wide pool say nothing new.
                    wider = linkage.Pairing(pairs=wider.pairs)
                result.merge(wider)
        results[later_phase] = result
    return results


def lock_cohort(school_id: int, cohort: int) -> CohortPairing:
    """Take the cohort's pairing lock (its CohortPairing row, made if missing) until commit.

    Only pairing takes it, never a pupil's answer. Staff changes that remove answers take it
    before they delete, so a pairing running beside them finishes first instead of waiting
    for their deleted rows while they wait for its lock.
    """
    values = {"school_id": school_id, "cohort": cohort, "signature": ""}
    dialect = db.session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        db.session.execute(insert(CohortPairing).values(values).on_conflict_do_nothing())
    elif db.session.get(CohortPairing, (school_id, cohort)) is None:
        db.session.execute(sa.insert(CohortPairing).values(values))
    return db.session.scalars(
        sa.select(CohortPairing)
        .where(CohortPairing.school_id == school_id, CohortPairing.cohort == cohort)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def relink_cohort(school_id: int, cohort: int) -> dict[str, linkage.Pairing]:
    """Compute the pairs of one school's cohort again and store them (replacing the old), in
    the caller's transaction, noting what they were made from."""
    marker = lock_cohort(school_id, cohort)
    codes = cohort_codes(school_id, cohort)
    response_ids = [rid for wave_codes in codes.codes.values() for rid in wave_codes]
    if response_ids:
        db.session.execute(
            sa.delete(ResponseLink).where(
                sa.or_(
                    ResponseLink.before_id.in_(response_ids),
                    ResponseLink.later_id.in_(response_ids),
                )
            )
        )
    results = pair_cohort(codes)
    rows = [
        {"before_id": b, "later_id": later, "later_phase": phase, "quality": quality}
        for phase, result in results.items()
        for b, later, quality in result.pairs
    ]
    if rows:
        db.session.execute(sa.insert(ResponseLink), rows)
    marker.signature = codes.signature
    db.session.flush()
    return results


def relink_all() -> int:
    """Pair every cohort again (after a bulk change); returns the number of pairs."""
    cohorts = db.session.execute(
        sa.select(StudentGroup.school_id, StudentGroup.school_year - StudentGroup.grade)
        .join(Wave, Wave.group_id == StudentGroup.id)
        .distinct()
        .order_by(StudentGroup.school_id, StudentGroup.school_year - StudentGroup.grade)
    ).all()
    return sum(
        len(result.pairs)
        for school_id, cohort in cohorts
        for result in relink_cohort(school_id, cohort).values()
    )


# --- bringing pairs up to date where they are read -------------------------------------------


def stale_cohorts(
    school_ids=None, cohorts: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The (school, cohort) pairs whose answers or waves changed since they were last paired.

    One query, whatever the number of answers: each cohort's signature, next to the stored one.
    `school_ids` None means every school; `cohorts` narrows to those cohorts.
    """
    cohort = (StudentGroup.school_year - StudentGroup.grade).label("cohort")
    current = (
        sa.select(
            StudentGroup.school_id.label("school_id"),
            cohort,
            sa.func.count(sa.distinct(Wave.id)).label("waves"),
            sa.func.count(Response.id).label("responses"),
            sa.func.coalesce(sa.func.max(Response.id), 0).label("highest"),
        )
        .join(Wave, Wave.group_id == StudentGroup.id)
        .outerjoin(Response, Response.wave_id == Wave.id)
        .group_by(StudentGroup.school_id, cohort)
    )
    if school_ids is not None:
        current = current.where(StudentGroup.school_id.in_(list(school_ids)))
    if cohorts is not None:
        current = current.where(
            sa.tuple_(StudentGroup.school_id, StudentGroup.school_year - StudentGroup.grade).in_(
                cohorts
            )
        )
    current = current.subquery()
    rows = db.session.execute(
        sa.select(
            current.c.school_id,
            current.c.cohort,
            current.c.waves,
            current.c.responses,
            current.c.highest,
            CohortPairing.signature,
        )
        .outerjoin(
            CohortPairing,
            sa.and_(
                CohortPairing.school_id == current.c.school_id,
                CohortPairing.cohort == current.c.cohort,
            ),
        )
        .order_by(current.c.school_id, current.c.cohort)
    )
    return [
        (school_id, cohort)
        for school_id, cohort, waves, responses, highest, signature in rows
        # Without answers there is nothing to pair (their pairs went with them).
        if responses and signature != f"{waves}:{responses}:{highest}"
    ]


def ensure_paired(school_ids=None, cohorts: list[tuple[int, int]] | None = None) -> int:
    """Pair the cohorts (of these schools; None = all) whose answers changed since their last
    pairing; returns how many were paired. Call it before reading ResponseLink.

    Each stale cohort is paired and committed on its own (short transactions, locks taken in
    one order); call it where nothing of the caller's is waiting to be committed, as the
    views that read do. When everything is current it costs one query and writes nothing.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        # The caller has changes of its own waiting: pairing commits, so leave it to the
        # next read rather than commit them half-way.
        return 0
    stale = stale_cohorts(school_ids, cohorts)
    for school_id, cohort in stale:
        _pair_committed(school_id, cohort)
    return len(stale)


def _pair_committed(school_id: int, cohort: int) -> None:
    for attempt in range(1, RETRIES + 1):
        try:
            lock_cohort(school_id, cohort)
            # Another reader may have paired it while this one waited for the lock.
            if stale_cohorts([school_id], [(school_id, cohort)]):
                relink_cohort(school_id, cohort)
            db.session.commit()
            return
        except sa.exc.OperationalError:
            # A deadlock or serialization failure with a staff change: the other side won,
            # so read again and pair what it left.
            db.session.rollback()
            if attempt == RETRIES:
                # The pupils' answers are safe; the pairs are made at the next read.
                log.warning("pairing school %s cohort %s failed", school_id, cohort)
                return
