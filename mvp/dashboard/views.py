"""The evaluation dashboard, the project lead's report texts, and the JSON API."""

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from mvp.auth.permissions import can, require
from mvp.dashboard.cache import cached_evaluation
from mvp.dashboard.forms import FilterForm, ReportTextForm
from mvp.evaluation import services
from mvp.evaluation.numbers import fmt_share
from mvp.reports.charts import evaluation_charts
from mvp.reports.svg import chart_svg
from mvp.reports.tables import cell_text, tables_by_section
from mvp.schools.years import SchoolYearError, format_school_year, parse_school_year
from mvp.validation import Invalid, add_errors_to_form, save_form

bp = Blueprint("evaluation", __name__)

FILTER_ARGS = ("year", "school", "grade", "plan")


def read_selection(user):
    """The selection in the query string, checked: (selection or None, filter form)."""
    form = FilterForm(formdata=request.args)
    form.set_choices(services.filter_choices(user))
    try:
        selection = services.resolve_filter(
            user, **{f"{name}s": request.args.getlist(name) for name in FILTER_ARGS}
        )
    except Invalid as error:
        add_errors_to_form(form, error)
        return None, form
    if not request.args.getlist("year"):
        form.year.data = [format_school_year(y) for y in selection.years]
    return selection, form


def requested_language() -> str | None:
    """?lang=sv or ?lang=en, else None (the reader's language)."""
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else None


def render_dashboard(selection, form, status: int = 200):
    """The dashboard for a selection (or the filter form with its errors)."""
    evaluation = cached_evaluation(selection) if selection is not None else None
    context = {"form": form, "selection": selection, "evaluation": evaluation}
    if evaluation is not None:
        context.update(
            tables=tables_by_section(evaluation),
            charts=evaluation_charts(evaluation),
            summary=services.selection_summary(selection),
            download_args=selection.query_args(),
        )
    return render_template("evaluation/index.html", **context), status


@bp.app_template_global()
def evaluation_cell(value, kind):
    """A table cell of the evaluation, written as in the PDF and Excel appendix."""
    return cell_text(value, kind)


bp.add_app_template_global(chart_svg, "chart_svg")
bp.add_app_template_filter(fmt_share, "share")


@bp.get("/evaluation/")
@require("evaluation.view")
def index():
    """The RE-AIM evaluation of the chosen school years, schools, grades and lesson plans."""
    selection, form = read_selection(current_user)
    return render_dashboard(selection, form)


@bp.route("/evaluation/texts", methods=["GET", "POST"])
@require("evaluation.texts")
def texts():
    """The project lead's own sections of the report: lessons learned and next steps."""
    form = ReportTextForm()
    if request.method == "GET":
        try:
            year = parse_school_year(request.args.get("year", ""))
        except SchoolYearError:
            year = services.default_school_year(current_user)
        existing = services.get_texts(year)
        form.school_year.data = year
        form.lessons_learned.data = existing.lessons_learned if existing else ""
        form.next_steps.data = existing.next_steps if existing else ""
    saved = save_form(
        form,
        lambda: services.save_texts(
            form.school_year.data,
            form.lessons_learned.data,
            form.next_steps.data,
            actor=current_user,
        ),
    )
    if saved:
        year_text = format_school_year(form.school_year.data)
        flash(_("The texts for %(year)s were saved.", year=year_text), "success")
        return redirect(url_for(".texts", year=year_text))
    return render_template("evaluation/texts.html", form=form)


@bp.get("/api/v1/evaluation")
def api():
    """The evaluation as JSON, with the dashboard's filters (year, school, grade, plan, lang).

    Answers 401 without a sign-in, 403 without the permission and 400 with the messages
    for a selection that cannot be used; the figures are the dashboard's, suppressed.
    """
    if not current_user.is_authenticated:
        return jsonify(error=_("Log in to use the API.")), 401
    if not can("evaluation.view"):
        return jsonify(error=_("You do not have access to this.")), 403
    try:
        selection = services.resolve_filter(
            current_user, **{f"{name}s": request.args.getlist(name) for name in FILTER_ARGS}
        )
    except Invalid as error:
        return jsonify(errors=error.errors), 400
    language = requested_language()
    if language:
        with force_locale(language):
            return jsonify(cached_evaluation(selection, language=language).as_dict())
    return jsonify(cached_evaluation(selection).as_dict())
