"""Reading uploaded CSV and XLSX files the way Swedish offices write them."""

import io

import pytest
from openpyxl import Workbook

from mvp.tabular import TableErrors, check_header, read_table


def test_utf8_csv_with_bom_and_commas(app):
    table = read_table("\ufeffnamn,antal\nÅsa skola,12\n".encode(), "skolor.csv")
    assert table.header == ["namn", "antal"]
    assert table.rows == [{"namn": "Åsa skola", "antal": "12"}]


def test_excel_swedish_semicolon_csv_in_windows_1252(app):
    data = "namn;antal\r\nÖstra skolan;7\r\n".encode("cp1252")
    table = read_table(data, "skolor.csv")
    assert table.rows == [{"namn": "Östra skolan", "antal": "7"}]


def test_xlsx_and_row_numbers(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["namn", "antal"])
    sheet.append(["Ängsskolan", 3])
    sheet.append([None, None])
    sheet.append(["Backa", 4.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "skolor.xlsx")
    assert [(n, r["antal"]) for n, r in table.numbered_rows()] == [(2, "3"), (3, "4")]


def test_unreadable_files_get_a_clear_message(app):
    for data, name in ((b"", "a.csv"), (b"PK\x03\x04broken", "a.xlsx")):
        with pytest.raises(TableErrors) as error:
            read_table(data, name)
        assert str(error.value.errors[0])


def test_header_check_names_every_problem(app):
    table = read_table(b"namn;namn;farg\n", "a.csv")
    with pytest.raises(TableErrors) as error:
        check_header(table, required=["namn", "antal"])
    messages = [str(e) for e in error.value.errors]
    assert "Rad 1, kolumn namn: Kolumnen finns två gånger." in messages
    assert "Rad 1, kolumn farg: Okänd kolumn." in messages
    assert "Rad 1, kolumn antal: Kolumnen saknas." in messages
