"""Forms for waves, paper entry, imports and questions; the services check the rest."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from mvp.fields import choices
from mvp.forms_base import BaseForm
from mvp.surveys.labels import KIND_LABELS, PHASE_HINTS, PHASE_LABELS
from mvp.surveys.models import ResponseKind
from mvp.tabular import upload_limit_hint

# A question is read aloud in a classroom: a few sentences at most.
QUESTION_MAX = 1000


def optional_int(value) -> int | None:
    """A select's value as a number; the empty "choose" option as None."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() else None


class IsoDateField(DateField):
    """A date written 2026-09-14; blank is None (required-ness is the validators' business)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault(
            "invalid_value_message", _l("Write the date as year-month-day, e.g. 2026-09-14.")
        )
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class WaveForm(BaseForm):
    """Open (or change) a wave: group, phase, questionnaire and dates."""

    group_id = SelectField(
        _l("Pupil group"),
        coerce=optional_int,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a pupil group."))],
    )
    phase = RadioField(
        _l("When"),
        validators=[InputRequired(message=_l("Choose before, after or follow-up."))],
        invalid_choice_message=_l("Choose before, after or follow-up."),
    )
    instrument_id = SelectField(
        _l("Questionnaire"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a questionnaire."))],
        invalid_choice_message=_l("Choose a questionnaire."),
        invalid_value_message=_l("Choose a questionnaire."),
    )
    opens_on = IsoDateField(
        _l("First day"),
        description=_l("Pupils can answer from this day."),
        validators=[InputRequired(message=_l("Enter the first day, for example 2026-09-14."))],
    )
    closes_on = IsoDateField(
        _l("Last day"),
        description=_l("Pupils can answer until the end of this day."),
        validators=[InputRequired(message=_l("Enter the last day, for example 2026-09-25."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request, so the labels are in the reader's language.
        self.phase.choices = choices(
            (p.value, f"{PHASE_LABELS[p]} – {PHASE_HINTS[p]}") for p in PHASE_LABELS
        )


class WaveEditForm(WaveForm):
    """Change a wave: everything but its group."""

    group_id = None


class AnswerDateForm(BaseForm):
    """The date typed-in or imported answers were given (never a time of day)."""

    answered_on = IsoDateField(
        _l("Date the pupils answered"),
        validators=[
            InputRequired(message=_l("Enter the date the pupils answered, e.g. 2026-09-14."))
        ],
    )


def _import_hint() -> str:
    return " ".join(
        (
            _("Use the wave's template. Nothing is saved if any row has an error."),
            upload_limit_hint(),
        )
    )


class ImportForm(AnswerDateForm):
    """Upload a CSV or Excel file that follows the wave's template."""

    file = FileField(
        _l("File (CSV or Excel)"),
        [FileRequired(_l("Choose a file."))],
        description=LazyString(_import_hint),
    )


class ItemForm(BaseForm):
    """A question of a questionnaire, in Swedish and English."""

    key = StringField(
        _l("Key"),
        description=_l(
            "The column name in import files, e.g. agera6. Lower-case a–z, 0–9 and _; "
            "keep a key only for the same question."
        ),
        validators=[Optional(), Length(max=40)],
    )
    text_sv = TextAreaField(
        _l("Question in Swedish"),
        validators=[
            DataRequired(message=_l("Write the question in Swedish.")),
            Length(max=QUESTION_MAX),
        ],
    )
    text_en = TextAreaField(
        _l("Question in English"),
        validators=[
            DataRequired(message=_l("Write the question in English.")),
            Length(max=QUESTION_MAX),
        ],
    )
    kind = RadioField(
        _l("Kind of answer"),
        choices=choices((k.value, label) for k, label in KIND_LABELS.items()),
        default=ResponseKind.AGREEMENT.value,
        invalid_choice_message=_l("Choose a kind of answer."),
    )
    scale = SelectField(_l("Scale"), validate_choice=False)
    reverse = BooleanField(
        _l("Reverse-scored (agreeing is the unwanted direction)"),
    )
    required = BooleanField(_l("Pupils must answer this question"))
    options = TextAreaField(
        _l("Options (single choice)"),
        description=_l("One option per line: Swedish | English, e.g. Aldrig | Never."),
        validators=[Optional()],
    )

    def set_scales(self, scales) -> None:
        """Offer the instrument's scales (by key, which stays the same across versions)."""
        self.scale.choices = choices(
            [("", str(_l("No scale"))), *((s.key, s.name_sv) for s in scales)]
        )

    def option_list(self) -> list[dict]:
        """The options typed, as stored on the item."""
        result = []
        for number, line in enumerate((self.options.data or "").splitlines(), start=1):
            if not line.strip():
                continue
            sv, _sep, en = line.partition("|")
            sv, en = sv.strip(), (en.strip() or sv.strip())
            result.append({"value": str(number), "sv": sv, "en": en})
        return result
