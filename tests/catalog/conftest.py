"""A small catalogue around Yinchuan with known distances, prices and ratings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Instrument, Service
from tests import factories


@pytest.fixture
def catalogue(db, olivia, ivan_lab):
    """Three institutions at increasing distance from the Bell Tower (106.2857, 38.4700)."""
    near = factories.listed_institution(username="near_lab", name="鼓楼检测所", lng=106.2900, lat=38.4720)
    far = factories.listed_institution(
        username="far_lab", name="固原检验中心", lng=106.2420, lat=36.0110, kind="public_test_agency"
    )
    items = {
        "sem_near": factories.approved_item(near, name="扫描电子显微镜", price=Decimal("300"), operator=olivia),
        "sem_mid": factories.approved_item(
            ivan_lab, name="场发射扫描电子显微镜", price=Decimal("450"), operator=olivia
        ),
        "xrd_far": factories.approved_item(
            far,
            name="X射线衍射仪",
            price=Decimal("150"),
            unit="元/样品",
            booking_mode="sample",
            category="分析仪器",
            operator=olivia,
        ),
        "water_near": factories.approved_item(
            near, kind="service", name="水质全分析", price=Decimal("800"), operator=olivia
        ),
        "pesticide_far": factories.approved_item(
            far,
            kind="service",
            name="食品中农药残留检测",
            price=Decimal("600"),
            voucher_eligible=False,
            operator=olivia,
        ),
    }
    items.update({"near": near, "far": far, "mid": ivan_lab})
    return items


def set_rating(item, mean: str, count: int, popularity: int = 0) -> None:
    from catalog.listing import listing_sync_item

    type(item).objects.filter(pk=item.pk).update(rating_mean=Decimal(mean), rating_count=count, popularity=popularity)
    listing_sync_item(type(item).objects.select_related("institution__organisation").get(pk=item.pk))


__all__ = ["Instrument", "Service", "set_rating"]
