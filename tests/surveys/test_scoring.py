"""Scale scores: reverse scoring, the two-thirds rule, the 0–100 index, yes/no shares, and the
scores stored when a response is saved."""

import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from mvp.extensions import db
from mvp.surveys.models import Scale, ScaleScore
from mvp.surveys.scoring import ScaleItem, required_answers, score
from tests.factories import make_group, make_school
from tests.survey_factories import add_responses, make_wave, response_data

AGREE = [ScaleItem(n, "agreement", False) for n in range(1, 4)]


def test_mean_and_index_of_agreement_items():
    result = score(AGREE, {1: (4, False), 2: (3, False), 3: (2, False)})
    assert result.mean == 3.0
    assert result.index == 66.67
    assert result.answered == 3 and result.valid


def test_reverse_scored_items_are_turned_round():
    items = [ScaleItem(1, "agreement", True), ScaleItem(2, "agreement", False)]
    # "Stämmer helt och hållet" (4) on a reverse-scored statement is the unwanted end: 1.
    result = score(items, {1: (4, False), 2: (1, False)})
    assert result.mean == 1.0 and result.index == 0.0


def test_dont_know_and_blank_do_not_count_and_two_thirds_are_needed():
    assert required_answers(3) == 2
    assert required_answers(5) == 4
    assert required_answers(4) == 3
    almost = score(AGREE, {1: (4, False), 2: (None, True)})
    assert almost.answered == 1 and not almost.valid
    # An invalid score keeps its count but no mean, so it cannot slip into an average.
    assert almost.mean is None and almost.index is None
    enough = score(AGREE, {1: (4, False), 3: (2, False), 2: (None, True)})
    assert enough.valid and enough.mean == 3.0


def test_yes_no_scale_is_the_share_of_yes():
    items = [ScaleItem(n, "yes_no", False) for n in range(1, 7)]
    answers = {1: (1, False), 2: (1, False), 3: (0, False), 4: (1, False), 5: (None, True)}
    result = score(items, answers)
    assert result.answered == 4 and result.valid
    assert result.mean == 0.75 and result.index == 75.0


@given(st.lists(st.sampled_from([1, 2, 3, 4]), min_size=3, max_size=6), st.data())
def test_index_stays_within_0_and_100_and_reversing_mirrors_it(values, data):
    reverse = data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    items = [ScaleItem(n, "agreement", r) for n, r in enumerate(reverse)]
    answers = {n: (v, False) for n, v in enumerate(values)}
    result = score(items, answers)
    assert 0 <= result.index <= 100
    flipped = score([ScaleItem(n, "agreement", not r) for n, r in enumerate(reverse)], answers)
    assert abs(result.index + flipped.index - 100) < 0.02


def test_scores_are_stored_when_a_response_is_saved(app):
    wave = make_wave(make_group(make_school()))
    # Bystander readiness: 1, 1, 2, V, blank -> 4, 4, 3 answered of 5 (not enough: 4 needed).
    # Rejection of violence (all reverse): 4 x "stämmer inte alls" + 1 blank -> 4.0, valid.
    data = response_data(
        wave,
        {
            "agera1": "1",
            "agera2": "1",
            "agera3": "2",
            "agera4": "V",
            "avstand1": "4",
            "avstand2": "4",
            "avstand3": "4",
            "avstand4": "4",
            "vald1": "1",
            "vald2": "2",
            "vald3": "1",
            "vald4": "1",
        },
    )
    add_responses(wave, [data])
    scores = dict(db.session.execute(sa.select(Scale.key, ScaleScore).join(ScaleScore.scale)).all())
    assert set(scores) == {"agera", "tilltro", "avstand", "jamstalld", "kanna_igen", "trygghet"}
    assert scores["agera"].answered == 3 and not scores["agera"].valid
    assert scores["avstand"].valid and scores["avstand"].mean == 4.0
    assert scores["avstand"].index == 100.0
    assert scores["kanna_igen"].answered == 4 and scores["kanna_igen"].valid
    assert scores["kanna_igen"].index == 75.0
    assert scores["trygghet"].answered == 0 and scores["trygghet"].mean is None
