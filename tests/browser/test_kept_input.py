"""In a real browser: a lesson typed into a form whose token has expired, or whose session
ended while it was typed, comes back filled after "Spara igen" or the login — nothing lost."""

import time

import pytest
from playwright.sync_api import expect

from mvp.extensions import db
from mvp.lessons.models import Lesson
from tests.browser.conftest import assert_accessible, log_in
from tests.delivery_factories import make_plan, make_trained_leader, set_up_group
from tests.factories import PASSWORD, make_group, make_school, make_user

NOTES = "Eleverna diskuterade länge; vi hann inte övning 4."
EXPIRED = "Formuläret hade gått ut – kontrollera och spara igen."


@pytest.fixture
def csrf_on(base_app):
    base_app.config["WTF_CSRF_ENABLED"] = True
    yield
    base_app.config["WTF_CSRF_ENABLED"] = False
    base_app.config["IDLE_TIMEOUT_MINUTES"] = 120


@pytest.fixture
def lesson_form(page, server, csrf_on):
    school = make_school(name="Långsjöskolan")
    pair = [make_trained_leader(school, name="Karin Ek"), make_trained_leader(school, name="Ali")]
    group = set_up_group(make_group(school, name="8B"), make_plan(14), pair)
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.goto(f"{server}/groups/{group.id}/lessons/new")
    page.get_by_label("Delvis enligt plan").check()
    page.get_by_label("Vad som anpassades eller utgick").fill("Kortade övning 3.")
    page.get_by_label("Anteckningar").fill(NOTES)
    return group


def lessons() -> int:
    db.session.expire_all()
    return db.session.query(Lesson).count()


def expect_kept(page) -> None:
    expect(page.get_by_role("alert")).to_contain_text(EXPIRED)
    expect(page.get_by_label("Anteckningar")).to_have_value(NOTES)
    expect(page.get_by_label("Vad som anpassades eller utgick")).to_have_value("Kortade övning 3.")
    expect(page.get_by_label("Delvis enligt plan")).to_be_checked()
    assert lessons() == 0


def test_an_expired_token_gives_the_form_back_filled(page, lesson_form):
    # As if the page had been opened in an earlier session.
    page.locator("#csrf_token").evaluate("input => input.value = 'expired'")
    page.get_by_role("button", name="Spara lektionen").click()
    expect_kept(page)
    assert_accessible(page)
    page.get_by_role("button", name="Spara igen").click()
    expect(page.get_by_role("status")).to_contain_text("Lektion 1 registrerades.")
    assert lessons() == 1


def test_a_session_ended_while_typing_gives_the_form_back_after_login(
    page, server, base_app, lesson_form
):
    base_app.config["IDLE_TIMEOUT_MINUTES"] = 0.01  # 0.6 seconds, then a pause
    time.sleep(1.5)
    page.get_by_role("button", name="Spara lektionen").click()
    base_app.config["IDLE_TIMEOUT_MINUTES"] = 120
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(page.get_by_text("Logga in igen – det du skrev finns kvar.")).to_be_visible()
    page.get_by_label("E-postadress").fill("nora@kommun.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect_kept(page)
    page.get_by_role("button", name="Spara igen").click()
    expect(page.get_by_role("status")).to_contain_text("Lektion 1 registrerades.")
    assert lessons() == 1
