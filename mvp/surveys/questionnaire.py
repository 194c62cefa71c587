"""The online questionnaire as the respondent sees it: its questions in the reader's language,
cut into short pages in the paper form's order (about you, the questions five at a time, and
for a population that pairs answers the linkage code), and the checking of posted answers into
a response (no request here; the answering views call it). What the "about you" page asks
comes from the wave's population (mvp.surveys.populations): sex always, grade for pupils.
"""

from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import gettext as _

from mvp.schools.grades import grade_label
from mvp.surveys.answers import ResponseData
from mvp.surveys.coding import (
    AGREEMENT_LABELS,
    DONT_KNOW,
    DONT_KNOW_LABEL,
    YES_NO_LABELS,
    CodeError,
    decode,
)
from mvp.surveys.linkage import QUESTIONS, LinkCodeError, LinkQuestion, normalise
from mvp.surveys.models import Item, ResponseKind
from mvp.surveys.populations import Population, PopulationSpec, spec_of

SEX_FIELD = "kon"
GRADE_FIELD = "arskurs"
# The select value of "I don't know" in a linkage-code question (stored as an empty element).
LINK_UNKNOWN = "?"
# Questions per page: a phone screen or two, so progress is felt and nothing is far to scroll.
PAGE_SIZE = 5


@dataclass(frozen=True)
class Page:
    """One page of the pupil's questionnaire: `kind` is 'about', 'questions' or 'code'."""

    number: int
    kind: str
    questions: tuple = ()  # the Question objects of a 'questions' page

    def fields(self, questionnaire: "Questionnaire") -> tuple[str, ...]:
        """The form fields this page asks."""
        if self.kind == "about":
            return (SEX_FIELD, GRADE_FIELD) if questionnaire.asks_grade else (SEX_FIELD,)
        if self.kind == "code":
            return tuple(q.key for q in QUESTIONS)
        return tuple(q.name for q in self.questions)


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


def _scale_options(labels) -> list[tuple[str, str]]:
    return [
        *((str(n), str(label)) for n, label in enumerate(labels, start=1)),
        (DONT_KNOW, str(DONT_KNOW_LABEL)),
    ]


def item_options(item: Item, locale: str, translated: dict | None = None) -> list[tuple[str, str]]:
    """(code, label) of a question's boxes, in the order printed on paper.

    `translated` keeps the agreement and yes/no boxes once translated for a whole
    questionnaire (every page of every pupil builds one: the same few labels, translated
    once per item, were most of the page's time)."""
    if item.kind in (ResponseKind.AGREEMENT, ResponseKind.YES_NO):
        translated = {} if translated is None else translated
        if item.kind not in translated:
            labels = AGREEMENT_LABELS if item.kind == ResponseKind.AGREEMENT else YES_NO_LABELS
            translated[item.kind] = _scale_options(labels)
        return list(translated[item.kind])
    key = "en" if locale.startswith("en") else "sv"
    return [(str(n), o.get(key) or o.get("sv", "")) for n, o in enumerate(item.options, start=1)]


@dataclass
class Questionnaire:
    """What the answering page needs: background, questions and (pupils) the linkage code."""

    items: list[Item]
    grades: tuple[int, ...]
    locale: str = "sv"
    population: str = Population.PUPILS.value
    questions: list[Question] = field(init=False)

    @property
    def spec(self) -> PopulationSpec:
        return spec_of(self.population)

    @property
    def asks_grade(self) -> bool:
        return self.spec.asks_grade

    @property
    def asks_link_code(self) -> bool:
        return self.spec.pairs

    @property
    def sex_question(self) -> str:
        return str(self.spec.sex_question)

    def __post_init__(self):
        translated: dict = {}
        self.questions = [
            Question(
                f"q-{item.key}",
                number,
                _text(item, self.locale),
                item.kind,
                item_options(item, self.locale, translated),
                item.required,
            )
            for number, item in enumerate(self.items, start=1)
        ]

    @cached_property
    def pages(self) -> list[Page]:
        """About you first, then the questions five at a time, then the code: the order of the
        paper form and of the paper-entry grid."""
        chunks = [
            tuple(self.questions[n : n + PAGE_SIZE])
            for n in range(0, len(self.questions), PAGE_SIZE)
        ]
        pages = [Page(1, "about")]
        pages += [Page(n, "questions", chunk) for n, chunk in enumerate(chunks, start=2)]
        if self.asks_link_code:
            pages.append(Page(len(pages) + 1, "code"))
        return pages

    def all_fields(self) -> set[str]:
        """Every field name any page asks."""
        return {name for page in self.pages for name in page.fields(self)}

    def page_errors(self, page: Page, values) -> dict[str, str]:
        """The messages for this page's fields only (what stops the pupil going on)."""
        _data, errors = self.parse(values)
        return {name: errors[name] for name in page.fields(self) if name in errors}

    def first_page_with(self, errors: dict[str, str]) -> Page:
        """The first page that has one of these errors (the last page if none)."""
        for page in self.pages:
            if set(page.fields(self)) & set(errors):
                return page
        return self.pages[-1]

    @property
    def sex_options(self) -> list[tuple[str, str]]:
        return [(sex.value, str(label)) for sex, label in self.spec.sexes]

    @property
    def grade_options(self) -> list[tuple[str, str]]:
        return [(str(g), grade_label(g)) for g in self.grades]

    @property
    def link_questions(self) -> list[LinkQuestion]:
        return list(QUESTIONS) if self.asks_link_code else []

    def parse(self, form) -> tuple[ResponseData | None, dict[str, str]]:
        """The posted answers as a response, or None and a message per field in error."""
        errors: dict[str, str] = {}
        sex = form.get(SEX_FIELD, "")
        if sex not in self.spec.sex_values:
            errors[SEX_FIELD] = _("Choose an answer about sex. You can choose “Prefer not to say”.")
        grade = None
        if self.asks_grade:
            grade_text = form.get(GRADE_FIELD, "")
            grade = int(grade_text) if grade_text.isdecimal() else None
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
        for question in self.link_questions:
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
