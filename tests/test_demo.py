"""`flask demo`: the demo pilot on an empty database, refused on a full one unless --reset."""

from pathlib import Path

import sqlalchemy as sa

from mvp.auth import services as auth_services
from mvp.extensions import db
from mvp.schools.models import School, StudentGroup
from mvp.schools.years import current_school_year
from tests.factories import make_school


def test_demo_fills_an_empty_database_and_prints_working_accounts(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(sa.select(School.name)))
    assert {"Långsjöskolan", "Hallsta skola"} <= names
    assert len(names) >= 6
    pilot = current_school_year() - 1
    groups = list(db.session.scalars(sa.select(StudentGroup)))
    assert {g.grade for g in groups} <= {7, 8, 9}
    assert any(g.school_year == pilot for g in groups)
    assert all(18 <= g.size <= 30 for g in groups)
    for role in ("admin", "lead", "coordinator", "viewer"):
        line = next(line for line in result.output.splitlines() if f"  {role}  " in line)
        email, _role, password = line.split()
        assert auth_services.authenticate(email, password) is not None
    accounts_file = Path(app.instance_path) / "demo-accounts.txt"
    assert accounts_file.read_text() in result.output


def test_demo_refuses_a_database_with_data(runner):
    make_school(name="Riktig skola")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "Databasen är inte tom" in result.output
    assert db.session.scalar(sa.select(sa.func.count(School.id))) == 1


def test_demo_if_empty_leaves_data_alone(runner):
    make_school(name="Riktig skola")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demot laddades inte" in result.output
    assert db.session.scalar(sa.select(sa.func.count(School.id))) == 1


def test_demo_reset_replaces_everything(runner):
    make_school(name="Riktig skola")
    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(sa.select(School.name)))
    assert "Riktig skola" not in names and "Långsjöskolan" in names
