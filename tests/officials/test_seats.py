"""Seats typed in or imported, all or nothing: Swedish messages naming row and field, a file
that is not the template, and seats below the answers already received."""

import io

import sqlalchemy as sa
from openpyxl import Workbook

from mvp.extensions import db
from mvp.officials import imports, services
from mvp.officials.models import SeatCount
from tests.factories import make_user, sign_in
from tests.officials_factories import add_answers, make_body, make_round, set_seats


def _upload(client, data: bytes, name="mandat.csv", year=2026):
    return client.post(
        "/officials/seats/import",
        data={"year": str(year), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _csv(*rows) -> bytes:
    return ("\n".join(";".join(r) for r in [imports.HEADER, *rows]) + "\n").encode("utf-8")


def _blank_counts(n: int = 9) -> list[str]:
    return [""] * n


def test_the_template_lists_the_bodies_and_imports_as_it_is(app, client):
    make_body("Kommunfullmäktige")
    make_body("Socialnämnden", "committee")
    sign_in(client, make_user("lead"))
    template = client.get("/officials/seats/template.csv").data.decode("utf-8-sig")
    assert template.splitlines()[0].startswith("organ;ordinarie kvinnor;ordinarie män")
    assert "Socialnämnden" in template
    filled = _csv(
        ["Kommunfullmäktige", "20", "25", "1", "10", "12", "", "1", "", ""],
        ["socialnämnden", "5", "5", "", "3", "3", "", "", "1", ""],
    )
    response = _upload(client, filled)
    assert response.status_code == 302
    totals = services.seat_totals(2026)
    assert totals[("ordinary", "woman")] == 25 and totals[("chair", "woman")] == 1
    assert sum(totals.values()) == 86


def test_every_error_is_named_and_nothing_is_saved(app, client):
    make_body("Kommunfullmäktige")
    sign_in(client, make_user("lead"))
    bad = _csv(
        ["Kommunfullmäktige", "tjugo", "25", *_blank_counts(7)],
        ["Kulturnämnden", "3", *_blank_counts(8)],
    )
    page = _upload(client, bad).get_data(as_text=True)
    assert "Ingenting importerades: filen har 2 fel" in page
    assert "Rad 2, kolumn ordinarie kvinnor: Skriv ett heltal, 0 eller mer." in page
    assert "Rad 3, kolumn organ: Inget organ heter Kulturnämnden." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeatCount)) == 0


def test_a_file_that_is_not_the_template_is_refused_in_one_message(app, client):
    make_body("Kommunfullmäktige")
    sign_in(client, make_user("lead"))
    workbook = Workbook()
    workbook.active.append(["Namn", "Parti", "E-post"])
    workbook.active.append(["Anna Andersson", "X", "anna@example.se"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = _upload(client, buffer.getvalue(), "ledamoter.xlsx").get_data(as_text=True)
    assert "Filen är inte mandatmallen" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SeatCount)) == 0


def test_seats_below_the_answers_received_are_refused(app, client):
    body = make_body()
    set_seats(2026, body, ordinary_woman=4, ordinary_man=4)
    round_ = make_round(2026)
    add_answers(round_, [("woman", {"trygg": 4})] * 3 + [("man", {"trygg": 3})] * 2)
    sign_in(client, make_user("lead"))
    page = client.post(
        "/officials/seats/2026",
        data={f"s-{body.id}-ordinary-woman": "2", f"s-{body.id}-ordinary-man": "4"},
    )
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Mätningen 2026 har redan 3 svar från kvinnor" in text
    assert services.seat_totals(2026)[("ordinary", "woman")] == 4  # unchanged


def test_a_closed_round_makes_no_codes_and_a_year_has_one_round(app, client):
    body = make_body()
    set_seats(2026, body, ordinary_woman=2)
    round_ = make_round(2026)
    services.close_round(round_)
    db.session.commit()
    sign_in(client, make_user("lead"))
    response = client.post(f"/officials/rounds/{round_.id}/codes", follow_redirects=True)
    assert "Mätningen är stängd: inga nya koder kan skapas." in response.get_data(as_text=True)
    again = client.post(
        "/officials/rounds/new",
        data={
            "year": "2026",
            "opens_on": "2026-10-01",
            "closes_on": "2026-10-30",
            "suppression_min": "5",
        },
    )
    assert "Det finns redan en mätning för 2026." in again.get_data(as_text=True)
