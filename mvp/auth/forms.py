"""Forms for signing in, the user's own account and the administrators' user management."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from mvp.auth.roles import ROLE_LABELS
from mvp.fields import MultiCheckboxField, choices
from mvp.forms_base import BaseForm

EMAIL = Email(
    message=_l("Enter an e-mail address such as name@kommun.se."), check_deliverability=False
)


class LoginForm(BaseForm):
    """E-mail address and password."""

    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "type": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(BaseForm):
    """The user's own change of password."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. A few unrelated words make a good password."),
        validators=[DataRequired(message=_l("Enter a new password."))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Enter the new password again.")),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class UserForm(BaseForm):
    """An administrator's view of an account: address, name, role, schools, active."""

    email = StringField(
        _l("E-mail address"),
        validators=[DataRequired(message=_l("Enter an e-mail address.")), EMAIL, Length(max=254)],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    role = RadioField(
        _l("Role"),
        choices=choices((role.value, label) for role, label in ROLE_LABELS.items()),
        validators=[DataRequired(message=_l("Choose a role."))],
    )
    schools = MultiCheckboxField(
        _l("Schools"),
        description=_l(
            "Required for school coordinators: the schools they keep. "
            "Other roles work with every school."
        ),
        coerce=int,
        validate_choice=False,
    )
    administrations = MultiCheckboxField(
        _l("Administrations"),
        description=_l(
            "Required for HR contacts: the administrations whose training attendance they "
            "record. Other roles work with every administration."
        ),
        coerce=int,
        validate_choice=False,
    )
    active = BooleanField(_l("The account is active"), default=True)

    def set_administrations(self, administrations) -> None:
        """Offer these administrations to choose from."""
        self.administrations.choices = choices((a.id, a.name) for a in administrations)

    def set_schools(self, schools) -> None:
        """Offer these schools to choose from."""
        self.schools.choices = choices((school.id, school.name) for school in schools)
