"""In a real browser: the rollout plan, a school's checklist, a stage change with a reason,
and the school-list import; axe-core checks every page visited, also at phone width."""

import datetime as dt

from playwright.sync_api import expect

from mvp.rollout.terms import term_of
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_school, make_user
from tests.rollout_factories import make_leader, make_rollout, make_training, train

TODAY = dt.date.today()
NOW = term_of(TODAY)


def municipality():
    running = make_school(name="Långsjöskolan", kind="7-9", pupils_by_grade={7: 118, 8: 112})
    make_rollout(running, "established", NOW + (-2))
    next_school = make_school(name="Norrgårdsskolan", kind="7-9", pupils_by_grade={8: 138})
    make_rollout(next_school, "preparing", NOW + 1, responsible="Sara Holm")
    make_training("anchoring", next_school, TODAY - dt.timedelta(days=90))
    train([make_leader(next_school) for _ in range(3)], TODAY - dt.timedelta(days=20))
    later = make_school(name="Solängsskolan", kind="4-6", pupils_by_grade={5: 71})
    make_rollout(later, "anchoring", NOW + 3)
    make_school(name="Kvarnbyskolan", kind="F-3", pupils_by_grade={1: 38})
    return next_school


def test_lead_reads_the_plan_and_moves_a_school_to_its_first_round(page, server):
    make_user("lead", email="maria@kommun.se")
    municipality()
    log_in(page, server, "maria@kommun.se", PASSWORD)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Införande").click()
    page.get_by_role("navigation", name="Införande").get_by_role(
        "link", name="Införandeplan"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Införandeplan")
    chart = page.get_by_role("img", name="Tidslinje över skolornas start med MVP per termin")
    expect(chart).to_be_visible()
    terms = page.get_by_role("table", name="Skolor som startar MVP per termin")
    expect(terms.get_by_role("row", name=(NOW + 1).label)).to_contain_text("Norrgårdsskolan")
    assert_accessible(page)

    terms.get_by_role("link", name="Norrgårdsskolan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Införandet på Norrgårdsskolan")
    expect(page.get_by_text("Ingen handledning av ledarna är planerad ännu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Byt fas").click()
    page.get_by_label("Första omgången").check()
    page.get_by_role("button", name="Byt fas").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Punkter på checklistan saknas.")
    expect(summary).to_be_focused()
    reason = page.get_by_label("Motivering")
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    reason.fill("Handledningen bokas med MVP Sverige under terminen.")
    page.get_by_label("Första omgången").check()
    page.get_by_role("button", name="Byt fas").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Norrgårdsskolan är nu i fasen Första omgången."
    )
    history = page.get_by_role("table", name="Fasbyten, det senaste först")
    expect(history).to_contain_text("Handledningen bokas med MVP Sverige under terminen.")
    expect(history).to_contain_text("Handledning av ledarna planerad eller hållen")
    assert_accessible(page)

    menu.get_by_role("link", name="Införande", exact=True).click()
    page.get_by_role("link", name="Importera en skollista").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera en skollista")
    assert_accessible(page)


def test_plan_and_checklist_at_phone_width(page, server):
    school = municipality()
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    make_user("viewer", email="insyn@kommun.se")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, server, "nora@kommun.se", PASSWORD)
    for path in ("/rollout/", f"/rollout/schools/{school.id}"):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at phone width"
        assert_accessible(page)
    expect(page.get_by_role("link", name="Byt fas")).to_have_count(0)

    page.context.clear_cookies()
    log_in(page, server, "insyn@kommun.se", PASSWORD)
    page.goto(server + "/rollout/plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Införandeplan")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the plan scrolls sideways at phone width"
    assert_accessible(page)
