"""The register_* steps that create_app() runs, one small function each."""

import datetime as dt
import importlib
import json
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, abort, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from mvp import formatting
from mvp.extensions import babel, csrf, db, limiter, login_manager, migrate
from mvp.keys import instance_secret

# Each area's views module defines `bp`; order decides nothing but the URL map's reading order.
BLUEPRINTS = (
    "mvp.main.views",
    "mvp.auth.views",
    "mvp.schools.views",
    "mvp.audit.views",
    "mvp.mentors.views",
    "mvp.lessons.views",
    "mvp.rollout.views",
    "mvp.surveys.views",
    "mvp.surveys.pupil_views",
    "mvp.dashboard.views",
    "mvp.reports.views",
    "mvp.privacy.views",
    "mvp.goals.views",
    "mvp.officials.views",
    "mvp.officials.answer_views",
    "mvp.staff_training.views",
)

# Each area's cli module defines `commands`, a list of click commands or groups.
CLI_MODULES = (
    "mvp.auth.cli",
    "mvp.demo.cli",
    "mvp.lessons.cli",
    "mvp.rollout.cli",
    "mvp.surveys.cli",
    "mvp.bench.cli",
    "mvp.reports.cli",
    "mvp.privacy.cli",
    "mvp.goals.cli",
)


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then MVP_* variables, then the tests' settings."""
    app.config.from_object("mvp.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env(prefix="MVP")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or "sqlite:///" + str(
            Path(app.instance_path) / "mvp.sqlite"
        )
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(app.instance_path, "secret_key")
    app.permanent_session_lifetime = dt.timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    # Every request is bounded (uploads above all): larger ones get the 413 page.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = int(float(app.config["MAX_UPLOAD_MB"]) * 2**20)


def normalise_database_url(url: str) -> str:
    """Use the installed psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, and WAL lets readers work beside a writer.

    A writer waits up to 30 s for another (not sqlite3's 5 s): a whole class answering at once
    queues up behind each other instead of getting "database is locked".
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def register_extensions(app: Flask) -> None:
    """Bind the extension objects of mvp.extensions to this app."""
    from mvp.auth.locale import select_locale
    from mvp.auth.throttle import warn_if_counters_not_shared

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    warn_if_counters_not_shared(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see that page.")
    login_manager.login_message_category = "info"
    # Import every area's models so that the metadata (and Alembic) see all tables.
    importlib.import_module("mvp.models")


def register_blueprints(app: Flask) -> None:
    """Register each area's blueprint."""
    for module_name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module_name).bp)


def register_cli(app: Flask) -> None:
    """Add each area's commands to the `flask` command line."""
    for module_name in CLI_MODULES:
        for command in importlib.import_module(module_name).commands:
            app.cli.add_command(command)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals that every template may use."""
    from mvp.auth.permissions import can
    from mvp.auth.roles import ROLE_DESCRIPTIONS, role_label
    from mvp.main.navigation import navigation_for
    from mvp.schools.grades import KIND_GRADES, kind_label

    for name, function in formatting.FILTERS.items():
        app.add_template_filter(function, name)
    app.jinja_env.globals.update(
        can=can,
        navigation_for=navigation_for,
        role_label=role_label,
        role_descriptions=ROLE_DESCRIPTIONS,
        kind_label=kind_label,
        kind_grades_json=json.dumps({kind.value: list(g) for kind, g in KIND_GRADES.items()}),
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def language_context() -> dict:
        from flask_babel import get_locale

        return {"languages": app.config["LANGUAGES"], "current_locale": str(get_locale())}


def register_request_hooks(app: Flask) -> None:
    """Record who acts (for the audit log) and send security headers with every response."""
    from mvp import kept_input
    from mvp.audit.actor import set_actor

    @app.before_request
    def remember_actor() -> None:
        # Sessions expire after PERMANENT_SESSION_LIFETIME rather than at browser close only.
        session.permanent = True
        set_actor(current_user if current_user.is_authenticated else None)

    @app.before_request
    def refuse_control_characters_in_the_address():
        # The shared input rule (mvp.input_rules) for what the address carries; forms check
        # their own fields with a message beside the field.
        from mvp.input_rules import (
            INTEGER_MAX,
            forbidden_character_message,
            has_forbidden_character,
        )

        if any(isinstance(v, int) and v > INTEGER_MAX for v in (request.view_args or {}).values()):
            abort(404)  # no record has such an id (and the database cannot even compare it)
        # `next` is left to safe_next: an odd one just leads to the start page.
        args = [value for key, value in request.args.items(multi=True) if key != "next"]
        values = [*(request.view_args or {}).values(), *args]
        if any(isinstance(v, str) and has_forbidden_character(v) for v in values):
            db.session.rollback()
            message = forbidden_character_message()
            return render_template("errors/400.html", message=message), 400
        return None

    # After the sign-in and idle checks: a form kept when a session ended is given back.
    kept_input.register(app)

    @app.teardown_request
    def forget_actor(exc) -> None:
        # The next request (or a test running in the same thread) starts anonymous.
        set_actor(None)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"] or request.is_secure:
            # Served over https (directly, or behind a PROXY_FIX proxy that says so): browsers
            # must never fall back to plain http for this site.
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_MAX_AGE']}"
            )
        if current_user.is_authenticated and not request.path.startswith("/static/"):
            # Pages of signed-in users hold personal and unpublished data: never cache them.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_middleware(app: Flask) -> None:
    """Behind PROXY_FIX reverse proxies, trust their X-Forwarded-* headers (client address for
    throttling, https for secure redirects); without proxies, trust none."""
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def register_error_handlers(app: Flask) -> None:
    """Styled error pages; a failed request's transaction is rolled back before rendering."""
    from mvp.kept_input import show_expired_form

    def render_error(status: int, message=None):
        db.session.rollback()
        return render_template(f"errors/{status}.html", message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # A form page comes back filled with what was typed (mvp.kept_input); else the page.
        return show_expired_form(error) or render_error(
            400, _l("The form had expired. Reload the page and try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (400, 403, 404, 405, 413, 429):
            return render_error(error.code)
        return error

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500)
