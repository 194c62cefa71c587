"""Pages for lesson plans, a group's plan and leader pair, held lessons and fidelity."""

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, require
from mvp.fields import ConfirmForm
from mvp.lessons import services
from mvp.lessons.fidelity import load_fidelity, suppressed_attendance
from mvp.lessons.forms import DELIVERY_LABELS, LessonForm, PlanForm, SetupForm, optional_id
from mvp.lessons.services import LessonData, PlanData, SetupData
from mvp.mentors.services import leader_options, training_statuses
from mvp.schools import services as school_services
from mvp.schools.views import selected_school_year
from mvp.schools.years import current_school_year
from mvp.validation import remove_confirmed, save_form
from mvp.versioning import track

bp = Blueprint("lessons", __name__)

# The audit log's words for this area's codes.
audit_labels.register_values("lesson", "delivered", DELIVERY_LABELS)


def attendance_shown(figures) -> dict:
    """Attendance rates by sex as the reader may see them.

    Readers of aggregates only (viewers) get small groups suppressed. Staff see the rates
    exactly: they can read every lesson's attendance on the group pages anyway, so hiding
    them would protect nobody (the overview follows the same rule).
    """
    min_n = 0 if can("fidelity.details") else current_app.config["SUPPRESSION_MIN"]
    return suppressed_attendance(figures, min_n)


def delivery_label(value: str) -> str:
    """The reader's words for fully, partly or not as planned."""
    return str(DELIVERY_LABELS.get(value, value))


@bp.record_once
def register_template_helpers(state) -> None:
    """Helpers for every template (macros included), the group page among them."""
    state.app.jinja_env.globals.update(
        attendance_shown=attendance_shown, delivery_label=delivery_label
    )


# --- lesson plans --------------------------------------------------------------------------------


def _plan_data(form: PlanForm) -> PlanData:
    return PlanData(
        name=form.name.data,
        description=form.description.data or "",
        themes=(form.themes.data or "").splitlines(),
        active=form.active.data,
    )


@bp.get("/plans/")
@require("plans.view")
def plans():
    """Every lesson plan, with its lessons and how many groups follow it."""
    year = current_school_year()
    return render_template("lessons/plans.html", rows=services.list_plans(year), year=year)


@bp.route("/plans/new", methods=["GET", "POST"])
@require("plans.edit")
def plan_new():
    """Add a lesson plan (project leads)."""
    form = PlanForm()
    plan = save_form(form, lambda: services.create_plan(_plan_data(form)))
    if plan:
        flash(_("The lesson plan %(name)s was added.", name=plan.name), "success")
        return redirect(url_for(".plan_detail", plan_id=plan.id))
    return render_template("lessons/plan_new.html", form=form)


@bp.get("/plans/<int:plan_id>")
@require("plans.view")
def plan_detail(plan_id: int):
    """A lesson plan and its lessons."""
    plan = services.get_plan(plan_id)
    return render_template(
        "lessons/plan_detail.html", plan=plan, followers=services.count_plan_groups(plan.id)
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@require("plans.edit")
def plan_edit(plan_id: int):
    """Change a plan's name, description, lessons or whether it is offered."""
    plan = services.get_plan(plan_id)
    form = track(PlanForm(obj=plan), plan)
    if request.method == "GET":
        form.themes.data = "\n".join(lesson.theme for lesson in plan.lessons)
    if save_form(form, lambda: services.update_plan(plan, _plan_data(form))):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".plan_detail", plan_id=plan.id))
    return render_template("lessons/plan_edit.html", form=form, plan=plan)


@bp.route("/plans/<int:plan_id>/delete", methods=["GET", "POST"])
@require("plans.edit")
def plan_delete(plan_id: int):
    """Ask, then remove a lesson plan that no group follows."""
    plan = services.get_plan(plan_id)
    form = ConfirmForm()
    name = plan.name
    removed = remove_confirmed(form, lambda: services.delete_plan(plan))
    if removed is False:
        return redirect(url_for(".plan_detail", plan_id=plan_id))
    if removed:
        flash(_("The lesson plan %(name)s was removed.", name=name), "success")
        return redirect(url_for(".plans"))
    return render_template("lessons/plan_delete.html", form=form, plan=plan)


# --- a group's plan and leader pair -----------------------------------------------------------


@bp.route("/groups/<int:group_id>/delivery", methods=["GET", "POST"])
@require("lessons.record")
def group_setup(group_id: int):
    """Choose a group's lesson plan and its leader pair."""
    group = school_services.get_group(current_user, group_id)
    form = track(SetupForm(), group)
    form.set_options(
        services.plan_options(group.curriculum_id),
        leader_options(group.school_id, keep=(group.leader_1_id, group.leader_2_id)),
    )
    if request.method == "GET":
        plan_id = group.curriculum_id or services.suggested_plan_id(group.grade)
        form.curriculum_id.data = str(plan_id or "")
        form.leader_1_id.data = str(group.leader_1_id or "")
        form.leader_2_id.data = str(group.leader_2_id or "")

    def setup() -> SetupData:
        return SetupData(
            curriculum_id=optional_id(form.curriculum_id.data),
            leader_1_id=optional_id(form.leader_1_id.data),
            leader_2_id=optional_id(form.leader_2_id.data),
        )

    if save_form(form, lambda: services.update_setup(group, setup())):
        flash(_("The lesson plan and leader pair were saved."), "success")
        return redirect(url_for("schools.group_detail", group_id=group.id))
    return render_template("lessons/group_setup.html", form=form, group=group)


# --- held lessons ------------------------------------------------------------------------------


def _lesson_data(form: LessonForm) -> LessonData:
    return LessonData(
        number=form.number.data,
        is_repeat=form.is_repeat.data,
        held_on=form.held_on.data,
        minutes=form.minutes.data,
        leader_ids=list(form.leader_ids.data or []),
        girls_present=form.girls_present.data,
        boys_present=form.boys_present.data,
        others_present=form.others_present.data,
        half_groups=form.half_groups.data,
        single_sex=form.single_sex.data,
        delivered=form.delivered.data,
        adaptation=form.adaptation.data or "",
        notes=form.notes.data or "",
    )


def _lesson_form(group, lesson=None) -> tuple[LessonForm, services.GroupDelivery]:
    delivery = services.group_delivery(group)
    form = track(LessonForm(obj=lesson), lesson)
    held = {row.number: row.held.held_on for row in delivery.grid if row.held is not None}
    keep = [leader.id for leader in lesson.leaders] if lesson else []
    form.set_options(
        delivery.plan_lessons,
        held,
        leader_options(group.school_id, keep=[*keep, group.leader_1_id, group.leader_2_id]),
    )
    return form, delivery


def _saved_lesson_url(lesson) -> str:
    """The group's page scrolled to the saved lesson's row, which is marked as just saved; the
    confirmation then stays at the top of the window beside it (a sticky message)."""
    return (
        url_for("schools.group_detail", group_id=lesson.group_id, saved=lesson.id)
        + f"#lesson-{lesson.id}"
    )


@bp.route("/groups/<int:group_id>/lessons/new", methods=["GET", "POST"])
@require("lessons.record")
def lesson_new(group_id: int):
    """Record a held lesson: the next one of the plan unless another is chosen."""
    group = school_services.get_group(current_user, group_id)
    if group.curriculum_id is None:
        flash(_("Choose a lesson plan for the group first."), "warning")
        return redirect(url_for(".group_setup", group_id=group.id))
    form, delivery = _lesson_form(group)
    if request.method == "GET":
        number = request.args.get("number", type=int) or delivery.next_number or 1
        form.number.data = number
        form.is_repeat.data = number in delivery.fidelity.held_numbers
        form.held_on.data = dt.date.today()
        form.minutes.data = 60
        form.leader_ids.data = [leader.id for leader in group.leader_pair]
        form.girls_present.data = group.girls
        form.boys_present.data = group.boys
        form.others_present.data = group.others
    lesson = save_form(form, lambda: services.create_lesson(group, _lesson_data(form)))
    if lesson:
        flash(_("Lesson %(number)d was recorded.", number=lesson.number), "success")
        return redirect(_saved_lesson_url(lesson))
    return render_template("lessons/lesson_new.html", form=form, group=group, delivery=delivery)


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@require("lessons.record")
def lesson_edit(lesson_id: int):
    """Change a recorded lesson."""
    lesson = services.get_lesson(current_user, lesson_id)
    group = lesson.group
    form, delivery = _lesson_form(group, lesson)
    if request.method == "GET":
        form.leader_ids.data = [leader.id for leader in lesson.leaders]
    if save_form(form, lambda: services.update_lesson(lesson, _lesson_data(form))):
        flash(_("The changes were saved."), "success")
        return redirect(_saved_lesson_url(lesson))
    return render_template(
        "lessons/lesson_edit.html", form=form, group=group, lesson=lesson, delivery=delivery
    )


@bp.route("/lessons/<int:lesson_id>/delete", methods=["GET", "POST"])
@require("lessons.record")
def lesson_delete(lesson_id: int):
    """Ask, then remove a recorded lesson."""
    lesson = services.get_lesson(current_user, lesson_id)
    group = lesson.group
    form = ConfirmForm()
    number = lesson.number
    removed = remove_confirmed(form, lambda: services.delete_lesson(lesson))
    if removed:
        flash(_("Lesson %(number)d was removed.", number=number), "success")
    if removed is not None:
        return redirect(url_for("schools.group_detail", group_id=group.id) + "#lesson-plan")
    return render_template("lessons/lesson_delete.html", form=form, lesson=lesson, group=group)


# --- fidelity ----------------------------------------------------------------------------------


@bp.get("/fidelity/")
@require("fidelity.view")
def fidelity():
    """Fidelity per school and for the programme; staff also see the groups behind pace."""
    year = selected_school_year()
    return render_template(
        "lessons/fidelity.html",
        programme=load_fidelity(current_user, year),
        year=year,
        years=school_services.school_years_in_use(current_user),
        details=can("fidelity.details"),
    )


@bp.get("/fidelity/schools/<int:school_id>")
@require("fidelity.details")
def fidelity_school(school_id: int):
    """One school's fidelity: every group, and its leaders' supervision and lessons led."""
    school = school_services.get_school(current_user, school_id)
    year = selected_school_year()
    programme = load_fidelity(current_user, year, school_id=school.id, with_leaders=True)
    return render_template(
        "lessons/fidelity_school.html",
        school=school,
        programme=programme,
        statuses=training_statuses([leader.leader_id for leader in programme.leaders]),
        year=year,
        years=school_services.school_years_in_use(current_user),
    )
