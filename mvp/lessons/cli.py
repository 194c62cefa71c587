"""`flask lessons load-plans`: put the shipped lesson plans into the database where missing."""

import click
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.extensions import db
from mvp.lessons.services import load_standard_plans


@click.group("lessons")
def lessons_group():
    """Lesson plans and held lessons."""


@lessons_group.command("load-plans")
def load_plans_command():
    """Add the standard lesson plans that are missing (by name); edited plans are kept."""
    set_actor(None, fallback=COMMAND_LINE)
    added = load_standard_plans()
    db.session.commit()
    if added:
        click.echo(_("Lesson plans added: %(names)s.", names=", ".join(added)))
    else:
        click.echo(_("Every standard lesson plan is already there; nothing was changed."))


commands = [lessons_group]
