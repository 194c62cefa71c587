"""Login throttling: per address and per address + account, counted in a shared store."""

import logging
import os
import uuid

import pytest

from mvp import create_app
from mvp.auth.throttle import gunicorn_workers, warn_if_counters_not_shared
from mvp.extensions import db
from tests.factories import PASSWORD, make_user

# Fixed Redis databases: every test that uses one runs on the same pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("redis")

REDIS_URL = os.environ.get("MVP_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def throttled_app(tmp_path, **settings):
    """An app of its own with the limiter switched on (the suite's app has it off)."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/throttle.sqlite",
        "SECRET_KEY": "x",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "LOGIN_ADDRESS_RATE_LIMIT": "5 per minute",
    }
    config.update(settings)
    return create_app(config)


def login(client, email, password, address):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def throttled(tmp_path):
    app = throttled_app(tmp_path)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_someone_failing_on_purpose_cannot_lock_a_person_out(throttled):
    make_user("lead", email="maria@kommun.se")
    attacker, maria = throttled.test_client(), throttled.test_client()
    statuses = [
        login(attacker, "maria@kommun.se", "fel", "10.0.0.66").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # The attacker's address stays throttled for this account, even with the right password ...
    assert login(attacker, "maria@kommun.se", PASSWORD, "10.0.0.66").status_code == 429
    # ... while Maria, from her own address, gets in with her password.
    response = login(maria, "maria@kommun.se", PASSWORD, "10.0.0.7")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_one_address_trying_many_accounts_is_throttled(throttled):
    make_user("lead", email="maria@kommun.se")
    client = throttled.test_client()
    statuses = [
        login(client, f"person{n}@kommun.se", "fel", "10.0.0.66").status_code for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert "För många försök" in login(client, "maria@kommun.se", PASSWORD, "10.0.0.66").get_data(
        as_text=True
    )
    # Another address is not affected.
    assert login(client, "maria@kommun.se", PASSWORD, "10.0.0.7").status_code == 302


def test_two_workers_sharing_redis_count_together(tmp_path):
    prefix = f"mvp-test-{uuid.uuid4().hex}"
    settings = {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/shared.sqlite",
    }
    first = throttled_app(tmp_path / "a", **settings)
    second = throttled_app(tmp_path / "b", **settings)
    with first.app_context():
        db.create_all()
        make_user("lead", email="maria@kommun.se")
    # Alternating between two "workers": the third failure anywhere is the last one allowed.
    statuses = []
    for n in range(4):
        app = first if n % 2 == 0 else second
        with app.app_context():
            response = login(app.test_client(), "maria@kommun.se", "fel", "10.0.0.66")
            statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_gunicorn_worker_count_is_read_from_its_arguments():
    assert gunicorn_workers(["/srv/.venv/bin/gunicorn", "-w", "4", "mvp:create_app()"], {}) == 4
    assert gunicorn_workers(["gunicorn", "--workers=2"], {}) == 2
    assert gunicorn_workers(["gunicorn"], {"WEB_CONCURRENCY": "3"}) == 3
    assert gunicorn_workers(["gunicorn"], {"GUNICORN_CMD_ARGS": "--workers 5"}) == 5
    assert gunicorn_workers(["flask", "run"], {}) == 1


def test_several_workers_with_the_memory_store_warn_at_start(tmp_path, caplog):
    app = throttled_app(tmp_path, TESTING=False)
    argv = ["gunicorn", "--workers", "2", "mvp:create_app()"]
    with caplog.at_level(logging.WARNING, logger="mvp.auth.throttle"):
        assert warn_if_counters_not_shared(app, argv=argv, environ={})
    assert "MVP_RATELIMIT_STORAGE_URI" in caplog.text and "2 workers" in caplog.text
    caplog.clear()
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
    assert not warn_if_counters_not_shared(app, argv=argv, environ={})
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert not warn_if_counters_not_shared(app, argv=["gunicorn", "-w", "1"], environ={})
    assert caplog.text == ""
