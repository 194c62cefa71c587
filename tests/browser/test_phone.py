"""A phone is enough: at 390 px the main menu is one line that opens (also without
JavaScript), the group page puts its main action first and its removal last, and the lesson
grid becomes cards; at 1280 px the menu is always open. axe-core, the sideways-scroll check
and the HTML check run on every page visited."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.delivery_factories import make_plan, make_trained_leader, record_lesson, set_up_group
from tests.factories import PASSWORD, make_group, make_school, make_user

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def test_the_menu_folds_on_a_phone_and_opens(page, server):
    school = make_school(name="Hallsta skola")
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{server}/groups/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    link = menu.get_by_role("link", name="Genomförande")
    expect(link).to_be_hidden()
    toggle = menu.get_by_text("Meny: Elevgrupper")
    expect(toggle).to_be_visible()
    nav_height = menu.bounding_box()["height"]
    assert nav_height < 60, f"the folded menu takes {nav_height} px"
    assert_accessible(page)
    toggle.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Genomförande")

    page.set_viewport_size(LAPTOP)
    expect(page.get_by_role("navigation", name="Huvudmeny").get_by_text("Meny")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Elevgrupper")
    ).to_be_visible()


def test_the_menu_works_without_javascript(browser, server):
    school = make_school(name="Hallsta skola")
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    for size, folded in ((PHONE, True), (LAPTOP, False)):
        context = browser.new_context(java_script_enabled=False, viewport=size)
        page = context.new_page()
        log_in(page, server, "nora@kommun.se", PASSWORD)
        menu = page.get_by_role("navigation", name="Huvudmeny")
        link = menu.get_by_role("link", name="Elevgrupper")
        if folded:
            expect(link).to_be_hidden()
            menu.get_by_text("Meny").click()
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Elevgrupper")
        context.close()


def test_the_group_page_on_a_phone(page, server):
    school = make_school(name="Långsjöskolan")
    leaders = [make_trained_leader(school, name=n) for n in ("Karin Ek", "Ahmed Yusuf")]
    group = make_group(school, name="8B", girls=12, boys=11, others=1)
    set_up_group(group, make_plan(14, name="MVP högstadiet"), leaders)
    empty = make_group(school, name="8C")
    set_up_group(empty, make_plan(14, name="Kort plan"), leaders)
    record_lesson(group, 1)
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.set_viewport_size(PHONE)

    page.goto(f"{server}/groups/{empty.id}")
    main_action = page.get_by_role("link", name="Registrera lektion 1", exact=True)
    removal = page.get_by_role("link", name="Ta bort gruppen")
    assert main_action.bounding_box()["y"] < removal.bounding_box()["y"], "removal comes first"
    assert_accessible(page)

    page.goto(f"{server}/groups/{group.id}")
    expect(page.get_by_role("link", name="Ta bort gruppen")).to_have_count(0)
    # The lesson grid is one card per lesson: no sideways scrolling inside it either.
    grid = page.locator("#lesson-grid")
    assert grid.evaluate("el => el.parentElement.scrollWidth <= el.parentElement.clientWidth")
    held = page.locator("#lesson-grid tr.held")
    assert held.evaluate("row => getComputedStyle(row).display") == "block"
    label = held.locator("td[data-label='Ledare']")
    assert label.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Ledare: "'
    expect(label).to_have_text("Ahmed Yusuf, Karin Ek")
    assert_accessible(page)
