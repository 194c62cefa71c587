"""`flask users ...`: create and list accounts from the command line."""

import sys

import click
from flask_babel import gettext as _

from mvp.audit.actor import COMMAND_LINE, set_actor
from mvp.auth import services
from mvp.auth.roles import Role
from mvp.extensions import db
from mvp.organisation.models import Administration
from mvp.schools.models import School
from mvp.validation import Invalid


@click.group("users")
def users_group():
    """Manage user accounts."""
    set_actor(None, fallback=COMMAND_LINE)


@users_group.command("create")
@click.argument("email")
@click.option("--role", required=True, help="admin, lead, coordinator, viewer or hr")
@click.option("--school", "schools", multiple=True, help="A coordinator's school (repeatable).")
@click.option(
    "--administration",
    "administrations",
    multiple=True,
    help="An HR contact's administration (repeatable).",
)
@click.option("--name", default="", help="The person's name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email, role, schools, administrations, name, password_stdin):
    """Create an account. Without --password-stdin a temporary password is printed."""
    if role not in set(Role):
        raise click.UsageError(
            _("Unknown role %(role)s: use admin, lead, coordinator, viewer or hr.", role=role)
        )
    school_ids = []
    for school_name in schools:
        school = db.session.scalar(db.select(School).where(School.name == school_name))
        if school is None:
            raise click.UsageError(_("Unknown school: %(name)s", name=school_name))
        school_ids.append(school.id)
    administration_ids = []
    for administration_name in administrations:
        administration = db.session.scalar(
            db.select(Administration).where(Administration.name == administration_name)
        )
        if administration is None:
            raise click.UsageError(_("Unknown administration: %(name)s", name=administration_name))
        administration_ids.append(administration.id)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user, generated = services.create_user(
            email=email,
            role=role,
            name=name,
            school_ids=school_ids,
            administration_ids=administration_ids,
            password=password,
        )
    except Invalid as error:
        db.session.rollback()
        raise click.UsageError(" ".join(str(m) for m in error.errors.values())) from error
    db.session.commit()
    click.echo(_("Created %(email)s (%(role)s).", email=user.email, role=user.role))
    if generated:
        click.echo(_("Temporary password (to be changed at first login): %(p)s", p=generated))


@users_group.command("list")
def list_command():
    """List every account."""
    for user in services.list_users():
        schools = ", ".join(school.name for school in user.schools)
        state = "" if user.active else " [inactive]"
        click.echo(f"{user.email}\t{user.role}{state}\t{schools}")


commands = [users_group]
