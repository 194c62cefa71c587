"""The Excel appendix, read back with openpyxl, holds the JSON's figures, sheet by sheet."""

import io

import pytest
from openpyxl import load_workbook

from tests.evaluation.conftest import build_pilot
from tests.factories import make_user, sign_in


@pytest.fixture
def workbook_and_json(client, app):
    build_pilot()
    sign_in(client, make_user("lead"))
    response = client.get("/evaluation/report.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(".xlsx")
    return load_workbook(io.BytesIO(response.data)), client.get("/api/v1/evaluation").json


def rows_of(sheet) -> dict:
    """{first cell: the row's values} below the title and header rows."""
    return {
        row[0]: list(row[1:])
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if row[0] is not None
    }


def test_one_sheet_per_table_with_the_reports_titles(workbook_and_json):
    workbook, data = workbook_and_json
    names = workbook.sheetnames
    assert names[0] == "Om bilagan"
    for title in (
        "Nyckeltal",
        "Elever i MVP-grupper efter kön",
        "Skalor – ihopkopplade elever",
        "Kopplade svar",
        "Enkätens skalor",
    ):
        assert title in names
    assert all(len(name) <= 31 for name in names) and len(set(names)) == len(names)
    assert workbook["Nyckeltal"]["A1"].value == "Nyckeltal"
    schools = [s["name"] for s in data["schools"]]
    assert all(name in names for name in schools)


def test_key_figures_equal_the_json(workbook_and_json):
    workbook, data = workbook_and_json
    rows = rows_of(workbook["Nyckeltal"])
    for figure in data["summary"]["figures"]:
        assert rows[figure["label"]][0] == figure["value"]
    share = workbook["Nyckeltal"]["B8"]
    assert share.number_format == "0.0%"


def test_scales_equal_the_json_including_the_interval(workbook_and_json):
    workbook, data = workbook_and_json
    sheet = workbook["Skalor – ihopkopplade elever"]
    header = [cell.value for cell in sheet[2]]
    assert header[7:9] == ["95 % KI, nedre gräns", "95 % KI, övre gräns"]
    rows = rows_of(sheet)
    for scale in data["effectiveness"]["scales"]:
        p = scale["paired"]
        assert rows[scale["name"]][:9] == [
            p["n"],
            p["before_mean"],
            p["before_index"],
            p["later_mean"],
            p["later_index"],
            p["change"],
            p["ci_low"],
            p["ci_high"],
            p["d_z"],
        ]
        # p is exact in the JSON; a spreadsheet cell holds 15 significant digits of it.
        assert rows[scale["name"]][9:] == pytest.approx([p["p"], p["p_holm"]], rel=1e-14)
    # The p-values keep their exact number and read as on the web and in the PDF.
    assert header[10:12] == ["p (Wilcoxon)", "p (Holm)"]
    p_cells = [
        cell
        for row in sheet.iter_rows(min_row=3)
        for cell in row[10:12]
        if isinstance(cell.value, float)
    ]
    assert p_cells
    assert {cell.number_format for cell in p_cells} == {'[<0.001]"< 0,001";0.000'}


def test_reach_with_suppressed_cells_equals_the_json(workbook_and_json):
    workbook, data = workbook_and_json
    rows = rows_of(workbook["Elever i MVP-grupper efter kön"])
    for row in [*data["reach"]["schools"], data["reach"]["total"]]:
        assert rows[row["name"]] == [
            row["groups"],
            row["girls"],
            row["boys"],
            row["others"],
            row["total"],
            row["pupils_in_grades"],
            row["share_of_grades"],
        ]
    assert rows["Alla skolor"][2] == ".."


def test_by_sex_and_dose_equal_the_json(workbook_and_json):
    workbook, data = workbook_and_json
    sheet = workbook["Skalor efter kön – ihopkopplade"]
    found = {
        (row[0], row[1]): row[2]
        for row in sheet.iter_rows(min_row=3, values_only=True)
        if row[1] is not None
    }
    for scale in data["effectiveness"]["scales"]:
        for group in scale["by_sex"]:
            key = (scale["name"], group["label"])
            if group["key"] in ("other", "no_answer") and group["paired"]["n"] == 0:
                assert key not in found  # nobody left in the group: no row of zeros
                continue
            assert found[key] == group["paired"]["n"]
    # Girls and boys are always there.
    assert {label for _scale, label in found} >= {"Flickor", "Pojkar"}
    dose = rows_of(workbook["Hållna lektioner av planerade"])
    assert dose["Alla skolor"][3] == data["implementation"]["total"]["dose"]


def test_sheet_names_are_whole_words_unique_and_listed_in_the_contents(workbook_and_json):
    workbook, _data = workbook_and_json
    names = workbook.sheetnames
    assert names[1] == "Innehåll"
    assert len({n.lower() for n in names}) == len(names)
    titles = {workbook[n]["A1"].value for n in names[2:]}
    for name in names[2:]:
        assert len(name) <= 31
        assert not name.endswith((",", " –", "(", " ")) and "(2)" not in name
        title = workbook[name]["A1"].value
        words = title.replace(":", " –").split()
        # The name is the title's first whole words, or those words and a number.
        stem = name.rsplit(" ", 1)[0] if name.rsplit(" ", 1)[-1].isdigit() else name
        assert " ".join(words).startswith(stem), (name, title)
        assert len(stem.split()) == 0 or stem.split()[-1] in [w.rstrip(",;") for w in words]
    contents = workbook["Innehåll"]
    listed = {row[0]: row[1] for row in contents.iter_rows(min_row=3, values_only=True)}
    assert set(listed) == set(names[2:])
    assert set(listed.values()) == titles
    assert contents["A3"].hyperlink.location or contents["A3"].hyperlink.target


def test_a_long_title_is_cut_between_words_and_repeats_are_numbered(app):
    from mvp.reports.xlsx import sheet_title

    used: set[str] = set()
    first = sheet_title("Förändring per skala, flickor och pojkar efter lektionerna", used)
    assert first == "Förändring per skala, flickor"
    second = sheet_title("Förändring per skala, flickor och pojkar efter lektionerna", used)
    assert second == "Förändring per skala, flickor 2"
    assert sheet_title("Skalor, flickor", {"skalor, flickor"}) == "Skalor, flickor 2"
    assert all(len(n) <= 31 for n in used)


def test_the_summarys_response_rates_are_given_for_girls_and_boys(workbook_and_json):
    workbook, data = workbook_and_json
    rows = rows_of(workbook["Nyckeltal"])
    rates = {r["phase"]: r for r in data["reach"]["responses"]}
    for key, phase in (("response_before", "before"), ("response_after", "after")):
        label = next(f["label"] for f in data["summary"]["figures"] if f["key"] == key)
        assert rows[f"{label}: flickor"][0] == rates[phase]["rate_girls"]
        assert rows[f"{label}: pojkar"][0] == rates[phase]["rate_boys"]
