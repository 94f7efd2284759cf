"""The queue tests run real workers (``tests.notifications.workers``). A worker has its own
connections, so it sees only committed rows: every test here is transactional.
procrastinate's tables are not Django-managed (a flush leaves them), so each test starts with
an empty queue."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from notifications import sms


@pytest.fixture(autouse=True)
def empty_queue(transactional_db, ningxia, settings):
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
        )
    # Retries without waiting, fewer of them.
    settings.TASK_RETRIES = 2
    settings.TASK_RETRY_BASE_SECONDS = 0
    settings.SMS_BACKEND = "notifications.sms.LocMemBackend"
    sms.outbox.clear()
    # The tasks' threads close their connections after each job (DjangoApp's middleware
    # keeps them for CONN_MAX_AGE otherwise), so none is left when the test database goes.
    db = connections.settings["default"]
    max_age, db["CONN_MAX_AGE"] = db["CONN_MAX_AGE"], 0
    yield
    db["CONN_MAX_AGE"] = max_age
