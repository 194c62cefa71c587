"""The backup archive's format: which members it holds, its manifest, and reading it safely.

A backup is a gzip-compressed tar file with exactly these members:

    manifest.json           what the backup is (see `Manifest`)
    database.sqlite         SQLite: a consistent copy made with the online backup API
    database.dump           PostgreSQL: pg_dump's custom format (restored with pg_restore)
    keys/linkage_key        the HMAC key of the pupils' linkage codes
    keys/secret_key         the key that signs sessions

The demo accounts file (instance/demo-accounts.txt) is never included: it holds passwords in
clear text, and a backup travels further and lives longer than the installation. The accounts'
password hashes are in the database, so everyone signs in as before after a restore.
"""

import dataclasses
import io
import json
import tarfile
from pathlib import Path

FORMAT = "mvp-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.dump"}
KEY_NAMES = ("linkage_key", "secret_key")
ALLOWED = {MANIFEST, *DATABASE_MEMBERS.values(), *(f"keys/{name}" for name in KEY_NAMES)}
# A manifest larger than this is not ours (it holds a few hundred row counts at most).
MANIFEST_MAX_BYTES = 1_000_000


class NotABackup(ValueError):
    """The file is not a backup made by this application; str() says why, in Swedish."""


@dataclasses.dataclass
class Manifest:
    """What a backup holds: made when, by which version, from which database, how many rows."""

    created_at: str  # ISO 8601, UTC
    app_version: str
    alembic_revision: str | None  # None: the database was never migrated (created by tests)
    database_kind: str  # "sqlite" or "postgresql"
    database_sha256: str
    row_counts: dict[str, int]
    # Where each key came from in the backed-up installation: "instance" (a file in
    # instance/) or "setting" (MVP_LINKAGE_KEY / MVP_SECRET_KEY).
    key_sources: dict[str, str]
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        from flask_babel import gettext as _

        try:
            fields = json.loads(data)
            if fields.get("format") != FORMAT:
                raise NotABackup(_("The file is not a backup of this application."))
            if fields.get("format_version") != FORMAT_VERSION:
                raise NotABackup(_("The backup's format is of another version of the application."))
            names = {f.name for f in dataclasses.fields(cls)}
            manifest = cls(**{key: value for key, value in fields.items() if key in names})
        except (ValueError, TypeError, AttributeError) as error:
            if isinstance(error, NotABackup):
                raise
            raise NotABackup(_("The backup's manifest cannot be read.")) from error
        if manifest.database_kind not in DATABASE_MEMBERS:
            raise NotABackup(_("The backup's manifest cannot be read."))
        return manifest


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add a member with the given content, readable by its owner only."""
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def open_backup(path: Path) -> tuple[tarfile.TarFile, Manifest]:
    """Open an archive and read its manifest; raises NotABackup for anything else.

    Only regular members with the names above are accepted, so extracting can never write
    outside the target folder or follow a link.
    """
    from flask_babel import gettext as _

    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (returned open)
    except (OSError, tarfile.TarError) as error:
        raise NotABackup(_("The file is not a backup of this application.")) from error
    try:
        members = archive.getmembers()
    except (OSError, tarfile.TarError, EOFError) as error:
        archive.close()
        raise NotABackup(_("The file is not a backup of this application.")) from error
    names = [member.name for member in members]
    strange = [m for m in members if m.name not in ALLOWED or not m.isfile()]
    if strange or MANIFEST not in names or len(set(names)) != len(names):
        archive.close()
        raise NotABackup(_("The file is not a backup of this application."))
    manifest_member = archive.getmember(MANIFEST)
    if manifest_member.size > MANIFEST_MAX_BYTES:
        archive.close()
        raise NotABackup(_("The file is not a backup of this application."))
    manifest = Manifest.from_json(archive.extractfile(manifest_member).read())
    if DATABASE_MEMBERS[manifest.database_kind] not in names:
        archive.close()
        raise NotABackup(_("The backup holds no database."))
    return archive, manifest
