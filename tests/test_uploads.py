"""Uploads are bounded: a request size cap with a Swedish page, files read as streams with
the row and column limits checked while reading, and every import form states its cap."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from mvp.tabular import MAX_ROWS, TableErrors, read_table
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import make_instrument, make_wave

MB = 2**20


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bomb(extra_rows: str = "") -> bytes:
    """A few KB of .xlsx whose sheet declares the whole grid, A1:XFD1048576, as used."""
    source = zipfile.ZipFile(io.BytesIO(_workbook_bytes([["kon", "arskurs", "agera1"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<dimension ref="A1:C1" />', b'<dimension ref="A1:XFD1048576" />'
                )
                data = data.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
                assert b"A1:XFD1048576" in data
            target.writestr(info.filename, data)
    return out.getvalue()


def _peak_mb(function) -> tuple[object, float]:
    tracemalloc.start()
    try:
        try:
            result = function()
        except TableErrors as error:
            result = error
        return result, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def _messages(result) -> list[str]:
    assert isinstance(result, TableErrors), result
    return [str(error) for error in result.errors]


def test_an_xlsx_declaring_the_whole_grid_is_read_as_what_it_holds(app):
    data = xlsx_bomb()
    assert len(data) < 10_000
    with app.test_request_context():
        table, peak = _peak_mb(lambda: read_table(data, "bomb.xlsx"))
    assert table.header == ["kon", "arskurs", "agera1"] and table.rows == []
    assert peak < 200


def test_an_xlsx_with_a_row_at_the_end_of_the_grid_stops_at_the_row_limit(app):
    last = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>1</t></is></c></row>'
    with app.test_request_context():
        result, peak = _peak_mb(lambda: read_table(xlsx_bomb(last), "bomb.xlsx"))
    assert _messages(result) == [f"Filen har fler än {MAX_ROWS} rader."]
    assert peak < 200


def test_an_xlsx_with_a_cell_in_the_last_column_stops_at_the_column_limit(app):
    wide = '<row r="2"><c r="XFD2" t="inlineStr"><is><t>1</t></is></c></row>'
    with app.test_request_context():
        result, peak = _peak_mb(lambda: read_table(xlsx_bomb(wide), "bomb.xlsx"))
    assert _messages(result) == ["Filen har fler än 200 kolumner."]
    assert peak < 200


def test_an_xlsx_that_unpacks_to_hundreds_of_mb_is_refused_unopened(app):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/sharedStrings.xml", "w") as strings,
    ):
        for _megabyte in range(150):  # written a MB at a time, never held whole
            strings.write(b" " * MB)
    data = out.getvalue()
    assert len(data) < 1 * MB
    with app.test_request_context():
        result, peak = _peak_mb(lambda: read_table(data, "bomb.xlsx"))
    assert _messages(result) == [f"Filen har fler än {MAX_ROWS} rader."]
    assert peak < 200


def test_a_long_csv_is_read_line_by_line_and_stops_at_the_row_limit(app):
    data = b"kon;arskurs;agera1\r\n" + b"1;8;1\r\n" * (3 * MAX_ROWS)
    with app.test_request_context():
        result, peak = _peak_mb(lambda: read_table(data, "svar.csv"))
    assert _messages(result) == [f"Filen har fler än {MAX_ROWS} rader."]
    assert peak < 50  # the rows read before the limit, never the whole file as text


def test_a_wide_csv_stops_at_the_column_limit(app):
    data = ";".join(f"k{n}" for n in range(300)).encode() + b"\r\n"
    with app.test_request_context():
        result, _peak = _peak_mb(lambda: read_table(data, "svar.csv"))
    assert _messages(result) == ["Filen har fler än 200 kolumner."]


def test_a_control_character_in_an_import_cell_is_named_by_row_and_column(app):
    data = "namn;skolform\r\nÖstra\x1bskolan;7-9\r\n".encode()
    with app.test_request_context():
        result, _peak = _peak_mb(lambda: read_table(data, "skolor.csv"))
    assert _messages(result) == [
        "Rad 2, kolumn namn: Texten innehåller ett otillåtet tecken (kontrolltecken)."
    ]


def _post_file(client, url, data: bytes, filename: str, **fields):
    body, _length, boundary = stream_encode_multipart(
        {"file": FileStorage(io.BytesIO(data), filename), **fields}, use_tempfile=False
    )
    return client.post(
        url, data=body.getvalue(), content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.fixture
def small_cap(app):
    """A 1 MB request cap for one test (the default is MVP_MAX_UPLOAD_MB=10)."""
    before = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1 * MB
    yield
    app.config["MAX_CONTENT_LENGTH"] = before


def test_an_oversize_answer_import_gets_a_swedish_413_page(app, client, small_cap):
    wave = make_wave(make_group(make_school()), instrument=make_instrument())
    sign_in(client, make_user("lead"))
    response = _post_file(
        client,
        f"/surveys/waves/{wave.id}/import",
        b"kon;arskurs\r\n" + b"1;8\r\n" * (MB // 5),
        "svar.csv",
        answered_on="2026-09-14",
    )
    assert response.status_code == 413
    assert "Filen är för stor" in response.get_data(as_text=True)


def test_the_xlsx_bomb_is_refused_by_the_answer_import(app, client):
    wave = make_wave(make_group(make_school()), instrument=make_instrument())
    sign_in(client, make_user("lead"))
    tracemalloc.start()
    try:
        response = _post_file(
            client,
            f"/surveys/waves/{wave.id}/import",
            xlsx_bomb(),
            "bomb.xlsx",
            answered_on="2026-09-14",
        )
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    # Read as the one row it holds: a header without the questionnaire's columns, so it is
    # named as not being the wave's template.
    assert "kolumner saknas" in response.get_data(as_text=True)
    assert peak < 200


def test_every_import_form_states_its_size_cap(app, client):
    wave = make_wave(make_group(make_school()), instrument=make_instrument())
    sign_in(client, make_user("lead"))
    cap = f"Högst 10 MB, {MAX_ROWS} rader och 200 kolumner."
    for url in ("/rollout/import", f"/surveys/waves/{wave.id}/import"):
        assert cap in client.get(url).get_data(as_text=True), url
