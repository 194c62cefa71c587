"""`flask backup`: a consistent copy of the database and the keys, made while the app runs.

SQLite: sqlite3's online backup API copies the database page by page under one read
transaction, so writers may go on and the copy is one moment's state (a plain file copy of a
database in WAL mode can miss what is still in the -wal file).
PostgreSQL: pg_dump in its custom format. The row counts of the manifest are read in a
REPEATABLE READ transaction whose snapshot pg_dump is given (--snapshot), so the counts and
the dump describe the same moment.
"""

import datetime as dt
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.keys import instance_secret
from mvp.privacy.archive import DATABASE_MEMBERS, MANIFEST, Manifest, add_bytes


class BackupError(Exception):
    """A backup or restore that cannot be made; str() is the Swedish message."""


def database_kind() -> str:
    """ "sqlite" or "postgresql"; other databases are not supported by backup and restore."""
    kind = db.engine.url.get_backend_name()
    if kind not in DATABASE_MEMBERS:
        raise BackupError(_("Backups are made of SQLite and PostgreSQL databases only."))
    return kind


def sqlite_path() -> Path:
    """The file of the SQLite database in use."""
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise BackupError(_("An in-memory database cannot be backed up."))
    return Path(name)


def libpq_target() -> tuple[str, dict]:
    """The database as a libpq URL for pg_dump/pg_restore/psql, and the environment to run
    them in. The password goes in PGPASSWORD, never on the command line (where `ps` shows it)."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def run_tool(arguments: list[str], env: dict) -> None:
    """Run a PostgreSQL client program; its error output becomes the message on failure."""
    if shutil.which(arguments[0]) is None:
        raise BackupError(
            _(
                "The program %(name)s was not found. Install PostgreSQL's client programs "
                "(the same major version as the server).",
                name=arguments[0],
            )
        )
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(name)s failed: %(error)s", name=arguments[0], error=result.stderr.strip())
        )


def table_names() -> list[str]:
    """The application's tables, in dependency order."""
    return [table.name for table in db.metadata.sorted_tables]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(execute, existing: set[str]) -> dict[str, int]:
    """Rows per application table through `execute(sql) -> scalar`, for tables that exist."""
    return {
        name: int(execute(f"SELECT COUNT(*) FROM {_quote(name)}"))
        for name in table_names()
        if name in existing
    }


def _sqlite_snapshot(folder: Path) -> tuple[Path, str | None, dict[str, int]]:
    target = folder / DATABASE_MEMBERS["sqlite"]
    source = sqlite3.connect(sqlite_path())
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        existing = {
            row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counts = count_rows(lambda sql: copy.execute(sql).fetchone()[0], existing)
        has_version = "alembic_version" in existing
        revision = None
        if has_version:
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        copy.close()
    return target, (revision[0] if revision else None), counts


def _postgresql_snapshot(folder: Path) -> tuple[Path, str | None, dict[str, int]]:
    target = folder / DATABASE_MEMBERS["postgresql"]
    conninfo, env = libpq_target()
    engine = db.engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as connection, connection.begin():
        snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
        existing = set(sa.inspect(connection).get_table_names())
        counts = count_rows(lambda sql: connection.scalar(sa.text(sql)), existing)
        revision = None
        if connection.scalar(sa.text("SELECT to_regclass('alembic_version')")) is not None:
            revision = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
        # The exporting transaction must stay open while pg_dump reads its snapshot.
        run_tool(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            env,
        )
    return target, revision, counts


def current_keys() -> tuple[dict[str, str], dict[str, str]]:
    """The installation's linkage and secret keys, and whether each is a file or a setting."""
    instance = Path(current_app.instance_path)
    keys, sources = {}, {}
    setting = current_app.config.get("LINKAGE_KEY")
    keys["linkage_key"] = str(setting) if setting else instance_secret(str(instance), "linkage_key")
    sources["linkage_key"] = "setting" if setting else "instance"
    secret = str(current_app.config["SECRET_KEY"])
    secret_file = instance / "secret_key"
    from_file = secret_file.exists() and secret_file.read_text().strip() == secret
    keys["secret_key"] = secret
    sources["secret_key"] = "instance" if from_file else "setting"
    return keys, sources


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _app_version() -> str:
    try:
        return importlib.metadata.version("mvp")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown"


def _open_new_file(path: Path):
    """Create the archive readable by its owner only; never overwrite a file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise BackupError(_("The file %(path)s already exists.", path=str(path))) from error
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def create_backup(path: Path) -> Manifest:
    """Write a backup archive (mode 0600) of the database and the keys to `path`."""
    path = Path(path)
    kind = database_kind()
    keys, key_sources = current_keys()
    with tempfile.TemporaryDirectory(prefix="mvp-backup-") as folder:
        snapshot = _sqlite_snapshot if kind == "sqlite" else _postgresql_snapshot
        database_file, revision, counts = snapshot(Path(folder))
        manifest = Manifest(
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            app_version=_app_version(),
            alembic_revision=revision,
            database_kind=kind,
            database_sha256=_sha256(database_file),
            row_counts=counts,
            key_sources=key_sources,
        )
        handle = _open_new_file(path)
        try:
            with handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
                add_bytes(archive, MANIFEST, manifest.to_json())
                info = archive.gettarinfo(str(database_file), DATABASE_MEMBERS[kind])
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with database_file.open("rb") as data:
                    archive.addfile(info, data)
                for name, value in keys.items():
                    add_bytes(archive, f"keys/{name}", (value + "\n").encode())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return manifest
