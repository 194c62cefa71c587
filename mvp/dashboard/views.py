"""The evaluation dashboard, its pages of detail, the project lead's report texts, the JSON API.

The dashboard is the overview: the summary and each section's main tables. Tables of detail
(per item, per grade, per school) are on a page per section and a page per school, reached
with the same selection in the query string; all pages draw the same cached Evaluation.
"""

from flask import (
    Blueprint,
    abort,
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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from mvp.auth.permissions import can, require
from mvp.dashboard import cache
from mvp.dashboard.forms import FilterForm, ReportTextForm
from mvp.evaluation import services
from mvp.evaluation.headlines import headlines
from mvp.evaluation.numbers import fmt_share
from mvp.reports import outline
from mvp.reports.charts import chart_table, evaluation_charts
from mvp.reports.svg import chart_svg
from mvp.reports.tables import cell_text, school_tables, tables_by_section
from mvp.schools.services import get_school
from mvp.schools.years import SchoolYearError, format_school_year, parse_school_year
from mvp.validation import Invalid, add_errors_to_form, save_form
from mvp.versioning import track

bp = Blueprint("evaluation", __name__)

FILTER_ARGS = ("year", "school", "grade", "plan")


def filter_args(user) -> dict[str, list[str]]:
    """The query string's filters; without a school year, the reader's default (cached)."""
    args = {f"{name}s": request.args.getlist(name) for name in FILTER_ARGS}
    if not any(year.strip() for year in args["years"]):
        args["years"] = [format_school_year(cache.default_year(user))]
    return args


def read_selection(user):
    """The selection in the query string, checked: (selection or None, filter form)."""
    form = FilterForm(formdata=request.args)
    form.set_choices(services.filter_choices(user))
    try:
        selection = services.resolve_filter(user, **filter_args(user))
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


# The sections with a page of their own, in the report's order, with their headings.
SECTION_TITLES = {
    "summary": _l("Summary"),
    "reach": _l("Reach"),
    "adoption": _l("Adoption"),
    "implementation": _l("Implementation"),
    "effectiveness": _l("Effectiveness"),
    "maintenance": _l("Maintenance"),
    "rollout": _l("Rollout"),
    "method": _l("Method"),
}


def _shell(selection) -> dict:
    """What every page of the evaluation shows around its (cached) body."""
    return {
        "selection": selection,
        "summary": services.selection_summary(selection),
        "download_args": selection.query_args(),
        "section_titles": SECTION_TITLES,
    }


def _body(selection, template: str, part: str, **context) -> Markup:
    """A page's evaluation part, rendered once per data version and reader's permissions.

    The permissions decide which download links the part holds, so they are in its name.
    """
    key = cache.evaluation_key(selection)
    allowed = ",".join(p for p in PART_PERMISSIONS if can(p))

    def make() -> str:
        evaluation = cache.evaluation_at(key, selection)
        return render_template(
            template,
            evaluation=evaluation,
            tables=tables_by_section(evaluation),
            charts=evaluation_charts(evaluation),
            brief=headlines(evaluation),
            outline=outline.sections(evaluation),
            **_shell(selection),
            **context,
        )

    return Markup(cache.cached_text(key, f"{template}|{part}|{allowed}", make))


# The permissions that change what a rendered part shows (its download and writing links).
PART_PERMISSIONS = ("evaluation.download", "evaluation.answers", "evaluation.texts")


def render_dashboard(selection, form, status: int = 200):
    """The dashboard for a selection (or the filter form with its errors)."""
    context = {"form": form, "selection": selection, "overview": None}
    if selection is not None:
        context.update(_shell(selection))
        context["overview"] = _body(selection, "evaluation/_overview.html", "overview")
    return render_template("evaluation/index.html", **context), status


@bp.app_template_global()
def evaluation_cell(value, kind):
    """A table cell of the evaluation, written as in the PDF and Excel appendix."""
    return cell_text(value, kind)


bp.add_app_template_global(chart_svg, "chart_svg")
bp.add_app_template_global(outline.all_suppressed, "all_suppressed")
bp.add_app_template_global(lambda chart: chart_table(chart, "in-brief"), "brief_table")
bp.add_app_template_filter(fmt_share, "share")


@bp.get("/evaluation/")
@require("evaluation.view")
def index():
    """The RE-AIM evaluation of the chosen school years, schools, grades and lesson plans."""
    selection, form = read_selection(current_user)
    return render_dashboard(selection, form)


@bp.get("/evaluation/section/<name>")
@require("evaluation.view")
def section(name: str):
    """Every table of one RE-AIM section, for the dashboard's selection (404: no such section)."""
    if name not in SECTION_TITLES:
        abort(404)
    selection, form = read_selection(current_user)
    if selection is None:
        return render_dashboard(None, form, status=400)
    body = _body(selection, "evaluation/_section_body.html", name, name=name)
    return render_template("evaluation/section.html", name=name, body=body, **_shell(selection))


@bp.get("/evaluation/schools/<int:school_id>")
@require("evaluation.view")
def school(school_id: int):
    """One school's findings and tables, for the dashboard's selection.

    A school outside the reader's scope answers 404; one without MVP groups in the
    selection says so.
    """
    school_row = get_school(current_user, school_id)
    selection, form = read_selection(current_user)
    if selection is None:
        return render_dashboard(None, form, status=400)
    key = cache.evaluation_key(selection)

    def make() -> str:
        evaluation = cache.evaluation_at(key, selection)
        part = next((s for s in evaluation.schools if s.key == str(school_id)), None)
        return render_template(
            "evaluation/_school_body.html",
            school_section=part,
            school_tables=school_tables(part) if part is not None else [],
        )

    body = Markup(cache.cached_text(key, f"school|{school_id}", make))
    return render_template(
        "evaluation/school.html", school=school_row, body=body, **_shell(selection)
    )


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
    elif form.school_year.data is not None:
        existing = services.get_texts(form.school_year.data)
    else:
        existing = None
    track(form, existing)
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
        selection = services.resolve_filter(current_user, **filter_args(current_user))
    except Invalid as error:
        return jsonify(errors=error.errors), 400
    language = cache.reading_language(requested_language())
    with force_locale(language):
        key = cache.evaluation_key(selection, language)
        text = cache.cached_text(
            key,
            "api",
            # Compact, as jsonify writes it.
            lambda: current_app.json.dumps(
                cache.evaluation_at(key, selection, language).as_dict(), separators=(",", ":")
            ),
        )
    return current_app.response_class(text + "\n", mimetype=current_app.json.mimetype)
