"""In a real browser: "Logga ut överallt" on one's own account page and on an account's page;
both pages pass axe-core."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_user


def test_log_out_everywhere_from_the_account_pages(page, server, browser):
    admin = make_user("admin", email="admin@kommun.se")
    omar = make_user("coordinator", email="omar@kommun.se")
    # Omar is signed in on his phone.
    phone = browser.new_context().new_page()
    log_in(phone, server, "omar@kommun.se", PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Översikt")

    log_in(page, server, "admin@kommun.se", PASSWORD)
    page.goto(f"{server}/admin/users/{omar.id}/edit")
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut överallt").click()
    expect(page.get_by_role("status")).to_contain_text("omar@kommun.se loggades ut överallt.")
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Logga in")

    page.goto(f"{server}/account")
    expect(page.get_by_role("heading", name="Logga ut överallt")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut överallt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    expect(page.get_by_role("status")).to_contain_text("Du har loggats ut överallt.")
    assert admin.active
    phone.context.close()
