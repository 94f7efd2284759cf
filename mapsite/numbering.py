"""Human-readable document numbers derived from the primary key (合同编号, 券号, 预约编号 …)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone


def save_with_number(obj, make: Callable[[object], str]) -> None:
    """Insert ``obj`` under a unique placeholder, then set ``number = make(obj)`` once its
    primary key exists (the number embeds the key, so it is unique without a sequence)."""
    obj.number = f"TMP{timezone.now():%H%M%S%f}"[:20]
    obj.save()
    obj.number = make(obj)
    obj.save(update_fields=["number"])
