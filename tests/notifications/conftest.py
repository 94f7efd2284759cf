"""The queue tests run real workers (``tests.notifications.workers``). A worker has its own
connections, so it sees only committed rows: every test here is transactional.
procrastinate's tables are not Django-managed (a flush leaves them), so each test starts with
an empty queue."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from notifications import sms
from tests import factories


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


@pytest.fixture
def instruments(ivan_lab):
    """Five shared instruments of xq_lab in 兴庆区 (Bob's region), three of ivan_lab in 西夏区
    (the export tests: a region's rows and its scope)."""
    xq_lab = factories.listed_institution(username="xq_lab", name="兴庆区检测中心", lng=106.29, lat=38.47)
    assert xq_lab.organisation.region_id == 640104
    for i in range(5):
        factories.approved_item(xq_lab, name=f"兴庆仪器{i}")
    for i in range(3):
        factories.approved_item(ivan_lab, name=f"西夏仪器{i}")
    return xq_lab
