"""In a real browser: a pupil answers online page by page (code, Back and Forward without a
resubmission, send once, closed wave refused), pupils sharing a device, in Swedish and English
and at phone width; a coordinator types paper questionnaires in the
grid with live errors and opens the wave page and classroom sheet. axe-core checks every page."""

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from mvp.extensions import db
from mvp.surveys import importing, services
from mvp.surveys.coding import decode, decode_sex
from mvp.surveys.linkage import QUESTION_KEYS, hash_code
from mvp.surveys.models import Response
from mvp.surveys.services import local_today
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, make_group, make_school, make_user
from tests.survey_factories import make_wave


def answer_code_questions(page) -> None:
    page.get_by_label("Vilken bokstav börjar din mammas förnamn på?").select_option("Å")
    page.get_by_label("Vilken månad är du född?").select_option(label="mars")
    page.get_by_label("Vilken är sista siffran i den dag du är född?").select_option("7")
    page.get_by_label("Hur många äldre syskon har du?").select_option("1")
    page.get_by_label("Hur många bokstäver har ditt förnamn?").select_option("6")
    page.get_by_label("Vilken hand skriver du med?").select_option(label="Vet inte")


def about_me(page, sex="Kille") -> None:
    page.get_by_role("group", name="Är du tjej, kille eller annat?").get_by_label(sex).check()
    page.get_by_role("group", name="Vilken årskurs går du i?").get_by_label("8").check()


def next_page(page, number: int) -> None:
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_text(f"Sida {number} av 8", exact=True)).to_be_visible()


def no_resubmission(page) -> None:
    """What the browser shows is a page of ours, never its 'confirm form resubmission'."""
    assert "ERR_CACHE_MISS" not in page.content()
    expect(page.locator("h1")).to_have_count(1)


def test_pupil_answers_page_by_page_with_back_and_forward(page, server):
    wave = make_wave(make_group(make_school(name="Långsjöskolan"), name="8B"))
    today = local_today()
    closed = make_wave(
        make_group(make_school(), name="9C", grade=9),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=2),
    )
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog: {dialog.message}"))

    page.goto(f"{server}/e")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv din kod")
    assert_accessible(page)
    page.get_by_label("Kod").fill("nope12")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("alert")).to_contain_text("Det finns ingen enkät med koden NOPE12")
    assert_accessible(page)

    page.get_by_label("Kod").fill(wave.code.lower())
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MVP-enkäten")
    expect(page.get_by_text("Sida 1 av 8", exact=True)).to_be_visible()
    expect(page.locator(".lead + p")).to_contain_text("kodfrågorna behöver du svara på")
    assert_accessible(page)

    # Forward without sex: the pupil stays on the page and is told; the grade is kept.
    page.get_by_role("group", name="Vilken årskurs går du i?").get_by_label("8").check()
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("alert")).to_contain_text("Välj ett svar om kön")
    expect(page.get_by_text("Sida 1 av 8", exact=True)).to_be_visible()
    assert_accessible(page)
    about_me(page)
    next_page(page, 2)
    first = page.get_by_role("group", name="1. Om någon i klassen blir hånad")
    first.get_by_label("Stämmer ganska bra").check()
    # Keyboard only: a radio group is answered with the arrow keys.
    page.get_by_role("group", name="2. Om en kompis skickar vidare").get_by_label(
        "Stämmer helt och hållet"
    ).focus()
    page.keyboard.press("ArrowDown")
    assert_accessible(page)
    next_page(page, 3)

    # The browser's Back and Forward: the pages come back with their answers, never a
    # request to send a form again.
    page.go_back()
    no_resubmission(page)
    expect(page.get_by_text("Sida 2 av 8", exact=True)).to_be_visible()
    expect(first.get_by_label("Stämmer ganska bra")).to_be_checked()
    page.go_back()
    no_resubmission(page)
    expect(page.get_by_role("group", name="Är du tjej").get_by_label("Kille")).to_be_checked()
    page.go_forward()
    no_resubmission(page)
    expect(first.get_by_label("Stämmer ganska bra")).to_be_checked()
    # The page's own Back button keeps what was just chosen.
    page.get_by_role("group", name="3. Om jag ser att någon").get_by_label(
        "Stämmer inte alls"
    ).check()
    page.get_by_role("button", name="Tillbaka").click()
    expect(page.get_by_text("Sida 1 av 8", exact=True)).to_be_visible()
    next_page(page, 2)
    third = page.get_by_role("group", name="3. Om jag ser att någon")
    expect(third.get_by_label("Stämmer inte alls")).to_be_checked()
    for number in range(3, 8):
        if number == 6:
            page.get_by_role("group", name="20. Är det våld att skicka vidare").get_by_label(
                "Ja"
            ).check()
        next_page(page, number)
    next_page(page, 8)
    answer_code_questions(page)
    assert_accessible(page)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0  # nothing stored yet
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")
    assert_accessible(page)

    stored = db.session.scalar(sa.select(Response))
    assert stored.sex == "boy" and stored.answered_on == local_today()
    values = {a.item.key: a.value for a in stored.answers}
    assert values == {"agera1": 3, "agera2": 3, "agera3": 1, "vald1": 1}

    # Back after "Tack": no resubmission, no second answer.
    page.go_back()
    no_resubmission(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har redan svarat")
    assert_accessible(page)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1

    page.goto(f"{server}/e?kod={closed.code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enkäten är stängd")
    assert_accessible(page)


def answer_everything_quickly(page, sex: str) -> None:
    about_me(page, sex)
    for number in range(2, 9):
        next_page(page, number)
    for select in page.locator("select").all():
        select.select_option("?")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar")


def test_pupils_sharing_a_device_answer_one_after_the_other(page, server):
    wave = make_wave(make_group(make_school()))
    wave.shared_device = True
    db.session.commit()
    page.goto(f"{server}/e/{wave.code}")
    answer_everything_quickly(page, "Tjej")
    expect(page.get_by_text("Lämna över enheten till nästa elev.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nästa elev: börja på enkäten").click()
    expect(page.get_by_text("Sida 1 av 8", exact=True)).to_be_visible()
    expect(page.locator("input:checked")).to_have_count(0)  # nothing of the pupil before
    answer_everything_quickly(page, "Kille")
    sexes = sorted(db.session.scalars(sa.select(Response.sex)))
    assert sexes == ["boy", "girl"]


def test_questionnaire_in_english_and_at_phone_width(page, server):
    wave = make_wave(make_group(make_school()))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server}/e/{wave.code}")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The MVP questionnaire")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Page 1 of 8", exact=True)).to_be_visible()
    page.get_by_role("group", name="Are you a girl, a boy or something else?").get_by_label(
        "Girl"
    ).check()
    page.get_by_role("group", name="Which grade are you in?").get_by_label("8").check()
    page.get_by_role("button", name="Next").click()
    expect(
        page.get_by_role("group", name="1. If someone in my class is mocked for how they look")
    ).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the questionnaire scrolls sideways at phone width"
    assert_accessible(page)


# What a printed form may hold, by column: answers the grid takes as typed ("" = left blank).
_PRINTED = {
    "agreement": ["1", "2", "3", "4", "V", ""],
    "yes_no": ["1", "2", "V", ""],
    "choice": ["1", "2", "3", "4", ""],
    "kod_bokstav": ["A", "M", "Å", "Ö", ""],
    "kod_manad": [str(n) for n in range(1, 13)],
    "kod_dag": [str(n) for n in range(10)],
    "kod_syskon": [str(n) for n in range(6)],
    "kod_namn": [str(n) for n in range(1, 16)],
    "kod_hand": ["1", "2", "3"],
}


def printed_forms(items, count: int) -> list[dict[str, str]]:
    """`count` paper forms with answers drawn from every kind of cell (the same every run)."""
    rng = random.Random(13)
    forms = []
    for _ in range(count):
        form = {"kon": rng.choice("1234"), "arskurs": "8"}
        form |= {item.key: rng.choice(_PRINTED[item.kind]) for item in items}
        form |= {key: rng.choice(_PRINTED[key]) for key in QUESTION_KEYS}
        form["agera1"] = form["agera1"] or "3"  # every form answers something
        forms.append(form)
    return forms


def type_form(page, form: dict[str, str], keys: list[str], complete) -> None:
    """Keys as a person types them: each answer, then Tab only where the grid cannot know the
    answer is finished (a blank, or "1" that could still become 10–15)."""
    for key in keys:
        value = form[key]
        if value:
            page.keyboard.type(value)
        if not value or not complete(key, value):
            page.keyboard.press("Tab")


def test_coordinator_types_twenty_paper_forms_by_keyboard(page, server):
    school = make_school(name="Hallsta skola")
    wave = make_wave(make_group(school, name="8A", girls=10, boys=10, others=0))
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    items = services.instrument_items(wave.instrument_id)
    columns = importing.grid_columns(items, school.grades)
    keys = [c.key for c in columns]
    values = {c.key: c.values.split() for c in columns}

    def complete(key, value):
        return not any(len(v) > len(value) and v.startswith(value) for v in values[key])

    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server}/surveys/waves/{wave.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förmätning, 8A, Hallsta skola")
    assert_accessible(page)
    page.get_by_role("link", name="Klassrumsblad med QR-kod").click()
    qr = page.get_by_role("img", name="QR-kod till")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "broken QR image"
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Skriv in pappersenkäter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv in pappersenkäter")
    assert_accessible(page)
    # At 1280 px all 37 columns are in view: nothing to scroll, even inside the grid.
    region = page.get_by_role("region", name="Enkäter, en per rad")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth"), "the grid is cut off"
    assert len(keys) == 37

    # A wrong key is refused on the spot, with the reason, once.
    page.locator("#r1-kon").focus()
    page.keyboard.type("7")
    live = page.locator("[data-grid-errors]")
    expect(live).to_have_text(
        "Rad 1, kolumn Kön: Endast 1 (tjej), 2 (kille), 3 (annat) eller 4 (vill inte svara)."
    )
    expect(page.locator("#r1-kon")).to_have_value("")
    # A valid key moves on (the grade comes selected); Backspace goes back to fix it.
    page.keyboard.type("2")
    expect(live).to_be_empty()
    expect(page.locator("#r1-arskurs")).to_be_focused()
    page.keyboard.press("Backspace")
    expect(page.locator("#r1-kon")).to_be_focused()
    expect(page.locator("#r1-arskurs")).to_have_value("8")
    page.keyboard.press("Backspace")
    expect(page.locator("#r1-kon")).to_have_value("")

    forms = printed_forms(items, 20)
    for number, form in enumerate(forms, start=1):
        if number > 1:
            expect(page.locator(f"#r{number}-kon")).to_be_focused()
        type_form(page, form, keys, complete)
    expect(live).to_be_empty()
    assert_accessible(page)
    page.get_by_role("button", name="Spara alla rader").click()
    expect(page.get_by_role("status")).to_contain_text("20 enkäter sparades.")

    stored = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert len(stored) == 20
    by_key = {item.key: item for item in items}
    for form, response in zip(forms, stored, strict=True):
        assert response.sex == decode_sex(form["kon"]) and response.grade == 8
        expected = {}
        for key, item in by_key.items():
            coded = decode(item.kind, form[key], len(item.options or []))
            if coded is not None:
                expected[key] = (coded.value, coded.dont_know)
        assert {a.item.key: (a.value, a.dont_know) for a in response.answers} == expected
        assert response.link_code == hash_code({key: form[key] or None for key in QUESTION_KEYS})


def test_the_server_names_a_wrong_cell_once(page, server):
    school = make_school(name="Hallsta skola")
    wave = make_wave(make_group(school, name="8A", girls=3, boys=2, others=0))
    make_user("coordinator", email="nora@kommun.se", schools=[school])
    log_in(page, server, "nora@kommun.se", PASSWORD)
    page.goto(f"{server}/surveys/waves/{wave.id}/paper")
    page.locator("#r1-kon").focus()
    page.keyboard.type("1")
    # A value the script would refuse (as from a browser without it) reaches the server.
    page.locator("#r1-agera2").evaluate("cell => { cell.value = '7'; }")
    page.get_by_role("button", name="Spara alla rader").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Rad 1, kolumn 2: Endast 1–4, V eller tomt.")
    expect(page.get_by_text("Rad 1, kolumn 2")).to_have_count(1)
    expect(page.locator("#r1-agera2")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0
    page.locator("#r1-agera2").select_text()
    page.keyboard.type("v")
    expect(page.locator("#r1-agera2")).to_have_value("V")
    page.locator("#r1-agera2").press("Enter")
    expect(page.locator("#r2-kon")).to_be_focused()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.get_by_role("button", name="Spara alla rader").click()
    expect(page.get_by_role("status")).to_contain_text("2 enkäter sparades.")
    assert_accessible(page)
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 2


def test_lead_opens_a_wave_and_reads_the_questionnaire(page, server):
    school = make_school(name="Långsjöskolan")
    make_group(school, name="8C")
    make_user("lead", email="lead@kommun.se")
    log_in(page, server, "lead@kommun.se", PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Enkäter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enkäter")
    assert_accessible(page)

    page.get_by_role("link", name="Enkäterna och deras frågor").click()
    expect(page.get_by_role("button", name="Lägg till MVP-enkäten")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till MVP-enkäten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MVP-enkäten v1")
    expect(page.get_by_text("Avståndstagande från våld och kontroll").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Se den som eleverna gör").click()
    expect(page.get_by_role("group", name="1. Om någon i klassen")).to_be_visible()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Ändra agera1").click()
    expect(page.get_by_label("Frågan på svenska")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{server}/surveys/waves/new")
    assert_accessible(page)
    page.get_by_label("Elevgrupp").select_option(label="Långsjöskolan, 8C (åk 8)")
    page.get_by_label("Före – före första lektionen (T1)").check()
    today = local_today()
    page.get_by_label("Första dag").fill(today.isoformat())
    page.get_by_label("Sista dag").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Öppna omgången").click()
    expect(page.get_by_role("alert")).to_contain_text("Sista dagen kan inte vara före första")
    assert_accessible(page)
    page.get_by_label("Sista dag").fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Öppna omgången").click()
    expect(page.get_by_role("status")).to_contain_text("Omgången öppnades. Koden är")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förmätning, 8C, Långsjöskolan")
    page.get_by_role("link", name="Läs in en fil").click()
    expect(page.get_by_label("Fil (CSV eller Excel)")).to_be_visible()
    assert_accessible(page)
