"""Number formats of the dashboards, independent of the locale's grouping rules."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234567.8 → "1,234,567.80"."""
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return "—"


@register.filter
def count(value) -> str:
    """1234567 → "1,234,567"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—"
