"""Nothing typed is lost: a form whose token expired, or whose session ended, comes back filled.

A form's POST can fail although the user did nothing wrong:

1. its CSRF token no longer matches (the session was renewed in another tab, or a token made
   before WTF_CSRF_TIME_LIMIT was lifted). The CSRFError handler *replays* the form's own view
   with what was posted, as a refused submission: the view validates (the token fails), saves
   nothing and renders the form again, filled in, with "Formuläret hade gått ut – kontrollera
   och spara igen" and the button "Spara igen";
2. the session ended (idle timeout, logged out elsewhere, password changed): the view asks for
   a sign-in. Before that redirect, what was posted is kept server-side (table kept_input, found
   through a random token in the session cookie, because a grid of typed questionnaires does not
   fit in a cookie); after signing in, the browser comes back to the form's address and the form
   is replayed with what was kept — then the row is deleted. Rows older than a day are deleted
   whenever a new one is kept.

A replay never saves: save_form and remove_confirmed refuse while one runs, and a commit during
a replay raises. Only form pages (routes that answer GET as well as POST) are replayed; actions
such as logout or the language switch get the ordinary "form expired" page. Uploaded files
cannot be kept. Pupils' pages are never kept (they need no sign-in).
"""

import datetime as dt
import json
import logging
import secrets

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request, session
from flask_login import current_user, user_logged_in, user_unauthorized
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from mvp.db import Base, TimestampMixin, utcnow
from mvp.extensions import db

logger = logging.getLogger(__name__)

# The session key holding the token of kept input.
KEPT_INPUT = "kept_input"
KEEP_FOR = dt.timedelta(days=1)
# Blueprints whose forms are never replayed (pupils answer without an account and with their
# own single-use tokens).
_NEVER_REPLAYED = frozenset({"pupil"})
# The login form keeps nothing worth replaying (a password is never shown again).
_NEVER_REPLAYED_ENDPOINTS = frozenset({"auth.login"})
_NOT_KEPT_FIELDS = frozenset({"csrf_token"})


class KeptInput(TimestampMixin, Base):
    """What a signed-in user had typed into a form when their session ended, until they return."""

    __tablename__ = "kept_input"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(sa.String(500))
    data: Mapped[str] = mapped_column(sa.Text)


def replaying() -> bool:
    """True while a kept or expired form is shown again (nothing may be saved)."""
    return has_app_context() and bool(g.get("form_replay"))


def _replayable() -> bool:
    rule = request.url_rule
    return (
        rule is not None
        and "GET" in (rule.methods or ())
        and request.blueprint not in _NEVER_REPLAYED
        and request.endpoint not in _NEVER_REPLAYED_ENDPOINTS
        and request.routing_exception is None
    )


def _posted_pairs() -> list[list[str]]:
    return [
        [name, value]
        for name, value in request.form.items(multi=True)
        if name not in _NOT_KEPT_FIELDS
    ]


def _replay(pairs) -> object | None:
    """Run this request's view as a refused POST of `pairs`; None when it cannot be done."""
    request.method = "POST"
    files = request.files if "form" in request.__dict__ else ImmutableMultiDict()
    request.form = ImmutableMultiDict(pairs)
    request.files = files  # werkzeug parses both at once; set together, neither is parsed again
    g.form_replay = True
    try:
        view = current_app.view_functions[request.endpoint]
        return current_app.make_response(view(**(request.view_args or {})))
    except HTTPException:
        pass
    except Exception:  # the ordinary "form expired" page is a safe fall-back
        logger.exception("Showing the expired form of %s again failed", request.path)
    db.session.rollback()
    g.pop("form_replay", None)
    return None


def forget_old_input() -> None:
    """Delete kept input older than KEEP_FOR (when input is kept, and at every sign-in)."""
    db.session.execute(sa.delete(KeptInput).where(KeptInput.created_at < utcnow() - KEEP_FOR))


def _forget_old_input_at_sign_in(sender=None, **extra) -> None:
    # The login view reads only, so this deletion is the one thing its transaction commits.
    forget_old_input()
    db.session.commit()


def keep_posted_form(sender=None, **extra) -> None:
    """When a POST asks for a sign-in (its session ended), keep what was typed."""
    if request.method != "POST" or not _replayable():
        return
    user_id = session.get("ended_user")
    if user_id is None:
        # "id:token" of a session ended by a new token (logout elsewhere, new password).
        user_id, _sep, _token = str(session.get("_user_id", "")).partition(":")
    if not str(user_id).isdigit():
        return  # nobody was signed in here (or they logged out here): not kept for the next one
    token = secrets.token_urlsafe(32)
    db.session.rollback()  # nothing of the refused request is written with it
    forget_old_input()
    db.session.add(
        KeptInput(
            token=token,
            user_id=int(user_id),
            path=request.path[:500],
            data=json.dumps(_posted_pairs()),
        )
    )
    g.pop("form_replay", None)  # the commit below is this module's own, not the view's
    db.session.commit()
    session[KEPT_INPUT] = token


def restore_kept_form():
    """Before a GET of a form page: if input was kept for it, show the form filled with it."""
    token = session.get(KEPT_INPUT)
    if not token or request.method != "GET" or not current_user.is_authenticated:
        return None
    kept = db.session.scalar(sa.select(KeptInput).where(KeptInput.token == token))
    if kept is None:
        session.pop(KEPT_INPUT, None)
        return None
    if kept.path != request.path or not _replayable():
        return None
    session.pop(KEPT_INPUT, None)
    session.pop("ended_user", None)
    pairs = json.loads(kept.data)
    db.session.delete(kept)
    db.session.commit()
    if kept.user_id != current_user.id:
        return None  # another person signed in on this browser (or one who logged out here)
    return _replay(pairs)


def show_expired_form(error):
    """For a CSRFError: the form again, filled with what was posted; None if not a form page."""
    if request.method != "POST" or not _replayable():
        return None
    response = _replay(_posted_pairs())
    if response is not None and response.status_code == 200:
        response.status_code = 400  # still a refused request, for clients other than people
    return response


@sa.event.listens_for(Session, "before_commit")
def _never_save_a_replay(session_) -> None:
    # A safety net under save_form's own refusal: a replayed POST must not change anything.
    if replaying():
        raise RuntimeError("A replayed form must not be saved.")


def register(app: Flask) -> None:
    """Keep posted forms when a sign-in is asked for, give them back after it."""
    user_unauthorized.connect(keep_posted_form, app)
    user_logged_in.connect(_forget_old_input_at_sign_in, app)
    app.before_request(restore_kept_form)
    app.jinja_env.globals.update(form_expired=replaying)
