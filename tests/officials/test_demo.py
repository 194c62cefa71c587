"""The demo's elected officials: bodies, three yearly rounds with a plausible trend."""

import datetime as dt

import pytest
import sqlalchemy as sa

from mvp.demo import build_demo
from mvp.evaluation.suppress import SUPPRESSED
from mvp.extensions import db
from mvp.officials import results, services
from mvp.officials.models import PoliticalBody


@pytest.mark.parametrize("today", [dt.date.today(), dt.date(2027, 2, 3)])
def test_the_demo_has_bodies_and_three_rounds_with_a_trend(app, today):
    build_demo(today=today)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(PoliticalBody.id))) == 6
    rounds = services.list_rounds()
    assert [r.year for r in rounds] == [today.year, today.year - 1, today.year - 2]
    statuses = [services.round_status(r) for r in rounds]
    assert statuses[1:] == ["closed", "closed"]
    if today == dt.date.today():  # this year's round is open around the demo's today
        assert statuses[0] == "open"
    result = results.build()
    assert len(result.trend) == 3
    for year in result.trend:
        assert 0.45 < year.response_rate < 0.8
        for group in ("woman", "man"):
            assert year.safe[group].share not in (None, SUPPRESSED)
            assert year.safe[group].n >= 20
    women = [y.safe["woman"].share for y in result.trend]
    men = [y.safe["man"].share for y in result.trend]
    assert women[-1] > women[0]  # women's sense of safety rises over the three years
    assert all(w < m for w, m in zip(women, men, strict=True))  # from below men's
    assert len(result.references) == 2 and result.changes
    rates = services.response_rates(rounds[0])
    assert rates[-1].kind == "total" and sum(rates[-1].answers.values()) == result.trend[-1].answers
