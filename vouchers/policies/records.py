"""The year's voucher policy: the one place that reads a policy record for a year.

A province-wide record (``region`` empty) holds every rule and limit of the year; a county
record only sets that county's top-up rate.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError

from vouchers.models import Policy


def province_policy(year: int, *, required: bool = False, refusal: str = "") -> Policy:
    """The province-wide policy of ``year``.

    While none is published: with ``required`` a ValidationError (``refusal`` or a standard
    message) — applying needs real rules; otherwise an unsaved record holding the defaults,
    so time limits, notice days and the other limits keep their SPEC values."""
    policy = Policy.objects.filter(year=year, region__isnull=True).first()
    if policy is not None:
        return policy
    if required:
        raise ValidationError(refusal or f"{year} 年度尚未发布创新券政策，暂不能申领。")
    return Policy(year=year)


def province_policy_exists(year: int) -> bool:
    return Policy.objects.filter(year=year, region__isnull=True).exists()


def county_topup_rate(year: int, county_id: int | None) -> Decimal:
    """The county's own top-up rate for ``year`` (0 without a county record)."""
    if county_id is None:
        return Decimal("0")
    record = Policy.objects.filter(year=year, region_id=county_id).only("county_topup_rate").first()
    return record.county_topup_rate if record else Decimal("0")


def topup_region_ids(year: int):
    """The regions that top ``year``'s vouchers up (a region record with a rate above 0)."""
    return Policy.objects.filter(year=year, region__isnull=False, county_topup_rate__gt=0).values("region_id")
