"""In a real browser: an HR contact records an occasion's attendance — a participant by name
and the counts of a unit — is refused a count above the unit's headcount, and sees the
coverage change; the lead sees the staff occasion flagged "chefer först". axe-core checks
every page visited."""

import datetime as dt

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_user
from tests.staff_training_factories import (
    attend,
    make_administration,
    make_occasion,
    make_unit,
)


def test_an_hr_contact_records_a_sessions_attendance(page, server):
    social = make_administration("Socialförvaltningen")
    ifo = make_unit(social, "Individ- och familjeomsorg", managers=(1, 1), staff=(10, 5))
    managers = make_occasion(
        [ifo], audience="managers", held_on=dt.date.today() - dt.timedelta(days=40)
    )
    attend(managers, ifo, "Maja Sjöberg", role="manager", sex="woman")
    make_occasion([ifo], audience="staff", held_on=dt.date.today() - dt.timedelta(days=2))
    make_user("hr", email="hanna@kommun.se", administrations=[social])
    make_user("lead", email="maria@kommun.se")

    log_in(page, server, "hanna@kommun.se", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Jämställdhetsutbildning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämställdhetsutbildning")
    expect(page.locator("tbody").get_by_text("1/2 (50\u00a0%)")).to_be_visible()  # the managers
    assert_accessible(page)

    page.get_by_role("link", name="Tillfällen").click()
    expect(page.get_by_text("Chefer först")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Medarbetare").get_by_role("link").click()
    expect(page.locator("#managers-first")).to_contain_text("Individ- och familjeomsorg")
    assert_accessible(page)

    page.get_by_role("link", name="Anmäl en deltagare").click()
    page.get_by_label("Namn").fill("Ebba Strand")
    page.get_by_label("E-postadress").fill("ebba.strand@kommun.se")
    page.get_by_label("Enhet").select_option(label="Individ- och familjeomsorg")
    page.get_by_label("Medarbetare").check()
    page.get_by_label("Kvinna").check()
    expect(page.get_by_label("Deltog")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Spara deltagaren").click()
    expect(page.get_by_role("status")).to_contain_text("Ebba Strand anmäldes.")
    expect(page.get_by_role("table", name="Deltagare")).to_contain_text("Ebba Strand")
    assert_accessible(page)

    page.get_by_role("link", name="Registrera närvaro").click()
    expect(page.get_by_label("Närvaro för Ebba Strand")).to_have_value("attended")
    # 9 women staff (10 in all, one a manager): Ebba plus 9 counted is one too many.
    page.get_by_label("Individ- och familjeomsorg, medarbetare, kvinna: antal som deltog").fill("9")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Individ- och familjeomsorg, medarbetare, kvinnor: 10 markerade som närvarande, men "
        "enheten har 9 (enligt HR)."
    )
    assert_accessible(page)
    page.get_by_label("Individ- och familjeomsorg, medarbetare, kvinna: antal som deltog").fill("4")
    page.get_by_label("Individ- och familjeomsorg, medarbetare, man: antal som deltog").fill("2")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_role("status")).to_contain_text("Närvaron sparades.")
    expect(page.get_by_text("6 till deltog, räknade per enhet.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Jämställdhetsutbildning"
    ).click()
    expect(
        page.locator("tbody").get_by_text("7/13 (54\u00a0%)")
    ).to_be_visible()  # 5 women and 2 men staff
    assert_accessible(page)


def test_a_lead_opens_a_programmes_questionnaire_and_a_viewer_reads_the_coverage(page, server):
    from tests.staff_training_factories import make_programme

    social = make_administration("Socialförvaltningen")
    make_unit(social, "Hemtjänst Norr", managers=(2, 0), staff=(55, 9))
    make_programme("Ledarutbildning: jämställdhet i organisation, kultur och ekonomi", "leadership")
    make_user("lead", email="maria@kommun.se")
    make_user("viewer", email="vera@kommun.se")

    log_in(page, server, "maria@kommun.se", PASSWORD)
    page.goto(f"{server}/staff-training/programmes")
    page.get_by_role("link", name="Gav det resultat: Ledarutbildning").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gav det resultat")
    assert_accessible(page)
    page.get_by_label("Före utbildningen").check()
    page.get_by_role("button", name="Öppna enkäten").click()
    expect(page.get_by_role("status")).to_contain_text("Enkäten öppnades.")
    expect(page.get_by_role("table", name="Utbildningens enkäter")).to_contain_text("/e/")
    expect(page.get_by_role("img", name="QR-kod till")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Logga ut", exact=True).click()

    log_in(page, server, "vera@kommun.se", PASSWORD)
    page.goto(f"{server}/staff-training/")
    expect(
        page.get_by_role("table", name="Utbildade per förvaltning, roll och kön")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Plan").click()
    expect(page.get_by_role("table", name="Utbildningsplan per förvaltning")).to_contain_text(
        "Inte planerat"
    )
    assert_accessible(page)
