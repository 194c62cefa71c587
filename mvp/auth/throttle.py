"""Throttling failed logins: the keys counted, and a warning when the counters are not shared.

Failed logins are counted per address and per address + account, never per account alone: a
limit on the account would let anyone lock a person out by failing on purpose, whereas a
correct password from another address must still get in. The counters live in the store of
RATELIMIT_STORAGE_URI; several worker processes or servers must share one (Redis), or each
counts on its own and lets through as many attempts as there are workers.
"""

import logging
import os
import shlex
import sys

from flask import Flask, current_app, request
from flask_limiter.util import get_remote_address

from mvp.auth.services import normalise_email

logger = logging.getLogger(__name__)


def failed_login(response) -> bool:
    """Only failed attempts (the form shown again) count towards the limits."""
    return response.status_code != 302


def login_limit() -> str:
    """Failed logins allowed per address + account."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def login_address_limit() -> str:
    """Failed logins allowed per address, whatever the account (wider: a school's one router)."""
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def address_and_account_key() -> str:
    """The counter of one address trying one account."""
    email = normalise_email(request.form.get("email", ""))
    return f"login:{get_remote_address()}:{email}"


def gunicorn_workers(argv: list[str], environ) -> int:
    """How many worker processes gunicorn was told to start; 1 when not run by gunicorn."""
    if "gunicorn" not in os.path.basename(argv[0] if argv else ""):
        return 1
    workers = environ.get("WEB_CONCURRENCY", "1")
    args = shlex.split(environ.get("GUNICORN_CMD_ARGS", "")) + list(argv[1:])
    for index, arg in enumerate(args):
        if arg in ("-w", "--workers") and index + 1 < len(args):
            workers = args[index + 1]
        elif arg.startswith("--workers="):
            workers = arg.partition("=")[2]
        elif arg.startswith("-w") and arg[2:].isdigit():
            workers = arg[2:]
    try:
        return int(workers)
    except ValueError:
        return 1


def warn_if_counters_not_shared(app: Flask, argv=None, environ=None) -> bool:
    """Log a warning at start when several workers would each count failed logins alone."""
    storage = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if app.testing or not storage.startswith("memory://"):
        return False
    workers = gunicorn_workers(sys.argv if argv is None else argv, environ or os.environ)
    if workers <= 1:
        return False
    logger.warning(
        "Login throttling counts in memory (MVP_RATELIMIT_STORAGE_URI=memory://) in each of "
        "%d workers, so each lets through its own share of failed logins. Set "
        "MVP_RATELIMIT_STORAGE_URI=redis://host:6379 to share the counters.",
        workers,
    )
    return True
