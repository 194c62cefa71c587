"""Which language a page is shown in: the user's choice, else the visitor's, else Swedish."""

from flask import current_app, has_request_context, session
from flask_login import current_user


def select_locale() -> str | None:
    """Flask-Babel's locale selector; outside a request (commands) the default, Swedish."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return None
