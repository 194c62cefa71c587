"""Forms for lesson plans, a group's plan and leader pair, and held lessons.

They check types and required fields; the services check every rule of the domain, so a
number, date or leader that the form lets through still gets a clear message.
"""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from mvp.fields import CountField, DayField, MultiCheckboxField, choices
from mvp.forms_base import BaseForm
from mvp.lessons.models import Delivery
from mvp.lessons.services import MAX_PLAN_LESSONS, MAX_THEME

COUNT_REQUIRED = InputRequired(message=_l("Enter a whole number, 0 or more."))
NONE = ""

DELIVERY_LABELS = {
    Delivery.FULLY: _l("Fully as planned"),
    Delivery.PARTLY: _l("Partly as planned"),
    Delivery.NOT: _l("Not as planned"),
}


def optional_id(value: str | None) -> int | None:
    """A chosen id, or None for the empty choice."""
    return int(value) if value and str(value).isdecimal() else None


class PlanForm(BaseForm):
    """A lesson plan: its name, description, whether it is offered, and its lessons' themes."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the lesson plan's name.")), Length(max=120)],
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )
    themes = TextAreaField(
        _l("Lessons"),
        description=_l(
            "One line per lesson, in order: the first line is lesson 1. Write a short theme "
            "in your own words."
        ),
        validators=[
            DataRequired(message=_l("Write the theme of each lesson, one line per lesson.")),
            # Room for the longest plan: every lesson's theme at its own limit, on its own line.
            Length(max=MAX_PLAN_LESSONS * (MAX_THEME + 2)),
        ],
        render_kw={"rows": 18},
    )
    active = BooleanField(
        _l("Offered for new groups"),
        default=True,
        description=_l("Groups that already follow the plan keep it either way."),
    )


class SetupForm(BaseForm):
    """A group's lesson plan and its leader pair."""

    curriculum_id = SelectField(_l("Lesson plan"), validate_choice=False)
    leader_1_id = SelectField(_l("First leader"), validate_choice=False)
    leader_2_id = SelectField(
        _l("Second leader"),
        description=_l("MVP is led by a pair; leave empty only until the second is known."),
        validate_choice=False,
    )

    def set_options(self, plans, leaders) -> None:
        """Offer the plans and the leaders who may lead the group."""
        self.curriculum_id.choices = choices(
            [
                (NONE, _l("– No lesson plan –")),
                *((str(p.id), f"{p.name} ({len(p.lessons)})") for p in plans),
            ]
        )
        people = [(str(leader.id), leader_option_label(leader)) for leader in leaders]
        for f in (self.leader_1_id, self.leader_2_id):
            f.choices = choices([(NONE, _l("– No leader –")), *people])


def leader_option_label(leader) -> str:
    """A leader as offered in a form: name, and "central" for central staff."""
    if leader.school_id is None:
        return str(_l("%(name)s (central)", name=leader.name))
    return leader.name


class LessonForm(BaseForm):
    """A held lesson, in the order a coordinator fills it in after the lesson."""

    number = SelectField(
        _l("Lesson"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the lesson's number."))],
        validate_choice=False,
        invalid_value_message=_l("Choose the lesson's number."),
    )
    is_repeat = BooleanField(
        _l("Repeat"),
        description=_l("The lesson was held once more (for example for pupils who missed it)."),
    )
    held_on = DayField(
        _l("Date"),
        description=_l("For example 2026-11-27."),
        validators=[InputRequired(message=_l("Write the date as 2026-11-27."))],
    )
    minutes = CountField(
        _l("Minutes"),
        default=60,
        validators=[InputRequired(message=_l("Enter the lesson's length in minutes."))],
    )
    leader_ids = MultiCheckboxField(
        _l("Leaders present"),
        coerce=int,
        validators=[InputRequired(message=_l("Tick the leaders who led the lesson."))],
        validate_choice=False,
        invalid_value_message=_l("Tick the leaders who led the lesson."),
    )
    girls_present = CountField(_l("Girls"), validators=[COUNT_REQUIRED])
    boys_present = CountField(_l("Boys"), validators=[COUNT_REQUIRED])
    others_present = CountField(_l("Other or unknown"), default=0, validators=[COUNT_REQUIRED])
    half_groups = BooleanField(_l("Worked in half-groups"))
    single_sex = BooleanField(_l("The half-groups were single-sex"))
    delivered = RadioField(
        _l("Delivered as planned?"),
        choices=choices((d.value, label) for d, label in DELIVERY_LABELS.items()),
        default=Delivery.FULLY.value,
        validators=[InputRequired(message=_l("Choose how the lesson was delivered."))],
        invalid_choice_message=_l("Choose how the lesson was delivered."),
    )
    adaptation = TextAreaField(
        _l("What was adapted or left out"),
        description=_l("Required when the lesson was delivered partly or not as planned."),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Anything worth remembering. Do not write pupils' names."),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 3},
    )

    def set_options(self, plan_lessons, held: dict, leaders) -> None:
        """Offer the plan's lessons (marking those held) and the leaders who may lead."""
        options = []
        for lesson in plan_lessons:
            label = f"{lesson.number}. {lesson.theme}"
            if lesson.number in held:
                label += " – " + str(_l("held %(date)s", date=held[lesson.number].isoformat()))
            options.append((lesson.number, label))
        self.number.choices = choices(options)
        self.leader_ids.choices = choices(
            (leader.id, leader_option_label(leader)) for leader in leaders
        )
