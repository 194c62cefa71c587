"""`flask bench`: the evaluation on a generated municipality, every figure beside its floor."""

import time

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.bench import dataset as generated

# Bounds of the write measures per scale: rows of the import file; online answers sent, and
# the most seconds they may take.
IMPORT_ROWS = {"pilot": 1_000, "municipality": 10_000, "national": 10_000}
ONLINE = {"pilot": (20, 15.0), "municipality": (300, 30.0), "national": (300, 30.0)}
# The measures besides the builds, in the order they run (`--only` picks some).
STEPS = ["pdf", "pages", "memory", "import", "online"]


@click.command("bench")
@click.option(
    "--scale",
    type=click.Choice(list(generated.SCALES)),
    default="municipality",
    show_default=True,
    help="pilot: 2 schools; municipality: 40 schools, ~61,000 answers; national: 400 "
    "schools, ~600,000 answers (meant for PostgreSQL).",
)
@click.option(
    "--database-url",
    default=None,
    help="An EMPTY PostgreSQL database to fill and empty again (default: a temporary "
    "SQLite file). A database with tables is refused.",
)
@click.option(
    "--repeat", default=3, show_default=True, help="Runs per figure (the fastest counts)."
)
@click.option(
    "--only",
    type=click.Choice(["builds", *STEPS]),
    multiple=True,
    help="Measure only these (repeatable; default: all). The builds are always measured; "
    "`--only builds` measures nothing else.",
)
def bench_command(scale: str, database_url: str | None, repeat: int, only: tuple[str, ...]):
    """Measure the evaluation, its PDF, pages, import and online answers on a generated
    municipality in a throwaway database, each beside its floor measured in the same run."""
    from mvp.bench import run
    from mvp.bench.database import throwaway
    from mvp.extensions import db

    size = generated.SCALES[scale]
    with throwaway(database_url) as (app, folder, url):
        kind = db.engine.dialect.name
        click.echo(
            _(
                "MVP bench, %(scale)s scale, on %(kind)s (%(where)s), seed 1.",
                scale=scale,
                kind="PostgreSQL" if kind == "postgresql" else "SQLite",
                where=_("a temporary file") if database_url is None else database_url,
            )
        )
        started = time.perf_counter()
        data = generated.generate(size)
        db.session.commit()
        if kind == "postgresql":
            # Planner statistics for the freshly bulk-loaded tables, as autovacuum would
            # have them on a real server: the EXPLAIN plans below are then the real ones.
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        seconds = time.perf_counter() - started
        click.echo(
            _(
                "Dataset: %(schools)s schools, %(years)s school years, %(groups)s groups, "
                "%(lessons)s lessons, %(responses)s answers (%(answers)s item answers), "
                "generated in %(seconds)s s.",
                schools=len(data.school_ids),
                years=len(data.years),
                groups=f"{data.groups:,}",
                lessons=f"{data.lessons:,}",
                responses=f"{data.responses:,}",
                answers=f"{data.answers:,}",
                seconds=f"{seconds:.1f}",
            )
        )
        report = run.Report()
        chosen = run.selections(data)
        timings = _step(run.measure_builds, report, chosen, data, repeat)
        wanted = set(only or STEPS)
        if "pdf" in wanted:
            _step(run.measure_pdf, report, chosen, repeat)
        if "pages" in wanted:
            _step(run.measure_pages, report, app, chosen, timings, repeat)
        if "memory" in wanted:
            _step(run.measure_memory, report, chosen, timings["statements"])
        if "import" in wanted:
            _step(run.measure_import, report, data, IMPORT_ROWS[scale])
        if "online" in wanted:
            _step(run.measure_online, report, data, folder, url, *ONLINE[scale])
        if kind == "postgresql":
            from mvp.bench import floors

            # The plans of the widest selection that is one municipality's.
            widest = "municipality" if "municipality" in chosen else "all"
            report.plans = floors.explain(timings["statements"][widest])
        db.session.remove()
    click.echo(format_table(report.rows))
    for statement, plan in report.plans:
        click.echo("")
        click.echo(" ".join(statement.split())[:400])
        for line in plan:
            click.echo("    " + line)


def _step(measure, *args):
    """Run one measure, telling on stderr how long it took (the table comes at the end)."""
    started = time.perf_counter()
    result = measure(*args)
    click.echo(f"  {measure.__name__}: {time.perf_counter() - started:.1f} s", err=True)
    return result


def _figure(value: float, unit: str) -> str:
    if unit == "":
        return f"{value:.2f}"
    if unit == "s":
        return f"{value * 1000:,.0f} ms" if value < 1 else f"{value:,.2f} s"
    return f"{value:,.1f} {unit}".replace(" /s", "/s")


def format_table(rows) -> str:
    """The rows as an aligned plain-text table: what, measured, floor, ratio, notes."""
    lines = [[_("what"), _("measured"), _("floor"), _("ratio"), _("notes")]]
    for row in rows:
        ratio = row.ratio
        lines.append(
            [
                row.what,
                _figure(row.value, row.unit),
                _figure(row.floor, row.unit),
                "–" if ratio is None else f"{ratio:,.1f}×",
                row.note,
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    text = []
    for line in lines:
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:4], widths[1:], strict=True)]
        text.append("  ".join([*cells, line[4]]).rstrip())
    return "\n".join(text)


commands = [bench_command]
