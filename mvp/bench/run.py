"""The bench's measurements: each figure beside its floor measured in the same run.

Every measure returns Rows; `ratio` is how many times the floor the figure is (for a rate,
how many times slower than the floor), so 1.0 is as fast as the machine allows.
"""

import csv
import datetime as dt
import io
import math
import os
import random
import resource
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from mvp.bench import dataset as generated
from mvp.bench import floors, online
from mvp.evaluation import services as evaluation_services
from mvp.evaluation.build import build_evaluation
from mvp.extensions import db
from mvp.reports.charts import evaluation_charts
from mvp.reports.pdf import render_pdf
from mvp.reports.tables import tables_by_section
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import current_school_year, format_school_year
from mvp.surveys import importing
from mvp.surveys.coding import allowed_codes
from mvp.surveys.linkage import QUESTIONS
from mvp.surveys.models import Phase, Response, Source, Wave
from mvp.surveys.services import instrument_items

LEAD_EMAIL = "lead@bench.invalid"
LEAD_PASSWORD = "bench-lead-password-1"


@dataclass
class Row:
    """One line of the bench's table."""

    what: str
    value: float
    floor: float
    unit: str
    note: str = ""
    rate: bool = False  # higher is better: the ratio is floor / value

    @property
    def ratio(self) -> float | None:
        if self.rate:
            return self.floor / self.value if self.value else None
        return self.value / self.floor if self.floor else None


@dataclass
class Report:
    """What a bench run found."""

    rows: list[Row] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    plans: list[tuple[str, list[str]]] = field(default_factory=list)


def best(function, repeat: int) -> tuple[float, object]:
    """The fastest of `repeat` runs (seconds) and the last run's result."""
    fastest, result = math.inf, None
    for _run in range(max(1, repeat)):
        db.session.expire_all()
        started = time.perf_counter()
        result = function()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest, result


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log(time) over log(size): the growth exponent."""
    xs = [math.log(size) for size, _t in points]
    ys = [math.log(seconds) for _s, seconds in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def _answers_in(years) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Response.id))
        .join(Wave, Wave.id == Response.wave_id)
        .join(StudentGroup, StudentGroup.id == Wave.group_id)
        .where(StudentGroup.school_year.in_(years))
    )


def selections(data: generated.Dataset) -> dict[str, object]:
    """The selections measured, resolved as the command line resolves them."""
    first = db.session.get(School, data.school_ids[0])
    last = data.years[-1:]

    def resolve(years, schools=()):
        return evaluation_services.resolve_filter(
            None,
            years=[format_school_year(y) for y in years],
            schools=list(schools),
            schools_by_name=True,
        )

    middle = data.years[-max(2, len(data.years) // 2) :]
    chosen = {
        "school": resolve(last, [first.name]),
        "year": resolve(last),
        "middle": resolve(middle),
        "all": resolve(data.years),
    }
    municipality = generated.SCALES["municipality"].schools
    if len(data.school_ids) > municipality:
        # At national scale: one municipality's schools, all years, among everyone's data
        # (compared with the municipality scale's "all years" on SQLite).
        ids = data.school_ids[:municipality]
        names = db.session.scalars(sa.select(School.name).where(School.id.in_(ids)))
        chosen["municipality"] = resolve(data.years, list(names))
    return chosen


def measure_builds(report: Report, chosen: dict, data, repeat: int) -> dict:
    """The evaluation build of one school, one year and all years against a bare read of
    the rows it needs; queries per build; the growth exponent over three sizes."""
    recorded, times = {}, {}
    for key, label in (
        ("school", _("build: one school, one year")),
        ("year", _("build: one school year")),
        ("middle", None),
        ("all", _("build: all years")),
        ("municipality", _("build: one municipality (40 schools), all years")),
    ):
        if key not in chosen:
            continue
        seconds, statements = math.inf, None
        for _run in range(max(1, repeat)):
            db.session.expire_all()
            # The first run's statements are the floor's; the listener costs next to nothing.
            with floors.recording() as run_statements:
                started = time.perf_counter()
                build_evaluation(chosen[key], language="sv")
                seconds = min(seconds, time.perf_counter() - started)
            statements = statements or run_statements
        floor, rows = best(lambda statements=statements: floors.bare_read(statements), repeat)
        recorded[key], times[key] = statements, (seconds, floor)
        if label:
            report.rows.append(
                Row(
                    label,
                    seconds,
                    floor,
                    "s",
                    _(
                        "%(queries)s SQL queries, %(rows)s rows read",
                        queries=statements.count,
                        rows=f"{rows:,}",
                    ),
                )
            )
    sizes = {key: _answers_in(chosen[key].years) for key in ("year", "middle", "all")}
    growth = slope([(sizes[k], times[k][0]) for k in sizes])
    floor_growth = slope([(sizes[k], times[k][1]) for k in sizes])
    report.rows.append(
        Row(
            _("growth exponent of the build"),
            growth,
            floor_growth,
            "",
            _("%(sizes)s answers", sizes=" → ".join(f"{sizes[k]:,}" for k in sizes)),
        )
    )
    return {"statements": recorded, "times": times}


def measure_pdf(report: Report, chosen: dict, repeat: int) -> None:
    """The PDF of all years (after the build) against a bare reportlab render of its size."""
    evaluation = build_evaluation(chosen["all"], language="sv")
    seconds, pdf = best(lambda: render_pdf(evaluation), repeat)
    tables = [t for group in tables_by_section(evaluation).values() for t in group]
    charts = [c for group in evaluation_charts(evaluation).values() for c in group if c.drawable]
    shape = floors.PdfShape(floors.count_pages(pdf), tables, charts)
    floor, _bare = best(lambda: floors.bare_pdf(shape), repeat)
    report.rows.append(
        Row(
            _("PDF, all years (after the build)"),
            seconds,
            floor,
            "s",
            _(
                "%(pages)s pages, %(tables)s tables, %(cells)s cells, %(charts)s charts",
                pages=shape.pages,
                tables=len(tables),
                cells=f"{shape.cells:,}",
                charts=len(charts),
            ),
        )
    )


def _sign_in(app):
    from mvp.auth.services import create_user

    create_user(email=LEAD_EMAIL, role="lead", name="Bench", password=LEAD_PASSWORD)
    db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": LEAD_EMAIL, "password": LEAD_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError("the bench could not sign in")
    return client


def measure_pages(report: Report, app, chosen: dict, timings: dict, repeat: int) -> None:
    """Dashboard and JSON API for one school year, p50/p95 through the test client: a first
    view after a write (the lead saves the year's texts) and a repeated view with no change,
    after one unmeasured request (as a server that has been running)."""
    client = _sign_in(app)
    year = chosen["year"].years[0]
    query = f"year={format_school_year(year)}"
    floor = timings["times"]["year"][1]
    samples = max(1, repeat)
    for name, url in (
        (_("dashboard"), f"/evaluation/?{query}"),
        (_("JSON API"), f"/api/v1/evaluation?{query}"),
    ):
        # One request first, not measured: a running server compiles its templates and
        # loads its catalogues once per process, which is not what a first view after a
        # write costs (a third of a second on the first request of a fresh process).
        client.get(url)
        first, again, size = [], [], 0
        for n in range(samples):
            evaluation_services.save_texts(year, f"Lärdom {name} {n}", "", actor=None)
            db.session.commit()
            for bucket in (first, again):
                started = time.perf_counter()
                response = client.get(url)
                bucket.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                size = len(response.data)
        for view, bucket in ((_("first view"), first), (_("repeated view"), again)):
            for share in (0.5, 0.95):
                report.rows.append(
                    Row(
                        _(
                            "%(page)s, one year, %(view)s, p%(share)s",
                            page=name,
                            view=view,
                            share=round(share * 100),
                        ),
                        percentile(bucket, share),
                        floor,
                        "s",
                        _(
                            "%(size)s KB, %(n)s requests; floor: bare read",
                            size=f"{size / 1024:,.0f}",
                            n=samples,
                        ),
                    )
                )


def _big_wave(school_id: int, instrument_id: int, name: str, *, opens: dt.date) -> Wave:
    """A wave of a large group in the current school year (so that no measured year changes
    and no size check refuses the answers)."""
    group = StudentGroup(
        school_id=school_id,
        school_year=current_school_year(),
        name=name,
        grade=8,
        girls=8000,
        boys=8000,
    )
    db.session.add(group)
    db.session.flush()
    wave = Wave(
        group_id=group.id,
        phase=Phase.BEFORE.value,
        instrument_id=instrument_id,
        opens_on=opens,
        closes_on=opens + dt.timedelta(days=20),
        code=name,
    )
    db.session.add(wave)
    db.session.flush()
    return wave


def import_file_rows(items, rng: random.Random, count: int) -> bytes:
    """A CSV answer file as a school would send it (Swedish Excel: semicolons, BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(importing.columns(items))
    for _n in range(count):
        row = [rng.choice("12"), "8"]
        for item in items:
            row.append(rng.choice(allowed_codes(item.kind, len(item.options or []))))
        row += [rng.choice(q.options)[0] for q in QUESTIONS]
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode()


def measure_import(report: Report, data, rows: int) -> None:
    """An answer file of `rows` rows (10,000 at municipality scale) through the app's
    import, against a bare INSERT of as many responses and answers."""
    wave = _big_wave(data.school_ids[0], data.instrument_id, "IMPRTA", opens=dt.date.today())
    db.session.commit()
    items = instrument_items(data.instrument_id)
    content = import_file_rows(items, random.Random("bench:import"), rows)
    started = time.perf_counter()
    batch = importing.import_file(wave, content, "bench.csv", answered_on=dt.date.today())
    db.session.commit()
    seconds = time.perf_counter() - started
    stored = db.session.scalars(sa.select(Response).where(Response.batch_id == batch.id)).all()
    responses = [
        {
            "wave_id": wave.id,
            "answered_on": r.answered_on,
            "source": Source.IMPORT.value,
            "sex": r.sex,
            "grade": r.grade,
            "link_code": r.link_code,
        }
        for r in stored
    ]
    answers = [
        [{"item_id": a.item_id, "value": a.value, "dont_know": a.dont_know} for a in r.answers]
        for r in stored
    ]
    db.session.remove()
    floor = floors.bare_insert(responses, answers)
    report.rows.append(
        Row(
            _("import of %(n)s answers", n=f"{rows:,}"),
            seconds,
            floor,
            "s",
            _(
                "%(n)s item answers; floor: bare INSERT",
                n=f"{sum(len(a) for a in answers):,}",
            ),
        )
    )


def measure_online(report: Report, data, folder: str, url: str, count: int, within: float) -> None:
    """Pupils answering online through gunicorn (2 workers × 4 threads, loopback): whole
    questionnaires against as many requests to /healthz as one answer makes; then a class
    that has filled in every page sending at once, against one /healthz per answer."""
    wave = _big_wave(
        data.school_ids[-1], data.instrument_id, "ONLINE", opens=dt.date.today() - dt.timedelta(3)
    )
    wave_id = wave.id
    db.session.commit()
    form = online.answer_form(instrument_items(data.instrument_id), 8)
    db.session.remove()
    env = {
        "MVP_DATABASE_URL": url,
        "MVP_INSTANCE_PATH": folder,
        "MVP_SECRET_KEY": "bench-online",
        "MVP_RATELIMIT_ENABLED": "false",
    }
    with online.gunicorn(env, workers=2, threads=4) as base:
        per_answer = online.requests_per_answer(base, "ONLINE", form)
        answers = online.load(lambda: online.one_answer(base, "ONLINE", form), count, within=within)
        health = online.load(lambda: online.health_checks(base, per_answer), count, within=within)
        pupils = online.fill_in_many(base, "ONLINE", form, count, within=within)
        sends = online.send_all(pupils, within=within)
        single = online.load(lambda: online.health_checks(base, 1), len(pupils), within=within)
    stored = db.session.scalar(
        sa.select(sa.func.count(Response.id)).where(Response.wave_id == wave_id)
    )
    report.rows.append(
        Row(
            _("online answers per second, every page (gunicorn 2×4)"),
            answers.per_second,
            health.per_second,
            "/s",
            _(
                "%(done)s stored, %(errors)s errors; %(requests)s requests each; floor: as "
                "many /healthz",
                done=answers.done,
                errors=answers.errors,
                requests=per_answer,
            ),
            rate=True,
        )
    )
    report.rows.append(
        Row(
            _("a class pressing Send at once, answers per second"),
            sends.per_second,
            single.per_second,
            "/s",
            _(
                "%(done)s stored (%(stored)s in the database in all), %(errors)s errors; "
                "floor: one /healthz each",
                done=sends.done,
                stored=stored,
                errors=sends.errors,
            ),
            rate=True,
        )
    )


def _growth_of(task) -> tuple[float, float]:
    """Run `task()` in a forked copy of this process: (its resident memory when it started,
    its peak resident memory), in MB. The copy uses database connections of its own and
    leaves without cleaning up anything that belongs to the bench."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy
        os.close(read)
        code = 0
        try:
            start = _resident_mb()
            db.engine.dispose(close=False)
            task()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            os.write(write, f"{start} {peak}".encode())
        except BaseException:  # reported by the exit code: the copy must never return
            code = 1
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        figures = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not figures:
        raise RuntimeError("the memory measurement failed")
    start, peak = (float(n) for n in figures.split())
    return start, peak


def _resident_mb() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_memory(report: Report, chosen: dict, statements) -> None:
    """Peak memory of the whole-municipality report (build and PDF of all years), against
    the bare read of the same rows: what each adds, at its peak, to the resident memory of
    a forked copy of the bench."""
    db.session.remove()

    def report_all():
        render_pdf(build_evaluation(chosen["all"], language="sv"))

    start, peak = _growth_of(report_all)
    floor_start, floor_peak = _growth_of(lambda: floors.bare_read(statements["all"]))
    report.rows.append(
        Row(
            _("peak memory, build + PDF of all years"),
            max(peak - start, 0.1),
            max(floor_peak - floor_start, 0.1),
            "MB",
            _(
                "above the process's %(base)s MB: peak RSS %(peak)s MB (bare read %(floor)s MB)",
                base=f"{start:,.0f}",
                peak=f"{peak:,.0f}",
                floor=f"{floor_peak:,.0f}",
            ),
        )
    )
