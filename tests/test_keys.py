"""Instance secrets: generated once, whole, and the same for processes starting together."""

import multiprocessing
import stat

from mvp.keys import instance_secret


def _read_secret(arguments):
    instance_path, start = arguments
    start.wait()
    return instance_secret(instance_path, "secret_key")


def test_a_secret_is_created_once_private_and_kept(tmp_path):
    first = instance_secret(str(tmp_path), "secret_key")
    assert len(first) == 64
    assert instance_secret(str(tmp_path), "secret_key") == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no draft left behind


def test_workers_starting_at_once_all_get_the_same_whole_secret(tmp_path):
    # gunicorn's workers each create the app: none may see a half-written (empty) key,
    # which left the session unavailable (500 on every page) in one worker.
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        instance = tmp_path / str(attempt)
        with context.Manager() as manager:
            start = manager.Event()
            with context.Pool(8) as pool:
                waiting = pool.map_async(_read_secret, [(str(instance), start)] * 8)
                start.set()
                secrets_read = waiting.get(timeout=30)
        assert len(set(secrets_read)) == 1
        assert len(secrets_read[0]) == 64
