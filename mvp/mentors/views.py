"""Pages for MVP leaders and their trainings."""

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mvp.audit import labels as audit_labels
from mvp.auth.permissions import can, require, school_scope
from mvp.fields import ConfirmForm
from mvp.mentors import labels, services
from mvp.mentors.forms import (
    LeaderForm,
    TrainingForm,
    participants_form,
    school_choices,
    school_id_of,
)
from mvp.mentors.services import ATTENDED, NOT_REGISTERED, REGISTERED, LeaderData, TrainingData
from mvp.schools.services import list_schools, school_years_in_use
from mvp.schools.years import current_school_year, parse_school_year
from mvp.validation import remove_confirmed, save_form
from mvp.versioning import track

bp = Blueprint("mentors", __name__)

# The audit log's words for this area's codes.
audit_labels.register_values("leader", "role", labels.ROLE_LABELS)
audit_labels.register_values("leader", "sex", labels.SEX_LABELS)
audit_labels.register_values("training", "kind", labels.KIND_LABELS)


@bp.record_once
def register_template_helpers(state) -> None:
    """Label helpers for leaders and trainings, in every template (macros included)."""
    state.app.jinja_env.globals.update(
        leader_role_label=labels.leader_role_label,
        sex_label=labels.sex_label,
        training_kind_label=labels.training_kind_label,
    )


def _school_choices(*, central: bool):
    """The schools the user may file leaders and trainings under; central for leads only."""
    schools = list_schools(current_user, include_inactive=False)
    label = _("Central (no school)") if central and school_scope(current_user) is None else None
    return school_choices(schools, central_label=label)


def _school_filter_arg() -> tuple[int | None, bool]:
    """?school=<id> or ?school=central from a list's filter."""
    value = request.args.get("school", "")
    if value == "central":
        return None, True
    return (int(value), False) if value.isdecimal() else (None, False)


# --- leaders ---------------------------------------------------------------------------------


def _leader_data(form: LeaderForm) -> LeaderData:
    return LeaderData(
        name=form.name.data,
        email=form.email.data or "",
        school_id=school_id_of(form.school_id.data),
        role=form.role.data,
        sex=form.sex.data,
        active=form.active.data,
    )


@bp.get("/leaders/")
@require("leaders.view")
def leaders():
    """MVP leaders the user may see, with training status, supervision and this year's groups."""
    school_id, central = _school_filter_arg()
    show_inactive = request.args.get("inactive") == "1"
    leaders = services.list_leaders(
        current_user, school_id=school_id, central=central, include_inactive=show_inactive
    )
    ids = [leader.id for leader in leaders]
    statuses = services.training_statuses(ids)
    year = current_school_year()
    return render_template(
        "mentors/leaders.html",
        leaders=leaders,
        statuses=statuses,
        groups=services.pair_counts(ids, year),
        summary=services.leaders_by_sex(leaders, statuses),
        schools=list_schools(current_user),
        school_id=school_id,
        central=central,
        show_inactive=show_inactive,
        year=year,
    )


@bp.route("/leaders/new", methods=["GET", "POST"])
@require("leaders.edit")
def leader_new():
    """Add an MVP leader (coordinators: to their own schools)."""
    form = LeaderForm()
    form.school_id.choices = _school_choices(central=True)
    if request.method == "GET" and request.args.get("school", "").isdecimal():
        form.school_id.data = request.args["school"]
    leader = save_form(form, lambda: services.create_leader(_leader_data(form), user=current_user))
    if leader:
        flash(_("%(name)s was added as an MVP leader.", name=leader.name), "success")
        return redirect(url_for(".leader_detail", leader_id=leader.id))
    return render_template("mentors/leader_new.html", form=form)


@bp.get("/leaders/<int:leader_id>")
@require("leaders.view")
def leader_detail(leader_id: int):
    """A leader: details, training status, groups, lessons led and trainings."""
    leader = services.get_leader(current_user, leader_id)
    lessons_total, lessons = services.lessons_led(current_user, leader)
    return render_template(
        "mentors/leader_detail.html",
        leader=leader,
        status=services.training_statuses([leader.id])[leader.id],
        groups=services.leader_groups(current_user, leader),
        lessons_total=lessons_total,
        lessons=lessons,
        participations=services.leader_trainings(leader),
        can_change=can("leaders.edit") and services.can_change_leader(current_user, leader),
    )


def _changeable_leader(leader_id: int):
    leader = services.get_leader(current_user, leader_id)
    if not services.can_change_leader(current_user, leader):
        abort(403)
    return leader


@bp.route("/leaders/<int:leader_id>/edit", methods=["GET", "POST"])
@require("leaders.edit")
def leader_edit(leader_id: int):
    """Change a leader's details; central leaders only by project leads."""
    leader = _changeable_leader(leader_id)
    form = track(LeaderForm(obj=leader), leader)
    form.school_id.choices = _school_choices(central=True)
    if request.method == "GET":
        form.school_id.data = str(leader.school_id or "")
    if save_form(
        form, lambda: services.update_leader(leader, _leader_data(form), user=current_user)
    ):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".leader_detail", leader_id=leader.id))
    return render_template("mentors/leader_edit.html", form=form, leader=leader)


@bp.route("/leaders/<int:leader_id>/delete", methods=["GET", "POST"])
@require("leaders.edit")
def leader_delete(leader_id: int):
    """Ask, then remove a leader who has led no lessons."""
    leader = _changeable_leader(leader_id)
    form = ConfirmForm()
    name = leader.name
    removed = remove_confirmed(form, lambda: services.delete_leader(leader))
    if removed is False:
        return redirect(url_for(".leader_detail", leader_id=leader_id))
    if removed:
        flash(_("%(name)s was removed.", name=name), "success")
        return redirect(url_for(".leaders"))
    return render_template(
        "mentors/leader_delete.html",
        form=form,
        leader=leader,
        groups=services.leader_groups(current_user, leader),
    )


# --- trainings -------------------------------------------------------------------------------


def _training_data(form: TrainingForm) -> TrainingData:
    return TrainingData(
        kind=form.kind.data,
        title=form.title.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        hours=form.hours.data,
        school_id=school_id_of(form.school_id.data),
        trainer=form.trainer.data or "",
        other_attendees=form.other_attendees.data,
        notes=form.notes.data or "",
    )


def _selected_year() -> int | None:
    try:
        return parse_school_year(request.args.get("year", ""))
    except ValueError:
        return None


@bp.get("/trainings/")
@require("trainings.view")
def trainings():
    """Trainings the user may see, newest first, filtered by school, kind and school year."""
    school_id, central = _school_filter_arg()
    kind = request.args.get("kind") if request.args.get("kind") in labels.KIND_LABELS else None
    year = _selected_year()
    return render_template(
        "mentors/trainings.html",
        rows=services.list_trainings(
            current_user, school_id=school_id, central=central, kind=kind, school_year=year
        ),
        schools=list_schools(current_user),
        school_id=school_id,
        central=central,
        kind=kind,
        kinds=labels.KIND_LABELS,
        year=year,
        years=school_years_in_use(current_user),
    )


@bp.route("/trainings/new", methods=["GET", "POST"])
@require("trainings.edit")
def training_new():
    """Enter a training (coordinators: at their own schools)."""
    form = TrainingForm()
    form.school_id.choices = _school_choices(central=True)
    if request.method == "GET":
        kind = request.args.get("kind")
        if kind in labels.KIND_LABELS:
            form.kind.data = kind
        form.hours.data = labels.TYPICAL_HOURS.get(form.kind.data or "anchoring")
        if request.args.get("school", "").isdecimal():
            form.school_id.data = request.args["school"]
    training = save_form(
        form, lambda: services.create_training(_training_data(form), user=current_user)
    )
    if training:
        flash(_("The training was added. Now register its participants."), "success")
        return redirect(url_for(".training_participants", training_id=training.id))
    return render_template("mentors/training_new.html", form=form)


@bp.get("/trainings/<int:training_id>")
@require("trainings.view")
def training_detail(training_id: int):
    """A training and its participants (those the user may see)."""
    training = services.get_training(current_user, training_id)
    return render_template(
        "mentors/training_detail.html",
        training=training,
        participants=services.training_participants(current_user, training),
        can_change=can("trainings.edit") and services.can_change_training(current_user, training),
    )


def _changeable_training(training_id: int):
    training = services.get_training(current_user, training_id)
    if not services.can_change_training(current_user, training):
        abort(403)
    return training


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"])
@require("trainings.edit")
def training_edit(training_id: int):
    """Change a training's details."""
    training = _changeable_training(training_id)
    form = track(TrainingForm(obj=training), training)
    form.school_id.choices = _school_choices(central=True)
    if request.method == "GET":
        form.school_id.data = str(training.school_id or "")
    if save_form(
        form, lambda: services.update_training(training, _training_data(form), user=current_user)
    ):
        flash(_("The changes were saved."), "success")
        return redirect(url_for(".training_detail", training_id=training.id))
    return render_template("mentors/training_edit.html", form=form, training=training)


@bp.route("/trainings/<int:training_id>/participants", methods=["GET", "POST"])
@require("trainings.edit")
def training_participants(training_id: int):
    """Register leaders for a training and mark who attended, in one table."""
    training = _changeable_training(training_id)
    leaders = services.eligible_participants(current_user, training)
    current = {p.leader_id: ATTENDED if p.attended else REGISTERED for p in training.participants}
    form = track(
        participants_form(leaders, current),
        training,
        values=lambda t: (
            {f"leader_{leader.id}": NOT_REGISTERED for leader in leaders}
            | {
                f"leader_{p.leader_id}": ATTENDED if p.attended else REGISTERED
                for p in t.participants
            }
        ),
    )

    def statuses() -> dict:
        return {leader.id: form[f"leader_{leader.id}"].data for leader in leaders}

    if save_form(form, lambda: services.set_participants(current_user, training, statuses())):
        flash(_("The participants were saved."), "success")
        return redirect(url_for(".training_detail", training_id=training.id))
    return render_template(
        "mentors/training_participants.html",
        form=form,
        training=training,
        leaders=leaders,
        not_yet=training.starts_on > dt.date.today(),
        not_registered=NOT_REGISTERED,
    )


@bp.route("/trainings/<int:training_id>/delete", methods=["GET", "POST"])
@require("trainings.edit")
def training_delete(training_id: int):
    """Ask, then remove a training and its participants."""
    training = _changeable_training(training_id)
    form = ConfirmForm()
    if remove_confirmed(form, lambda: services.delete_training(training)):
        flash(_("The training was removed."), "success")
        return redirect(url_for(".trainings"))
    return render_template("mentors/training_delete.html", form=form, training=training)
