"""The elected officials' safety survey: the municipality's political bodies and their seats
by sex (counts only), a yearly round on the questionnaire engine with one single-use code per
seat, and the share of women and of men who feel safe in their political role.

The officials are the engine's second population (mvp.surveys.populations.Population.OFFICIALS),
registered here; instruments, answering, codes, scoring and the renderers are the engine's.
"""

from flask_babel import lazy_gettext as _l

from mvp.surveys.populations import (
    ADULT_SEX_QUESTION,
    ADULT_SEXES,
    Codes,
    Population,
    PopulationSpec,
    register,
)

OFFICIALS = register(
    PopulationSpec(
        Population.OFFICIALS,
        sexes=ADULT_SEXES,
        sex_question=ADULT_SEX_QUESTION,
        codes=Codes.SINGLE_USE,
        pairs=False,
        asks_grade=False,
        permission="officials.manage",
    )
)

__all__ = ["OFFICIALS", "_l"]
