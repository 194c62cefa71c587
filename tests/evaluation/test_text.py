"""The plain-language findings: honest about improvement, no change, worsening and doubt."""

import pytest
from flask_babel import force_locale

from mvp.evaluation.results import PairedResult, UnpairedResult
from mvp.evaluation.suppress import SUPPRESSED
from mvp.evaluation.text import scale_finding, subgroup_finding, verdict


def paired(change, low, high, p_holm, n=80, d=0.3):
    return PairedResult(n, 2.5, 50.0, 2.7, 50.0 + change, change, low, high, d, p_holm, p_holm)


UNPAIRED = UnpairedResult(120, 2.5, 50.2, 100, 2.6, 53.1, 2.9, 0.12, 0.21, 0.35)


def finding(result, **kwargs):
    options = {"later_phase": "after", "low_linkage": False, "linkage_rate": 0.8, "min_n": 10}
    options.update(kwargs)
    with force_locale("sv"):
        return scale_finding("Beredskap", result, UNPAIRED, **options)


@pytest.mark.parametrize(
    ("result", "kind"),
    [
        (paired(6.1, 2.3, 9.9, 0.004), "up"),
        (paired(6.1, 2.3, 9.9, 0.09), "up_uncertain"),
        (paired(-5.0, -8.8, -1.2, 0.01), "down"),
        (paired(-5.0, -8.8, -1.2, 0.2), "down_uncertain"),
        (paired(1.2, -2.0, 4.4, 0.6), "none"),
        (paired(3.0, -0.1, 6.1, 0.03), "mixed"),
        (PairedResult(*[SUPPRESSED] * 11), None),
    ],
)
def test_the_verdict_needs_both_the_interval_and_the_adjusted_p(result, kind):
    assert verdict(result) == kind


def test_an_improvement_is_stated_with_its_certainty_and_size(app):
    text = finding(paired(6.1, 2.3, 9.9, 0.004))
    assert text.startswith("Beredskap: indexet steg från 50,0 före lektionerna till 56,1")
    assert "+6,1 poäng (95 % konfidensintervall [2,3; 9,9])" in text
    assert (
        "statistiskt säkerställd även efter korrigering för flera skalor (p\xa0=\xa00,004)" in text
    )
    assert "effekten är liten (dz = 0,30)" in text


def test_a_worsening_is_written_as_a_worsening(app):
    text = finding(paired(-5.0, -8.8, -1.2, 0.01))
    assert "indexet sjönk från 50,0" in text and "-5,0 poäng" in text
    assert "Detta är en försämring, statistiskt säkerställd" in text
    doubtful = finding(paired(-5.0, -8.8, -1.2, 0.2))
    assert "Detta kan vara en försämring, men den är inte statistiskt säkerställd" in doubtful


def test_no_change_and_disagreeing_tests_are_said_plainly(app):
    assert "ingen tydlig förändring" in finding(paired(1.2, -2.0, 4.4, 0.6))
    assert "förenliga med att ingen förändring alls skett (p\xa0=\xa00,600)" in finding(
        paired(1.2, -2.0, 4.4, 0.6)
    )
    mixed = finding(paired(3.0, -0.1, 6.1, 0.03))
    assert "en osäker förändring" in mixed and "kan inte kallas tydlig" in mixed


def test_low_linkage_adds_the_comparison_of_all_answers(app):
    text = finding(paired(6.1, 2.3, 9.9, 0.004), low_linkage=True, linkage_rate=0.42)
    assert "Endast 42,0\xa0% av svaren kunde kopplas ihop" in text
    assert "var indexet 50,2 före lektionerna och 53,1 efter lektionerna" in text
    assert "Hedges g = 0,12, p\xa0=\xa00,350 efter korrigering" in text


def test_too_few_linked_pupils_falls_back_on_all_answers(app):
    text = finding(PairedResult(*[SUPPRESSED] * 11), later_phase="follow_up")
    assert text.startswith("Beredskap: för få ihopkopplade svar")
    assert "När alla svar jämförs" in text and "vid uppföljningen" in text


def test_subgroup_sentences(app):
    with force_locale("sv"):
        assert subgroup_finding("Flickor", paired(4.0, 1.0, 7.0, 0.01, n=40)) == (
            "Flickor: en tydlig förbättring, +4,0 poäng (95 % konfidensintervall [1,0; 7,0], "
            "40 elever)."
        )
        assert subgroup_finding("Pojkar", PairedResult(*[SUPPRESSED] * 11)) == (
            "Pojkar: för få ihopkopplade svar för att visa."
        )
