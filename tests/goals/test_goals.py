"""Goals, indicators and deviations as a lead and a goal's owner use them: the pages, the
checks with Swedish messages, the history of deviations, the MVP reach figure, and the
overview's fixed number of queries."""

import datetime as dt

import sqlalchemy as sa

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.suppress import SUPPRESSED
from mvp.extensions import db
from mvp.goals import own_figures, services
from mvp.goals.models import Deviation, Goal, Indicator
from mvp.goals.results import build_follow_up
from mvp.goals.services import DeviationData, IndicatorData
from mvp.schools.years import current_school_year
from mvp.validation import Invalid
from tests.factories import make_group, make_school, make_user, sign_in
from tests.goals.factories import (
    import_recorded,
    make_administration,
    make_goal,
    make_indicator,
    type_figures,
)


def test_lead_registers_a_goal_and_a_kolada_indicator_and_sees_its_follow_up(client):
    import_recorded("kolada_v3_data.json")
    administration = make_administration("Kommunledningsförvaltningen")
    sign_in(client, make_user("lead"))
    response = client.post(
        "/goals/new",
        data={
            "title": "Jämn könsfördelning bland de förtroendevalda",
            "sub_goal": "power",
            "administration_id": str(administration.id),
            "first_year": "2022",
            "last_year": "2027",
        },
    )
    goal = db.session.scalar(sa.select(Goal))
    assert response.headers["Location"].endswith(f"/goals/{goal.id}/indicators/new")
    client.post(
        f"/goals/{goal.id}/indicators/new",
        data={
            "source": "kolada",
            "kpi": "N00938",
            "higher_is_better": "1",
            "target_kind": "gap",
            "target_gap": "2",
            "target_year": "2027",
            "unit": "procent",
        },
    )
    page = client.get(f"/goals/{goal.id}").get_data(True)
    assert "Förtroendevalda i kommunfullmäktige" not in page  # the export had no title
    assert "N00938" in page
    assert "Källa: Kolada (N00938)" in page
    assert "Skillnad högst 2 procent år 2027" in page
    # Gap 2023: 31 − 34 = −3, smaller than 5,5 in 2022; 2027 is reached on the line.
    assert "-3,0 (2023), minskar" in page
    assert "på väg" in page
    overview = client.get("/goals/").get_data(True)
    assert "Jämn könsfördelning bland de förtroendevalda" in overview
    assert "En jämn fördelning av makt och inflytande" in overview
    assert "Källa: Kolada" in overview


def test_a_target_for_women_and_men_on_totals_only_is_refused_in_swedish(app):
    goal = make_goal()
    data = IndicatorData(
        source="typed",
        title="Andel av budgeten till föreningar",
        source_note="Egen uppföljning",
        by_sex=False,
        target_kind="values",
        target_women=50.0,
        target_men=50.0,
        target_year="2027",
    )
    try:
        services.save_indicator(goal, None, data)
    except Invalid as refused:
        message = refused.errors["target_kind"]
    db.session.rollback()
    assert message == (
        "”Andel av budgeten till föreningar” har bara totalsiffror, inte siffror för kvinnor "
        "och män. Välj ett målvärde för totalen."
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0


def test_unknown_kpi_and_wrong_year_on_the_indicator_form(client):
    goal = make_goal()
    sign_in(client, make_user("lead"))
    page = client.post(
        f"/goals/{goal.id}/indicators/new",
        data={
            "source": "kolada",
            "kpi": "N12345",
            "target_kind": "total",
            "target_total": "3",
            "target_year": "20x7",
        },
    ).get_data(True)
    assert "Nyckeltalet N12345 har inte hämtats från Kolada." in page
    assert "”20x7” är inte ett år." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Indicator)) == 0


def test_deviations_are_kept_as_history_and_owners_may_record_them(client):
    owner = make_user("coordinator", name="Ida Ägare")
    other = make_user("coordinator", name="Ola Annan")
    goal = make_goal(owners=[owner])
    indicator = make_indicator(goal)
    type_figures(indicator, (2023, 70.0, 78.0, 74.0), (2024, 71.0, 80.0, 75.5))
    sign_in(client, other)
    assert client.get(f"/goals/{goal.id}/deviations/new").status_code == 403
    sign_in(client, owner)
    first = {
        "indicator_id": str(indicator.id),
        "year": "2024",
        "cause": "Kvinnor på deltid når inte utbildningarna.",
        "action": "Utbildningen ges även på kvällstid.",
        "responsible": "HR-chefen",
        "follow_up_on": "2025-06-30",
    }
    client.post(f"/goals/{goal.id}/deviations/new", data=first)
    earlier = db.session.scalar(sa.select(Deviation))
    client.post(
        f"/goals/{goal.id}/deviations/new",
        data=first | {"cause": "Ny analys: schemat krockar.", "follows_id": str(earlier.id)},
    )
    rows = db.session.scalars(sa.select(Deviation).order_by(Deviation.id)).all()
    assert [r.cause for r in rows] == [
        "Kvinnor på deltid når inte utbildningarna.",
        "Ny analys: schemat krockar.",
    ]
    assert rows[1].follows_id == rows[0].id and rows[1].recorded_by_id == owner.id
    page = client.get(f"/goals/{goal.id}").get_data(True)
    assert page.index("Ny analys: schemat krockar.") < page.index("Kvinnor på deltid")
    assert "inte på väg" in page  # women 71 (+1 a year) do not reach 80 by 2027


def test_a_deviation_without_cause_or_date_is_refused(app):
    goal = make_goal()
    indicator = make_indicator(goal)
    data = DeviationData(indicator.id, "2024", "", "Åtgärd", "Chef", None)
    try:
        services.record_deviation(goal, data, actor=None)
    except Invalid as refused:
        errors = refused.errors
    assert errors["cause"] == "Skriv den analyserade orsaken."
    assert errors["follow_up_on"] == "Skriv datum för uppföljningen, t.ex. 2026-03-15."


def test_the_mvp_reach_figure_equals_the_evaluations_reach_by_sex(app):
    year = current_school_year()
    school = make_school(name="Långsjöskolan")
    make_group(school, school_year=year, girls=12, boys=11, others=1)
    make_group(school, school_year=year, girls=13, boys=14, others=0)
    make_group(make_school(name="Hallsta skola"), school_year=year - 1, girls=10, boys=12, others=0)
    figures = {f.year: f for f in own_figures.provider("mvp_reach").load()}
    for school_year in (year - 1, year):
        total = build_evaluation(EvaluationFilter(years=(school_year,))).reach.total
        shown = figures[school_year]
        assert (shown.women, shown.men, shown.total) == (total.girls, total.boys, total.total)
    # By hand: 10 girls and 12 boys in the earlier year. This year one pupil of "other" is
    # hidden, and the evaluation hides the boys too so that it cannot be worked out.
    assert (figures[year - 1].women, figures[year - 1].men, figures[year - 1].total) == (
        10,
        12,
        22,
    )
    assert (figures[year].women, figures[year].men) == (25, SUPPRESSED)


def test_the_overview_reads_in_a_fixed_number_of_queries(client, count_queries):
    import_recorded("kolada_v3_data.json")
    make_school(name="Långsjöskolan")
    sign_in(client, make_user("viewer"))

    def add_goals(n):
        for number in range(n):
            goal = make_goal(
                administration=make_administration(f"Förvaltning {number}"),
                title=f"Mål {number} {dt.datetime.now().timestamp()}",
            )
            make_indicator(goal)
            make_indicator(
                goal, source="kolada", kpi="N00938", target_kind="gap", target_gap=1.0, title=""
            )
            make_indicator(
                goal,
                source="own",
                provider="mvp_reach",
                target_kind="total",
                target_total=100.0,
                title="",
            )

    add_goals(1)
    with count_queries() as few:
        assert client.get("/goals/").status_code == 200
    add_goals(5)
    with count_queries() as many:
        assert client.get("/goals/").status_code == 200
    assert len(many) == len(few)


def test_the_follow_up_object_names_kolada_as_the_source(app):
    import_recorded("kolada_v3_data.json")
    goal = make_goal()
    make_indicator(
        goal,
        source="kolada",
        kpi="N00938",
        target_kind="values",
        target_women=40.0,
        target_men=40.0,
        title="",
    )
    result = build_follow_up()
    assert result.uses_kolada
    assert result.goals[0].indicators[0].source_label == "Källa: Kolada (N00938)"


def test_the_lead_changes_a_goal_and_an_indicators_target(client):
    goal = make_goal()
    indicator = make_indicator(goal)
    sign_in(client, make_user("lead"))
    form = client.get(f"/goals/{goal.id}/edit").get_data(True)
    assert 'value="2022"' in form and 'value="2027"' in form
    client.post(
        f"/goals/{goal.id}/edit",
        data={
            "title": "Jämställd hälsa",
            "sub_goal": "health",
            "administration_id": str(goal.administration_id),
            "first_year": "2023",
            "last_year": "2030",
            "version": str(goal.version),
        },
    )
    client.post(
        f"/goals/indicators/{indicator.id}/edit",
        data={
            "source": "typed",
            "title": indicator.title,
            "source_note": "SCB",
            "by_sex": "y",
            "higher_is_better": "1",
            "target_kind": "gap",
            "target_gap": "2,5",
            "target_year": "2030",
            "version": str(indicator.version),
        },
    )
    db.session.expire_all()
    changed = db.session.get(Goal, goal.id)
    assert (changed.title, changed.sub_goal, changed.last_year) == (
        "Jämställd hälsa",
        "health",
        2030,
    )
    target = db.session.get(Indicator, indicator.id)
    assert (target.target_kind, target.target_gap, target.target_women) == ("gap", 2.5, None)
    assert target.source_note == "SCB"
