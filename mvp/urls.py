"""Redirect targets that stay on this site."""

import re
from urllib.parse import urlsplit

# Control characters (a CR/LF would split the Location header), spaces and backslashes
# (browsers read "/\evil.example" as another site) never belong in a path of ours.
_ODD = re.compile(r"[\x00-\x20\x7f-\x9f\\\ud800-\udfff]")
_NEXT_MAX = 2000


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (/schools/), else None (never //evil.example).

    Any odd value — another site, a control character, an over-long address — is None, so
    the caller goes to the start page instead.
    """
    if not target or len(target) > _NEXT_MAX or _ODD.search(target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
