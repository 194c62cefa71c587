"""The evaluation's rollout section: the rollout plan's figures in the dashboard, the PDF, the
Excel appendix and the JSON, and what each reader's evaluation covers."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.rollout.plan import rollout_summary
from mvp.rollout.terms import term_of
from tests.evaluation.conftest import build_pilot
from tests.factories import make_school, make_user, sign_in
from tests.rollout_factories import make_rollout
from tests.test_reports_pdf import pdf_text, share

TODAY = dt.date.today()
NOW = term_of(TODAY)
NO_SEX_NOR_SUPPRESSION = (
    "Uppgifterna gäller skolor och skolornas registrerade elevantal, inte personers svar, och "
    "redovisas därför varken efter kön eller med dolda små tal."
)


@pytest.fixture
def municipality(app):
    """The pilot's two schools established, four more on their way, one MVP is not meant for."""
    pilot = build_pilot()
    for school in pilot.schools.values():
        make_rollout(school, "established", NOW + (-3))
    norr = make_school(name="Norr", kind="7-9", pupils_by_grade={7: 60, 8: 58, 9: 61})
    make_rollout(norr, "preparing", NOW + 1)
    vast = make_school(name="Väst", kind="4-6", pupils_by_grade={4: 30, 5: 31, 6: 29})
    make_rollout(vast, "anchoring", NOW + 2)
    syd = make_school(name="Syd", kind="7-9", pupils_by_grade={7: 40, 8: 41, 9: 39})
    make_rollout(syd, "anchoring", NOW + 2)
    gymn = make_school(name="Gymn", kind="gymnasium", pupils_by_grade={10: 200, 11: 190})
    make_rollout(gymn, "not_started", NOW + 3)
    make_school(name="Lilla", kind="F-3", pupils_by_grade={0: 20, 1: 22, 2: 19, 3: 21})
    return pilot


def test_the_evaluation_carries_the_rollout_plan_of_the_municipality(municipality):
    evaluation = build_evaluation(EvaluationFilter(years=(municipality.year,)), language="sv")
    rollout, summary = evaluation.rollout, rollout_summary(TODAY)
    assert rollout.scope == "municipality"
    assert (rollout.schools_active, rollout.schools_eligible, rollout.schools_running) == (
        7,
        6,
        2,
    )
    assert rollout.running_share == pytest.approx(2 / 6, abs=0.0005)
    assert rollout.schools_remaining == 4 and rollout.complete_in == (NOW + 3).label
    assert {row.key: row.schools for row in rollout.stages} == {
        "not_started": 2,  # Gymn, and Lilla which has no rollout row
        "anchoring": 2,
        "preparing": 1,
        "first_round": 0,
        "established": 2,
        "paused": 0,
    }
    assert [term.label for term in rollout.terms] == [t.term.label for t in summary.terms]
    starts = {term.label: term.starting for term in rollout.terms}
    assert starts[(NOW + 1).label] == ["Norr"] and starts[(NOW + 2).label] == ["Syd", "Väst"]
    last = rollout.terms[-1]
    assert last.schools_running == 6 and last.schools_share == 1.0
    # Grade 8 of the 7–9 schools and grade 5 of the 4–6 school, of all pupils in the bands.
    bands = {band.key: band for band in last.bands}
    assert bands["7-9"].pupils_reached == 112 + 53 + 58 + 41
    assert bands["7-9"].share == pytest.approx(
        (112 + 53 + 58 + 41) / (118 + 112 + 56 + 53 + 60 + 58 + 61 + 40 + 41 + 39), abs=0.0005
    )
    assert bands["4-6"].pupils_reached == 31 and "F-3" not in bands
    assert rollout.not_targeted == ["Lilla"] and not rollout.unplanned and not rollout.overdue
    assert rollout.notes[0] == NO_SEX_NOR_SUPPRESSION
    assert evaluation.summary.rollout == rollout.finding
    assert "2 av de 6 skolor som MVP är tänkt för har MVP" in rollout.finding
    assert (NOW + 3).label in rollout.finding


def test_a_coordinator_sees_their_schools_rollout_without_the_municipalitys_plan(
    client, municipality
):
    hallsta = municipality.schools["Hallsta skola"]
    sign_in(client, make_user("coordinator", schools=[hallsta]))
    rollout = client.get("/api/v1/evaluation").json["rollout"]
    assert rollout["scope"] == "schools"
    assert [row["name"] for row in rollout["schools"]] == ["Hallsta skola"]
    assert (rollout["schools_eligible"], rollout["schools_running"]) == (1, 1)
    assert sum(row["schools"] for row in rollout["stages"]) == 1
    assert rollout["terms"] == [] and rollout["now"] == [] and rollout["complete_in"] is None
    assert "sköts av projektledarna" in rollout["notes"][-1]
    html = client.get("/evaluation/").get_data(as_text=True)
    assert ">Införande</h2>" in html and "Norr" not in html and "Väst" not in html


def test_a_lead_who_chooses_schools_sees_those_schools_and_a_viewer_the_whole_plan(
    client, municipality
):
    langsjo = municipality.schools["Långsjöskolan"]
    sign_in(client, make_user("lead"))
    chosen = client.get(f"/api/v1/evaluation?school={langsjo.id}").json["rollout"]
    assert chosen["scope"] == "schools"
    assert [row["name"] for row in chosen["schools"]] == ["Långsjöskolan"]
    assert "välj ingen skola" in chosen["notes"][-1]
    sign_in(client, make_user("viewer"))
    whole = client.get("/api/v1/evaluation?grade=8").json["rollout"]
    assert whole["scope"] == "municipality" and len(whole["schools"]) == 7


def test_the_dashboard_shows_the_rollout_after_maintenance(client, municipality):
    sign_in(client, make_user("lead"))
    html = client.get("/evaluation/").get_data(as_text=True)
    assert '<li><a href="#rollout">Införande</a></li>' in html
    assert html.index('id="maintenance"') < html.index('id="rollout"') < html.index('id="method"')
    section = html.split('<h2 id="rollout">')[1].split("</section>")[0]
    assert NO_SEX_NOR_SUPPRESSION in section
    for table in ("t-rollout_goal", "t-rollout_stages", "t-rollout_terms", "t-rollout_bands"):
        assert f'id="{table}"' in section
    assert "Syd, Väst" in section


@pytest.fixture
def reports(client, municipality, tmp_path):
    sign_in(client, make_user("lead"))
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(client.get("/evaluation/report.pdf").data)
    workbook = load_workbook(io.BytesIO(client.get("/evaluation/report.xlsx").data))
    return pdf, workbook, client.get("/api/v1/evaluation").json["rollout"]


def _section(text: str) -> list[str]:
    """The lines of the PDF's rollout section (after its heading, before the next section)."""
    start = text.index("\n Införande\n")
    end = text.index("\n Hallsta skola\n", start)
    return [" ".join(line.split()) for line in text[start:end].splitlines()]


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.startswith(start))


def test_the_pdf_holds_the_rollout_figures_of_the_json(reports):
    path, _workbook, rollout = reports
    text = pdf_text(path)
    contents = pdf_text(path, 2)
    assert re.search(r"^\s*Införande\s+\d+\s*$", contents, re.MULTILINE)
    assert contents.index("Vidmakthållande") < contents.index("Införande")
    lines = _section(text)
    assert NO_SEX_NOR_SUPPRESSION in " ".join(lines)
    assert " ".join(rollout["finding"].split()) in " ".join(lines)
    for label, written in (
        ("Skolor med MVP (första omgången eller etablerad)", str(rollout["schools_running"])),
        ("Skolor som MVP är tänkt för", str(rollout["schools_eligible"])),
        ("Andel av skolorna som MVP är tänkt för", share(rollout["running_share"])),
        ("Skolor som återstår", str(rollout["schools_remaining"])),
        ("Alla skolor har MVP i slutet av", rollout["complete_in"]),
    ):
        assert _line(lines, label).endswith(" " + written), (label, written)
    for stage in rollout["stages"]:
        assert _line(lines, stage["label"] + " ") == f"{stage['label']} {stage['schools']}"
    # The plan's table is in the appendix (the main part draws it as a chart).
    appendix = lines[len(lines) - 1 - lines[::-1].index("Införande") :]
    assert _line(lines, rollout["terms"][0]["label"] + " ").endswith(" skolor")
    for term in rollout["terms"]:
        expected = [
            term["label"],
            ", ".join(term["starting"]) or "–",
            str(term["schools_running"]),
            share(term["schools_share"]),
            str(term["leaders_to_train_minimum"]),
            str(term["leaders_to_train_recommended"]),
            str(term["pupils_starting"]),
            str(term["pupils_reached"]),
        ]
        assert _line(appendix, term["label"] + " ") == " ".join(expected)


def _sheet(workbook, title: str):
    return next(sheet for sheet in workbook if sheet["A1"].value == title)


def _rows(sheet) -> dict:
    """{first cell: the rest} of the table's rows (its note follows an empty row)."""
    rows = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[0] is None:
            break
        rows[row[0]] = list(row[1:])
    return rows


def test_the_excel_sheets_equal_the_json(reports):
    _path, workbook, rollout = reports
    goal = _rows(_sheet(workbook, "MVP i alla skolor"))
    assert goal["Skolor med MVP (första omgången eller etablerad)"] == [rollout["schools_running"]]
    assert goal["Andel av skolorna som MVP är tänkt för"] == [rollout["running_share"]]
    assert goal["Alla skolor har MVP i slutet av"] == [rollout["complete_in"]]
    stages = _rows(_sheet(workbook, "Aktiva skolor per fas"))
    assert stages == {
        **{row["label"]: [row["schools"]] for row in rollout["stages"]},
        "Totalt": [rollout["schools_active"]],
    }
    terms = _rows(
        _sheet(workbook, "Skolor som startar MVP per termin, ledare att utbilda och elever som nås")
    )
    assert terms == {
        term["label"]: [
            ", ".join(term["starting"]) or None,
            term["schools_running"],
            term["schools_share"],
            term["leaders_to_train_minimum"],
            term["leaders_to_train_recommended"],
            term["pupils_starting"],
            term["pupils_reached"],
        ]
        for term in rollout["terms"]
    }
    bands = _rows(
        _sheet(workbook, "Andel av kommunens elever som nås under ett läsår, per stadium")
    )
    assert bands["Nu (skolor med MVP i dag)"] == [b["share"] for b in rollout["now"]] + [
        b["pupils_reached"] for b in rollout["now"]
    ]
    schools = _rows(_sheet(workbook, "Skolornas faser"))
    assert schools == {
        row["name"]: [
            row["stage_label"],
            row["target_term"],
            row["pupils_targeted"],
            row["trained_leaders"],
            row["ready_items"],
            row["total_items"],
        ]
        for row in rollout["schools"]
    }
