"""Forms for schools and pupil groups: types and required fields; the services check the rest."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from mvp.fields import CountField, choices
from mvp.forms_base import BaseForm
from mvp.schools.grades import ALL_GRADES, KIND_LABELS, grade_label
from mvp.schools.years import SchoolYearError, format_school_year, parse_school_year

COUNT_REQUIRED = InputRequired(message=_l("Enter a whole number, 0 or more."))


class SchoolYearField(StringField):
    """A school year typed as 2025/26; its data is the starting year (2025)."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        if not self.raw.strip():
            return
        try:
            self.data = parse_school_year(self.raw)
        except SchoolYearError as error:
            raise ValueError(str(_l("Write the school year as 2025/26."))) from error

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_school_year(self.data) if self.data else ""


class SchoolForm(BaseForm):
    """A school's details and pupils per grade (one field per grade, added below)."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Enter the school's name.")), Length(max=120)],
    )
    kind = SelectField(
        _l("Kind of school"),
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        validators=[DataRequired(message=_l("Choose the kind of school."))],
        invalid_choice_message=_l("Choose the kind of school."),
    )
    principal_name = StringField(_l("Principal's name"), validators=[Optional(), Length(max=120)])
    principal_email = StringField(
        _l("Principal's e-mail"),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an e-mail address such as name@kommun.se."),
                check_deliverability=False,
            ),
            Length(max=254),
        ],
    )
    active = BooleanField(_l("Active school"), default=True)

    def pupils_by_grade(self) -> dict[int, int | None]:
        """The per-grade pupil counts entered."""
        return {grade: getattr(self, f"grade_{grade}").data for grade in ALL_GRADES}

    def grade_fields(self):
        """The per-grade count fields, in grade order."""
        return [getattr(self, f"grade_{grade}") for grade in ALL_GRADES]


for _grade in ALL_GRADES:
    setattr(
        SchoolForm,
        f"grade_{_grade}",
        CountField(
            _l("Grade %(grade)s", grade=grade_label(_grade)),
            validators=[Optional()],
            render_kw={"data-grade": _grade},
        ),
    )


class GroupForm(BaseForm):
    """A pupil group: school year, name, grade and the number of pupils by sex."""

    school_year = SchoolYearField(
        _l("School year"),
        description=_l("For example 2025/26."),
        validators=[InputRequired(message=_l("Write the school year as 2025/26."))],
    )
    name = StringField(
        _l("Group name"),
        description=_l("For example 8B."),
        validators=[
            DataRequired(message=_l("Enter the group's name, for example 8B.")),
            Length(max=40),
        ],
    )
    grade = SelectField(
        _l("Grade"),
        coerce=int,
        invalid_choice_message=_l("Choose one of the school's grades."),
        invalid_value_message=_l("Choose one of the school's grades."),
    )
    girls = CountField(_l("Girls"), validators=[COUNT_REQUIRED])
    boys = CountField(_l("Boys"), validators=[COUNT_REQUIRED])
    others = CountField(
        _l("Other or unknown"),
        description=_l("Pupils registered neither as girls nor as boys, or not known."),
        default=0,
        validators=[COUNT_REQUIRED],
    )

    def set_grades(self, grades) -> None:
        """Offer the grades the school teaches."""
        self.grade.choices = choices((grade, grade_label(grade)) for grade in grades)
