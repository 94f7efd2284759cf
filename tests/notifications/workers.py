"""Real workers for the queue tests: the application's own worker
(``notifications.queue.run_worker``, the code behind ``manage.py tasks_worker``) against the
test database, either in this process — so that Django's mail outbox and the SMS LocMem
outbox can be read — or as a ``manage.py tasks_worker`` process that a test may kill."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

from notifications import queue

ROOT = Path(__file__).resolve().parents[2]


def run_worker_until_idle(**options) -> None:
    """The application's worker in this process until no job is due (no periodic tasks).
    A worker with ``wait=False`` stops at the first moment it finds nothing to fetch, which
    may be while a retry is being written back: it is started again while jobs are due."""
    for _ in range(20):
        queue.run_worker(periodic=False, wait=False, install_signal_handlers=False, listen_notify=False, **options)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE status = 'todo' "
                "AND (scheduled_at IS NULL OR scheduled_at <= now())"
            )
            if not cur.fetchone()[0]:
                return
    raise AssertionError("jobs still due after 20 runs of the worker")


def jobs() -> list[tuple[str, str, int]]:
    with connection.cursor() as cur:
        cur.execute("SELECT task_name, status, attempts FROM procrastinate_jobs ORDER BY id")
        return list(cur.fetchall())


def database_url() -> str:
    """The test database's URL, for a worker process (the test runner renamed the database)."""
    base = os.environ.get("DATABASE_URL") or (ROOT / ".state" / "database_url").read_text().strip()
    return urlsplit(base)._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def worker_process(*args: str, log: Path, **env: str) -> subprocess.Popen:
    """``manage.py tasks_worker`` on the test database, output to ``log``."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mapsite.test_settings",
        "DATABASE_URL": database_url(),
        **env,
    }
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "tasks_worker", *args],
        cwd=ROOT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
