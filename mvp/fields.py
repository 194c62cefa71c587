"""Form fields and small forms shared by every area, with messages in the reader's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


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
        if not text.isdigit():
            self.data = None
            raise ValueError(str(_l("Enter a whole number, 0 or more.")))
        self.data = int(text)


class ConfirmForm(FlaskForm):
    """An empty form whose only job is to carry the CSRF token of a confirmed action."""


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes in a fieldset (rendered by templates/macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
