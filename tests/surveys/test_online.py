"""Pupils answering online: the code, the questionnaire in short pages (Back and Forward keep
the answers, nothing stored before the last page), Swedish or English, sending once, shared
devices, clear messages for closed or unknown codes, throttling, and nothing stored but the
date."""

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa

from mvp import create_app
from mvp.extensions import db
from mvp.surveys.linkage import hash_code, linkage_key
from mvp.surveys.models import Answer, Response, ResponseLink, ScaleScore
from mvp.surveys.pupil_views import DRAFT_COOKIE
from mvp.surveys.services import local_today
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import CODE, make_wave

TODAY = None


def open_wave(**kwargs):
    return make_wave(make_group(make_school(), **kwargs))


PAGES = 8  # about you, 29 questions five at a time, the code


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def begin(client, wave) -> str:
    """Open the questionnaire's address as the QR code does; returns the first page."""
    response = client.get(f"/e/{wave.code}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/e/{wave.code}/sida/1"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def send_all(client, wave, data: dict | None = None, **overrides):
    """Answer every page with `answers()` (each page keeps only its own fields) and press
    Skicka on the last; returns the last response, not followed."""
    token = token_of(begin(client, wave))
    data = data if data is not None else answers(token, **overrides)
    for number in range(1, PAGES):
        response = client.post(f"/e/{wave.code}/sida/{number}", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)
        if not response.headers["Location"].endswith(f"/sida/{number + 1}"):
            return response
    return client.post(f"/e/{wave.code}/skicka", data=data)


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


def test_pupil_types_the_code_in_any_case_and_gets_the_first_page(client):
    wave = open_wave()
    page = client.get("/e").get_data(as_text=True)
    assert "Skriv din kod" in page and 'name="kod"' in page
    typed = f" {wave.code[:3].lower()}-{wave.code[3:].lower()} "
    response = client.post("/e", data={"kod": typed})
    assert response.status_code == 302 and response.headers["Location"] == f"/e/{wave.code}"
    assert client.get(f"/e?kod={wave.code.lower()}").headers["Location"] == f"/e/{wave.code}"
    # The QR code's address starts the questionnaire on its first page.
    response = client.get(f"/e/{wave.code}")
    assert response.headers["Cache-Control"] == "no-store"
    page = begin(client, wave)
    assert "MVP-enkäten" in page and "Sida 1 av 8" in page and "Du är anonym" in page
    # The intro says truthfully what must be answered.
    assert "Frågorna om vad du tycker kan du hoppa över" in page
    assert "kön och årskurs) och de sex kodfrågorna behöver du svara på" in page
    assert "Är du tjej, kille eller annat?" in page and "Vill inte svara" in page
    assert page.count("<fieldset") == 2 and "Nästa" in page and "Tillbaka" not in page


def test_the_questions_come_five_to_a_page_in_the_paper_order_with_one_dont_know(client):
    wave = open_wave()
    token = token_of(begin(client, wave))
    data = answers(token)
    seen = []
    for number in range(1, PAGES + 1):
        page = html.unescape(client.get(f"/e/{wave.code}/sida/{number}").get_data(as_text=True))
        assert f"Sida {number} av {PAGES}" in page
        assert "Vet ej" not in page
        seen += re.findall(r'<span class="question-number">(\d+)\.</span>', page)
        if 2 <= number < PAGES:
            assert 1 <= page.count('<fieldset class="question') <= 5
            assert "Vet inte" in page or number == PAGES - 1  # the last question page: one choice
        client.post(f"/e/{wave.code}/sida/{number}", data=data)
    assert seen == [str(n) for n in range(1, 30)]
    page = html.unescape(client.get(f"/e/{wave.code}/sida/{PAGES}").get_data(as_text=True))
    assert "Vilken bokstav börjar din mammas förnamn på?" in page
    assert "Hur många äldre syskon har du?" in page and "Vilken hand skriver du med?" in page
    assert "Skicka svaren" in page and "Vet inte" in page


def test_back_and_forward_keep_the_answers_and_nothing_is_stored_before_sending(client):
    wave = open_wave()
    token = token_of(begin(client, wave))
    response = client.post(
        f"/e/{wave.code}/sida/1", data={"token": token, "kon": "girl", "arskurs": "8"}
    )
    assert (response.status_code, response.headers["Location"]) == (303, f"/e/{wave.code}/sida/2")
    response = client.post(
        f"/e/{wave.code}/sida/2", data={"token": token, "q-agera1": "2", "go": "back"}
    )
    assert response.headers["Location"] == f"/e/{wave.code}/sida/1"
    page = client.get(f"/e/{wave.code}/sida/1").get_data(as_text=True)
    assert 'name="kon" id="kon-1" value="girl" checked' in page
    assert 'name="arskurs" id="arskurs-2" value="8" checked' in page
    # Forward again (the browser's Forward button GETs the page): the answer is still there.
    page = client.get(f"/e/{wave.code}/sida/2").get_data(as_text=True)
    assert 'name="q-agera1" id="q-agera1-2" value="2" checked' in page
    # A changed mind: an answer cleared on its page is removed.
    client.post(f"/e/{wave.code}/sida/2", data={"token": token})
    page = client.get(f"/e/{wave.code}/sida/2").get_data(as_text=True)
    assert "checked" not in page
    assert count(Response) == 0 and count(Answer) == 0


def test_a_required_question_keeps_the_pupil_on_its_page_with_a_message(client):
    wave = open_wave()
    token = token_of(begin(client, wave))
    response = client.post(f"/e/{wave.code}/sida/1", data={"token": token, "arskurs": "8"})
    # Post/redirect/get even for a mistake: the browser never offers to resend a form.
    assert response.status_code == 303
    assert response.headers["Location"] == f"/e/{wave.code}/sida/1#error-summary"
    page = client.get(f"/e/{wave.code}/sida/1").get_data(as_text=True)
    assert "Rätta följande" in page and "Välj ett svar om kön." in page
    assert 'name="arskurs" id="arskurs-2" value="8" checked' in page
    # Questions about opinions may be skipped: an empty page goes on.
    client.post(f"/e/{wave.code}/sida/1", data={"token": token, "kon": "boy", "arskurs": "8"})
    response = client.post(f"/e/{wave.code}/sida/2", data={"token": token})
    assert response.headers["Location"] == f"/e/{wave.code}/sida/3"


def test_the_questionnaire_in_english(client):
    wave = open_wave()
    client.post("/language", data={"lang": "en", "next": f"/e/{wave.code}"})
    token = token_of(begin(client, wave))
    page = html.unescape(client.get(f"/e/{wave.code}/sida/2").get_data(as_text=True))
    assert '<html lang="en">' in page and "Page 2 of 8" in page
    assert "If someone in my class is mocked for how they look, I speak up." in page
    assert "Completely true" in page and "Don't know" in page
    assert token_of(page) == token
    page = html.unescape(client.get(f"/e/{wave.code}/sida/8").get_data(as_text=True))
    assert "Which letter does your mother's first name start with?" in page


def test_answers_are_stored_with_the_date_only_scored_and_hashed(client):
    wave = open_wave()
    response = send_all(client, wave)
    assert response.status_code == 303 and response.headers["Location"] == f"/e/{wave.code}/tack"
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
    # Back after "Tack": the answered questionnaire is not shown again, nor sent again.
    page = client.get(f"/e/{wave.code}/sida/{PAGES}", follow_redirects=True).get_data(as_text=True)
    assert "Du har redan svarat" in page and count(Response) == 1


def test_no_ip_address_user_agent_or_time_of_day_is_stored(client):
    wave = open_wave()
    client.environ_base.update(
        {"REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) Testwebbläsare"}
    )
    assert send_all(client, wave).status_code == 303
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


def draft_of(client) -> str:
    return client.get_cookie(DRAFT_COOKIE, path="/e").value


def test_the_same_answers_cannot_be_sent_twice(app, client):
    wave = open_wave()
    token = token_of(begin(client, wave))
    data = answers(token)
    for number in range(1, PAGES):
        client.post(f"/e/{wave.code}/sida/{number}", data=data)
    draft = draft_of(client)
    assert client.post(f"/e/{wave.code}/skicka", data=data).status_code == 303
    # The same draft and token sent again from another browser: refused, nothing stored.
    other = app.test_client()
    other.set_cookie(DRAFT_COOKIE, draft, path="/e")
    page = other.post(f"/e/{wave.code}/skicka", data=data).get_data(as_text=True)
    assert "Du har redan svarat" in page
    assert count(Response) == 1


def test_the_same_browser_cannot_answer_the_same_wave_twice(client):
    wave = open_wave()
    send_all(client, wave)
    page = client.get(f"/e/{wave.code}").get_data(as_text=True)
    assert "Du har redan svarat" in page and 'name="token"' not in page
    assert "läraren kan slå på delad enhet" in page
    response = client.post(f"/e/{wave.code}/skicka", data=answers("whatever"))
    assert "Du har redan svarat" in response.get_data(as_text=True)
    assert count(Response) == 1
    # Another wave in the same browser is still open to answer.
    other = open_wave()
    assert 'name="token"' in begin(client, other)


def test_on_shared_devices_the_next_pupil_starts_afresh(client):
    wave = open_wave()
    wave.shared_device = True
    db.session.commit()
    response = send_all(client, wave)
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lämna över enheten till nästa elev." in thanks
    assert f'href="/e/{wave.code}"' in thanks
    # The next pupil on the same device: an empty first page, a new token.
    page = begin(client, wave)
    assert "checked" not in page
    assert send_all(client, wave, kon="girl").status_code == 303
    assert sorted(db.session.scalars(sa.select(Response.sex))) == ["boy", "girl"]
    # A pupil who leaves without sending: the next one at the address does not see the answers.
    token = token_of(begin(client, wave))
    client.post(f"/e/{wave.code}/sida/1", data={"token": token, "kon": "other", "arskurs": "8"})
    assert "checked" not in begin(client, wave)


def test_a_failed_save_keeps_every_answer_and_try_again_stores_it_once(client, monkeypatch):
    from mvp.surveys import answers as answer_service

    wave = open_wave()
    real = answer_service.submit_online

    def busy(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(answer_service, "submit_online", busy)
    response = send_all(client, wave)
    assert response.headers["Location"] == f"/e/{wave.code}/sida/{PAGES}#error-summary"
    page = client.get(f"/e/{wave.code}/sida/{PAGES}").get_data(as_text=True)
    assert "Något gick fel – försök igen" in page and "Försök igen" in page
    assert '<option value="M" selected>' in page
    assert count(Response) == 0
    monkeypatch.setattr(answer_service, "submit_online", real)
    response = client.post(f"/e/{wave.code}/skicka", data={"token": token_of(page), **CODE})
    assert response.headers["Location"] == f"/e/{wave.code}/tack"
    assert count(Response) == 1
    by_key = {a.item.key: a for a in db.session.scalars(sa.select(Answer))}
    assert by_key["agera1"].value == 4  # answered on page 2, kept through the failure


@pytest.mark.parametrize(
    ("overrides", "page", "message"),
    [
        ({"kon": None}, 1, "Välj ett svar om kön. Du kan välja ”Vill inte svara”."),
        ({"kon": "man"}, 1, "Välj ett svar om kön."),
        ({"arskurs": None}, 1, "Välj din årskurs."),
        ({"arskurs": "4"}, 1, "Välj din årskurs."),
        ({"q-agera1": "7"}, 2, "Välj ett av svaren."),
        ({"q-vald1": "3"}, 5, "Välj ett av svaren."),
        ({"q-sett": "V"}, 7, "Välj ett av svaren."),
        ({"kod_manad": None}, 8, "Välj ett svar, eller ”Vet inte”."),
        ({"kod_manad": "13"}, 8, "Välj ett av svaren."),
    ],
)
def test_bad_answers_are_shown_on_their_page_and_nothing_is_saved(client, overrides, page, message):
    wave = open_wave()
    response = send_all(client, wave, **overrides)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/e/{wave.code}/sida/{page}#error-summary"
    shown = client.get(f"/e/{wave.code}/sida/{page}").get_data(as_text=True)
    assert "Rätta följande" in shown and "Dina svar är inte skickade än." in shown
    assert message in shown
    assert count(Response) == 0


def test_a_link_question_answered_i_dont_know_is_stored_as_unanswered(client):
    wave = open_wave()
    send_all(client, wave, kod_bokstav="?")
    assert db.session.scalar(sa.select(Response)).link_code[0] is None


def test_a_forged_or_foreign_token_is_refused(client):
    wave, other = open_wave(), open_wave()
    foreign = token_of(begin(client, other))
    begin(client, wave)
    assert client.post(f"/e/{wave.code}/sida/1", data=answers(foreign)).status_code == 400
    assert client.post(f"/e/{wave.code}/skicka", data=answers("förfalskad")).status_code == 400
    assert count(Response) == 0


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
    response = client.post(f"/e/{closed.code}/skicka", data=answers("x"))
    assert "Enkäten är stängd" in response.get_data(as_text=True)
    assert count(Response) == 0


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


def test_an_online_answer_is_paired_when_staff_read_the_wave(client):
    group = make_group(make_school())
    before = make_wave(group, "before")
    after = make_wave(group, "after")
    for wave in (before, after):
        send_all(client.application.test_client(), wave)
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
        assert other.get(f"/e/{wave.code}").status_code == 303
    # Sending is counted per wave and address; turning pages is not.
    sent = [other.post(f"/e/{wave.code}/skicka", data={}).status_code for _ in range(3)]
    assert sent == [400, 400, 429]  # no genuine token, then too many
