"""Swedish by default, English on request, and every interface string translated."""

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from mvp.auth.models import User
from mvp.extensions import db
from tests.factories import make_user, sign_in

ROOT = Path(__file__).resolve().parent.parent


def test_pages_are_swedish_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page


def test_a_visitor_switches_to_english(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_a_users_language_is_remembered_across_sessions(app):
    user = make_user("lead")
    first = app.test_client()
    sign_in(first, user)
    first.post("/language", data={"lang": "en", "next": "/"})
    assert db.session.get(User, user.id).locale == "en"
    second = app.test_client()
    sign_in(second, user)
    assert "Overview" in second.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"lang": "xx"}).status_code == 400


def test_every_interface_string_has_a_swedish_translation():
    method_map = [("mvp/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    extracted = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map=options, keywords=keywords
        )
    }
    po = ROOT / "mvp/translations/sv/LC_MESSAGES/messages.po"
    catalog = read_po(io.BytesIO(po.read_bytes()), locale="sv")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and (isinstance(m.string, str) or all(m.string)) and not m.fuzzy
    }
    missing = sorted(extracted - translated)
    assert missing == [], "untranslated: run `make extract-messages` and translate these"


def test_dates_are_written_iso_style_in_both_languages(app):
    import datetime as dt

    from flask import session

    from mvp.formatting import isodate

    moment = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)
    for lang in ("sv", "en"):
        with app.app_context(), app.test_request_context():
            session["lang"] = lang
            assert isodate(dt.date(2026, 11, 27)) == "2026-11-27"
            assert isodate(moment) == "2026-11-27 14:05"  # Swedish local time


def test_numbers_follow_the_language(app):
    from flask import session

    from mvp.formatting import number, percent

    # Each request gets an app context of its own, where Flask-Babel keeps the locale.
    with app.app_context(), app.test_request_context():
        assert number(1234.5, 1) == "1\xa0234,5"
        assert percent(0.456) == "46\xa0%"
    with app.app_context(), app.test_request_context():
        session["lang"] = "en"
        assert number(1234.5, 1) == "1,234.5"
        assert percent(0.456) == "46%"
