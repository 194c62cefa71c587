"""Sessions end when they should: after a time without activity, and everywhere at once.

A session cookie names the user together with their login token (User.get_id), so giving the
account a new token ends every session of it at once, a copied cookie included: logging out,
"log out everywhere", a password change or reset and deactivation all do. A signed-in session
also ends after IDLE_TIMEOUT_MINUTES without a request; a form posted after that is kept and
comes back filled after the next sign-in (mvp.kept_input), so no typing is lost.
"""

import time

import sqlalchemy as sa
from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from mvp.auth.models import User, new_login_token
from mvp.extensions import db

LAST_SEEN = "seen"
# The user whose session ended without their doing (kept input is given back to them only).
ENDED_USER = "ended_user"


def end_every_session(user: User) -> None:
    """Give the account a new login token: every session of it, this one too, ends.

    Written with a plain UPDATE: a sign-out is not an edit of the account, so it neither
    counts as a change in the audit log nor makes an administrator's open form stale.
    """
    db.session.execute(
        sa.update(User).where(User.id == user.id).values(login_token=new_login_token())
    )


def end_idle_session() -> None:
    """Before each request: sign out a session unused for longer than the idle timeout."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = int(time.time())
    limit = float(current_app.config.get("IDLE_TIMEOUT_MINUTES") or 0) * 60
    seen = session.get(LAST_SEEN)
    if limit and seen is not None and now - seen > limit:
        user_id = current_user.id
        logout_user()
        session.pop(LAST_SEEN, None)
        session[ENDED_USER] = user_id
        flash(
            _(
                "You were logged out after %(minutes)d minutes without activity. "
                "Log in again; what you typed is kept.",
                minutes=round(limit / 60),
            ),
            "info",
        )
        return
    session[LAST_SEEN] = now
