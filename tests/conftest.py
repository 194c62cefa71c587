"""Fixtures: one app per test session, a clean database for every test, clients and helpers.

The suite runs on SQLite by default; set MVP_TEST_DATABASE_URL (as .ci/run does) to run the
same tests on PostgreSQL.
"""

import contextlib
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from mvp import create_app
from mvp.extensions import db
from mvp.setup import normalise_database_url


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("MVP_TEST_DATABASE_URL")
    if url:
        return _database_of_this_worker(normalise_database_url(url))
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


def _database_of_this_worker(url: str) -> str:
    """Under pytest-xdist each worker empties and fills tables of its own, so each gets a
    database of its own beside the given one (`test_gw0`, `test_gw1`, ...), made once."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    given = sa.engine.make_url(url)
    name = f"{given.database}_{worker}"
    server = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


def pytest_sessionfinish(session, exitstatus):
    """The Nu HTML Checker over every page the browser tests were served; an error fails the
    run (tests/browser/html_check.py). Here, not in tests/browser, so that the pytest-xdist
    controller, which collects no test, has the hook too."""
    from tests.browser import html_check

    html_check.check_session(session)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """(pytest-xdist) A worker ended: keep what its HTML check found."""
    from tests.browser import html_check

    html_check.from_worker(node)


class FreshContextClient(FlaskClient):
    """Runs every request in an app context of its own, as in production.

    Without this, requests would reuse the test's app context and so share its `g` (where
    Flask-Login caches the user) and its database session.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test's own session then sees what the request committed
        return response


@pytest.fixture(scope="session")
def base_app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        db.drop_all()
        _drop_alembic_version()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _drop_alembic_version() -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def clean_database() -> None:
    """Empty every table. DELETE beats TRUNCATE for the few rows a test leaves, on both kinds."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            # The data version only ever grows, as in production (cached evaluations are
            # keyed by it, and the app with its cache lives for the whole session).
            if table.name != "data_version":
                connection.execute(table.delete())


@pytest.fixture
def app(base_app):
    """The app, with an app context pushed and an empty database after the test."""
    with base_app.app_context():
        yield base_app
        clean_database()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app, request):
    """The demo pilot (mvp.demo) as built on the day in the test module's TODAY.

    The demo is made relative to its day, so a fixed day gives the same pilot every run.
    """
    from mvp.demo import build_demo

    context = build_demo(today=request.module.TODAY)
    db.session.commit()
    return context


@pytest.fixture
def count_queries(app):
    """Use as `with count_queries() as queries: ...`; `len(queries)` is the SQL statements run."""

    @contextlib.contextmanager
    def counter():
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counter
