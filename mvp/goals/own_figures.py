"""The application's own figures as indicators, updated without typing: a provider registry.

A provider has a key (stored on the indicator), a label (the indicator's title) and a loader:
a function without arguments returning the figures per year as a list of
``mvp.goals.follow_up.YearFigures(year, women, men, total)``, each figure a number, None or
".." (hidden by the area's own suppression). A provider reads its area's figures through the
area's own loaders, so an indicator always equals what the area shows.

Adding a provider is one registration at the end of this module, with the loader named by
its dotted path so that this module imports no area (and no area imports this one)::

    register("officials_safe", _l("Elected officials who feel safe"), "mvp.officials.goals:safe")

Years are calendar years. A school year counts for the year it starts in, as the application
numbers school years: pupils reached in 2024/25 are the figure of 2024 (the lessons of its
autumn fall in the equality report, jämställdhetsbokslut, of 2024).
"""

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from mvp.goals.follow_up import YearFigures


@dataclass(frozen=True)
class Provider:
    """One own figure: its key, its label and where its loader lives ("module:function")."""

    key: str
    label: object
    loader: str
    unit: object = ""

    def load(self) -> list[YearFigures]:
        module, name = self.loader.split(":")
        function: Callable[[], list[YearFigures]] = getattr(importlib.import_module(module), name)
        return function()


PROVIDERS: dict[str, Provider] = {}


def register(key: str, label, loader: str, unit="") -> None:
    """Offer an own figure as an indicator source (see the module's text)."""
    PROVIDERS[key] = Provider(key, label, loader, unit)


def provider(key: str) -> Provider | None:
    """The provider of a key, or None (e.g. one removed since the indicator was made)."""
    return PROVIDERS.get(key)


def mvp_reach() -> list[YearFigures]:
    """Pupils reached by MVP by sex per school year: the evaluation's reach, total row.

    The groups are read by the evaluation's own loader and counted and protected by its
    reach section (girls, boys and the total with others; ".." where the evaluation hides it).
    """
    from mvp.evaluation.data import RawData, load_selected_fidelity
    from mvp.evaluation.filters import EvaluationFilter
    from mvp.evaluation.sections import frame, reach
    from mvp.extensions import db
    from mvp.schools.models import StudentGroup

    years = sorted(db.session.scalars(sa.select(StudentGroup.school_year).distinct()))
    if not years:
        return []
    today = dt.date.today()
    min_n = int(current_app.config["SUPPRESSION_MIN"])
    fidelity = load_selected_fidelity(EvaluationFilter(years=tuple(years)), today)
    by_year = defaultdict(list)
    for facts in fidelity.groups:
        by_year[facts.group.school_year].append(facts.group)
    figures = []
    for year in years:
        groups = by_year.get(year, [])
        if not groups:
            continue
        shared = frame.frame(RawData(fidelity=fidelity, groups=groups), today, min_n)
        _rows, total, _counted = reach.pupils(groups, [], shared, min_n)
        figures.append(YearFigures(year, total.girls, total.boys, total.total))
    return figures


# The providers, one line each (integrators: add yours here).
register("mvp_reach", _l("Pupils reached by MVP"), "mvp.goals.own_figures:mvp_reach", _l("pupils"))
register(
    "officials_safe",
    _l("Elected officials who feel safe in their political role"),
    "mvp.officials.figures:safe_by_year",
    "%",
)
register(
    "managers_trained",
    _l("Managers trained in gender mainstreaming"),
    "mvp.staff_training.figures:managers_trained",
    "%",
)
register(
    "staff_trained",
    _l("Staff trained in gender mainstreaming"),
    "mvp.staff_training.figures:staff_trained",
    "%",
)
