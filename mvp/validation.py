"""Invalid: bad input that a service finds, reported per field; saving a form, or a confirmed
removal, with it."""

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError

from mvp.extensions import db
from mvp.kept_input import replaying
from mvp.versioning import check_version, refuse_stale

T = TypeVar("T")


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


def save_form(form: FlaskForm, change: Callable[[], T]) -> T | bool | None:
    """For a submitted, valid form: run `change` (a service call), then commit it.

    Returns what the service returned (True when it returns nothing), or None when the form
    was not submitted or not valid, or the service refused the input — its messages are then
    on the form and the transaction is rolled back, so nothing is half-saved — or the record
    was saved by someone else since the form was opened (mvp.versioning: refused, with what
    they changed, the user's input kept).
    """
    if replaying():
        # A kept or expired form shown again: its messages, but nothing is saved until the
        # user has checked it and pressed "Spara igen".
        form.validate()
        return None
    if not form.validate_on_submit():
        return None
    if not check_version(form):  # someone else saved the record since the form was opened
        db.session.rollback()
        return None
    try:
        result = change()
        db.session.commit()
    except Invalid as error:
        db.session.rollback()
        add_errors_to_form(form, error)
        return None
    except StaleDataError:
        # Saved by someone else between the check above and this commit.
        db.session.rollback()
        if check_version(form):  # another record than the form's was saved meanwhile
            refuse_stale(form)
        return None
    return True if result is None else result


def remove_confirmed(form: FlaskForm, remove: Callable[[], T]) -> T | bool | None:
    """For a submitted confirmation form: run `remove` (a service call), then commit it.

    Returns what the service returned (True when it returns nothing); False when the service
    refused — its messages are flashed as an error and the transaction rolled back, so
    nothing is half-removed; None when the form was not submitted or not valid.
    """
    if replaying() or not form.validate_on_submit():
        return None
    try:
        result = remove()
    except Invalid as error:
        db.session.rollback()
        flash(" ".join(error.errors.values()), "error")
        return False
    db.session.commit()
    return True if result is None else result
