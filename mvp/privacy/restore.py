"""`flask restore`: a backup into an empty installation, checked before and after.

Before anything is touched: the file must be a backup (archive.open_backup), of the same kind
of database, from a schema revision this version knows, and the database must hold no data.
Then the database is put in place (SQLite: the file copied; PostgreSQL: pg_restore into the
empty database), the keys are written into instance/ (mode 0600), the row counts are
compared with the manifest, and a backup from an older version is migrated to the current one.
"""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_babel import gettext as _

from mvp.extensions import db
from mvp.privacy.archive import DATABASE_MEMBERS, KEY_NAMES, Manifest, open_backup
from mvp.privacy.backup import (
    BackupError,
    database_kind,
    libpq_target,
    run_tool,
    sqlite_path,
)

# A database is in use once it has an account, a school, an answer or an audit-log entry
# (every change made through the app or a command is logged). Rows elsewhere may come from
# `flask db upgrade` itself (the standard lesson plans, or a migration's bookkeeping row), and
# do not count: a freshly upgraded database is still empty.
IN_USE_TABLES = ("user", "school", "response", "audit_event")


@dataclass
class RestoreReport:
    """What a restore did, for the command to print."""

    manifest: Manifest
    upgraded_from: str | None = None
    notes: list[str] = field(default_factory=list)


def _existing_tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def tables_with_data() -> dict[str, int]:
    """The tables that show this installation in use, with their rows."""
    existing = _existing_tables()
    found = {}
    for name in IN_USE_TABLES:
        if name in existing:
            count = db.session.scalar(sa.text(f'SELECT COUNT(*) FROM "{name}"'))
            if count:
                found[name] = int(count)
    db.session.rollback()
    return found


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


def _check_revision(manifest: Manifest) -> None:
    if manifest.alembic_revision is None:
        return
    try:
        known = _script().get_revision(manifest.alembic_revision)
    except Exception:  # alembic raises several kinds for an unknown revision
        known = None
    if known is None:
        raise BackupError(
            _(
                "The backup was made by a newer version of the application (database "
                "revision %(revision)s). Install that version, restore, then upgrade.",
                revision=manifest.alembic_revision,
            )
        )


def _check_keys(folder: Path) -> dict[str, str]:
    keys = {}
    for name in KEY_NAMES:
        path = folder / "keys" / name
        if path.exists():
            keys[name] = path.read_text().strip()
    if "linkage_key" not in keys:
        raise BackupError(_("The backup holds no linkage key."))
    configured = current_app.config.get("LINKAGE_KEY")
    if configured and str(configured) != keys["linkage_key"]:
        # New answers would be hashed under another key and never link to the restored ones.
        raise BackupError(
            _(
                "MVP_LINKAGE_KEY is set to another key than the backup's. Remove the setting "
                "(the backup's key is written to instance/linkage_key) or set it to the "
                "backup's key."
            )
        )
    return keys


def _write_key(name: str, value: str) -> None:
    path = Path(current_app.instance_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")


def _restore_sqlite(database_file: Path) -> None:
    target = sqlite_path()
    db.session.remove()
    db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(database_file, target)
    target.chmod(0o600)


def _restore_postgresql(dump_file: Path) -> None:
    # The database holds no data (checked), so its empty tables can go: pg_restore creates
    # the backup's own schema.
    db.session.remove()
    db.metadata.drop_all(db.engine)
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.engine.dispose()
    conninfo, env = libpq_target()
    run_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={conninfo}",
            str(dump_file),
        ],
        env,
    )


def _secret_key_is_setting() -> bool:
    """Whether SECRET_KEY comes from a setting rather than instance/secret_key (which the
    restore replaces, so the next start uses the backup's key)."""
    path = Path(current_app.instance_path) / "secret_key"
    return not (path.exists() and path.read_text().strip() == str(current_app.config["SECRET_KEY"]))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _current_revision() -> str | None:
    if "alembic_version" not in _existing_tables():
        return None
    return db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))


def restore_backup(path: Path) -> RestoreReport:
    """Restore the backup at `path` into this (empty) installation; raises BackupError."""
    from mvp.privacy.archive import NotABackup

    try:
        archive, manifest = open_backup(Path(path))
    except NotABackup as error:
        raise BackupError(str(error)) from error
    with archive, tempfile.TemporaryDirectory(prefix="mvp-restore-") as tmp:
        kind = database_kind()
        if manifest.database_kind != kind:
            raise BackupError(
                _(
                    "The backup is of a %(backup)s database; this installation uses %(here)s.",
                    backup=manifest.database_kind,
                    here=kind,
                )
            )
        _check_revision(manifest)
        in_use = tables_with_data()
        if in_use:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(in_use.items()))
            raise BackupError(
                _(
                    "The database is not empty (%(tables)s). Restore into a new, empty "
                    "database: nothing was changed.",
                    tables=listed,
                )
            )
        folder = Path(tmp)
        # Members were checked by open_backup: regular files with known names only.
        archive.extractall(folder, filter="data")
        keys = _check_keys(folder)
        database_file = folder / DATABASE_MEMBERS[kind]
        if _sha256(database_file) != manifest.database_sha256:
            raise BackupError(_("The backup's database is damaged (its checksum differs)."))
        secret_is_setting = _secret_key_is_setting()
        if kind == "sqlite":
            _restore_sqlite(database_file)
        else:
            _restore_postgresql(database_file)
        for name, value in keys.items():
            _write_key(name, value)
    report = RestoreReport(manifest)
    existing = _existing_tables()
    differing = sorted(
        name
        for name, count in manifest.row_counts.items()
        if name not in existing
        or db.session.scalar(sa.text(f'SELECT COUNT(*) FROM "{name}"')) != count
    )
    if differing:
        message = _(
            "The restored tables differ from the backup: %(tables)s.", tables=", ".join(differing)
        )
        raise BackupError(message)
    db.session.rollback()
    _check_restored_revision(manifest, report)
    if secret_is_setting and str(current_app.config.get("SECRET_KEY")) != keys.get("secret_key"):
        report.notes.append(
            _(
                "MVP_SECRET_KEY is set to another key than the backup's: everyone must sign in "
                "again (nothing else depends on it)."
            )
        )
    return report


def _check_restored_revision(manifest: Manifest, report: RestoreReport) -> None:
    """Migrate a backup of an older version to this version's schema."""
    revision = _current_revision()
    db.session.rollback()
    if revision != manifest.alembic_revision:
        raise BackupError(_("The restored database's revision differs from the backup's."))
    if revision is None:
        report.notes.append(
            _("The backup's database has no migration revision; it was restored as it was.")
        )
        return
    if revision not in _script().get_heads():
        from flask_migrate import upgrade

        upgrade()
        report.upgraded_from = revision
