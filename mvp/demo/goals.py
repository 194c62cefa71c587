"""Demo step: three equality goals with plausible figures in Kolada's shape (made up).

The key figures are shaped like Kolada's (KPI id, title, values per year for T, K and M) but
their values are invented for the demo, and every title and goal says so ("demodata,
påhittade värden"). The administrations are created when missing (by name). One goal follows
the MVP reach from the demo pilot itself; one has a deviation with a later follow-up.
"""

import datetime as dt

import sqlalchemy as sa
from flask import current_app

from mvp.demo import DemoContext
from mvp.extensions import db
from mvp.goals import services
from mvp.goals.models import KoladaKpi, KoladaValue
from mvp.goals.services import DeviationData, GoalData, IndicatorData, TypedData
from mvp.organisation.models import Administration

DEMO = "demodata, påhittade värden"
DEMO_NOTE = "Demodata: siffrorna är påhittade i Koladas format, inte hämtade från Kolada."

# KPI id, title, by sex, values per year back from last year: (women, men, total)
KPIS = [
    (
        "N00938",
        "Förtroendevalda i kommunfullmäktige, andel (%)",
        True,
        [(44.0, 56.0, 100.0), (42.0, 58.0, 100.0), (41.0, 59.0, 100.0), (39.0, 61.0, 100.0)],
    ),
    (
        "N00945",
        "Sjukfrånvaro bland kommunalt anställda, andel (%)",
        True,
        [(8.6, 5.3, 7.6), (8.8, 5.1, 7.7), (9.0, 5.2, 7.9), (9.1, 5.0, 7.9)],
    ),
    (
        "U00803",
        "Anmälda fall av våld i nära relationer per 1 000 invånare",
        False,
        [(None, None, 4.1), (None, None, 4.4), (None, None, 4.3), (None, None, 4.6)],
    ),
]
ADMINISTRATIONS = (
    "Kommunledningskontoret",
    "HR-avdelningen",
    "Barn- och utbildningsförvaltningen",
)


def _administration(name: str) -> Administration:
    found = db.session.scalar(sa.select(Administration).where(Administration.name == name))
    if found is None:
        found = Administration(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def _kolada(last_year: int) -> None:
    municipality = str(current_app.config["KOLADA_MUNICIPALITY"])
    for kpi_id, title, by_sex, values in KPIS:
        db.session.add(KoladaKpi(id=kpi_id, title=f"{title} ({DEMO})", by_sex=by_sex))
        db.session.flush()
        for back, (women, men, total) in enumerate(values):
            year = last_year - back
            for gender, value in (("K", women), ("M", men), ("T", total)):
                if value is not None or gender == "T":
                    db.session.add(
                        KoladaValue(
                            kpi_id=kpi_id,
                            municipality=municipality,
                            year=year,
                            gender=gender,
                            value=value,
                        )
                    )
    db.session.flush()


def seed(context: DemoContext) -> None:
    """Three goals, their indicators and targets, Kolada-shaped figures and a deviation."""
    last_year = context.today.year - 1
    first, end = str(last_year - 3), str(last_year + 4)
    _kolada(last_year)
    offices = {name: _administration(name) for name in ADMINISTRATIONS}
    lead = context.users.get("lead")
    coordinator = context.users.get("samordnare.langsjo@exempelkommun.se")

    power = services.save_goal(
        None,
        GoalData(
            "Jämn könsfördelning bland de förtroendevalda",
            "power",
            offices["Kommunledningskontoret"].id,
            first,
            end,
            DEMO_NOTE,
            [lead.id] if lead else [],
        ),
    )
    services.save_indicator(
        power,
        None,
        IndicatorData(
            source="kolada",
            kpi="N00938",
            target_kind="gap",
            target_gap=10.0,
            target_year=end,
            unit="procentenheter",
        ),
    )

    health = services.save_goal(
        None,
        GoalData(
            "Jämställd hälsa bland kommunens medarbetare",
            "health",
            offices["HR-avdelningen"].id,
            first,
            end,
            DEMO_NOTE,
            [lead.id] if lead else [],
        ),
    )
    sick_leave = services.save_indicator(
        health,
        None,
        IndicatorData(
            source="kolada",
            kpi="N00945",
            target_kind="values",
            target_women=6.5,
            target_men=5.0,
            target_year=str(last_year + 2),
            unit="procent",
            higher_is_better=False,
        ),
    )
    recorded = services.record_deviation(
        health,
        DeviationData(
            sick_leave.id,
            str(last_year - 1),
            "Kvinnor arbetar oftare i vård och omsorg med tunga lyft och delade turer.",
            "Arbetsmiljöprojekt i hemtjänsten; delade turer tas bort.",
            "HR-chefen",
            dt.date(last_year, 6, 30),
        ),
        actor=lead,
    )
    services.record_deviation(
        health,
        DeviationData(
            sick_leave.id,
            str(last_year),
            "Uppföljning: sjukfrånvaron minskar men inte i den takt som behövs.",
            "Projektet utvidgas till äldreboendena; chefer utbildas i rehabilitering.",
            "HR-chefen",
            dt.date(last_year + 1, 6, 30),
            recorded.id,
        ),
        actor=lead,
    )

    violence = services.save_goal(
        None,
        GoalData(
            "Våldsförebyggande arbete når alla elever",
            "violence",
            offices["Barn- och utbildningsförvaltningen"].id,
            first,
            end,
            DEMO_NOTE,
            [u.id for u in (lead, coordinator) if u is not None],
        ),
    )
    services.save_indicator(
        violence,
        None,
        IndicatorData(
            source="own",
            provider="mvp_reach",
            target_kind="values",
            target_women=250.0,
            target_men=250.0,
            target_year=end,
        ),
    )
    services.save_indicator(
        violence,
        None,
        IndicatorData(
            source="kolada",
            kpi="U00803",
            target_kind="total",
            target_total=3.5,
            target_year=end,
            higher_is_better=False,
        ),
    )
    safe = services.save_indicator(
        violence,
        None,
        IndicatorData(
            source="typed",
            title="Elever i åk 9 som känner sig trygga i skolan, andel (%)",
            source_note=f"Skolenkäten ({DEMO})",
            target_kind="gap",
            target_gap=3.0,
            target_year=end,
            unit="procentenheter",
        ),
    )
    for back, (women, men, total) in enumerate([(84.0, 89.0, 86.6), (82.0, 90.0, 86.1)]):
        services.save_typed_value(
            safe, TypedData(str(last_year - back), women, men, total, f"Skolenkäten ({DEMO})")
        )
    context.extra["goals"] = [power, health, violence]
