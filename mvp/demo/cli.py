"""`flask demo`: fill an empty database with the demo pilot and print its accounts."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from mvp.audit.actor import Actor, set_actor
from mvp.auth.models import User
from mvp.demo import build_demo
from mvp.extensions import db
from mvp.schools.models import School

ACCOUNTS_FILE = "demo-accounts.txt"


def database_is_empty() -> bool:
    """True when there are neither schools nor accounts."""
    return not (
        db.session.scalar(sa.select(sa.func.count(School.id)))
        or db.session.scalar(sa.select(sa.func.count(User.id)))
    )


def clear_database() -> None:
    """Delete every row of every table (the schema and its migrations stay)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())


def _accounts_path() -> Path:
    return Path(current_app.instance_path) / ACCOUNTS_FILE


def _write_accounts(passwords: dict, open_wave=None) -> str:
    lines = [_("Demo accounts (e-mail, role, password):")]
    lines += [f"  {email}  {role}  {password}" for email, (role, password) in passwords.items()]
    if open_wave is not None:
        lines.append(
            _(
                "Answer as a pupil: open /e and type the code %(code)s "
                "(%(school)s %(group)s, after the lessons, open until %(closes)s).",
                code=open_wave.code,
                school=open_wave.group.school.name,
                group=open_wave.group.name,
                closes=open_wave.closes_on.isoformat(),
            )
        )
    text = "\n".join(lines) + "\n"
    path = _accounts_path()
    path.write_text(text)
    path.chmod(0o600)
    return text


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete all data first, then build the demo.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if there is data.")
def demo_command(reset: bool, if_empty: bool):
    """Fill an empty database with the demo pilot (Långsjöskolan and Hallsta skola)."""
    set_actor(None, fallback=Actor(None, "demo"))
    if not database_is_empty() and not reset:
        if if_empty:
            click.echo(_("The database already holds data; the demo was not loaded."))
            if _accounts_path().exists():
                click.echo(_accounts_path().read_text(), nl=False)
            return
        raise click.ClickException(
            _("The database is not empty. Use --reset to delete all data and load the demo.")
        )
    if reset:
        clear_database()
    context = build_demo()
    db.session.commit()
    click.echo(_("The demo pilot was loaded: %(n)d schools.", n=len(context.schools)))
    click.echo(_write_accounts(context.passwords, context.extra.get("open_wave")), nl=False)


commands = [demo_command]
