"""Pupils answering online: the code, the form in Swedish or English, sending once, clear
messages for closed or unknown codes, throttling, and nothing stored but the date."""

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from mvp import create_app
from mvp.extensions import db
from mvp.surveys.linkage import hash_code, linkage_key
from mvp.surveys.models import Answer, Response, ResponseLink, ScaleScore
from mvp.surveys.services import local_today
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import CODE, make_wave

TODAY = None


def open_wave(**kwargs):
    return make_wave(make_group(make_school(), **kwargs))


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def answers(token: str, **overrides) -> dict:
    data = {
        "token": token,
        "kon": "boy",
        "arskurs": "8",
        "q-agera1": "1",
        "q-agera2": "2",
        "q-agera3": "1",
        "q-agera4": "V",
        "q-vald1": "1",
        "q-sett": "3",
        **CODE,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_pupil_types_the_code_in_any_case_and_gets_the_questionnaire(client):
    wave = open_wave()
    page = client.get("/e").get_data(as_text=True)
    assert "Skriv din kod" in page and 'name="kod"' in page
    typed = f" {wave.code[:3].lower()}-{wave.code[3:].lower()} "
    response = client.post("/e", data={"kod": typed})
    assert response.status_code == 302 and response.headers["Location"] == f"/e/{wave.code}"
    # The QR code's address goes straight to the questionnaire.
    response = client.get(f"/e/{wave.code}")
    # The form holds a single-use token: never kept by a browser cache or a school proxy.
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "MVP-enkäten" in page and "Du är anonym" in page
    items = len(wave.instrument.items)
    assert page.count("<fieldset") == items + 2 and page.count("<legend>") == items + 2
    assert "Stämmer helt och hållet" in page and "Vill inte svara" in page
    assert "Första bokstaven i din mammas förnamn" in page
    assert client.get(f"/e?kod={wave.code.lower()}").headers["Location"] == f"/e/{wave.code}"


def test_unknown_and_missing_codes_get_a_clear_message(client):
    response = client.post("/e", data={"kod": "AAAA99"})
    assert response.status_code == 404
    assert "Det finns ingen enkät med koden AAAA99" in response.get_data(as_text=True)
    response = client.post("/e", data={"kod": ""})
    assert response.status_code == 400
    assert "Skriv koden som din lärare visar." in response.get_data(as_text=True)
    response = client.get("/e/QQQQQQ")
    assert response.status_code == 404
    assert "Det finns ingen enkät med koden QQQQQQ" in response.get_data(as_text=True)


def test_closed_and_not_yet_open_waves_are_refused_clearly(client):
    today = local_today()
    closed = open_wave()
    closed.opens_on, closed.closes_on = today - dt.timedelta(days=20), today - dt.timedelta(1)
    later = open_wave()
    later.opens_on, later.closes_on = today + dt.timedelta(days=2), today + dt.timedelta(9)
    db.session.commit()
    page = client.get(f"/e/{closed.code}").get_data(as_text=True)
    assert "Enkäten är stängd" in page and closed.closes_on.isoformat() in page
    assert 'name="token"' not in page
    page = client.get(f"/e/{later.code}").get_data(as_text=True)
    assert "Enkäten har inte öppnat än" in page and later.opens_on.isoformat() in page
    response = client.post(f"/e/{closed.code}", data=answers("x"))
    assert "Enkäten är stängd" in response.get_data(as_text=True)
    assert count(Response) == 0


def test_the_questionnaire_in_english(client):
    wave = open_wave()
    client.post("/language", data={"lang": "en", "next": f"/e/{wave.code}"})
    page = html.unescape(client.get(f"/e/{wave.code}").get_data(as_text=True))
    assert '<html lang="en">' in page
    assert "If someone in my class is mocked for how they look, I speak up." in page
    assert "Completely true" in page and "Don't know" in page
    assert "The first letter of your mother's first name" in page


def test_answers_are_stored_with_the_date_only_scored_and_hashed(client):
    wave = open_wave()
    page = client.get(f"/e/{wave.code}").get_data(as_text=True)
    response = client.post(f"/e/{wave.code}", data=answers(token_of(page)))
    assert response.status_code == 302 and response.headers["Location"] == f"/e/{wave.code}/tack"
    assert "Tack för dina svar" in client.get(response.headers["Location"]).get_data(as_text=True)
    stored = db.session.scalar(sa.select(Response))
    assert stored.answered_on == local_today()
    assert type(stored.answered_on) is dt.date
    assert (stored.source, stored.sex, stored.grade) == ("online", "boy", 8)
    assert stored.link_code == hash_code(CODE, linkage_key())
    by_key = {a.item.key: a for a in db.session.scalars(sa.select(Answer))}
    assert by_key["agera1"].value == 4 and by_key["agera2"].value == 3
    assert by_key["agera4"].dont_know and by_key["agera4"].value is None
    assert by_key["vald1"].value == 1 and by_key["sett"].value == 3
    assert "agera5" not in by_key  # skipped: no answer row
    assert count(ScaleScore) == 6


def test_no_ip_address_user_agent_or_time_of_day_is_stored(client):
    wave = open_wave()
    page = client.get(f"/e/{wave.code}", environ_base={"REMOTE_ADDR": "10.1.2.3"}).get_data(
        as_text=True
    )
    client.post(
        f"/e/{wave.code}",
        data=answers(token_of(page)),
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
        headers={"User-Agent": "Mozilla/5.0 (iPhone) Testwebbläsare"},
    )
    inspector = sa.inspect(db.engine)
    for table in ("response", "answer", "scale_score", "response_link"):
        columns = inspector.get_columns(table)
        names = {column["name"] for column in columns}
        assert not names & {"ip", "ip_address", "remote_addr", "user_agent", "created_at"}
        assert not any(isinstance(c["type"], sa.DateTime) for c in columns), table
        assert not any("time" in name or "agent" in name for name in names), table
    row = db.session.execute(sa.select(Response.__table__)).mappings().one()
    assert set(row) == {
        "id",
        "wave_id",
        "answered_on",
        "source",
        "sex",
        "grade",
        "link_code",
        "batch_id",
        "form_nonce",
    }
    flat = " ".join(str(value) for value in row.values())
    assert "10.1.2.3" not in flat and "Mozilla" not in flat and ":" not in str(row["answered_on"])
    assert re.fullmatch(r"[0-9a-f]{32}", row["form_nonce"])
    # Responses are not copied into the audit log either.
    from mvp.audit.models import AuditEvent

    assert not db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "response")
    )


def test_the_same_form_cannot_be_sent_twice(app, client):
    wave = open_wave()
    token = token_of(client.get(f"/e/{wave.code}").get_data(as_text=True))
    assert client.post(f"/e/{wave.code}", data=answers(token)).status_code == 302
    # Sent again with the same token from another browser (no cookie): refused.
    other = app.test_client()
    page = other.post(f"/e/{wave.code}", data=answers(token)).get_data(as_text=True)
    assert "Du har redan svarat" in page
    assert count(Response) == 1


def test_the_same_browser_cannot_answer_the_same_wave_twice(client):
    wave = open_wave()
    token = token_of(client.get(f"/e/{wave.code}").get_data(as_text=True))
    client.post(f"/e/{wave.code}", data=answers(token))
    page = client.get(f"/e/{wave.code}").get_data(as_text=True)
    assert "Du har redan svarat" in page and 'name="token"' not in page
    response = client.post(f"/e/{wave.code}", data=answers("whatever"))
    assert "Du har redan svarat" in response.get_data(as_text=True)
    assert count(Response) == 1
    # Another wave in the same browser is still open to answer.
    other = open_wave()
    assert 'name="token"' in client.get(f"/e/{other.code}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kon": None}, "Välj ett svar om kön. Du kan välja ”Vill inte svara”."),
        ({"kon": "man"}, "Välj ett svar om kön."),
        ({"arskurs": None}, "Välj din årskurs."),
        ({"arskurs": "4"}, "Välj din årskurs."),
        ({"q-agera1": "7"}, "Fråga 1: Välj ett av svaren."),
        ({"q-vald1": "3"}, "Välj ett av svaren."),
        ({"q-sett": "V"}, "Välj ett av svaren."),
        ({"kod_manad": None}, "Välj ett svar, eller ”Vet inte”."),
        ({"kod_manad": "13"}, "Välj ett av svaren."),
    ],
)
def test_bad_answers_are_shown_again_with_a_message_and_nothing_is_saved(
    client, overrides, message
):
    wave = open_wave()
    token = token_of(client.get(f"/e/{wave.code}").get_data(as_text=True))
    response = client.post(f"/e/{wave.code}", data=answers(token, **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Rätta följande" in page and "Dina svar är inte skickade än." in page
    assert message in page
    assert count(Response) == 0
    # What the pupil did answer is kept, and the same token still works once corrected.
    assert 'name="q-agera2" id="q-agera2-2" value="2" checked' in page
    assert token_of(page) == token
    assert client.post(f"/e/{wave.code}", data=answers(token)).status_code == 302


def test_a_link_question_answered_i_dont_know_is_stored_as_unanswered(client):
    wave = open_wave()
    token = token_of(client.get(f"/e/{wave.code}").get_data(as_text=True))
    client.post(f"/e/{wave.code}", data=answers(token, kod_bokstav="?"))
    assert db.session.scalar(sa.select(Response)).link_code[0] is None


def test_a_forged_or_foreign_token_is_refused(client):
    wave, other = open_wave(), open_wave()
    foreign = token_of(client.get(f"/e/{other.code}").get_data(as_text=True))
    assert client.post(f"/e/{wave.code}", data=answers(foreign)).status_code == 400
    assert client.post(f"/e/{wave.code}", data=answers("förfalskad")).status_code == 400
    assert count(Response) == 0


def test_an_online_answer_is_paired_when_staff_read_the_wave(client):
    group = make_group(make_school())
    before = make_wave(group, "before")
    after = make_wave(group, "after")
    for wave in (before, after):
        browser = client.application.test_client()
        token = token_of(browser.get(f"/e/{wave.code}").get_data(as_text=True))
        browser.post(f"/e/{wave.code}", data=answers(token))
    # The pupil's request only stored the answer: nothing cohort-wide.
    assert count(Response) == 2 and count(ResponseLink) == 0
    sign_in(client, make_user("lead"))
    assert client.get(f"/surveys/waves/{after.id}").status_code == 200
    link = db.session.scalar(sa.select(ResponseLink))
    assert (link.later_phase, link.quality) == ("after", "exact")


@pytest.fixture
def throttled(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/throttle.sqlite",
            "SECRET_KEY": "x",
            "RATELIMIT_ENABLED": True,
            "PUPIL_CODE_RATE_LIMIT": "3 per minute",
            "PUPIL_SUBMIT_RATE_LIMIT": "2 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_guessing_codes_and_flooding_submissions_are_throttled(throttled):
    client = throttled.test_client()
    statuses = [client.post("/e", data={"kod": f"AAAA{n}{n}"}).status_code for n in range(3, 7)]
    assert statuses == [404, 404, 404, 429]
    assert "För många försök" in client.post("/e", data={"kod": "AAAA77"}).get_data(as_text=True)
    wave = open_wave()
    other = throttled.test_client()
    # Right codes do not count against the guessing allowance.
    for _ in range(5):
        assert other.get(f"/e/{wave.code}").status_code == 200
    sent = [other.post(f"/e/{wave.code}", data={}).status_code for _ in range(3)]
    assert sent == [400, 400, 429]
