"""Per-installation secrets kept in instance/: generated once, never committed."""

import os
import secrets
from pathlib import Path


def instance_secret(instance_path: str, name: str, nbytes: int = 32) -> str:
    """Return the secret stored in instance/NAME, creating it (mode 0600) on first use."""
    path = Path(instance_path) / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(nbytes)
    # O_EXCL: when two processes start at once, the first file written wins for both.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value
