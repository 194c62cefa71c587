"""`flask report pdf|xlsx OUT`: the report for SKR and its Excel appendix from the command line."""

from pathlib import Path

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from mvp.evaluation.build import build_evaluation
from mvp.evaluation.services import resolve_filter
from mvp.reports.pdf import render_pdf
from mvp.reports.xlsx import render_xlsx
from mvp.surveys.pairing import ensure_paired
from mvp.validation import Invalid


def _options(command):
    command = click.option(
        "--lang",
        default="sv",
        show_default=True,
        type=click.Choice(["sv", "en"]),
        help="The report's language.",
    )(command)
    command = click.option(
        "--plan", "plans", multiple=True, metavar="NAME", help="A lesson plan (repeatable)."
    )(command)
    command = click.option(
        "--grade", "grades", multiple=True, metavar="N", help="A grade, 0 = F (repeatable)."
    )(command)
    command = click.option(
        "--school", "schools", multiple=True, metavar="NAME", help="A school (repeatable)."
    )(command)
    command = click.option(
        "--year",
        "years",
        multiple=True,
        metavar="2025/26",
        help="A school year (repeatable); default the latest round that has largely answered.",
    )(command)
    return click.argument("out", type=click.Path(dir_okay=False, path_type=Path))(command)


def _write(out: Path, renderer, years, schools, grades, plans, lang) -> None:
    with force_locale(lang):
        try:
            selection = resolve_filter(
                None,
                years=years,
                schools=schools,
                grades=grades,
                plans=plans,
                schools_by_name=True,
            )
        except Invalid as error:
            raise click.ClickException(" ".join(error.errors.values())) from error
        ensure_paired(selection.school_ids)  # online answers are paired where pairs are read
        evaluation = build_evaluation(selection, language=lang)
        out.write_bytes(renderer(evaluation))
        for notice in evaluation.notices:
            click.echo(notice)
        click.echo(_("Wrote %(path)s (%(period)s).", path=out, period=selection.period))


@click.group("report")
def report_group():
    """Make the evaluation report (PDF) or its Excel appendix."""


@report_group.command("pdf")
@_options
def pdf_command(out, years, schools, grades, plans, lang):
    """Write the report for SKR as PDF to OUT."""
    _write(out, render_pdf, years, schools, grades, plans, lang)


@report_group.command("xlsx")
@_options
def xlsx_command(out, years, schools, grades, plans, lang):
    """Write the Excel appendix to OUT."""
    _write(out, render_xlsx, years, schools, grades, plans, lang)


commands = [report_group]
