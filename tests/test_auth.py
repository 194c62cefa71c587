"""Signing in and out, passwords, throttling, and the administrators' account management."""

import re

import pytest
import sqlalchemy as sa

from mvp import create_app
from mvp.auth import services
from mvp.auth.models import User
from mvp.extensions import db
from mvp.validation import Invalid
from tests.factories import PASSWORD, make_school, make_user, sign_in


def login(client, email, password, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def test_login_and_logout(client):
    user = make_user("lead", email="maria@kommun.se")
    response = login(client, "Maria@Kommun.se ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Översikt" in client.get("/").get_data(as_text=True)
    response = client.post("/logout", follow_redirects=True)
    assert "Du har loggat ut." in response.get_data(as_text=True)
    assert client.get("/schools/").status_code == 302
    assert user.active


def test_wrong_password_and_unknown_account_look_the_same(client):
    make_user("lead", email="maria@kommun.se")
    wrong = login(client, "maria@kommun.se", "fel-lösenord").get_data(as_text=True)
    unknown = login(client, "ingen@kommun.se", "fel-lösenord").get_data(as_text=True)
    message = "Fel e-postadress eller lösenord."
    assert message in wrong and message in unknown
    assert "finns inte" not in unknown


def test_inactive_account_cannot_log_in(client):
    make_user("lead", email="slutat@kommun.se", active=False)
    response = login(client, "slutat@kommun.se", PASSWORD)
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)


def test_passwords_are_stored_hashed_with_scrypt(app):
    user, _ = services.create_user(email="ny@kommun.se", role="viewer", password="ett långt lösen")
    assert user.password_hash.startswith("scrypt:")
    assert "ett långt lösen" not in user.password_hash


def test_login_redirects_only_to_this_site(client):
    make_user("lead", email="maria@kommun.se")
    response = login(client, "maria@kommun.se", PASSWORD, query_string={"next": "/schools/"})
    assert response.headers["Location"] == "/schools/"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = login(client, "maria@kommun.se", PASSWORD, query_string={"next": evil})
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_failed_logins_are_throttled(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/throttle.sqlite",
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        make_user("lead", email="maria@kommun.se")
        client = app.test_client()
        statuses = [login(client, "maria@kommun.se", "fel").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        page = login(client, "maria@kommun.se", PASSWORD).get_data(as_text=True)
        assert "För många försök" in page
        db.session.remove()
        db.engine.dispose()


def test_temporary_password_must_be_changed_first(client):
    user, temporary = services.create_user(email="ny@kommun.se", role="lead")
    db.session.commit()
    assert user.must_change_password
    login(client, "ny@kommun.se", temporary)
    response = client.get("/schools/")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    response = client.post(
        "/account",
        data={"current_password": temporary, "new_password": "kort", "confirm": "kort"},
    )
    assert "Använd minst 10 tecken." in response.get_data(as_text=True)
    new = "tre ord som inte hör ihop"
    response = client.post(
        "/account", data={"current_password": temporary, "new_password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert client.get("/schools/").status_code == 200


def test_changing_password_signs_out_other_sessions(app):
    make_user("lead", email="maria@kommun.se")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "maria@kommun.se", PASSWORD)
    login(phone, "maria@kommun.se", PASSWORD)
    new = "ett helt nytt lösenord"
    laptop.post(
        "/account", data={"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert laptop.get("/schools/").status_code == 200
    assert phone.get("/schools/").status_code == 302


def test_admin_creates_a_coordinator_and_sees_the_password_once(client):
    school = make_school(name="Hallsta skola")
    sign_in(client, make_user("admin"))
    response = client.post(
        "/admin/users/new",
        data={
            "email": "omar@kommun.se",
            "name": "Omar",
            "role": "coordinator",
            "schools": [str(school.id)],
        },
    )
    page = response.get_data(as_text=True)
    assert "Kontot omar@kommun.se skapades" in page
    password = re.search(r'<span class="secret">([^<]+)</span>', page).group(1)
    user = services.find_user("omar@kommun.se")
    assert [s.name for s in user.schools] == ["Hallsta skola"]
    assert services.authenticate("omar@kommun.se", password) == user
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "a@kommun.se", "role": "coordinator"},
            "En skolsamordnare behöver minst en skola.",
        ),
        ({"email": "a@kommun.se", "role": "superuser"}, "Not a valid choice"),
        ({"email": "inte en adress", "role": "lead"}, "Ange en e-postadress"),
        (
            {"email": "finns@kommun.se", "role": "lead"},
            "Det finns redan ett konto med den här e-postadressen.",
        ),
    ],
)
def test_bad_account_input_is_refused(client, data, message):
    make_user("viewer", email="finns@kommun.se")
    sign_in(client, make_user("admin"))
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    page = client.post("/admin/users/new", data=data).get_data(as_text=True)
    if message != "Not a valid choice":
        assert message in page
    assert "Rätta följande" in page
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_deactivating_an_account_ends_its_sessions(app):
    user = make_user("lead", email="maria@kommun.se")
    admin = make_user("admin")
    session_client = app.test_client()
    login(session_client, "maria@kommun.se", PASSWORD)
    assert session_client.get("/schools/").status_code == 200
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    admin_client.post(
        f"/admin/users/{user.id}/edit",
        data={"email": "maria@kommun.se", "role": "lead", "name": "Maria"},
    )
    assert db.session.get(User, user.id).active is False
    assert session_client.get("/schools/").status_code == 302


def test_admin_cannot_lock_themselves_out(app):
    admin = make_user("admin")
    with pytest.raises(Invalid):
        services.update_user(
            admin,
            email=admin.email,
            role="admin",
            name="",
            school_ids=[],
            active=False,
            actor=admin,
        )
    with pytest.raises(Invalid):
        services.update_user(
            admin,
            email=admin.email,
            role="viewer",
            name="",
            school_ids=[],
            active=True,
            actor=admin,
        )


def test_reset_password_gives_a_new_temporary_password(client):
    user = make_user("lead", email="maria@kommun.se")
    sign_in(client, make_user("admin"))
    page = client.post(f"/admin/users/{user.id}/reset-password").get_data(as_text=True)
    password = re.search(r'<span class="secret">([^<]+)</span>', page).group(1)
    assert services.authenticate("maria@kommun.se", PASSWORD) is None
    assert services.authenticate("maria@kommun.se", password).must_change_password


# --- command line ----------------------------------------------------------------------------


def test_cli_creates_a_coordinator_with_password_from_stdin(runner):
    make_school(name="Långsjöskolan")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "nora@kommun.se",
            "--role",
            "coordinator",
            "--school",
            "Långsjöskolan",
            "--password-stdin",
        ],
        input="ett bra långt lösenord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Skapade nora@kommun.se (coordinator)." in result.output
    user = services.authenticate("nora@kommun.se", "ett bra långt lösenord")
    assert [s.name for s in user.schools] == ["Långsjöskolan"]


def test_cli_prints_a_temporary_password_without_stdin(runner):
    result = runner.invoke(args=["users", "create", "lead@kommun.se", "--role", "lead"])
    assert result.exit_code == 0
    password = result.output.strip().rsplit(" ", 1)[-1]
    assert services.authenticate("lead@kommun.se", password).must_change_password


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Okänd roll boss"),
        (["--role", "coordinator", "--school", "Ingenstans"], "Okänd skola: Ingenstans"),
        (["--role", "coordinator"], "En skolsamordnare behöver minst en skola."),
    ],
)
def test_cli_refuses_bad_input_in_swedish(runner, args, message):
    result = runner.invoke(args=["users", "create", "x@kommun.se", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert services.find_user("x@kommun.se") is None
