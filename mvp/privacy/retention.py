"""Erasing pupils' linkage codes after MVP_LINKAGE_RETENTION_MONTHS, keeping scores and pairs.

A linkage code (the keyed hashes of a pupil's code elements) exists only to pair a pupil's
answers before and after the lessons. Once the retention time has passed since a before-answer,
no new answer may be paired with it, and the code is erased:

- An answer that is not paired loses its code entirely (every element None). It can never be
  paired again; its scale scores stay and still count in the cross-sectional figures.
- Pairs already made stay. Their answers' codes are replaced by a random *link token*: the
  same random value for the before-answer and each of its later answers (with one element
  replaced where the pair was matched with one element differing). The token is drawn from
  no answer of the pupil and cannot be read back into one; it says only "these answers belong
  together", exactly what the stored pair already says. Because of it, pairing the cohort
  again (after a wave is edited, or wherever pairing runs) gives the same pairs with the same
  quality, so the before/after results of past years do not change when codes are erased.

A pair is erased as a whole when its before-answer has passed the retention time, even if a
later answer is younger: the later answer's code could only ever pair with that before-answer.
"""

import calendar
import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from mvp.extensions import db
from mvp.privacy.services import log_event
from mvp.surveys.models import LinkQuality, Response, ResponseLink

# Link tokens start with this, which no keyed hash (hex digits) does.
TOKEN_PREFIX = "t:"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def retention_months() -> int:
    """MVP_LINKAGE_RETENTION_MONTHS."""
    return int(current_app.config["LINKAGE_RETENTION_MONTHS"])


def cutoff(today: dt.date | None = None) -> dt.date:
    """Answers given before this day have passed the retention time."""
    return months_before(today or dt.date.today(), retention_months())


def holds_code(code: list | None) -> bool:
    """Whether a stored linkage code still holds keyed hashes of a pupil's answers."""
    return any(
        element is not None and not str(element).startswith(TOKEN_PREFIX) for element in code or ()
    )


@dataclass
class Erasure:
    """What erasing expired codes would do: answers whose code goes, and how."""

    cutoff: dt.date
    unpaired: list[int]  # codes erased entirely
    paired: dict[int, list[tuple[int, str]]]  # before id -> [(later id, quality)]: tokens

    @property
    def count(self) -> int:
        return len(self.unpaired) + sum(1 + len(laters) for laters in self.paired.values())


def expired_codes(today: dt.date | None = None) -> Erasure:
    """The answers whose linkage codes have passed the retention time (nothing changed)."""
    day = cutoff(today)
    links = db.session.execute(
        sa.select(ResponseLink.before_id, ResponseLink.later_id, ResponseLink.quality)
    ).all()
    later_of = defaultdict(list)
    paired_later = set()
    for before_id, later_id, quality in links:
        later_of[before_id].append((later_id, quality))
        paired_later.add(later_id)
    rows = db.session.execute(
        sa.select(Response.id, Response.link_code).where(Response.answered_on < day)
    ).all()
    unpaired, paired = [], {}
    holding = {rid for rid, code in rows if holds_code(code)}
    for rid in sorted(holding):
        if rid in later_of:
            paired[rid] = sorted(later_of[rid])
        elif rid not in paired_later:
            unpaired.append(rid)
        # A later answer of a before-answer still within the time waits for that one.
    if paired:
        # The later answers of an expired pair go with it, whatever their own date.
        later_ids = [later for laters in paired.values() for later, _q in laters]
        with_codes = {
            rid
            for rid, code in db.session.execute(
                sa.select(Response.id, Response.link_code).where(Response.id.in_(later_ids))
            )
            if holds_code(code)
        }
        for before_id, laters in list(paired.items()):
            paired[before_id] = [(lid, q) for lid, q in laters if lid in with_codes]
    return Erasure(day, unpaired, paired)


def _token(length: int) -> list[str]:
    return [TOKEN_PREFIX + secrets.token_hex(8) for _ in range(length)]


def erase_expired_codes(today: dt.date | None = None) -> int:
    """Erase the expired linkage codes (see the module's description); one audit entry.

    Returns the number of answers whose code was erased.
    """
    erasure = expired_codes(today)
    ids = erasure.unpaired + [
        rid
        for before, laters in erasure.paired.items()
        for rid in (before, *(i for i, _ in laters))
    ]
    if not ids:
        return 0
    responses = {
        r.id: r for r in db.session.scalars(sa.select(Response).where(Response.id.in_(ids)))
    }
    for rid in erasure.unpaired:
        response = responses[rid]
        response.link_code = [None] * len(response.link_code or ())
    for before_id, laters in erasure.paired.items():
        before = responses[before_id]
        token = _token(len(before.link_code or ()))
        before.link_code = token
        for later_id, quality in laters:
            code = list(token)
            if quality == LinkQuality.ONE_DIFFERS.value and code:
                code[0] = _token(1)[0]
            responses[later_id].link_code = code
    log_event(
        "delete",
        "linkage_codes",
        None,
        f"< {erasure.cutoff.isoformat()}",
        {"erased": [erasure.count, None], "answered_before": [erasure.cutoff.isoformat(), None]},
    )
    db.session.flush()
    return erasure.count
