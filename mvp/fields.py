"""Form fields and small forms shared by every area, with messages in the reader's language."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mvp.forms_base import BaseForm

COUNT_DIGITS_MAX = 9


class CountField(IntegerField):
    """A whole number of people or things, 0 or more; anything else gets one clear message."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "numeric")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip().replace(" ", "").replace("\u00a0", "")
        if not text.isdecimal():
            self.data = None
            raise ValueError(str(_l("Enter a whole number, 0 or more.")))
        if len(text) > COUNT_DIGITS_MAX:
            # A database integer holds at most 2 147 483 647; no count here comes near.
            self.data = None
            raise ValueError(str(_l("The number is too large.")))
        self.data = int(text)


class ConfirmForm(BaseForm):
    """An empty form whose only job is to carry the CSRF token of a confirmed action."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes in a fieldset (rendered by templates/macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class DayField(DateField):
    """A date typed or picked as 2026-11-27, with one clear message for anything else."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = dt.date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Write the date as 2026-11-27."))) from None


class HoursField(StringField):
    """A number of hours such as 3, 3.5 or 3,5 (a decimal comma or point); its data is a float."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not self.raw:
            return
        text = self.raw.replace(",", ".").replace(" ", "").replace("\u00a0", "")
        message = str(_l("Enter the hours as a number, for example 3 or 3.5."))
        try:
            value = float(text)
        except ValueError:
            raise ValueError(message) from None
        if value < 0 or value != value:  # negative, or NaN
            raise ValueError(message)
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:g}".replace(".", ",")


def optional_email_validators() -> list:
    """The validators of an optional e-mail address field."""
    return [
        Optional(),
        Email(
            message=_l("Enter an e-mail address such as name@kommun.se."),
            check_deliverability=False,
        ),
        Length(max=254),
    ]
