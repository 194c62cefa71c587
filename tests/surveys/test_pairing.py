"""Where pairs are made: a pupil's answer only adds rows; the first read pairs the cohorts that
changed (once), a current cohort costs one query, and staff changes pair at once."""

import sqlalchemy as sa

from mvp.extensions import db
from mvp.surveys import pairing
from mvp.surveys.answers import store_responses
from mvp.surveys.models import ResponseLink, Source
from mvp.surveys.waves import local_today
from tests.factories import make_group, make_school
from tests.survey_factories import answer_with_codes, code, make_wave, response_data


def answer_online(wave, link):
    store_responses(
        wave,
        [response_data(wave, link=link)],
        source=Source.ONLINE.value,
        answered_on=local_today(),
    )
    db.session.commit()


def links() -> int:
    return db.session.scalar(sa.select(sa.func.count(ResponseLink.id)))


def test_online_answers_are_paired_once_at_the_first_read(app, count_queries):
    group = make_group(make_school())
    before, after = make_wave(group, "before"), make_wave(group, "after")
    # Waves without answers: nothing to pair, never stale.
    assert pairing.stale_cohorts() == []
    answer_online(before, code())
    answer_online(after, code())
    cohort = (group.school_id, pairing.cohort_of(group))
    assert pairing.stale_cohorts() == [cohort] and links() == 0
    assert pairing.ensure_paired([group.school_id]) == 1
    assert links() == 1
    with count_queries() as queries:
        assert pairing.ensure_paired() == 0
    assert len(queries) == 1
    # Another answer makes the cohort stale again; pairing it gives what pairing from
    # scratch gives.
    answer_online(after, code(kod_hand="2"))
    assert pairing.stale_cohorts() == [cohort]
    pairing.ensure_paired()
    assert links() == 1  # the before-answer already has its exact partner
    stored = set(db.session.execute(sa.select(ResponseLink.before_id, ResponseLink.later_id)))
    fresh = pairing.pair_cohort(pairing.cohort_codes(*cohort))
    assert stored == {(b, later) for b, later, _q in fresh["after"].pairs}


def test_a_new_wave_in_a_paired_cohort_makes_it_stale(app):
    school = make_school()
    first, second = make_group(school, name="8A"), make_group(school, name="8B")
    before = make_wave(first, "before")
    answer_with_codes(before, [code()])  # a staff batch: paired at once
    assert pairing.stale_cohorts() == []
    # Group B's after-wave: A's before-answers are now an orphan pool to pair with.
    after = make_wave(second, "after")
    assert pairing.stale_cohorts() == [(school.id, pairing.cohort_of(first))]
    answer_online(after, code())
    pairing.ensure_paired()
    assert links() == 1


def test_pairing_waits_while_the_caller_has_changes_of_its_own(app):
    group = make_group(make_school())
    before, after = make_wave(group, "before"), make_wave(group, "after")
    answer_online(before, code())
    answer_online(after, code())
    group.name = "8Ö"  # not yet saved
    assert pairing.ensure_paired() == 0 and links() == 0
    db.session.rollback()
    assert pairing.ensure_paired() == 1 and links() == 1
