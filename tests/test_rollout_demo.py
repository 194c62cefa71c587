"""The demo pilot's rollout: pilot schools established, the others on their way, any date."""

import datetime as dt

import pytest
import sqlalchemy as sa

from mvp.demo import build_demo
from mvp.extensions import db
from mvp.rollout.models import SchoolRollout, StageChange
from mvp.rollout.plan import rollout_summary
from mvp.rollout.terms import term_of


@pytest.mark.parametrize(
    "today",
    [dt.date.today(), dt.date(2026, 7, 3), dt.date(2027, 1, 8), dt.date(2027, 6, 20)],
)
def test_the_demo_shows_a_real_plan_whatever_the_date(app, today):
    context = build_demo(today=today)
    db.session.commit()
    stages = {
        rollout.school.name: rollout.stage
        for rollout in db.session.scalars(sa.select(SchoolRollout))
    }
    assert stages["Långsjöskolan"] == stages["Hallsta skola"] == "established"
    assert stages["Norrgårdsskolan"] == "preparing"
    assert stages["Ekbackens gymnasium"] == "paused"
    assert len(set(stages.values())) >= 5

    summary = rollout_summary(today)
    assert summary.schools_running == 2
    starting = [t for t in summary.terms if t.starting]
    assert len(starting) >= 3  # the next schools start in different coming terms
    assert all(t.term > term_of(today) for t in starting)
    norrgard = next(s for s in summary.schools if s.name == "Norrgårdsskolan")
    assert norrgard.trained_leaders == 3
    assert {"anchoring", "staff_half_day", "leaders", "supervision"}.isdisjoint(norrgard.missing)

    changes = list(db.session.scalars(sa.select(StageChange)))
    assert all(change.changed_on <= today for change in changes)
    pilot_starts = [c for c in changes if c.to_stage == "first_round"]
    assert len(pilot_starts) == 2 and all(c.reason for c in pilot_starts)
    assert context.schools["Kvarnbyskolan"].name in [s.name for s in summary.not_targeted]
