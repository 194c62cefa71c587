"""An instrument version's questions, and its online questionnaire, kept in each app process.

Every request of the answering pages (a pupil's eight pages, an official's) needs the wave's
questions; read and built afresh they were a third of each page's time. A version's questions
only change while it has no answers, and such an edit bumps `Instrument.revision`
(mvp.surveys.instruments), so what is kept per (instrument, when it was made, revision) can
never be stale, with any number of processes or servers: all three come with the wave's own
row (the time too, because SQLite may give a deleted version's id to the next one). The
copies are plain frozen data, safe to share between threads and outside any database session.
"""

import threading
from dataclasses import dataclass

from mvp.surveys.answers import instrument_items
from mvp.surveys.models import Instrument
from mvp.surveys.questionnaire import Questionnaire

# Enough for every version in use at once; past it the store is emptied and filled again.
_KEEP_AT_MOST = 64


@dataclass(frozen=True)
class ItemCopy:
    """What the answering pages and the scorer read of a question (mvp.surveys.models.Item)."""

    id: int
    key: str
    position: int
    text_sv: str
    text_en: str
    kind: str
    scale_id: int | None
    reverse: bool
    options: tuple
    required: bool


class _Kept:
    """A small thread-safe store, emptied when full (versions in use are few)."""

    def __init__(self) -> None:
        self._values: dict = {}
        self._lock = threading.Lock()

    def get(self, key, make):
        found = self._values.get(key)
        if found is None:
            found = make()
            with self._lock:
                if len(self._values) >= _KEEP_AT_MOST:
                    self._values.clear()
                self._values[key] = found
        return found


_items = _Kept()
_questionnaires = _Kept()


def _version_of(instrument) -> tuple:
    return (instrument.id, instrument.created_at, instrument.revision)


def items_of(instrument: Instrument) -> tuple[ItemCopy, ...]:
    """The version's questions in order, as read-only copies."""

    def read() -> tuple[ItemCopy, ...]:
        return tuple(
            ItemCopy(
                item.id,
                item.key,
                item.position,
                item.text_sv,
                item.text_en,
                item.kind,
                item.scale_id,
                item.reverse,
                tuple(item.options or ()),
                item.required,
            )
            for item in instrument_items(instrument.id)
        )

    return _items.get(_version_of(instrument), read)


def questionnaire_of(instrument: Instrument, grades, locale: str, population: str) -> Questionnaire:
    """The online questionnaire of a version for a school's grades, in a language (shared:
    read it, never change it)."""
    grades = tuple(grades)
    key = (*_version_of(instrument), grades, locale, population)
    return _questionnaires.get(
        key, lambda: Questionnaire(list(items_of(instrument)), grades, locale, population)
    )
