"""The language an evaluation is written in: fixed once per build, the same words as Babel's."""

import flask_babel
from flask_babel import force_locale

from mvp.evaluation import language, text
from mvp.evaluation.numbers import fmt, fmt_share
from mvp.evaluation.results import PairedResult

SENTENCE = "%(group)s: too few linked answers to show."


def test_words_and_numbers_are_babels_in_the_language_fixed_for_the_build(app):
    with app.test_request_context():
        for locale, share in (("sv", "45,7\u00a0%"), ("en", "45.7%")):
            with force_locale(locale), language.writing_in():
                assert language.locale_name() == locale
                assert language.gettext(SENTENCE, group="X") == flask_babel.gettext(
                    SENTENCE, group="X"
                )
                assert fmt_share(0.457) == share
        with force_locale("sv"), language.writing_in():
            assert language.gettext("All pupils") == "Alla elever"
            assert fmt(1234.5, 1) == "1\u00a0234,5"


def test_a_finding_is_written_in_the_builds_language_and_babels_outside_one(app):
    nothing = PairedResult(n=0)
    with app.test_request_context():
        with force_locale("sv"):
            outside = text.subgroup_finding("Flickor", nothing)
            with language.writing_in():
                fixed = text.subgroup_finding("Flickor", nothing)
                # The language stays the build's for the whole block.
                with force_locale("en"):
                    assert text.subgroup_finding("Flickor", nothing) == fixed
        with force_locale("en"):
            english = text.subgroup_finding("Girls", nothing)
    assert fixed == outside == "Flickor: för få ihopkopplade svar för att visa."
    assert english == "Girls: too few linked answers to show."
