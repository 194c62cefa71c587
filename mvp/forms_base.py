"""BaseForm: the project's form class, which gives every field the shared input rule.

Every form of the project subclasses BaseForm instead of FlaskForm, so no field can be
forgotten: on validation, each text field (StringField and its kinds — text areas, e-mail,
passwords, hidden fields) is checked with mvp.input_rules — no control characters, and at
most its length limit — and every other field's submitted values are checked for control
characters (a NUL in a select's value must not reach the database either).

A field's limit is, in order: `render_kw={"maxlength": N}` or a Length(max=N) validator of
its own, else the default of its kind (200 characters on one line, 5 000 in a text area).
"""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, StopValidation

from mvp import input_rules

# Fields that carry a value the app made itself and checks on its own.
_SKIPPED_TYPES = {"CSRFTokenField"}


def is_multiline(field) -> bool:
    """A text area keeps its line breaks and tabs; any other text is one line."""
    return isinstance(field, TextAreaField)


def max_length_of(field) -> int:
    """The field's own limit, or the default of its kind."""
    limits = [
        validator.max
        for validator in field.validators
        if isinstance(validator, Length) and validator.max not in (None, -1)
    ]
    explicit = (field.render_kw or {}).get("maxlength")
    if explicit:
        limits.append(int(explicit))
    if limits:
        return min(limits)
    return input_rules.MULTI_LINE_MAX if is_multiline(field) else input_rules.SINGLE_LINE_MAX


def _raw_texts(field) -> list[str]:
    return [value for value in (field.raw_data or []) if isinstance(value, str)]


class TextRule:
    """The shared input rule as a WTForms validator (added to every field by BaseForm)."""

    def __call__(self, form, field) -> None:
        if field.errors:
            return  # the field's own check already gave its message
        multiline = is_multiline(field)
        for text in _raw_texts(field):
            if input_rules.has_forbidden_character(text, multiline=multiline):
                raise StopValidation(input_rules.forbidden_character_message())
        if isinstance(field, StringField):  # passwords and text areas included
            limit = max_length_of(field)
            if any(len(text) > limit for text in _raw_texts(field)):
                raise StopValidation(input_rules.too_long_message(limit))
        elif any(input_rules.is_number_too_large(text) for text in _raw_texts(field)):
            # A chosen id or count beyond any database integer is no choice of ours.
            raise StopValidation(input_rules.number_too_large_message())


_RULE = TextRule()


class BaseForm(FlaskForm):
    """A FlaskForm whose every field follows the shared input rule (see the module's text)."""

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(v) for name, v in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if field.type not in _SKIPPED_TYPES:
                extra.setdefault(name, []).append(_RULE)
        return super().validate(extra_validators=extra)
