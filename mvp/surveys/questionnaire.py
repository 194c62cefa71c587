"""The online questionnaire as the pupil sees it: its questions in the reader's language, and
the checking of a posted form into a response (no request here; the pupils' views call it)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from mvp.schools.grades import grade_label
from mvp.surveys.answers import ResponseData
from mvp.surveys.coding import (
    AGREEMENT_LABELS,
    DONT_KNOW,
    DONT_KNOW_LABEL,
    SEX_CHOICES,
    YES_NO_LABELS,
    CodeError,
    decode,
)
from mvp.surveys.linkage import QUESTIONS, LinkCodeError, LinkQuestion, normalise
from mvp.surveys.models import Item, PupilSex, ResponseKind

SEX_FIELD = "kon"
GRADE_FIELD = "arskurs"
# The select value of "I don't know" in a linkage-code question (stored as an empty element).
LINK_UNKNOWN = "?"


@dataclass(frozen=True)
class Question:
    """One question as shown: field name, number, text and its (value, label) options."""

    name: str
    number: int
    text: str
    kind: str
    options: list[tuple[str, str]]
    required: bool = False


def _text(item: Item, locale: str) -> str:
    return item.text_en if locale.startswith("en") else item.text_sv


def item_options(item: Item, locale: str) -> list[tuple[str, str]]:
    """(code, label) of a question's boxes, in the order printed on paper."""
    if item.kind == ResponseKind.AGREEMENT:
        return [
            *((str(n), str(label)) for n, label in enumerate(AGREEMENT_LABELS, start=1)),
            (DONT_KNOW, str(DONT_KNOW_LABEL)),
        ]
    if item.kind == ResponseKind.YES_NO:
        return [
            *((str(n), str(label)) for n, label in enumerate(YES_NO_LABELS, start=1)),
            (DONT_KNOW, str(DONT_KNOW_LABEL)),
        ]
    key = "en" if locale.startswith("en") else "sv"
    return [(str(n), o.get(key) or o.get("sv", "")) for n, o in enumerate(item.options, start=1)]


@dataclass
class Questionnaire:
    """What the pupil's page needs: background, questions and the linkage-code questions."""

    items: list[Item]
    grades: tuple[int, ...]
    locale: str = "sv"
    questions: list[Question] = field(init=False)

    def __post_init__(self):
        self.questions = [
            Question(
                f"q-{item.key}",
                number,
                _text(item, self.locale),
                item.kind,
                item_options(item, self.locale),
                item.required,
            )
            for number, item in enumerate(self.items, start=1)
        ]

    @property
    def sex_options(self) -> list[tuple[str, str]]:
        return [(sex.value, str(label)) for sex, label in SEX_CHOICES]

    @property
    def grade_options(self) -> list[tuple[str, str]]:
        return [(str(g), grade_label(g)) for g in self.grades]

    @property
    def link_questions(self) -> list[LinkQuestion]:
        return list(QUESTIONS)

    def parse(self, form) -> tuple[ResponseData | None, dict[str, str]]:
        """The posted answers as a response, or None and a message per field in error."""
        errors: dict[str, str] = {}
        sex = form.get(SEX_FIELD, "")
        if sex not in {s.value for s in PupilSex}:
            errors[SEX_FIELD] = _("Choose an answer about sex. You can choose “Prefer not to say”.")
        grade_text = form.get(GRADE_FIELD, "")
        grade = int(grade_text) if grade_text.isdigit() else None
        if grade not in self.grades:
            errors[GRADE_FIELD] = _("Choose your grade.")
        answers = {}
        for item, question in zip(self.items, self.questions, strict=True):
            try:
                coded = decode(item.kind, form.get(question.name), len(item.options or []))
            except CodeError:
                errors[question.name] = _("Choose one of the answers.")
                continue
            if coded is None and item.required:
                errors[question.name] = _("This question must be answered.")
            elif coded is not None:
                answers[item.id] = coded
        link = {}
        for question in QUESTIONS:
            value = form.get(question.key, "")
            if value == LINK_UNKNOWN:
                link[question.key] = None
                continue
            if not value:
                errors[question.key] = _("Choose an answer, or “I don't know”.")
                continue
            try:
                link[question.key] = normalise(question, value)
            except LinkCodeError:
                errors[question.key] = _("Choose one of the answers.")
        if errors:
            return None, errors
        return ResponseData(sex, grade, answers, link), {}
