"""A worker process killed in the middle of a job loses nothing: the next worker finds the job
its dead owner left ``doing`` (no heartbeat for WORKER_STALLED_SECONDS) and runs it again.
Jobs nobody has taken yet simply wait in the table for any worker."""

from __future__ import annotations

import signal
import time

import pytest

from notifications.services import notify
from tests.notifications.workers import jobs, worker_process

pytestmark = pytest.mark.django_db(transaction=True)

FAST_HEARTBEAT = {"WORKER_HEARTBEAT_SECONDS": "1", "WORKER_STALLED_SECONDS": "2"}


def _wait_for(condition, *, seconds: float, what: str, log) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()}")
        time.sleep(0.1)


def test_a_job_of_a_killed_worker_is_done_by_the_next_one(tmp_path, alice):
    outbox = tmp_path / "mail"
    outbox.mkdir()
    (outbox / "hold").write_text("")  # the mail backend hangs mid-send while this exists
    log = tmp_path / "worker.log"
    env = {"EMAIL_BACKEND": "tests.notifications.backends.HoldingFileBackend", "MAIL_TEST_DIR": str(outbox)}
    env |= FAST_HEARTBEAT

    notify(users=[alice], title="兑付款已拨付")  # committed: no worker is running yet
    assert jobs() == [("notifications.send_email", "todo", 0)]

    first = worker_process(log=log, **env)  # the worker `make run` starts, periodic tasks and all
    try:
        _wait_for(lambda: any(outbox.glob("started-*")), seconds=60, what="the first worker to take the job", log=log)
        first.send_signal(signal.SIGKILL)  # dies mid-job: no clean-up, no status written
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert ("notifications.send_email", "doing", 0) in jobs()
    assert not list(outbox.glob("*.eml"))

    (outbox / "hold").unlink()
    time.sleep(2.5)  # the dead worker's last heartbeat is now older than WORKER_STALLED_SECONDS
    second = worker_process("--once", log=log, **env)
    assert second.wait(timeout=120) == 0, log.read_text()

    (sent,) = outbox.glob("*.eml")
    assert "Subject: =?utf-8?" in sent.read_text() and "alice@example.com" in sent.read_text()
    # Taken back from the dead worker (one attempt counted), then done.
    assert ("notifications.send_email", "succeeded", 2) in jobs()
    assert "was left running by a dead worker" in log.read_text()


def test_a_worker_stopped_with_sigterm_finishes_its_job_first(tmp_path, alice):
    """What `make run` (scripts/serve.sh) and a service manager do to stop the worker."""
    outbox = tmp_path / "mail"
    outbox.mkdir()
    (outbox / "hold").write_text("")
    log = tmp_path / "worker.log"
    notify(users=[alice], title="兑付款已拨付")

    worker = worker_process(
        log=log, EMAIL_BACKEND="tests.notifications.backends.HoldingFileBackend", MAIL_TEST_DIR=str(outbox)
    )
    try:
        _wait_for(lambda: any(outbox.glob("started-*")), seconds=60, what="the worker to take the job", log=log)
        worker.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        assert worker.poll() is None  # still finishing the job
        (outbox / "hold").unlink()
        assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert len(list(outbox.glob("*.eml"))) == 1
    assert ("notifications.send_email", "succeeded", 1) in jobs()
