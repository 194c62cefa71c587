"""Importing the school list: good files, every error path, all or nothing, updates by name."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from mvp.extensions import db
from mvp.rollout.imports import HEADER, import_schools, template_csv, template_xlsx
from mvp.schools.models import School
from mvp.tabular import TableErrors, read_table
from tests.factories import make_school, make_user, sign_in


def csv(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def schools() -> dict[str, School]:
    return {s.name: s for s in db.session.scalars(sa.select(School))}


def errors_of(data: bytes, filename="skolor.csv", **options) -> list[str]:
    with pytest.raises(TableErrors) as error:
        import_schools(data, filename, **options)
    db.session.rollback()
    return [str(problem) for problem in error.value.errors]


def test_a_swedish_excel_csv_adds_every_school(app):
    # Excel's "CSV (semikolonavgränsad)" on Swedish Windows: Windows-1252, en dashes, any case.
    lines = [
        "Namn;Skolform;Rektor;Rektor e-post;Åk 7;Åk 8;ÅK 9;åk 5;gy 1",
        "Norrgårdsskolan;7–9;Sara Holm;sara.holm@kommun.se;142;138;1 131;;",
        "Solängsskolan;4-6;;;;;;71;",
        "Ekbackens gymnasium;Gymnasium;;;;;;;210",
    ]
    data = "\r\n".join(lines).encode("cp1252")
    result = import_schools(data, "skolor.csv")
    db.session.commit()
    assert result.created == ["Norrgårdsskolan", "Solängsskolan", "Ekbackens gymnasium"]
    found = schools()
    assert found["Norrgårdsskolan"].kind == "7-9"
    assert found["Norrgårdsskolan"].pupils_by_grade == {"7": 142, "8": 138, "9": 1131}
    assert found["Norrgårdsskolan"].principal_email == "sara.holm@kommun.se"
    assert found["Solängsskolan"].pupils_by_grade == {"5": 71}
    assert found["Ekbackens gymnasium"].kind == "gymnasium"
    assert found["Ekbackens gymnasium"].pupils_by_grade == {"10": 210}


def test_an_xlsx_file_with_only_the_required_columns(app):
    workbook = Workbook()
    workbook.active.append(["namn", "skolform", "åk 8"])
    workbook.active.append(["Västra skolan", "F-9", 34])
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_schools(buffer.getvalue(), "skolor.xlsx")
    db.session.commit()
    assert schools()["Västra skolan"].pupils_by_grade == {"8": 34}


def test_every_bad_row_and_column_is_reported_at_once_and_nothing_is_saved(app):
    make_school(name="Hallsta skola")
    data = csv(
        "namn;skolform;rektor e-post;åk 3;åk 8",
        "Ängsskolan;7-9;;;-4",  # 2: negative
        "Backaskolan;högstadium;;;10",  # 3: unknown kind
        ";F-9;;;",  # 4: no name
        "Kvarnbyskolan;;;;",  # 5: no kind
        "Kvarnbyskolan;F-3;;;",  # 6: in the file twice (also row 5)
        "Åsens skola;F-3;;12;8",  # 7: grade 8 at an F–3 school
        "Bergets skola;7-9;;;tolv",  # 8: not a number
        "Lunds skola;7-9;rektor(at)kommun;;12",  # 9: bad e-mail
        "HALLSTA SKOLA;F-9;;;",  # 10: already in the system
        "Granskolan;7-9;;;2,5",  # 11: not a whole number
    )
    assert errors_of(data) == [
        "Rad 2, kolumn åk 8: Antalet elever kan inte vara negativt.",
        "Rad 3, kolumn skolform: Okänd skolform ”högstadium”. Skriv F-3, F-6, 4-6, 7-9, F-9, "
        "gymnasium eller annan.",
        "Rad 4, kolumn namn: Skriv skolans namn.",
        "Rad 5, kolumn skolform: Skriv skolformen.",
        "Rad 6, kolumn namn: Skolan finns redan på rad 5 i filen.",
        "Rad 7, kolumn åk 8: En skola med skolformen F–3 har ingen årskurs 8.",
        "Rad 8, kolumn åk 8: Skriv ett heltal, 0 eller mer.",
        "Rad 9, kolumn rektor e-post: Skriv en e-postadress som namn@kommun.se.",
        "Rad 10, kolumn namn: Det finns redan en skola som heter Hallsta skola. Kryssa i "
        "”Uppdatera skolor som redan finns” för att uppdatera den från filen.",
        "Rad 11, kolumn åk 8: Skriv ett heltal, 0 eller mer.",
    ]
    assert list(schools()) == ["Hallsta skola"]


def test_a_file_with_one_bad_row_saves_none_of_the_good_ones(app):
    data = csv("namn;skolform", "Ettan;7-9", "Tvåan;10-12", "Trean;F-6")
    assert errors_of(data) == [
        "Rad 3, kolumn skolform: Okänd skolform ”10-12”. Skriv F-3, F-6, 4-6, 7-9, F-9, "
        "gymnasium eller annan."
    ]
    assert schools() == {}


def test_the_header_is_checked_first(app):
    assert errors_of(csv("skola;åk 8;färg", "Ettan;10;blå")) == [
        "Rad 1, kolumn skola: Okänd kolumn.",
        "Rad 1, kolumn färg: Okänd kolumn.",
        "Rad 1, kolumn namn: Kolumnen saknas.",
        "Rad 1, kolumn skolform: Kolumnen saknas.",
    ]
    assert errors_of(csv("namn;skolform;Namn", "Ettan;7-9;Ettan")) == [
        "Rad 1, kolumn namn: Kolumnen finns två gånger."
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "skolor.csv", "Filen är tom."),
        (csv("namn;skolform"), "skolor.csv", "Filen innehåller inga skolor."),
        (b"PK\x03\x04trasig", "skolor.xlsx", "Excelfilen gick inte att läsa."),
    ],
)
def test_files_that_hold_no_schools(app, data, filename, message):
    assert errors_of(data, filename) == [message]


def test_existing_schools_are_updated_only_when_asked(app):
    school = make_school(
        name="Hallsta skola",
        kind="7-9",
        principal_name="Johan Berglund",
        principal_email="johan@kommun.se",
        pupils_by_grade={7: 50, 8: 50, 9: 50},
    )
    data = csv("namn;skolform;rektor;åk 5;åk 8", "hallsta skola;F-9;;51;53", "Nya skolan;4-6;;60;")
    result = import_schools(data, "skolor.csv", update_existing=True)
    db.session.commit()
    assert (result.created, result.updated) == (["Nya skolan"], ["Hallsta skola"])
    school = db.session.get(School, school.id)
    assert school.name == "Hallsta skola"  # the name is kept as it was written before
    assert school.kind == "F-9"
    assert school.pupils_by_grade == {"5": 51, "8": 53}  # the file's counts replace the old
    assert (school.principal_name, school.principal_email) == ("Johan Berglund", "johan@kommun.se")


def test_an_update_without_grade_columns_keeps_the_pupils(app):
    school = make_school(name="Hallsta skola", pupils_by_grade={8: 50})
    data = csv("namn;skolform;rektor", "Hallsta skola;7-9;Ny Rektor")
    import_schools(data, "skolor.csv", update_existing=True)
    db.session.commit()
    school = db.session.get(School, school.id)
    assert (school.principal_name, school.pupils_by_grade) == ("Ny Rektor", {"8": 50})


def test_an_update_to_a_kind_without_the_schools_grades_is_refused(app):
    make_school(name="Hallsta skola", kind="7-9", pupils_by_grade={8: 50})
    errors = errors_of(csv("namn;skolform", "Hallsta skola;F-3"), update_existing=True)
    assert errors == ["Rad 2, kolumn åk 8: Den skolformen har ingen årskurs 8."]
    assert schools()["Hallsta skola"].kind == "7-9"


def test_the_templates_have_the_documented_header(app):
    assert read_table(template_csv(), "mall.csv").header == HEADER
    assert read_table(template_xlsx(), "mall.xlsx").header == HEADER
    assert HEADER[:4] == ["namn", "skolform", "rektor", "rektor e-post"]
    assert HEADER[4:] == [f"åk {g}" for g in ["F", *range(1, 10)]] + ["gy 1", "gy 2", "gy 3"]


# --- through the page and the command line -----------------------------------------------


def upload(client, data: bytes, filename="skolor.csv", **fields):
    # Encoded here in memory: the test client would spool a large body to a temporary file
    # that it never closes.
    body, _length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(data), filename), **fields}, use_tempfile=False
    )
    return client.post(
        "/rollout/import",
        data=body.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )


def test_lead_imports_a_school_list_on_the_page(client):
    sign_in(client, make_user("lead"))
    page = client.get("/rollout/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert "/rollout/import/template.xlsx" in page
    response = upload(client, csv("namn;skolform;åk 8", "Ettan;7-9;100", "Tvåan;F-9;80"))
    page = response.get_data(as_text=True)
    assert "Skollistan importerades: 2 skolor lades till, 0 uppdaterades." in page
    assert "Ettan" in page and "Tvåan" in page  # the rollout list, where they are not started
    assert len(schools()) == 2


def test_a_bad_upload_lists_every_problem_and_saves_nothing(client):
    make_school(name="Ettan")
    sign_in(client, make_user("lead"))
    page = upload(client, csv("namn;skolform;åk 8", "Ettan;7-9;1", "Tvåan;9-12;-1")).get_data(
        as_text=True
    )
    assert "Ingenting importerades: filen har 3 fel" in page
    assert "Rad 2, kolumn namn: Det finns redan en skola som heter Ettan." in page
    assert "Rad 3, kolumn skolform: Okänd skolform ”9-12”." in page
    assert "Rad 3, kolumn åk 8: Antalet elever kan inte vara negativt." in page
    assert list(schools()) == ["Ettan"]


def test_the_update_box_on_the_page_updates_existing_schools(client):
    make_school(name="Ettan", kind="7-9", pupils_by_grade={8: 10})
    sign_in(client, make_user("lead"))
    page = upload(client, csv("namn;skolform;åk 8", "Ettan;7-9;99"), update_existing="y")
    assert "0 skolor lades till, 1 uppdaterades." in page.get_data(as_text=True)
    assert schools()["Ettan"].pupils_by_grade == {"8": 99}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (None, None, "Välj en fil att importera."),
        (b"namn;skolform\n", "skolor.pdf", "Välj en CSV- eller Excelfil (.xlsx)."),
        # Above the request cap (MVP_MAX_UPLOAD_MB, 10 MB by default): the "too large" page.
        (b"x" * (10 * 1024 * 1024 + 1), "stor.csv", "Filen är för stor"),
    ],
)
def test_the_upload_form_refuses_missing_wrong_and_large_files(client, data, filename, message):
    sign_in(client, make_user("lead"))
    if data is None:
        response = client.post("/rollout/import", data={}, content_type="multipart/form-data")
    else:
        response = upload(client, data, filename)
    assert message in response.get_data(as_text=True)
    assert schools() == {}


def test_templates_download_as_csv_and_xlsx(client):
    sign_in(client, make_user("lead"))
    response = client.get("/rollout/import/template.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="skollista.csv"'
    assert response.data.startswith(b"\xef\xbb\xbfnamn;skolform;rektor;rektor e-post;")
    response = client.get("/rollout/import/template.xlsx")
    assert read_table(response.data, "mall.xlsx").header == HEADER
    assert client.get("/rollout/import/template.pdf").status_code == 404


def test_the_command_line_import(runner, tmp_path):
    good = tmp_path / "skolor.csv"
    good.write_bytes(csv("namn;skolform", "Ettan;7-9"))
    result = runner.invoke(args=["rollout", "import-schools", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 skolor lades till" in result.output
    result = runner.invoke(args=["rollout", "import-schools", str(good)])
    assert result.exit_code == 1
    assert "Rad 2, kolumn namn: Det finns redan en skola som heter Ettan." in result.output
    assert "Ingenting importerades: filen har 1 fel." in result.output
    result = runner.invoke(args=["rollout", "import-schools", "--update-existing", str(good)])
    assert result.exit_code == 0 and "1 uppdaterades" in result.output
