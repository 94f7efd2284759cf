"""Number formats of the voucher pages, and the scheme's words for a voucher's record."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from vouchers.models import Contract, Policy, Voucher
from vouchers.policies.words import ContractWords, contract_words

register = template.Library()


@register.filter
def words_of(obj) -> ContractWords:
    """The words of the scheme ``obj`` (a contract, a voucher or a policy) belongs to:
    ``{% with words=voucher|words_of %}{{ words.short }}{% endwith %}`` says 合同 in
    Ningxia and 订单 in Henan (``vouchers.policies.words``)."""
    if isinstance(obj, Voucher):
        obj = obj.contract
    if isinstance(obj, Contract):
        obj = obj.policy
    if not isinstance(obj, Policy):
        raise TypeError(f"words_of takes a Contract, Voucher or Policy, not {type(obj).__name__}")
    return contract_words(obj)


@register.filter
def record_word(obj) -> str:
    """The word alone (合同 / 订单) of :func:`words_of`: ``服务{{ voucher|record_word }}``."""
    return words_of(obj).short


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
