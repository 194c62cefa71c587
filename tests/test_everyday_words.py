"""Words a coordinator uses, and no action offered that will be refused: what the pages say
where readers used to be misled (issue 13, item 7)."""

import datetime as dt

from mvp.rollout.terms import term_of
from tests.delivery_factories import make_plan, make_trained_leader, record_lesson, set_up_group
from tests.factories import make_group, make_school, make_user, sign_in
from tests.rollout_factories import make_rollout, ready_school

NOW = term_of(dt.date.today())


def test_a_running_school_is_not_called_ready_to_start(client):
    established = ready_school(NOW.school_year, name="Långsjöskolan")
    make_rollout(established, "established", NOW)
    preparing = ready_school(NOW.school_year, name="Norrgårdsskolan")
    make_rollout(preparing, "preparing", NOW + 1)
    sign_in(client, make_user("lead"))
    page = client.get("/rollout/").get_data(as_text=True)
    running = page.split("Långsjöskolan</a>")[1].split("</tr>")[0]
    ready = page.split("Norrgårdsskolan</a>")[1].split("</tr>")[0]
    assert "Allt på plats" in running and "Klar att starta" not in running
    assert "Klar att starta" in ready


def test_a_new_accounts_schools_say_they_are_required_for_coordinators(client):
    make_school(name="Hallsta skola")
    sign_in(client, make_user("admin"))
    page = client.get("/admin/users/new").get_data(as_text=True)
    legend = page.split('id="schools-0"', 1)[0].rsplit("<legend>", 1)[1]
    assert "frivilligt" not in legend
    assert "Krävs för skolsamordnare" in legend


def test_removal_is_not_offered_where_it_would_be_refused(client):
    school = make_school(name="Hallsta skola")
    leaders = [make_trained_leader(school, name=n) for n in ("Karin Ek", "Ahmed Yusuf")]
    plan = make_plan(14, name="MVP högstadiet")
    group = make_group(school, name="8B")
    set_up_group(group, plan, leaders)
    empty = make_group(school, name="8C")
    sign_in(client, make_user("lead"))
    page = client.get(f"/groups/{empty.id}").get_data(as_text=True)
    assert "Ta bort gruppen" in page

    record_lesson(group, 1)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Ta bort gruppen" not in page
    assert "Gruppen kan inte tas bort: dess 1 hållna lektion" in page
    # The main action comes before the group's own changes.
    assert page.index("Registrera lektion 2") < page.index("Ändra gruppen")
    page = client.get(f"/leaders/{leaders[0].id}").get_data(as_text=True)
    assert "Ta bort ledaren" not in page and "Markera ledaren som inaktiv" in page
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Ta bort lektionsplanen" not in page and "kan inte tas bort" in page


def test_coordinator_words_for_pace_and_refresher(client):
    school = make_school(name="Hallsta skola")
    sign_in(client, make_user("coordinator", schools=[school]))
    page = client.get("/fidelity/").get_data(as_text=True)
    assert "Grupper efter veckotakten" not in page
    assert "fortbildning" not in client.get("/").get_data(as_text=True)
