"""The demo pilot: a realistic municipality for trying the app, built by `flask demo`.

Each area adds a step to STEPS; a step gets the DemoContext and fills it further. The
data are made from a fixed random seed relative to today's date, so the pilot's first
round lies in the previous school year and its second round is under way now.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from mvp.schools.years import current_school_year


@dataclass
class DemoContext:
    """What the steps build on: the dates, a seeded random source and what earlier steps made."""

    today: dt.date
    rng: random.Random
    seed: int = 2025
    schools: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    passwords: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def rng_for(self, step: str) -> random.Random:
        """A random source of one step's own, so that what one step draws (which may depend on
        today's date) never changes what the next step makes."""
        return random.Random(f"{self.seed}:{step}")

    @property
    def current_year(self) -> int:
        return current_school_year(self.today)

    @property
    def pilot_year(self) -> int:
        return self.current_year - 1


def school_day(day: dt.date, *, latest: dt.date | None = None) -> dt.date:
    """The day itself on a weekday; a Saturday or Sunday moves to the Monday after (or, when
    that would pass `latest`, to the Friday before). Schools hold lessons and trainings, and
    classes answer questionnaires, on weekdays."""
    if day.weekday() < 5:
        return day
    monday = day + dt.timedelta(days=7 - day.weekday())
    if latest is not None and monday > latest:
        return day - dt.timedelta(days=day.weekday() - 4)
    return monday


def _steps() -> list[Callable[[DemoContext], None]]:
    from mvp.demo import (
        accounts,
        delivery,
        evaluation,
        goals,
        officials,
        rollout,
        schools,
        staff_training,
        surveys,
    )

    return [
        schools.seed,
        accounts.seed,
        delivery.seed,
        surveys.seed,
        rollout.seed,
        evaluation.seed,
        officials.seed,
        staff_training.seed,
        goals.seed,
    ]


def build_demo(today: dt.date | None = None, seed: int = 2025) -> DemoContext:
    """Fill the (empty) database with the demo pilot; the caller commits."""
    context = DemoContext(today=today or dt.date.today(), rng=random.Random(seed), seed=seed)
    for step in _steps():
        step(context)
    return context
