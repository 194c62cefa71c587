"""Forms of the rollout: a school's plan, a stage change, and the school-list import."""

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from mvp.fields import choices
from mvp.forms_base import BaseForm
from mvp.rollout.models import Stage
from mvp.rollout.services import REASON_MAX, RESPONSIBLE_MAX
from mvp.rollout.stages import STAGE_LABELS
from mvp.rollout.terms import SchoolTerm, TermError, parse_term, term_of
from mvp.tabular import upload_limit_hint

# The current term and this many coming ones are offered as target terms.
TERMS_OFFERED = 12
TOO_LONG = _l("Write at most %(max)d characters.")


class IsoDateField(DateField):
    """A date written 2026-03-15, with a message in the reader's language when it is not."""

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            self.data = dt.date.fromisoformat(text)
        except ValueError as error:
            self.data = None
            raise ValueError(str(_l("Write the date as 2026-03-15."))) from error


class TermField(SelectField):
    """A term chosen from the coming ones (its data is a SchoolTerm, or None: not decided)."""

    def __init__(self, label=None, validators=None, **kwargs):
        # The service decides whether a term may be chosen (past ones may not), so a value
        # outside the offered list gets the service's clear message, not "not a valid choice".
        super().__init__(label, validators, coerce=_term_or_none, validate_choice=False, **kwargs)

    def offer(self, today: dt.date, current: SchoolTerm | None) -> None:
        """Offer 'not decided', the current term and the coming ones (and the saved one)."""
        first = term_of(today)
        terms = [first + n for n in range(TERMS_OFFERED)]
        if current is not None and current not in terms:
            terms.insert(0, current)
        pairs = [("", str(_l("Not decided")))]
        pairs += [(term.value, _term_option(term)) for term in terms]
        self.choices = choices(pairs)

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = parse_term(text)
        except TermError as error:
            raise ValueError(str(_l("Choose a term from the list."))) from error


def _term_or_none(value) -> SchoolTerm | None:
    """A choice's value as a SchoolTerm (for marking the selected option); '' is None."""
    if isinstance(value, SchoolTerm) or value is None:
        return value
    return parse_term(value) if value else None


def _term_option(term: SchoolTerm) -> str:
    return str(
        _l(
            "%(term)s (school year %(year)d/%(next)02d)",
            term=term.label,
            year=term.school_year,
            next=(term.school_year + 1) % 100,
        )
    )


class PlanForm(BaseForm):
    """When a school's first round should start, and who is responsible for its rollout."""

    target = TermField(
        _l("Target term for the first round"),
        description=_l("The term in which the school's first MVP round should start."),
    )
    responsible = StringField(
        _l("Responsible person"),
        description=_l("Who drives the rollout at the school, for example the principal."),
        validators=[Optional(), Length(max=RESPONSIBLE_MAX, message=TOO_LONG)],
    )


class StageForm(BaseForm):
    """A move to another stage, its date, and the reason where the rules ask for one."""

    stage = RadioField(
        _l("New stage"),
        choices=choices((stage.value, label) for stage, label in STAGE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the stage the school moves to."))],
    )
    changed_on = IsoDateField(
        _l("Date of the change"),
        description=_l("Today if left empty."),
        validators=[Optional()],
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "Required when the school skips a stage, is paused, or starts its first round "
            "while items of the checklist are missing."
        ),
        validators=[Optional(), Length(max=REASON_MAX, message=TOO_LONG)],
        render_kw={"rows": 4},
    )

    def __init__(self, *args, current_stage: str = Stage.NOT_STARTED, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = choices(
            (stage.value, label) for stage, label in STAGE_LABELS.items() if stage != current_stage
        )


class ImportForm(BaseForm):
    """An uploaded school list and whether existing schools may be updated from it."""

    file = FileField(
        _l("School list (CSV or Excel)"),
        validators=[
            FileRequired(message=_l("Choose a file to import.")),
            FileAllowed(["csv", "xlsx", "txt"], message=_l("Choose a CSV or Excel (.xlsx) file.")),
        ],
        description=LazyString(upload_limit_hint),
    )
    update_existing = BooleanField(
        _l("Update schools that already exist"),
        description=_l(
            "A school with the same name gets the kind and pupils per grade of the file. "
            "Without this, such a row is reported as an error."
        ),
    )
