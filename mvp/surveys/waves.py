"""Waves: a group's questionnaire rounds, their access codes and dates, opened and changed by
staff within their scope."""

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.auth.permissions import get_in_scope_or_404, school_filter
from mvp.extensions import db
from mvp.schools.grades import grades_of
from mvp.schools.models import School, StudentGroup
from mvp.surveys import pairing
from mvp.surveys.labels import a_wave, the_wave
from mvp.surveys.models import ImportBatch, Instrument, Phase, Response, Wave
from mvp.surveys.pairing import LATER_PHASES, cohort_of
from mvp.surveys.populations import Population
from mvp.validation import Invalid

__all__ = ["LATER_PHASES", "cohort_of"]

# Access codes: no look-alikes (0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V).
CODE_ALPHABET = "ACEFGHJKMNPRTWXY34679"
CODE_LENGTH = 6


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


@dataclass(frozen=True)
class InstrumentName:
    """The version a wave asks, as the answering pages need it (mvp.surveys.kept_questions)."""

    id: int
    created_at: dt.datetime
    revision: int
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class AnsweredWave:
    """What the answering pages read of a wave: one light row, no ORM objects (each of a
    class's pupils asks for it on every page, so it is most of what a page costs)."""

    id: int
    code: str
    opens_on: dt.date
    closes_on: dt.date
    shared_device: bool
    population: str
    instrument_id: int
    instrument: InstrumentName
    grades: tuple[int, ...]  # the school's grades; none for a wave without a group


# Built once: a statement made afresh on every request would have its cache key (how
# SQLAlchemy finds the compiled SQL) computed again each time, a third of this lookup.
_ANSWERED_WAVE = (
    sa.select(
        Wave.id,
        Wave.code,
        Wave.opens_on,
        Wave.closes_on,
        Wave.shared_device,
        Wave.population,
        Wave.instrument_id,
        Instrument.created_at,
        Instrument.revision,
        Instrument.name_sv,
        Instrument.name_en,
        School.kind,
    )
    .join(Instrument, Instrument.id == Wave.instrument_id)
    .outerjoin(StudentGroup, StudentGroup.id == Wave.group_id)
    .outerjoin(School, School.id == StudentGroup.school_id)
    .where(Wave.code == sa.bindparam("code"))
)


def find_answered_wave(code: str) -> AnsweredWave | None:
    """The wave with this access code (typed any way) as the answering pages read it, or None."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    row = db.session.execute(_ANSWERED_WAVE, {"code": code}).first()
    if row is None:
        return None
    (wave_id, code, opens, closes, shared, population, instrument_id, *named, kind) = row
    return AnsweredWave(
        wave_id,
        code,
        opens,
        closes,
        bool(shared),
        population,
        instrument_id,
        InstrumentName(instrument_id, *named),
        grades_of(kind) if kind is not None else (),
    )


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
            .where(Instrument.population == Population.PUPILS.value)
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
        sa.select(Instrument)
        .where(Instrument.active, Instrument.population == Population.PUPILS.value)
        .order_by(Instrument.version.desc())
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
    if phase_changed:
        pairing.lock_cohort(old_group.school_id, cohort_of(old_group))
    wave.phase = data.phase
    wave.instrument_id = data.instrument_id
    wave.opens_on, wave.closes_on = data.opens_on, data.closes_on
    db.session.flush()
    if phase_changed:
        pairing.relink_cohort(old_group.school_id, cohort_of(old_group))
    return wave


def set_shared_device(wave: Wave, shared: bool) -> Wave:
    """Turn "shared devices" on or off: when on, a browser that has answered may answer again
    (the next pupil on the same device), and only each form's single-use token stops a
    second sending of the same answers."""
    wave.shared_device = shared
    db.session.flush()
    return wave


def delete_wave(wave: Wave) -> None:
    """Remove a wave with its answers (and their pairs), then pair the rest again."""
    group = wave.group
    # The pairing lock first: a pairing running now finishes before these rows go.
    pairing.lock_cohort(group.school_id, cohort_of(group))
    db.session.execute(sa.delete(Response).where(Response.wave_id == wave.id))
    db.session.execute(sa.delete(ImportBatch).where(ImportBatch.wave_id == wave.id))
    db.session.delete(wave)
    db.session.flush()
    pairing.relink_cohort(group.school_id, cohort_of(group))
