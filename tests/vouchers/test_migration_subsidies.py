"""0011_subsidies lets a batch item pay a redemption or a subsidy and gives batches a kind:
batches, items and ledger entries written before it are carried as redemption batches whose
items pay their redemptions, and the ledger's invariants still hold."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.dashboards.conftest import issue, pay_out, redeem, use
from vouchers import ledger
from vouchers.models import BatchItem, BatchItemStatus, BatchKind, PayoutBatch

BEFORE = [("vouchers", "0010_project_registration")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_batches_and_items_written_before_are_carried(ningxia, policy, alice, bob, olivia, cecilia, ivan_lab):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    voucher = issue(alice, ivan_lab, bob, olivia, cecilia, price="20000", quantity="2")
    use(voucher, alice, ivan_lab, olivia, key="migration-subsidies-1")
    redeem(voucher, ivan_lab, olivia, cecilia)
    pay_out(policy.year, cecilia)
    (paid_item,) = BatchItem.objects.all()
    batch_pk, redemption_pk = paid_item.batch_id, paid_item.redemption_id

    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldBatchItem = old.get_model("vouchers", "BatchItem")
    assert "kind" not in {f.name for f in old.get_model("vouchers", "PayoutBatch")._meta.get_fields()}
    assert OldBatchItem.objects.get(pk=paid_item.pk).redemption_id == redemption_pk

    _migrate(leaves)

    batch = PayoutBatch.objects.get(pk=batch_pk)
    item = BatchItem.objects.get(pk=paid_item.pk)
    assert batch.kind == BatchKind.REDEMPTIONS
    assert (item.redemption_id, item.subsidy_id, item.status) == (redemption_pk, None, BatchItemStatus.PAID)
    assert ledger.ledger_problems() == []
    with pytest.raises(IntegrityError), transaction.atomic():
        BatchItem.objects.create(batch=batch, amount=Decimal("1"))  # neither a redemption nor a subsidy
