"""Waves, responses and their linkage: reads within a user's scope and the changes users make.

Every way a response comes in (online, paper, import, demo) goes through store_responses(),
which computes its scale scores at once; after a change the cohort's pairs are computed again
(relink), so ResponseLink and ScaleScore are always current and the evaluation only reads them.
"""

import datetime as dt
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.auth.permissions import get_in_scope_or_404, school_filter
from mvp.extensions import db
from mvp.schools.models import School, StudentGroup
from mvp.surveys import linkage, scoring
from mvp.surveys.coding import Coded
from mvp.surveys.labels import a_wave, the_wave
from mvp.surveys.models import (
    Answer,
    ImportBatch,
    Instrument,
    Item,
    LinkQuality,
    Phase,
    Response,
    ResponseKind,
    ResponseLink,
    ScaleScore,
    Source,
    Wave,
)
from mvp.validation import Invalid

# Access codes: no look-alikes (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V).
CODE_ALPHABET = "ACEFGHJKMNPRTWXY34679"
CODE_LENGTH = 6
LATER_PHASES = (Phase.AFTER.value, Phase.FOLLOW_UP.value)


def local_today() -> dt.date:
    """Today in the municipality's time zone (answers carry this date, never a time)."""
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def wave_status(wave: Wave, today: dt.date | None = None) -> str:
    """'upcoming', 'open' or 'closed' on the given day (default today)."""
    today = today or local_today()
    if today < wave.opens_on:
        return "upcoming"
    if today > wave.closes_on:
        return "closed"
    return "open"


def normalise_code(text: str | None) -> str:
    """A typed access code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def new_code(rng=None) -> str:
    """A random access code that no wave has yet (`rng`: a seeded source, for the demo)."""
    choose = (rng or secrets.SystemRandom()).choice
    while True:
        code = "".join(choose(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(Wave.id).where(Wave.code == code)) is None:
            return code


def cohort_of(group: StudentGroup) -> int:
    """The pupils' starting year (school year − grade): the same as they move up a grade."""
    return group.school_year - group.grade


# --- reads ---------------------------------------------------------------------------------


# Waves of a group in the order they are answered.
_PHASE_ORDER = sa.case({p.value: n for n, p in enumerate(Phase)}, value=Wave.phase)


def _scoped_waves(user) -> sa.Select:
    return (
        sa.select(Wave)
        .join(Wave.group)
        .join(StudentGroup.school)
        .options(
            sa.orm.contains_eager(Wave.group).contains_eager(StudentGroup.school),
            sa.orm.joinedload(Wave.instrument),
        )
        .where(school_filter(user, StudentGroup.school_id))
    )


def get_wave(user, wave_id: int) -> Wave:
    """One wave within the user's scope (with group, school and instrument), else 404."""
    statement = _scoped_waves(user).where(Wave.id == wave_id)
    return get_in_scope_or_404(statement, user, StudentGroup.school_id)


def find_wave(code: str) -> Wave | None:
    """The wave with this access code (typed any way), or None."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalars(
        sa.select(Wave)
        .where(Wave.code == code)
        .options(
            sa.orm.joinedload(Wave.group).joinedload(StudentGroup.school),
            sa.orm.joinedload(Wave.instrument),
        )
    ).first()


@dataclass
class WaveRow:
    """A wave in a list, with its answers and linked answers counted."""

    wave: Wave
    responses: int
    linked: int
    status: str
    # Whether the group has a wave to link with (before: a later one; later: a before one).
    has_partner: bool = True

    @property
    def rate(self) -> float | None:
        if not self.responses or not (self.has_partner or self.linked):
            return None
        return self.linked / self.responses


def list_waves(
    user, school_year: int, school_id: int | None = None, *, group_id: int | None = None
) -> list[WaveRow]:
    """The waves of one school year's groups (of one school or group) within the user's
    scope (3 queries)."""
    statement = (
        _scoped_waves(user)
        .where(StudentGroup.school_year == school_year)
        .order_by(School.name, StudentGroup.grade, StudentGroup.name, _PHASE_ORDER, Wave.id)
    )
    if school_id is not None:
        statement = statement.where(StudentGroup.school_id == school_id)
    if group_id is not None:
        statement = statement.where(Wave.group_id == group_id)
    waves = list(db.session.scalars(statement).unique())
    ids = [w.id for w in waves]
    counts = dict(
        db.session.execute(
            sa.select(Response.wave_id, sa.func.count(Response.id))
            .where(Response.wave_id.in_(ids))
            .group_by(Response.wave_id)
        ).all()
    )
    linked = _linked_counts(ids)
    today = local_today()
    # A group's waves all belong to its school year, so they are all in this list.
    phases = defaultdict(set)
    for w in waves:
        phases[w.group_id].add(w.phase)

    def has_partner(wave: Wave) -> bool:
        if wave.phase == Phase.BEFORE.value:
            return bool(phases[wave.group_id] & set(LATER_PHASES))
        return Phase.BEFORE.value in phases[wave.group_id]

    return [
        WaveRow(w, counts.get(w.id, 0), linked.get(w.id, 0), wave_status(w, today), has_partner(w))
        for w in waves
    ]


def _linked_counts(wave_ids: list[int]) -> dict[int, int]:
    """Per wave: how many of its responses are in at least one pair (one query)."""
    before = sa.select(Response.wave_id.label("wave_id"), Response.id.label("rid")).join(
        ResponseLink, ResponseLink.before_id == Response.id
    )
    later = sa.select(Response.wave_id.label("wave_id"), Response.id.label("rid")).join(
        ResponseLink, ResponseLink.later_id == Response.id
    )
    both = sa.union(before, later).subquery()
    rows = db.session.execute(
        sa.select(both.c.wave_id, sa.func.count(sa.distinct(both.c.rid)))
        .where(both.c.wave_id.in_(wave_ids))
        .group_by(both.c.wave_id)
    )
    return dict(rows.all())


def waves_of_group(group: StudentGroup) -> list[Wave]:
    """A group's waves in phase order."""
    order = {p.value: n for n, p in enumerate(Phase)}
    waves = db.session.scalars(sa.select(Wave).where(Wave.group_id == group.id))
    return sorted(waves, key=lambda w: order[w.phase])


def instruments_for(group: StudentGroup | None) -> list[Instrument]:
    """Versions offered for a new wave: the active ones and those of the group's other waves."""
    used = set()
    if group is not None:
        used = set(db.session.scalars(sa.select(Wave.instrument_id).where(Wave.group == group)))
    return list(
        db.session.scalars(
            sa.select(Instrument)
            .where(sa.or_(Instrument.active, Instrument.id.in_(used)))
            .order_by(Instrument.key, Instrument.version.desc())
        )
    )


def suggested_instrument(group: StudentGroup | None) -> Instrument | None:
    """The instrument of the group's before-wave (comparable answers), else the newest active."""
    if group is not None:
        before = db.session.scalar(
            sa.select(Wave).where(Wave.group == group, Wave.phase == Phase.BEFORE.value)
        )
        if before is not None:
            return before.instrument
    return db.session.scalars(
        sa.select(Instrument).where(Instrument.active).order_by(Instrument.version.desc())
    ).first()


# --- waves ---------------------------------------------------------------------------------


@dataclass
class WaveData:
    """What a coordinator enters to open a wave."""

    group_id: int | None
    phase: str
    instrument_id: int | None
    opens_on: dt.date | None
    closes_on: dt.date | None


def _check_wave(user, data: WaveData, wave: Wave | None) -> StudentGroup | None:
    errors: dict[str, str] = {}
    group = None
    if data.group_id is not None:
        group = db.session.scalar(
            sa.select(StudentGroup).where(
                StudentGroup.id == data.group_id, school_filter(user, StudentGroup.school_id)
            )
        )
    if group is None:
        errors["group_id"] = _("Choose a pupil group.")
    if data.phase not in {p.value for p in Phase}:
        errors["phase"] = _("Choose before, after or follow-up.")
    instrument = db.session.get(Instrument, data.instrument_id) if data.instrument_id else None
    if instrument is None:
        errors["instrument_id"] = _("Choose a questionnaire.")
    elif wave is not None and instrument.id != wave.instrument_id and has_responses(wave):
        errors["instrument_id"] = _(
            "The wave has answers, so its questionnaire can no longer be changed."
        )
    if data.opens_on is None:
        errors["opens_on"] = _("Enter the first day, for example 2026-09-14.")
    if data.closes_on is None:
        errors["closes_on"] = _("Enter the last day, for example 2026-09-25.")
    elif data.opens_on and data.closes_on < data.opens_on:
        errors["closes_on"] = _("The last day cannot be before the first day.")
    if group is not None and "phase" not in errors:
        _check_phase(group, data, wave, errors)
    if errors:
        raise Invalid(errors)
    return group


def _check_phase(group: StudentGroup, data: WaveData, wave: Wave | None, errors: dict) -> None:
    others = {w.phase: w for w in waves_of_group(group) if wave is None or w.id != wave.id}
    if data.phase in others:
        errors["phase"] = _(
            "The group already has %(wave)s (code %(code)s).",
            wave=a_wave(data.phase),
            code=others[data.phase].code,
        )
        return
    if data.opens_on is None or data.closes_on is None:
        return
    order = [p.value for p in Phase]
    for phase, other in others.items():
        earlier = order.index(phase) < order.index(data.phase)
        if earlier and data.opens_on < other.opens_on:
            errors["opens_on"] = _(
                "It cannot open before %(wave)s (%(day)s).",
                wave=the_wave(phase),
                day=other.opens_on.isoformat(),
            )
        elif not earlier and data.closes_on > other.closes_on:
            errors["closes_on"] = _(
                "It must close before %(wave)s closes (%(day)s).",
                wave=the_wave(phase),
                day=other.closes_on.isoformat(),
            )


def has_responses(wave: Wave) -> bool:
    """Whether any pupil has answered in this wave."""
    return (
        db.session.scalar(sa.select(Response.id).where(Response.wave_id == wave.id).limit(1))
        is not None
    )


def create_wave(user, data: WaveData) -> Wave:
    """Open a wave for a group; raises Invalid (nothing saved) for bad input."""
    group = _check_wave(user, data, None)
    wave = Wave(
        group=group,
        phase=data.phase,
        instrument_id=data.instrument_id,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        code=new_code(),
    )
    db.session.add(wave)
    db.session.flush()
    return wave


def update_wave(user, wave: Wave, data: WaveData) -> Wave:
    """Change a wave's phase, questionnaire (until it has answers) or dates."""
    data.group_id = wave.group_id
    old_group = wave.group
    _check_wave(user, data, wave)
    phase_changed = data.phase != wave.phase
    wave.phase = data.phase
    wave.instrument_id = data.instrument_id
    wave.opens_on, wave.closes_on = data.opens_on, data.closes_on
    db.session.flush()
    if phase_changed:
        relink_cohort(old_group.school_id, cohort_of(old_group))
    return wave


def delete_wave(wave: Wave) -> None:
    """Remove a wave with its answers (and their pairs), then pair the rest again."""
    group = wave.group
    db.session.execute(sa.delete(Response).where(Response.wave_id == wave.id))
    db.session.execute(sa.delete(ImportBatch).where(ImportBatch.wave_id == wave.id))
    db.session.delete(wave)
    db.session.flush()
    relink_cohort(group.school_id, cohort_of(group))


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
) -> list[Response]:
    """Insert responses with their answers and scale scores (bulk, in the caller's transaction).

    Does not pair them: call relink_cohort() once the whole batch is in.
    """
    key = linkage.linkage_key()
    responses = [
        Response(
            wave_id=wave.id,
            answered_on=answered_on,
            source=source,
            sex=row.sex,
            grade=row.grade,
            link_code=_link_code(row, key),
            batch_id=batch.id if batch is not None else None,
            form_nonce=form_nonce,
        )
        for row in rows
    ]
    db.session.add_all(responses)
    db.session.flush()
    scorer = _Scorer.of(instrument_items(wave.instrument_id))
    answer_rows, score_rows = [], []
    for response, row in zip(responses, rows, strict=True):
        for item_id, answer in row.answers.items():
            answer_rows.append(
                {
                    "response_id": response.id,
                    "item_id": item_id,
                    "value": answer.value,
                    "dont_know": answer.dont_know,
                }
            )
        score_rows += scorer.rows(response.id, row.answers)
    if answer_rows:
        db.session.execute(sa.insert(Answer), answer_rows)
    if score_rows:
        db.session.execute(sa.insert(ScaleScore), score_rows)
    return responses


class AlreadySubmitted(Exception):
    """This form (or this browser) has already sent its answers to the wave."""


class NotOpen(Exception):
    """The wave is not open today; `status` says whether it is upcoming or closed."""

    def __init__(self, status: str):
        super().__init__(status)
        self.status = status


def submit_online(wave: Wave, data: ResponseData, form_nonce: str) -> Response:
    """Store one pupil's online answers, dated today only, and pair the cohort again.

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
            (response,) = store_responses(
                wave,
                [data],
                source=Source.ONLINE.value,
                answered_on=local_today(),
                form_nonce=form_nonce,
            )
    except sa.exc.IntegrityError as error:
        raise AlreadySubmitted() from error
    relink_cohort(wave.group.school_id, cohort_of(wave.group))
    return response


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
    db.session.execute(sa.delete(Response).where(Response.batch_id == batch.id))
    batch.rows = len(rows)
    db.session.flush()
    store_responses(wave, rows, source=batch.source, answered_on=answered_on, batch=batch)
    relink_cohort(wave.group.school_id, cohort_of(wave.group))


def delete_batch(batch: ImportBatch) -> None:
    """Remove a batch and its responses, then pair again."""
    wave = db.session.get(Wave, batch.wave_id)
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


# --- linkage -------------------------------------------------------------------------------


@dataclass
class CohortCodes:
    """The waves of one school's cohort and the linkage codes of their responses."""

    waves: list[tuple[int, int, str, dt.date]]  # wave id, group id, phase, first day
    codes: dict[int, dict[int, tuple]]  # wave id -> {response id: code}


def _cohort_codes(school_id: int, cohort: int, *, lock: bool = False) -> CohortCodes:
    statement = (
        sa.select(Wave.id, Wave.group_id, Wave.phase, Wave.opens_on)
        .join(Wave.group)
        .where(
            StudentGroup.school_id == school_id,
            StudentGroup.school_year - StudentGroup.grade == cohort,
        )
        .order_by(Wave.id)
    )
    if lock:
        # Two submissions to the same cohort pair one after the other, never interleaved.
        statement = statement.with_for_update(of=Wave)
    waves = [tuple(row) for row in db.session.execute(statement)]
    codes: dict[int, dict[int, tuple]] = {wave[0]: {} for wave in waves}
    if waves:
        rows = db.session.execute(
            sa.select(Response.wave_id, Response.id, Response.link_code).where(
                Response.wave_id.in_(list(codes))
            )
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


def relink_cohort(school_id: int, cohort: int) -> dict[str, linkage.Pairing]:
    """Compute the pairs of one school's cohort again and store them (replacing the old)."""
    codes = _cohort_codes(school_id, cohort, lock=True)
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
    return results


def relink_all() -> int:
    """Pair every cohort again (after a bulk change); returns the number of pairs."""
    cohorts = db.session.execute(
        sa.select(StudentGroup.school_id, StudentGroup.school_year - StudentGroup.grade)
        .join(Wave, Wave.group_id == StudentGroup.id)
        .distinct()
    ).all()
    return sum(
        len(result.pairs)
        for school_id, cohort in cohorts
        for result in relink_cohort(school_id, cohort).values()
    )


# --- the wave page -------------------------------------------------------------------------


@dataclass
class LinkSummary:
    """How one wave's responses pair with the cohort's responses of another phase."""

    other_phase: str
    has_other_wave: bool
    responses: int
    exact: int = 0
    one_differs: int = 0
    ambiguous: int = 0

    @property
    def linked(self) -> int:
        return self.exact + self.one_differs

    @property
    def rate(self) -> float | None:
        return self.linked / self.responses if self.responses else None


@dataclass
class WaveOverview:
    """What the wave page shows: counts only, never one pupil's answers."""

    wave: Wave
    responses: int
    by_source: dict[str, int]
    links: list[LinkSummary]
    duplicates: int
    incomplete: int
    batches: list[ImportBatch]

    @property
    def response_rate(self) -> float | None:
        size = self.wave.group.size
        return min(self.responses / size, 1.0) if size else None

    @property
    def over_size(self) -> bool:
        return self.responses > self.wave.group.size


def code_problems(codes: dict[int, tuple]) -> tuple[set[int], set[int]]:
    """Within one wave: responses with duplicated codes, and with too few code elements."""
    incomplete = {
        rid for rid, code in codes.items() if linkage.answered(code) < linkage.MIN_ANSWERED
    }
    counts = Counter(code for rid, code in codes.items() if rid not in incomplete)
    duplicates = {rid for rid, code in codes.items() if rid not in incomplete and counts[code] > 1}
    return duplicates, incomplete


def wave_overview(wave: Wave) -> WaveOverview:
    """Counts for the wave page, in a fixed number of queries whatever the number of answers."""
    by_source = dict(
        db.session.execute(
            sa.select(Response.source, sa.func.count(Response.id))
            .where(Response.wave_id == wave.id)
            .group_by(Response.source)
        ).all()
    )
    stored = Counter()
    side = ResponseLink.before_id if wave.phase == Phase.BEFORE.value else ResponseLink.later_id
    for phase, quality, count in db.session.execute(
        sa.select(ResponseLink.later_phase, ResponseLink.quality, sa.func.count(ResponseLink.id))
        .join(Response, Response.id == side)
        .where(Response.wave_id == wave.id)
        .group_by(ResponseLink.later_phase, ResponseLink.quality)
    ):
        stored[(phase, quality)] = count
    cohort = _cohort_codes(wave.group.school_id, cohort_of(wave.group))
    results = pair_cohort(cohort)
    mine = cohort.codes.get(wave.id, {})
    own_phases = {phase for _w, group_id, phase, _o in cohort.waves if group_id == wave.group_id}
    responses = sum(by_source.values())
    is_before = wave.phase == Phase.BEFORE.value
    links = []
    for later in LATER_PHASES if is_before else (wave.phase,):
        other = later if is_before else Phase.BEFORE.value
        summary = LinkSummary(
            other_phase=other,
            has_other_wave=other in own_phases,
            responses=responses,
            exact=stored[(later, LinkQuality.EXACT.value)],
            one_differs=stored[(later, LinkQuality.ONE_DIFFERS.value)],
            ambiguous=len(results[later].ambiguous & set(mine)),
        )
        # Answers linked with a reorganised group's wave count even without a wave of its own.
        summary.has_other_wave = summary.has_other_wave or summary.linked > 0
        links.append(summary)
    duplicates, incomplete = code_problems(mine)
    return WaveOverview(
        wave, responses, by_source, links, len(duplicates), len(incomplete), list_batches(wave)
    )
