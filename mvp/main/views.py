"""The overview, language choice, accessibility statement and health check."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from mvp.auth import services as auth_services
from mvp.auth.permissions import require
from mvp.extensions import db, limiter
from mvp.fields import ConfirmForm
from mvp.main import services
from mvp.main.attention import attention
from mvp.main.forms import AccessibilityReportForm
from mvp.schools.services import school_years_in_use
from mvp.schools.views import selected_school_year
from mvp.schools.years import current_school_year
from mvp.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Key figures of the chosen school year within the user's scope; visitors go to log in."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    year = selected_school_year()
    # What needs doing is about now: shown for the current school year only.
    todo = attention(current_user, year) if year == current_school_year() else None
    return render_template(
        "main/index.html",
        overview=services.overview(current_user, year),
        years=school_years_in_use(current_user),
        attention=todo,
    )


@bp.post("/language")
def language():
    """Switch the interface language; a signed-in user's choice is remembered."""
    lang = request.form.get("lang")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        auth_services.set_locale(current_user, lang)
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))


@bp.route("/accessibility", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def accessibility():
    """The accessibility statement (tillgänglighetsredogörelse) and the form to report a problem."""
    form = AccessibilityReportForm()
    if form.validate_on_submit():
        services.report_accessibility_problem(
            form.description.data, form.page.data, form.contact.data
        )
        db.session.commit()
        flash(_("Thank you. Your report has been sent to the administrators."), "success")
        return redirect(url_for(".accessibility"))
    return render_template("main/accessibility.html", form=form)


@bp.get("/admin/feedback")
@require("feedback.view")
def feedback():
    """Reported accessibility problems (administrators)."""
    return render_template(
        "main/feedback.html", reports=services.list_accessibility_reports(), form=ConfirmForm()
    )


@bp.post("/admin/feedback/<int:report_id>/handled")
@require("feedback.view")
def feedback_handled(report_id: int):
    """Mark a reported problem as handled."""
    if ConfirmForm().validate_on_submit():
        if services.mark_report_handled(report_id) is None:
            abort(404)
        db.session.commit()
        flash(_("The report was marked as handled."), "success")
    return redirect(url_for(".feedback"))


@bp.get("/admin/")
@require("users.manage")
def administration():
    """The administrators' pages: accounts, reported accessibility problems, the audit log."""
    return render_template("main/administration.html")


@bp.get("/healthz")
def health():
    """For load balancers: 200 when the database answers."""
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
