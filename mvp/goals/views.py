"""Pages of the equality goals: the overview, a goal's follow-up, the forms, the Kolada
import and the equality report's downloads."""

import datetime as dt
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import may_record_deviation, require
from mvp.extensions import db
from mvp.goals import kolada, own_figures, report, services
from mvp.goals.forms import (
    DeviationForm,
    GoalForm,
    IndicatorForm,
    KoladaImportForm,
    TypedValueForm,
)
from mvp.goals.labels import SOURCE_LABELS, SUB_GOAL_LABELS, TARGET_KIND_LABELS
from mvp.goals.results import build_follow_up
from mvp.tabular import TableErrors
from mvp.validation import save_form
from mvp.versioning import track

bp = Blueprint("goals", __name__)

audit_labels.register_values("goal", "sub_goal", SUB_GOAL_LABELS)
audit_labels.register_values("indicator", "source", SOURCE_LABELS)
audit_labels.register_values("indicator", "target_kind", TARGET_KIND_LABELS)
audit_labels.register_field("indicator", "title", _l("Indicator"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/goals/")
@require("goals.view")
def index():
    """Every goal with its status, sub-goal and owner (the equality report's page 1)."""
    result = build_follow_up()
    return render_template(
        "goals/index.html",
        result=result,
        table=report.overview_table(result),
        report_year=dt.date.today().year - 1,
    )


@bp.get("/goals/<int:goal_id>")
@require("goals.view")
def goal(goal_id: int):
    """A goal's indicators over the years against target, the gap and its direction, status,
    and its deviations and actions."""
    record = services.get_goal_or_404(goal_id)
    result = build_follow_up(goal_id=goal_id)
    shown = result.goals[0]
    parts = []
    for indicator in shown.indicators:
        chart = report.indicator_chart(indicator)
        parts.append((indicator, chart, report.indicator_table(shown, indicator)))
    return render_template(
        "goals/goal.html",
        goal=shown,
        parts=parts,
        deviations=report.deviation_table(shown),
        may_record=may_record_deviation(record),
    )


def _years_as_text(form, *names):
    """Year fields are text (so that a wrongly written year gets its message): a record's
    year is shown, and checked, as the text it reads as."""
    for name in names:
        if isinstance(form[name].data, int):
            form[name].data = str(form[name].data)
    return form


def _goal_form(goal=None) -> GoalForm:
    form = _years_as_text(GoalForm(obj=goal), "first_year", "last_year")
    form.administration_id.choices = [("", _("Choose an administration"))] + [
        (str(a.id), a.name) for a in services.administrations()
    ]
    form.owner_ids.choices = [
        (u.id, f"{u.name} ({u.email})" if u.name else u.email) for u in services.possible_owners()
    ]
    if goal is not None and not form.is_submitted():
        form.owner_ids.data = [u.id for u in goal.owners]
    return form


def _goal_data(form: GoalForm) -> services.GoalData:
    return services.GoalData(
        title=form.title.data or "",
        sub_goal=form.sub_goal.data or "",
        administration_id=form.administration_id.data,
        first_year=form.first_year.data,
        last_year=form.last_year.data,
        description=form.description.data or "",
        owner_ids=list(form.owner_ids.data or []),
    )


@bp.route("/goals/new", methods=["GET", "POST"])
@require("goals.edit")
def new():
    """Register an equality goal (leads)."""
    form = _goal_form()
    saved = save_form(form, lambda: services.save_goal(None, _goal_data(form)))
    if saved:
        flash(
            _("The goal “%(title)s” was saved. Add its indicators.", title=saved.title), "success"
        )
        return redirect(url_for(".new_indicator", goal_id=saved.id))
    return render_template("goals/edit.html", form=form, goal=None)


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@require("goals.edit")
def edit(goal_id: int):
    """Change a goal (leads)."""
    goal = services.get_goal_or_404(goal_id)
    form = track(
        _goal_form(goal),
        goal,
        lambda g: {
            "owner_ids": [u.id for u in g.owners],
            "first_year": str(g.first_year),
            "last_year": str(g.last_year),
        },
    )
    if save_form(form, lambda: services.save_goal(goal, _goal_data(form))):
        flash(_("The goal “%(title)s” was saved.", title=goal.title), "success")
        return redirect(url_for(".goal", goal_id=goal.id))
    return render_template("goals/edit.html", form=form, goal=goal)


def _indicator_form(indicator=None) -> IndicatorForm:
    form = _years_as_text(IndicatorForm(obj=indicator), "target_year")
    form.kpi.choices = [("", _("Choose a key figure"))] + [
        (k.id, f"{k.id} {k.title}") for k in services.kolada_kpis()
    ]
    form.provider.choices = [("", _("Choose a figure"))] + [
        (p.key, str(p.label)) for p in own_figures.PROVIDERS.values()
    ]
    if indicator is not None and not form.is_submitted():
        form.kpi.data = indicator.source_key if indicator.source == "kolada" else ""
        form.provider.data = indicator.source_key if indicator.source == "own" else ""
        form.higher_is_better.data = "1" if indicator.higher_is_better else "0"
    return form


def _indicator_data(form: IndicatorForm) -> services.IndicatorData:
    return services.IndicatorData(
        source=form.source.data or "",
        target_kind=form.target_kind.data or "",
        target_year=form.target_year.data,
        kpi=form.kpi.data or "",
        provider=form.provider.data or "",
        title=form.title.data or "",
        source_note=form.source_note.data or "",
        by_sex=bool(form.by_sex.data),
        unit=form.unit.data or "",
        higher_is_better=form.higher_is_better.data != "0",
        target_women=form.target_women.data,
        target_men=form.target_men.data,
        target_gap=form.target_gap.data,
        target_total=form.target_total.data,
    )


@bp.route("/goals/<int:goal_id>/indicators/new", methods=["GET", "POST"])
@require("goals.edit")
def new_indicator(goal_id: int):
    """Add an indicator with its target to a goal (leads)."""
    goal = services.get_goal_or_404(goal_id)
    form = _indicator_form()
    saved = save_form(form, lambda: services.save_indicator(goal, None, _indicator_data(form)))
    if saved:
        flash(_("The indicator “%(title)s” was added.", title=saved.title), "success")
        return redirect(url_for(".goal", goal_id=goal.id))
    return render_template("goals/indicator.html", form=form, goal=goal, indicator=None)


@bp.route("/goals/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@require("goals.edit")
def edit_indicator(indicator_id: int):
    """Change an indicator or its target (leads)."""
    indicator = services.get_indicator_or_404(indicator_id)
    goal = indicator.goal
    form = track(
        _indicator_form(indicator),
        indicator,
        lambda i: {
            "kpi": i.source_key if i.source == "kolada" else "",
            "provider": i.source_key if i.source == "own" else "",
            "higher_is_better": "1" if i.higher_is_better else "0",
            "target_year": str(i.target_year),
        },
    )
    if save_form(form, lambda: services.save_indicator(goal, indicator, _indicator_data(form))):
        flash(_("The indicator “%(title)s” was saved.", title=indicator.title), "success")
        return redirect(url_for(".goal", goal_id=goal.id))
    return render_template("goals/indicator.html", form=form, goal=goal, indicator=indicator)


@bp.route("/goals/indicators/<int:indicator_id>/figures", methods=["GET", "POST"])
@require("goals.edit")
def typed_figures(indicator_id: int):
    """Type in a year's figures of an indicator with their source (leads)."""
    indicator = services.get_indicator_or_404(indicator_id)
    if indicator.source != "typed":
        abort(404)
    form = TypedValueForm()
    saved = save_form(
        form,
        lambda: services.save_typed_value(
            indicator,
            services.TypedData(
                year=form.year.data,
                women=form.women.data,
                men=form.men.data,
                total=form.total.data,
                source_note=form.source_note.data or "",
            ),
        ),
    )
    if saved:
        flash(_("The figures of %(year)d were saved.", year=saved.year), "success")
        return redirect(url_for(".goal", goal_id=indicator.goal_id))
    series = build_follow_up(goal_id=indicator.goal_id).goals[0]
    shown = next(i for i in series.indicators if i.id == indicator.id)
    return render_template(
        "goals/figures.html",
        form=form,
        indicator=indicator,
        table=report.indicator_table(series, shown),
    )


@bp.route("/goals/<int:goal_id>/deviations/new", methods=["GET", "POST"])
@require("goals.view")
def new_deviation(goal_id: int):
    """Record a deviation: cause, action, responsible, follow-up (leads and the goal's
    owners). Earlier entries are never changed: a new analysis is a new entry."""
    goal = services.get_goal_or_404(goal_id)
    if not may_record_deviation(goal):
        abort(403)
    form = DeviationForm()
    form.indicator_id.choices = [("", _("Choose an indicator"))] + [
        (str(i.id), i.title) for i in goal.indicators
    ]
    earlier = build_follow_up(goal_id=goal.id).goals[0].deviations
    form.follows_id.choices = [("", _("No, a new deviation"))] + [
        (str(e.id), f"{e.recorded_on} · {e.indicator} · {e.year}") for e in earlier
    ]
    data = services.DeviationData(
        indicator_id=form.indicator_id.data,
        year=form.year.data,
        cause=form.cause.data or "",
        action=form.action.data or "",
        responsible=form.responsible.data or "",
        follow_up_on=form.follow_up_on.data,
        follows_id=form.follows_id.data,
    )
    if save_form(form, lambda: services.record_deviation(goal, data, actor=current_user)):
        flash(_("The deviation and its action were recorded."), "success")
        return redirect(url_for(".goal", goal_id=goal.id, _anchor="deviations"))
    return render_template("goals/deviation.html", form=form, goal=goal)


@bp.route("/goals/kolada/import", methods=["GET", "POST"])
@require("goals.edit")
def kolada_import():
    """Import a Kolada download (table export or API answer), all or nothing (leads)."""
    form = KoladaImportForm()
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            saved = kolada.import_download(upload.read(), upload.filename or "")
        except TableErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(
                _(
                    "Kolada's figures were imported: %(values)d values of %(kpis)s.",
                    values=saved.values,
                    kpis=", ".join(saved.kpis),
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return render_template(
        "goals/kolada_import.html",
        form=form,
        errors=errors,
        kpis=services.kolada_kpis(),
        municipality=kolada.municipality_code(),
    )


@bp.get("/goals/report.<fmt>")
@require("goals.view")
def download(fmt: str):
    """The equality report of a year (default: last year) as PDF, Excel or JSON."""
    text = request.args.get("year", "")
    year = dt.date.today().year - 1
    if text:
        if not (text.isdecimal() and len(text) == 4):
            abort(404)
        year = int(text)
    result = build_follow_up(year=year)
    name = _("equality-report-%(year)d", year=year)
    if fmt == "pdf":
        body, mimetype = report.render_pdf(result), "application/pdf"
    elif fmt == "xlsx":
        body, mimetype = report.render_xlsx(result), XLSX
    elif fmt == "json":
        body = json.dumps(report.render_json(result), ensure_ascii=False, indent=1)
        mimetype = "application/json"
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
