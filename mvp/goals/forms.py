"""Forms of the equality goals: a goal, an indicator with its target, a year's typed figures,
a deviation, and a Kolada download to import."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mvp.fields import DayField, MultiCheckboxField, choices
from mvp.forms_base import BaseForm
from mvp.goals.labels import SOURCE_LABELS, SUB_GOAL_LABELS, TARGET_KIND_LABELS
from mvp.tabular import upload_limit_hint

TOO_LONG = _l("Write at most %(max)d characters.")
YEAR_HINT = _l("Four digits, e.g. 2026.")


class FigureField(StringField):
    """A number written the Swedish way (31,2) or with a point; empty is None."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace("\u00a0", "")
        self.raw_text = text
        if not text:
            self.data = None
            return
        try:
            self.data = float(text.replace(",", "."))
        except ValueError as error:
            self.data = None
            raise ValueError(str(_l("Write a number, e.g. 31,2."))) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


def _year_field(label, description=YEAR_HINT):
    return StringField(
        label,
        description=description,
        validators=[Length(max=4, message=_l("Write the year with four digits, e.g. 2026."))],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 10},
    )


class GoalForm(BaseForm):
    """A goal: title, national sub-goal, owning administration, period, owners."""

    title = StringField(
        _l("Goal"),
        validators=[InputRequired(message=_l("Write the goal's title.")), Length(max=200)],
    )
    sub_goal = RadioField(
        _l("National equality sub-goal"),
        choices=choices((key, label) for key, label in SUB_GOAL_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the national sub-goal the goal serves."))],
    )
    administration_id = SelectField(
        _l("Owner (administration)"),
        coerce=lambda v: int(v) if str(v).isdecimal() else None,
        validate_choice=False,
    )
    first_year = _year_field(_l("First year"))
    last_year = _year_field(_l("Last year"))
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 3}
    )
    owner_ids = MultiCheckboxField(
        _l("Who records deviations and actions"),
        description=_l("The accounts that may record deviations and actions for this goal."),
        coerce=int,
        validate_choice=False,
    )


class IndicatorForm(BaseForm):
    """An indicator: where its figures come from, and its target by a year."""

    source = RadioField(
        _l("Where the figures come from"),
        choices=choices((key, label) for key, label in SOURCE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose where the figures come from."))],
    )
    kpi = SelectField(_l("Key figure (Kolada)"), validate_choice=False)
    provider = SelectField(_l("Own figure"), validate_choice=False)
    title = StringField(
        _l("What the typed figure is"),
        description=_l("Only for figures typed in, e.g. “Share who feel safe at work”."),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )
    source_note = StringField(
        _l("Source of the typed figures"),
        description=_l("Only for figures typed in, e.g. SCB or the staff survey 2025."),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )
    by_sex = BooleanField(
        _l("The typed figures are given for women and men"),
        description=_l("Leave it unticked when there is only a total."),
        default=True,
    )
    unit = StringField(
        _l("Unit"),
        description=_l("E.g. per cent, years, kronor."),
        validators=[Optional(), Length(max=40, message=TOO_LONG)],
    )
    higher_is_better = RadioField(
        _l("Direction"),
        choices=choices(
            [("1", _l("Higher values are better")), ("0", _l("Lower values are better"))]
        ),
        default="1",
    )
    target_kind = RadioField(
        _l("Kind of target"),
        choices=choices((key, label) for key, label in TARGET_KIND_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the kind of target."))],
    )
    target_women = FigureField(_l("Target for women"))
    target_men = FigureField(_l("Target for men"))
    target_gap = FigureField(_l("Largest allowed gap between women and men"))
    target_total = FigureField(_l("Target for the total"))
    target_year = _year_field(_l("Target year"), _l("The year by which the target is to be met."))


class TypedValueForm(BaseForm):
    """A year's figures of a typed-in indicator."""

    year = _year_field(_l("Year"))
    women = FigureField(_l("Women"))
    men = FigureField(_l("Men"))
    total = FigureField(_l("Total"))
    source_note = StringField(
        _l("Source"),
        description=_l("Leave empty to use the indicator's source."),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
    )


class DeviationForm(BaseForm):
    """A deviation: which indicator and year, the analysed cause, the action and follow-up."""

    indicator_id = SelectField(
        _l("Indicator"),
        coerce=lambda v: int(v) if str(v).isdecimal() else None,
        validate_choice=False,
    )
    year = _year_field(_l("Year of the deviation"))
    cause = TextAreaField(
        _l("Analysed cause"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 4}
    )
    action = TextAreaField(
        _l("Action decided"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 4}
    )
    responsible = StringField(
        _l("Responsible for the action"), validators=[Optional(), Length(max=120)]
    )
    follow_up_on = DayField(_l("Follow-up on"), validators=[Optional()])
    follows_id = SelectField(
        _l("Follows up an earlier entry"),
        coerce=lambda v: int(v) if str(v).isdecimal() else None,
        validate_choice=False,
    )


class KoladaImportForm(BaseForm):
    """A Kolada download: its table export (CSV/Excel) or a saved API answer (JSON)."""

    file = FileField(
        _l("Kolada download (CSV, Excel or JSON)"),
        validators=[
            FileRequired(message=_l("Choose a file to import.")),
            FileAllowed(
                ["csv", "xlsx", "txt", "json"],
                message=_l("Choose a CSV, Excel (.xlsx) or JSON file."),
            ),
        ],
        description=LazyString(upload_limit_hint),
    )
