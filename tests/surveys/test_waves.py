"""Waves: coordinators open them for their own groups, get a code and a classroom sheet, and
follow answers and linkage on a page that runs a fixed number of queries."""

import base64
import datetime as dt
import io
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from mvp.audit.models import AuditEvent
from mvp.extensions import db
from mvp.surveys import services
from mvp.surveys.models import Response, Wave
from mvp.surveys.services import CODE_ALPHABET, local_today
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import add_responses, code, make_instrument, make_wave, response_data

LOOK_ALIKES = set("0O1IL")


def wave_form(group, instrument, **overrides):
    today = local_today()
    data = {
        "group_id": str(group.id),
        "phase": "before",
        "instrument_id": str(instrument.id),
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


def test_coordinator_opens_a_wave_for_a_group_and_gets_a_code(client):
    school = make_school(name="Långsjöskolan")
    group = make_group(school, name="8A")
    instrument = make_instrument()
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get("/surveys/waves/new").get_data(as_text=True)
    assert "Långsjöskolan, 8A (åk 8)" in page
    response = client.post("/surveys/waves/new", data=wave_form(group, instrument))
    wave = db.session.scalar(sa.select(Wave))
    assert response.headers["Location"] == f"/surveys/waves/{wave.id}"
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", wave.code)
    page = client.get(f"/surveys/waves/{wave.id}").get_data(as_text=True)
    assert f"Omgången öppnades. Koden är {wave.code}." in page
    assert "Förmätning, 8A, Långsjöskolan" in page and "http://localhost/e" in page
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "wave"))


def test_access_codes_have_no_look_alikes_and_are_unique(app):
    assert not LOOK_ALIKES & set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) >= 20
    codes = {services.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 6 and not LOOK_ALIKES & set(c) for c in codes)


def test_bad_wave_input_is_refused_in_swedish(client):
    school = make_school()
    group = make_group(school, name="8A")
    other_school_group = make_group(make_school(), name="9C", grade=9)
    instrument = make_instrument()
    make_wave(group, "before", opens_on=local_today() - dt.timedelta(days=2))
    sign_in(client, make_user("coordinator", schools=[school]))
    today = local_today()
    cases = [
        (
            {"closes_on": (today - dt.timedelta(days=1)).isoformat()},
            "Sista dagen kan inte vara före första dagen.",
        ),
        ({"opens_on": "14/9"}, "Skriv datumet som år-månad-dag, t.ex. 2026-09-14."),
        ({"opens_on": ""}, "Ange första dagen"),
        ({"phase": "during"}, "Välj före, efter eller uppföljning."),
        ({"group_id": ""}, "Välj en elevgrupp."),
        ({"group_id": str(other_school_group.id)}, "Välj en elevgrupp."),
        ({"instrument_id": "9999"}, "Välj en enkät."),
        ({}, "Gruppen har redan en förmätning (kod"),
        (
            {"phase": "after", "opens_on": (today - dt.timedelta(days=5)).isoformat()},
            "Den kan inte öppna före förmätningen",
        ),
    ]
    for overrides, message in cases:
        response = client.post("/surveys/waves/new", data=wave_form(group, instrument, **overrides))
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Rätta följande" in page, overrides
        assert message in page, overrides
    assert db.session.scalar(sa.select(sa.func.count(Wave.id))) == 1


def test_coordinator_sees_only_own_schools_waves(client):
    own, other = make_school(name="Egna skolan"), make_school(name="Andra skolan")
    make_wave(make_group(own, name="8A"))
    hidden = make_wave(make_group(other, name="8Q"))
    sign_in(client, make_user("coordinator", schools=[own]))
    page = client.get("/surveys/").get_data(as_text=True)
    assert "Egna skolan" in page and "Andra skolan" not in page and hidden.code not in page
    assert client.get(f"/surveys/waves/{hidden.id}").status_code == 404
    assert client.get(f"/surveys/waves/{hidden.id}/sheet").status_code == 404


def test_classroom_sheet_has_code_address_and_a_qr_code_without_inline_styles(client):
    wave = make_wave(make_group(make_school()))
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/waves/{wave.id}/sheet").get_data(as_text=True)
    assert wave.code in page and "http://localhost/e" in page
    match = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    svg = base64.b64decode(match.group(1)).decode()
    # A complete SVG file (with its namespace, or browsers show a broken image), no styles.
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "style=" not in svg
    assert 'style="' not in page
    assert f'alt="QR-kod till http://localhost/e/{wave.code}"' in page


def test_pupil_address_can_be_set_for_printed_sheets(app, client):
    wave = make_wave(make_group(make_school()))
    sign_in(client, make_user("lead"))
    app.config["PUPIL_URL"] = "https://mvp.kommun.se/e"
    try:
        page = client.get(f"/surveys/waves/{wave.id}/sheet").get_data(as_text=True)
    finally:
        app.config["PUPIL_URL"] = None
    assert "https://mvp.kommun.se/e" in page and f"https://mvp.kommun.se/e/{wave.code}" in page


def test_wave_page_shows_answers_and_linkage_without_single_answers(client):
    group = make_group(make_school(), girls=10, boys=10, others=0)
    before, after = make_wave(group, "before"), make_wave(group, "after")
    add_responses(before, [response_data(before, link=code(kod_bokstav=c)) for c in "ABCD"])
    add_responses(after, [response_data(after, link=code(kod_bokstav=c)) for c in "ABX"])
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/waves/{before.id}").get_data(as_text=True)
    assert "svar av 20 elever i gruppen" in page
    assert re.search(r'<span class="figure">20\xa0%</span>', page)  # 4 of 20 answered
    row = re.search(r"<th scope=\"row\">Eftermätning</th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # A and B link exactly; X is one letter from both C and D, so those three are ambiguous.
    assert cells == ["2", "50\xa0%", "2", "0", "2"]
    assert "Gruppen har ingen sådan omgång ännu." in page  # no follow-up
    # Counts only: no single pupil's answers, codes or sex on the page.
    assert "Stämmer helt och hållet" not in page and "kod_bokstav" not in page


def test_wave_page_runs_a_fixed_number_of_queries(client, count_queries):
    group = make_group(make_school(), girls=30, boys=30, others=0)
    before, after = make_wave(group, "before"), make_wave(group, "after")
    sign_in(client, make_user("lead"))

    def add(n, start):
        add_responses(
            before,
            [
                response_data(before, link=code(kod_namn=str(start + i % 10), kod_dag=str(i // 10)))
                for i in range(n)
            ],
        )
        add_responses(
            after,
            [
                response_data(after, link=code(kod_namn=str(start + i % 10), kod_dag=str(i // 10)))
                for i in range(n)
            ],
        )

    add(3, 1)
    with count_queries() as few:
        assert client.get(f"/surveys/waves/{before.id}").status_code == 200
    add(25, 1)
    with count_queries() as many:
        assert client.get(f"/surveys/waves/{before.id}").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 56
    assert len(many) == len(few)
    assert len(many) <= 12
    with count_queries() as listing:
        assert client.get("/surveys/").status_code == 200
    assert len(listing) <= 8


def test_changing_dates_reopens_a_wave_but_not_its_answered_questionnaire(client):
    wave = make_wave(make_group(make_school()))
    add_responses(wave, [response_data(wave)])
    sign_in(client, make_user("lead"))
    today = local_today()
    form = {
        "phase": "before",
        "instrument_id": str(wave.instrument_id),
        "opens_on": (today - dt.timedelta(days=3)).isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    assert client.post(f"/surveys/waves/{wave.id}/edit", data=form).status_code == 302
    assert db.session.get(Wave, wave.id).closes_on == today + dt.timedelta(days=30)
    v2 = services.db.session.get(type(wave.instrument), wave.instrument_id)
    from mvp.surveys import instruments
    from mvp.surveys.instruments import ItemData

    new = instruments.update_item(v2.items[0], ItemData(text_sv="x", text_en="x")).instrument
    db.session.commit()
    page = client.post(
        f"/surveys/waves/{wave.id}/edit", data={**form, "instrument_id": str(new.id)}
    ).get_data(as_text=True)
    assert "Omgången har svar, så dess enkät kan inte längre bytas." in page


def test_only_a_lead_removes_a_wave_with_answers(client):
    school = make_school()
    answered = make_wave(make_group(school, name="8A"))
    add_responses(answered, [response_data(answered)])
    answered_id, empty_id = answered.id, make_wave(make_group(school, name="8B")).id
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get(f"/surveys/waves/{answered_id}/delete").get_data(as_text=True)
    assert "Bara en projektledare kan ta bort en omgång som har svar." in page
    client.post(f"/surveys/waves/{answered_id}/delete")
    assert db.session.get(Wave, answered_id) is not None
    client.post(f"/surveys/waves/{empty_id}/delete")
    assert db.session.get(Wave, empty_id) is None
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/waves/{answered_id}/delete").get_data(as_text=True)
    assert "Dess 1 svar raderas också" in page
    client.post(f"/surveys/waves/{answered_id}/delete")
    assert db.session.get(Wave, answered_id) is None
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_import_templates_list_the_columns(client):
    wave = make_wave(make_group(make_school()))
    sign_in(client, make_user("coordinator", schools=[wave.group.school]))
    response = client.get(f"/surveys/waves/{wave.id}/template.csv")
    assert response.headers["Content-Disposition"] == f"attachment; filename=enkat-{wave.code}.csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffkon;arskurs;agera1;")
    header = text.lstrip("\ufeff").strip().split(";")
    assert header[-6:] == [
        "kod_bokstav",
        "kod_manad",
        "kod_dag",
        "kod_syskon",
        "kod_namn",
        "kod_hand",
    ]
    assert len(header) == 2 + len(wave.instrument.items) + 6
    workbook = load_workbook(
        io.BytesIO(client.get(f"/surveys/waves/{wave.id}/template.xlsx").get_data())
    )
    assert [c.value for c in workbook.worksheets[0][1]] == header
    guide = {
        row[0]: row[2] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)
    }
    assert guide["kon"] == "1 tjej, 2 kille, 3 annat, 4 vill inte svara"
    assert guide["agera1"].startswith("1 stämmer helt och hållet")
    assert guide["arskurs"] == "7, 8, 9"


def test_a_group_with_waves_is_not_removed(client):
    group = make_group(make_school(), name="8K")
    make_wave(group)
    sign_in(client, make_user("lead"))
    response = client.post(f"/groups/{group.id}/delete", follow_redirects=True)
    assert "Gruppen har enkätomgångar. Ta bort omgångarna först." in response.get_data(as_text=True)
    assert db.session.get(type(group), group.id) is not None


def test_wave_list_shows_answers_and_the_linked_share(client):
    school = make_school(name="Listskolan")
    paired = make_group(school, name="8A", girls=5, boys=5, others=0)
    lone = make_group(school, name="8B")
    before, after = make_wave(paired, "before"), make_wave(paired, "after")
    add_responses(before, [response_data(before, link=code(kod_bokstav=c)) for c in "ABCD"])
    add_responses(after, [response_data(after, link=code(kod_bokstav=c)) for c in "AB"])
    alone = make_wave(lone, "before")
    add_responses(alone, [response_data(alone)])
    sign_in(client, make_user("lead"))
    page = client.get("/surveys/").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>Listskolan</td>(.*?)</tr>", page, re.S)
    cells = [re.findall(r'<td class="num">([^<]*)</td>', row) for row in rows]
    assert cells == [
        ["4 / 10", "50\xa0%"],  # 8A before: 2 of 4 linked
        ["2 / 10", "100\xa0%"],  # 8A after: both linked
        ["1 / 24", "–"],  # 8B has no after wave yet: nothing to link with
    ]


def test_a_groups_page_lists_its_waves_and_offers_to_open_one(client, count_queries):
    school = make_school(name="Gruppskolan")
    group = make_group(school, name="8A", girls=5, boys=5, others=0)
    other = make_group(school, name="8B")
    before = make_wave(group, "before")
    add_responses(before, [response_data(before, link=code(kod_bokstav=c)) for c in "ABC"])
    make_wave(other, "before")
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    section = page[page.index('id="group-waves"') :]
    assert "Omgångar för grupp 8A" in section
    assert before.code in section and "3 / 10" in section
    assert db.session.get(Wave, before.id + 1).code not in section  # 8B's wave is not here
    assert f'href="/surveys/waves/new?group={group.id}"' in section
    page = client.get(f"/groups/{other.id}").get_data(as_text=True)
    assert "Ingen omgång har öppnats för gruppen ännu." not in page  # 8B has one
    # The section costs the same few queries however many waves and answers there are.
    with count_queries() as few:
        client.get(f"/groups/{group.id}")
    after = make_wave(group, "after")
    add_responses(after, [response_data(after, link=code(kod_bokstav=c)) for c in "AB"])
    with count_queries() as many:
        client.get(f"/groups/{group.id}")
    assert len(many) == len(few)


def test_a_group_without_waves_says_so(client):
    school = make_school(name="Tomskolan")
    group = make_group(school, name="7A")
    sign_in(client, make_user("lead"))
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Ingen omgång har öppnats för gruppen ännu." in page
