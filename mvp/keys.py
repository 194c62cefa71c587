"""Per-installation secrets kept in instance/: generated once, never committed."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def instance_secret(instance_path: str, name: str, nbytes: int = 32) -> str:
    """Return the secret stored in instance/NAME, creating it (mode 0600) on first use.

    Several processes may start at once (gunicorn's workers without preloading): the file
    is written whole under a temporary name and linked into place, so a reader sees either
    no file or the complete secret, never an empty one, and the first link wins for all.
    """
    path = Path(instance_path) / name
    try:
        value = path.read_text().strip()
    except FileNotFoundError:
        value = ""
    if value:
        return value
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(nbytes) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # FileExistsError: another process linked its secret first, and that one is used.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        os.unlink(draft)
    return path.read_text().strip()
