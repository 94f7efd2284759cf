"""Number formats of the voucher pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A rate stored as a fraction, as people read it: 0.1000 → "10%", 0.125 → "12.5%";
    empty → "—"."""
    if value in (None, ""):
        return "—"
    try:
        number = (Decimal(str(value)) * 100).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return "—"
    text = f"{number:f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:f}"
    return f"{text}%"
