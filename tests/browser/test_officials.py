"""In a real browser: the lead registers a body and its seats, opens the year's round, prints
the codes, an official answers with a code on a phone-sized page (and cannot again), and the
lead reads the results. axe-core checks every new page."""

import csv
import io
import re
import subprocess
import zipfile

from playwright.sync_api import expect

from mvp.officials import services
from mvp.surveys.waves import local_today
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_user
from tests.officials_factories import add_answers


def test_the_whole_round_from_bodies_to_results(page, browser, server, tmp_path):
    year = local_today().year
    make_user("lead", email="lead@kommun.se")
    log_in(page, server, "lead@kommun.se", PASSWORD)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    menu.get_by_role("link", name="Förtroendevalda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Förtroendevaldas trygghet")
    assert_accessible(page)

    # Register a body.
    page.get_by_role("link", name="Registrera ett organ").click()
    assert_accessible(page)
    page.get_by_label("Namn").fill("Kommunfullmäktige")
    page.get_by_label("Slags organ").select_option(label="Kommunfullmäktige")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Organet sparades")

    # Its seats this year, typed in; a count that is not a number is refused, naming it.
    page.get_by_role("link", name=f"Skriv in mandaten för {year}").click()
    assert_accessible(page)
    page.get_by_label("Kommunfullmäktige, Ordinarie ledamöter, Kvinnor").fill("fem")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Kommunfullmäktige, Ordinarie ledamöter, Kvinnor: skriv ett heltal"
    )
    page.get_by_label("Kommunfullmäktige, Ordinarie ledamöter, Kvinnor").fill("6")
    page.get_by_label("Kommunfullmäktige, Ordinarie ledamöter, Män").fill("5")
    page.get_by_label("Kommunfullmäktige, Ordförande, Kvinnor").fill("1")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text(f"Mandaten för {year} sparades")
    page.get_by_role("link", name="Importera mandaten").click()
    assert_accessible(page)
    page.go_back()

    # Open the round, preview its questionnaire, print the codes.
    page.get_by_role("link", name="Starta en mätning").click()
    assert_accessible(page)
    page.get_by_role("button", name="Skapa mätningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Mätning {year}")
    assert_accessible(page)
    page.get_by_role("link", name="Förhandsvisning").click()
    expect(
        page.get_by_role("group", name="1. Jag känner mig trygg i mitt politiska uppdrag.")
    ).to_be_visible()
    assert_accessible(page)
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("button", name="Skapa koder och brev").click()
    archive = zipfile.ZipFile(download.value.path())
    rows = list(
        csv.reader(
            io.StringIO(archive.read(f"koder-{year}.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0] == ["kod", "adress", "direktlank"] and len(rows) == 13  # 12 seats
    (tmp_path / "brev.pdf").write_bytes(archive.read(f"brev-{year}.pdf"))
    letters = subprocess.run(
        ["pdftotext", str(tmp_path / "brev.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    code = rows[1][0]
    assert code in letters and letters.count("Din kod:") == 12

    # An official answers on a phone with the code from the letter.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server)
    official = phone.new_page()
    official.goto(f"{server}/f")
    expect(official.get_by_role("heading", level=1)).to_have_text("Skriv koden från ditt brev")
    assert_accessible(official)
    official.get_by_label("Kod").fill(code.lower())
    official.get_by_role("button", name="Fortsätt").click()
    expect(official.get_by_text("Vi frågar inte om ditt parti")).to_be_visible()
    assert_accessible(official)
    official.get_by_role("group", name="Är du kvinna, man eller annat?").get_by_label(
        "Kvinna"
    ).check()
    official.get_by_role("button", name="Nästa").click()
    first = official.get_by_role("group", name="1. Jag känner mig trygg i mitt politiska uppdrag.")
    first.get_by_label("Stämmer ganska bra").check()
    assert_accessible(official)
    # Page by page to the last; each click waits for the next page, so the button count
    # is never read from a page that is still being replaced.
    progress = official.locator("#progress")
    total = int(re.search(r"Sida \d+ av (\d+)", progress.inner_text()).group(1))
    for number in range(int(re.search(r"Sida (\d+)", progress.inner_text()).group(1)), total):
        official.get_by_role("button", name="Nästa").click()
        expect(progress).to_have_text(f"Sida {number + 1} av {total}")
    expect(official.get_by_role("button", name="Nästa")).to_have_count(0)
    official.get_by_role("button", name="Skicka svaren").click()
    expect(official.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    assert_accessible(official)
    # The same code again: refused, nothing stored.
    official.goto(f"{server}/f?kod={code}")
    expect(official.get_by_role("heading", level=1)).to_have_text("Koden har redan använts")
    assert_accessible(official)
    phone.close()

    # Enough answers for the figures to show, then the lead reads the results.
    round_ = services.round_of_year(year)
    add_answers(
        round_,
        [("woman", {"trygg": 4})] * 5 + [("man", {"trygg": 3})] * 4 + [("man", {"trygg": 1})],
    )
    page.goto(f"{server}/officials/results")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Trygghet i det politiska uppdraget {year}"
    )
    expect(page.get_by_text("Kvinnor: 100,0 % känner sig trygga")).to_be_visible()
    expect(page.get_by_text("Män: 80,0 % känner sig trygga")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{server}/officials/rounds/{round_.id}")
    expect(
        page.get_by_role("table", name="Mandat och svar efter slags mandat och kön")
    ).to_be_visible()
    page.goto(f"{server}/officials/references")
    assert_accessible(page)
