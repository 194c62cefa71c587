"""What staff read about waves: the wave list with answers and linked answers, and the wave
page's counts. Both bring the pairs up to date first (mvp.surveys.pairing.ensure_paired)."""

from collections import Counter, defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from mvp.extensions import db
from mvp.schools.models import School, StudentGroup
from mvp.surveys import linkage, pairing
from mvp.surveys.batches import list_batches
from mvp.surveys.models import ImportBatch, LinkQuality, Phase, Response, ResponseLink, Wave
from mvp.surveys.pairing import LATER_PHASES, cohort_of
from mvp.surveys.waves import _PHASE_ORDER, _scoped_waves, local_today, wave_status


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
    if waves and pairing.ensure_paired({w.group.school_id for w in waves}):
        waves = list(db.session.scalars(statement).unique())  # read again after the commit
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
    school_id, cohort = wave.group.school_id, cohort_of(wave.group)
    pairing.ensure_paired([school_id], [(school_id, cohort)])
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
    cohort = pairing.cohort_codes(school_id, cohort)
    results = pairing.pair_cohort(cohort)
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
