"""Subsidy items on the settlement pages that list batch items: the public notice, the
centre's work queue (objections), the budget's queue and the bank export."""

from decimal import Decimal

import pytest

from vouchers import ledger, settlement

pytestmark = pytest.mark.django_db


def test_subsidy_items_show_on_the_notice_queue_budget_and_export(policy, client, ivan_lab, cecilia, mallory, clock):
    subsidy = settlement.subsidy_grant(
        institution=ivan_lab.organisation, year=2026, amount=Decimal("10000"), note="年度评价补助", by=cecilia
    )
    batch = settlement.batch_create(by=cecilia, year=2026, cycle="quarterly", kind="subsidies")
    settlement.batch_open_notice(batch=batch, by=cecilia)
    client.force_login(mallory)
    notices = client.get("/vouchers/notices/").content.decode()
    assert "贺兰山分析测试中心" in notices and "2026 年度机构补助" in notices
    objection = settlement.objection_lodge(item=batch.items.get(), by=mallory, reason="数据不实")

    client.force_login(cecilia)
    assert subsidy.number in client.get("/vouchers/queue/").content.decode()
    settlement.objection_resolve(objection=objection, by=cecilia, upheld=False, resolution="不属实")
    clock.advance(days=30)  # the notice runs out
    settlement.batch_approve(batch=batch, by=cecilia)
    settlement.batch_pay(batch=batch, by=cecilia)  # no budget yet: it waits
    assert ledger.ledger_problems() == []

    client.force_login(cecilia)
    budget = client.get("/vouchers/budget/?year=2026")
    assert budget.status_code == 200 and subsidy.number in budget.content.decode()
    page = client.get(f"/vouchers/batches/{batch.pk}/").content.decode()
    assert f"/vouchers/batches/{batch.pk}/export.csv" in page
    export = client.get(f"/vouchers/batches/{batch.pk}/export.csv")
    body = export.content.decode("utf-8-sig")
    assert export.status_code == 200 and subsidy.number in body and "贺兰山分析测试中心" in body
