"""The worker's notification tasks: one e-mail or one SMS per job (and the large table
exports of ``notifications.exports``), retried with backoff
(``notifications.queue``). ``notifications.services.notify`` enqueues them in the caller's
transaction."""

from __future__ import annotations

from notifications import delivery
from notifications.exports import build_export  # noqa: F401  (the worker finds its tasks here)
from notifications.queue import RETRYING, app


@app.task(name="notifications.send_email", **RETRYING)
def send_email(*, notification_id: int) -> bool:
    return delivery.deliver_email(notification_id)


@app.task(name="notifications.send_sms", **RETRYING)
def send_sms(*, notification_id: int) -> bool:
    return delivery.deliver_sms(notification_id)
