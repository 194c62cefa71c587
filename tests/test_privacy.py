"""The data protection officer's tools, as an administrator uses them: deleting answers,
exporting a staff account's data, erasing linkage codes after the retention time."""

import datetime as dt
import json

import sqlalchemy as sa

from mvp.audit.actor import Actor, set_actor
from mvp.audit.models import AuditEvent
from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.extensions import db
from mvp.main.models import AccessibilityReport
from mvp.privacy import retention
from mvp.schools.years import current_school_year, format_school_year
from mvp.surveys import services
from mvp.surveys.models import Response, ResponseLink, ScaleScore, Wave
from tests.delivery_factories import make_leader, make_training
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import code, make_wave, response_data

LETTERS = "ABCDEFGHIJKL"


def pupils_answer(group, *, days_ago: int = 0, unpaired: int = 0) -> tuple[Wave, Wave]:
    """Twelve pupils answer before and after (one of them mistyping one code element), and
    `unpaired` more answer only before; dated `days_ago` days back."""
    today = dt.date.today() - dt.timedelta(days=days_ago)
    before = make_wave(
        group,
        "before",
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=50),
    )
    after = make_wave(group, "after", opens_on=today - dt.timedelta(days=3), closes_on=today)
    codes = [code(kod_bokstav=letter) for letter in LETTERS]
    extra = [code(kod_bokstav="Ö", kod_manad=str(m + 1), kod_dag="0") for m in range(unpaired)]
    rows = [response_data(before, link=c) for c in codes + extra]
    services.add_batch(before, rows, source="paper", answered_on=before.opens_on)
    later_codes = [*codes[:-1], {**codes[-1], "kod_hand": "2"}]  # one element differs
    rows = [response_data(after, link=c) for c in later_codes]
    services.add_batch(after, rows, source="paper", answered_on=after.opens_on)
    services.relink_all()  # wherever pairing runs, the pairs are there before the test acts
    db.session.commit()
    return before, after


def answers_in(wave: Wave) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.wave_id == wave.id)
    )


def evaluated_answers(year: int, phase: str):
    evaluation = build_evaluation(EvaluationFilter(years=(year,)), language="sv")
    found = [row.responses for row in evaluation.reach.responses if row.phase == phase]
    return found[0] if found else 0


def log_entries(object_type: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.object_type == object_type)
            .order_by(AuditEvent.id)
        )
    )


# --- deleting answers ----------------------------------------------------------------------


def test_an_administrator_deletes_a_waves_answers_after_seeing_what_it_does(client):
    admin = make_user("admin")
    group = make_group(make_school(name="Långsjöskolan"), name="8A")
    before, after = pupils_answer(group)
    year = group.school_year
    assert evaluated_answers(year, "after") == 12
    sign_in(client, admin)

    page = client.get(f"/admin/privacy/waves/{after.id}/delete").get_data(as_text=True)
    assert "12 svar raderas" in page
    assert "12 före/efter-par tas bort" in page
    assert "Långsjöskolan 8A" in page
    assert answers_in(after) == 12  # looking deletes nothing

    response = client.post(f"/admin/privacy/waves/{after.id}/delete")
    assert response.status_code == 302
    assert "12 svar raderades" in client.get(response.headers["Location"]).get_data(as_text=True)

    assert answers_in(after) == 0
    assert answers_in(before) == 12
    assert db.session.get(Wave, after.id) is not None  # the wave itself stays
    assert db.session.scalar(sa.select(sa.func.count(ResponseLink.id))) == 0
    assert evaluated_answers(year, "after") in (0, None)
    assert evaluated_answers(year, "before") == 12
    (entry,) = log_entries("answers")
    assert entry.action == "delete"
    assert entry.actor_label == admin.email
    assert entry.object_id == after.id
    assert after.code in entry.object_label
    # Counts only: nothing of what the pupils answered.
    assert entry.changes == {"responses": [12, None], "pairs": [12, None], "waves": [1, None]}


def test_deleting_a_school_years_answers_keeps_other_years(client):
    admin = make_user("admin")
    school = make_school()
    this_year = make_group(school, name="8A")
    last_year = make_group(school, name="7A", grade=7, school_year=current_school_year() - 1)
    pupils_answer(this_year, unpaired=2)
    old_before, old_after = pupils_answer(last_year, days_ago=200)
    sign_in(client, admin)
    year = this_year.school_year

    index = client.get("/admin/privacy/").get_data(as_text=True)
    assert format_school_year(year) in index and format_school_year(year - 1) in index
    page = client.get(f"/admin/privacy/years/{year}/delete").get_data(as_text=True)
    assert "26 svar raderas" in page

    client.post(f"/admin/privacy/years/{year}/delete")

    remaining = db.session.scalars(sa.select(Response.wave_id)).all()
    assert sorted(set(remaining)) == sorted([old_before.id, old_after.id])
    assert evaluated_answers(year, "before") in (0, None)
    assert evaluated_answers(year - 1, "before") == 12
    (entry,) = log_entries("answers")
    assert entry.object_label == format_school_year(year)
    assert entry.changes["responses"] == [26, None]
    assert client.get(f"/admin/privacy/years/{year}/delete").status_code == 404


def test_nothing_is_deleted_without_the_form(client):
    lead = make_user("lead")
    group = make_group(make_school())
    _before, after = pupils_answer(group)
    sign_in(client, lead)
    assert client.post(f"/admin/privacy/waves/{after.id}/delete").status_code == 403
    assert answers_in(after) == 12
    assert log_entries("answers") == []


# --- export of a staff account -------------------------------------------------------------


def test_an_administrator_exports_what_is_stored_about_a_staff_account(client):
    admin = make_user("admin")
    school = make_school(name="Hallsta skola")
    person = make_user(
        "coordinator", schools=[school], email="nora@exempelkommun.se", name="Nora", locale="en"
    )
    # Nora changes a group (she appears in the log as its author) and reports a problem.
    set_actor(person)
    group = make_group(school, name="9B")
    set_actor(None, fallback=Actor(None, "system"))
    db.session.add(
        AccessibilityReport(description="Fokus syns inte", contact="NORA@exempelkommun.se")
    )
    leader = make_leader(school, name="Nora Samordnare")
    leader.email = "nora@exempelkommun.se"
    make_training("supervision", hours=3, school=school, attended=[leader])
    db.session.commit()
    sign_in(client, admin)

    response = client.get(f"/admin/privacy/users/{person.id}/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert person.password_hash not in body and person.login_token not in body
    data = json.loads(body)
    assert data["account"]["email"] == "nora@exempelkommun.se"
    assert data["account"]["locale"] == "en"
    assert "password_hash" not in data["account"]
    assert data["schools"] == [{"id": school.id, "name": "Hallsta skola"}]
    assert any(e["object"] == group.audit_label for e in data["audit_log_as_actor"])
    assert data["audit_log_about_the_account"][0]["action"] == "create"
    (report,) = data["accessibility_reports_with_this_email"]
    assert report["description"] == "Fokus syns inte"
    (leader_record,) = data["mvp_leader_records_with_this_email"]
    assert leader_record["name"] == "Nora Samordnare"
    assert leader_record["trainings"][0]["kind"] == "supervision"
    # The export itself is logged: who exported whose data (not the content).
    (entry,) = log_entries("staff_export")
    assert entry.actor_label == admin.email and entry.object_id == person.id


# --- retention of linkage codes ------------------------------------------------------------


def _links() -> set[tuple[int, int, str]]:
    return set(
        db.session.execute(
            sa.select(ResponseLink.before_id, ResponseLink.later_id, ResponseLink.quality)
        ).all()
    )


def test_expired_linkage_codes_are_erased_while_scores_and_pairs_stay(app, runner):
    school = make_school()
    old_group = make_group(school, name="9A", grade=9, school_year=current_school_year() - 3)
    new_group = make_group(school, name="7A", grade=7)
    old_before, old_after = pupils_answer(old_group, days_ago=3 * 365, unpaired=2)
    new_before, _new_after = pupils_answer(new_group)
    links = _links()
    assert len(links) == 24 and ("one_differs" in {q for _b, _l, q in links})
    scores = db.session.scalar(sa.select(sa.func.count()).select_from(ScaleScore))
    new_codes = {
        r.id: r.link_code
        for r in db.session.scalars(sa.select(Response))
        if r.wave_id == new_before.id
    }

    result = runner.invoke(args=["privacy", "erase-expired-codes", "--dry-run"])
    assert "26" in result.output  # 12 + 2 before, 12 after
    assert retention.expired_codes().count == 26

    result = runner.invoke(args=["privacy", "erase-expired-codes"])
    assert result.exit_code == 0, result.output
    assert "26" in result.output

    old = db.session.scalars(
        sa.select(Response).where(Response.wave_id.in_([old_before.id, old_after.id]))
    ).all()
    assert not any(retention.holds_code(r.link_code) for r in old)
    assert sum(1 for r in old if all(e is None for e in r.link_code)) == 2  # the unpaired
    for response in db.session.scalars(
        sa.select(Response).where(Response.wave_id == new_before.id)
    ):
        assert response.link_code == new_codes[response.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScaleScore)) == scores
    # Pairs made stay, also when every cohort is paired again from the stored codes.
    assert _links() == links
    services.relink_all()
    db.session.commit()
    assert _links() == links
    (entry,) = log_entries("linkage_codes")
    assert entry.actor_label == "cli"
    assert entry.changes["erased"] == [26, None]
    # Nothing is left to erase.
    assert retention.expired_codes().count == 0


def test_the_erase_button_shows_the_count_and_erases(client):
    admin = make_user("admin")
    group = make_group(make_school(), school_year=current_school_year() - 3)
    pupils_answer(group, days_ago=3 * 365)
    sign_in(client, admin)

    page = client.get("/admin/privacy/").get_data(as_text=True)
    assert "Radera 24 kopplingskoder" in page

    response = client.post("/admin/privacy/codes/erase", follow_redirects=True)

    assert "Kopplingskoderna för 24 svar raderades" in response.get_data(as_text=True)
    assert retention.expired_codes().count == 0
    assert log_entries("linkage_codes")[0].actor_label == admin.email


def test_months_before_keeps_the_day_within_the_month():
    assert retention.months_before(dt.date(2026, 11, 27), 24) == dt.date(2024, 11, 27)
    assert retention.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert retention.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
