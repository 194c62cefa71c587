"""A whole class answers at once: 30 pupils' browsers send 300 answers to gunicorn (2 workers ×
4 threads) through the real /e form: each browser opens the wave's address, reads the first
page and its single-use token, and posts every page, each answered by a redirect to the next
(the draft lives in the browser's cookie; the GETs that would only show pages 2 and 3 again are
left out, so the run spends the shared machine on sending answers).
Every answer is stored, none refused, and the pairs made afterwards are exactly those that
pairing the same answers one by one gives.

Runs on the test database: a SQLite file, or PostgreSQL when MVP_TEST_DATABASE_URL is set.
Bounded: loopback only, 300 submissions, every request with a timeout, the server killed in
`finally`; the server has 30 seconds to start and the 300 answers 90 seconds to be sent.
"""

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
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import pairing
from mvp.surveys.answers import ResponseData, store_responses
from mvp.surveys.instruments import create_version, default_definition
from mvp.surveys.linkage import LETTERS
from mvp.surveys.models import Response, ResponseLink, Source, Wave
from mvp.surveys.waves import local_today
from tests.factories import make_group, make_school
from tests.survey_factories import make_wave

CLIENTS = 30
ANSWERS_PER_CLIENT = 10
DEADLINE_SECONDS = 90
REQUEST_TIMEOUT = 60


# --- the class: one cohort, four groups' waves, 300 answers -----------------------------------


def pupil_code(n: int, **changes) -> dict:
    """Pupil n's six code answers (distinct for n < 348); `changes` as a pupil may slip."""
    code = {
        "kod_bokstav": LETTERS[n % len(LETTERS)],
        "kod_manad": str((n // len(LETTERS)) % 12 + 1),
        "kod_dag": str(n % 10),
        "kod_syskon": str(n % 6),
        "kod_namn": str(n % 15 + 1),
        "kod_hand": str(n % 3 + 1),
    }
    code.update(changes)
    return code


def class_answers(waves: dict[str, Wave]) -> list[tuple[str, dict]]:
    """300 (wave code, form fields): exact and one-element-off pairs, twins, an incomplete
    code, and pupils of a reorganised group (B before, C after) answering in another group."""
    plan = []

    def answer(wave: str, code: dict, n: int):
        sex = ("girl", "boy", "other", "no_answer")[n % 4]
        fields = {"kon": sex, "arskurs": "8", "q-agera1": str(n % 4 + 1), "q-vald1": "1"}
        plan.append((waves[wave].code, {**fields, **code}))

    for n in range(75):  # group A answers before, after and (70 of them) at the follow-up
        answer("a_before", pupil_code(n), n)
        slip = {"kod_hand": str((n + 1) % 3 + 1)} if n % 7 == 0 else {}
        answer("a_after", pupil_code(n, **slip), n)
        if n < 70:
            answer("a_follow_up", pupil_code(n, kod_dag="?" if n == 5 else str(n % 10)), n)
    for n in range(100, 140):  # group B answered before; most of them answer after in group C
        answer("b_before", pupil_code(102 if n == 101 else n), n)  # 101 and 102: one code twice
        answer("c_after", pupil_code(n if n < 130 else n + 100), n)
    assert len(plan) == CLIENTS * ANSWERS_PER_CLIENT
    return plan


def short_instrument():
    """The MVP questionnaire's first five questions: three pages (about you, the questions, the
    code), so the run spends the shared test machine on sending answers, not on pages."""
    definition = default_definition()
    definition["key"] = "mvp-kort"
    definition["items"] = definition["items"][:4] + [
        item for item in definition["items"] if item["key"] == "vald1"
    ]
    definition["scales"] = [s for s in definition["scales"] if s["key"] in ("agera", "kanna_igen")]
    instrument = create_version(definition)
    db.session.commit()
    return instrument


def open_class() -> dict[str, Wave]:
    instrument = short_instrument()
    school = make_school()
    group = {name: make_group(school, name=f"8{name}", grade=8) for name in "ABC"}
    waves = {
        "a_before": make_wave(group["A"], "before", instrument=instrument),
        "a_after": make_wave(group["A"], "after", instrument=instrument),
        "a_follow_up": make_wave(group["A"], "follow_up", instrument=instrument),
        "b_before": make_wave(group["B"], "before", instrument=instrument),
        "c_after": make_wave(group["C"], "after", instrument=instrument),
    }
    db.session.commit()
    return waves


# --- a pupil's browser ----------------------------------------------------------------------


PAGES = 3  # about you, the five questions, the code


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller, which checks where each one leads."""

    def redirect_request(self, *args, **kwargs):
        return None


def answer_as_a_pupil(base: str, code: str, fields: dict) -> str:
    """A fresh browser opens the wave's address, reads the first page's token and sends every
    page, each answered by a redirect to the next (the browser's GET of pages 2 and 3 would
    only show them again). Returns 'stored' when the last page leads to "Tack", else what
    went wrong."""
    opener = urllib.request.build_opener(
        _KeepRedirects, urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def request(path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, body, timeout=REQUEST_TIMEOUT) as reply:
                return reply.status, "", reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), ""

    status, location, _page = request(f"/e/{code}")
    if (status, location) != (303, f"/e/{code}/sida/1"):
        return f"start: {status} {location}"
    status, _location, page = request(location)
    token = re.search(r'name="token" value="([^"]+)"', page)
    if status != 200 or token is None:
        return f"first page: {status}"
    data = {"token": token.group(1), **fields}
    for number in range(1, PAGES):
        status, location, _page = request(f"/e/{code}/sida/{number}", data)
        if (status, location) != (303, f"/e/{code}/sida/{number + 1}"):
            return f"page {number}: {status} {location}"
    status, location, _page = request(f"/e/{code}/skicka", {**data, "go": "send"})
    if (status, location) != (303, f"/e/{code}/tack"):
        return f"send: {status} {location}"
    return "stored"


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(app, port: int, log) -> subprocess.Popen:
    environment = {
        **os.environ,
        "MVP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MVP_INSTANCE_PATH": app.instance_path,
        # One school's public address sends the whole class: production's allowance per wave
        # and address is for one class, this test sends five classes' worth in one minute.
        "MVP_PUPIL_SUBMIT_RATE_LIMIT": "2000 per minute",
        "MVP_PUPIL_CODE_RATE_LIMIT": "2000 per minute",
    }
    environment.pop("MVP_TEST_DATABASE_URL", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [
            str(gunicorn),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
            "mvp:create_app()",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )


def wait_until_serving(base: str, server: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("gunicorn stopped")
        try:
            with urllib.request.urlopen(f"{base}/e", timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start in time")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


# --- the pairs, comparable across runs ------------------------------------------------------


def stored_pairs() -> set[tuple]:
    """The stored pairs, each answer named by its wave and hashed code (unique when paired)."""
    before, later = sa.orm.aliased(Response), sa.orm.aliased(Response)
    rows = db.session.execute(
        sa.select(
            before.wave_id,
            before.link_code,
            later.wave_id,
            later.link_code,
            ResponseLink.later_phase,
            ResponseLink.quality,
        )
        .join(before, before.id == ResponseLink.before_id)
        .join(later, later.id == ResponseLink.later_id)
    )
    return {
        (bw, tuple(bc), lw, tuple(lc), phase, quality) for bw, bc, lw, lc, phase, quality in rows
    }


def pair_one_by_one(stored: list[tuple[int, list, str, int]]) -> set[tuple]:
    """Store the same answers again one at a time, pairing the cohort after each one, as the
    pupil's request did before pairing moved out of it."""
    db.session.execute(sa.delete(Response))
    db.session.commit()
    waves = {w.id: w for w in db.session.scalars(sa.select(Wave))}
    for wave_id, link_code, sex, grade in stored:
        wave = waves[wave_id]
        row = ResponseData(sex=sex, grade=grade, kept_hashes=list(link_code))
        store_responses(wave, [row], source=Source.ONLINE.value, answered_on=local_today())
        pairing.relink_cohort(wave.group.school_id, pairing.cohort_of(wave.group))
        db.session.commit()
    return stored_pairs()


# --- the test -------------------------------------------------------------------------------


def test_a_class_answering_at_once_loses_nothing_and_pairs_as_one_by_one(app, capsys):
    started = time.monotonic()
    deadline = started + 30 + DEADLINE_SECONDS  # set again once the server answers
    waves = open_class()
    plan = class_answers(waves)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    outcomes: list[str] = []
    lock = threading.Lock()

    def pupil_browser(share: list[tuple[str, dict]]):
        for code, fields in share:
            if time.monotonic() > deadline:
                outcome = "deadline"
            else:
                try:
                    outcome = answer_as_a_pupil(base, code, fields)
                except OSError as error:  # a refused or timed-out connection
                    outcome = f"connection: {error}"
            with lock:
                outcomes.append(outcome)

    log = open(Path(app.instance_path) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = start_gunicorn(app, port, log)
    try:
        wait_until_serving(base, server, started + 30)
        shares = [plan[n::CLIENTS] for n in range(CLIENTS)]
        threads = [threading.Thread(target=pupil_browser, args=(s,), daemon=True) for s in shares]
        sending = time.monotonic()
        deadline = sending + DEADLINE_SECONDS
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.1))
        seconds = time.monotonic() - sending
        assert not any(t.is_alive() for t in threads), f"deadline passed: {len(outcomes)} sent"
    finally:
        stop(server)
        log.close()

    errors = [o for o in outcomes if o != "stored"]
    log_tail = (Path(app.instance_path) / "gunicorn.log").read_text()[-3000:]
    assert errors == [], f"{Counter(errors)}\n{log_tail}"
    accepted = outcomes.count("stored")
    db.session.expire_all()
    stored = db.session.scalar(sa.select(sa.func.count(Response.id)))
    assert stored == accepted == CLIENTS * ANSWERS_PER_CLIENT
    with capsys.disabled():
        kind = db.engine.dialect.name
        print(
            f"\n{kind}: {accepted} answers in {seconds:.1f} s = {accepted / seconds:.1f} answers/s"
        )

    # The pupils' requests made no pairs; the first read pairs the cohort once.
    assert db.session.scalar(sa.select(sa.func.count(ResponseLink.id))) == 0
    assert pairing.ensure_paired() == 1
    assert pairing.ensure_paired() == 0  # now current: nothing to do
    concurrent = stored_pairs()
    qualities = {quality for *_rest, quality in concurrent}
    assert qualities == {"exact", "one_differs"}
    assert {phase for *_rest, phase, _q in concurrent} == {"after", "follow_up"}
    # Pupils of group B found again in group C (a reorganised group).
    assert any(
        bw == waves["b_before"].id and lw == waves["c_after"].id for bw, _b, lw, *_ in concurrent
    )

    answers_in_order = db.session.execute(
        sa.select(Response.wave_id, Response.link_code, Response.sex, Response.grade).order_by(
            Response.id
        )
    ).all()
    assert pair_one_by_one([tuple(row) for row in answers_in_order]) == concurrent
