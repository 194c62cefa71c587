"""CSRF, headers, cookies, secrets and redirects."""

import os
import stat

import pytest

from mvp import create_app
from mvp.extensions import db
from mvp.urls import safe_next
from tests.factories import PASSWORD, make_school, make_user, sign_in


@pytest.fixture
def csrf_app(base_app):
    """The test app with CSRF protection switched on, as in production."""
    base_app.config["WTF_CSRF_ENABLED"] = True
    with base_app.app_context():
        yield base_app
        from tests.conftest import clean_database

        clean_database()
    base_app.config["WTF_CSRF_ENABLED"] = False


def test_a_post_without_csrf_token_is_refused(csrf_app):
    school = make_school(name="Orörda skolan")
    client = csrf_app.test_client()
    sign_in(client, make_user("lead"))
    response = client.post(f"/schools/{school.id}/edit", data={"name": "Kapad", "kind": "7-9"})
    assert response.status_code == 400
    assert "Formuläret hade gått ut" in response.get_data(as_text=True)
    assert db.session.get(type(school), school.id).name == "Orörda skolan"


def test_the_login_form_carries_a_working_csrf_token(csrf_app):
    make_user("lead", email="maria@kommun.se")
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"email": "maria@kommun.se", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    make_user("lead", email="maria@kommun.se")
    response = client.post("/login", data={"email": "maria@kommun.se", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookie_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("MVP_SESSION_COOKIE_SECURE", "true")
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_secret_key_is_generated_into_the_instance_folder_once(tmp_path, monkeypatch):
    monkeypatch.delenv("MVP_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_client_address_comes_from_the_proxy_only_when_configured(tmp_path):
    from flask import request

    seen = []
    for proxies in (0, 1):
        app = create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PROXY_FIX": proxies,
            }
        )
        app.before_request(lambda: seen.append(request.remote_addr))
        app.test_client().get(
            "/healthz",
            headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
    assert seen == ["10.0.0.1", "203.0.113.9"]


def test_database_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MVP_DATABASE_URL", "postgresql://mvp@db.example/mvp")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://mvp@db.example/mvp"


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/schools/", "/schools/"),
        ("/groups/?year=2025/26", "/groups/?year=2025/26"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next_keeps_redirects_on_this_site(target, safe):
    assert safe_next(target) == safe
