"""Payee bank accounts (收款账户): validated, in the payee's own name, private to its own users
(the operator and the centre read it only through payout batches and the bank export)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import BankAccount
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/me/bank-account/"


# The shared personas open their payee accounts at once; here they start without one.
@pytest.fixture
def alice(db):
    return factories.applicant_user(username="alice", adcode=640104, bank_account=False)


@pytest.fixture
def ivan(db):
    return factories.institution_user(username="ivan", adcode=640105, bank_account=False)


def good(org) -> dict:
    return {
        "bank_name": "中国银行银川分行营业部",
        "bank_code": "104871000019",
        "account_name": org.name,
        "account_number": "1064 0000 1234 5678 9",
    }


def test_an_enterprise_sets_its_account_through_the_api_and_reads_it_back(api_as, alice):
    api = api_as(alice)
    assert api.get(URL).status_code == 404
    response = api.put(URL, good(alice.organisation), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["account_number"] == "10640000123456789"  # spaces removed
    assert api.get(URL).json()["bank_code"] == "104871000019"
    changed = {**good(alice.organisation), "bank_name": "宁夏银行营业部"}
    assert api.put(URL, changed, format="json").status_code == 200
    assert BankAccount.objects.get(organisation=alice.organisation).bank_name == "宁夏银行营业部"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_code", "10487100001", "开户行行号应为12位数字"),
        ("bank_code", "1048710000AB", "开户行行号应为12位数字"),
        ("account_number", "12345", "应为8–30位数字"),
        ("account_number", "6222-0212-0000-ABCD", "只能包含数字"),
        ("account_name", "别的公司", "须与本单位名称"),
        ("bank_name", "", "不能为空"),
    ],
)
def test_a_bad_account_is_a_400_in_chinese_and_changes_nothing(api_as, alice, field, value, message):
    api = api_as(alice)
    api.put(URL, good(alice.organisation), format="json")
    response = api.put(URL, {**good(alice.organisation), field: value}, format="json")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BankAccount.objects.get(organisation=alice.organisation).bank_code == "104871000019"


def test_an_individuals_card_number_must_pass_its_check_digit(api_as, db):
    person = factories.applicant_user(
        username="zhang",
        adcode=640104,
        kind="individual",
        name="张三",
        resident_id=factories.resident_id(7),
        bank_account=False,
    )
    data = {**good(person.organisation), "account_number": "6222021200000000001"}
    response = api_as(person).put(URL, data, format="json")
    assert response.status_code == 400 and "校验码" in response.content.decode()
    data["account_number"] = "6222021200000000000"[:-1] + _luhn_digit("622202120000000000")
    assert api_as(person).put(URL, data, format="json").status_code == 200


def _luhn_digit(body: str) -> str:
    from stdnum import luhn

    return luhn.calc_check_digit(body)


def test_the_page_saves_the_account_and_shows_errors_beside_the_field(client, ivan):
    client.force_login(ivan)
    url = reverse("accounts:bank_account")
    assert "尚未设置收款账户" in client.get(url).content.decode()
    bad = client.post(url, {**good(ivan.organisation), "bank_code": "123"})
    assert bad.status_code == 400 and "开户行行号应为12位数字" in bad.content.decode()
    assert not BankAccount.objects.exists()
    assert client.post(url, good(ivan.organisation)).status_code == 302
    assert "****6789" in client.get(url).content.decode()


def test_the_account_is_private(client, api, api_as, alice, bob, olivia, cecilia, mallory, eve):
    api_as(alice).put(URL, good(alice.organisation), format="json")
    # nobody else reads it through the API: each caller only ever sees its own organisation's
    for user in (bob, olivia, cecilia, mallory, eve):
        response = api_as(user).get(URL)
        assert response.status_code in (200, 404) and "10640000123456789" not in response.content.decode()
        assert api_as(user).put(URL, good(alice.organisation), format="json").status_code in (400, 404)
    api.credentials()
    assert api.get(URL).status_code == 401
    assert (
        "10640000123456789" not in api_as(mallory).get(f"/api/organisations/{alice.organisation_id}/").content.decode()
    )
    # the page is for payees only
    for user in (bob, olivia, cecilia, eve):
        client.force_login(user)
        assert client.get(reverse("accounts:bank_account")).status_code == 403
    assert BankAccount.objects.get(organisation=alice.organisation).account_number == "10640000123456789"
    assert not BankAccount.objects.exclude(organisation=alice.organisation).filter(account_number="10640000123456789")
