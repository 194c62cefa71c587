"""Gunicorn on a free loopback port, and pupils answering through it, bounded in count and time.

Used by the bench (online answers per second, 2 workers × 4 threads) and by the two-server
test. The server is a subprocess of `gunicorn 'mvp:create_app()'` configured only through
MVP_* environment variables, as in production; it is always stopped when the block ends.
"""

import contextlib
import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mvp.surveys.coding import allowed_codes
from mvp.surveys.linkage import QUESTIONS
from mvp.surveys.questionnaire import GRADE_FIELD, SEX_FIELD

TIMEOUT = 10  # seconds, for every request


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "mvp:create_app()",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    return process, f"http://127.0.0.1:{port}"


def _wait_until_ready(process: subprocess.Popen, base: str, within: float) -> None:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode(errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer on {base} in {within} s")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    process.stderr.close()


@contextlib.contextmanager
def gunicorns(env: dict[str, str], count: int, *, workers: int, threads: int, within=60.0):
    """Start `count` gunicorn servers of the app side by side on 127.0.0.1 and yield their
    base URLs once all answer; every one is killed when the block ends, whatever happened."""
    started = []
    try:
        for _n in range(count):
            started.append(_start(env, workers, threads))
        for process, base in started:
            _wait_until_ready(process, base, within)
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            _stop(process)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 4, within: float = 60.0):
    """Serve the app with one gunicorn on 127.0.0.1 and yield its base URL."""
    with gunicorns(env, 1, workers=workers, threads=threads, within=within) as (base,):
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status(request: urllib.request.Request, opener=None) -> tuple[int, str, str]:
    """(status, body, Location) of one request, redirects handed back to the caller."""
    opener = opener or urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.read().decode(), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")


def answer_form(items, grade: int) -> dict[str, str]:
    """A filled-in questionnaire as the pupil's browser posts it (the token added later)."""
    form = {SEX_FIELD: "girl", GRADE_FIELD: str(grade)}
    for n, item in enumerate(items):
        codes = allowed_codes(item.kind, len(item.options or []))
        form[f"q-{item.key}"] = codes[n % len(codes)]
    for question in QUESTIONS:
        form[question.key] = question.options[0][0]
    return form


@dataclass
class FilledIn:
    """A pupil's browser that has gone through every page: its cookies hold the draft."""

    opener: urllib.request.OpenerDirector
    base: str
    code: str
    data: bytes
    requests: int  # made so far


def fill_in(base: str, code: str, form: dict[str, str]) -> FilledIn | None:
    """A pupil's fresh browser opens the wave's address and goes through the questionnaire's
    pages (the draft kept in its cookie, each page answered by a redirect to the next), up
    to the last page's *Skicka*; None when a step went wrong."""
    opener = urllib.request.build_opener(
        _NoRedirect, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    status, _page, location = _status(urllib.request.Request(f"{base}/e/{code}"), opener)
    if status != 303 or "/sida/" not in location:
        return None
    status, page, _location = _status(urllib.request.Request(base + location), opener)
    token = re.search(r'name="token" value="([^"]+)"', page)
    pages = re.search(r'id="progress">[^<]*?(\d+)\D+(\d+)', page)
    if status != 200 or token is None or pages is None:
        return None
    data = urllib.parse.urlencode({**form, "token": html.unescape(token.group(1))}).encode()
    for number in range(1, int(pages.group(2))):
        url = f"{base}/e/{code}/sida/{number}"
        status, _page, location = _status(urllib.request.Request(url, data=data), opener)
        if status != 303 or not location.endswith(f"/sida/{number + 1}"):
            return None
    return FilledIn(opener, base, code, data, requests=2 + int(pages.group(2)) - 1)


def send(filled: FilledIn) -> bool:
    """The last page's *Skicka*: True when the answer was stored (it leads to "Tack")."""
    request = urllib.request.Request(f"{filled.base}/e/{filled.code}/skicka", data=filled.data)
    status, _page, location = _status(request, filled.opener)
    return status == 303 and location.endswith("/tack")


def one_answer(base: str, code: str, form: dict[str, str]) -> bool:
    """A pupil answers from start to *Tack*: True when the answer was stored."""
    filled = fill_in(base, code, form)
    return filled is not None and send(filled)


def requests_per_answer(base: str, code: str, form: dict[str, str]) -> int:
    """How many requests one pupil's answer makes, counted on a pupil's real way through
    (the draft then abandoned: nothing is stored)."""
    filled = fill_in(base, code, form)
    if filled is None:
        raise RuntimeError(f"the questionnaire {code} could not be filled in on {base}")
    return filled.requests + 1


def fill_in_many(base: str, code: str, form: dict, count: int, *, within: float) -> list:
    """`count` pupils (fewer if `within` seconds run out) who have filled in every page and
    not sent yet, from 8 browsers at a time: a class about to press *Skicka*."""
    filled: list[FilledIn] = []
    lock = threading.Lock()

    def one() -> bool:
        pupil = fill_in(base, code, form)
        if pupil is not None:
            with lock:
                filled.append(pupil)
        return pupil is not None

    load(one, count, within=within)
    return filled


def send_all(pupils: list, *, within: float) -> "Load":
    """Every filled-in pupil presses *Skicka*, 8 at a time."""
    waiting = list(pupils)
    lock = threading.Lock()

    def one() -> bool:
        with lock:
            pupil = waiting.pop()
        return send(pupil)

    return load(one, len(pupils), within=within)


def health_checks(base: str, count: int) -> bool:
    """The floor of `count` requests: as many that only ask the database for SELECT 1."""
    return all(_status(urllib.request.Request(f"{base}/healthz"))[0] == 200 for _ in range(count))


@dataclass
class Load:
    """What a bounded load achieved."""

    done: int
    errors: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def load(task, count: int, *, clients: int = 8, within: float = 30.0) -> Load:
    """Run `task()` `count` times from `clients` threads, stopping early after `within` s."""
    deadline = time.monotonic() + within
    done = errors = 0

    def run(_n):
        if time.monotonic() > deadline:
            return None
        try:
            return task()
        except OSError:
            return False

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for ok in pool.map(run, range(count)):
            if ok is None:
                continue
            done += bool(ok)
            errors += not ok
    return Load(done, errors, time.perf_counter() - started)
