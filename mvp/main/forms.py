"""The form for reporting an accessibility problem."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from mvp.forms_base import BaseForm


class AccessibilityReportForm(BaseForm):
    """Anyone's report of an accessibility problem."""

    description = TextAreaField(
        _l("What did not work?"),
        description=_l("Describe the problem and, if you can, what you were trying to do."),
        validators=[DataRequired(message=_l("Describe the problem.")), Length(max=5000)],
    )
    page = StringField(
        _l("On which page?"),
        description=_l("The page's address or name."),
        validators=[Optional(), Length(max=500)],
    )
    contact = StringField(
        _l("Your e-mail address, if you want an answer"),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an e-mail address such as name@kommun.se."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
    )
