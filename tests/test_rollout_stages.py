"""Stage rules and a school's plan: dated, audited moves, reasons where needed, no past terms."""

import datetime as dt

import pytest
import sqlalchemy as sa

from mvp.audit.models import AuditEvent
from mvp.extensions import db
from mvp.rollout.models import SchoolRollout, StageChange
from mvp.rollout.services import PlanData, StageData, change_stage, find_rollout, set_plan
from mvp.rollout.terms import SchoolTerm, term_of
from mvp.validation import Invalid
from tests.factories import make_school, make_user, sign_in
from tests.rollout_factories import make_rollout, ready_school

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
NOW = term_of(TODAY)


def move(school, stage, reason="", on=None, actor=None):
    change = change_stage(school, StageData(stage, on, reason), actor=actor, today=TODAY)
    db.session.commit()
    return change


def changes() -> int:
    return db.session.scalar(sa.select(sa.func.count(StageChange.id)))


# --- moving between stages -----------------------------------------------------------------


def test_a_school_without_a_rollout_has_not_started_and_moves_one_step(app):
    school = make_school()
    lead = make_user("lead")
    assert find_rollout(school.id) is None
    change = move(school, "anchoring", actor=lead, on=TODAY - 3 * DAY)
    rollout = find_rollout(school.id)
    assert (rollout.stage, rollout.stage_since) == ("anchoring", TODAY - 3 * DAY)
    assert (change.from_stage, change.to_stage, change.actor_id) == (
        "not_started",
        "anchoring",
        lead.id,
    )
    assert change.changed_on == TODAY - 3 * DAY
    assert change.reason == "" and change.missing == []


def test_a_stage_change_and_its_reason_are_in_the_audit_log(app):
    school = make_school(name="Norrgårdsskolan")
    move(school, "preparing", reason="Förankrad redan förra läsåret.")
    events = {
        e.object_type: e
        for e in db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.object_type.in_(["stage_change", "school_rollout"])
            )
        )
    }
    assert events["stage_change"].changes["reason"] == [None, "Förankrad redan förra läsåret."]
    assert events["stage_change"].object_label == "Norrgårdsskolan: Ej påbörjad → Förberedelse"
    assert events["school_rollout"].object_label == "Norrgårdsskolan"
    assert events["school_rollout"].changes["stage"][1] == "preparing"


def test_the_same_stage_is_refused(app):
    school = make_school()
    move(school, "anchoring")
    with pytest.raises(Invalid) as error:
        move(school, "anchoring")
    assert error.value.errors["stage"] == "Skolan är redan i den fasen."


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ((), "preparing"),
        ((), "first_round"),
        (("anchoring",), "first_round"),
        (("anchoring",), "established"),
        (("anchoring", "paused"), "first_round"),  # resuming counts from where it paused
    ],
)
def test_skipping_stages_forward_needs_a_reason(app, path, to):
    school = make_school()
    for stage in path:
        move(school, stage, reason="Skäl.")
    before = changes()
    with pytest.raises(Invalid) as error:
        move(school, to)
    assert "hoppar över faser. Skriv varför." in error.value.errors["reason"]
    db.session.rollback()
    assert changes() == before
    move(school, to, reason="Skolan har redan arbetat med MVP i egen regi.")
    assert find_rollout(school.id).stage == to


def test_moving_back_or_resuming_where_it_paused_needs_no_reason(app):
    school = make_school()
    move(school, "anchoring")
    move(school, "preparing")
    move(school, "anchoring")  # back a step: allowed without a reason
    move(school, "paused", reason="Rektorsbyte.")
    move(school, "preparing")  # one step on from where it paused
    assert find_rollout(school.id).stage == "preparing"


def test_pausing_needs_a_reason(app):
    school = make_school()
    with pytest.raises(Invalid) as error:
        move(school, "paused")
    assert error.value.errors["reason"] == "Skriv varför arbetet pausas."


def test_first_round_with_missing_items_needs_a_lead_reason_and_keeps_what_was_missing(app):
    school = make_school()
    make_rollout(school, "preparing", NOW + 1)
    with pytest.raises(Invalid) as error:
        move(school, "first_round")
    assert error.value.errors["reason"] == (
        "Punkter på checklistan saknas. Skriv varför skolan ändå startar sin första omgång."
    )
    db.session.rollback()
    change = move(school, "first_round", reason="Handledningen bokas i januari.")
    assert change.missing == [
        "anchoring",
        "staff_half_day",
        "leaders",
        "supervision",
        "groups",
        "before_wave",
    ]
    assert change.reason == "Handledningen bokas i januari."


def test_a_ready_school_starts_its_first_round_without_a_reason(app):
    school = ready_school(NOW.school_year)
    make_rollout(school, "preparing", NOW)
    change = move(school, "first_round")
    assert change.missing == [] and change.reason == ""


def test_first_round_without_a_target_term_records_the_term_of_the_change(app):
    school = make_school()
    move(school, "anchoring")
    move(school, "preparing")
    move(school, "first_round", reason="Allt är klart utom handledningen.")
    rollout = find_rollout(school.id)
    assert SchoolTerm(rollout.target_year, rollout.target_term) == NOW


def test_a_change_cannot_be_dated_in_the_future_or_before_the_previous_one(app):
    school = make_school()
    with pytest.raises(Invalid) as error:
        move(school, "anchoring", on=TODAY + DAY)
    assert error.value.errors["changed_on"] == "Datumet kan inte ligga i framtiden."
    move(school, "anchoring", on=TODAY - 5 * DAY)
    with pytest.raises(Invalid) as error:
        move(school, "preparing", on=TODAY - 6 * DAY)
    assert error.value.errors["changed_on"] == (
        f"Datumet kan inte ligga före förra fasbytet ({(TODAY - 5 * DAY).isoformat()})."
    )


def test_an_unknown_stage_is_refused(app):
    with pytest.raises(Invalid) as error:
        move(make_school(), "finished")
    assert error.value.errors["stage"] == "Välj vilken fas skolan går till."


# --- the plan of a school -------------------------------------------------------------------


def test_a_lead_sets_target_term_and_responsible(app):
    school = make_school()
    rollout = set_plan(school, PlanData(NOW + 2, " Sara Holm "), TODAY)
    db.session.commit()
    assert (rollout.stage, rollout.responsible) == ("not_started", "Sara Holm")
    assert SchoolTerm(rollout.target_year, rollout.target_term) == NOW + 2


def test_a_target_term_in_the_past_is_refused(app):
    school = make_school()
    past = NOW + (-1)
    with pytest.raises(Invalid) as error:
        set_plan(school, PlanData(past, ""), TODAY)
    assert error.value.errors["target"] == (
        f"{past.label} är redan slut. Välj den här terminen eller en kommande."
    )
    assert db.session.scalar(sa.select(sa.func.count(SchoolRollout.id))) == 0


def test_a_target_far_ahead_is_taken_for_a_typing_error(app):
    with pytest.raises(Invalid) as error:
        set_plan(make_school(), PlanData(SchoolTerm(NOW.school_year + 20, "HT"), ""), TODAY)
    assert "ligger mer än 10 år framåt" in error.value.errors["target"]


def test_a_passed_target_that_is_kept_does_not_block_other_changes(app):
    school = make_school()
    make_rollout(school, "established", NOW + (-4))
    set_plan(school, PlanData(NOW + (-4), "Ny rektor"), TODAY)
    assert find_rollout(school.id).responsible == "Ny rektor"


# --- through the pages ----------------------------------------------------------------------


def test_lead_changes_a_stage_through_the_form(client):
    school = make_school(name="Västra skolan")
    lead = make_user("lead")
    sign_in(client, lead)
    page = client.get(f"/rollout/schools/{school.id}/stage").get_data(as_text=True)
    assert "Byt fas för Västra skolan" in page
    assert 'value="not_started"' not in page  # the current stage is not offered

    response = client.post(
        f"/rollout/schools/{school.id}/stage", data={"stage": "first_round", "reason": ""}
    )
    page = response.get_data(as_text=True)
    assert "Rätta följande" in page
    assert "Att gå från Ej påbörjad till Första omgången hoppar över faser. Skriv varför." in page
    assert changes() == 0

    response = client.post(
        f"/rollout/schools/{school.id}/stage",
        data={"stage": "anchoring", "changed_on": (TODAY - DAY).isoformat()},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Västra skolan är nu i fasen Förankring." in page
    assert lead.email in page  # the history says who moved it
    assert find_rollout(school.id).stage_since == TODAY - DAY


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Välj vilken fas skolan går till."),
        ({"stage": "anchoring", "changed_on": "15/3"}, "Skriv datumet som 2026-03-15."),
        ({"stage": "anchoring", "reason": "x" * 2001}, "Skriv högst 2000 tecken."),
    ],
)
def test_bad_stage_form_input_gets_a_swedish_message(client, data, message):
    school = make_school()
    sign_in(client, make_user("lead"))
    page = client.post(f"/rollout/schools/{school.id}/stage", data=data).get_data(as_text=True)
    assert message in page
    assert changes() == 0


def test_lead_plans_a_school_and_a_past_term_is_refused(client):
    school = make_school(name="Solängsskolan")
    sign_in(client, make_user("lead"))
    page = client.get(f"/rollout/schools/{school.id}/plan").get_data(as_text=True)
    assert f'value="{NOW.value}"' in page and f'value="{(NOW + (-1)).value}"' not in page

    past = NOW + (-1)
    page = client.post(
        f"/rollout/schools/{school.id}/plan", data={"target": past.value, "responsible": "Karin"}
    ).get_data(as_text=True)
    assert f"{past.label} är redan slut." in page
    assert find_rollout(school.id) is None

    page = client.post(
        f"/rollout/schools/{school.id}/plan", data={"target": "nästa höst", "responsible": ""}
    ).get_data(as_text=True)
    assert "Välj en termin i listan." in page

    response = client.post(
        f"/rollout/schools/{school.id}/plan",
        data={"target": (NOW + 3).value, "responsible": "Karin Åberg"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Planen för Solängsskolan sparades." in page
    assert (NOW + 3).label in page and "Karin Åberg" in page
