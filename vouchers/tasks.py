"""The daily voucher job as a periodic task of the worker (README "The worker").

The same functions as ``manage.py vouchers_daily``: expiry of unused vouchers past
valid-until (their amount returns to the annual cap), expiry warnings, default ratings,
lapsed entitlements. Each is idempotent, so a retry or a second run the same day does no
harm. Schedule (cron, UTC): ``10 17 * * *`` = 01:10 Beijing time.
"""

from __future__ import annotations

from notifications.queue import RETRYING, app
from vouchers.entitlements.services import lapse
from vouchers.settlement import default_ratings, vouchers_expire

DAILY_CRON = "10 17 * * *"  # UTC; 01:10 in China (UTC+8, no daylight saving)


@app.periodic(cron=DAILY_CRON, periodic_id="vouchers_daily")
@app.task(name="vouchers.daily", queueing_lock="vouchers.daily", lock="vouchers.daily", **RETRYING)
def vouchers_daily(timestamp: int) -> dict:
    result = vouchers_expire()
    return {**result, "default_ratings": default_ratings(), "entitlements_lapsed": lapse()}
