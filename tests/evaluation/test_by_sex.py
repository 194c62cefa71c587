"""Every statistic about people by sex: linkage, Cronbach's alpha, linked against unlinked at
baseline, the scales by school and by grade — computed independently from the raw rows, in
the JSON, on the web, in the PDF and in Excel, and protected like every other cell."""

import io
import re
from collections import Counter, defaultdict
from html import unescape
from types import SimpleNamespace

import numpy as np
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from scipy import stats as sps

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.evaluation.outcomes import PHASE_CODES
from mvp.evaluation.results import PUPIL_SEXES, AlphaResult, Linkage
from mvp.evaluation.sections.by_sex import alpha_by_sex, linkage_by_sex
from mvp.evaluation.suppress import SUPPRESSED
from mvp.extensions import db
from mvp.schools.models import StudentGroup
from mvp.surveys.models import Answer, Item, Wave
from tests.evaluation.conftest import build_pilot
from tests.evaluation.test_build import (
    close,
    hundredths,
    raw_pairs,
    raw_respondents,
    raw_scale_indexes,
)
from tests.factories import make_user, sign_in
from tests.test_reports_pdf import pdf_text, share, sv

SEXES = ("girl", "boy")


@pytest.fixture
def evaluation(pilot):
    return build_evaluation(EvaluationFilter(years=(pilot.year,)), language="sv")


def _groups():
    rows = db.session.execute(
        sa.select(Wave.id, StudentGroup.school_id, StudentGroup.grade).join(
            StudentGroup, StudentGroup.id == Wave.group_id
        )
    )
    return {row.id: row for row in rows}


def _places():
    """{response id: (school id, grade)} of the responses shown."""
    waves = _groups()
    from mvp.surveys.models import Response

    people = raw_respondents()
    return {
        row.id: (waves[row.wave_id].school_id, waves[row.wave_id].grade)
        for row in db.session.execute(sa.select(Response.id, Response.wave_id))
        if row.id in people
    }


def test_linkage_by_sex_equals_an_independent_computation(pilot, evaluation):
    people = raw_respondents()
    pairs = raw_pairs()
    linkage = evaluation.effectiveness.linkage
    groups = {g.key: g for g in linkage.by_sex}
    assert set(groups) == set(PUPIL_SEXES)
    for sex in SEXES:
        before = sum(1 for p in people.values() if p.phase == "before" and p.sex == sex)
        later = sum(1 for p in people.values() if p.phase == "after" and p.sex == sex)
        linked = sum(1 for b, _la in pairs if people[b].sex == sex)
        linked_later = sum(1 for _b, la in pairs if people[la].sex == sex)
        group = groups[sex]
        assert (group.before, group.later, group.pairs) == (before, later, linked)
        close(group.rate_before, linked / before, 3)
        close(group.rate_later, linked_later / later, 3)
    # Girls and boys (and the rest) add up to the figures for all pupils.
    assert sum(g.pairs for g in linkage.by_sex if g.pairs != SUPPRESSED) <= linkage.pairs


def test_alpha_by_sex_equals_an_independent_computation(pilot, evaluation):
    people = raw_respondents()
    answers = defaultdict(dict)
    for row in db.session.execute(sa.select(Answer.response_id, Item.key, Answer.value).join(Item)):
        answers[row.response_id][row.key] = row.value
    readiness = next(s for s in evaluation.effectiveness.scales if s.key == "readiness")
    for result in readiness.alpha:
        groups = {g.key: g for g in result.by_sex}
        for sex in SEXES:
            complete = [
                [a["r1"], a["r2"], 5 - a["r3"]]
                for r, a in answers.items()
                if r in people
                and people[r].phase == result.phase
                and people[r].sex == sex
                and all(a.get(k) is not None for k in ("r1", "r2", "r3"))
            ]
            matrix = np.array(complete, dtype=float)
            k = matrix.shape[1]
            alpha = (
                k
                / (k - 1)
                * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))
            )
            assert groups[sex].n == len(complete) >= 10
            close(groups[sex].alpha, alpha, 2)


def test_baseline_by_sex_equals_an_independent_computation(pilot, evaluation):
    people = raw_respondents()
    pairs = raw_pairs()
    indexes = raw_scale_indexes()["norms"]
    linked = {b for b, la in pairs if b in indexes and la in indexes}
    row = next(b for b in evaluation.effectiveness.baseline if b.key == "norms")
    groups = {g.key: g for g in row.by_sex}
    for sex in SEXES:
        mine = [
            r for r, _v in indexes.items() if people[r].phase == "before" and people[r].sex == sex
        ]
        with_link = np.array([indexes[r] for r in mine if r in linked])
        without = np.array([indexes[r] for r in mine if r not in linked])
        group = groups[sex]
        assert (group.n_linked, group.n_unlinked) == (len(with_link), len(without))
        close(group.linked_index, with_link.mean(), 1)
        close(group.unlinked_index, without.mean(), 1)
        if len(without) >= 10:
            p = sps.mannwhitneyu(
                hundredths(with_link), hundredths(without), method="asymptotic"
            ).pvalue
            assert group.p == pytest.approx(p, rel=1e-9)
        else:  # too few unlinked pupils of this sex: hidden, and their comparison with them
            assert group.n_unlinked == SUPPRESSED or group.n_unlinked == 0


def _paired_by_place(place_of) -> dict:
    """{(scale, place, sex): changes} of the linked pupils, by their before-answer."""
    people = raw_respondents()
    pairs = raw_pairs()
    changes = defaultdict(list)
    for key, scores in raw_scale_indexes().items():
        for b, la in pairs:
            if b in scores and la in scores:
                changes[(key, place_of(b), people[b].sex)].append(scores[la] - scores[b])
    return changes


def test_scales_by_school_and_by_grade_and_sex_equal_an_independent_computation(pilot, evaluation):
    places = _places()
    by_school = _paired_by_place(lambda r: str(places[r][0]))
    by_grade = _paired_by_place(lambda r: str(places[r][1]))
    shown = hidden = 0
    for scale in evaluation.effectiveness.scales:
        for attribute, changes in (("by_school_sex", by_school), ("by_grade_sex", by_grade)):
            results = getattr(scale, attribute)
            assert {r.sex for r in results} == set(PUPIL_SEXES)
            for result in results:
                change = np.array(changes.get((scale.key, result.key, result.sex), []))
                if result.paired.n == SUPPRESSED:
                    hidden += 1
                    continue
                assert result.paired.n == len(change)
                if len(change):
                    shown += 1
                    close(result.paired.change, change.mean(), 1)
    assert shown and hidden
    # A school's page has its grades by sex too.
    school = evaluation.schools[0]
    assert {r.sex for r in school.scales[0].by_grade_sex} == set(PUPIL_SEXES)


def test_the_new_cells_are_hidden_when_small_and_a_second_one_with_them(pilot, evaluation):
    """Hallsta's single grade-7 group has fewer than ten linked girls and boys: both are
    hidden, and so — secondarily — is grade 8 of each sex, though it has more than ten,
    since the girls' (boys') total minus grade 8 would give grade 7 back."""
    places = _places()
    by_grade = _paired_by_place(lambda r: str(places[r][1]))
    primary = secondary = 0
    for scale in evaluation.effectiveness.scales:
        for result in scale.by_grade_sex:
            true_n = len(by_grade.get((scale.key, result.key, result.sex), []))
            if result.paired.n == SUPPRESSED:
                assert result.paired.change == SUPPRESSED
                if true_n < 10:
                    primary += 1
                else:
                    secondary += 1
            else:
                assert not 0 < result.paired.n < 10
    assert primary and secondary


def _builder(before_sex, later_sex, pairs):
    """The parts of an OutcomeBuilder the linkage by sex reads: one before- and one later-answer
    per listed sex, and pairs (before number, later number)."""
    sexes = [PUPIL_SEXES.index(x) for x in (*before_sex, *later_sex)]
    phase = [PHASE_CODES["before"]] * len(before_sex) + [PHASE_CODES["after"]] * len(later_sex)
    phase = np.array(phase)
    b, la = (np.array(side, dtype=np.int64) for side in zip(*pairs, strict=True))
    return SimpleNamespace(
        sex=np.array(sexes),
        phase=phase,
        compared={"after": phase == PHASE_CODES["before"]},
        links={"after": (b, la + len(before_sex), np.ones(len(b), dtype=bool))},
    )


def test_a_small_linked_group_hides_a_second_sex_but_never_the_total(app):
    before = ["girl"] * 30 + ["boy"] * 28 + ["other"] * 12
    later = list(before)
    # Every girl and boy linked but only 5 of the 12 "other".
    pairs = [(i, i) for i in range(58)] + [(i, i) for i in range(58, 63)]
    builder = _builder(before, later, pairs)
    total = Linkage(before=70, later=70, pairs=63)
    groups = {g.key: g for g in linkage_by_sex(builder, "after", total, 10)}
    assert groups["other"].pairs == SUPPRESSED and groups["other"].rate_before == SUPPRESSED
    # The second: the smallest other sex with pupils (boys, 28), not the total.
    assert groups["boy"].pairs == SUPPRESSED and groups["boy"].rate_later == SUPPRESSED
    assert groups["girl"].pairs == 30 and groups["girl"].rate_before == 1.0
    assert groups["boy"].before == 28 and groups["other"].before == 12
    assert groups["no_answer"].before == 0


def test_alpha_of_a_small_sex_is_hidden_with_a_second(app):
    rng = np.random.default_rng(3)
    sexes = np.array([0] * 20 + [1] * 18 + [2] * 4)
    matrix = rng.integers(1, 5, size=(len(sexes), 3)).astype(float)
    builder = SimpleNamespace(complete_answers=lambda scale, phase: (matrix, sexes))
    groups = {g.key: g for g in alpha_by_sex(builder, None, AlphaResult("before", 42, 0.5), 10)}
    assert groups["other"].n == groups["other"].alpha == SUPPRESSED
    assert groups["boy"].n == SUPPRESSED  # else 42 − 20 − 0 would give the four back
    assert groups["girl"].n == 20 and isinstance(groups["girl"].alpha, float)
    # A total that is hidden itself hides every sex of it.
    hidden = alpha_by_sex(builder, None, AlphaResult("before", SUPPRESSED, SUPPRESSED), 10)
    assert all(g.n == SUPPRESSED for g in hidden)


# --- the same figures on the web, in the PDF and in Excel --------------------------------------

NEW_TABLES = {
    "linkage_sex": "Kopplade svar efter kön",
    "alpha_sex": "Reliabilitet efter kön: skalornas Cronbachs alfa",
    "baseline_sex": (
        "Bortfall efter kön: ihopkopplade och inte ihopkopplade elever före lektionerna"
    ),
    "school_sex": "Skalor efter skola och kön: ihopkopplade elever",
    "grade_sex": "Skalor efter årskurs och kön: ihopkopplade elever",
}


@pytest.fixture
def downloads(client, app):
    build_pilot()
    sign_in(client, make_user("lead"))
    return client


def _girls_linkage(data):
    return next(g for g in data["effectiveness"]["linkage"]["by_sex"] if g["key"] == "girl")


def test_the_json_carries_every_split(downloads):
    data = downloads.get("/api/v1/evaluation").json
    effectiveness = data["effectiveness"]
    assert {g["key"] for g in effectiveness["linkage"]["by_sex"]} == set(PUPIL_SEXES)
    for scale in effectiveness["scales"]:
        for alpha in scale["alpha"]:
            assert {g["key"] for g in alpha["by_sex"]} == set(PUPIL_SEXES)
        for attribute in ("by_school_sex", "by_grade_sex"):
            assert {g["sex"] for g in scale[attribute]} == set(PUPIL_SEXES)
    for row in effectiveness["baseline"]:
        assert {g["key"] for g in row["by_sex"]} == set(PUPIL_SEXES)
    for school in data["schools"]:
        for scale in school["scales"]:
            assert {g["sex"] for g in scale["by_grade_sex"]} == set(PUPIL_SEXES)


def test_the_web_shows_every_split(downloads):
    data = downloads.get("/api/v1/evaluation").json
    html = unescape(downloads.get("/evaluation/section/effectiveness").get_data(as_text=True))
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", html, re.S)
    captions = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in captions]
    for title in NEW_TABLES.values():
        assert any(c.startswith(title) for c in captions), title
    girls = _girls_linkage(data)
    table = next(
        t for t in html.split("<table")[1:] if NEW_TABLES["linkage_sex"] in t.split("</caption>")[0]
    )
    row = re.search(r"Flickor\s*</t[hd]>(.*?)</tr>", table, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip().replace("\xa0", " ")
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[:3] == [sv(girls["before"], 0), sv(girls["later"], 0), sv(girls["pairs"], 0)]
    assert cells[3] == share(girls["rate_before"])
    school = data["schools"][0]
    page = unescape(downloads.get(f"/evaluation/schools/{school['key']}").get_data(as_text=True))
    assert f"{school['name']}: kön per årskurs, skalor för ihopkopplade elever" in page
    # The school's result per scale says it for girls and for boys too.
    for scale in school["scales"]:
        assert [f.split(":")[0] for f in scale["findings_by_sex"]] == ["Flickor", "Pojkar"]
        assert " ".join([scale["finding"], *scale["findings_by_sex"]]) in page


def test_the_pdf_appendix_shows_every_split(downloads, tmp_path):
    data = downloads.get("/api/v1/evaluation").json
    path = tmp_path / "rapport.pdf"
    path.write_bytes(downloads.get("/evaluation/report.pdf").data)
    text = pdf_text(path)
    flat = " ".join(text.split())
    appendix = flat.split("Bilaga: tabeller i detalj")[-1]
    for title in NEW_TABLES.values():
        assert title in appendix, title
    girls = _girls_linkage(data)
    expected = " ".join(
        [
            "Flickor",
            sv(girls["before"], 0),
            sv(girls["later"], 0),
            sv(girls["pairs"], 0),
            share(girls["rate_before"]),
            share(girls["rate_later"]),
        ]
    )
    assert expected in appendix
    readiness = next(s for s in data["effectiveness"]["scales"] if s["key"] == "readiness")
    boys_alpha = next(g for g in readiness["alpha"][0]["by_sex"] if g["key"] == "boy")
    assert f"Pojkar {sv(boys_alpha['n'], 0)} {sv(boys_alpha['alpha'], 2)}" in appendix
    for school in data["schools"]:
        for scale in school["scales"]:
            assert " ".join([scale["finding"], *scale["findings_by_sex"]]) in appendix


def test_the_excel_sheets_equal_the_json(downloads):
    data = downloads.get("/api/v1/evaluation").json
    workbook = load_workbook(io.BytesIO(downloads.get("/evaluation/report.xlsx").data))
    titles = {workbook[name]["A1"].value: workbook[name] for name in workbook.sheetnames}
    for title in NEW_TABLES.values():
        assert title in titles, title
    rows = list(titles[NEW_TABLES["linkage_sex"]].iter_rows(min_row=3, values_only=True))
    girls = _girls_linkage(data)
    row = next(r for r in rows if r[0] == "Flickor")
    assert list(row[1:6]) == [
        girls["before"],
        girls["later"],
        girls["pairs"],
        girls["rate_before"],
        girls["rate_later"],
    ]
    baseline = next(r for r in data["effectiveness"]["baseline"] if r["key"] == "norms")
    boys = next(g for g in baseline["by_sex"] if g["key"] == "boy")
    sheet = titles[NEW_TABLES["baseline_sex"]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=3, values_only=True)
        if r[0] == baseline["name"] and r[1] == "Pojkar"
    )
    assert list(row[2:5]) == [boys["n_linked"], boys["linked_index"], boys["n_unlinked"]]
    counts = Counter(
        r[2] for r in titles[NEW_TABLES["grade_sex"]].iter_rows(min_row=3, values_only=True)
    )
    assert counts["Flickor"] and counts["Pojkar"]


def test_a_dashboard_section_with_nothing_to_show_is_one_line(client, pilot):
    """The outline's rule, as in the PDF: the section's title and its one line, no intro,
    takeaway or tables."""
    from mvp.evaluation.build import build_evaluation as build
    from mvp.reports.outline import sections

    sign_in(client, make_user("lead"))
    html = unescape(client.get("/evaluation/?year=2015/16").get_data(as_text=True))
    with client.application.test_request_context():
        outline = sections(build(EvaluationFilter(years=(2015,)), language="sv"))
    empty = [s for s in outline if s.empty]
    assert {s.key for s in empty} >= {"reach", "implementation", "effectiveness"}
    for section in empty:
        part = html.split(f'<section aria-labelledby="{section.key}">', 1)[1]
        part = part.split("</section>", 1)[0]
        texts = [t.strip() for t in re.sub(r"<[^>]+>", "\n", part).splitlines() if t.strip()]
        assert texts == [section.title, section.empty], texts
