"""Forms of the staff training: types and required fields; the services check the rest."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from mvp.fields import (
    CountField,
    DayField,
    HoursField,
    MultiCheckboxField,
    choices,
    optional_email_validators,
)
from mvp.forms_base import BaseForm
from mvp.mentors.labels import SEX_LABELS
from mvp.staff_training.labels import (
    AUDIENCE_LABELS,
    PROGRAMME_KIND_LABELS,
    STAFF_ROLE_LABELS,
)
from mvp.staff_training.services import ATTENDED, REGISTERED, REMOVED

_COUNT = [InputRequired(message=_l("Enter a whole number, 0 or more."))]


class AdministrationForm(BaseForm):
    """An administration: its name and whether it is active."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the name.")), Length(max=160)],
    )
    active = BooleanField(_l("Active"), default=True)


class UnitForm(BaseForm):
    """A unit and HR's headcount: managers, and all staff (managers included), by sex."""

    administration_id = SelectField(
        _l("Administration"), invalid_choice_message=_l("Choose the unit's administration.")
    )
    name = StringField(
        _l("Name of the unit"),
        validators=[DataRequired(message=_l("Enter the name.")), Length(max=160)],
    )
    managers_women = CountField(_l("Managers, women"), default=0, validators=_COUNT)
    managers_men = CountField(_l("Managers, men"), default=0, validators=_COUNT)
    staff_women = CountField(
        _l("All staff, women"),
        description=_l("Everyone employed at the unit, managers included."),
        default=0,
        validators=_COUNT,
    )
    staff_men = CountField(
        _l("All staff, men"),
        description=_l("Everyone employed at the unit, managers included."),
        default=0,
        validators=_COUNT,
    )
    active = BooleanField(_l("Active"), default=True)


class UnitImportForm(BaseForm):
    """The upload of HR's list of units."""

    file = FileField(
        _l("HR's list of units"),
        description=_l("A CSV or Excel (.xlsx) file with the template's columns."),
        validators=[InputRequired(message=_l("Choose a file."))],
    )


class ProgrammeForm(BaseForm):
    """A training programme."""

    name = StringField(
        _l("Name"),
        description=_l("For example: Grundutbildning i jämställdhetsintegrering."),
        validators=[DataRequired(message=_l("Enter the name.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Kind of programme"),
        choices=choices((k.value, label) for k, label in PROGRAMME_KIND_LABELS.items()),
        invalid_choice_message=_l("Choose the kind of programme."),
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    active = BooleanField(_l("Active"), default=True)


class OccasionForm(BaseForm):
    """An occasion: programme, day, hours, audience, units invited, trainer."""

    programme_id = SelectField(_l("Programme"), invalid_choice_message=_l("Choose the programme."))
    held_on = DayField(
        _l("Date"),
        description=_l("For example 2026-11-27. A planned occasion may lie in the future."),
        validators=[InputRequired(message=_l("Write the date as 2026-11-27."))],
    )
    hours = HoursField(
        _l("Hours"),
        validators=[
            InputRequired(message=_l("Enter the hours as a number, for example 3 or 3.5."))
        ],
    )
    audience = RadioField(
        _l("Audience"),
        choices=choices((a.value, label) for a, label in AUDIENCE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose the audience."))],
        invalid_choice_message=_l("Choose the audience."),
    )
    unit_ids = MultiCheckboxField(
        _l("Units invited"),
        coerce=int,
        invalid_choice_message=_l("Choose the units invited."),
    )
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class ParticipantForm(BaseForm):
    """One person at an occasion: the employer's own record, name and e-mail allowed."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the person's name.")), Length(max=120)],
    )
    email = StringField(_l("E-mail address"), validators=optional_email_validators())
    unit_id = SelectField(_l("Unit"), invalid_choice_message=_l("Choose the person's unit."))
    role = RadioField(
        _l("Role"),
        choices=choices((r.value, label) for r, label in STAFF_ROLE_LABELS.items()),
        default="staff",
        validators=[InputRequired(message=_l("Choose manager or staff."))],
        invalid_choice_message=_l("Choose manager or staff."),
    )
    sex = RadioField(
        _l("Sex"),
        description=_l("Used only for statistics broken down by sex."),
        choices=choices((s.value, label) for s, label in SEX_LABELS.items()),
        default="unknown",
        validators=[InputRequired(message=_l("Choose one of the options."))],
        invalid_choice_message=_l("Choose one of the options."),
    )
    attended = BooleanField(_l("Attended"))


STATUS_LABELS = {
    REGISTERED: _l("Registered, did not attend"),
    ATTENDED: _l("Attended"),
    REMOVED: _l("Remove"),
}


def attendance_form(participants, units, roles, sexes, current_counts: dict, formdata=None):
    """One status per participant and one count per unit, role and sex."""

    class AttendanceForm(BaseForm):
        pass

    for participant in participants:
        setattr(
            AttendanceForm,
            f"p_{participant.id}",
            SelectField(
                # A plain (not lazy) string: the name is the user's text.
                _("Attendance of %(name)s", name=participant.name),
                choices=choices(STATUS_LABELS.items()),
                default=ATTENDED if participant.attended else REGISTERED,
                invalid_choice_message=_l("Choose one of the options."),
            ),
        )
    for unit in units:
        for role, role_label in roles:
            for sex, sex_label in sexes:
                setattr(
                    AttendanceForm,
                    f"c_{unit.id}_{role}_{sex}",
                    CountField(
                        _(
                            "%(unit)s, %(role)s, %(sex)s: number attended",
                            unit=unit.name,
                            role=role_label,
                            sex=sex_label,
                        ),
                        default=current_counts.get((unit.id, role, sex), 0),
                        validators=[Optional()],
                    ),
                )
    form = AttendanceForm(formdata=formdata) if formdata is not None else AttendanceForm()
    return form


class QuestionnaireWaveForm(BaseForm):
    """Open a before or after questionnaire for a programme."""

    phase = RadioField(
        _l("When"),
        choices=choices(
            (("before", _l("Before the training")), ("after", _l("After the training")))
        ),
        validators=[InputRequired(message=_l("Choose before or after."))],
        invalid_choice_message=_l("Choose before or after."),
    )
    opens_on = DayField(
        _l("Open from"), validators=[InputRequired(message=_l("Write the date as 2026-11-27."))]
    )
    closes_on = DayField(
        _l("Open until"), validators=[InputRequired(message=_l("Write the date as 2026-11-27."))]
    )
