"""`flask backup`, `flask restore` and `flask privacy ...`: backups and the data protection
officer's scheduled erasure of expired linkage codes."""

from pathlib import Path

import click
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.extensions import db
from mvp.privacy.backup import BackupError, create_backup
from mvp.privacy.restore import restore_backup


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path):
    """Write a backup (database, linkage key, secret key) to FILE while the app runs."""
    try:
        manifest = create_backup(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "The backup was written to %(path)s: %(kind)s database, %(rows)d rows, "
            "revision %(revision)s.",
            path=str(file),
            kind=manifest.database_kind,
            rows=sum(manifest.row_counts.values()),
            revision=manifest.alembic_revision or "-",
        )
    )
    click.echo(
        _(
            "It holds the linkage key, without which new answers cannot be linked to old "
            "ones: keep it as safe as the database."
        )
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path):
    """Restore a backup from FILE into this installation's empty database and instance/."""
    set_actor(None, fallback=COMMAND_LINE)
    try:
        report = restore_backup(file)
    except BackupError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    click.echo(
        _(
            "The backup of %(date)s was restored: %(rows)d rows.",
            date=report.manifest.created_at,
            rows=sum(report.manifest.row_counts.values()),
        )
    )
    if report.upgraded_from:
        revision = report.upgraded_from
        click.echo(_("The database was upgraded from revision %(revision)s.", revision=revision))
    for note in report.notes:
        click.echo(note)


@click.group("privacy")
def privacy_group():
    """The data protection officer's tools."""
    set_actor(None, fallback=COMMAND_LINE)


@privacy_group.command("erase-expired-codes")
@click.option("--dry-run", is_flag=True, help="Only count; erase nothing.")
def erase_expired_codes_command(dry_run: bool):
    """Erase the pupils' linkage codes older than MVP_LINKAGE_RETENTION_MONTHS."""
    from mvp.privacy import retention

    erasure = retention.expired_codes()
    if dry_run:
        click.echo(
            _(
                "%(n)d answers from before %(day)s have linkage codes to erase.",
                n=erasure.count,
                day=erasure.cutoff.isoformat(),
            )
        )
        return
    erased = retention.erase_expired_codes()
    db.session.commit()
    click.echo(_("The linkage codes of %(n)d answers were erased.", n=erased))


commands = [backup_command, restore_command, privacy_group]
