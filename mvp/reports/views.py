"""Downloads of the evaluation: the PDF report, the Excel appendix, the answers for researchers."""

import io

from flask import Blueprint, Response, current_app, send_file
from flask_babel import force_locale, get_locale
from flask_login import current_user

from mvp.auth.permissions import require
from mvp.dashboard.cache import cached_evaluation
from mvp.dashboard.views import read_selection, render_dashboard, requested_language
from mvp.evaluation.data import load_answer_file
from mvp.reports.answers import answers_csv
from mvp.reports.files import report_filename
from mvp.reports.pdf import render_pdf
from mvp.reports.xlsx import render_xlsx

bp = Blueprint("reports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(renderer, extension: str, mimetype: str):
    selection, form = read_selection(current_user)
    if selection is None:
        return render_dashboard(None, form, status=400)
    language = requested_language() or str(get_locale())
    with force_locale(language):
        evaluation = cached_evaluation(selection, language=language)
        content = renderer(evaluation)
        name = report_filename(evaluation, extension)
    return send_file(
        io.BytesIO(content),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
    )


@bp.get("/evaluation/report.pdf")
@require("evaluation.download")
def pdf():
    """The report for SKR as PDF, for the dashboard's selection (?lang=en for English)."""
    return _download(render_pdf, "pdf", "application/pdf")


@bp.get("/evaluation/report.xlsx")
@require("evaluation.download")
def xlsx():
    """The Excel appendix: one sheet per table of the report."""
    return _download(render_xlsx, "xlsx", XLSX)


@bp.get("/evaluation/answers.csv")
@require("evaluation.answers")
def answers():
    """De-identified answers for researchers (project leads): scores and items, no codes."""
    selection, form = read_selection(current_user)
    if selection is None:
        return render_dashboard(None, form, status=400)
    text = answers_csv(load_answer_file(selection), int(current_app.config["SUPPRESSION_MIN"]))
    name = f"mvp-svar-{selection.period.replace('/', '-').replace('–', '_')}.csv"
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
