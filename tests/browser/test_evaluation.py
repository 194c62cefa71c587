"""In a real browser: the evaluation dashboard, its filters, charts and downloads; axe-core
checks every state of the page visited."""

from playwright.sync_api import expect

from mvp.schools.years import format_school_year
from tests.browser.conftest import assert_accessible, log_in
from tests.evaluation.conftest import build_pilot
from tests.factories import PASSWORD, make_user


def test_a_lead_filters_the_evaluation_and_finds_the_report(page, server):
    pilot = build_pilot()
    make_user("lead", email="lena@kommun.se")
    log_in(page, server, "lena@kommun.se", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Utvärdering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utvärdering")
    expect(page.get_by_role("heading", name="Effekt", exact=True)).to_be_visible()
    expect(
        page.get_by_role("img", name="Förändring per skala med konfidensintervall")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Skalor: ihopkopplade elever")).to_be_visible()
    assert_accessible(page)

    # Narrow to Hallsta skola, grade 8.
    page.get_by_role("group", name="Skolor").get_by_label("Hallsta skola").check()
    page.get_by_role("group", name="Årskurser").get_by_label("8").check()
    page.get_by_role("button", name="Visa utvärderingen").click()
    expect(page.get_by_role("status")).to_contain_text("Hallsta skola · årskurs 8")
    pupils = page.get_by_role("table", name="Elever i MVP-grupper efter kön")
    expect(pupils.get_by_role("row")).to_have_count(3)  # header, the school, all schools
    expect(pupils).not_to_contain_text("Långsjöskolan")
    assert_accessible(page)

    # A grade without groups: a clear message, no tables of figures.
    page.get_by_role("group", name="Årskurser").get_by_label("8").uncheck()
    page.get_by_role("group", name="Årskurser").get_by_label("7").check()
    page.get_by_role("group", name="Skolor").get_by_label("Hallsta skola").uncheck()
    page.get_by_role("group", name="Skolor").get_by_label("Långsjöskolan").check()
    page.get_by_role("button", name="Visa utvärderingen").click()
    expect(page.get_by_text("Inga MVP-grupper matchar urvalet").first).to_be_visible()
    assert_accessible(page)

    # The report's download link carries the selection.
    page.get_by_role("group", name="Årskurser").get_by_label("7").uncheck()
    page.get_by_role("button", name="Visa utvärderingen").click()
    link = page.get_by_role("link", name="Rapport till SKR (PDF)")
    year = format_school_year(pilot.year)
    school = pilot.schools["Långsjöskolan"].id
    expect(link).to_have_attribute("href", f"/evaluation/report.pdf?year={year}&school={school}")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_an_unknown_school_and_the_phone_width(page, server):
    build_pilot()
    make_user("viewer", email="vera@kommun.se")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, server, "vera@kommun.se", PASSWORD)
    page.goto(f"{server}/evaluation/?school=4711")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Det finns ingen skola ”4711” bland de skolor du kan se.")
    assert_accessible(page)
    page.goto(f"{server}/evaluation/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the evaluation scrolls sideways at phone width"
    assert_accessible(page)


def test_a_lead_writes_lessons_learned(page, server):
    build_pilot()
    make_user("lead", email="lena@kommun.se")
    log_in(page, server, "lena@kommun.se", PASSWORD)
    page.goto(f"{server}/evaluation/")
    page.get_by_role("link", name="Skriv lärdomar och nästa steg").click()
    assert_accessible(page)
    page.get_by_label("Lärdomar").fill("Handledningen var avgörande för ledarparen.")
    page.get_by_label("Nästa steg").fill("Fler skolor börjar till hösten.")
    page.get_by_role("button", name="Spara texterna").click()
    expect(page.get_by_role("status")).to_contain_text("Texterna för")
    page.get_by_role("link", name="Tillbaka till utvärderingen").click()
    expect(page.get_by_text("Handledningen var avgörande för ledarparen.")).to_be_visible()


def test_a_lead_opens_a_sections_tables_and_a_schools_page(page, server):
    pilot = build_pilot()
    make_user("lead", email="lena@kommun.se")
    log_in(page, server, "lena@kommun.se", PASSWORD)
    page.goto(f"{server}/evaluation/")
    page.get_by_role("link", name="Alla tabeller om effekt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effekt: alla tabeller")
    expect(page.get_by_role("status")).to_contain_text(format_school_year(pilot.year))
    expect(page.get_by_role("table", name='Frågor: positiva svar och "vet ej"')).to_be_visible()
    page.get_by_role("navigation", name="Tabeller på sidan").get_by_role(
        "link", name="Skalor efter skola: ihopkopplade elever"
    ).click()
    expect(
        page.get_by_role("table", name="Skalor efter skola: ihopkopplade elever")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tillbaka till utvärderingen (översikt och urval)").click()
    page.get_by_role("link", name="Hallsta skola", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallsta skola")
    expect(
        page.get_by_role("table", name="Hallsta skola: skalor, ihopkopplade elever")
    ).to_be_visible()
    assert_accessible(page)


def test_the_dashboard_opens_with_the_result_in_brief(page, server):
    build_pilot()
    make_user("lead", email="lena@kommun.se")
    log_in(page, server, "lena@kommun.se", PASSWORD)
    page.goto(f"{server}/evaluation/")
    brief = page.get_by_role("region", name="Resultat i korthet")
    expect(brief).to_be_visible()
    expect(brief.get_by_role("listitem").first).to_be_visible()
    for label in ("Elever som nåtts", "Lektioner ledda av ett ledarpar"):
        expect(brief.get_by_text(label)).to_be_visible()
    # It comes before the RE-AIM sections, and the contents lead to it.
    expect(page.get_by_role("navigation", name="Utvärderingens delar")).to_contain_text(
        "Resultat i korthet"
    )
    assert_accessible(page)
