"""Self-generated linkage codes: the questions, the keyed hashes, and pairing before with after.

A pupil answers a few stable questions that together form a code. Each answer is stored only as
an HMAC-SHA256 under the installation's key (instance/linkage_key or MVP_LINKAGE_KEY), one
hash per element, so the code can be compared element by element but never read back.

Pairing (the pure function `pair`) follows the Irish school study the project relies on: an
exact match first, else a match where exactly one element differs, but only when that pairing
is unambiguous in both directions. Duplicated codes within a wave, codes that could belong to
several pupils, and codes with too few answered elements are left unpaired and counted.
"""

import hashlib
import hmac
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from mvp.keys import instance_secret
from mvp.surveys.models import LinkQuality

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"


@dataclass(frozen=True)
class LinkQuestion:
    """One element of the linkage code: its column in imports, its question and its answers.

    `options` are (code, label) pairs; the code is what the paper form, the import file and the
    online form send, and what is hashed.
    """

    key: str
    label: object
    hint: object
    options: tuple[tuple[str, object], ...]


_MONTHS = (
    _l("January"),
    _l("February"),
    _l("March"),
    _l("April"),
    _l("May"),
    _l("June"),
    _l("July"),
    _l("August"),
    _l("September"),
    _l("October"),
    _l("November"),
    _l("December"),
)

# The order is part of the stored codes (Response.link_code): never reorder, only append.
QUESTIONS: tuple[LinkQuestion, ...] = (
    LinkQuestion(
        "kod_bokstav",
        _l("Which letter does your mother's first name start with?"),
        _l("If you have no mother, think of another adult who looks after you."),
        tuple((letter, letter) for letter in LETTERS),
    ),
    LinkQuestion(
        "kod_manad",
        _l("Which month were you born in?"),
        "",
        tuple((str(n), label) for n, label in enumerate(_MONTHS, start=1)),
    ),
    LinkQuestion(
        "kod_dag",
        _l("What is the last digit of the day you were born?"),
        _l("Born on the 23rd: 3. Born on the 10th: 0."),
        tuple((str(n), str(n)) for n in range(10)),
    ),
    LinkQuestion(
        "kod_syskon",
        _l("How many older brothers and sisters do you have?"),
        _l("Count half-siblings too."),
        (*((str(n), str(n)) for n in range(5)), ("5", _l("5 or more"))),
    ),
    LinkQuestion(
        "kod_namn",
        _l("How many letters are there in your first name?"),
        _l("Your first name as it is written in school, without a double name's second part."),
        (*((str(n), str(n)) for n in range(1, 15)), ("15", _l("15 or more"))),
    ),
    LinkQuestion(
        "kod_hand",
        _l("Which hand do you write with?"),
        "",
        (("1", _l("Right")), ("2", _l("Left")), ("3", _l("Both"))),
    ),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
# A code with fewer answered elements than this is too weak to pair (counted as incomplete).
MIN_ANSWERED = len(QUESTIONS) - 1


class LinkCodeError(ValueError):
    """A linkage-code answer that its question does not allow; str() is the message."""


def normalise(question: LinkQuestion, text: str | None) -> str | None:
    """The canonical code of an answer (upper-case letter, number without zeros), or None.

    Raises LinkCodeError when the answer is not one of the question's options.
    """
    value = (text or "").strip().upper()
    if not value or value in {"?", "-"}:
        return None
    if value.isdecimal():
        value = str(int(value))
    if value not in {code for code, _label in question.options}:
        if question.key == "kod_bokstav":
            raise LinkCodeError(_l("Only one letter A–Ö, or blank."))
        first, last = question.options[0][0], question.options[-1][0]
        raise LinkCodeError(_l("Only %(first)s–%(last)s, or blank.", first=first, last=last))
    return value


def linkage_key() -> bytes:
    """The installation's HMAC key: MVP_LINKAGE_KEY, else generated once into instance/."""
    key = current_app.config.get("LINKAGE_KEY") or instance_secret(
        current_app.instance_path, "linkage_key"
    )
    return str(key).encode()


def hash_element(key: bytes, question_key: str, code: str | None) -> str | None:
    """The keyed hash of one element (hex, 16 characters = 64 bits); None stays None."""
    if code is None:
        return None
    digest = hmac.new(key, f"{question_key}={code}".encode(), hashlib.sha256).hexdigest()
    return digest[:16]


def hash_code(codes: dict[str, str | None], key: bytes | None = None) -> list[str | None]:
    """The stored linkage code: one hash per question, in QUESTIONS order."""
    key = key if key is not None else linkage_key()
    return [hash_element(key, q.key, codes.get(q.key)) for q in QUESTIONS]


# --- pairing --------------------------------------------------------------------------------


Code = tuple[str | None, ...]


def answered(code: Code) -> int:
    """How many elements of a code were answered."""
    return sum(1 for element in code if element is not None)


def distance(a: Code, b: Code) -> int:
    """Elements that differ; an unanswered element on either side counts as differing."""
    if len(a) != len(b):
        return max(len(a), len(b))
    return sum(1 for x, y in zip(a, b, strict=True) if x is None or y is None or x != y)


@dataclass
class Pairing:
    """The outcome of pairing one pool of earlier with one pool of later responses (by id)."""

    pairs: list[tuple[int, int, str]] = field(default_factory=list)  # before, later, quality
    duplicates: set[int] = field(default_factory=set)
    ambiguous: set[int] = field(default_factory=set)
    incomplete: set[int] = field(default_factory=set)

    def merge(self, other: "Pairing") -> None:
        """Add another pool's outcome to this one."""
        self.pairs += other.pairs
        self.duplicates |= other.duplicates
        self.ambiguous |= other.ambiguous
        self.incomplete |= other.incomplete

    @property
    def paired_ids(self) -> set[int]:
        return {b for b, _later, _q in self.pairs} | {later for _b, later, _q in self.pairs}

    @property
    def left_out(self) -> set[int]:
        """Responses that must not be tried again in a wider pool."""
        return self.duplicates | self.ambiguous | self.incomplete


def _split(codes: dict[int, Code], result: Pairing) -> dict[int, Code]:
    """Set aside incomplete and duplicated codes; return the usable ones."""
    complete = {}
    for rid, code in codes.items():
        if answered(code) < MIN_ANSWERED:
            result.incomplete.add(rid)
        else:
            complete[rid] = tuple(code)
    seen = Counter(complete.values())
    for rid, code in list(complete.items()):
        if seen[code] > 1:
            result.duplicates.add(rid)
            del complete[rid]
    return complete


def pair(befores: dict[int, Code], laters: dict[int, Code], *, one_differs: bool = True) -> Pairing:
    """Pair earlier with later responses of the same pupils, by their linkage codes.

    1. A code with fewer than MIN_ANSWERED answered elements is incomplete; a code given by two
       or more responses of the same side is a duplicate. Neither is paired.
    2. Exact: a fully answered later code equal to exactly one earlier code (an exact match
       to a duplicated code makes the later one ambiguous).
    3. One differs: among the rest, a later and an earlier code one element apart, when each is
       the other's only such candidate. Otherwise both are ambiguous.
    With one_differs=False only step 2 pairs (for wide pools, where a near match is too
    likely to be another pupil). The result does not depend on the order of the input.
    """
    result = Pairing()
    before = _split(befores, result)
    later = _split(laters, result)
    duplicated_before = {tuple(befores[rid]) for rid in result.duplicates if rid in befores}

    # Only fully answered codes can be equal: an unanswered element counts as a difference.
    by_code = {code: rid for rid, code in before.items() if None not in code}
    open_before = dict(before)
    open_later = {}
    for rid, code in sorted(later.items()):
        if None not in code and code in by_code:
            result.pairs.append((by_code[code], rid, LinkQuality.EXACT.value))
            open_before.pop(by_code[code])
        elif code in duplicated_before:
            result.ambiguous.add(rid)
        else:
            open_later[rid] = code

    if not one_differs:
        return result
    candidates_of_later = defaultdict(list)
    candidates_of_before = defaultdict(list)
    for lid, lcode in open_later.items():
        for bid, bcode in open_before.items():
            if distance(lcode, bcode) == 1:
                candidates_of_later[lid].append(bid)
                candidates_of_before[bid].append(lid)
    for lid in sorted(candidates_of_later):
        bids = candidates_of_later[lid]
        if len(bids) == 1 and len(candidates_of_before[bids[0]]) == 1:
            result.pairs.append((bids[0], lid, LinkQuality.ONE_DIFFERS.value))
        else:
            result.ambiguous.add(lid)
            result.ambiguous.update(bids)
    return result
