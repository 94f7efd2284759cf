"""Workflows as transition tables: one check, one audit row and one assignment per move.

Each workflow — certification (``accounts``), item review and bookings (``catalog``),
contracts and redemptions (``vouchers``) — declares a table ``{from status: (allowed next
statuses, …)}`` and an append-only event model built on :class:`AuditEvent`. Its service
functions change a status only through :func:`move`, inside their transaction and after
locking the row, and save the object themselves (each knows which other fields changed).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

Transitions = dict[str, tuple[str, ...]]


class InvalidTransition(ValidationError):
    """The requested move is not in the workflow's table from the current status."""


class AuditEvent(models.Model):
    """Who moved what, and when; subclasses add the subject, the statuses and the note."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


def move(
    obj,
    to: str,
    *,
    table: Transitions,
    labels: type[models.TextChoices],
    event: type[AuditEvent],
    subject: str = "",
    field: str = "status",
    **event_fields,
) -> None:
    """Move ``obj`` (its ``field``) to ``to`` if ``table`` allows it, recording one ``event``
    row with ``event_fields`` (subject, actor, note …); refuse with :class:`InvalidTransition`
    naming both statuses otherwise. ``subject`` starts the message (“合同”, “预约” …)."""
    current = getattr(obj, field)
    if to not in table.get(current, ()):
        raise InvalidTransition(
            f"{subject}不能从“{labels(current).label}”变为“{labels(to).label}”。", code="invalid_transition"
        )
    event.objects.create(from_status=current, to_status=to, **event_fields)
    setattr(obj, field, to)
