"""Migrations: `flask db upgrade` from empty gives exactly the schema the models describe.

Runs on the test database's kind: SQLite here, PostgreSQL when MVP_TEST_DATABASE_URL says so
(as in CI), in a throwaway database of its own.
"""

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from mvp import create_app
from mvp.extensions import db
from mvp.setup import normalise_database_url


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("MVP_TEST_DATABASE_URL")
    if not url or not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    server = sa.create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    name = f"mvp_migrations_{uuid.uuid4().hex[:8]}"
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield normalise_database_url(url).rsplit("/", 1)[0] + "/" + name
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrade_empties(empty_database_url, tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == []
        assert {"school", "student_group", "user", "audit_event"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
