"""Backup and restore: the demo backed up while running, restored into a fresh installation.

Runs on the test database's kind: SQLite here, PostgreSQL (pg_dump/pg_restore) when
MVP_TEST_DATABASE_URL says so, with a throwaway database as the restore target.
"""

import datetime as dt
import io
import json
import stat
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from mvp import create_app
from mvp.demo import build_demo
from mvp.evaluation.build import build_evaluation
from mvp.evaluation.filters import EvaluationFilter
from mvp.extensions import db
from mvp.main.models import AccessibilityReport
from mvp.privacy.backup import create_backup
from mvp.schools.years import school_year_of
from mvp.surveys import services
from mvp.surveys.models import Phase, Response, ResponseLink, Source, Wave
from tests.survey_factories import response_data

TODAY = dt.date(2026, 11, 27)
# A linkage code no demo pupil gives (the demo's letters are drawn from common initials).
PUPIL_CODE = {
    "kod_bokstav": "Å",
    "kod_manad": "2",
    "kod_dag": "9",
    "kod_syskon": "5",
    "kod_namn": "15",
    "kod_hand": "3",
}


@pytest.fixture
def new_installation(base_app, tmp_path):
    """Makes installations of their own: an empty instance folder and a new, empty database
    (SQLite: a new file; PostgreSQL: a database created here and dropped afterwards)."""
    url = sa.engine.make_url(base_app.config["SQLALCHEMY_DATABASE_URI"])
    server = (
        None
        if url.get_backend_name() == "sqlite"
        else sa.create_engine(url, isolation_level="AUTOCOMMIT")
    )
    made = []

    def make(label: str):
        if server is None:
            target = f"sqlite:///{tmp_path / label / 'mvp.sqlite'}"
        else:
            name = f"mvp_{label}_{uuid.uuid4().hex[:8]}"
            with server.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            target = url.set(database=name).render_as_string(hide_password=False)
        installation = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(tmp_path / label),
                "SQLALCHEMY_DATABASE_URI": target,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        made.append((installation, None if server is None else name))
        return installation

    yield make
    for installation, name in made:
        with installation.app_context():
            db.session.remove()
            db.engine.dispose()
        if name is not None:
            with server.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    if server is not None:
        server.dispose()


@pytest.fixture
def fresh_installation(new_installation):
    """A second installation to restore into."""
    return new_installation("restored")


def every_row() -> dict[str, list]:
    """Every row of every table, ordered by primary key."""
    rows = {}
    for table in db.metadata.sorted_tables:
        statement = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(statement)]
    return rows


def the_evaluation(years) -> dict:
    return build_evaluation(EvaluationFilter(years=years), language="sv", today=TODAY).as_dict()


def differences(a, b, path="") -> list[str]:
    """Where two JSON-like values differ, as paths (readable when the evaluations differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(set(a) | set(b), key=str)
        return [d for k in keys for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def after_wave_and_its_before(open_wave_id: int) -> tuple[Wave, Wave]:
    after = db.session.get(Wave, open_wave_id)
    before = db.session.scalar(
        sa.select(Wave).where(Wave.group_id == after.group_id, Wave.phase == Phase.BEFORE.value)
    )
    return after, before


def test_backup_then_restore_into_a_fresh_installation_gives_the_same_data(
    new_installation, tmp_path
):
    # A running installation, migrated as `flask db upgrade` does, with the demo pilot.
    source = new_installation("source")
    archive = tmp_path / "mvp-backup.tar.gz"
    years = tuple(sorted({school_year_of(TODAY) - 1, school_year_of(TODAY)}))
    with source.app_context():
        upgrade()
        demo = build_demo(today=TODAY)
        db.session.commit()
        # A pupil answers before the lessons with a known code; the after-wave opens later.
        after, before = after_wave_and_its_before(demo.extra["open_wave"].id)
        batch = services.add_batch(
            before,
            [response_data(before, link=dict(PUPIL_CODE))],
            source=Source.PAPER.value,
            answered_on=before.opens_on,
        )
        db.session.commit()
        before_answer_id = db.session.scalar(
            sa.select(Response.id).where(Response.batch_id == batch.id)
        )
        # demo-accounts.txt holds clear-text passwords: it must not travel with the backup.
        instance = Path(source.instance_path)
        (instance / "demo-accounts.txt").write_text("admin@x.se admin hemligt\n")

        result = source.test_cli_runner().invoke(args=["backup", str(archive)])
        assert result.exit_code == 0, result.output
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600

        rows_before = every_row()
        evaluation_before = the_evaluation(years)
        keys = {name: (instance / name).read_text() for name in ("linkage_key", "secret_key")}
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        kind = db.engine.url.get_backend_name()
        after_wave_id = after.id
        db.session.remove()
    assert rows_before["response"] and rows_before["response_link"]

    with tarfile.open(archive) as contents:
        names = set(contents.getnames())
        manifest = json.load(contents.extractfile("manifest.json"))
    assert "demo-accounts.txt" not in " ".join(names)
    assert {"manifest.json", "keys/linkage_key", "keys/secret_key"} <= names
    assert manifest["row_counts"] == {name: len(r) for name, r in rows_before.items()}
    assert manifest["alembic_revision"] == revision
    assert manifest["database_kind"] == kind

    restored = new_installation("restored")
    with restored.app_context():
        # (Commands run in the app context that is pushed: here the restored installation's.)
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output

        assert every_row() == rows_before
        assert differences(the_evaluation(years), evaluation_before) == []
        instance = Path(restored.instance_path)
        for name, value in keys.items():
            assert (instance / name).read_text() == value
            assert stat.S_IMODE((instance / name).stat().st_mode) == 0o600
        assert not (instance / "demo-accounts.txt").exists()
        assert db.session.scalar(sa.text("SELECT version_num FROM alembic_version")) == revision

        # The same pupil answers after the lessons in the restored installation.
        after, _before = after_wave_and_its_before(after_wave_id)
        new_batch = services.add_batch(
            after,
            [response_data(after, link=dict(PUPIL_CODE))],
            source=Source.PAPER.value,
            answered_on=after.opens_on,
        )
        services.relink_cohort(after.group.school_id, services.cohort_of(after.group))
        db.session.commit()
        after_answer_id = db.session.scalar(
            sa.select(Response.id).where(Response.batch_id == new_batch.id)
        )
        link = db.session.scalar(
            sa.select(ResponseLink).where(ResponseLink.later_id == after_answer_id)
        )
        assert link is not None and link.before_id == before_answer_id
        assert link.quality == "exact"


def test_restore_refuses_a_database_that_holds_data(app, demo, runner, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    schools = db.session.scalar(sa.text("SELECT COUNT(*) FROM school"))

    result = runner.invoke(args=["restore", str(archive)])

    assert result.exit_code == 1
    assert "not empty" in result.output or "inte tom" in result.output
    assert db.session.scalar(sa.text("SELECT COUNT(*) FROM school")) == schools


def _tar_gz(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_restore_refuses_files_that_are_not_backups(fresh_installation, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("inte en säkerhetskopia")
    manifest = json.dumps({"format": "mvp-backup", "format_version": 1}).encode()
    candidates = [
        text,
        _tar_gz(tmp_path / "other.tar.gz", {"readme.txt": b"hej"}),
        # A member that would be written outside the target folder.
        _tar_gz(tmp_path / "escape.tar.gz", {"manifest.json": manifest, "../../x": b"x"}),
        _tar_gz(tmp_path / "half.tar.gz", {"manifest.json": manifest}),
    ]
    runner = fresh_installation.test_cli_runner()
    with fresh_installation.app_context():
        for candidate in candidates:
            result = runner.invoke(args=["restore", str(candidate)])
            assert result.exit_code == 1, candidate
            assert "backup" in result.output.lower() or "säkerhetskopi" in result.output.lower()
    assert not (Path(fresh_installation.instance_path) / "x").exists()


def test_backup_never_overwrites_a_file(app, runner, tmp_path):
    existing = tmp_path / "backup.tar.gz"
    existing.write_text("annat")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1
    assert existing.read_text() == "annat"


def test_a_backup_of_an_older_version_is_upgraded_after_the_restore(new_installation, tmp_path):
    old = new_installation("old")
    archive = tmp_path / "old.tar.gz"
    with old.app_context():
        upgrade(revision="0006_surveys")
        assert old.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    restored = new_installation("new")
    with restored.app_context():
        upgrade()  # a freshly upgraded database is still empty
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        assert "0006_surveys" in result.output
        heads = ScriptDirectory.from_config(
            restored.extensions["migrate"].migrate.get_config()
        ).get_heads()
        assert [db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))] == heads


def test_a_backup_made_while_others_write_is_one_moments_state(new_installation, tmp_path):
    """Rows are written all the time the backup runs; the copy is consistent (its row counts,
    read in the same snapshot, match what is restored) and nothing waits or fails."""
    source = new_installation("busy")
    archive = tmp_path / "busy.tar.gz"
    with source.app_context():
        upgrade()
        engine = db.engine
        stop = threading.Event()
        written = []

        def keep_writing():
            while not stop.is_set() and len(written) < 5000:
                with engine.begin() as connection:
                    connection.execute(
                        sa.insert(AccessibilityReport.__table__).values(description="Kontrast")
                    )
                written.append(1)

        writer = threading.Thread(target=keep_writing)
        writer.start()
        try:
            while len(written) < 20:  # the writer is under way before the backup starts
                time.sleep(0.01)
            manifest = create_backup(archive)
            during = len(written)
        finally:
            stop.set()
            writer.join()
        assert 20 <= manifest.row_counts["accessibility_report"] <= during + 1  # +1: mid-append
        db.session.remove()

    restored = new_installation("restored")
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        count = db.session.scalar(sa.select(sa.func.count(AccessibilityReport.id)))
        assert count == manifest.row_counts["accessibility_report"]
