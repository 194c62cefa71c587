"""The headline sentences: what improved, for girls and for boys, what did not or got worse."""

from mvp.evaluation.headlines import headline_sentences, names_list
from mvp.evaluation.results import (
    Comparison,
    Linkage,
    PairedResult,
    ScaleResult,
    SubgroupResult,
    UnpairedResult,
)
from mvp.reports.charts import chart_table, comparison_charts


def paired(change, low, high, p=0.01):
    return PairedResult(n=60, change=change, ci_low=low, ci_high=high, p=p, p_holm=p)


def scale(name, overall, girls, boys):
    return ScaleResult(
        name.lower(),
        name,
        "construct",
        "likert",
        4,
        overall,
        UnpairedResult(),
        by_sex=[
            SubgroupResult("girl", "Flickor", girls, UnpairedResult()),
            SubgroupResult("boy", "Pojkar", boys, UnpairedResult()),
        ],
    )


def comparison():
    return Comparison(
        "after",
        available=True,
        linkage=Linkage(pairs=120),
        scales=[
            scale("Beredskap", paired(6.1, 2.3, 9.9), paired(7, 2, 12), paired(5, 1, 9)),
            scale("Normer", paired(1.0, -2.0, 4.0, 0.5), paired(2, -1, 5, 0.4), paired(-6, -9, -2)),
            scale(
                "Känna igen", paired(-4.0, -7.0, -1.0), paired(-3, -6, 1, 0.2), paired("..", 1, 2)
            ),
        ],
    )


class _Evaluation:
    has_data = True

    def __init__(self, effectiveness):
        self.effectiveness = effectiveness


def test_the_sentences_say_what_improved_what_did_not_and_what_got_worse(app):
    sentences = headline_sentences(_Evaluation(comparison()))
    assert 3 <= len(sentences) <= 5
    assert sentences[0] == "Efter lektionerna blev 1 av 3 skalor tydligt bättre: Beredskap."
    assert sentences[1] == "Ingen tydlig förändring: Normer. Tydligt sämre: Känna igen."
    assert sentences[2] == "För flickor blev Beredskap tydligt bättre."
    assert sentences[3] == "För pojkar blev Beredskap tydligt bättre. Normer blev tydligt sämre."
    assert sentences[4].startswith("Hur säkra vi är: resultaten bygger på 120 elever")


def test_nothing_linked_is_said_plainly(app):
    empty = Comparison("after", available=True, scales=[scale("A", *[PairedResult()] * 3)])
    assert headline_sentences(_Evaluation(empty)) == [
        "För få elevers svar kunde kopplas ihop för att säga om något förändrades."
    ]


def test_names_are_joined_in_plain_swedish(app):
    assert names_list(["A"]) == "A"
    assert names_list(["A", "B", "C"]) == "A, B och C"


def test_the_chart_by_sex_has_a_table_with_the_same_figures(app):
    by_sex = next(c for c in comparison_charts(comparison()) if c.key == "change_by_sex")
    table = chart_table(by_sex, "in-brief")
    assert [c.label for c in table.columns] == [
        "Skala",
        "Flickor: förändring i indexpoäng",
        "Flickor: 95 % KI",
        "Pojkar: förändring i indexpoäng",
        "Pojkar: 95 % KI",
    ]
    assert table.rows[0] == ["Beredskap", 7, (2, 12), 5, (1, 9)]
    # A figure not drawn (suppressed) is ".." in the table, never 0.
    assert table.rows[2][3:] == ["..", ("..", "..")]


def test_a_table_of_nothing_but_suppressed_figures_is_one_line(app):
    from flask import render_template_string

    from mvp.reports.outline import all_suppressed
    from mvp.reports.tables import Column, Table

    empty = Table("x", "s", "Efter årskurs", [Column("Skala"), Column("n", "count")])
    empty.rows = [["A", ".."], ["B", ".."]]
    shown = Table("y", "s", "Efter kön", [Column("Skala"), Column("n", "count")], [["A", 12]])
    assert all_suppressed(empty) and not all_suppressed(shown)
    with app.test_request_context():
        html = render_template_string(
            '{% from "evaluation/_macros.html" import eval_table %}{{ eval_table(t) }}', t=empty
        )
    assert "<table" not in html
    assert "Efter årskurs:</strong> För få elever för att visa dessa uppgifter." in html
