"""`flask rollout import-schools FILE` and `flask rollout summary`: the rollout from a terminal."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.extensions import db
from mvp.rollout import imports
from mvp.rollout.plan import rollout_summary
from mvp.rollout.stages import stage_label
from mvp.tabular import TableErrors

rollout_group = AppGroup("rollout", help="The rollout of MVP to every school.")


@rollout_group.command("import-schools")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--update-existing",
    is_flag=True,
    help="Update schools whose names already exist instead of reporting them as errors.",
)
def import_schools_command(path: Path, update_existing: bool):
    """Import the school list in PATH (CSV or XLSX), all or nothing."""
    set_actor(None, fallback=COMMAND_LINE)
    try:
        result = imports.import_schools(
            path.read_bytes(), path.name, update_existing=update_existing
        )
    except TableErrors as error:
        db.session.rollback()
        for problem in error.errors:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            _("Nothing was imported: the file has %(n)d errors.", n=len(error.errors))
        ) from None
    db.session.commit()
    click.echo(
        _(
            "The school list was imported: %(created)d schools added, %(updated)d updated.",
            created=len(result.created),
            updated=len(result.updated),
        )
    )


@rollout_group.command("summary")
def summary_command():
    """Print the schools per stage and how far the municipality is from MVP in every school."""
    summary = rollout_summary()
    for count in summary.stages:
        click.echo(f"{stage_label(count.stage)}: {count.schools}")
    click.echo(
        _(
            "%(running)d of %(eligible)d schools have MVP.",
            running=summary.schools_running,
            eligible=summary.schools_eligible,
        )
    )


commands = [rollout_group]
