"""The annual PDF, the Excel appendix and the JSON API draw the same figures (one result)."""

import io
import subprocess

from openpyxl import load_workbook

from mvp.evaluation.numbers import fmt_ci, fmt_share
from mvp.evaluation.suppress import SUPPRESSED
from tests.factories import make_user, sign_in
from tests.officials.test_results import _scenario
from tests.officials_factories import add_answers, make_round, set_seats


def _pdf_text(data: bytes, tmp_path, pages=None) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[1])]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\xa0", " ")


def _percent(value):
    """A JSON interval limit (0–1) as the tables write it (per cent, one decimal)."""
    if value in (None, SUPPRESSED):
        return value
    return round(value * 100, 1)


def _two_years(app):
    round_ = _scenario()
    import sqlalchemy as sa

    from mvp.extensions import db
    from mvp.officials.models import PoliticalBody

    body = db.session.scalar(sa.select(PoliticalBody))
    set_seats(2025, body, ordinary_woman=20, ordinary_man=20)
    earlier = make_round(2025)
    add_answers(earlier, [("woman", {"trygg": 4})] * 6 + [("woman", {"trygg": 2})] * 4)
    add_answers(earlier, [("man", {"trygg": 3})] * 7 + [("man", {"trygg": 1})] * 3)
    return round_


def test_pdf_and_excel_hold_the_json_figures(app, client, tmp_path):
    _two_years(app)
    sign_in(client, make_user("lead"))
    data = client.get("/officials/api/results.json?year=2026").get_json()
    pdf = client.get("/officials/results.pdf?year=2026")
    assert pdf.mimetype == "application/pdf"
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("sv"):
            first_page = _pdf_text(pdf.data, tmp_path, (1, 1))
            whole = _pdf_text(pdf.data, tmp_path)
            workbook = load_workbook(
                io.BytesIO(client.get("/officials/results.xlsx?year=2026").data)
            )
            trend_sheet = next(
                s for s in workbook.worksheets if s["A1"].value.startswith("Andel som känner")
            )
            excel_rows = {str(r[0]): r for r in trend_sheet.iter_rows(min_row=3, values_only=True)}
            for year in data["trend"]:
                row = excel_rows[str(year["year"])]
                cells = list(row[1:])
                for group in ("woman", "man", "other", "all"):
                    figure = year["feel_safe"][group]
                    share, (low, high), n = figure["share"], figure["ci95"], figure["n"]
                    # Excel: share, lower, upper, n per group, in that order.
                    assert cells[:4] == [share, _percent(low), _percent(high), n]
                    cells = cells[4:]
                    if share not in (SUPPRESSED, None):
                        line = f"{fmt_share(share)} {fmt_ci(_percent(low), _percent(high))} {n}"
                        assert " ".join(line.split()) in " ".join(whole.split())
            # Page 1: the two headline shares with their intervals and n, and what changed.
            now = data["trend"][-1]["feel_safe"]
            for group, word in (("woman", "Kvinnor"), ("man", "Män")):
                figure = now[group]
                low, high = figure["ci95"]
                expected = (
                    f"{word}: {fmt_share(figure['share'])} känner sig trygga (95 %-intervall "
                    f"{fmt_ci(round(low * 100, 1), round(high * 100, 1))}, n = {figure['n']})"
                )
                assert " ".join(expected.split()) in " ".join(first_page.split())
            for sentence in data["changes"]:
                assert sentence[:40] in " ".join(first_page.split())
    assert data["trend"][-1]["feel_safe"]["all"]["share"] == SUPPRESSED


def test_viewers_read_the_suppressed_results_but_not_the_rounds(app, client):
    _scenario()
    sign_in(client, make_user("viewer"))
    data = client.get("/officials/api/results.json").get_json()
    assert data["trend"][0]["feel_safe"]["other"]["n"] == SUPPRESSED
    assert client.get("/officials/rounds/new").status_code == 403
