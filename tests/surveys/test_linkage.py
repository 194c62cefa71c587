"""Linking before with after: keyed hashes only, exact and one-differs pairs, duplicates and
ambiguous codes left out and counted, reorganised groups, and pairs kept current."""

import datetime as dt
import random

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from mvp.extensions import db
from mvp.surveys import services
from mvp.surveys.linkage import MIN_ANSWERED, QUESTIONS, distance, hash_code, pair
from mvp.surveys.models import Response, ResponseLink
from tests.factories import make_group, make_school, make_user, sign_in
from tests.survey_factories import CODE, answer_with_codes, code, make_wave

KEY = b"test-key"


def h(**changes):
    return tuple(hash_code(code(**changes), KEY))


# --- the keyed hash ---------------------------------------------------------------------


def test_code_is_stored_only_as_keyed_hashes_per_element():
    hashed = hash_code(CODE, KEY)
    assert len(hashed) == len(QUESTIONS)
    assert all(len(element) == 16 for element in hashed)
    # Nothing of the answers can be read from the stored code...
    assert not any(value in "".join(hashed) for value in ("M", "april"))
    # ...the same answer gives the same hash, another key gives another.
    assert hash_code(CODE, KEY) == hashed
    assert hash_code(CODE, b"other-installation") != hashed
    # Elements are compared one by one: one changed answer changes one element.
    assert distance(tuple(hashed), tuple(hash_code(code(kod_manad="5"), KEY))) == 1
    # An unanswered element stays empty rather than hashing "nothing".
    assert hash_code(code(kod_hand=None), KEY)[-1] is None


def test_stored_response_has_hashes_not_the_answers(app):
    wave = make_wave(make_group(make_school()))
    answer_with_codes(wave, [code()])
    stored = db.session.scalar(sa.select(Response)).link_code
    assert stored == hash_code(CODE, services.linkage.linkage_key())
    assert "M" not in stored and "4" not in stored


# --- pairing, pure ----------------------------------------------------------------------


def test_exact_match():
    result = pair({1: h(), 2: h(kod_bokstav="A")}, {11: h(), 12: h(kod_bokstav="A")})
    assert sorted(result.pairs) == [(1, 11, "exact"), (2, 12, "exact")]


def test_one_element_differs_when_unambiguous():
    result = pair({1: h(), 2: h(kod_bokstav="A", kod_dag="1")}, {11: h(kod_manad="5")})
    assert result.pairs == [(1, 11, "one_differs")]


def test_a_skipped_element_counts_as_one_difference():
    result = pair({1: h()}, {11: h(kod_syskon=None)})
    assert result.pairs == [(1, 11, "one_differs")]


def test_two_differences_are_not_linked():
    result = pair({1: h()}, {11: h(kod_manad="5", kod_dag="0")})
    assert result.pairs == [] and not result.ambiguous


def test_ambiguous_near_matches_stay_unpaired_and_are_counted():
    # The later code is one step from two before-codes: which pupil is it?
    result = pair({1: h(kod_manad="5"), 2: h(kod_manad="6")}, {11: h()})
    assert result.pairs == []
    assert result.ambiguous == {1, 2, 11}


def test_two_later_codes_near_one_before_code_are_ambiguous():
    result = pair({1: h()}, {11: h(kod_manad="5"), 12: h(kod_manad="6")})
    assert result.pairs == [] and result.ambiguous == {1, 11, 12}


def test_duplicated_codes_are_left_out_and_counted():
    # Twins, or one pupil answering twice: the same code twice in a wave cannot be linked.
    result = pair({1: h(), 2: h(), 3: h(kod_bokstav="B")}, {11: h(), 12: h(kod_bokstav="B")})
    assert result.duplicates == {1, 2}
    assert result.ambiguous == {11}
    assert result.pairs == [(3, 12, "exact")]


def test_codes_with_too_few_answers_are_incomplete():
    weak = h(kod_bokstav=None, kod_manad=None)
    assert len(QUESTIONS) - 1 == MIN_ANSWERED
    result = pair({1: weak}, {11: weak})
    assert result.pairs == [] and result.incomplete == {1, 11}


def test_wide_pools_pair_exact_codes_only():
    result = pair({1: h()}, {11: h(kod_manad="5")}, one_differs=False)
    assert result.pairs == []


def _codes(draw_values):
    return {q.key: value for q, value in zip(QUESTIONS, draw_values, strict=True)}


element_values = st.tuples(
    *(st.sampled_from([*[c for c, _label in q.options][:4], None]) for q in QUESTIONS)
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(element_values, max_size=12),
    st.lists(element_values, max_size=12),
    st.randoms(use_true_random=False),
)
def test_pairing_is_one_to_one_close_and_independent_of_order(befores, laters, rnd):
    before = {n: tuple(hash_code(_codes(v), KEY)) for n, v in enumerate(befores)}
    later = {100 + n: tuple(hash_code(_codes(v), KEY)) for n, v in enumerate(laters)}
    result = pair(before, later)
    paired_before = [b for b, _l, _q in result.pairs]
    paired_later = [later_id for _b, later_id, _q in result.pairs]
    assert len(set(paired_before)) == len(paired_before)
    assert len(set(paired_later)) == len(paired_later)
    for b, later_id, quality in result.pairs:
        assert distance(before[b], later[later_id]) == (0 if quality == "exact" else 1)
        assert b not in result.left_out and later_id not in result.left_out
    shuffled_before = list(before.items())
    shuffled_later = list(later.items())
    rnd.shuffle(shuffled_before)
    rnd.shuffle(shuffled_later)
    again = pair(dict(shuffled_before), dict(shuffled_later))
    assert sorted(again.pairs) == sorted(result.pairs)
    assert again.ambiguous == result.ambiguous and again.duplicates == result.duplicates


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=30), st.randoms(use_true_random=False))
def test_a_class_with_one_typo_each_is_fully_recovered_when_codes_are_distinct(size, rnd):
    # Distinct pupils (their birth month and day digit tell them apart by two elements):
    # one changed element per pupil is always linked back to the right one.
    pupils = {n: code(kod_manad=str(n % 12 + 1), kod_dag=str(n // 12 % 10)) for n in range(size)}
    before = {n: tuple(hash_code(c, KEY)) for n, c in pupils.items()}
    later = {}
    for n, c in pupils.items():
        typo = dict(c)
        question = rnd.choice([q for q in QUESTIONS if q.key not in ("kod_manad", "kod_dag")])
        typo[question.key] = next(v for v, _l in question.options if v != c[question.key])
        later[1000 + n] = tuple(hash_code(typo, KEY))
    result = pair(before, later)
    assert sorted((b, later_id) for b, later_id, _q in result.pairs) == [
        (n, 1000 + n) for n in range(size)
    ]


# --- pairing stored in the database -----------------------------------------------------


def links():
    return {
        (link.before_id, link.later_id, link.later_phase, link.quality)
        for link in db.session.scalars(sa.select(ResponseLink))
    }


def ids(wave):
    return list(
        db.session.scalars(
            sa.select(Response.id).where(Response.wave_id == wave.id).order_by(Response.id)
        )
    )


def test_before_is_paired_with_after_and_follow_up_of_the_same_group(app):
    group = make_group(make_school())
    before = make_wave(group, "before")
    after = make_wave(group, "after")
    follow = make_wave(group, "follow_up")
    answer_with_codes(before, [code(), code(kod_bokstav="B")])
    answer_with_codes(after, [code(), code(kod_bokstav="B", kod_hand="2")])
    answer_with_codes(follow, [code(kod_bokstav="B")])
    (b1, b2), (a1, a2), (f1,) = ids(before), ids(after), ids(follow)
    assert links() == {
        (b1, a1, "after", "exact"),
        (b2, a2, "after", "one_differs"),
        (b2, f1, "follow_up", "exact"),
    }


def test_groups_do_not_mix_when_both_have_their_waves(app):
    school = make_school()
    group_a, group_b = make_group(school, name="8A"), make_group(school, name="8B")
    before_a, after_a = make_wave(group_a, "before"), make_wave(group_a, "after")
    before_b, after_b = make_wave(group_b, "before"), make_wave(group_b, "after")
    answer_with_codes(before_a, [code()])
    answer_with_codes(after_b, [code(kod_manad="9")])
    answer_with_codes(before_b, [code(kod_bokstav="Ö", kod_syskon="3")])
    answer_with_codes(after_a, [code(kod_bokstav="Ä", kod_hand="3")])
    # A near match across groups that both have their waves is too likely another pupil.
    assert links() == set()
    # The exact code of a pupil who moved from 8A to 8B is still found.
    answer_with_codes(after_b, [code()])
    assert links() == {(ids(before_a)[0], ids(after_b)[1], "after", "exact")}


def test_reorganised_groups_are_paired_across_the_school_and_grade(app):
    school = make_school()
    old = make_group(school, name="8A")
    # Before the lessons the pupils were in 8A; the after wave was opened for the new 8Ö.
    new_group = make_group(school, name="8Ö", school_year=old.school_year)
    before = make_wave(old, "before")
    after = make_wave(new_group, "after")
    answer_with_codes(before, [code(), code(kod_bokstav="B"), code(kod_bokstav="C")])
    answer_with_codes(after, [code(kod_dag="0"), code(kod_bokstav="B")])
    b1, b2, _b3 = ids(before)
    a1, a2 = ids(after)
    assert links() == {(b1, a1, "after", "one_differs"), (b2, a2, "after", "exact")}


def test_correcting_a_groups_grade_pairs_its_answers_again(client):
    school = make_school(name="Omskolan")
    old = make_group(school, name="8A", grade=8)
    # The after wave's group was registered in grade 7 by mistake: another cohort, no pairs.
    new_group = make_group(school, name="8Ö", grade=7, school_year=old.school_year)
    before = make_wave(old, "before")
    after = make_wave(new_group, "after")
    answer_with_codes(before, [code(), code(kod_bokstav="B")])
    answer_with_codes(after, [code(), code(kod_bokstav="B")])
    assert links() == set()
    sign_in(client, make_user("coordinator", schools=[school]))
    form = {
        "name": "8Ö",
        "grade": "8",
        "school_year": f"{old.school_year}/{(old.school_year + 1) % 100:02d}",
        "girls": str(new_group.girls),
        "boys": str(new_group.boys),
        "others": str(new_group.others),
    }
    response = client.post(f"/groups/{new_group.id}/edit", data=form)
    assert response.status_code == 302
    b1, b2 = ids(before)
    a1, a2 = ids(after)
    assert links() == {(b1, a1, "after", "exact"), (b2, a2, "after", "exact")}
    # Back to grade 7: the pairs go again.
    client.post(f"/groups/{new_group.id}/edit", data=form | {"grade": "7"})
    assert links() == set()


def test_follow_up_in_the_next_school_year_links_through_the_cohort(app):
    school = make_school()
    pilot = make_group(school, name="8A", grade=8)
    # A follow-up after the summer was opened for the pupils' new grade-9 group.
    ninth = make_group(school, name="9A", grade=9, school_year=pilot.school_year + 1)
    seventh = make_group(school, name="7A", grade=7, school_year=pilot.school_year + 1)
    before = make_wave(pilot, "before", opens_on=dt.date(pilot.school_year, 9, 1))
    follow = make_wave(ninth, "follow_up")
    other = make_wave(seventh, "follow_up")
    answer_with_codes(before, [code()])
    answer_with_codes(follow, [code()])
    answer_with_codes(other, [code()])  # another cohort: never paired
    assert links() == {(ids(before)[0], ids(follow)[0], "follow_up", "exact")}


def test_pairs_follow_changes_to_the_answers(app):
    group = make_group(make_school())
    before, after = make_wave(group, "before"), make_wave(group, "after")
    answer_with_codes(before, [code(kod_manad="5")])
    answer_with_codes(after, [code()])
    assert len(links()) == 1
    # Another before-answer one element away makes the pairing ambiguous: the pair goes.
    batch = answer_with_codes(before, [code(kod_manad="6")])
    assert links() == set()
    overview = services.wave_overview(after)
    assert overview.links[0].ambiguous == 1 and overview.links[0].linked == 0
    # Removing that batch brings the pair back.
    services.delete_batch(batch)
    db.session.commit()
    assert len(links()) == 1


def test_wave_page_counts_duplicates_and_incomplete_codes(app):
    group = make_group(make_school())
    before, after = make_wave(group, "before"), make_wave(group, "after")
    answer_with_codes(
        before,
        [code(), code(), code(kod_bokstav="K"), code(kod_bokstav="Q", kod_dag=None, kod_hand=None)],
    )
    answer_with_codes(after, [code(kod_bokstav="K"), code()])
    overview = services.wave_overview(before)
    assert overview.responses == 4
    assert overview.duplicates == 2 and overview.incomplete == 1
    after_link = overview.links[0]
    assert (after_link.exact, after_link.one_differs, after_link.linked) == (1, 0, 1)
    assert after_link.rate == 0.25
    follow_link = overview.links[1]
    assert follow_link.other_phase == "follow_up" and not follow_link.has_other_wave
    later = services.wave_overview(after).links[0]
    assert later.ambiguous == 1 and later.linked == 1


def test_relink_command_recomputes_every_cohort(app, runner):
    group = make_group(make_school())
    before, after = make_wave(group, "before"), make_wave(group, "after")
    answer_with_codes(before, [code(), code(kod_bokstav="B")])
    answer_with_codes(after, [code(), code(kod_bokstav="B")])
    db.session.execute(sa.delete(ResponseLink))
    db.session.commit()
    result = runner.invoke(args=["surveys", "relink"])
    assert result.exit_code == 0, result.output
    assert "2 par av svar" in result.output
    assert len(links()) == 2


def test_demo_like_class_links_most_pupils(app):
    # A class of 25 with realistic codes, a few typos and absences links most answers.
    rng = random.Random(7)
    group = make_group(make_school(), girls=13, boys=12, others=0)
    before, after = make_wave(group, "before"), make_wave(group, "after")
    pupils = [
        code(
            kod_bokstav=rng.choice("AEKLMS"),
            kod_manad=str(rng.randint(1, 12)),
            kod_dag=str(rng.randint(0, 9)),
            kod_syskon=str(rng.randint(0, 3)),
        )
        for _ in range(25)
    ]
    answer_with_codes(before, pupils[:24])
    later = [dict(c) for c in pupils[1:]]
    for c in later[:3]:
        c["kod_dag"] = str((int(c["kod_dag"]) + 1) % 10)
    answer_with_codes(after, later)
    overview = services.wave_overview(after)
    assert overview.links[0].linked >= 20
    assert overview.links[0].one_differs >= 2
    make_user("lead")  # the page itself is covered in test_waves


def test_wave_page_names_only_waves_this_group_can_link_with(app):
    school = make_school()
    eighth = make_group(school, name="8A", grade=8)
    # Last year's 7A is the same cohort, but this 8A's before wave cannot link with 7A's after.
    seventh = make_group(school, name="7A", grade=7, school_year=eighth.school_year - 1)
    year = seventh.school_year
    make_wave(seventh, "before", opens_on=dt.date(year, 9, 1), closes_on=dt.date(year, 9, 9))
    old_after = make_wave(
        seventh, "after", opens_on=dt.date(year + 1, 5, 1), closes_on=dt.date(year + 1, 5, 9)
    )
    new_before = make_wave(eighth, "before")
    answer_with_codes(old_after, [code()])
    answer_with_codes(new_before, [code()])
    overview = services.wave_overview(new_before)
    assert [(link.other_phase, link.has_other_wave) for link in overview.links] == [
        ("after", False),
        ("follow_up", False),
    ]
    assert links() == set()
