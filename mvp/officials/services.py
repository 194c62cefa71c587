"""The officials' area's changes and reads: bodies, seat counts per year, rounds and their codes,
national reference values, and the lead's response-rate view. No request here; views commit.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.officials.models import (
    OfficialRound,
    PoliticalBody,
    Reference,
    SeatCount,
    SeatKind,
    SeatSex,
)
from mvp.surveys import instruments, single_use
from mvp.surveys.models import Answer, Instrument, Item, Response, Wave
from mvp.surveys.populations import Population
from mvp.surveys.waves import local_today, wave_status
from mvp.validation import Invalid

INSTRUMENT_KEY = "officials-safety"
INSTRUMENT_FILE = "officials-safety.json"
ANSWER_SEXES = ("woman", "man", "other", "no_answer")
SEAT_ITEM = "uppdrag"  # 1 = ordinary member, 2 = substitute
CHAIR_ITEM = "ordforande"  # 1 = yes, 2 = no

# --- bodies ------------------------------------------------------------------------------------


@dataclass
class BodyData:
    """A political body as typed in."""

    name: str
    kind: str
    active: bool = True


def list_bodies(active_only: bool = False) -> list[PoliticalBody]:
    """The bodies in name order."""
    statement = sa.select(PoliticalBody).order_by(PoliticalBody.name)
    if active_only:
        statement = statement.where(PoliticalBody.active)
    return list(db.session.scalars(statement))


def _check_body_name(name: str, body: PoliticalBody | None) -> None:
    same = db.session.scalar(
        sa.select(PoliticalBody.id).where(sa.func.lower(PoliticalBody.name) == name.lower())
    )
    if same is not None and (body is None or same != body.id):
        raise Invalid({"name": _("There is already a body called %(name)s.", name=name)})


def create_body(data: BodyData) -> PoliticalBody:
    """Register a political body."""
    name = " ".join(data.name.split())
    _check_body_name(name, None)
    body = PoliticalBody(name=name, kind=data.kind, active=data.active)
    db.session.add(body)
    db.session.flush()
    return body


def update_body(body: PoliticalBody, data: BodyData) -> PoliticalBody:
    """Change a body's name, kind or whether it is active."""
    name = " ".join(data.name.split())
    _check_body_name(name, body)
    body.name, body.kind, body.active = name, data.kind, data.active
    db.session.flush()
    return body


# --- seats -------------------------------------------------------------------------------------

SeatKey = tuple[int, str, str]  # body id, seat kind, sex


def seat_grid(year: int) -> dict[SeatKey, int]:
    """A year's counts: (body id, seat kind, sex) -> count."""
    rows = db.session.execute(
        sa.select(SeatCount.body_id, SeatCount.seat_kind, SeatCount.sex, SeatCount.count).where(
            SeatCount.year == year
        )
    )
    return {(b, k, s): c for b, k, s, c in rows}


def seat_totals(year: int) -> dict[tuple[str, str], int]:
    """A year's seats by (seat kind, sex), all bodies together."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for (_body, kind, sex), count in seat_grid(year).items():
        totals[(kind, sex)] += count
    return dict(totals)


def seats_per_year() -> dict[int, int]:
    """Every year's number of seats, all bodies together (one query)."""
    return dict(
        db.session.execute(
            sa.select(SeatCount.year, sa.func.sum(SeatCount.count)).group_by(SeatCount.year)
        ).all()
    )


def seat_years() -> list[int]:
    """The years with seat counts, newest first."""
    return list(
        db.session.scalars(sa.select(SeatCount.year).distinct().order_by(SeatCount.year.desc()))
    )


def save_seats(year: int, grid: dict[SeatKey, int], *, what: str = "") -> None:
    """Replace a year's counts by `grid`, all or nothing.

    Refused (Invalid) when the year's round already has more answers than the seats would
    allow, in all or for women or men: the counts are then wrong, not the answers.
    """
    if not 2000 <= year <= 2100:
        raise Invalid({"year": _("Write a year such as %(year)d.", year=local_today().year)})
    if any(count < 0 for count in grid.values()):
        raise Invalid({"seats": _("A number of seats cannot be negative.")})
    _check_seats_cover_answers(year, grid)
    db.session.execute(sa.delete(SeatCount).where(SeatCount.year == year))
    rows = [
        {"body_id": b, "year": year, "seat_kind": k, "sex": s, "count": c}
        for (b, k, s), c in grid.items()
        if c
    ]
    if rows:
        db.session.execute(sa.insert(SeatCount), rows)


def _check_seats_cover_answers(year: int, grid: dict[SeatKey, int]) -> None:
    round_ = round_of_year(year)
    if round_ is None:
        return
    answered = answers_by_sex(round_.wave_id)
    seats_by_sex: dict[str, int] = defaultdict(int)
    for (_b, _k, sex), count in grid.items():
        seats_by_sex[sex] += count
    total_answers = sum(answered.values())
    total_seats = sum(seats_by_sex.values())
    if total_seats < total_answers:
        raise Invalid(
            {
                "seats": _(
                    "The round %(year)d already has %(answers)d answers, but the seats add up "
                    "to %(seats)d. Check the numbers: there cannot be fewer seats than answers.",
                    year=year,
                    answers=total_answers,
                    seats=total_seats,
                )
            }
        )
    for sex, label in ((SeatSex.WOMAN, _("women")), (SeatSex.MAN, _("men"))):
        if seats_by_sex[sex] < answered.get(sex, 0):
            raise Invalid(
                {
                    "seats": _(
                        "The round %(year)d already has %(answers)d answers from %(who)s, but "
                        "the seats held by %(who)s add up to %(seats)d.",
                        year=year,
                        answers=answered[sex],
                        who=label,
                        seats=seats_by_sex[sex],
                    )
                }
            )


# --- the instrument ----------------------------------------------------------------------------


def shipped_definition() -> dict:
    """The officials' questionnaire as shipped with the app."""
    text = resources.files("mvp.officials").joinpath("data", INSTRUMENT_FILE).read_text("utf-8")
    return json.loads(text)


def ensure_instrument() -> Instrument:
    """The newest active version of the officials' questionnaire (installed on first use)."""
    current = db.session.scalars(
        sa.select(Instrument)
        .where(Instrument.population == Population.OFFICIALS.value, Instrument.active)
        .order_by(Instrument.version.desc())
    ).first()
    if current is not None:
        return current
    return instruments.install_definition(shipped_definition())[0]


# --- rounds ------------------------------------------------------------------------------------


@dataclass
class RoundData:
    """A round as typed in."""

    year: int
    opens_on: dt.date
    closes_on: dt.date
    suppression_min: int = 5


def list_rounds() -> list[OfficialRound]:
    """Every round, newest first, with its wave."""
    return list(
        db.session.scalars(
            sa.select(OfficialRound)
            .options(sa.orm.joinedload(OfficialRound.wave).joinedload(Wave.instrument))
            .order_by(OfficialRound.year.desc())
        )
    )


def round_of_year(year: int) -> OfficialRound | None:
    """The round of a year, or None."""
    return db.session.scalar(sa.select(OfficialRound).where(OfficialRound.year == year))


def get_round(round_id: int) -> OfficialRound:
    """One round, else 404."""
    return db.get_or_404(OfficialRound, round_id)


def create_round(data: RoundData) -> OfficialRound:
    """Open the year's round on the newest officials' questionnaire."""
    if round_of_year(data.year) is not None:
        raise Invalid({"year": _("There is already a round for %(year)d.", year=data.year)})
    if data.closes_on < data.opens_on:
        raise Invalid({"closes_on": _("The last day cannot be before the first day.")})
    if not 2 <= data.suppression_min <= 50:
        raise Invalid({"suppression_min": _("Choose a threshold between 2 and 50.")})
    instrument = ensure_instrument()
    wave = Wave(
        population=Population.OFFICIALS.value,
        instrument=instrument,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
    )
    db.session.add(wave)
    db.session.flush()
    round_ = OfficialRound(year=data.year, wave_id=wave.id, suppression_min=data.suppression_min)
    db.session.add(round_)
    db.session.flush()
    return round_


def round_status(round_: OfficialRound) -> str:
    """'upcoming', 'open' or 'closed' (closed by the lead, or past its last day)."""
    if round_.closed:
        return "closed"
    return wave_status(round_.wave)


def close_round(round_: OfficialRound) -> None:
    """Close a round now: no more answers, whatever its dates."""
    round_.closed = True
    db.session.flush()


def set_threshold(round_: OfficialRound, value: int) -> None:
    """Change the round's suppression threshold."""
    if not 2 <= value <= 50:
        raise Invalid({"suppression_min": _("Choose a threshold between 2 and 50.")})
    round_.suppression_min = value
    db.session.flush()


def seats_in_round(round_: OfficialRound) -> int:
    """How many seats the round's year has (the number of codes to hand out)."""
    return sum(seat_totals(round_.year).values())


def make_codes(round_: OfficialRound, count: int | None = None) -> list[str]:
    """Codes for the round's letters, in clear (the only time they exist in clear).

    The first time, one per seat; later (lost letters), every unused code is made void and
    a fresh one is made for every seat not yet answered.
    """
    if round_status(round_) == "closed":
        raise Invalid({"codes": _("The round is closed: no new codes can be made.")})
    counts = single_use.code_counts([round_.wave_id])[round_.wave_id]
    seats = seats_in_round(round_)
    if count is None:
        count = seats - counts.used
    if seats == 0:
        raise Invalid({"codes": _("Enter the year's seats first: one code is made per seat.")})
    if count < 1 or count > single_use.MAX_CODES:
        raise Invalid({"codes": _("No seat is left without an answer: no codes are needed.")})
    if counts.issued:
        return single_use.reissue_codes(round_.wave, count)
    return single_use.issue_codes(round_.wave, count)


# --- answers by background (the lead's response rate) ------------------------------------------


def answers_by_sex(wave_id: int) -> dict[str, int]:
    """A wave's answers by sex."""
    rows = db.session.execute(
        sa.select(Response.sex, sa.func.count(Response.id))
        .where(Response.wave_id == wave_id)
        .group_by(Response.sex)
    )
    return dict(rows.all())


def answers_by_sex_and_seat(wave_id: int) -> dict[tuple[str, str], int]:
    """A wave's answers by (seat kind as answered, sex): chair if they said so, else their
    kind of seat, "unknown" if they said neither (one query)."""
    seat_item = (
        sa.select(Answer.response_id, Answer.value)
        .join(Item, Item.id == Answer.item_id)
        .where(Item.key == SEAT_ITEM)
        .subquery()
    )
    chair_item = (
        sa.select(Answer.response_id, Answer.value)
        .join(Item, Item.id == Answer.item_id)
        .where(Item.key == CHAIR_ITEM)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Response.sex, seat_item.c.value, chair_item.c.value, sa.func.count(Response.id))
        .outerjoin(seat_item, seat_item.c.response_id == Response.id)
        .outerjoin(chair_item, chair_item.c.response_id == Response.id)
        .where(Response.wave_id == wave_id)
        .group_by(Response.sex, seat_item.c.value, chair_item.c.value)
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for sex, seat, chair, count in rows:
        if chair == 1:
            kind = SeatKind.CHAIR.value
        elif seat == 1:
            kind = SeatKind.ORDINARY.value
        elif seat == 2:
            kind = SeatKind.SUBSTITUTE.value
        else:
            kind = "unknown"
        counts[(kind, sex)] += count
    return dict(counts)


@dataclass
class RateRow:
    """Seats, answers and the response rate of one kind of seat, by sex."""

    kind: str
    seats: dict[str, int]
    answers: dict[str, int]

    def rate(self, sex: str) -> float | None:
        seats = self.seats.get(sex, 0)
        return self.answers.get(sex, 0) / seats * 100 if seats else None


def response_rates(round_: OfficialRound) -> list[RateRow]:
    """The lead's view of a round as it grows: seats and answers by kind of seat and sex."""
    seats = seat_totals(round_.year)
    answers = answers_by_sex_and_seat(round_.wave_id)
    rows = []
    for kind in [*(k.value for k in SeatKind), "unknown"]:
        rows.append(
            RateRow(
                kind,
                {s.value: seats.get((kind, s.value), 0) for s in SeatSex},
                {
                    sex: answers.get((kind, sex), 0)
                    for sex in ("woman", "man", "other", "no_answer")
                },
            )
        )
    total_seats: dict[str, int] = defaultdict(int)
    total_answers: dict[str, int] = defaultdict(int)
    for row in rows:
        for sex, n in row.seats.items():
            total_seats[sex] += n
        for sex, n in row.answers.items():
            total_answers[sex] += n
    rows.append(RateRow("total", dict(total_seats), dict(total_answers)))
    return rows


# --- national reference values -----------------------------------------------------------------


@dataclass
class ReferenceData:
    """A reference value as typed in."""

    measure: str
    sex: str
    percent: float
    year: int
    source: str


def list_references() -> list[Reference]:
    """Every reference value, by measure and year."""
    return list(
        db.session.scalars(
            sa.select(Reference).order_by(Reference.measure, Reference.year, Reference.sex)
        )
    )


def add_reference(data: ReferenceData) -> Reference:
    """Enter a national reference value."""
    if not 0 <= data.percent <= 100:
        raise Invalid({"percent": _("Write a percentage between 0 and 100.")})
    reference = Reference(**data.__dict__)
    db.session.add(reference)
    db.session.flush()
    return reference


def delete_reference(reference_id: int) -> None:
    """Remove a reference value."""
    db.session.delete(db.get_or_404(Reference, reference_id))
    db.session.flush()
