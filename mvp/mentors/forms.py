"""Forms for MVP leaders and trainings: types and required fields; the services check the rest."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from mvp.fields import CountField, DayField, HoursField, choices, optional_email_validators
from mvp.forms_base import BaseForm
from mvp.mentors.labels import KIND_LABELS, ROLE_LABELS, SEX_LABELS
from mvp.mentors.services import ATTENDED, NOT_REGISTERED, REGISTERED

CENTRAL = ""  # the school choice meaning "central staff, no school"


class Answered:
    """Marks a choice as required (no "optional" label) where an empty value is a valid answer.

    The choice itself is checked by the field or the service.
    """

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        """Nothing to check here."""


def school_choices(schools, *, central_label=None) -> list:
    """The schools to choose from, with a first "central" choice for project leads."""
    pairs = [(CENTRAL, central_label)] if central_label is not None else []
    return choices([*pairs, *((str(school.id), school.name) for school in schools)])


def school_id_of(value: str | None) -> int | None:
    """The chosen school's id, or None for central."""
    return int(value) if value and value.isdecimal() else None


class LeaderForm(BaseForm):
    """An MVP leader: name, e-mail, school (or central), role, sex and whether active."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the leader's name.")), Length(max=120)],
    )
    email = StringField(_l("E-mail address"), validators=optional_email_validators())
    school_id = SelectField(
        _l("School"),
        description=_l("Central staff, such as the municipality's own trainers, have no school."),
        validators=[Answered()],
        invalid_choice_message=_l("Choose one of your schools."),
    )
    role = SelectField(
        _l("Role"),
        choices=choices((role.value, label) for role, label in ROLE_LABELS.items()),
        validators=[Answered()],
        invalid_choice_message=_l("Choose the leader's role."),
    )
    sex = RadioField(
        _l("Sex"),
        description=_l("Used only for statistics broken down by sex."),
        choices=choices((sex.value, label) for sex, label in SEX_LABELS.items()),
        default="unknown",
        validators=[InputRequired(message=_l("Choose one of the options."))],
        invalid_choice_message=_l("Choose one of the options."),
    )
    active = BooleanField(
        _l("Active leader"),
        default=True,
        description=_l("Inactive leaders keep their history but are not offered for new groups."),
    )


class TrainingForm(BaseForm):
    """A training event: kind, dates, hours, school (or central), trainer and notes."""

    kind = SelectField(
        _l("Kind of training"),
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        validators=[Answered()],
        invalid_choice_message=_l("Choose the kind of training."),
    )
    title = StringField(
        _l("Title"),
        description=_l("For example: Supervision 2 for the autumn's leaders."),
        validators=[Optional(), Length(max=200)],
    )
    starts_on = DayField(
        _l("Date"),
        description=_l("The first day, for example 2026-08-12."),
        validators=[InputRequired(message=_l("Write the date as 2026-11-27."))],
    )
    ends_on = DayField(
        _l("Last day"),
        description=_l("Only for a training of several days, such as the 3-day leader training."),
        validators=[Optional()],
    )
    hours = HoursField(
        _l("Hours"),
        description=_l("The training's length in hours, for example 3 or 3.5."),
        validators=[
            InputRequired(message=_l("Enter the hours as a number, for example 3 or 3.5."))
        ],
    )
    school_id = SelectField(
        _l("School"),
        description=_l("Choose “Central” for a training open to several schools."),
        validators=[Answered()],
        invalid_choice_message=_l("Choose one of your schools."),
    )
    trainer = StringField(_l("Trainer"), validators=[Optional(), Length(max=120)])
    other_attendees = CountField(
        _l("Other people present"),
        description=_l(
            "People who are not registered MVP leaders, such as the staff at a half-day or the "
            "school leadership at an anchoring meeting."
        ),
        default=0,
        validators=[InputRequired(message=_l("Enter a whole number, 0 or more."))],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


PARTICIPATION_LABELS = {
    NOT_REGISTERED: _l("Not registered"),
    REGISTERED: _l("Registered, did not attend"),
    ATTENDED: _l("Attended"),
}


def participants_form(leaders, current: dict[int, str], formdata=None) -> BaseForm:
    """A form with one choice per eligible leader: not registered, registered, or attended."""

    class ParticipantsForm(BaseForm):
        pass

    for leader in leaders:
        setattr(
            ParticipantsForm,
            f"leader_{leader.id}",
            SelectField(
                # A plain (not lazy) string: a lazy one is taken as safe HTML by the label,
                # and the name is the user's text.
                _("Participation of %(name)s", name=leader.name),
                choices=choices(PARTICIPATION_LABELS.items()),
                default=current.get(leader.id, NOT_REGISTERED),
                invalid_choice_message=_l("Choose one of the options."),
            ),
        )
    form = ParticipantsForm(formdata=formdata) if formdata is not None else ParticipantsForm()
    form.leaders = leaders
    return form
