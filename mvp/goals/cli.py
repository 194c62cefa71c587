"""`flask kolada fetch` and `flask kolada import FILE`: Kolada's key figures from a terminal."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.extensions import db
from mvp.goals import kolada
from mvp.tabular import TableErrors

kolada_group = AppGroup("kolada", help="Kolada's key figures for the equality goals.")


def _refuse(error: TableErrors) -> None:
    db.session.rollback()
    for problem in error.errors:
        click.echo(str(problem), err=True)
    raise click.ClickException(_("Nothing was saved.")) from None


def _saved(saved: kolada.Saved) -> None:
    click.echo(
        _(
            "Kolada's figures were imported: %(values)d values of %(kpis)s.",
            values=saved.values,
            kpis=", ".join(saved.kpis),
        )
    )


@kolada_group.command("fetch")
@click.option("--kpi", "kpis", multiple=True, required=True, help="A KPI id, e.g. N00938.")
@click.option("--municipality", default=None, help="The municipality code (default: setting).")
@click.option("--years", required=True, help="e.g. 2020-2024 or 2021,2023.")
def fetch_command(kpis: tuple[str, ...], municipality: str | None, years: str):
    """Fetch key figures from Kolada's open API (api.kolada.se, v3) and save them."""
    set_actor(None, fallback=COMMAND_LINE)
    ids = [part for k in kpis for part in k.replace(",", " ").split()]
    code = municipality or kolada.municipality_code()
    try:
        wanted = kolada.parse_years(years)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    try:
        figures = kolada.fetch(ids, code, wanted, kolada.transport_of_app())
        kolada.check_ours(figures, code)
        saved = kolada.save(figures)
    except kolada.KoladaUnavailable as error:
        db.session.rollback()
        raise click.ClickException(
            _("Kolada could not be reached (%(reason)s); nothing was changed.", reason=error)
        ) from None
    except TableErrors as error:
        _refuse(error)
    db.session.commit()
    _saved(saved)


@kolada_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path):
    """Import a Kolada download (CSV/Excel export or a saved JSON answer), all or nothing."""
    set_actor(None, fallback=COMMAND_LINE)
    try:
        saved = kolada.import_download(path.read_bytes(), path.name)
    except TableErrors as error:
        _refuse(error)
    db.session.commit()
    _saved(saved)


commands = [kolada_group]
