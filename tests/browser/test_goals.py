"""In a real browser: a lead registers an equality goal with a Kolada indicator and its
target, and reads its follow-up; axe-core checks every page visited."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_user
from tests.goals.factories import import_recorded, make_administration


def test_lead_adds_a_goal_with_a_kolada_indicator(page, server):
    make_user("lead", email="maria@kommun.se", name="Maria Strateg")
    make_administration("HR-avdelningen")
    import_recorded("kolada_export.csv")
    log_in(page, server, "maria@kommun.se", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Jämställdhetsmål"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämställdhetsmål")
    expect(page.get_by_text("Inga mål är registrerade ännu.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nytt mål").click()
    page.get_by_label("Mål", exact=True).fill("Jämställd hälsa bland medarbetarna")
    page.get_by_label("Jämställd hälsa").check()
    page.get_by_label("Ägare (förvaltning)").select_option(label="HR-avdelningen")
    page.get_by_label("Första år").fill("2023")
    page.get_by_label("Sista år").fill("2027")
    page.get_by_label("Maria Strateg (maria@kommun.se)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Målet ”Jämställd hälsa bland medarbetarna” sparades."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till en indikator")

    page.get_by_label("Nyckeltal från Kolada", exact=True).check()
    page.get_by_label("Nyckeltal (Kolada)").select_option("N00945")
    page.get_by_label("Lägre värden är bättre").check()
    page.get_by_label("Ett värde för kvinnor och ett för män").check()
    page.get_by_label("Målvärde för kvinnor").fill("7,5")
    page.get_by_label("Målår").fill("2O27")
    page.get_by_role("button", name="Spara").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Skriv målvärdet för män.")
    expect(summary).to_contain_text("”2O27” är inte ett år.")
    assert_accessible(page)

    page.get_by_label("Målvärde för män").fill("7,5")
    page.get_by_label("Målår").fill("2027")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämställd hälsa bland medarbetarna")
    title = "Sjukfrånvaro bland kommunalt anställda, andel (%)"
    indicator = page.locator("section").filter(has=page.get_by_role("heading", name=title))
    expect(indicator).to_contain_text("Källa: Kolada (N00945)")
    expect(indicator).to_contain_text("Kvinnor 7,5, män 7,5 år 2027")
    expect(indicator).to_contain_text("på väg")
    expect(page.get_by_role("img", name=f"{title}: kvinnor och män per år")).to_be_visible()
    table = page.get_by_role("table", name=title, exact=True)
    expect(table.get_by_role("row", name="2023")).to_contain_text("8,4")
    assert_accessible(page)
