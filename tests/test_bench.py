"""`flask bench`: the smoke test at pilot scale, the generated data, and the refusals.

Only that the bench runs and prints every figure beside its floor is asserted: timings depend
on the machine and are never asserted in tests.
"""

import re

import sqlalchemy as sa

from mvp.bench import dataset
from mvp.extensions import db
from mvp.schools.models import StudentGroup
from mvp.surveys.models import Answer, Response, ResponseLink, ScaleScore, Wave
from tests.conftest import clean_database

ROWS = [
    "bygget: en skola, ett läsår",
    "bygget: ett läsår",
    "bygget: alla läsår",
    "byggets tillväxtexponent",
    "PDF, alla läsår (efter bygget)",
    "utvärderingssidan, ett läsår, första visning, p50",
    "utvärderingssidan, ett läsår, första visning, p95",
    "utvärderingssidan, ett läsår, upprepad visning, p50",
    "utvärderingssidan, ett läsår, upprepad visning, p95",
    "JSON-API:t, ett läsår, första visning, p50",
    "JSON-API:t, ett läsår, första visning, p95",
    "JSON-API:t, ett läsår, upprepad visning, p50",
    "JSON-API:t, ett läsår, upprepad visning, p95",
    "minnestopp, bygge + PDF av alla läsår",
    "import av 1,000 enkätsvar",
    "enkätsvar online per sekund, alla sidor (gunicorn 2×4)",
    "en klass trycker Skicka samtidigt, svar per sekund",
]


def test_the_bench_runs_at_pilot_scale_and_prints_each_figure_beside_its_floor(runner):
    # Its own throwaway SQLite database, whatever database the suite runs on.
    result = runner.invoke(args=["bench", "--scale", "pilot", "--repeat", "1"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert re.search(r"Data: 2 skolor, 3 läsår, 12 grupper, [\d,]+ lektioner", output)
    lines = {line.split("  ")[0].strip(): line for line in output.splitlines()}
    for what in ROWS:
        assert what in lines, f"no row {what!r} in:\n{output}"
        # measured, floor and their ratio (at pilot scale the growth exponent is timing noise
        # and may come out negative: its sign is not asserted, only that it is printed)
        number = r"-?\d[\d,.]*"
        assert re.search(rf"{number}\s*\S*\s+{number}\s*\S*\s+{number}×", lines[what]), lines[what]
    # The evaluation runs the same number of queries whatever the selection's size.
    queries = {re.search(r"(\d+) SQL-frågor", lines[w]).group(1) for w in ROWS[:3]}
    assert len(queries) == 1
    online = lines["enkätsvar online per sekund, alla sidor (gunicorn 2×4)"]
    assert ", 0 fel;" in online
    # The floor makes as many requests as one pupil's answer: the open, every page, the send.
    assert (
        re.search(r"; (\d+) anrop vardera;", online)
        and int(re.search(r"; (\d+) anrop vardera;", online).group(1)) >= 4
    )
    assert ", 0 fel;" in lines["en klass trycker Skicka samtidigt, svar per sekund"]


def test_only_the_chosen_measures_run_beside_the_builds(runner):
    result = runner.invoke(args=["bench", "--scale", "pilot", "--repeat", "1", "--only", "pdf"])
    assert result.exit_code == 0, result.output
    assert "bygget: ett läsår" in result.output
    assert "PDF, alla läsår (efter bygget)" in result.output
    assert "utvärderingssidan" not in result.output and "online" not in result.output
    # A pilot has fewer schools than a municipality: no municipality row.
    assert "en kommun (40 skolor)" not in result.output


def test_the_bench_refuses_a_database_that_has_tables(runner, app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    result = runner.invoke(args=["bench", "--scale", "pilot", "--database-url", url])
    assert result.exit_code == 1
    assert "Databasen har redan tabeller" in result.output
    assert "school" in sa.inspect(db.engine).get_table_names()  # nothing dropped


def _fingerprint() -> tuple:
    """What the generated data hold, without database ids."""
    return (
        db.session.scalar(sa.select(sa.func.count(StudentGroup.id))),
        db.session.scalar(sa.select(sa.func.count(Wave.id))),
        db.session.scalar(sa.select(sa.func.count(Response.id))),
        db.session.scalar(sa.select(sa.func.count()).select_from(Answer)),
        db.session.scalar(sa.select(sa.func.sum(Answer.value))),
        round(db.session.scalar(sa.select(sa.func.sum(ScaleScore.index))), 2),
        db.session.scalar(sa.select(sa.func.count(ResponseLink.id))),
        tuple(db.session.scalars(sa.select(Wave.code).order_by(Wave.code))),
    )


def test_the_generated_municipality_is_the_same_every_time(app):
    first = dataset.generate(dataset.SCALES["pilot"])
    db.session.commit()
    fingerprint = _fingerprint()
    clean_database()
    second = dataset.generate(dataset.SCALES["pilot"])
    db.session.commit()
    assert _fingerprint() == fingerprint
    assert (first.groups, first.responses, first.answers) == (
        second.groups,
        second.responses,
        second.answers,
    )


def test_generated_answers_are_scored_and_paired_as_the_app_does(app):
    from mvp.surveys import scoring
    from mvp.surveys.services import instrument_items

    data = dataset.generate(dataset.SCALES["pilot"])
    db.session.commit()
    assert data.groups == 12 and len(data.years) == 3
    # No wave has more answers than its group has pupils.
    sizes = db.session.execute(
        sa.select(Wave.id, StudentGroup.girls + StudentGroup.boys + StudentGroup.others).join(
            StudentGroup, StudentGroup.id == Wave.group_id
        )
    ).all()
    answered = dict(
        db.session.execute(
            sa.select(Response.wave_id, sa.func.count()).group_by(Response.wave_id)
        ).all()
    )
    assert all(answered.get(wave, 0) <= size for wave, size in sizes)
    # A stored score is what mvp.surveys.scoring makes of the stored answers.
    items = instrument_items(data.instrument_id)
    response = db.session.scalars(sa.select(Response).order_by(Response.id)).first()
    given = {a.item_id: (a.value, a.dont_know) for a in response.answers}
    for stored in response.scores:
        scale_items = [
            scoring.ScaleItem(i.id, i.kind, i.reverse)
            for i in items
            if i.scale_id == stored.scale_id and i.kind != "choice"
        ]
        expected = scoring.score(scale_items, given)
        assert (stored.mean, stored.index, stored.valid) == (
            expected.mean,
            expected.index,
            expected.valid,
        )
    # The app's own pairing linked most before-answers with an after-answer.
    assert db.session.scalar(sa.select(sa.func.count(ResponseLink.id))) > data.responses / 4
