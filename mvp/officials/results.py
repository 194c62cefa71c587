"""The safety survey's result object: computed once, then drawn by the web page, the PDF, the
Excel appendix and the JSON API (mvp.officials.reports), none of which computes anything.

Definitions (each figure is defined here once):
- *Feeling safe*: the share answering one of the two top steps ("Stämmer helt och hållet",
  "Stämmer ganska bra") to "Jag känner mig trygg i mitt politiska uppdrag", among those who
  answered one of the four steps. "Vet inte" and a skipped question are left out of the share
  (their number is reported beside it).
- *Exposed*: at least one "Ja" to the four exposure questions (harassment, threats, violence,
  damage), among those who answered at least one of them with Ja or Nej. The other yes/no
  figures are the share of "Ja" among Ja and Nej.
- *Worried*: one of the two top steps of the worry statement.
- 95 % intervals are Wilson score intervals (`wilson`), which stay inside 0–100 % and behave
  with the small numbers of a municipal assembly.
- Groups: women, men, "other or not stated" (other + prefer not to say; never shown alone
  when small) and all. A figure about fewer answers than the round's threshold (default 5) is
  "..", and where a hidden group could be computed from the total and the other groups a
  second figure is hidden too (mvp.evaluation.suppress.protect, the total first).
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mvp.evaluation.suppress import SUPPRESSED, partition_lines, protect
from mvp.extensions import db
from mvp.officials.models import OfficialRound, Reference
from mvp.officials.services import round_status, seats_per_year
from mvp.surveys.models import Answer, Item, Response

Z95 = 1.959963984540054
GROUPS = ("woman", "man", "other", "all")
GROUP_LABELS = {
    "woman": _l("Women"),
    "man": _l("Men"),
    "other": _l("Other or not stated"),
    "all": _l("All"),
}
HEADLINE_ITEM = "trygg"
EXPOSURE_ITEMS = (
    "utsatt_trakasserier",
    "utsatt_hot",
    "utsatt_vald",
    "utsatt_skadegorelse",
)


@dataclass(frozen=True)
class Measure:
    """One figure of the by-sex tables: the share of `positive` answers to `item`."""

    key: str
    label: object
    section: str  # exposure, channel, worry, consequence, reporting
    item: str | None  # None: "exposed" (any of the exposure items)
    positive: tuple[int, ...] = (1,)


MEASURES = (
    Measure("exposed", _l("Exposed to at least one of the four"), "exposure", None),
    Measure("harassed", _l("Harassed or insulted"), "exposure", "utsatt_trakasserier"),
    Measure("threatened", _l("Threatened"), "exposure", "utsatt_hot"),
    Measure("violence", _l("Subjected to violence"), "exposure", "utsatt_vald"),
    Measure("damage", _l("Property damaged"), "exposure", "utsatt_skadegorelse"),
    Measure("in_person", _l("Face to face"), "channel", "kanal_person"),
    Measure("social_media", _l("Social media"), "channel", "kanal_sociala"),
    Measure("email", _l("E-mail"), "channel", "kanal_epost"),
    Measure("phone", _l("Phone or text message"), "channel", "kanal_telefon"),
    Measure("letter", _l("Letter"), "channel", "kanal_brev"),
    Measure("worried", _l("Worried about threats or violence"), "worry", "oro", (3, 4)),
    Measure("avoided_issue", _l("Stayed away from an issue"), "consequence", "undvikit_fraga"),
    Measure("self_censored", _l("Refrained from speaking publicly"), "consequence", "sjalvcensur"),
    Measure("considered_leaving", _l("Considered leaving"), "consequence", "overvagt_lamna"),
    Measure("reported_police", _l("Reported to the police"), "reporting", "anmalt_polis"),
    Measure("got_support", _l("Got the support needed"), "reporting", "fatt_stod"),
)
SECTION_LABELS = {
    "exposure": _l("Exposure in the last 12 months"),
    "channel": _l("Where it happened (those answering)"),
    "worry": _l("Worry"),
    "consequence": _l("Consequences in the last 12 months"),
    "reporting": _l("Reporting and support"),
}
# The measures a national reference may be entered for (BRÅ's PTU reports these by sex).
REFERENCE_MEASURES = ("safe", "exposed", "worried", "considered_leaving", "reported_police")


def measure_label(key: str) -> str:
    """The reader's name of a measure (the headline's too)."""
    if key == "safe":
        return _("Feel safe in their political role")
    return str(next(m.label for m in MEASURES if m.key == key))


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes in n (both ends between 0 and 1)."""
    if n == 0:
        raise ValueError("no answers")
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass
class Share:
    """One group's share: n answering, k of them positive, the share and its 95 % interval.

    A suppressed share has n, share, low and high all "..": nothing about it is shown."""

    n: int | str
    share: float | str | None
    low: float | str | None
    high: float | str | None

    def as_json(self) -> dict:
        return {"n": self.n, "share": self.share, "ci95": [self.low, self.high]}


def _share(k: int, n: int, shown: bool) -> Share:
    if not shown:
        return Share(SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED)
    if n == 0:
        return Share(0, None, None, None)
    low, high = wilson(k, n)
    return Share(n, round(k / n, 3), round(low, 3), round(high, 3))


def protected_shares(counts: dict[str, tuple[int, int]], min_n: int) -> dict[str, Share]:
    """Shares of women, men, other and all from (k, n) per group, small groups suppressed and a
    second group where the total would give a hidden one away (the total goes first)."""
    sizes = {group: counts.get(group, (0, 0))[1] for group in GROUPS}
    lines = partition_lines("all", ("woman", "man", "other"))
    shown = protect(sizes, lines, min_n, priority={"all": -1})
    return {group: _share(*counts.get(group, (0, 0)), shown.shows(group)) for group in GROUPS}


@dataclass
class Year:
    """One round in the trend: the headline by sex and how many answered."""

    year: int
    status: str
    seats: int
    answers: int
    safe: dict[str, Share]
    dont_know: int | str  # "Vet inte" to the headline, all groups (".." when small)

    @property
    def response_rate(self) -> float | None:
        return round(self.answers / self.seats, 3) if self.seats else None


@dataclass
class MeasureRow:
    """One measure of the chosen year, by group."""

    key: str
    section: str
    label: str
    shares: dict[str, Share]


@dataclass
class ReferenceRow:
    """A national reference value as the lead entered it."""

    measure: str
    label: str
    sex: str
    percent: float
    year: int
    source: str


@dataclass
class SafetyResult:
    """Everything the committee's report says, computed once."""

    municipality: str
    made_on: str
    language: str
    year: int | None
    threshold: int
    trend: list[Year]
    measures: list[MeasureRow] = field(default_factory=list)
    references: list[ReferenceRow] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def current(self) -> Year | None:
        return next((y for y in self.trend if y.year == self.year), None)

    @property
    def previous(self) -> Year | None:
        earlier = [y for y in self.trend if self.year is not None and y.year < self.year]
        return earlier[-1] if earlier else None

    def as_json(self) -> dict:
        """The result for the JSON API: the same figures, unformatted (shares 0–1)."""
        return {
            "municipality": self.municipality,
            "made_on": self.made_on,
            "year": self.year,
            "suppression_threshold": self.threshold,
            "suppressed": SUPPRESSED,
            "definition": _definition_note(),
            "trend": [
                {
                    "year": y.year,
                    "status": y.status,
                    "seats": y.seats,
                    "answers": y.answers,
                    "response_rate": y.response_rate,
                    "dont_know": y.dont_know,
                    "feel_safe": {g: s.as_json() for g, s in y.safe.items()},
                }
                for y in self.trend
            ],
            "measures": [
                {
                    "key": m.key,
                    "section": m.section,
                    "label": m.label,
                    "by_group": {g: s.as_json() for g, s in m.shares.items()},
                }
                for m in self.measures
            ],
            "references": [r.__dict__ for r in self.references],
            "changes": self.changes,
        }


def _definition_note() -> str:
    return _(
        "Feeling safe: the two top steps of four. “Don't know” is left out of the share "
        "and counted beside it."
    )


# --- loading (three grouped queries whatever the number of answers) ---------------------------


def _group(sex: str) -> str:
    return sex if sex in ("woman", "man") else "other"


def _item_counts(wave_ids: list[int]):
    """(wave, item key, group, value, dont_know) -> number of answers."""
    rows = db.session.execute(
        sa.select(
            Response.wave_id,
            Item.key,
            Response.sex,
            Answer.value,
            Answer.dont_know,
            sa.func.count(),
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Item, Item.id == Answer.item_id)
        .where(Response.wave_id.in_(wave_ids))
        .group_by(Response.wave_id, Item.key, Response.sex, Answer.value, Answer.dont_know)
    )
    counts: dict = defaultdict(int)
    for wave_id, key, sex, value, dont_know, count in rows:
        counts[(wave_id, key, _group(sex), value, bool(dont_know))] += count
    return counts


def _exposed_counts(wave_ids: list[int]) -> dict:
    """(wave, group) -> (exposed, answered) over the four exposure questions."""
    per_response = (
        sa.select(
            Response.wave_id,
            Response.sex,
            sa.func.max(Answer.value).label("any_yes"),
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Item, Item.id == Answer.item_id)
        .where(
            Response.wave_id.in_(wave_ids),
            Item.key.in_(EXPOSURE_ITEMS),
            Answer.value.is_not(None),
            Answer.dont_know.is_(False),
        )
        .group_by(Response.id, Response.wave_id, Response.sex)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            per_response.c.wave_id,
            per_response.c.sex,
            per_response.c.any_yes,
            sa.func.count(),
        ).group_by(per_response.c.wave_id, per_response.c.sex, per_response.c.any_yes)
    )
    counts: dict = defaultdict(lambda: [0, 0])
    for wave_id, sex, any_yes, count in rows:
        cell = counts[(wave_id, _group(sex))]
        cell[1] += count
        if any_yes == 1:
            cell[0] += count
    return counts


def _answers_per_wave(wave_ids: list[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Response.wave_id, sa.func.count(Response.id))
            .where(Response.wave_id.in_(wave_ids))
            .group_by(Response.wave_id)
        ).all()
    )


def _k_n(counts, wave_id: int, item: str, positive: tuple[int, ...]) -> dict[str, tuple[int, int]]:
    by_group: dict[str, list[int]] = {g: [0, 0] for g in GROUPS}
    for (w, key, group, value, dont_know), count in counts.items():
        if w != wave_id or key != item or dont_know or value is None:
            continue
        for g in (group, "all"):
            by_group[g][1] += count
            if value in positive:
                by_group[g][0] += count
    return {g: (k, n) for g, (k, n) in by_group.items()}


def _dont_know(counts, wave_id: int, min_n: int) -> int | str:
    total = sum(
        count
        for (w, key, _g, _v, dont_know), count in counts.items()
        if w == wave_id and key == HEADLINE_ITEM and dont_know
    )
    return SUPPRESSED if 0 < total < min_n else total


def build(year: int | None = None) -> SafetyResult:
    """The result for `year` (default: the newest round) with every round in the trend."""
    rounds = list(
        db.session.scalars(
            sa.select(OfficialRound)
            .options(sa.orm.joinedload(OfficialRound.wave))
            .order_by(OfficialRound.year)
        )
    )
    if year is None and rounds:
        year = rounds[-1].year
    chosen = next((r for r in rounds if r.year == year), None)
    threshold = chosen.suppression_min if chosen else 5
    wave_ids = [r.wave_id for r in rounds]
    counts = _item_counts(wave_ids) if wave_ids else {}
    exposed = _exposed_counts(wave_ids) if wave_ids else {}
    answers = _answers_per_wave(wave_ids) if wave_ids else {}
    seats = seats_per_year()
    trend = []
    for r in rounds:
        if r.year > (year or 0):
            continue
        headline = _k_n(counts, r.wave_id, HEADLINE_ITEM, (3, 4))
        trend.append(
            Year(
                r.year,
                round_status(r),
                int(seats.get(r.year, 0)),
                answers.get(r.wave_id, 0),
                protected_shares(headline, r.suppression_min),
                _dont_know(counts, r.wave_id, r.suppression_min),
            )
        )
    measures = []
    if chosen is not None:
        for m in MEASURES:
            if m.item is None:
                k_n = dict.fromkeys(GROUPS, (0, 0))
                for g in ("woman", "man", "other"):
                    k, n = exposed.get((chosen.wave_id, g), (0, 0))
                    k_n[g] = (k, n)
                k_n["all"] = tuple(
                    sum(k_n[g][i] for g in ("woman", "man", "other")) for i in (0, 1)
                )
            else:
                k_n = _k_n(counts, chosen.wave_id, m.item, m.positive)
            measures.append(
                MeasureRow(m.key, m.section, str(m.label), protected_shares(k_n, threshold))
            )
    result = SafetyResult(
        municipality=current_app.config["MUNICIPALITY_NAME"],
        made_on=dt.date.today().isoformat(),
        language=str(get_locale()),
        year=year,
        threshold=threshold,
        trend=trend,
        measures=measures,
        references=[
            ReferenceRow(r.measure, measure_label(r.measure), r.sex, r.percent, r.year, r.source)
            for r in db.session.scalars(
                sa.select(Reference).order_by(Reference.measure, Reference.year, Reference.sex)
            )
        ],
    )
    result.changes = what_changed(result)
    return result


def what_changed(result: SafetyResult) -> list[str]:
    """Plain sentences on the headline since the year before, honest about uncertainty."""
    now, before = result.current, result.previous
    if now is None:
        return []
    if before is None:
        return [_("This is the first round: there is no earlier year to compare with.")]
    sentences = []
    for group in ("woman", "man"):
        a, b = before.safe[group], now.safe[group]
        name = str(GROUP_LABELS[group])
        if SUPPRESSED in (a.share, b.share) or None in (a.share, b.share):
            sentences.append(
                _(
                    "%(group)s: too few answers to compare %(year)d with the year before.",
                    group=name,
                    year=now.year,
                )
            )
            continue
        points = round((b.share - a.share) * 100, 1)
        overlap = a.low <= b.high and b.low <= a.high
        from mvp.evaluation.numbers import fmt_signed

        text = _(
            "%(group)s: %(change)s percentage points from %(before)d to %(year)d.",
            group=name,
            change=fmt_signed(points, 1),
            before=before.year,
            year=now.year,
        )
        if overlap:
            text += " " + _("The intervals overlap: the change may be chance.")
        sentences.append(text)
    return sentences
