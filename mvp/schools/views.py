"""Pages for schools and their pupil groups."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, require
from mvp.fields import ConfirmForm
from mvp.lessons.services import group_delivery
from mvp.schools import services
from mvp.schools.forms import GroupForm, SchoolForm
from mvp.schools.grades import ALL_GRADES
from mvp.schools.grades import KIND_LABELS as SCHOOL_KIND_LABELS
from mvp.schools.services import GroupData, SchoolData
from mvp.schools.years import (
    SchoolYearError,
    current_school_year,
    format_school_year,
    parse_school_year,
)
from mvp.surveys.services import list_waves
from mvp.validation import remove_confirmed, save_form
from mvp.versioning import track

bp = Blueprint("schools", __name__)

# The audit log's words for this area's codes; a school year is written 2025/26 everywhere.
audit_labels.register_values("school", "kind", SCHOOL_KIND_LABELS)
audit_labels.register_format("school_year", format_school_year)


def selected_school_year() -> int:
    """The school year chosen with ?year=2025/26, else the current one."""
    try:
        return parse_school_year(request.args.get("year", ""))
    except SchoolYearError:
        return current_school_year()


def _school_data(form: SchoolForm) -> SchoolData:
    return SchoolData(
        name=form.name.data,
        kind=form.kind.data,
        principal_name=form.principal_name.data,
        principal_email=form.principal_email.data,
        pupils_by_grade=form.pupils_by_grade(),
        active=form.active.data,
    )


def _group_data(form: GroupForm) -> GroupData:
    return GroupData(
        school_year=form.school_year.data,
        name=form.name.data,
        grade=form.grade.data,
        girls=form.girls.data,
        boys=form.boys.data,
        others=form.others.data,
    )


@bp.get("/schools/")
@require("schools.view")
def index():
    """The schools the user may see, with this year's groups and pupils."""
    year = selected_school_year()
    return render_template(
        "schools/index.html",
        schools=services.list_schools(current_user),
        counts=services.group_counts_by_school(current_user, year),
        year=year,
        years=services.school_years_in_use(current_user),
    )


@bp.route("/schools/new", methods=["GET", "POST"])
@require("schools.create")
def new():
    """Add a school (project leads)."""
    form = SchoolForm()
    school = save_form(form, lambda: services.create_school(_school_data(form)))
    if school:
        flash(_("The school %(name)s was added.", name=school.name), "success")
        return redirect(url_for(".detail", school_id=school.id))
    return render_template("schools/new.html", form=form)


@bp.get("/schools/<int:school_id>")
@require("schools.view")
def detail(school_id: int):
    """A school, its pupils per grade and its groups in the chosen year; 404 outside scope."""
    school = services.get_school(current_user, school_id)
    year = selected_school_year()
    return render_template(
        "schools/detail.html",
        school=school,
        groups=services.list_groups(current_user, year, school_id=school.id),
        year=year,
        years=services.school_years_in_use(current_user),
    )


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@require("schools.edit")
def edit(school_id: int):
    """Change a school's details; coordinators only their own schools."""
    school = services.get_school(current_user, school_id)
    form = track(SchoolForm(obj=school), school)
    if request.method == "GET":
        for grade in ALL_GRADES:
            getattr(form, f"grade_{grade}").data = school.pupils_in(grade) or None
    if save_form(form, lambda: services.update_school(school, _school_data(form))):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".detail", school_id=school.id))
    return render_template("schools/edit.html", form=form, school=school)


@bp.get("/groups/")
@require("groups.view")
def groups():
    """Pupil groups of one school year (the current one unless chosen), optionally one school."""
    year = selected_school_year()
    school_id = request.args.get("school", type=int)
    return render_template(
        "schools/groups.html",
        groups=services.list_groups(current_user, year, school_id=school_id),
        schools=services.list_schools(current_user),
        school_id=school_id,
        year=year,
        years=services.school_years_in_use(current_user),
    )


@bp.route("/schools/<int:school_id>/groups/new", methods=["GET", "POST"])
@require("groups.edit")
def group_new(school_id: int):
    """Add a pupil group to a school."""
    school = services.get_school(current_user, school_id)
    form = GroupForm()
    form.set_grades(school.grades)
    if request.method == "GET":
        form.school_year.data = selected_school_year()
    group = save_form(form, lambda: services.create_group(school, _group_data(form)))
    if group:
        flash(_("The group %(name)s was added.", name=group.name), "success")
        return redirect(url_for(".group_detail", group_id=group.id))
    return render_template("schools/group_new.html", form=form, school=school)


@bp.get("/groups/<int:group_id>")
@require("groups.view")
def group_detail(group_id: int):
    """One pupil group with its lesson plan, leader pair, lessons held and fidelity.

    404 outside the user's scope.
    """
    group = services.get_group(current_user, group_id)
    return render_template(
        "schools/group_detail.html",
        group=group,
        can_edit=can("groups.edit"),
        can_record=can("lessons.record"),
        delivery=group_delivery(group),
        saved_lesson_id=request.args.get("saved", type=int),
        waves=(
            list_waves(current_user, group.school_year, group_id=group.id)
            if can("surveys.view")
            else None
        ),
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@require("groups.edit")
def group_edit(group_id: int):
    """Change a pupil group."""
    group = services.get_group(current_user, group_id)
    form = track(GroupForm(obj=group), group)
    form.set_grades(group.school.grades)
    if save_form(form, lambda: services.update_group(group, _group_data(form))):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".group_detail", group_id=group.id))
    return render_template("schools/group_edit.html", form=form, group=group)


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@require("groups.edit")
def group_delete(group_id: int):
    """Ask, then remove a pupil group."""
    group = services.get_group(current_user, group_id)
    form = ConfirmForm()
    school_id, name = group.school_id, group.name
    removed = remove_confirmed(form, lambda: services.delete_group(group))
    if removed is False:
        return redirect(url_for(".group_detail", group_id=group_id))
    if removed:
        flash(_("The group %(name)s was removed.", name=name), "success")
        return redirect(url_for(".detail", school_id=school_id))
    return render_template("schools/group_delete.html", form=form, group=group)
