"""The rollout pages as each role sees them: own schools only for coordinators, plans for leads."""

import datetime as dt

from mvp.rollout.terms import term_of
from mvp.schools.years import format_school_year
from tests.factories import make_group, make_school, make_user, sign_in
from tests.rollout_factories import make_rollout, make_training, ready_school

TODAY = dt.date.today()
NOW = term_of(TODAY)


def test_coordinator_sees_own_schools_readiness_read_only(client):
    own, other = make_school(name="Långsjöskolan"), make_school(name="Hallsta skola")
    make_rollout(own, "preparing", NOW + 1, responsible="Annika Lindqvist")
    sign_in(client, make_user("coordinator", schools=[own]))

    page = client.get("/rollout/").get_data(as_text=True)
    assert "Långsjöskolan" in page and "Hallsta skola" not in page
    assert "Importera en skollista" not in page and "Införandeplanen" not in page

    page = client.get(f"/rollout/schools/{own.id}").get_data(as_text=True)
    assert "Införandet på Långsjöskolan" in page
    assert "Förberedelse" in page and "Annika Lindqvist" in page
    assert "Checklista inför start" in page
    assert "Byt fas" not in page  # coordinators read; leads change
    assert client.get(f"/rollout/schools/{other.id}").status_code == 404
    assert client.get("/rollout/plan").status_code == 403
    assert client.post(f"/rollout/schools/{own.id}/stage", data={}).status_code == 403


def test_the_school_page_says_what_is_missing_and_where_to_fix_it(client):
    school = make_school(name="Norrgårdsskolan")
    make_rollout(school, "preparing", NOW + 2)
    make_training("anchoring", school, TODAY - dt.timedelta(days=30))
    year = (NOW + 2).school_year
    make_group(school, name="8A", school_year=year)
    sign_in(client, make_user("lead"))
    page = client.get(f"/rollout/schools/{school.id}").get_data(as_text=True)
    assert "1 av 6 punkter är klara." in page
    assert f"Hölls {(TODAY - dt.timedelta(days=30)).isoformat()}." in page
    assert "Ingen halvdag för all personal har hållits ännu." in page
    assert "Grupper för" in page and "utan lektionsplan: 8A" in page
    assert "Ingen föreenkät är schemalagd för 8A." in page
    groups_link = f'href="/schools/{school.id}?year={format_school_year(year)}#groups"'
    assert groups_link in page
    assert "Se skolans elevgrupper" in page
    # Missing trainings, leaders and waves link to the pages where they are registered.
    assert f'href="/trainings/?school={school.id}"' in page
    assert f'href="/leaders/?school={school.id}"' in page
    assert f'href="/surveys/?school={school.id}"' in page
    assert "Byt fas" in page and "Ändra planerad start eller ansvarig" in page


def test_a_ready_school_shows_every_item_done(client):
    school = ready_school(NOW.school_year)
    make_rollout(school, "preparing", NOW)
    sign_in(client, make_user("lead"))
    page = client.get(f"/rollout/schools/{school.id}").get_data(as_text=True)
    assert "Alla punkter på checklistan är klara." in page
    assert page.count("Klart.") == 6
    assert "Se skolans elevgrupper" not in page  # nothing to fix
    index = client.get("/rollout/").get_data(as_text=True)
    assert "Klar att starta" in index


def test_the_stage_history_shows_reasons_and_what_was_missing(client):
    school = make_school(name="Västra skolan")
    lead = make_user("lead")
    sign_in(client, lead)
    client.post(f"/rollout/schools/{school.id}/stage", data={"stage": "anchoring"})
    client.post(
        f"/rollout/schools/{school.id}/stage",
        data={"stage": "first_round", "reason": "Rektorn vill starta nu."},
    )
    page = client.get(f"/rollout/schools/{school.id}").get_data(as_text=True)
    assert "Rektorn vill starta nu." in page
    assert "Förankringssamtal med skolledningen hållet" in page  # missing at the time
    assert page.index("Första omgången") < page.index("Rektorn vill starta nu.")


def test_the_list_filters_by_stage_and_flags_passed_targets(client):
    make_rollout(make_school(name="Sen skola"), "anchoring", NOW + (-1))
    make_rollout(make_school(name="Pausad skola"), "paused")
    make_school(name="Ny skola")
    sign_in(client, make_user("lead"))
    page = client.get("/rollout/?stage=anchoring").get_data(as_text=True)
    assert "Skolor i fasen Förankring" in page
    assert "Sen skola" in page and "passerad" in page
    assert "Pausad skola" not in page and "Ny skola" not in page
    page = client.get("/rollout/?stage=not_started").get_data(as_text=True)
    assert "Ny skola" in page and "Sen skola" not in page
    page = client.get("/rollout/?stage=nonsense").get_data(as_text=True)
    assert "Ny skola" in page and "Pausad skola" in page


def test_the_list_query_count_does_not_grow_with_schools(client, count_queries):
    sign_in(client, make_user("lead"))
    make_rollout(ready_school(NOW.school_year), "preparing", NOW)
    with count_queries() as few:
        client.get("/rollout/")
    for n in range(6):
        make_rollout(ready_school(NOW.school_year, name=f"Skola {n}"), "preparing", NOW)
    with count_queries() as many:
        assert client.get("/rollout/").status_code == 200
    assert len(few) == len(many)


def test_menu_entries_follow_the_roles(client):
    # Viewers may not open the schools' readiness, so their menu entry opens the plan.
    sign_in(client, make_user("viewer"))
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/rollout/plan">Införande</a>' in page
    sign_in(client, make_user("lead"))
    page = client.get("/rollout/").get_data(as_text=True)
    assert '<a href="/rollout/" aria-current="page">Införande</a>' in page
    assert '<a href="/rollout/plan">Införandeplan</a>' in page  # the tab to the plan
    page = client.get("/rollout/plan").get_data(as_text=True)
    assert '<a href="/rollout/" aria-current="page">Införande</a>' in page
