"""Strict-Transport-Security: sent when the app is served over https, never on plain http."""

from mvp import create_app


def _app(tmp_path, **config):
    return create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            **config,
        }
    )


def test_no_hsts_on_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_hsts_when_the_cookie_is_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("MVP_SESSION_COOKIE_SECURE", "true")
    response = _app(tmp_path).test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_on_a_request_over_https(client):
    response = client.get("/login", base_url="https://mvp.kommun.se")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_behind_a_configured_proxy_that_reports_https(tmp_path):
    client = _app(tmp_path, PROXY_FIX=1).test_client()
    https = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert https.headers["Strict-Transport-Security"] == "max-age=31536000"
    plain = client.get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


def test_a_proxy_header_is_not_trusted_without_a_configured_proxy(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
