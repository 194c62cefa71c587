"""Staff training in gender mainstreaming: coverage and "chefer först" on a case checked by
hand, refresher due dates, HR's import all or nothing, bad attendance refused, scope, the
year's status, and the coverage page's fixed number of queries."""

import datetime as dt
import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from mvp.extensions import db
from mvp.staff_training import coverage as cov
from mvp.staff_training import services
from mvp.staff_training.imports import HEADER, import_units, template_csv, template_xlsx
from mvp.staff_training.models import OrgUnit, Participant
from mvp.staff_training.services import OccasionData, ParticipantData, UnitData
from mvp.tabular import TableErrors
from mvp.validation import Invalid
from tests.factories import make_user, sign_in
from tests.staff_training_factories import (
    attend,
    count,
    make_administration,
    make_occasion,
    make_programme,
    make_unit,
)

TODAY = dt.date.today()
MONTH_AGO = TODAY - dt.timedelta(days=30)
TWO_MONTHS_AGO = TODAY - dt.timedelta(days=60)


@pytest.fixture
def case(app):
    """The hand-checked case.

    Unit A: 2 women and 2 men managers; 20 women and 10 men in all, so 18 women and 8 men
    staff who are not managers. Unit B: 1 woman manager; 5 women and 5 men in all.
    Two months ago, the managers' occasion: Anna and Britt (A, women), Carl (A, man), and
    Dora (B, woman). A month ago, a staff occasion for A and B: Eva and Fia (A, women) by
    name, plus 5 women and 3 men of A counted.

    By hand: A's managers 3 of 4 = 75 % (women 2/2 = 100 %, men 1/2 = 50 %), below 80 %:
    not ready, and the staff occasion is flagged for A. A's staff: women 2 + 5 = 7 of 18,
    men 3 of 8, all 10 of 26. B's managers 1 of 1 = 100 %: ready, not flagged.
    """
    social = make_administration("Socialförvaltningen")
    a = make_unit(social, "Enhet A", managers=(2, 2), staff=(20, 10))
    b = make_unit(social, "Enhet B", managers=(1, 0), staff=(5, 5))
    leaders = make_programme("Ledarutbildning: jämställdhet i organisation", "leadership")
    managers = make_occasion([a, b], audience="managers", held_on=TWO_MONTHS_AGO, programme=leaders)
    for name, unit, sex in (
        ("Anna", a, "woman"),
        ("Britt", a, "woman"),
        ("Carl", a, "man"),
        ("Dora", b, "woman"),
    ):
        attend(managers, unit, name, role="manager", sex=sex, email=f"{name.lower()}@kommun.se")
    staff = make_occasion([a, b], audience="staff", held_on=MONTH_AGO)
    attend(staff, a, "Eva", sex="woman")
    attend(staff, a, "Fia", sex="woman")
    attend(staff, a, "Gun", sex="woman", attended=False)  # registered, did not come
    count(staff, a, "staff", "woman", 5)
    count(staff, a, "staff", "man", 3)
    return {"social": social, "a": a, "b": b, "managers": managers, "staff": staff}


def _unit(coverage, unit):
    return next(u for entry in coverage for u in entry.units if u.unit.id == unit.id)


def test_coverage_and_managers_first_match_the_case_checked_by_hand(case):
    records = cov.load_records()
    result = cov.coverage(records, TODAY, 0.8)
    a = _unit(result, case["a"])
    assert a.cells[("manager", "woman")] == cov.Cell(2, 2)
    assert a.cells[("manager", "man")] == cov.Cell(1, 2)
    assert a.cells[("manager", "total")].share == 0.75
    assert a.cells[("staff", "woman")] == cov.Cell(7, 18)
    assert a.cells[("staff", "man")] == cov.Cell(3, 8)
    assert a.cells[("staff", "total")] == cov.Cell(10, 26)
    assert not a.ready
    b = _unit(result, case["b"])
    assert b.managers_share == 1.0 and b.ready
    assert [u.name for u in cov.flagged_units(records, case["staff"], 0.8)] == ["Enhet A"]
    # The share is configurable: at 70 % unit A is ready and nothing is flagged.
    assert cov.flagged_units(records, case["staff"], 0.7) == []
    # The whole administration adds its units up.
    social = result[0]
    assert social.cells[("manager", "total")] == cov.Cell(4, 5)
    assert [u.unit.name for u in social.ready_units] == ["Enhet B"]


def test_the_coverage_page_shows_the_flag_and_which_units_are_ready(case, client):
    sign_in(client, make_user("lead"))
    page = client.get("/staff-training/").get_data(as_text=True)
    assert "3/4 (75\u00a0%)" in page  # A's managers
    assert "10/26 (38\u00a0%)" in page  # A's staff
    assert "Redo för medarbetarutbildning" in page
    detail = client.get(f"/staff-training/occasions/{case['staff'].id}").get_data(as_text=True)
    assert "Chefer först" in detail and "Enhet A" in detail


def test_managers_trained_only_on_the_staff_day_do_not_count_as_first(case):
    late = make_occasion([case["a"]], audience="managers", held_on=MONTH_AGO)
    attend(late, case["a"], "Dan", role="manager", sex="man")
    records = cov.load_records()
    assert cov.flagged_units(records, case["staff"], 0.8) == [case["a"]]
    assert _unit(cov.coverage(records, TODAY, 0.8), case["a"]).ready


def test_refreshers_fall_due_after_the_configured_years():
    named = [
        cov.NamedRecord(
            1, "staff", "woman", "a", "Anna", dt.date(2021, 5, 10), dt.date(2021, 5, 10)
        ),
        # Trained 2019, refreshed 2022: due three years after the refresher.
        cov.NamedRecord(1, "manager", "man", "b", "Bo", dt.date(2019, 3, 1), dt.date(2022, 9, 1)),
        # A leap day: due on 28 February.
        cov.NamedRecord(
            1, "staff", "woman", "c", "Cia", dt.date(2020, 2, 29), dt.date(2020, 2, 29)
        ),
    ]
    counted = [
        cov.CountRecord(1, "staff", "man", dt.date(2021, 1, 15), 4, False),
        # A counted refresher renews the earliest counted people first.
        cov.CountRecord(1, "staff", "man", dt.date(2023, 6, 1), 3, True),
    ]
    records = cov.Records([], named, counted)
    due = cov.refreshers_due(records, years=3, by=dt.date(2026, 12, 31))
    assert [(d.name, d.people, d.due_on) for d in due] == [
        ("Cia", 1, dt.date(2023, 2, 28)),
        ("", 1, dt.date(2024, 1, 15)),
        ("Anna", 1, dt.date(2024, 5, 10)),
        ("Bo", 1, dt.date(2025, 9, 1)),
        ("", 3, dt.date(2026, 6, 1)),
    ]
    assert [d.name for d in cov.refreshers_due(records, years=3, by=dt.date(2024, 1, 31))] == [
        "Cia",
        "",
    ]
    assert [d.name for d in cov.refreshers_due(records, years=5, by=dt.date(2025, 12, 31))] == [
        "Cia"
    ]


def test_the_due_list_names_people_per_unit(case, client, app):
    app.config["STAFF_TRAINING_REFRESHER_YEARS"] = 0  # everyone trained is due at once
    try:
        sign_in(client, make_user("lead"))
        page = client.get("/staff-training/due").get_data(as_text=True)
    finally:
        app.config["STAFF_TRAINING_REFRESHER_YEARS"] = 3
    assert "Socialförvaltningen: Enhet A" in page
    assert "Anna" in page and "5 personer (räknade)" in page
    assert "Gun" not in page  # registered but absent: never trained


# --- HR's import ------------------------------------------------------------------------------


def csv(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def errors_of(data: bytes, filename="enheter.csv") -> list[str]:
    with pytest.raises(TableErrors) as error:
        import_units(data, filename)
    db.session.rollback()
    return [str(problem) for problem in error.value.errors]


def test_hrs_list_adds_administrations_and_units(app):
    result = import_units(
        csv(
            "Förvaltning;Enhet;Chefer kvinnor;Chefer män;Anställda kvinnor;Anställda män",
            "Socialförvaltningen;Individ- och familjeomsorg;3;1;40;12",
            "Socialförvaltningen;Hemtjänst Norr;2;0;55;9",
            "Kultur- och fritidsförvaltningen;Biblioteket;1;1;12;4",
        ),
        "enheter.csv",
    )
    db.session.commit()
    assert result.created == ["Individ- och familjeomsorg", "Hemtjänst Norr", "Biblioteket"]
    assert sorted(result.administrations) == [
        "Kultur- och fritidsförvaltningen",
        "Socialförvaltningen",
    ]
    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.name == "Hemtjänst Norr"))
    assert (unit.managers_women, unit.staff_women, unit.headcount("staff", "woman")) == (2, 55, 53)


def test_every_bad_row_is_named_with_its_field_and_nothing_is_saved(app):
    errors = errors_of(
        csv(
            ";".join(HEADER),
            "Socialförvaltningen;Enhet A;2;1;20;10",
            "Socialförvaltningen;;2;x;20;10",
            "Socialförvaltningen;Enhet C;5;1;4;10",
            "Socialförvaltningen;enhet a;1;1;2;2",
        )
    )
    assert errors == [
        "Rad 3, kolumn enhet: Skriv enhetens namn.",
        "Rad 3, kolumn chefer män: Skriv ett heltal, 0 eller mer.",
        "Rad 4, kolumn chefer kvinnor: 5 kvinnliga chefer är fler än enhetens 4 kvinnor "
        "totalt (antalet anställda räknar in cheferna).",
        "Rad 5, kolumn enhet: Enheten finns redan på rad 2 i filen.",
    ]
    assert db.session.scalar(sa.select(sa.func.count(OrgUnit.id))) == 0


def test_a_file_that_is_not_the_template_is_refused(app):
    errors = errors_of(csv("namn;skolform", "Hallsta skola;7-9"))
    assert "Rad 1, kolumn namn: Okänd kolumn." in errors
    assert "Rad 1, kolumn förvaltning: Kolumnen saknas." in errors


def test_the_templates_have_the_header(app):
    assert template_csv().decode("utf-8-sig").strip() == ";".join(HEADER)
    sheet = load_workbook(io.BytesIO(template_xlsx())).active
    assert [c.value for c in sheet[1]] == HEADER
    # The template read back is a valid, if empty, list.
    assert errors_of(template_csv()) == ["Filen innehåller inga enheter."]


def test_a_unit_with_more_managers_than_staff_is_refused_in_the_form(app):
    social = make_administration()
    with pytest.raises(Invalid) as error:
        services.save_unit(None, UnitData(social.id, "Enhet", managers_men=3, staff_men=2))
    assert error.value.errors["managers_men"].startswith("3 manliga chefer är fler")


# --- attendance -------------------------------------------------------------------------------


def test_attendance_above_the_invited_headcount_is_refused_and_nothing_saved(case, app):
    lead = make_user("lead")
    staff = case["staff"]
    with pytest.raises(Invalid) as error:
        # B has 4 women and 5 men staff who are not managers.
        services.record_attendance(
            lead,
            staff,
            {},
            {(case["b"].id, "staff", "man"): 6, (case["b"].id, "staff", "woman"): 4},
            today=TODAY,
        )
    db.session.rollback()
    assert error.value.errors["attendance"] == (
        "Enhet B, medarbetare, män: 6 markerade som närvarande, men enheten har 5 (enligt HR)."
    )
    assert sum(c.attended for c in staff.counts if c.unit_id == case["b"].id) == 0


def test_a_future_occasion_cannot_have_anyone_attended(case, app):
    lead = make_user("lead")
    planned = make_occasion([case["a"]], audience="staff", held_on=TODAY + dt.timedelta(days=14))
    with pytest.raises(Invalid) as error:
        services.add_participant(
            lead,
            planned,
            ParticipantData("Hanna", case["a"].id, "staff", "woman", attended=True),
            today=TODAY,
        )
    db.session.rollback()
    assert "har inte ägt rum än" in error.value.errors["attended"]
    # Registering for a planned occasion is fine.
    services.add_participant(
        lead, planned, ParticipantData("Hanna", case["a"].id, "staff", "woman"), today=TODAY
    )
    db.session.commit()
    with pytest.raises(Invalid):
        services.record_attendance(
            lead, planned, {planned.participants[0].id: "attended"}, {}, today=TODAY
        )
    db.session.rollback()
    assert not db.session.scalar(sa.select(Participant).where(Participant.name == "Hanna")).attended
    # Nor can a held occasion with attendance be moved into the future.
    with pytest.raises(Invalid) as error:
        services.save_occasion(
            case["staff"],
            OccasionData(
                case["staff"].programme_id, TODAY + dt.timedelta(days=1), 3, "staff", [case["a"].id]
            ),
            today=TODAY,
        )
    db.session.rollback()
    assert "held_on" in error.value.errors


def test_an_hr_contact_records_attendance_for_their_own_administration_only(case, app, client):
    other = make_administration("Kultur- och fritidsförvaltningen")
    library = make_unit(other, "Biblioteket", managers=(1, 0), staff=(8, 2))
    shared = make_occasion([case["a"], library], audience="staff", held_on=MONTH_AGO)
    hr = make_user("hr", administrations=[other])
    with pytest.raises(Invalid) as error:
        services.add_participant(
            hr,
            shared,
            ParticipantData("Ida", case["a"].id, "staff", "woman", attended=True),
            today=TODAY,
        )
    db.session.rollback()
    assert "unit_id" in error.value.errors
    services.add_participant(
        hr, shared, ParticipantData("Ida", library.id, "staff", "woman", attended=True), today=TODAY
    )
    db.session.commit()
    sign_in(client, hr)
    occasions = client.get("/staff-training/occasions").get_data(as_text=True)
    assert occasions.count("/staff-training/occasions/") == 1  # only the shared one
    page = client.get("/staff-training/").get_data(as_text=True)
    assert "Biblioteket" in page and "Enhet A" not in page
    assert client.get(f"/staff-training/units/{case['a'].id}").status_code == 404


# --- the year's status and the coverage page ----------------------------------------------------


def test_the_years_status_in_json_pdf_and_excel(case, client):
    sign_in(client, make_user("viewer"))
    response = client.get(f"/staff-training/status-{TODAY.year}.json")
    status = json.loads(response.get_data(as_text=True))
    coverage_table = status["tables"][0]
    managers = coverage_table["rows"][0]
    assert managers[:2] == ["Socialförvaltningen", "Chefer"]
    # 3 women and 1 man trained managers: both below 5, suppressed, and so is the total.
    assert managers[2:8] == ["..", "..", "..", "..", "..", ".."]
    staff = coverage_table["rows"][1]
    # 3 men: suppressed, and the 7 women too, or the total of 10 would give them back.
    assert staff[2:] == ["..", "..", "..", "..", 10, 10 / 35, 35]
    assert status["tables"][1]["rows"] == [["Socialförvaltningen", 2, 1, 1]]
    pdf = client.get(f"/staff-training/status-{TODAY.year}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/staff-training/status-{TODAY.year}.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    # About, contents and one sheet per table.
    assert len(workbook.sheetnames) == 5


def test_the_coverage_page_reads_in_a_fixed_number_of_queries(case, client, count_queries):
    sign_in(client, make_user("lead"))
    client.get("/staff-training/")  # warm: the signed-in user is loaded the same way each time
    with count_queries() as small:
        assert client.get("/staff-training/").status_code == 200
    health = make_administration("Vård- och omsorgsförvaltningen")
    units = [make_unit(health, f"Boende {n}", managers=(1, 1), staff=(12, 4)) for n in range(8)]
    occasion = make_occasion(units, audience="managers", held_on=MONTH_AGO)
    for n, unit in enumerate(units):
        attend(occasion, unit, f"Chef {n}", role="manager", sex="woman")
        count(occasion, unit, "manager", "man", 1)
    with count_queries() as large:
        assert client.get("/staff-training/").status_code == 200
    # The signed-in user, then the units, the named and the counted attendance.
    assert len(small) == len(large) == 4


def test_an_administrator_makes_an_hr_contact_of_one_administration(app, client):
    social = make_administration("Socialförvaltningen")
    sign_in(client, make_user("admin"))
    form = {"email": "hr@kommun.se", "name": "Hanna", "role": "hr", "active": "y"}
    refused = client.post("/admin/users/new", data=form).get_data(as_text=True)
    assert "En HR-kontakt behöver minst en förvaltning." in refused
    client.post("/admin/users/new", data={**form, "administrations": [str(social.id)]})
    from mvp.auth.models import User

    hr = db.session.scalar(sa.select(User).where(User.email == "hr@kommun.se"))
    assert hr.role == "hr" and [a.name for a in hr.administrations] == ["Socialförvaltningen"]


def test_the_cli_creates_an_hr_contact(app, runner):
    make_administration("Socialförvaltningen")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "hr@kommun.se",
            "--role",
            "hr",
            "--administration",
            "Socialförvaltningen",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=["users", "create", "hr2@kommun.se", "--role", "hr", "--administration", "Finns inte"]
    )
    assert "Okänd förvaltning: Finns inte" in result.output


# --- did it help: the programme's questionnaire ------------------------------------------------


def _answer(wave, sex, codes):
    """One anonymous answer from the room: {item key: "1".."4"} (1 = stämmer helt och hållet)."""
    from mvp.surveys.answers import ResponseData, store_responses
    from mvp.surveys.coding import decode
    from mvp.surveys.services import instrument_items

    items = {item.key: item for item in instrument_items(wave.instrument_id)}
    answers = {items[key].id: decode(items[key].kind, code, 0) for key, code in codes.items()}
    store_responses(wave, [ResponseData(sex, None, answers)], source="online", answered_on=TODAY)


def test_the_questionnaire_shows_the_change_by_sex_with_suppression(app, client):
    from mvp.staff_training import questionnaire

    programme = make_programme()
    before = questionnaire.open_wave(programme.id, "before", TODAY, TODAY).wave
    after = questionnaire.open_wave(programme.id, "after", TODAY, TODAY).wave
    assert before.population == "staff_training" and before.code and before.group_id is None
    knowledge = ("kunskap1", "kunskap2", "kunskap3")
    # Six women before, all "stämmer ganska dåligt" (index 33.3); six after, "helt och hållet"
    # (index 100). Three men each time: too few, hidden — and so the total, which would give
    # them back, is hidden too.
    for wave, code in ((before, "3"), (after, "1")):
        for _n in range(6):
            _answer(wave, "woman", dict.fromkeys(knowledge, code))
        for _n in range(3):
            _answer(wave, "man", dict.fromkeys(knowledge, code))
    db.session.commit()
    rows = questionnaire.change_by_sex([programme.id])[programme.name]
    by_sex = {(row.scale, row.sex): row for row in rows}
    women = by_sex[("Kunskap om jämställdhetsintegrering", "woman")]
    assert (women.n_before, women.n_after) == (6, 6)
    assert women.before == pytest.approx(33.33, abs=0.01) and women.after == pytest.approx(100)
    assert women.change == pytest.approx(66.67, abs=0.01)
    men = by_sex[("Kunskap om jämställdhetsintegrering", "man")]
    assert (men.n_before, men.change) == ("..", "..")
    total = by_sex[("Kunskap om jämställdhetsintegrering", "total")]
    assert (total.n_before, total.change) == ("..", "..")
    sign_in(client, make_user("lead"))
    page = client.get(f"/staff-training/programmes/{programme.id}/questionnaire")
    text = page.get_data(as_text=True)
    assert before.code in text and "data:image/svg+xml" in text
    assert "Gav det resultat" in text and "66,7" in text
    status = json.loads(client.get(f"/staff-training/status-{TODAY.year}.json").data)
    assert status["tables"][-1]["key"] == "questionnaire"


def test_a_programme_questionnaire_is_opened_from_its_page(app, client):
    programme = make_programme()
    sign_in(client, make_user("lead"))
    url = f"/staff-training/programmes/{programme.id}/questionnaire"
    response = client.post(
        url, data={"phase": "before", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Före utbildningen" in page
    # The participants answer on the engine's own pages, by the wave's code.
    from mvp.staff_training.questionnaire import programme_waves

    code = programme_waves(programme.id)[0].wave.code
    form = client.get(f"/e/{code}", follow_redirects=True)
    assert form.status_code == 200
    assert "Är du kvinna, man eller annat?" in form.get_data(as_text=True)
