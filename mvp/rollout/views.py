"""Pages of the rollout: every school's stage and readiness, a school's plan, the whole plan."""

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, require
from mvp.extensions import db
from mvp.rollout import imports, services
from mvp.rollout.charts import timeline
from mvp.rollout.forms import ImportForm, PlanForm, StageForm
from mvp.rollout.models import Stage
from mvp.rollout.plan import BANDS, rollout_summary
from mvp.rollout.readiness import ITEM_LABELS, Item, item_label
from mvp.rollout.services import PlanData, SchoolState, StageData
from mvp.rollout.stages import STAGE_DESCRIPTIONS, STAGE_LABELS, stage_label
from mvp.schools.years import format_school_year
from mvp.tabular import TableErrors
from mvp.validation import save_form
from mvp.versioning import track

bp = Blueprint("rollout", __name__)

# The audit log's words for this area's codes; a target year is a school year (2025/26).
audit_labels.register_values("school_rollout", "stage", STAGE_LABELS)
audit_labels.register_values("stage_change", "from_stage", STAGE_LABELS)
audit_labels.register_values("stage_change", "to_stage", STAGE_LABELS)
audit_labels.register_values("stage_change", "missing", ITEM_LABELS)
audit_labels.register_format("target_year", format_school_year)


def today() -> dt.date:
    """The day the rollout is judged on (a function, so that tests may fix it)."""
    return dt.date.today()


# Where each missing checklist item is put right: the first candidate whose page exists and
# that the user may open wins. Trainings, leaders and questionnaire waves are kept by other
# areas. (endpoint, permission, arguments, link text)
TRAININGS = ("mentors.trainings", "trainings.view", "school", _l("Register trainings"))
GROUPS = ("schools.detail", "schools.view", "groups", _l("See the school's pupil groups"))
FIX_LINKS = {
    Item.ANCHORING: [TRAININGS],
    Item.STAFF_HALF_DAY: [TRAININGS],
    Item.LEADERS: [("mentors.leaders", "leaders.view", "school", _l("See the school's leaders"))],
    Item.SUPERVISION: [TRAININGS],
    Item.GROUPS: [GROUPS],
    Item.BEFORE_WAVE: [
        ("surveys.index", "surveys.view", "school", _l("See the questionnaire waves")),
        GROUPS,
    ],
}


def fix_links(state: SchoolState) -> dict[str, tuple[str, str]]:
    """{item key: (address, link text)} of the pages where missing items are put right."""
    links = {}
    for key, candidates in FIX_LINKS.items():
        if state.readiness.is_done(key):
            continue
        for endpoint, permission, arguments, text in candidates:
            if not can(permission):
                continue
            if arguments == "groups":
                year = state.readiness.school_year
                values = {"school_id": state.school.id, "_anchor": "groups"}
                if year is not None:
                    values["year"] = format_school_year(year)
            else:
                values = {"school": state.school.id}
            links[key.value] = (url_for(endpoint, **values), str(text))
            break
    return links


@bp.get("/rollout/")
@require("rollout.view")
def index():
    """The schools the user may see, with their stage, target term and readiness."""
    stage = request.args.get("stage", "")
    if stage not in {s.value for s in Stage}:
        stage = ""
    day = today()
    states = services.school_states(current_user, day, stage=stage or None)
    return render_template(
        "rollout/index.html",
        states=states,
        stage=stage,
        stage_labels=STAGE_LABELS,
        today=day,
    )


@bp.get("/rollout/plan")
@require("rollout.plan")
def plan():
    """The municipality's rollout plan: terms, leaders to train, pupils reached, the goal."""
    summary = rollout_summary(today())
    return render_template(
        "rollout/plan.html",
        summary=summary,
        chart=timeline(summary),
        bands=BANDS,
        stage_labels=STAGE_LABELS,
    )


@bp.get("/rollout/schools/<int:school_id>")
@require("rollout.view")
def school(school_id: int):
    """A school's stage, plan, readiness checklist (with where to fix it) and history."""
    day = today()
    state = services.get_school_state(current_user, school_id, day)
    return render_template(
        "rollout/school.html",
        state=state,
        links=fix_links(state),
        history=services.stage_history(state.rollout),
        stage_descriptions=STAGE_DESCRIPTIONS,
        today=day,
    )


@bp.route("/rollout/schools/<int:school_id>/plan", methods=["GET", "POST"])
@require("rollout.manage")
def edit_plan(school_id: int):
    """Set the term the school's first round should start and who is responsible (leads)."""
    day = today()
    state = services.get_school_state(current_user, school_id, day)
    form = PlanForm(data={"target": state.target, "responsible": state.responsible})
    track(form, state.rollout)
    form.target.offer(day, state.target)
    if save_form(
        form,
        lambda: services.set_plan(
            state.school, PlanData(form.target.data, form.responsible.data or ""), day
        ),
    ):
        flash(_("The plan for %(name)s was saved.", name=state.school.name), "success")
        return redirect(url_for(".school", school_id=school_id))
    return render_template("rollout/plan_edit.html", form=form, state=state)


@bp.route("/rollout/schools/<int:school_id>/stage", methods=["GET", "POST"])
@require("rollout.manage")
def change_stage(school_id: int):
    """Move a school to another stage, with a reason where the rules ask for one (leads)."""
    day = today()
    state = services.get_school_state(current_user, school_id, day)
    form = track(StageForm(current_stage=state.stage), state.rollout)

    def change():
        data = StageData(form.stage.data, form.changed_on.data, form.reason.data or "")
        services.change_stage(state.school, data, actor=current_user, today=day)

    if save_form(form, change):
        flash(
            _(
                "%(name)s is now at the stage %(stage)s.",
                name=state.school.name,
                stage=STAGE_LABELS[Stage(form.stage.data)],
            ),
            "success",
        )
        return redirect(url_for(".school", school_id=school_id))
    return render_template(
        "rollout/stage.html",
        form=form,
        state=state,
        stage_descriptions=STAGE_DESCRIPTIONS,
        today=day,
    )


@bp.route("/rollout/import", methods=["GET", "POST"])
@require("schools.create")
def import_schools():
    """Import the municipality's school list from CSV or Excel, all or nothing (leads)."""
    form = ImportForm()
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = imports.import_schools(
                upload.read(), upload.filename or "", update_existing=form.update_existing.data
            )
        except TableErrors as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(
                _(
                    "The school list was imported: %(created)d schools added, %(updated)d updated.",
                    created=len(result.created),
                    updated=len(result.updated),
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return render_template(
        "rollout/import.html",
        form=form,
        errors=errors,
        header=imports.HEADER,
        required=imports.REQUIRED,
    )


@bp.get("/rollout/import/template.<fmt>")
@require("schools.create")
def import_template(fmt: str):
    """An empty school list to fill in, as CSV (semicolons, for Excel) or XLSX."""
    if fmt == "csv":
        body, mimetype = imports.template_csv(), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = imports.template_xlsx()
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    name = _("school-list")
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.app_template_global("stage_label")
def stage_label_global(stage: str | None) -> str:
    """The reader's name of a rollout stage, for every template."""
    return stage_label(stage)


@bp.app_template_global("checklist_item_label")
def checklist_item_label(key: str) -> str:
    """The reader's name of a readiness item, also for items recorded on old stage changes."""
    return item_label(key)
