"""Two app servers, one database, one Redis: they behave as one.

Two gunicorn instances (`gunicorn 'mvp:create_app()'`, each on its own free loopback port)
share the suite's database (PostgreSQL when MVP_TEST_DATABASE_URL says so, else its SQLite
file), one Redis for the rate limits (db 3) and the evaluation cache (db 4), the secret and
linkage keys and an instance folder, with CSRF checks on, configured only through MVP_*
variables as in production. A browser signs in on one and goes on on the other.
"""

import html
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
import redis

from mvp.bench import online
from mvp.schools.years import format_school_year
from mvp.surveys.services import instrument_items
from tests.factories import PASSWORD, make_group, make_school, make_user
from tests.survey_factories import add_responses, code, make_wave, response_data

# Fixed Redis databases: every test that uses one runs on the same pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("redis")

RATE_LIMITS = "redis://127.0.0.1:6379/3"
CACHE = "redis://127.0.0.1:6379/4"
LOGIN_LIMIT = 4  # failed logins per minute, per address and per account


@pytest.fixture(scope="module")
def servers(base_app, tmp_path_factory):
    """Servers A and B (1 worker × 2 threads each), stopped after the module's tests."""
    env = {
        "MVP_DATABASE_URL": base_app.config["SQLALCHEMY_DATABASE_URI"],
        "MVP_INSTANCE_PATH": str(tmp_path_factory.mktemp("shared-instance")),
        "MVP_SECRET_KEY": secrets.token_hex(32),
        "MVP_LINKAGE_KEY": secrets.token_hex(32),
        "MVP_RATELIMIT_STORAGE_URI": RATE_LIMITS,
        "MVP_CACHE_URL": CACHE,
        "MVP_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "MVP_WTF_CSRF_ENABLED": "true",
    }
    with online.gunicorns(env, 2, workers=1, threads=2) as (a, b):
        yield a, b


@pytest.fixture
def shared(app, servers):
    """The servers with empty counters; the database is emptied after each test (conftest)."""
    for url in (RATE_LIMITS, CACHE):
        with redis.Redis.from_url(url, socket_timeout=5) as connection:
            connection.flushdb()
    return servers


class Browser:
    """Cookies kept as a browser keeps them for 127.0.0.1, whichever port answers."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location) of a GET, or of a POST when `data` is given."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=online.TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.read().decode(), response.headers.get("Location", "")

    def csrf_token(self, url: str) -> str:
        """The CSRF token of the form on that page."""
        status, page, _location = self.request(url)
        assert status == 200, (url, status)
        return html.unescape(re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1))

    def log_in(self, server: str, email: str, password: str = PASSWORD) -> int:
        token = self.csrf_token(f"{server}/login")
        data = {"email": email, "password": password, "csrf_token": token}
        return self.request(f"{server}/login", data)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _signed_in(browser: Browser, server: str) -> bool:
    status, _page, location = browser.request(f"{server}/evaluation/")
    assert status in (200, 302), status
    return status == 200 and "/login" not in location


def test_a_session_begun_on_one_server_is_valid_on_the_other(shared):
    a, b = shared
    lead = make_user("lead")
    browser = Browser()
    assert not _signed_in(browser, b)
    assert browser.log_in(a, lead.email) == 302
    assert _signed_in(browser, b)
    assert _signed_in(browser, a)


def test_a_csrf_token_from_one_servers_form_is_accepted_by_the_other(shared):
    a, b = shared
    lead = make_user("lead")
    browser = Browser()
    # Signing in: the form comes from A, the answer goes to B.
    token = browser.csrf_token(f"{a}/login")
    data = {"email": lead.email, "password": PASSWORD, "csrf_token": token}
    assert browser.request(f"{b}/login", data)[0] == 302
    # A form of a signed-in user: A's token works on B, a made-up one is refused there.
    token = browser.csrf_token(f"{a}/evaluation/texts")
    form = {"school_year": format_school_year(2024), "lessons_learned": "Fler pass."}
    texts = f"{b}/evaluation/texts"
    assert browser.request(texts, {**form, "csrf_token": "made-up"})[0] == 400
    status, page, location = browser.request(texts, {**form, "csrf_token": token})
    assert status == 302, page
    assert "/evaluation/texts" in location


def test_logout_on_one_server_ends_the_session_on_the_other(shared):
    # Logout ends the account's sessions in the database, so a copy of the cookie taken
    # before the logout on A is refused by B as well, not only the browser's own.
    a, b = shared
    lead = make_user("lead")
    browser = Browser()
    assert browser.log_in(a, lead.email) == 302
    assert _signed_in(browser, b)
    copied = Browser()
    copied.cookies = dict(browser.cookies)
    assert _signed_in(copied, b)
    token = browser.csrf_token(f"{a}/evaluation/texts")
    status, _page, location = browser.request(f"{a}/logout", {"csrf_token": token})
    assert status == 302 and "/login" in location
    assert not _signed_in(browser, b)
    assert not _signed_in(browser, a)
    assert not _signed_in(copied, b)
    assert not _signed_in(copied, a)


def test_failed_logins_are_counted_across_both_servers(shared):
    a, b = shared
    lead = make_user("lead")
    browser = Browser()
    # Half of the allowed failures on each server: no server alone reaches the limit...
    for server in [a, b] * (LOGIN_LIMIT // 2):
        assert browser.log_in(server, lead.email, "wrong password") == 200
    # ...but together they have: even the right password is now refused, on either server.
    assert browser.log_in(a, lead.email) == 429
    assert browser.log_in(b, lead.email) == 429
    assert not _signed_in(browser, b)


def test_the_evaluation_on_one_server_shows_what_was_written_through_the_other(shared):
    a, b = shared
    lead = make_user("lead")
    group = make_group(make_school(), girls=14, boys=14, others=0)
    wave = make_wave(group)
    add_responses(wave, [response_data(wave, link=code(kod_namn=str(n + 3))) for n in range(8)])
    add_responses(wave, [response_data(wave, link=code(kod_dag=str(n))) for n in range(4)])
    form = online.answer_form(instrument_items(wave.instrument_id), group.grade)
    browser = Browser()
    assert browser.log_in(b, lead.email) == 302
    year = urllib.parse.urlencode({"year": format_school_year(group.school_year)})

    def answers_before_the_lessons():
        status, body, _location = browser.request(f"{b}/api/v1/evaluation?{year}")
        assert status == 200, body
        phases = json.loads(body)["reach"]["responses"]
        return next(p["responses"] for p in phases if p["phase"] == "before")

    assert answers_before_the_lessons() == 12
    # A pupil answers through A; B's evaluation counts the answer at once.
    assert online.one_answer(a, wave.code, form)
    assert answers_before_the_lessons() == 13
    # The lead writes the year's lessons learned on A; B's dashboard shows them.
    token = browser.csrf_token(f"{a}/evaluation/texts?{year}")
    texts = {
        "school_year": format_school_year(group.school_year),
        "lessons_learned": "Eleverna ville ha fler pass.",
        "csrf_token": token,
    }
    assert browser.request(f"{a}/evaluation/texts", texts)[0] == 302
    status, page, _location = browser.request(f"{b}/evaluation/?{year}")
    assert status == 200
    assert "Eleverna ville ha fler pass." in page
