"""The one way other layers tell people something: inbox row now, e-mail after commit.

SMS can be plugged in by adding a channel to ``CHANNELS`` (settings NOTIFY_CHANNELS); the
e-mail channel uses Django's configured mail backend.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

log = logging.getLogger(__name__)

# How an e-mail subject is made from a notification's title. The deployment's province
# profile (accounts, a layer above) installs its own at start-up (``set_subject_format``);
# until then, and in a process without it, the setting's prefix is used.
_subject_format: Callable[[str], str] = lambda title: f"{settings.NOTIFY_SUBJECT_PREFIX} {title}".strip()  # noqa: E731


def set_subject_format(make: Callable[[str], str]) -> None:
    global _subject_format
    _subject_format = make


def _send_email(notification_ids: list[int]) -> None:
    for n in Notification.objects.filter(id__in=notification_ids).select_related("user"):
        if not n.user.email:
            continue
        try:
            send_mail(
                subject=_subject_format(n.title),
                message=f"{n.body}\n\n{n.url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[n.user.email],
            )
        except OSError:  # a mail outage must not undo the business change already committed
            log.exception("e-mail for notification %s failed", n.id)


def notify(*, users: Iterable, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Put a notification in each user's inbox; e-mail them once the transaction commits."""
    rows = Notification.objects.bulk_create(
        [Notification(user=u, title=title, body=body, url=url) for u in {u.pk: u for u in users}.values()]
    )
    ids = [n.pk for n in rows]
    transaction.on_commit(lambda: _send_email(ids))
    return rows


def notify_organisation(*, organisation, title: str, body: str = "", url: str = "") -> None:
    notify(users=organisation.users.filter(is_active=True), title=title, body=body, url=url)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=list(ids))
    return qs.update(read_at=timezone.now())
