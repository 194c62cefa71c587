"""Importing answers from CSV and Excel: the wave's template, the encodings Swedish offices
produce, every bad row and column reported at once, nothing saved on error, no file twice."""

import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from mvp.extensions import db
from mvp.surveys import importing, services
from mvp.surveys.models import Answer, ImportBatch, Response, ScaleScore
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import make_wave


@pytest.fixture
def wave(app):
    return make_wave(make_group(make_school(), girls=15, boys=14, others=1))


def header(wave) -> list[str]:
    return importing.columns(services.instrument_items(wave.instrument_id))


def row(wave, **values) -> list[str]:
    base = {"kon": "1", "arskurs": "8", "agera1": "1", "agera2": "2", "vald1": "V"}
    base.update(values)
    return [str(base.get(column, "")) for column in header(wave)]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    return "\r\n".join(delimiter.join(r) for r in rows).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for r in rows:
        workbook.active.append([int(v) if v.isdigit() else (v or None) for v in r])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def upload(client, wave, data: bytes, name: str, **form):
    sign_in(client, make_user("coordinator", schools=[wave.group.school]))
    return client.post(
        f"/surveys/waves/{wave.id}/import",
        data={"answered_on": "2026-09-14", "file": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda rows: csv_bytes(rows), "svar.csv"),  # Excel's "CSV UTF-8": BOM and semicolons
        (lambda rows: csv_bytes(rows, encoding="utf-8"), "svar.csv"),  # without BOM
        (lambda rows: csv_bytes(rows, encoding="cp1252"), "svar.csv"),  # Swedish Excel's CSV
        (lambda rows: csv_bytes(rows, delimiter=","), "svar.csv"),
        (xlsx_bytes, "svar.xlsx"),
    ],
)
def test_good_files_are_imported_in_every_format(client, wave, make, name):
    rows = [header(wave), row(wave, kod_bokstav="Ö", kod_manad="4"), row(wave, kon="kille")]
    response = upload(client, wave, make(rows), name)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 enkäter lästes in." in page
    responses = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
    assert [r.sex for r in responses] == ["girl", "boy"]
    assert all(r.source == "import" and str(r.answered_on) == "2026-09-14" for r in responses)
    assert responses[0].link_code[0] is not None and responses[1].link_code[0] is None
    assert count(Answer) == 6 and count(ScaleScore) == 12
    batch = db.session.scalar(sa.select(ImportBatch))
    assert batch.filename == name and len(batch.file_sha256) == 64 and batch.rows == 2


def test_the_downloaded_template_filled_in_imports(client, wave):
    sign_in(client, make_user("lead"))
    template = client.get(f"/surveys/waves/{wave.id}/template.xlsx").get_data()
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    columns = [c.value for c in sheet[1]]
    sheet.append([{"kon": 2, "arskurs": 8, "agera1": 3, "vald2": "V"}.get(c) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = importing.import_file(wave, buffer.getvalue(), "mall.xlsx", answered_on=wave.opens_on)
    assert batch.rows == 1


def test_a_wrong_header_names_every_missing_unknown_and_repeated_column(client, wave):
    columns = header(wave)
    bad = [c for c in columns if c not in ("agera2", "kod_hand")] + ["namn", "kon"]
    response = upload(client, wave, csv_bytes([bad, row(wave)]), "svar.csv")
    page = response.get_data(as_text=True)
    assert "Ingenting lästes in" in page
    for message in (
        "Rad 1, kolumn namn: Okänd kolumn.",
        "Rad 1, kolumn kon: Kolumnen finns två gånger.",
        "Rad 1, kolumn agera2: Kolumnen saknas.",
        "Rad 1, kolumn kod_hand: Kolumnen saknas.",
    ):
        assert message in page, message
    assert count(Response) == 0


def test_every_bad_value_is_reported_at_once_and_nothing_is_saved(client, wave):
    rows = [
        header(wave),
        row(wave),  # row 2 is fine
        row(wave, kon="", agera1="5"),
        row(wave, kon="7", arskurs="6", vald1="ja"),
        row(wave, arskurs="", sett="V", kod_manad="13"),
        row(wave, kod_bokstav="12", kod_dag="x", kod_syskon="-1"),
        row(wave, agera1="", agera2="", vald1=""),
    ]
    response = upload(client, wave, csv_bytes(rows), "svar.csv")
    page = response.get_data(as_text=True)
    assert "Filen har 12 fel." in page
    for message in (
        "Rad 3, kolumn kon: Måste fyllas i: 1–4 (4 = vill inte svara, även när eleven lämnat "
        "frågan tom).",
        "Rad 3, kolumn agera1: Endast 1–4, V eller tomt.",
        "Rad 4, kolumn kon: Endast 1 (tjej), 2 (kille), 3 (annat) eller 4 (vill inte svara).",
        "Rad 4, kolumn arskurs: Endast någon av skolans årskurser (7, 8, 9).",
        "Rad 4, kolumn vald1: Endast 1 (ja), 2 (nej), V eller tomt.",
        "Rad 5, kolumn arskurs: Måste fyllas i: elevens årskurs.",
        "Rad 5, kolumn sett: Endast 1–4 eller tomt.",
        "Rad 5, kolumn kod_manad: Endast 1–12 eller tomt.",
        "Rad 6, kolumn kod_bokstav: Endast en bokstav A–Ö eller tomt.",
        "Rad 6, kolumn kod_dag: Endast 0–9 eller tomt.",
        "Rad 6, kolumn kod_syskon: Endast 0–5 eller tomt.",
        "Rad 7: Raden har inga svar på frågorna.",
    ):
        assert message in page, message
    assert count(Response) == 0 and count(ImportBatch) == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "svar.csv", "Filen är tom."),
        (b"\xef\xbb\xbf;;\r\n;;\r\n", "svar.csv", "Filen är tom."),
        (b"\x00\x01\x02binary", "svar.csv", "Filen är inte en CSV- eller Excelfil."),
        # Neither UTF-8 nor Windows-1252 (bytes Windows-1252 does not define).
        (b"kon;arskurs\r\n\x81\x8d;\x90\r\n", "svar.csv", "Filen är inte en textfil i UTF-8"),
        (b"PK\x03\x04broken zip", "svar.xlsx", "Excelfilen gick inte att läsa."),
    ],
)
def test_files_that_cannot_be_read_are_refused_clearly(client, wave, data, name, message):
    page = upload(client, wave, data, name).get_data(as_text=True)
    assert "Ingenting lästes in" in page and message in page
    assert count(Response) == 0


def test_a_file_with_only_the_header_is_refused(client, wave):
    page = upload(client, wave, csv_bytes([header(wave)]), "svar.csv").get_data(as_text=True)
    assert "Filen har en rubrikrad men inga svar." in page
    assert count(ImportBatch) == 0


def test_a_file_with_more_rows_than_the_group_has_pupils_is_refused(client, wave):
    rows = [header(wave)] + [row(wave) for _ in range(31)]
    page = upload(client, wave, csv_bytes(rows), "svar.csv").get_data(as_text=True)
    assert "Omgången skulle få 31 svar men grupp" in page and "har 30 elever" in page
    assert count(Response) == 0


def test_the_same_file_is_never_imported_twice(client, wave):
    data = csv_bytes([header(wave), row(wave)])
    assert upload(client, wave, data, "svar.csv").status_code == 302
    page = upload(client, wave, data, "kopia.csv").get_data(as_text=True)
    assert "Den här filen lästes redan in" in page and f"till omgång {wave.code} (1 rader)" in page
    other = make_wave(make_group(wave.group.school, name="9Z", grade=9))
    with pytest.raises(importing.TableErrors):
        importing.import_file(other, data, "svar.csv", answered_on=other.opens_on)
    assert count(Response) == 1
    # After the batch is removed, the same file can come in again.
    services.delete_batch(db.session.scalar(sa.select(ImportBatch)))
    db.session.commit()
    assert upload(client, wave, data, "svar.csv").status_code == 302


def test_a_missing_file_or_date_is_asked_for(client, wave):
    sign_in(client, make_user("lead"))
    page = client.post(
        f"/surveys/waves/{wave.id}/import", data={"answered_on": "2026-09-14"}
    ).get_data(as_text=True)
    assert "Välj en fil." in page
    response = upload(client, wave, csv_bytes([header(wave), row(wave)]), "s.csv", answered_on="")
    assert "Ange datumet då eleverna svarade" in response.get_data(as_text=True)
    assert count(Response) == 0


def test_command_line_import(runner, wave, tmp_path):
    path = tmp_path / "svar.csv"
    path.write_bytes(csv_bytes([header(wave), row(wave), row(wave, kon="2")]))
    result = runner.invoke(
        args=["surveys", "import", str(path), "--wave", wave.code.lower(), "--date", "2026-09-15"]
    )
    assert result.exit_code == 0, result.output
    assert f"2 enkäter lästes in till omgång {wave.code}" in result.output
    assert {str(d) for d in db.session.scalars(sa.select(Response.answered_on))} == {"2026-09-15"}
    again = runner.invoke(args=["surveys", "import", str(path), "--wave", wave.code])
    assert again.exit_code == 1 and "Den här filen lästes redan in" in again.output
    bad = tmp_path / "fel.csv"
    bad.write_bytes(csv_bytes([header(wave), row(wave, kon="9")]))
    result = runner.invoke(args=["surveys", "import", str(bad), "--wave", wave.code])
    assert result.exit_code == 1
    assert "Ingenting lästes in. Rätta filen och försök igen:" in result.output
    assert "Rad 2, kolumn kon: Endast 1 (tjej)" in result.output
    unknown = runner.invoke(args=["surveys", "import", str(bad), "--wave", "XXXXXX"])
    assert unknown.exit_code == 2 and "Det finns ingen omgång med koden XXXXXX." in unknown.output
    bad_date = runner.invoke(
        args=["surveys", "import", str(bad), "--wave", wave.code, "--date", "15/9"]
    )
    assert bad_date.exit_code == 2 and "Skriv datumet som år-månad-dag" in bad_date.output
    assert count(Response) == 2


def test_another_file_gets_one_message_and_the_template_link(client, wave):
    """A school list (or last year's questionnaire) uploaded by mistake: one message naming
    what is missing, with the wave's template to download, instead of a line per column."""
    school_list = [["namn", "skolform", "rektor"], ["Ekängsskolan", "7-9", "Eva Ek"]]
    page = upload(client, wave, csv_bytes(school_list), "skolor.csv").get_data(as_text=True)
    assert "Ingenting lästes in" in page
    assert (
        "Filen är inte mallen för den här omgången: 37 av dess 37 kolumner saknas "
        "(kon, arskurs, agera1, agera2, agera3, agera4, agera5, tilltro1 och 29 till)."
    ) in page
    assert "Kolumnen saknas" not in page and "Okänd kolumn" not in page
    assert f'href="/surveys/waves/{wave.id}/template.xlsx"' in page
    assert count(Response) == 0


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "svar.csv", "ett PDF-dokument"),
        (b"%PDF-1.4\n", "svar.pdf", "ett PDF-dokument"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "foto.png", "en PNG-bild"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "foto.jpg", "en JPEG-bild"),
    ],
)
def test_binary_files_are_recognised(client, wave, data, name, kind):
    page = upload(client, wave, data, name).get_data(as_text=True)
    assert f"Filen är {kind}, inte en CSV- eller Excelfil." in page
    assert count(Response) == 0


def test_a_zip_that_is_not_excel_is_recognised(client, wave):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("svar.csv", "kon;arskurs\r\n1;8\r\n")
    page = upload(client, wave, buffer.getvalue(), "svar.zip").get_data(as_text=True)
    assert "Filen är ett zip-arkiv, inte en CSV- eller Excelfil." in page


def test_the_required_file_field_is_not_called_optional(client, wave):
    sign_in(client, make_user("lead"))
    page = client.get(f"/surveys/waves/{wave.id}/import").get_data(as_text=True)
    label = page.split('for="file"', 1)[1].split("</label>", 1)[0]
    assert "Fil (CSV eller Excel)" in label and "frivilligt" not in label
