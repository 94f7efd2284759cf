"""The dashboards' refresh as periodic tasks of the worker (README "The worker").

* nightly, the full rebuild of ``manage.py dashboards_refresh --commit`` (``refresh_all``):
  ``20 17 * * *`` UTC = 01:20 Beijing time, after the daily voucher job;
* every 10 minutes, the incremental pass (``refresh_changed``), so that a dashboard read
  rarely finds new ledger entries to fold in on the request path (``ensure_fresh`` still
  does it when it does).
Both take the refresh's advisory lock (``dashboards.aggregation``): they never overlap each
other or a read's refresh.
"""

from __future__ import annotations

from dashboards.aggregation import refresh_all, refresh_changed
from notifications.queue import RETRYING, app

NIGHTLY_CRON = "20 17 * * *"  # UTC; 01:20 in China
CHANGED_CRON = "*/10 * * * *"


@app.periodic(cron=NIGHTLY_CRON, periodic_id="dashboards_refresh")
@app.task(name="dashboards.refresh", queueing_lock="dashboards.refresh", **RETRYING)
def dashboards_refresh(timestamp: int) -> dict:
    return refresh_all()


@app.periodic(cron=CHANGED_CRON, periodic_id="dashboards_refresh_changed")
@app.task(name="dashboards.refresh_changed", queueing_lock="dashboards.refresh_changed")
def dashboards_refresh_changed(timestamp: int) -> dict | None:
    return refresh_changed()
