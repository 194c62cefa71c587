"""Small factories for the equality goals, built through the real services."""

from pathlib import Path

import sqlalchemy as sa

from mvp.extensions import db
from mvp.goals import kolada, services
from mvp.goals.services import GoalData, IndicatorData
from mvp.organisation.models import Administration

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> bytes:
    """A recorded Kolada file or answer of tests/goals/recorded."""
    return (RECORDED / name).read_bytes()


def make_administration(name: str = "Kommunledningsförvaltningen") -> Administration:
    found = db.session.scalar(sa.select(Administration).where(Administration.name == name))
    if found is not None:
        return found
    administration = Administration(name=name)
    db.session.add(administration)
    db.session.commit()
    return administration


def make_goal(administration=None, owners=(), **overrides):
    data = {
        "title": "Jämn könsfördelning i kommunfullmäktige",
        "sub_goal": "power",
        "administration_id": (administration or make_administration()).id,
        "first_year": "2022",
        "last_year": "2027",
        "owner_ids": [u.id for u in owners],
    }
    data.update(overrides)
    goal = services.save_goal(None, GoalData(**data))
    db.session.commit()
    return goal


def make_indicator(goal, **overrides):
    data = {
        "source": "typed",
        "title": "Andel som känner sig trygga",
        "source_note": "Medarbetarenkät",
        "target_kind": "values",
        "target_women": 80.0,
        "target_men": 80.0,
        "target_year": "2027",
    }
    data.update(overrides)
    indicator = services.save_indicator(goal, None, IndicatorData(**data))
    db.session.commit()
    return indicator


def import_recorded(name: str = "kolada_v3_data.json"):
    """Import a recorded Kolada file (committed)."""
    saved = kolada.import_download(recorded(name), name)
    db.session.commit()
    return saved


def type_figures(indicator, *rows):
    """(year, women, men, total) rows as typed figures."""
    for year, women, men, total in rows:
        services.save_typed_value(
            indicator, services.TypedData(str(year), women, men, total, "Medarbetarenkät")
        )
    db.session.commit()
