"""Forms of the officials' area: bodies, the seat import, rounds, thresholds, references."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DecimalField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from mvp.fields import CountField, DayField, choices
from mvp.forms_base import BaseForm
from mvp.officials.labels import BODY_KIND_LABELS, REFERENCE_SEX_LABELS
from mvp.officials.results import REFERENCE_MEASURES, measure_label
from mvp.tabular import upload_limit_hint


class BodyForm(BaseForm):
    """A political body: name, kind, active."""

    name = StringField(
        _l("Name"),
        validators=[InputRequired(message=_l("Write the body's name.")), Length(max=160)],
        description=_l("For example Kommunfullmäktige or Socialnämnden."),
    )
    kind = SelectField(_l("Kind of body"))
    active = BooleanField(_l("Active (has seats this year)"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices((k.value, str(v)) for k, v in BODY_KIND_LABELS.items())


class SeatImportForm(BaseForm):
    """The secretariat's list of seats for a year, as CSV or Excel."""

    year = CountField(
        _l("Year"), validators=[InputRequired(message=_l("Write the year, e.g. 2026."))]
    )
    file = FileField(
        _l("Seat list (CSV or Excel)"),
        validators=[
            FileRequired(message=_l("Choose a file to import.")),
            FileAllowed(["csv", "xlsx", "txt"], message=_l("Choose a CSV or Excel (.xlsx) file.")),
        ],
        description=LazyString(upload_limit_hint),
    )


class RoundForm(BaseForm):
    """A new yearly round."""

    year = CountField(
        _l("Year"), validators=[InputRequired(message=_l("Write the year, e.g. 2026."))]
    )
    opens_on = DayField(
        _l("First day"), validators=[InputRequired(message=_l("Write the first day."))]
    )
    closes_on = DayField(
        _l("Last day"), validators=[InputRequired(message=_l("Write the last day."))]
    )
    suppression_min = CountField(
        _l("Smallest group shown"),
        default=5,
        validators=[InputRequired(message=_l("Write a number between 2 and 50."))],
        description=_l(
            "Figures about fewer answers are shown as “..”. 5 unless you have a reason."
        ),
    )


class ThresholdForm(BaseForm):
    """The round's suppression threshold."""

    suppression_min = CountField(
        _l("Smallest group shown"),
        validators=[InputRequired(message=_l("Write a number between 2 and 50."))],
    )


class ReferenceForm(BaseForm):
    """A national reference value."""

    measure = SelectField(_l("Measure"))
    sex = SelectField(_l("Group"))
    percent = DecimalField(
        _l("Per cent"),
        places=1,
        validators=[
            InputRequired(message=_l("Write the figure, e.g. 29.")),
            NumberRange(min=0, max=100, message=_l("Write a percentage between 0 and 100.")),
        ],
    )
    year = CountField(
        _l("Year of the figure"),
        validators=[InputRequired(message=_l("Write the year, e.g. 2026."))],
    )
    source = StringField(
        _l("Source"),
        validators=[InputRequired(message=_l("Name the source.")), Length(max=300)],
        description=_l("For example: Brå, Politikernas trygghetsundersökning 2023, table 3."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure.choices = choices((m, measure_label(m)) for m in REFERENCE_MEASURES)
        self.sex.choices = choices((k, str(v)) for k, v in REFERENCE_SEX_LABELS.items())
