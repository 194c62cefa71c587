"""The bench's throwaway database: a temporary SQLite file, or an empty PostgreSQL database
whose tables it creates and drops again. A database that already has tables is refused, so
the bench can never touch real data."""

import contextlib
import secrets
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.setup import normalise_database_url


@contextlib.contextmanager
def throwaway(url: str | None):
    """Yield (app, instance folder, database URL) for a fresh app on an empty database.

    The app has its own instance folder (a new linkage key) and secret key, CSRF checks and
    rate limits off (the bench signs in and posts as a test client would); the database is
    emptied again afterwards, whatever happened.
    """
    from mvp import create_app

    with tempfile.TemporaryDirectory(prefix="mvp-bench-") as folder:
        uri = normalise_database_url(url) if url else f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": uri,
                "INSTANCE_PATH": folder,
                "SECRET_KEY": secrets.token_hex(16),
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            existing = sa.inspect(db.engine).get_table_names()
            if existing:
                db.engine.dispose()
                raise click.ClickException(
                    _(
                        "The database already has tables (%(tables)s). The bench needs an "
                        "empty database, which it fills and empties again.",
                        tables=", ".join(sorted(existing)[:5]),
                    )
                )
            db.create_all()
            try:
                yield app, folder, uri
            finally:
                db.session.remove()
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
                db.engine.dispose()
