"""The demo's gender-equality training: two administrations, a partly trained management, a
staff occasion flagged "chefer först", refreshers due, and an HR contact of one administration."""

import datetime as dt

from mvp.demo import build_demo
from mvp.extensions import db
from mvp.staff_training import coverage as cov
from tests.factories import sign_in


def test_the_demo_has_two_administrations_a_partly_trained_management_and_a_flag(app, client):
    today = dt.date.today()
    context = build_demo(today=today)
    db.session.commit()
    records = cov.load_records()
    result = {entry.administration.name: entry for entry in cov.coverage(records, today, 0.8)}
    assert sorted(result) == ["Barn- och utbildningsförvaltningen", "Socialförvaltningen"]
    for entry in result.values():
        managers = entry.cells[(cov.StaffRole.MANAGER, cov.TOTAL)]
        assert 0 < managers.trained < managers.headcount  # partly trained
    ready = {u.unit.name: u.ready for entry in result.values() for u in entry.units}
    assert ready == {
        "Individ- och familjeomsorg": True,
        "Hemtjänst Norr": False,
        "Förskoleområde Norr": False,
        "Grundskoleområde Söder": True,
    }
    staff_occasion = context.extra["staff_occasion"]
    flagged = cov.flagged_units(records, staff_occasion, 0.8)
    assert [unit.name for unit in flagged] == ["Hemtjänst Norr"]
    due = cov.refreshers_due(records, years=3, by=today)
    assert {d.name for d in due} >= {"Gunilla Ek", "Tomas Nord"}

    # The managers' course was asked before and after: the women's change is shown.
    from mvp.staff_training.questionnaire import change_by_sex

    changes = change_by_sex()
    rows = changes["Ledarutbildning: jämställdhet i organisation, kultur och ekonomi"]
    women = [row for row in rows if row.sex == "woman"]
    assert women and all(isinstance(row.change, float) for row in women)

    # The HR contact sees Socialförvaltningen only.
    sign_in(client, context.users["hr"])
    page = client.get("/staff-training/").get_data(as_text=True)
    assert "Hemtjänst Norr" in page and "Förskoleområde Norr" not in page
    plan = client.get("/staff-training/plan").get_data(as_text=True)
    assert "Socialförvaltningen" in plan and "Barn- och utbildningsförvaltningen" not in plan
