"""The daily voucher job as a periodic task of the worker (README "The worker").

The same functions as ``manage.py vouchers_daily``: expiry of unused vouchers past
valid-until (their amount returns to the annual cap), expiry warnings, default ratings,
lapsed entitlements. Each is idempotent, so a retry or a second run the same day does no
harm. Schedule (cron, UTC): ``10 17 * * *`` = 01:10 Beijing time.

Also the contract PDF's render, once per revision (``vouchers.contracts.renditions``); the
daily job removes stored PDFs that no rendition names any more.
"""

from __future__ import annotations

import sys
import threading

from notifications.queue import RETRYING, app
from vouchers.contracts import documents, renditions
from vouchers.contracts.pdf_queue import RENDER_TASK
from vouchers.entitlements.services import lapse
from vouchers.settlement import default_ratings, vouchers_expire

DAILY_CRON = "10 17 * * *"  # UTC; 01:10 in China (UTC+8, no daylight saving)


@app.periodic(cron=DAILY_CRON, periodic_id="vouchers_daily")
@app.task(name="vouchers.daily", queueing_lock="vouchers.daily", lock="vouchers.daily", **RETRYING)
def vouchers_daily(timestamp: int) -> dict:
    result = vouchers_expire()
    return {
        **result,
        "default_ratings": default_ratings(),
        "entitlements_lapsed": lapse(),
        "contract_pdfs_orphaned_removed": renditions.remove_orphans(),
    }


@app.task(name=RENDER_TASK, **RETRYING)
def render_contract_pdf(contract_id: int) -> dict:
    """The contract's PDF at its current revision, stored (README "Contract PDF"). Queued by
    the contract services after each change and by a download that finds no file; the
    queueing lock and lock are set by ``pdf_queue.queue_render`` (one waiting job, one
    render of a contract at a time)."""
    return renditions.render_current(contract_id)


# A worker process sets up WeasyPrint and the CJK fonts as it starts, beside its first jobs,
# instead of inside the first contract PDF it is asked for (README "Contract PDF"). Only in
# ``manage.py tasks_worker``: the web processes import this module too and never render.
if sys.argv[1:2] == ["tasks_worker"]:
    threading.Thread(target=documents.warm_up, name="pdf-warm-up", daemon=True).start()
