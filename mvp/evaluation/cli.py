"""`flask bench`: how the evaluation's build time and queries grow with the number of answers."""

import tempfile
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.evaluation.filters import EvaluationFilter
from mvp.schools.years import current_school_year


@click.command("bench")
@click.option(
    "--factors",
    default="1,4,16",
    show_default=True,
    help="Data sizes, as multiples of the smallest.",
)
@click.option("--groups", default=4, show_default=True, help="Pupil groups at the smallest size.")
@click.option(
    "--repeat", default=3, show_default=True, help="Builds per size (the fastest counts)."
)
def bench_command(factors: str, groups: int, repeat: int):
    """Build the evaluation on synthetic data of growing size, in a throwaway database.

    Prints each size's build time as a ratio to the smallest size's (not seconds, which
    depend on the machine) and the number of SQL queries per build, which must not grow.
    """
    from mvp import create_app
    from mvp.evaluation import synthetic
    from mvp.evaluation.build import build_evaluation
    from mvp.extensions import db

    try:
        sizes = [int(f) for f in factors.split(",") if f.strip()]
    except ValueError as error:
        raise click.BadParameter(
            _("Give whole numbers separated by commas, such as 1,4,16.")
        ) from error
    year = current_school_year() - 1
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for factor in sizes:
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / f'b{factor}.sqlite'}",
                    "INSTANCE_PATH": folder,
                    "SECRET_KEY": "bench",
                }
            )
            with app.app_context():
                db.create_all()
                responses = synthetic.fill(groups * factor, school_year=year)
                db.session.commit()
                selection = EvaluationFilter(years=(year,))
                statements = []

                def record(conn, cursor, statement, *args, statements=statements):
                    statements.append(statement)

                best = None
                for _run in range(max(1, repeat)):
                    statements.clear()
                    sa.event.listen(db.engine, "before_cursor_execute", record)
                    started = time.perf_counter()
                    build_evaluation(selection)
                    elapsed = time.perf_counter() - started
                    sa.event.remove(db.engine, "before_cursor_execute", record)
                    best = elapsed if best is None else min(best, elapsed)
                    db.session.expire_all()
                results.append((factor, responses, best, len(statements)))
                db.session.remove()
                db.engine.dispose()
    smallest = results[0][2]
    headings = [_("Size"), _("Answers"), _("Time (× smallest)"), _("SQL queries per build")]
    lines = [
        [f"{factor}×", str(responses), f"{elapsed / smallest:.2f}", str(queries)]
        for factor, responses, elapsed, queries in results
    ]
    widths = [max(len(row[i]) for row in [headings, *lines]) for i in range(len(headings))]
    for row in [headings, *lines]:
        click.echo("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
    if len({queries for *_rest, queries in results}) != 1:
        raise click.ClickException(_("The number of queries grew with the data."))


commands = [bench_command]
