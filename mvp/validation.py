"""Invalid: bad input that a service finds, reported per field in the reader's language."""

from flask_wtf import FlaskForm


class Invalid(Exception):
    """Raised by a service, before anything is written, with a message per form field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def add_errors_to_form(form: FlaskForm, error: Invalid) -> None:
    """Show a service's messages beside the fields they concern (or at the top)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
