"""Small factories for the officials' area: bodies with seats, a round, and answers."""

import datetime as dt

from mvp.extensions import db
from mvp.officials import services
from mvp.officials.models import OfficialRound, PoliticalBody
from mvp.surveys.answers import ResponseData, instrument_items, store_responses
from mvp.surveys.coding import Coded
from mvp.surveys.models import Source


def make_body(name="Kommunfullmäktige", kind="assembly") -> PoliticalBody:
    body = services.create_body(services.BodyData(name, kind))
    db.session.commit()
    return body


def set_seats(year: int, body: PoliticalBody, **counts) -> None:
    """counts like ordinary_woman=20, substitute_man=10."""
    grid = {}
    for key, n in counts.items():
        kind, sex = key.rsplit("_", 1)
        grid[(body.id, kind, sex)] = n
    services.save_seats(year, grid)
    db.session.commit()


def make_round(year=2026, *, opens_on=None, closes_on=None, threshold=5) -> OfficialRound:
    today = dt.date.today()
    round_ = services.create_round(
        services.RoundData(
            year,
            opens_on or today - dt.timedelta(days=1),
            closes_on or today + dt.timedelta(days=20),
            threshold,
        )
    )
    db.session.commit()
    return round_


def answers_of(round_: OfficialRound, **by_key) -> dict[int, Coded]:
    """Answers by item key: an int value, or "V" for "Vet inte"."""
    items = {i.key: i for i in instrument_items(round_.wave.instrument_id)}
    return {
        items[key].id: Coded(None, True) if value == "V" else Coded(value, False)
        for key, value in by_key.items()
    }


def add_answers(round_: OfficialRound, rows: list[tuple[str, dict]]) -> None:
    """Store answers straight through the engine: (sex, {item key: value})."""
    data = [ResponseData(sex, None, answers_of(round_, **a)) for sex, a in rows]
    store_responses(round_.wave, data, source=Source.ONLINE.value, answered_on=round_.wave.opens_on)
    db.session.commit()
