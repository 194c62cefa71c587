"""Browser tests: the app served from a thread, driven by the system's Chromium via Playwright.

They are skipped only where no chromium is installed; CI sets MVP_REQUIRE_BROWSER=1, which
turns a missing browser into a failure.

Every page a test checks with `assert_accessible` is also checked for sideways scrolling at a
phone's and a laptop's width, and every HTML page the browser is served is kept: when the run
ends the Nu HTML Checker (npm's vnu-jar, see package.json) reads them all in one go and any
error fails the run (`tests/browser/html_check.py`).
"""

import os
import shutil
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from tests.browser import html_check

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A phone (iPhone 12–15) and a laptop: no page may scroll sideways at either width, except
# inside a grid or a table's own scrolling region.
CHECKED_WIDTHS = (390, 1280)
_axe = Axe()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("MVP_REQUIRE_BROWSER"):
            pytest.fail("MVP_REQUIRE_BROWSER is set but no chromium is installed")
        pytest.skip("no chromium installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        # The closed network here: no background connections, no first-run or sync services.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_server(base_app, tmp_path_factory, pytestconfig):
    """The test app on a free port; returns its address. Every HTML page served is kept for
    the HTML check at the end of the run."""
    pages = html_check.PageStore(tmp_path_factory.mktemp("served-html"))
    pytestconfig.stash[html_check.STORE] = pages
    server = make_server("127.0.0.1", 0, html_check.KeepHtml(base_app, pages), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-base-url's fixture (deprecated style); pages may use relative URLs."""
    return live_server


@pytest.fixture
def server(app, live_server):
    """The address of the served app, with a clean database after the test."""
    return live_server


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now, and the page does
    not scroll sideways at a phone's or a laptop's width."""
    results = _run_axe(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]
    assert violations == [], f"{page.url}: " + " | ".join(violations)
    assert_no_sideways_scroll(page)


def _run_axe(page):
    """axe-core's results for the page the test is on. A click that navigates returns before
    the next document is there: axe started in between sees the old document go away under it
    ("Execution context was destroyed", or no document at all). Then the page it was meant
    for has loaded once the navigation is over, and axe runs again on that one."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    page.wait_for_load_state("load")
    try:
        return _axe.run(page, options=options)
    except PlaywrightError:
        page.wait_for_load_state("load")
        return _axe.run(page, options=options)


def assert_no_sideways_scroll(page) -> None:
    """At 390 and 1280 px the page is no wider than the window (grids scroll inside their own
    region); the test's own window size is put back afterwards."""
    size = page.viewport_size
    try:
        for width in CHECKED_WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(_WIDEST_ELEMENTS) if overflow > 0 else ""
            assert overflow <= 0, f"{page.url} scrolls sideways at {width} px: {overflow} px{wide}"
    finally:
        page.set_viewport_size(size)


# Names the elements that stick out, so that a failure says where to look.
_WIDEST_ELEMENTS = r"""() => {
  const limit = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    const text = el.scrollWidth > el.clientWidth + 1
      && getComputedStyle(el).overflowX === "visible";
    if ((box.right > limit + 1 || text) && !el.closest(".table-wrap")) {
      const classes = typeof el.className === "string" ? el.className.trim() : "";
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (classes ? "." + classes.split(/\s+/).join(".") : ""));
    }
    if (out.length >= 5) break;
  }
  return out.length ? ": " + out.join(", ") : "";
}"""


def log_in(page, server, email, password) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
