"""`flask surveys ...`: import answers, load questionnaires, pair answers again."""

import datetime as dt
from pathlib import Path

import click
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.extensions import db
from mvp.surveys import importing, instruments, services
from mvp.tabular import TableErrors
from mvp.validation import Invalid


@click.group("surveys")
def surveys_group():
    """Questionnaires: import answers, load questionnaires, pair answers."""
    set_actor(None, fallback=COMMAND_LINE)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise click.UsageError(_("Write the date as year-month-day, e.g. 2026-09-14.")) from error


@surveys_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--wave", "code", required=True, help="The wave's access code, e.g. K7MX3P.")
@click.option("--date", "day", default=None, help="The date the pupils answered (YYYY-MM-DD).")
def import_command(file: Path, code: str, day: str | None):
    """Import a CSV or XLSX file that follows the wave's template (all rows or none)."""
    wave = services.find_wave(code)
    if wave is None:
        raise click.UsageError(_("There is no wave with the code %(code)s.", code=code))
    answered_on = _parse_date(day) or services.default_answer_date(wave)
    try:
        services.check_answer_date(answered_on)
        batch = importing.import_file(wave, file.read_bytes(), file.name, answered_on=answered_on)
    except Invalid as error:
        db.session.rollback()
        raise click.UsageError(" ".join(str(m) for m in error.errors.values())) from error
    except TableErrors as error:
        db.session.rollback()
        click.echo(_("Nothing was imported. Correct the file and try again:"), err=True)
        for problem in error.errors:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from error
    db.session.commit()
    click.echo(
        _(
            "%(n)d questionnaires were imported into wave %(code)s (%(group)s, %(school)s).",
            n=batch.rows,
            code=wave.code,
            group=wave.group.name,
            school=wave.group.school.name,
        )
    )


@surveys_group.command("load-instrument")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A questionnaire in JSON (as downloaded from its page); default: the MVP questionnaire.",
)
def load_instrument_command(path: Path | None):
    """Make sure the MVP questionnaire exists, or load one (a new version if changed)."""
    try:
        if path is None:
            existed = instruments.latest_version(instruments.DEFAULT_KEY) is not None
            instrument = instruments.ensure_default_instrument()
            outcome = "present" if existed else "created"
        else:
            definition = instruments.read_definition(path.read_text("utf-8"))
            instrument, outcome = instruments.install_definition(definition)
    except Invalid as error:
        db.session.rollback()
        raise click.UsageError(" ".join(str(m) for m in error.errors.values())) from error
    db.session.commit()
    messages = {
        "present": _("The questionnaire %(name)s v%(version)d is in place."),
        "created": _("The questionnaire %(name)s v%(version)d was added."),
        "unchanged": _("The questionnaire %(name)s v%(version)d is unchanged."),
        "updated": _("The questionnaire %(name)s v%(version)d had no answers and was updated."),
        "new_version": _("The questionnaire had answers: %(name)s v%(version)d was added."),
    }
    click.echo(messages[outcome] % {"name": instrument.name_sv, "version": instrument.version})


@surveys_group.command("instruments")
def instruments_command():
    """List the questionnaires, their versions and how many answers each has."""
    for row in instruments.list_instruments():
        instrument = row.instrument
        state = _("offered") if instrument.active else _("not offered")
        click.echo(
            f"{instrument.key} v{instrument.version}  {instrument.name_sv}  "
            + _(
                "%(items)d questions, %(waves)d waves, %(answers)d answers, %(state)s",
                items=len(instrument.items),
                waves=row.waves,
                answers=row.responses,
                state=state,
            )
        )


@surveys_group.command("relink")
def relink_command():
    """Pair every before-answer with its after- and follow-up answers again."""
    pairs = services.relink_all()
    db.session.commit()
    click.echo(_("%(n)d pairs of answers.", n=pairs))


commands = [surveys_group]
