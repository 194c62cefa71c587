"""Sessions end when they should: a copied session cookie stops working, idle sessions end."""

import time

import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.auth.models import User
from mvp.extensions import db
from tests.factories import PASSWORD, make_user, sign_in


def login(client, email, password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302
    return response


def copy_cookie(app, source):
    """A second browser holding a copy of the first one's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", source.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/schools/").status_code == 200


def test_a_copied_cookie_stops_working_after_logout(app):
    make_user("lead", email="maria@kommun.se")
    browser = app.test_client()
    login(browser, "maria@kommun.se")
    thief = copy_cookie(app, browser)
    assert signed_in(thief)
    browser.post("/logout")
    assert not signed_in(browser)
    assert not signed_in(thief)
    assert client_redirects_to_login(thief)


def client_redirects_to_login(client) -> bool:
    return client.get("/schools/").headers["Location"].startswith("/login")


def test_a_copied_cookie_stops_working_after_a_password_change(app):
    make_user("lead", email="maria@kommun.se")
    browser = app.test_client()
    login(browser, "maria@kommun.se")
    thief = copy_cookie(app, browser)
    new = "ett helt nytt lösenord"
    response = browser.post(
        "/account", data={"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert signed_in(browser)  # the one who changed it stays signed in
    assert not signed_in(thief)


def test_a_copied_cookie_stops_working_after_deactivation(app):
    user = make_user("lead", email="maria@kommun.se")
    browser = app.test_client()
    login(browser, "maria@kommun.se")
    thief = copy_cookie(app, browser)
    admin = app.test_client()
    sign_in(admin, make_user("admin"))
    response = admin.post(
        f"/admin/users/{user.id}/edit",
        data={"email": user.email, "name": "Maria", "role": "lead", "version": user.version},
    )
    assert response.status_code == 302
    assert not db.session.get(User, user.id).active
    assert not signed_in(browser)
    assert not signed_in(thief)


def test_log_out_everywhere_from_ones_own_account_page(app):
    make_user("lead", email="maria@kommun.se")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "maria@kommun.se")
    login(phone, "maria@kommun.se")
    thief = copy_cookie(app, phone)
    assert "Logga ut överallt" in laptop.get("/account").get_data(as_text=True)
    response = laptop.post("/account/logout-everywhere", follow_redirects=True)
    assert "Du har loggats ut överallt." in response.get_data(as_text=True)
    assert not any(signed_in(client) for client in (laptop, phone, thief))
    # The password still works.
    login(phone, "maria@kommun.se")
    assert signed_in(phone)


def test_an_administrator_logs_a_user_out_everywhere(app):
    user = make_user("coordinator", email="omar@kommun.se")
    phone = app.test_client()
    login(phone, "omar@kommun.se")
    thief = copy_cookie(app, phone)
    admin = app.test_client()
    sign_in(admin, make_user("admin"))
    page = admin.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert "Logga ut överallt" in page
    response = admin.post(f"/admin/users/{user.id}/logout-everywhere", follow_redirects=True)
    assert "omar@kommun.se loggades ut överallt." in response.get_data(as_text=True)
    assert not signed_in(phone) and not signed_in(thief)
    assert admin.get("/admin/users").status_code == 200  # the administrator is still in
    # Not an edit of the account: the audit log holds no change of it.
    updates = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.object_type == "user",
            AuditEvent.object_id == user.id,
            AuditEvent.action == "update",
        )
    )
    assert list(updates) == []


def test_an_idle_session_ends_after_the_timeout(app, monkeypatch):
    make_user("lead", email="maria@kommun.se")
    browser = app.test_client()
    login(browser, "maria@kommun.se")
    assert signed_in(browser)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 119 * 60)
    assert signed_in(browser)  # 119 minutes after the last request: still in
    monkeypatch.setattr(time, "time", lambda: now + 119 * 60 + 121 * 60)
    response = browser.get("/schools/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/login"
    assert "Du loggades ut efter 120 minuter utan aktivitet" in page
    assert not signed_in(browser)


def test_the_idle_timeout_is_configurable(app, monkeypatch):
    make_user("lead", email="maria@kommun.se")
    browser = app.test_client()
    login(browser, "maria@kommun.se")
    assert signed_in(browser)
    monkeypatch.setitem(app.config, "IDLE_TIMEOUT_MINUTES", 5)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 6 * 60)
    assert not signed_in(browser)
