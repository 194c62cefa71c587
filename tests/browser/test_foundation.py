"""In a real browser: log in, switch language, create a school and a group, see field errors;
axe-core checks every page visited."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_school, make_user


def test_lead_logs_in_creates_a_school_and_a_group(page, server):
    make_user("lead", email="maria@kommun.se")
    page.goto(f"{server}/login")
    assert_accessible(page)
    log_in(page, server, "maria@kommun.se", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Skolor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skolor")
    assert_accessible(page)
    page.get_by_role("link", name="Ny skola").click()
    assert_accessible(page)

    # A bad entry first: the error is summarised at the top, focused, and tied to its field.
    page.get_by_label("Namn", exact=True).fill("Ekängsskolan")
    page.get_by_label("Skolform").select_option("7-9")
    page.get_by_label("Årskurs 8", exact=True).fill("-5")
    page.get_by_role("button", name="Lägg till skolan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Rätta följande")
    expect(summary).to_be_focused()
    field = page.get_by_label("Årskurs 8", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("Ange ett heltal, 0 eller mer.")
    assert_accessible(page)

    field.fill("112")
    page.get_by_role("button", name="Lägg till skolan").click()
    expect(page.get_by_role("status")).to_contain_text("Skolan Ekängsskolan lades till.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekängsskolan")
    assert_accessible(page)

    page.get_by_role("link", name="Ny elevgrupp").click()
    page.get_by_label("Gruppens namn").fill("8B")
    page.get_by_label("Årskurs").select_option("8")
    page.get_by_label("Flickor").fill("13")
    page.get_by_label("Pojkar").fill("-1")
    page.get_by_role("button", name="Lägg till gruppen").click()
    expect(page.get_by_role("alert")).to_contain_text("Pojkar: Ange ett heltal, 0 eller mer.")
    assert_accessible(page)
    page.get_by_label("Pojkar").fill("12")
    page.get_by_role("button", name="Lägg till gruppen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grupp 8B, Ekängsskolan")
    expect(page.get_by_text("25: 13 flickor, 12 pojkar, 0 annat eller okänt")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ändringslogg").click()
    expect(page.get_by_role("cell", name="Elevgrupp: 8B (", exact=False)).to_be_visible()
    assert_accessible(page)


def test_language_switch_and_accessibility_statement(page, server):
    make_user("coordinator", email="nora@kommun.se", schools=[make_school(name="Långsjöskolan")])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)
    page.get_by_role("link", name="Accessibility statement").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tillgänglighetsredogörelse")
    assert_accessible(page)
    page.get_by_label("Vad fungerade inte?").fill("Tabellen går inte att läsa i mobilen.")
    page.get_by_role("button", name="Skicka rapporten").click()
    expect(page.get_by_role("status")).to_contain_text("Tack.")


def test_skip_link_and_phone_width(page, server):
    make_user("admin", email="admin@kommun.se")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, server, "admin@kommun.se", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    for path in ("/", "/admin/users", "/admin/users/new", "/schools/", "/audit/"):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width"
        assert_accessible(page)
    assert re.search(r"/audit/$", page.url)
