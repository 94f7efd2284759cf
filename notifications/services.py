"""The one way other layers tell people something: a row in the inbox now, e-mail (and, when
asked and the deployment uses it, SMS) by the worker.

``notify`` writes the inbox rows and enqueues one delivery job per e-mail or text message in
the caller's transaction (``notifications.queue``): a rolled-back change sends nothing, a
committed one is delivered by the worker, retried with backoff when the mail server or SMS
gateway fails, and left on the dead-letter page after the last retry. E-mail goes through
Django's mail backend (``EMAIL_BACKEND``), SMS through ``SMS_BACKEND`` (``notifications.sms``)
to users with a phone number, only for notifications marked ``sms=True`` (review results,
returns for correction, payouts) and only where the deployment's province profile turns SMS
on (the switch is installed by ``accounts`` at start-up: ``set_sms_switch``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from notifications import tasks
from notifications.delivery import set_sms_switch, set_subject_format, sms_enabled
from notifications.models import Notification

__all__ = ["mark_read", "notify", "notify_organisation", "set_sms_switch", "set_subject_format"]


def notify(*, users: Iterable, title: str, body: str = "", url: str = "", sms: bool = False) -> list[Notification]:
    """Put a notification in each user's inbox and queue its e-mail (users with an address)
    and, with ``sms=True`` where the deployment sends SMS, its text message (users with a
    phone number) — in the current transaction."""
    rows = Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, url=url) for u in {u.pk: u for u in users}.values()]
    )
    emails = [{"notification_id": n.pk} for n in rows if n.user.email]
    if emails:
        tasks.send_email.batch_defer(*emails)
    if sms and rows and sms_enabled():
        texts = [{"notification_id": n.pk} for n in rows if getattr(n.user, "phone", "")]
        if texts:
            tasks.send_sms.batch_defer(*texts)
    return rows


def notify_organisation(*, organisation, title: str, body: str = "", url: str = "", sms: bool = False) -> None:
    notify(users=organisation.users.filter(is_active=True), title=title, body=body, url=url, sms=sms)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
