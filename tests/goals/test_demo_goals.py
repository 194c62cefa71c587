"""The demo's equality goals: three goals with Kolada-shaped figures labelled as made up."""

import datetime as dt

import sqlalchemy as sa

from mvp.extensions import db
from mvp.goals.models import Deviation, KoladaKpi, KoladaValue
from mvp.goals.results import build_follow_up
from tests.factories import sign_in

TODAY = dt.date(2026, 11, 20)


def test_the_demo_has_three_goals_with_demo_kolada_figures(demo, client):
    result = build_follow_up(year=TODAY.year - 1)
    assert len(result.goals) == 3
    assert {g.sub_goal for g in result.goals} == {"power", "health", "violence"}
    assert all(g.indicators for g in result.goals)
    assert all("påhittade" in g.description for g in result.goals)
    kpis = db.session.scalars(sa.select(KoladaKpi)).all()
    assert kpis and all("demodata, påhittade värden" in k.title for k in kpis)
    years = set(db.session.scalars(sa.select(KoladaValue.year)))
    assert years == {2022, 2023, 2024, 2025}
    statuses = {g.status for g in result.goals}
    assert "on_track" in statuses and "not_on_track" in statuses
    reach = next(i for g in result.goals for i in g.indicators if i.source == "own")
    assert reach.series  # the pilot's pupils, from the evaluation's reach
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Deviation)) == 2
    sign_in(client, demo.users["viewer"])
    page = client.get("/goals/").get_data(True)
    assert "Jämställd hälsa bland kommunens medarbetare" in page
    assert client.get("/goals/report.pdf?year=2025").status_code == 200
