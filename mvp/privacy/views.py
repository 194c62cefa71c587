"""The data protection officer's pages (administrators): delete answers, export a staff
account's data, erase expired linkage codes."""

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from mvp.auth import services as auth_services
from mvp.auth.models import User
from mvp.auth.permissions import require
from mvp.extensions import db
from mvp.fields import ConfirmForm
from mvp.privacy import retention, services
from mvp.schools.years import format_school_year
from mvp.surveys.labels import phase_label
from mvp.surveys.models import Wave

bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")


@bp.get("/")
@require("privacy.manage")
def index():
    """Answers per school year, staff accounts to export, and the linkage codes to erase."""
    return render_template(
        "privacy/index.html",
        years=services.answer_years(),
        users=auth_services.list_users(),
        erasure=retention.expired_codes(),
        months=retention.retention_months(),
        form=ConfirmForm(),
    )


@bp.get("/years/<int:year>")
@require("privacy.manage")
def year(year: int):
    """A school year's waves with their numbers of answers."""
    waves = services.waves_of_year(year)
    if not waves:
        abort(404)
    return render_template(
        "privacy/year.html",
        year=year,
        year_text=format_school_year(year),
        waves=waves,
        phase_label=phase_label,
    )


def _confirm_and_delete(deletion, scope: str, cancel_url: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        deleted = services.delete_answers(deletion, scope=scope)
        db.session.commit()
        flash(_("%(n)d answers were deleted.", n=deleted), "success")
        return redirect(url_for(".index"))
    return render_template(
        "privacy/delete_answers.html",
        deletion=deletion,
        scope=scope,
        form=form,
        cancel_url=cancel_url,
        suppression_min=current_app.config["SUPPRESSION_MIN"],
    )


@bp.route("/years/<int:year>/delete", methods=["GET", "POST"])
@require("privacy.manage")
def year_delete(year: int):
    """Confirm, then delete every answer of a school year's groups."""
    deletion = services.year_deletion(year)
    if not deletion.wave_ids:
        abort(404)
    return _confirm_and_delete(deletion, "school_year", url_for(".year", year=year))


@bp.route("/waves/<int:wave_id>/delete", methods=["GET", "POST"])
@require("privacy.manage")
def wave_delete(wave_id: int):
    """Confirm, then delete one wave's answers (the wave itself stays)."""
    wave = db.get_or_404(Wave, wave_id)
    deletion = services.wave_deletion(wave)
    return _confirm_and_delete(deletion, "wave", url_for(".year", year=deletion.school_year))


@bp.get("/users/<int:user_id>/export")
@require("privacy.manage")
def user_export(user_id: int):
    """Everything stored about a staff account, as a JSON file (the export is logged)."""
    user = db.get_or_404(User, user_id)
    data = services.staff_export(user)
    services.log_export(user)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="account-{user.id}.json"'},
    )


@bp.post("/codes/erase")
@require("privacy.manage")
def erase_codes():
    """Erase the linkage codes that have passed the retention time."""
    if ConfirmForm().validate_on_submit():
        erased = retention.erase_expired_codes()
        db.session.commit()
        flash(_("The linkage codes of %(n)d answers were erased.", n=erased), "success")
    return redirect(url_for(".index"))
