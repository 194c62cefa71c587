"""The equality report (jämställdhetsbokslut): page 1 rendered and read back, a page per goal
with its figures, deviations and the Kolada source; the Excel and JSON of the same result."""

import io
import json
import re
import subprocess

import openpyxl
from PIL import Image

from tests.factories import make_user, sign_in
from tests.goals.factories import (
    import_recorded,
    make_administration,
    make_goal,
    make_indicator,
    type_figures,
)
from tests.test_reports_pdf import pdf_text


def municipality():
    import_recorded("kolada_v3_data.json")
    power = make_goal(
        administration=make_administration("Kommunledningsförvaltningen"),
        title="Jämn könsfördelning i fullmäktige",
    )
    make_indicator(
        power,
        source="kolada",
        kpi="N00938",
        target_kind="gap",
        target_gap=2.0,
        target_year="2027",
        title="",
        unit="procentenheter",
    )
    staff = make_goal(
        administration=make_administration("HR-avdelningen"),
        title="Jämställd hälsa bland medarbetarna",
        sub_goal="health",
    )
    safe = make_indicator(staff, target_women=90.0, target_men=90.0, target_year="2025")
    type_figures(safe, (2022, 70.0, 78.0, 74.0), (2023, 71.0, 80.0, 75.5))
    make_goal(title="Mål utan indikatorer", sub_goal="violence")
    return power, staff


def test_page_one_lists_every_goal_with_its_status_and_renders(client, tmp_path):
    municipality()
    sign_in(client, make_user("viewer"))
    response = client.get("/goals/report.pdf?year=2023")
    assert response.status_code == 200
    assert "jamstalldhetsbokslut-2023.pdf" in response.headers["Content-Disposition"]
    path = tmp_path / "bokslut.pdf"
    path.write_bytes(response.data)
    first = re.sub(r"[ \t]+", " ", pdf_text(path, 1))
    assert "Jämställdhetsbokslut 2023" in first
    assert "3 mål: 1 på väg, 1 inte på väg, 1 utan uppgifter." in first
    # One row per goal (long names wrap onto a second line): its indicators and status.
    assert re.search(r"Jämn könsfördelning i .*Kommunledningsförvaltningen .* 1 på väg\n", first)
    assert re.search(r"Jämställd hälsa bland .*HR-avdelningen .* 1 inte på väg\n", first)
    assert re.search(r"Mål utan indikatorer .* 0 inga\n", first)
    assert "Källa: Kolada" in first
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", str(path), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    darkest, lightest = image.getextrema()
    assert image.size[0] > 400 and darkest < 60 and lightest > 200
    # A page per goal after page 1, with its figures and target.
    second = re.sub(r"\s+", " ", pdf_text(path, 2))
    assert "Jämn könsfördelning i fullmäktige" in second
    assert "Källa: Kolada (N00938)" in second
    assert "Skillnad högst 2 procentenheter år 2027" in second
    assert "Skillnad = kvinnor − män, minskar" in second


def test_the_report_stops_at_its_year(client, tmp_path):
    municipality()
    sign_in(client, make_user("lead"))
    answer = client.get("/goals/report.json?year=2022").get_json()
    years = [f["year"] for f in answer["goals"][0]["indicators"][0]["series"]]
    assert years == [2021, 2022]
    assert answer["title"] == "Jämställdhetsbokslut 2022"


def test_excel_and_json_carry_the_same_figures(client):
    municipality()
    sign_in(client, make_user("viewer"))
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/goals/report.xlsx?year=2023").data))
    assert "Alla mål och deras status" in workbook.sheetnames
    answer = json.loads(client.get("/goals/report.json?year=2023").data)
    kolada = answer["goals"][0]["indicators"][0]
    assert kolada["source_label"] == "Källa: Kolada (N00938)"
    assert kolada["series"][-1] == {"year": 2023, "women": 31.0, "men": 34.0, "total": 32.5}
    assert kolada["gap"] == -3.0 and kolada["direction"] == "narrowing"
    sheet = next(s for s in workbook.worksheets if s["A1"].value == kolada["title"])
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert ["2023", 31.0, 34.0, 32.5, -3.0] in rows
