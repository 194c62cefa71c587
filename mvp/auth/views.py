"""Signing in and out, the user's own account, and the administrators' user management."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from mvp.audit import labels as audit_labels
from mvp.audit.actor import set_actor
from mvp.auth import idle, services, throttle
from mvp.auth.forms import ChangePasswordForm, LoginForm, UserForm
from mvp.auth.models import User
from mvp.auth.permissions import require
from mvp.auth.roles import ROLE_LABELS
from mvp.extensions import db, limiter, login_manager
from mvp.fields import ConfirmForm
from mvp.kept_input import KEPT_INPUT
from mvp.schools.services import list_schools
from mvp.staff_training.services import list_administrations
from mvp.urls import safe_next
from mvp.validation import save_form
from mvp.versioning import track

bp = Blueprint("auth", __name__)

# The audit log's words for this area's codes.
audit_labels.register_values("user", "role", ROLE_LABELS)
audit_labels.register_values("user", "locale", {"sv": "Svenska", "en": "English"})

# Pages a user who must change a temporary password may still reach.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {
    "auth.account",
    "auth.logout",
    "auth.logout_everywhere",
    "main.language",
    "main.accessibility",
    "static",
}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id "id:token"; a changed token (new password) ends old sessions."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdecimal():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.login_token != token:
        return None
    return user


# Runs before the password-change check, so an idle session is ended first.
bp.before_app_request(idle.end_idle_session)


@bp.before_app_request
def require_password_change():
    """Send a user with a temporary password to the page where they choose their own."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in _ALLOWED_BEFORE_PASSWORD_CHANGE
    ):
        flash(_("Choose a password of your own before you continue."), "info")
        return redirect(url_for("auth.account"))
    return None


@bp.route("/login", methods=["GET", "POST"])
# Failed attempts are throttled per address and per address + account (mvp.auth.throttle).
@limiter.limit(throttle.login_address_limit, methods=["POST"], deduct_when=throttle.failed_login)
@limiter.limit(
    throttle.login_limit,
    methods=["POST"],
    deduct_when=throttle.failed_login,
    key_func=throttle.address_and_account_key,
)
def login():
    """Sign in with e-mail and password; the error never tells whether the account exists."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("Wrong e-mail address or password."))
        else:
            chosen_language = session.get("lang")
            kept = session.get(KEPT_INPUT)  # what was typed when the last session ended
            session.clear()  # a fresh session on sign-in: nothing carried over from before
            if kept:
                session[KEPT_INPUT] = kept
            login_user(user)
            set_actor(user)
            if user.locale or chosen_language:
                session["lang"] = user.locale or chosen_language
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    """Sign out (a POST with the form's CSRF token, so no other site can sign you out).

    Every session of the account ends, so a copy of the session cookie stops working too.
    """
    if current_user.is_authenticated:
        idle.end_every_session(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of one's own account: other browsers, devices, copied cookies."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    idle.end_every_session(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have been logged out everywhere."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own account: change password."""
    form = ChangePasswordForm()
    if save_form(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data
        ),
    ):
        # The new token ends other sessions; sign this one in again with it.
        login_user(current_user._get_current_object())
        flash(_("Your password was changed."), "success")
        return redirect(url_for("main.index"))
    return render_template("auth/account.html", form=form, everywhere_form=ConfirmForm())


# --- administrators ------------------------------------------------------------------------


@bp.get("/admin/users")
@require("users.manage")
def users():
    """Every account (administrators)."""
    return render_template("auth/users.html", users=services.list_users())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require("users.manage")
def user_new():
    """Create an account; its temporary password is shown once, never sent or stored in clear."""
    form = UserForm()
    form.set_schools(list_schools(current_user))
    form.set_administrations(list_administrations(current_user))
    created = save_form(
        form,
        lambda: services.create_user(
            email=form.email.data,
            role=form.role.data,
            name=form.name.data,
            school_ids=form.schools.data,
            administration_ids=form.administrations.data,
        ),
    )
    if created:
        user, password = created
        return render_template(
            "auth/password_shown.html", user=user, password=password, created=True
        )
    return render_template("auth/user_new.html", form=form)


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@require("users.manage")
def user_edit(user_id: int):
    """Change an account's role, schools and whether it is active."""
    user = db.get_or_404(User, user_id)
    form = track(UserForm(obj=user), user)
    form.set_schools(list_schools(current_user))
    form.set_administrations(list_administrations(current_user))
    if request.method == "GET":
        form.schools.data = [school.id for school in user.schools]
        form.administrations.data = [a.id for a in user.administrations]
    if save_form(
        form,
        lambda: services.update_user(
            user,
            email=form.email.data,
            role=form.role.data,
            name=form.name.data,
            school_ids=form.schools.data,
            administration_ids=form.administrations.data,
            active=form.active.data,
            actor=current_user,
        ),
    ):
        flash(_("The account %(email)s was saved.", email=user.email), "success")
        return redirect(url_for(".users"))
    return render_template(
        "auth/user_edit.html", form=form, user=user, everywhere_form=ConfirmForm()
    )


@bp.post("/admin/users/<int:user_id>/logout-everywhere")
@require("users.manage")
def user_logout_everywhere(user_id: int):
    """End every session of an account (a lost phone, a shared computer left signed in)."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    idle.end_every_session(user)
    db.session.commit()
    if user.id == current_user.id:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    flash(_("%(email)s was logged out everywhere.", email=user.email), "success")
    return redirect(url_for(".user_edit", user_id=user.id))


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@require("users.manage")
def user_reset_password(user_id: int):
    """Ask, then give the account a new temporary password, shown once."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        password = services.reset_password(user)
        db.session.commit()
        return render_template(
            "auth/password_shown.html", user=user, password=password, created=False
        )
    if request.method == "POST":
        abort(400)
    return render_template("auth/user_reset_password.html", form=form, user=user)
