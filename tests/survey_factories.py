"""Factories for questionnaires: the default instrument, waves, and responses typed as codes."""

import datetime as dt

from mvp.extensions import db
from mvp.surveys import services
from mvp.surveys.coding import decode
from mvp.surveys.instruments import ensure_default_instrument
from mvp.surveys.linkage import QUESTION_KEYS
from mvp.surveys.models import Instrument, Source, Wave
from mvp.surveys.services import ResponseData, local_today

CODE = {
    "kod_bokstav": "M",
    "kod_manad": "4",
    "kod_dag": "7",
    "kod_syskon": "1",
    "kod_namn": "5",
    "kod_hand": "1",
}


def make_instrument() -> Instrument:
    instrument = ensure_default_instrument()
    db.session.commit()
    return instrument


def make_wave(group, phase="before", *, instrument=None, opens_on=None, closes_on=None) -> Wave:
    today = local_today()
    wave = Wave(
        group=group,
        phase=phase,
        instrument=instrument or make_instrument(),
        opens_on=opens_on or today - dt.timedelta(days=3),
        closes_on=closes_on or today + dt.timedelta(days=7),
        code=services.new_code(),
    )
    db.session.add(wave)
    db.session.commit()
    return wave


def code(**changes) -> dict:
    """A linkage code: the standard one with some elements changed (None = unanswered)."""
    return {**CODE, **changes}


def response_data(wave: Wave, answers: dict | None = None, *, sex="girl", grade=None, link=None):
    """ResponseData from paper codes by item key ({"agera1": "1", "vald1": "V"})."""
    items = {item.key: item for item in services.instrument_items(wave.instrument_id)}
    coded = {}
    for key, text in (answers if answers is not None else {"agera1": "2"}).items():
        item = items[key]
        value = decode(item.kind, text, len(item.options or []))
        if value is not None:
            coded[item.id] = value
    return ResponseData(
        sex=sex,
        grade=grade if grade is not None else wave.group.grade,
        answers=coded,
        link=link if link is not None else dict(CODE),
    )


def add_responses(wave: Wave, rows: list[ResponseData], *, source=Source.PAPER.value):
    """Store responses as a batch (answers, scores and pairs), committed."""
    batch = services.add_batch(wave, rows, source=source, answered_on=local_today())
    db.session.commit()
    return batch


def answer_with_codes(wave: Wave, codes: list[dict], **kwargs):
    """One response per linkage code given."""
    return add_responses(wave, [response_data(wave, link=c, **kwargs) for c in codes])


__all__ = ["CODE", "QUESTION_KEYS", "add_responses", "answer_with_codes", "code"]
