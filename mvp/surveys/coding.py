"""How answers are coded: the boxes a pupil ticks, the codes typed from paper or imported, and
the values stored in Answer.

One rule for every channel: a code is the number of the box, counted from the first one on the
form (1 = the first box), "V" is the "Vet inte" box and an empty cell is a question left blank.
So for the 4-step agreement scale 1 = "Stämmer helt och hållet" … 4 = "Stämmer inte alls"; the
stored value is turned round so that a higher value means more agreement (Answer.value:
4 = stämmer helt och hållet … 1 = stämmer inte alls). For yes/no, 1 = Ja (stored 1) and
2 = Nej (stored 0). For a single choice, the code is the option's position, which is also its
stored value. "Vet inte" is stored as dont_know with no value.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from mvp.surveys.models import PupilSex, ResponseKind

DONT_KNOW = "V"

AGREEMENT_LABELS = (
    _l("Completely true"),
    _l("Fairly true"),
    _l("Not very true"),
    _l("Not true at all"),
)
YES_NO_LABELS = (_l("Yes"), _l("No"))
DONT_KNOW_LABEL = _l("Don't know")

# Sex as asked of the pupils, in the order of the boxes (code 1–4).
SEX_CHOICES = (
    (PupilSex.GIRL, _l("Girl")),
    (PupilSex.BOY, _l("Boy")),
    (PupilSex.OTHER, _l("Other")),
    (PupilSex.NO_ANSWER, _l("Prefer not to say")),
)
# Words accepted in an imported file beside the codes 1–4 (lower case).
_SEX_WORDS = {
    "tjej": PupilSex.GIRL,
    "flicka": PupilSex.GIRL,
    "girl": PupilSex.GIRL,
    "kille": PupilSex.BOY,
    "pojke": PupilSex.BOY,
    "boy": PupilSex.BOY,
    "annat": PupilSex.OTHER,
    "other": PupilSex.OTHER,
    "vill inte svara": PupilSex.NO_ANSWER,
    "prefer not to say": PupilSex.NO_ANSWER,
}


class CodeError(ValueError):
    """A typed or imported code that the question does not allow; str() is the message."""


@dataclass(frozen=True)
class Coded:
    """One answer as stored: a value, or dont_know (value None)."""

    value: int | None
    dont_know: bool = False


def allowed_codes(kind: str, option_count: int = 0) -> list[str]:
    """The codes a question of this kind accepts (besides blank), in box order."""
    if kind == ResponseKind.AGREEMENT:
        return ["1", "2", "3", "4", DONT_KNOW]
    if kind == ResponseKind.YES_NO:
        return ["1", "2", DONT_KNOW]
    return [str(n) for n in range(1, option_count + 1)]


def allowed_text(kind: str, option_count: int = 0) -> str:
    """The allowed codes as the error messages and the grid's hints write them."""
    if kind == ResponseKind.AGREEMENT:
        return str(_l("1–4, V or blank"))
    if kind == ResponseKind.YES_NO:
        return str(_l("1 (yes), 2 (no), V or blank"))
    return str(_l("1–%(n)d or blank", n=option_count))


def decode(kind: str, code: str | None, option_count: int = 0) -> Coded | None:
    """The stored answer for a code; None for blank; raises CodeError for anything else."""
    text = (code or "").strip().upper()
    if not text:
        return None
    if text not in allowed_codes(kind, option_count):
        raise CodeError(_l("Only %(allowed)s.", allowed=allowed_text(kind, option_count)))
    if text == DONT_KNOW:
        return Coded(None, True)
    number = int(text)
    if kind == ResponseKind.AGREEMENT:
        return Coded(5 - number)
    if kind == ResponseKind.YES_NO:
        return Coded(1 if number == 1 else 0)
    return Coded(number)


def encode(kind: str, value: int | None, dont_know: bool) -> str:
    """The code of a stored answer (the inverse of decode); '' for none."""
    if dont_know:
        return DONT_KNOW
    if value is None:
        return ""
    if kind == ResponseKind.AGREEMENT:
        return str(5 - value)
    if kind == ResponseKind.YES_NO:
        return "1" if value == 1 else "2"
    return str(value)


def decode_sex(code: str | None) -> str:
    """PupilSex for a code 1–4 (or a word such as "tjej"); raises CodeError when blank or bad."""
    text = (code or "").strip().lower()
    if not text:
        raise CodeError(_l("Required: 1–4 (4 = prefer not to say, also when left blank)."))
    if text in {"1", "2", "3", "4"}:
        return SEX_CHOICES[int(text) - 1][0].value
    if text in _SEX_WORDS:
        return _SEX_WORDS[text].value
    if text in {s.value for s in PupilSex}:
        return text
    raise CodeError(_l("Only 1 (girl), 2 (boy), 3 (other) or 4 (prefer not to say)."))


def encode_sex(sex: str) -> str:
    """The code 1–4 of a stored sex."""
    return str([s.value for s, _label in SEX_CHOICES].index(sex) + 1)


def decode_grade(code: str | None, grades: tuple[int, ...]) -> int:
    """A grade the school teaches; raises CodeError when blank or not one of them."""
    text = (code or "").strip()
    if not text:
        raise CodeError(_l("Required: the pupil's grade."))
    if not text.isdecimal() or int(text) not in grades:
        raise CodeError(
            _l("Only one of the school's grades (%(grades)s).", grades=_grade_list(grades))
        )
    return int(text)


def _grade_list(grades: tuple[int, ...]) -> str:
    return ", ".join(str(g) for g in grades)
