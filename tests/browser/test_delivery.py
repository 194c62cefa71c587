"""In a real browser: a coordinator records a lesson from the group's grid and sees the grid
and the fidelity figures change; the overview's "To do" and the delivery pages at phone width;
axe-core checks every page visited."""

import datetime as dt
import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.delivery_factories import make_plan, make_trained_leader, make_training, set_up_group
from tests.factories import PASSWORD, make_group, make_school, make_user


def test_coordinator_records_a_lesson_from_the_grid(page, server):
    school = make_school(name="Långsjöskolan")
    karin = make_trained_leader(school, name="Karin Ek")
    ahmed = make_trained_leader(school, name="Ahmed Yusuf", sex="man")
    make_training("supervision", hours=3, school=school, attended=[karin])
    group = make_group(school, name="8B", girls=12, boys=11, others=1)
    set_up_group(group, make_plan(14, name="MVP högstadiet"), [karin, ahmed])
    make_user("coordinator", email="nora@kommun.se", schools=[school])

    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Elevgrupper").click()
    page.get_by_role("link", name="8B").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grupp 8B, Långsjöskolan")
    grid = page.get_by_role("table", name="Lektionsplan MVP högstadiet: 0 av 14 lektioner hållna")
    expect(grid).to_be_visible()
    expect(page.locator("#group-fidelity")).to_contain_text("0 %")
    assert_accessible(page)

    grid.get_by_role("link", name="Inte än – registrera lektion 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registrera en lektion")
    # The form opens on the lesson number, with the next lesson, today and the pair filled in.
    expect(page.get_by_label("Lektion", exact=True)).to_be_focused()
    expect(page.get_by_label("Datum")).to_have_value(dt.date.today().isoformat())
    expect(page.get_by_label("Karin Ek")).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Flickor").fill("13")
    page.get_by_role("button", name="Spara lektionen").click()
    expect(page.get_by_role("alert")).to_contain_text("Högst 12: gruppen har 12 flickor.")
    expect(page.get_by_label("Flickor")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Flickor").fill("11")
    page.get_by_label("Delvis enligt plan").check()
    page.get_by_label("Vad som anpassades eller utgick").fill("Vi hann bara det första scenariot.")
    page.get_by_role("button", name="Spara lektionen").click()
    expect(page.get_by_role("status")).to_contain_text("Lektion 1 registrerades.")
    assert_saved_lesson_in_view(page, "Lektion 1 registrerades.")
    grid = page.get_by_role("table", name="Lektionsplan MVP högstadiet: 1 av 14 lektioner hållna")
    expect(grid.get_by_role("row").nth(1)).to_contain_text(dt.date.today().isoformat())
    expect(grid.get_by_role("row").nth(1)).to_contain_text("Delvis enligt plan")
    expect(page.locator("#group-fidelity")).to_contain_text("7 %")
    expect(page.get_by_role("link", name="Registrera lektion 2", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Genomförande"
    ).click()
    schools = page.get_by_role("table", name="Genomförande per skola")
    expect(schools.get_by_role("row", name="Långsjöskolan")).to_contain_text("1 av 14")
    assert_accessible(page)
    schools.get_by_role("link", name="Långsjöskolan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Genomförande på Långsjöskolan")
    assert_accessible(page)


def assert_saved_lesson_in_view(page, message: str) -> None:
    """The confirmation is at the top of the window and the saved row, marked, is in view."""
    row = page.locator("tr:target")
    expect(row).to_have_class(re.compile("just-saved"))
    expect(row).to_contain_text("Nyss sparad")
    page.wait_for_function("() => window.scrollY > 0 || document.querySelector('tr:target')")
    status = page.get_by_role("status").filter(has_text=message)
    height = page.viewport_size["height"]
    flash, saved = status.bounding_box(), row.bounding_box()
    assert 0 <= flash["y"] <= 80, f"the confirmation is at {flash['y']} px, not at the top"
    assert flash["y"] + flash["height"] <= saved["y"], "the confirmation covers the saved row"
    assert saved["y"] + saved["height"] <= height, "the saved row is below the window"


def test_a_saved_lesson_shows_its_result_on_a_phone(page, server):
    school = make_school(name="Långsjöskolan")
    karin = make_trained_leader(school, name="Karin Ek")
    ahmed = make_trained_leader(school, name="Ahmed Yusuf", sex="man")
    group = make_group(school, name="8B", girls=12, boys=11, others=1)
    set_up_group(group, make_plan(14, name="MVP högstadiet"), [karin, ahmed])
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    for number in (1, 2, 3):
        page.goto(f"{server}/groups/{group.id}")
        # The main action comes first; the group's removal is not offered once lessons exist.
        page.get_by_role("link", name=f"Registrera lektion {number}", exact=True).click()
        page.get_by_label("Datum").fill(
            (dt.date.today() - dt.timedelta(days=3 - number)).isoformat()
        )
        page.get_by_role("button", name="Spara lektionen").click()
        assert_saved_lesson_in_view(page, f"Lektion {number} registrerades.")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Ta bort gruppen")).to_have_count(0)
    expect(page.get_by_text("Gruppen kan inte tas bort: dess 3 hållna lektioner")).to_be_visible()


def test_delivery_pages_are_accessible_and_fit_a_phone(page, server):
    school = make_school(name="Hallsta skola")
    leader = make_trained_leader(school, name="Maria Olsson")
    training = make_training("supervision", hours=3, school=school, attended=[leader])
    plan = make_plan(14, name="MVP högstadiet")
    group = set_up_group(make_group(school, name="9A"), plan, [leader])
    make_user("lead", email="maria@kommun.se")
    log_in(page, server, "maria@kommun.se", PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    # The overview's "To do": 9A has held no lesson yet, has one leader and no questionnaire.
    page.goto(server + "/")
    todo = page.get_by_role("region", name="Att göra")
    for heading in (
        "Grupper som ligger efter",
        "Ledarpar att komplettera",
        "Ingen enkät före lektionerna",
    ):
        expect(todo.get_by_role("heading", name=heading)).to_be_visible()
    expect(todo.get_by_role("link", name="Hallsta skola 9A")).to_have_count(3)
    for path in (
        "/",
        "/leaders/",
        f"/leaders/{leader.id}",
        "/leaders/new",
        "/trainings/",
        f"/trainings/{training.id}",
        f"/trainings/{training.id}/participants",
        "/trainings/new",
        "/plans/",
        f"/plans/{plan.id}",
        f"/plans/{plan.id}/edit",
        f"/groups/{group.id}",
        f"/groups/{group.id}/delivery",
        f"/groups/{group.id}/lessons/new",
        "/fidelity/",
        f"/fidelity/schools/{school.id}",
    ):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width"
        assert_accessible(page)
