"""The dashboards' refresh as periodic tasks of the worker (README "The worker").

* nightly, the full rebuild of ``manage.py dashboards_refresh --commit`` (``refresh_all``):
  ``20 17 * * *`` UTC = 01:20 Beijing time, after the daily voucher job;
* every minute, the incremental pass (``refresh_changed``; two indexed lookups when
  nothing changed), so that a dashboard read rarely finds new ledger entries to fold in on
  the request path (``ensure_fresh`` still does it when it does).
Both take the refresh's advisory lock (``dashboards.aggregation``): they never overlap each
other or a read's refresh. After a pass that changed the aggregates, the same task computes
the default views of the province and its cities into the shared cache
(``dashboards.selectors.warm_defaults``), so the first page after a voucher movement does
not group the aggregates in the request.
"""

from __future__ import annotations

from dashboards.aggregation import refresh_all, refresh_changed
from dashboards.selectors import warm_defaults
from notifications.queue import RETRYING, app

NIGHTLY_CRON = "20 17 * * *"  # UTC; 01:20 in China
CHANGED_CRON = "* * * * *"


@app.periodic(cron=NIGHTLY_CRON, periodic_id="dashboards_refresh")
@app.task(name="dashboards.refresh", queueing_lock="dashboards.refresh", **RETRYING)
def dashboards_refresh(timestamp: int) -> dict:
    result = refresh_all()
    result["warmed"] = warm_defaults()
    return result


@app.periodic(cron=CHANGED_CRON, periodic_id="dashboards_refresh_changed")
@app.task(name="dashboards.refresh_changed", queueing_lock="dashboards.refresh_changed")
def dashboards_refresh_changed(timestamp: int) -> dict | None:
    result = refresh_changed()
    if result and result.get("vouchers"):
        result["warmed"] = warm_defaults()
    return result
