"""The answering pages keep a version's questions in memory (mvp.surveys.kept_questions):
a pupil never sees an old wording after an edit, and a page costs a fixed, small number of
SQL statements however many pupils answer."""

import re

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import instruments
from mvp.surveys.instruments import ItemData
from mvp.surveys.models import Response
from tests.factories import make_group, make_school
from tests.survey_factories import make_wave
from tests.surveys.test_online import PAGES, answers, begin, send_all, token_of

TODAY = None


def questions_page(client, wave) -> str:
    """The first page of questions (page 2), after the "about you" page."""
    token = token_of(begin(client, wave))
    response = client.post(f"/e/{wave.code}/sida/1", data=answers(token))
    assert response.headers["Location"].endswith("/sida/2")
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_edit_before_any_answer_reaches_the_next_page_shown(app, client):
    wave = make_wave(make_group(make_school()))
    first = wave.instrument.items[0]
    before = questions_page(client, wave)
    assert first.text_sv in before

    instruments.update_item(first, ItemData(text_sv="Säger du ifrån?", text_en="Do you?"))
    db.session.commit()

    after = questions_page(app.test_client(), wave)
    assert "Säger du ifrån?" in after and first.text_sv not in after
    assert wave.instrument.revision == 2


def test_every_page_of_a_class_costs_the_same_few_statements(app, client, count_queries):
    wave = make_wave(make_group(make_school()))
    assert send_all(client, wave).status_code == 303  # the first pupil fills what is kept
    code = wave.code
    per_pupil = []
    for _pupil in range(3):
        browser = app.test_client()
        with count_queries() as queries:
            first = browser.get(f"/e/{code}")
            token = token_of(browser.get(first.headers["Location"]).get_data(as_text=True))
            data = answers(token)
            pages = [
                browser.post(f"/e/{code}/sida/{number}", data=data) for number in range(1, PAGES)
            ]
            sent = browser.post(f"/e/{code}/skicka", data=data)
        assert all(page.status_code == 303 for page in pages)
        assert sent.status_code == 303 and sent.headers["Location"].endswith("/tack")
        per_pupil.append(len(queries))
    # One look-up of the wave per request (open, first page, 7 pages, send) and the send's
    # seven statements (token check, savepoint, response, answers, scores, its release, the
    # data version): the same for every pupil, and nothing re-read per question.
    assert per_pupil == [per_pupil[0]] * 3
    reads = PAGES + 2
    assert per_pupil[0] <= reads + 7, per_pupil
    assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 4


def test_a_page_reads_the_wave_once_and_nothing_else(app, client, count_queries):
    wave = make_wave(make_group(make_school()))
    code = wave.code  # read here: the test's own copy of the wave is not the page's cost
    token = token_of(begin(client, wave))
    client.post(f"/e/{code}/sida/1", data=answers(token))
    with count_queries() as queries:
        response = client.post(f"/e/{code}/sida/2", data=answers(token))
    assert response.status_code == 303
    assert len(queries) == 1 and re.search(r"\bFROM wave\b", queries[0]), queries
