"""Populations: who a questionnaire engine's wave asks, how they are counted by sex, and how
their codes are handed out.

The engine (instruments, versions, answering, single-use codes, scoring, suppression, the
result objects and their renderers) is written once; a population says only what differs:
- `sexes`: the values stored in Response.sex for it, in the order of the boxes, with labels;
- `codes`: WAVE_CODE (one shared access code per wave, typed or scanned in the room, as the
  pupils' waves) or SINGLE_USE (one code per person, each usable once: mvp.surveys.single_use);
- `pairs`: whether before/after answers are paired through self-generated linkage codes
  (pupils only: the other populations are anonymous cross-sections or unpaired before/after);
- `asks_grade`: the pupils' "which grade are you in?" background question;
- `permission`: the permission (mvp.auth.permissions) needed to see its instruments.

An area adds its population by adding a member to Population and calling `register()` at
import time (see ENGINE.md). Pupils are registered here because the engine began with them.
"""

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Population(StrEnum):
    """The kinds of people the questionnaire engine asks (Instrument/Wave.population)."""

    PUPILS = "pupils"  # pupil groups of the schools (mvp.schools), before/after MVP
    OFFICIALS = "officials"  # the municipality's elected officials (mvp.officials), yearly
    STAFF_TRAINING = "staff_training"  # trained staff, before/after a training programme


class Codes(StrEnum):
    """How the people of a population get to the questionnaire."""

    WAVE_CODE = "wave_code"  # one shared code per wave (Wave.code), typed or scanned
    SINGLE_USE = "single_use"  # one code per person, usable once (SingleUseCode)


class Sex(StrEnum):
    """Every value Response.sex may hold: the pupils' four and the adults' four."""

    GIRL = "girl"
    BOY = "boy"
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class PopulationSpec:
    """What differs between populations; everything else is the engine's."""

    population: Population
    sexes: tuple[tuple[Sex, object], ...]  # (stored value, label) in the order of the boxes
    sex_question: object  # the background question about sex, as asked online
    codes: Codes
    pairs: bool = False
    asks_grade: bool = False
    permission: str = "instruments.view"

    @property
    def sex_values(self) -> tuple[str, ...]:
        return tuple(sex.value for sex, _label in self.sexes)

    def sex_label(self, value: str) -> str:
        """The reader's word for a stored sex value."""
        return str({s.value: label for s, label in self.sexes}.get(value, value))


# The reader's names of the populations (the audit log, the instruments' list).
POPULATION_LABELS = {
    Population.PUPILS: _l("Pupils"),
    Population.OFFICIALS: _l("Elected officials"),
    Population.STAFF_TRAINING: _l("Trained staff"),
}

_REGISTRY: dict[Population, PopulationSpec] = {}

# Adults are asked the same way in every adult population (officials, trained staff).
ADULT_SEXES = (
    (Sex.WOMAN, _l("Woman")),
    (Sex.MAN, _l("Man")),
    (Sex.OTHER, _l("Other")),
    (Sex.NO_ANSWER, _l("Prefer not to say")),
)
ADULT_SEX_QUESTION = _l("Are you a woman, a man or something else?")


def register(spec: PopulationSpec) -> PopulationSpec:
    """Make a population known to the engine (called once per area, at import)."""
    _REGISTRY[spec.population] = spec
    return spec


def spec_of(population: str) -> PopulationSpec:
    """The spec of a registered population; KeyError for one nobody registered."""
    return _REGISTRY[Population(population)]


def registered() -> list[PopulationSpec]:
    """Every registered population, pupils first."""
    return [_REGISTRY[p] for p in Population if p in _REGISTRY]


PUPILS = register(
    PopulationSpec(
        Population.PUPILS,
        sexes=(
            (Sex.GIRL, _l("Girl")),
            (Sex.BOY, _l("Boy")),
            (Sex.OTHER, _l("Other")),
            (Sex.NO_ANSWER, _l("Prefer not to say")),
        ),
        sex_question=_l("Are you a girl, a boy or something else?"),
        codes=Codes.WAVE_CODE,
        pairs=True,
        asks_grade=True,
    )
)
