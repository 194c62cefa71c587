"""Single-use codes: one code per person for a wave whose population is asked that way.

The clear codes exist only in the answer of `issue_codes` (the caller prints them into
letters and a mail-merge file at once); the database keeps a keyed hash of each (HMAC-SHA256
under the installation's key, domain-separated from the pupils' linkage codes) and whether it
was used or made void. Nothing records which person got which code, or which response came
from which code: `redeem` flips `used` with one conditional UPDATE in the transaction that
stores the answer, so the same code given in by two requests at once stores one answer (the
second UPDATE finds no unused row once the first has committed, on PostgreSQL by its row lock
and on SQLite by its single writer).

Lost letters: the codes cannot be shown again. `reissue_codes` makes every unused code void
and issues a fresh set for the seats not yet answered; the used ones stay counted.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import linkage
from mvp.surveys.models import SingleUseCode, Wave

# The shared code alphabet without look-alikes (as the waves' codes), 10 characters: about
# 1.7 × 10^13 codes, so guessing one of a few hundred valid codes is hopeless even before
# the answer pages' rate limit.
ALPHABET = "ACEFGHJKMNPRTWXY34679"
LENGTH = 10
MAX_CODES = 5000


@dataclass(frozen=True)
class CodeCounts:
    """How many codes a wave has given out, how many were used, how many are still valid."""

    issued: int
    used: int
    unused: int


def normalise(text: str | None) -> str:
    """A typed code as hashed: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def shown(code: str) -> str:
    """A code as printed: in groups of four and two for reading aloud, e.g. ACEF-GHJK-MN."""
    return "-".join(code[n : n + 4] for n in range(0, len(code), 4))


def code_hash(code: str) -> str:
    """The keyed hash stored for a code."""
    key = hmac.new(linkage.linkage_key(), b"single-use-code", hashlib.sha256).digest()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def issue_codes(wave: Wave, count: int) -> list[str]:
    """`count` new codes for the wave, in clear: the only time they can be read."""
    codes = {_new_code() for _ in range(count)}
    while len(codes) < count:  # a collision within the set: astronomically rare
        codes.add(_new_code())
    codes = sorted(codes)
    db.session.execute(
        sa.insert(SingleUseCode), [{"wave_id": wave.id, "code_hash": code_hash(c)} for c in codes]
    )
    return codes


def reissue_codes(wave: Wave, count: int) -> list[str]:
    """Void every unused code of the wave and issue `count` fresh ones (reprinted letters)."""
    db.session.execute(
        sa.update(SingleUseCode)
        .where(SingleUseCode.wave_id == wave.id, SingleUseCode.used.is_(False))
        .values(void=True)
    )
    return issue_codes(wave, count)


def code_counts(wave_ids: list[int]) -> dict[int, CodeCounts]:
    """Issued, used and still valid codes per wave (one query)."""
    rows = db.session.execute(
        sa.select(
            SingleUseCode.wave_id,
            sa.func.count(SingleUseCode.id),
            sa.func.count(SingleUseCode.id).filter(SingleUseCode.used.is_(True)),
            sa.func.count(SingleUseCode.id).filter(
                SingleUseCode.used.is_(False), SingleUseCode.void.is_(False)
            ),
        )
        .where(SingleUseCode.wave_id.in_(wave_ids))
        .group_by(SingleUseCode.wave_id)
    ).all()
    counts = {wave_id: CodeCounts(0, 0, 0) for wave_id in wave_ids}
    counts.update({row[0]: CodeCounts(row[1], row[2], row[3]) for row in rows})
    return counts


def is_valid(wave: Wave, code: str) -> bool:
    """Whether the code belongs to the wave and can still be used (no change)."""
    return (
        db.session.scalar(
            sa.select(SingleUseCode.id).where(
                SingleUseCode.wave_id == wave.id,
                SingleUseCode.code_hash == code_hash(code),
                SingleUseCode.used.is_(False),
                SingleUseCode.void.is_(False),
            )
        )
        is not None
    )


def find_wave_of(code: str) -> Wave | None:
    """The wave a code belongs to, whether or not it is still usable; None if unknown."""
    return db.session.scalar(
        sa.select(Wave)
        .join(SingleUseCode, SingleUseCode.wave_id == Wave.id)
        .where(SingleUseCode.code_hash == code_hash(code))
    )


def redeem(wave: Wave, code: str) -> bool:
    """Mark the code used, in the caller's transaction; False if it was not usable.

    One conditional UPDATE: whichever of two concurrent requests updates the row first wins;
    the other's UPDATE matches no row (it waits for the first transaction and then sees
    used = true), so it stores nothing.
    """
    result = db.session.execute(
        sa.update(SingleUseCode)
        .where(
            SingleUseCode.wave_id == wave.id,
            SingleUseCode.code_hash == code_hash(code),
            SingleUseCode.used.is_(False),
            SingleUseCode.void.is_(False),
        )
        .values(used=True)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
