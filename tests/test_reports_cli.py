"""`flask report pdf|xlsx` on the command line (`flask bench`: tests/test_bench.py)."""

import subprocess

from openpyxl import load_workbook

from mvp.schools.years import format_school_year
from tests.evaluation.conftest import build_pilot


def test_report_pdf_for_one_school_in_english(runner, app, tmp_path):
    pilot = build_pilot()
    out = tmp_path / "rapport.pdf"
    year = format_school_year(pilot.year)
    result = runner.invoke(
        args=[
            "report",
            "pdf",
            str(out),
            "--year",
            year,
            "--school",
            "långsjöskolan",
            "--lang",
            "en",
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"({year})" in result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)
    text = text.stdout.decode()
    assert "Schools: Långsjöskolan" in text and "Hallsta skola" not in text


def test_report_xlsx_with_the_default_year(runner, app, tmp_path):
    build_pilot()
    out = tmp_path / "bilaga.xlsx"
    result = runner.invoke(args=["report", "xlsx", str(out)])
    assert result.exit_code == 0, result.output
    assert "Skrev" in result.output
    assert "Nyckeltal" in load_workbook(out).sheetnames


def test_report_refuses_an_unknown_school_and_says_why(runner, app, tmp_path):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["report", "pdf", str(out), "--school", "Påhittade skolan"])
    assert result.exit_code == 1
    assert "Det finns ingen skola ”Påhittade skolan”" in result.output
    assert not out.exists()
