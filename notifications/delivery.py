"""Delivering one notification by e-mail or SMS: what the worker's tasks run.

Both read the notification and its user when they run (not when it was queued), so a
corrected address is used, and a notification deleted in between (its user removed) is
skipped. Any error propagates: the task is retried with backoff and, after the last retry,
stays failed on the dead-letter page (``notifications.queue``).

Two hooks are installed by a higher layer at start-up (``accounts.apps``), because the
province profile decides them and ``notifications`` may not import ``accounts``:
``set_subject_format`` (the e-mail subject and SMS prefix) and ``set_sms_switch`` (whether
this deployment sends SMS at all).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from notifications import sms
from notifications.models import Notification

# Until the hooks are installed (and in a process without the accounts app): the setting's
# subject prefix, and no SMS.
_subject_format: Callable[[str], str] = lambda title: f"{settings.NOTIFY_SUBJECT_PREFIX} {title}".strip()  # noqa: E731
_sms_switch: Callable[[], bool] = lambda: False  # noqa: E731


def set_subject_format(make: Callable[[str], str]) -> None:
    global _subject_format
    _subject_format = make


def set_sms_switch(enabled: Callable[[], bool]) -> None:
    global _sms_switch
    _sms_switch = enabled


def sms_enabled() -> bool:
    return _sms_switch()


def subject(title: str) -> str:
    return _subject_format(title)


def sms_text(n: Notification) -> str:
    link = f" {settings.SITE_URL}{n.url}" if n.url.startswith("/") else (f" {n.url}" if n.url else "")
    body = f" {n.body}" if n.body else ""
    return f"{subject(n.title)}{body}{link}"


def deliver_email(notification_id: int) -> bool:
    """Send the notification's e-mail; False when there is nothing to send."""
    n = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if n is None or not n.user.email:
        return False
    send_mail(
        subject=subject(n.title),
        message=f"{n.body}\n\n{n.url}".strip(),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[n.user.email],
    )
    return True


def deliver_sms(notification_id: int) -> bool:
    """Send the notification as a text message to its user's phone (``SMS_BACKEND``)."""
    n = Notification.objects.select_related("user").filter(pk=notification_id).first()
    phone = getattr(n.user, "phone", "") if n is not None else ""
    if not phone:
        return False
    sms.send_sms(to=phone, body=sms_text(n))
    return True
