"""The Nu HTML Checker over every page the browser tests were served.

The live server's WSGI app is wrapped so that each HTML response is written to a folder (the
markup as sent, not the browser's repaired DOM). When the run ends, vnu (npm's vnu-jar, see
package.json; `make install` runs `npm install`) reads them all in one Java process; any error
fails the run and is listed with the page's address. Under pytest-xdist each worker checks
the pages it served and the controller adds up the results. Without vnu-jar or java the check is
skipped with a note, unless MVP_REQUIRE_BROWSER is set (CI), where it is a failure.
"""

import itertools
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STORE = pytest.StashKey()
RESULTS = pytest.StashKey()  # what each pytest-xdist worker found, in the controller
WORKER_KEY = "html_check"


class PageStore:
    """A folder of served pages, numbered in the order served, with their addresses."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.addresses: dict[str, str] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def keep(self, address: str, body: bytes) -> None:
        with self._lock:
            name = f"page-{next(self._numbers):04d}.html"
            self.addresses[name] = address
        (self.folder / name).write_bytes(body)

    def files(self) -> list[Path]:
        return sorted(self.folder / name for name in self.addresses)


class KeepHtml:
    """WSGI middleware: passes every response on and keeps a copy of the HTML ones."""

    def __init__(self, app, store: PageStore) -> None:
        self.app = app
        self.store = store

    def __call__(self, environ, start_response):
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["html"] = any(
                name.lower() == "content-type" and value.startswith("text/html")
                for name, value in headers
            )
            return start_response(status, headers, exc_info)

        result = self.app(environ, remember)
        if not seen.get("html"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        query = environ.get("QUERY_STRING")
        address = environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        self.store.keep(f"{environ.get('REQUEST_METHOD')} {address}", body)
        return [body]


def run_vnu(files: list[Path]) -> list[dict]:
    """vnu's error messages for the files (one JVM for all of them)."""
    done = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(done.stderr or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


def describe(messages: list[dict], addresses: dict[str, str]) -> list[str]:
    """One line per error: the page's address, the line and vnu's message."""
    lines = []
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        where = addresses.get(name, name)
        lines.append(f"{where} ({name}) line {message.get('lastLine', '?')}: {message['message']}")
    return lines


def _check_own_pages(config) -> dict | None:
    """vnu over the pages this process served: their count and the errors, or None when no
    page was kept; `missing` when vnu-jar or java is not here to check them."""
    store = config.stash.get(STORE, None)
    if store is None or not store.addresses:
        return None
    if not VNU_JAR.exists() or shutil.which("java") is None:
        return {"pages": len(store.addresses), "errors": [], "missing": True}
    errors = describe(run_vnu(store.files()), store.addresses)
    return {"pages": len(store.addresses), "errors": errors, "missing": False}


def from_worker(node) -> None:
    """(pytest-xdist controller) Keep what a worker's own check found, for the summary."""
    found = getattr(node, "workeroutput", {}).get(WORKER_KEY)
    if found:
        node.config.stash.setdefault(RESULTS, []).append(json.loads(found))


def check_session(session) -> None:
    """At the end of the run: each pytest-xdist worker checks the pages it served and hands
    the result to the controller, which (like a run without workers) reports and fails."""
    config = session.config
    own = _check_own_pages(config)
    if hasattr(config, "workerinput"):
        if own:
            config.workeroutput[WORKER_KEY] = json.dumps(own)
        return
    results = [*config.stash.get(RESULTS, []), *([own] if own else [])]
    if not results:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if any(result["missing"] for result in results):
        note = "HTML check: vnu-jar or java missing (npm install; apt-get install java)"
        if os.environ.get("MVP_REQUIRE_BROWSER"):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
            note += " - required in CI"
        if reporter:
            reporter.write_line(note)
        return
    errors = [line for result in results for line in result["errors"]]
    pages = sum(result["pages"] for result in results)
    if reporter:
        reporter.write_line(f"HTML check (vnu): {len(errors)} errors on {pages} pages served")
        for line in errors:
            reporter.write_line(f"  {line}")
    if errors:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
