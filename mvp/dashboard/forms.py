"""The evaluation's filter form (a GET form) and the project lead's report texts."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from mvp.fields import MultiCheckboxField, choices
from mvp.forms_base import BaseForm
from mvp.schools.forms import SchoolYearField
from mvp.schools.grades import grade_label
from mvp.schools.years import format_school_year


class FilterForm(BaseForm):
    """School years, schools, grades and lesson plans; the service checks what is chosen.

    Unknown or out-of-scope values are not WTForms errors here: mvp.evaluation.services
    gives them a clear message (the same for the API and the command line).
    """

    class Meta:
        csrf = False

    year = MultiCheckboxField(_l("School years"), validate_choice=False)
    school = MultiCheckboxField(_l("Schools"), validate_choice=False)
    grade = MultiCheckboxField(_l("Grades"), validate_choice=False)
    plan = MultiCheckboxField(_l("Lesson plans"), validate_choice=False)

    def set_choices(self, options) -> None:
        """Offer what the user may choose from (see services.filter_choices)."""
        self.year.choices = choices(
            (format_school_year(y), format_school_year(y)) for y in options.years
        )
        self.school.choices = choices((str(i), name) for i, name in options.schools)
        self.grade.choices = choices((str(g), grade_label(g)) for g in options.grades)
        self.plan.choices = choices((str(i), name) for i, name in options.plans)


class ReportTextForm(BaseForm):
    """Lessons learned and next steps for one school year, in the lead's own words."""

    school_year = SchoolYearField(
        _l("School year"),
        description=_l("For example 2025/26."),
        validators=[InputRequired(message=_l("Write the school year as 2025/26."))],
    )
    lessons_learned = TextAreaField(
        _l("Lessons learned"),
        description=_l("What worked, what did not, and why. Shown in the report as written."),
        validators=[Length(max=10_000, message=_l("Write at most 10 000 characters."))],
        render_kw={"rows": 10},
    )
    next_steps = TextAreaField(
        _l("Next steps"),
        description=_l("What the municipality will do next, and when."),
        validators=[Length(max=10_000, message=_l("Write at most 10 000 characters."))],
        render_kw={"rows": 8},
    )
