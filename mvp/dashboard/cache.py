"""Built evaluations kept for the next view while the data has not changed.

The key is the resolved selection (after the reader's scope is applied, so a coordinator's
schools are part of it and one reader's scope is never served to another), the language,
today's date (the evaluation counts open questionnaires by the day), the settings that
change figures, and the data version every write raises (mvp.dashboard.version). A stale
entry is never read: a change raises the version, so the next view asks for a new key; old
entries age out.

Besides evaluations, the dashboard keeps its rendered HTML parts under the same key
(`cached_text`), so a repeated view neither rebuilds nor redraws the tables.

Where entries live: Redis when MVP_CACHE_URL is set (redis://host:6379/0; shared by every
app server, pickled), else a small least-recently-used store in each process.
"""

import datetime as dt
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale

from mvp.auth.permissions import school_scope
from mvp.dashboard.version import current_version
from mvp.evaluation import services
from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.results import Evaluation
from mvp.surveys.pairing import ensure_paired

# Settings read by the build: a change of them must not be served from an older entry.
FIGURE_SETTINGS = ("SUPPRESSION_MIN", "MUNICIPALITY_NAME")
PREFIX = "mvp:evaluation:"


class LocalStore:
    """A bounded least-recently-used store in this process (thread-safe)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, Evaluation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Evaluation | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: Evaluation) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class RedisStore:
    """Entries in Redis, pickled, expiring after a while (old versions are never asked for)."""

    def __init__(self, url: str, seconds: int):
        import redis

        self.client = redis.Redis.from_url(url)
        self.seconds = seconds

    def get(self, key: str) -> Evaluation | None:
        data = self.client.get(key)
        # The entries are written by this application only (a private Redis).
        return pickle.loads(data) if data is not None else None

    def set(self, key: str, value: Evaluation) -> None:
        self.client.set(key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), ex=self.seconds)

    def clear(self) -> None:
        for key in self.client.scan_iter(match=PREFIX + "*"):
            self.client.delete(key)


def store():
    """This app's store, made on first use from its settings."""
    extensions = current_app.extensions
    if "mvp_evaluation_cache" not in extensions:
        url = current_app.config.get("CACHE_URL") or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            extensions["mvp_evaluation_cache"] = RedisStore(
                url, int(current_app.config["CACHE_SECONDS"])
            )
        else:
            extensions["mvp_evaluation_cache"] = LocalStore(int(current_app.config["CACHE_SIZE"]))
    return extensions["mvp_evaluation_cache"]


def cache_key(selection: EvaluationFilter, language: str, today: dt.date, version: int) -> str:
    """The entry's name: everything a figure of the evaluation depends on."""
    settings = tuple(current_app.config.get(name) for name in FIGURE_SETTINGS)
    text = repr((selection, language, today.isoformat(), settings, version))
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_year(user) -> int:
    """The school year the evaluation opens on for this reader, looked up once per version.

    Finding it reads every group's answers (mvp.evaluation.services.default_school_year),
    which is the one cost of a repeated view that would grow with the data.
    """
    scope = school_scope(user)
    text = repr(
        (
            "default-year",
            sorted(scope) if scope is not None else None,
            dt.date.today(),
            current_version(),
        )
    )
    key = PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()
    entries = store()
    year = entries.get(key)
    if year is None:
        year = services.default_school_year(user)
        entries.set(key, year)
    return year


def reading_language(language: str | None = None) -> str:
    """The language asked for, else the reader's."""
    return language or str(get_locale() or "sv")


def evaluation_key(selection: EvaluationFilter, language: str | None = None) -> str:
    """The key of a selection's evaluation as the data stands now (reads the data version).

    Online answers are paired where pairs are read, not in the pupil's request
    (mvp.surveys.pairing), so the selection's cohorts are brought up to date first: a pairing
    raises the data version, and the key then names the evaluation with the new pairs.
    """
    ensure_paired(selection.school_ids)
    return cache_key(selection, reading_language(language), dt.date.today(), current_version())


def evaluation_at(key: str, selection: EvaluationFilter, language: str | None = None):
    """The evaluation stored under `key`, else built now and stored."""
    entries = store()
    evaluation = entries.get(key)
    if evaluation is None:
        evaluation = build_evaluation(selection, language=reading_language(language))
        entries.set(key, evaluation)
    return evaluation


def cached_evaluation(selection: EvaluationFilter, *, language: str | None = None) -> Evaluation:
    """The evaluation of a checked selection: from the cache if nothing changed, else built."""
    return evaluation_at(evaluation_key(selection, language), selection, language)


def cached_text(key: str, part: str, make: Callable[[], str]) -> str:
    """A rendering of the evaluation under `key` (a page's part), made once per data version.

    `part` names the rendering and everything else it depends on (the page, the reader's
    permissions), so two readers who may see different links never share one.
    """
    name = f"{key}:{hashlib.sha256(part.encode('utf-8')).hexdigest()[:16]}"
    entries = store()
    text = entries.get(name)
    if text is None:
        text = make()
        entries.set(name, text)
    return text
