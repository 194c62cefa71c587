"""Single-use codes: each answers once, also when two requests bring the same code at once;
only keyed hashes are stored; a closed round takes no answer."""

import re
import threading

import sqlalchemy as sa

from mvp.extensions import db
from mvp.officials import services
from mvp.surveys import answers, single_use
from mvp.surveys.answers import ResponseData
from mvp.surveys.models import Response, SingleUseCode
from tests.officials_factories import answers_of, make_body, make_round, set_seats


def _round_with_codes(count=3):
    body = make_body()
    set_seats(2026, body, ordinary_woman=2, ordinary_man=1)
    round_ = make_round(2026)
    codes = services.make_codes(round_)
    db.session.commit()
    assert len(codes) == count
    return round_, codes


def _answer(round_):
    return ResponseData("woman", None, answers_of(round_, trygg=4))


def test_codes_are_stored_only_as_keyed_hashes(app):
    _round, codes = _round_with_codes()
    stored = db.session.scalars(sa.select(SingleUseCode.code_hash)).all()
    assert len(stored) == 3
    for code in codes:
        assert re.fullmatch(r"[ACEFGHJKMNPRTWXY34679]{10}", code)
        assert code not in stored and single_use.shown(code) not in stored


def test_a_code_answers_once(app):
    round_, codes = _round_with_codes()
    answers.submit_with_code(round_.wave, _answer(round_), codes[0])
    db.session.commit()
    try:
        answers.submit_with_code(round_.wave, _answer(round_), codes[0].lower())
        raise AssertionError("the code was used twice")
    except answers.CodeNotUsable:
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1
    assert single_use.code_counts([round_.wave_id])[round_.wave_id].used == 1


def test_two_requests_with_one_code_at_once_store_one_answer(app):
    round_, codes = _round_with_codes()
    wave_id, code = round_.wave_id, codes[1]
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        with app.app_context():
            from mvp.surveys.models import Wave

            wave = db.session.get(Wave, wave_id)
            data = ResponseData("man", None, answers_of(services.round_of_year(2026), trygg=2))
            barrier.wait()
            try:
                answers.submit_with_code(wave, data, code)
                db.session.commit()
                outcomes.append("stored")
            except answers.CodeNotUsable:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused", "stored"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 1


def test_codes_made_again_void_the_unused_ones(app):
    round_, codes = _round_with_codes()
    answers.submit_with_code(round_.wave, _answer(round_), codes[0])
    db.session.commit()
    fresh = services.make_codes(round_)
    db.session.commit()
    assert len(fresh) == 2  # three seats, one already answered
    assert not single_use.is_valid(round_.wave, codes[1])
    assert single_use.is_valid(round_.wave, fresh[0])


def test_a_closed_round_takes_no_answer_and_keeps_the_code(app):
    round_, codes = _round_with_codes()
    services.close_round(round_)
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/f?kod={codes[0]}").get_data(as_text=True)
    assert "Enkäten är stängd" in page
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def _answer_through_pages(client, code):
    response = client.get(f"/f?kod={single_use.shown(code)}")
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get("/f/sida/1").get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    client.post("/f/sida/1", data={"token": token, "kon": "woman", "go": "next"})
    client.post("/f/sida/2", data={"token": token, "q-trygg": "1", "go": "next"})
    pages = int(re.search(r"Sida 1 av (\d+)", page).group(1))
    for number in range(3, pages):
        client.post(f"/f/sida/{number}", data={"token": token, "go": "next"})
    return client.post("/f/skicka", data={"token": token, "go": "send"})


def test_an_official_answers_with_the_letters_code_and_cannot_again(app):
    _round, codes = _round_with_codes()
    first = _answer_through_pages(app.test_client(), codes[0])
    assert first.status_code == 303 and first.headers["Location"].endswith("/f/tack")
    stored = db.session.scalar(sa.select(Response))
    assert stored.sex == "woman" and stored.grade is None and stored.link_code == []
    again = app.test_client().get(f"/f?kod={codes[0]}")
    assert again.status_code == 409
    assert "Koden har redan använts" in again.get_data(as_text=True)
    unknown = app.test_client().get("/f?kod=AAAAAAAAAA")
    assert unknown.status_code == 404


def test_the_answer_pages_speak_english_on_request(app):
    _round, codes = _round_with_codes()
    client = app.test_client()
    client.post("/language", data={"lang": "en", "next": "/f"})
    client.get(f"/f?kod={codes[0]}")
    page = client.get("/f/sida/2").get_data(as_text=True)
    assert "I feel safe in my political role." in page
    assert "Completely true" in page
    first = client.get("/f/sida/1").get_data(as_text=True)
    assert "Are you a woman, a man or something else?" in first
