"""The evaluation's subsidy is paid (SPEC §5.5): the centre grants a year's subsidies from the
stored results (each becomes a ``vouchers.Subsidy`` payable in the ledger), gathers them into
a subsidy payout batch and pays it on the batch page from the province budget — waiting when
the budget falls short. Granting twice grants nothing more; a granted year is final until its
unpaid subsidies are cancelled. Only the centre may do any of it. The ledger's invariants
hold after every step, and every step goes through the pages or the services.

The small world (tests/dashboards/conftest.py): ivan_lab (public, 50 %) redeemed 20,000 →
10,000; lab2 (social, 20 %) redeemed 5,000 → 1,000. The world's budget of the year is
1,000,000, of which 20,000 paid V1.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluation import services
from evaluation.models import EvaluationResult
from vouchers import ledger, settlement
from vouchers.models import (
    BatchItemStatus,
    BatchKind,
    BatchStatus,
    LedgerAccount,
    LedgerEntry,
    PayoutBatch,
    Subsidy,
    SubsidyStatus,
)

pytestmark = pytest.mark.django_db
D = Decimal
PAGE = "/dashboard/evaluation/"


@pytest.fixture
def evaluated(world):
    """The world's year evaluated by the centre (stored results)."""
    services.evaluation_run(year=world.year, by=world.cecilia)
    assert ledger.ledger_problems() == []
    return world


def result_of(world, user) -> EvaluationResult:
    return EvaluationResult.objects.select_related("payable").get(year=world.year, institution_id=user.organisation_id)


def grant_on_the_page(client, world):
    client.force_login(world.cecilia)
    response = client.post(f"{PAGE}subsidies/grant/", {"year": world.year})
    assert response.status_code == 302
    assert ledger.ledger_problems() == []
    return response


def batch_on_the_page(client, world, budget_year: int) -> PayoutBatch:
    client.force_login(world.cecilia)
    response = client.post(f"{PAGE}subsidies/batch/", {"year": world.year, "budget_year": budget_year})
    assert response.status_code == 302
    batch = PayoutBatch.objects.get(kind=BatchKind.SUBSIDIES)
    assert response.url == f"/vouchers/batches/{batch.pk}/"
    assert ledger.ledger_problems() == []
    return batch


def approve_and_pay_on_the_batch_page(client, world, batch) -> None:
    client.force_login(world.cecilia)
    assert client.post(f"/vouchers/batches/{batch.pk}/approve/").status_code == 302
    assert ledger.ledger_problems() == []
    assert client.post(f"/vouchers/batches/{batch.pk}/pay/").status_code == 302
    assert ledger.ledger_problems() == []


def subsidy_paid(subsidy) -> Decimal:
    return ledger.balance(LedgerAccount.SUBSIDY_PAID, subsidy=subsidy, organisation=subsidy.institution)


def subsidy_payable(subsidy) -> Decimal:
    return ledger.balance(LedgerAccount.SUBSIDY_PAYABLE, subsidy=subsidy)


# --- The scenario ----------------------------------------------------------------------------------


def test_the_years_subsidies_are_granted_batched_and_paid_from_the_province_budget(client, evaluated):
    world = evaluated
    assert ledger.budget_balance(world.year) == D("980000")
    page = client
    page.force_login(world.cecilia)
    html = page.get(f"{PAGE}?year={world.year}").content.decode()
    assert f"核定 {world.year} 年度补助" in html and "待核定" in html

    # 1. Grant: each result with a subsidy becomes a payable, linked from the result.
    grant_on_the_page(page, world)
    lab, lab2 = result_of(world, world.ivan_lab), result_of(world, world.lab2)
    assert (lab.payable.amount, lab2.payable.amount) == (D("10000.00"), D("1000.00"))
    for result in (lab, lab2):
        subsidy = result.payable
        assert subsidy.status == SubsidyStatus.GRANTED and subsidy.year == world.year
        assert subsidy.institution_id == result.institution_id
        assert subsidy_payable(subsidy) == result.subsidy
        assert "年度服务机构评价" in subsidy.note
    html = page.get(f"{PAGE}?year={world.year}").content.decode()
    assert "已核定，待纳入拨付批次" in html and "生成补助拨付批次" in html

    # 2. A subsidy batch from the page, approved and paid on the batch page.
    batch = batch_on_the_page(page, world, budget_year=world.year)
    assert {i.subsidy_id for i in batch.items.all()} == {lab.payable_id, lab2.payable_id}
    html = page.get(f"{PAGE}?year={world.year}").content.decode()
    assert f"已纳入拨付批次（{batch.number}）" in html
    approve_and_pay_on_the_batch_page(page, world, batch)

    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    for result in (lab, lab2):
        result.payable.refresh_from_db()
        assert result.payable.status == SubsidyStatus.PAID
        assert (subsidy_payable(result.payable), subsidy_paid(result.payable)) == (0, result.subsidy)
    assert ledger.budget_balance(world.year) == D("969000")  # 980,000 − 10,000 − 1,000
    assert ledger.budget_summary(world.year).province.paid == D("31000")  # V1 and both subsidies

    html = page.get(f"{PAGE}?year={world.year}").content.decode()
    assert f"已拨付（{lab.payable.number}）" in html
    csv_body = page.get(f"{PAGE}export.csv?year={world.year}").content.decode("utf-8")
    assert "补助拨付" in csv_body and f"已拨付（{lab.payable.number}）" in csv_body


def test_granting_twice_grants_nothing_more(client, evaluated):
    world = evaluated
    grant_on_the_page(client, world)
    subsidies = set(Subsidy.objects.values_list("pk", flat=True))
    entries = LedgerEntry.objects.count()

    response = grant_on_the_page(client, world)
    follow = client.get(response.url).content.decode()
    assert "没有新的补助需要核定" in follow
    assert services.subsidies_grant(year=world.year, by=world.cecilia) == []

    assert set(Subsidy.objects.values_list("pk", flat=True)) == subsidies
    assert LedgerEntry.objects.count() == entries
    # Paid, it is still not granted again.
    settlement_batch = batch_on_the_page(client, world, budget_year=world.year)
    approve_and_pay_on_the_batch_page(client, world, settlement_batch)
    assert services.subsidies_grant(year=world.year, by=world.cecilia) == []
    assert set(Subsidy.objects.values_list("pk", flat=True)) == subsidies
    assert ledger.ledger_problems() == []


def test_a_short_budget_makes_the_subsidies_wait_until_budget_is_set(client, evaluated):
    world = evaluated
    later = world.year + 1  # a budget year with no budget yet
    grant_on_the_page(client, world)
    batch = batch_on_the_page(client, world, budget_year=later)
    approve_and_pay_on_the_batch_page(client, world, batch)

    assert set(batch.items.values_list("status", flat=True)) == {BatchItemStatus.WAITING_BUDGET}
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED
    html = client.get(f"{PAGE}?year={world.year}").content.decode()
    assert "批次中，等待预算" in html

    lab, lab2 = result_of(world, world.ivan_lab), result_of(world, world.lab2)
    settlement.budget_set(by=world.cecilia, year=later, amount=D("10500"))
    assert ledger.ledger_problems() == []
    lab.payable.refresh_from_db()
    lab2.payable.refresh_from_db()
    assert (lab.payable.status, lab2.payable.status) == (SubsidyStatus.PAID, SubsidyStatus.GRANTED)
    assert ledger.budget_balance(later) == D("500")  # 1,000 would not fit: it keeps waiting

    settlement.budget_set(by=world.cecilia, year=later, amount=D("500"))
    assert ledger.ledger_problems() == []
    lab2.payable.refresh_from_db()
    batch.refresh_from_db()
    assert lab2.payable.status == SubsidyStatus.PAID and batch.status == BatchStatus.PAID
    assert ledger.budget_balance(later) == 0 and ledger.budget_balance(world.year) == D("980000")


def test_a_granted_year_is_final_until_its_unpaid_subsidies_are_cancelled(client, evaluated):
    world = evaluated
    grant_on_the_page(client, world)
    with pytest.raises(ValidationError, match="已核定"):
        services.evaluation_run(year=world.year, by=world.cecilia)
    with pytest.raises(CommandError, match="已核定"):
        call_command("evaluation_run", "--year", str(world.year), "--commit")
    response = client.post(f"{PAGE}run/", {"year": world.year})
    assert "不能重新运行" in client.get(response.url).content.decode()

    lab, lab2 = result_of(world, world.ivan_lab), result_of(world, world.lab2)
    refused = client.post(f"{PAGE}{lab.pk}/subsidy/cancel/", {"note": ""})
    assert "撤销须说明原因" in client.get(refused.url).content.decode()
    lab.payable.refresh_from_db()
    assert lab.payable.status == SubsidyStatus.GRANTED

    for result in (lab, lab2):
        assert client.post(f"{PAGE}{result.pk}/subsidy/cancel/", {"note": "评价数据更正"}).status_code == 302
        assert ledger.ledger_problems() == []
        result.payable.refresh_from_db()
        assert result.payable.status == SubsidyStatus.CANCELLED and subsidy_payable(result.payable) == 0
    old = {lab.payable_id, lab2.payable_id}

    services.evaluation_run(year=world.year, by=world.cecilia)  # open again
    grant_on_the_page(client, world)
    lab, lab2 = result_of(world, world.ivan_lab), result_of(world, world.lab2)
    assert {lab.payable_id, lab2.payable_id}.isdisjoint(old)
    assert lab.payable.status == SubsidyStatus.GRANTED and subsidy_payable(lab.payable) == D("10000")


def test_a_subsidy_in_a_batch_cannot_be_cancelled(client, evaluated):
    world = evaluated
    grant_on_the_page(client, world)
    batch_on_the_page(client, world, budget_year=world.year)
    lab = result_of(world, world.ivan_lab)
    with pytest.raises(ValidationError, match="已纳入拨付批次"):
        services.subsidy_cancel(result=lab, by=world.cecilia, note="更正")
    lab.payable.refresh_from_db()
    assert lab.payable.status == SubsidyStatus.GRANTED


def test_nothing_is_granted_before_the_year_is_evaluated(world):
    with pytest.raises(ValidationError, match="尚未运行评价"):
        services.subsidies_grant(year=world.year, by=world.cecilia)
    assert not Subsidy.objects.exists()


# --- Outsiders ---------------------------------------------------------------------------------------


def test_only_the_centre_grants_batches_or_cancels_subsidies(client, evaluated):
    world = evaluated
    lab = result_of(world, world.ivan_lab)
    outsiders = (world.alice, world.bob, world.olivia, world.ivan_lab)  # enterprise, bureau, operator, institution
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            services.subsidies_grant(year=world.year, by=user)
        client.force_login(user)
        assert client.post(f"{PAGE}subsidies/grant/", {"year": world.year}).status_code == 403
        assert (
            client.post(f"{PAGE}subsidies/batch/", {"year": world.year, "budget_year": world.year}).status_code == 403
        )
        assert client.post(f"{PAGE}{lab.pk}/subsidy/cancel/", {"note": "x"}).status_code == 403
    assert not Subsidy.objects.exists()

    grant_on_the_page(client, world)
    for user in outsiders:
        client.force_login(user)
        assert (
            client.post(f"{PAGE}subsidies/batch/", {"year": world.year, "budget_year": world.year}).status_code == 403
        )
        assert client.post(f"{PAGE}{lab.pk}/subsidy/cancel/", {"note": "x"}).status_code == 403
        with pytest.raises(PermissionDenied):
            services.subsidies_batch(by=user, budget_year=world.year)
    assert not PayoutBatch.objects.filter(kind=BatchKind.SUBSIDIES).exists()
    assert Subsidy.objects.filter(status=SubsidyStatus.GRANTED).count() == 2

    client.logout()
    assert client.post(f"{PAGE}subsidies/grant/", {"year": world.year}).status_code == 302  # to the login page
    assert client.get(f"{PAGE}subsidies/grant/").status_code in (302, 405)
    assert ledger.ledger_problems() == []


def test_a_missing_result_gives_404_to_the_centre(client, evaluated):
    client.force_login(evaluated.cecilia)
    assert client.post(f"{PAGE}999999/subsidy/cancel/", {"note": "x"}).status_code == 404
