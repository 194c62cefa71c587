"""The lesson plans shipped with the application (mvp/data/lesson_plans.toml), read as data.

This module reads the file only, so that migration 0005_delivery can use it without the app;
``mvp.lessons.services.load_standard_plans`` puts missing plans into the database.
"""

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class StandardPlan:
    """One shipped lesson plan: its name, a description and the themes of lessons 1..N."""

    name: str
    description: str
    themes: tuple[str, ...]


def standard_plans() -> list[StandardPlan]:
    """The plans in mvp/data/lesson_plans.toml, in the file's order."""
    text = resources.files("mvp").joinpath("data/lesson_plans.toml").read_text(encoding="utf-8")
    return [
        StandardPlan(plan["name"], plan.get("description", ""), tuple(plan["themes"]))
        for plan in tomllib.loads(text)["plan"]
    ]
