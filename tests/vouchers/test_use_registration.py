"""Zhejiang's use registration (创新券使用登记, ``Policy.use_registration``) through the HTTP API:
claim → one registration form (both payee choices) → the institution confirms the
enterprise-payee use → redemption by the chosen payee → the local bureau's approval pays.
The ledger invariant is checked after every step; bad input is a 400 in Chinese that
changes nothing; outsiders are refused."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from tests import factories
from tests.portal.test_home import tasks
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import XINGQING, YEAR, booked, publish, service_of, wallet
from vouchers.models import Contract, LedgerEntry, Proof, Voucher, VoucherUse

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/use-registrations/"


def form(institution: int, service: int, **over) -> dict:
    return factories.use_registration_form(institution, service, **over)


def snapshot() -> tuple:
    return tuple(m.objects.count() for m in (Contract, Voucher, VoucherUse, Proof, LedgerEntry))


@pytest.fixture
def zhejiang(ningxia, clock, bob, charlie, olivia, cecilia, ivan_lab, mallory):
    factories.applicant_user(username="qianjiang", adcode=XINGQING)
    centre = login("cecilia")
    policy = publish(centre, "zhejiang")
    assert policy["use_registration"] is True
    enterprise = login("qianjiang")
    for _ in range(2):
        ok(enterprise.post("/api/claims/", {"amount": "50000"}, format="json"), 201)
    lab = login("ivan_lab")
    return {
        "enterprise": enterprise,
        "lab": lab,
        "operator": login("olivia"),
        "bureau": login("bob"),
        "centre": centre,
        "institution": ivan_lab.organisation.institution.pk,
        "service": service_of(lab, login("olivia")),
    }


def test_register_confirm_redeem_and_bureau_pays_for_both_payee_choices(zhejiang, check_ledger):
    z = zhejiang
    enterprise, lab, operator, bureau = z["enterprise"], z["lab"], z["operator"], z["bureau"]

    # --- 企业兑付: one form issues the voucher, uses it and submits the proofs -------------------------
    use = ok(enterprise.post(URL, form(z["institution"], z["service"]), format="multipart"), 201)
    assert (use["face_value"], use["price"], use["cash_paid"], use["payee_choice"]) == (
        "20000.00",
        "40000.00",
        "40000.00",
        "enterprise",
    )
    assert (use["voucher_status"], use["proof_status"], use["institution_confirmed_at"]) == ("used", "filed", None)
    # Filed for the bureau, which checks them with the redemption: nothing for the operator to review.
    assert operator.post(f"/api/vouchers/{use['voucher']}/review-proofs/", {"decision": "approve"}).status_code == 400
    assert wallet(enterprise)["remaining"] == "80000.00"
    check_ledger()
    contract = ok(enterprise.get(f"/api/contracts/{use['contract']}/"))
    assert contract["status"] == "approved" and contract["has_signed_scan"] is False
    proofs = ok(enterprise.get(f"/api/vouchers/{use['voucher']}/proofs/"))
    assert sorted(p["kind"] for p in proofs) == ["contract", "invoice", "result"]
    listed = ok(enterprise.get(URL))["results"]
    assert [u["voucher_number"] for u in listed] == [use["voucher_number"]]

    vpath = f"/api/vouchers/{use['voucher']}/"
    early = enterprise.post("/api/redemptions/", {"vouchers": [use["voucher"]], "mode": "instant"}, format="json")
    assert early.status_code == 400 and "服务机构确认" in early.content.decode()
    assert login("mallory").post(vpath + "confirm-use/").status_code == 404
    assert enterprise.post(vpath + "confirm-use/").status_code == 403
    assert ok(lab.post(vpath + "confirm-use/"))["institution_confirmed_at"]
    check_ledger()

    r = ok(enterprise.post("/api/redemptions/", {"vouchers": [use["voucher"]], "mode": "instant"}, format="json"), 201)
    check_ledger()
    # The bureau's page says its approval is the payout, not a wait for a batch.
    web = Client()
    web.force_login(User.objects.get(username="bob"))
    body = web.get(f"/vouchers/redemptions/{r['id']}/").content.decode()
    assert "从本地区预算拨付" in body and "等待纳入拨付批次" not in body
    ok(bureau.post("/api/budgets/", {"year": YEAR, "amount": "300000", "region": XINGQING}, format="json"), 201)
    check_ledger()
    paid = ok(bureau.post(f"/api/redemptions/{r['id']}/check/", {"decision": "approve"}, format="json"))
    assert paid["status"] == "paid"
    check_ledger()

    # --- 载体兑付: the voucher is deducted, the institution redeems without a confirmation ------------
    second = ok(
        enterprise.post(
            URL,
            form(z["institution"], z["service"], amount="10000", payee_choice="institution", invoice_number="FP-0002"),
            format="multipart",
        ),
        201,
    )
    assert (second["face_value"], second["cash_paid"], second["payee_choice"]) == ("5000.00", "5000.00", "institution")
    assert second["payee_name"] == "贺兰山分析测试中心"
    check_ledger()
    r2 = ok(lab.post("/api/redemptions/", {"vouchers": [second["voucher"]], "mode": "instant"}, format="json"), 201)
    check_ledger()
    approved = ok(bureau.post(f"/api/redemptions/{r2['id']}/check/", {"decision": "approve"}, format="json"))
    assert approved["status"] == "paid"
    check_ledger()
    assert wallet(enterprise)["remaining"] == "75000.00"
    assert [u["voucher_number"] for u in ok(enterprise.get(URL))["results"]] == [
        second["voucher_number"],
        use["voucher_number"],
    ]


@pytest.mark.parametrize(
    "over, field, words",
    [
        ({"amount": "300000"}, "amount", "超过剩余额度"),
        ({"payee_choice": "bank"}, "payee_choice", "兑付方式"),
        ({"payee_choice": ""}, "payee_choice", "兑付方式"),
        ({"promise": "false"}, "promise", "承诺条款"),
        ({"invoice_file": None}, "invoice_file", "请上传发票"),
        ({"result_file": factories.fake_pdf_executable("result.pdf")}, "result_file", "服务结果凭证"),
        ({"signed_on": "2026-03-01", "completed_on": "2026-02-01"}, "completed_on", "不能早于"),
        ({"category": "bogus"}, "category", ""),
    ],
)
def test_bad_input_is_a_400_in_chinese_and_changes_nothing(zhejiang, check_ledger, over, field, words):
    z = zhejiang
    before = snapshot()
    response = z["enterprise"].post(URL, form(z["institution"], z["service"], **over), format="multipart")
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body and words in "".join(body[field])
    assert snapshot() == before and wallet(z["enterprise"])["remaining"] == "100000.00"
    check_ledger()


def test_a_service_the_institution_does_not_offer_is_refused(zhejiang, check_ledger):
    z = zhejiang
    other = factories.listed_institution(username="other_lab", name="另一家检测中心")
    foreign = factories.approved_item(other, kind="service").pk
    before = snapshot()
    response = z["enterprise"].post(URL, form(z["institution"], foreign), format="multipart")
    assert response.status_code == 400 and "不属于该服务方" in response.content.decode()
    assert snapshot() == before
    check_ledger()


def test_a_scheme_without_use_registration_keeps_its_flow(ningxia, clock, cecilia, ivan_lab, olivia, mallory):
    publish(login("cecilia"), "ningxia")
    lab = login("ivan_lab")
    service = service_of(lab, login("olivia"))
    before = snapshot()
    response = login("mallory").post(URL, form(ivan_lab.organisation.institution.pk, service), format="multipart")
    assert response.status_code == 400 and "不使用创新券使用登记" in response.content.decode()
    assert snapshot() == before


def test_outsiders_are_refused(zhejiang):
    z = zhejiang
    ok(z["enterprise"].post(URL, form(z["institution"], z["service"]), format="multipart"), 201)
    before = snapshot()
    for client in (z["lab"], z["bureau"], z["operator"], z["centre"]):
        assert client.post(URL, form(z["institution"], z["service"]), format="multipart").status_code == 403
        assert client.get(URL).status_code == 403
    anonymous = APIClient()
    assert anonymous.post(URL, form(z["institution"], z["service"]), format="multipart").status_code in (401, 403)
    assert anonymous.get(URL).status_code in (401, 403)
    assert snapshot() == before
    # Another enterprise sees none of it.
    assert ok(login("mallory").get(URL))["results"] == []


# --- One booking, one service: registered once ---------------------------------------------------


def served(enterprise, lab, service: int) -> int:
    """A booking the institution accepted, started and completed (2 × 20,000 = 40,000)."""
    booking = booked(enterprise, lab, service)
    ok(lab.post(f"/api/bookings/{booking}/start/"))
    ok(lab.post(f"/api/bookings/{booking}/complete/", {}, format="json"))
    return booking


def test_a_registration_names_the_enterprises_booking_and_the_contract_carries_it(zhejiang, check_ledger):
    z = zhejiang
    enterprise = z["enterprise"]
    booking = served(enterprise, z["lab"], z["service"])
    # The booking names the provider and the item: the form leaves them out.
    data = form(z["institution"], z["service"], booking=booking)
    del data["institution"], data["service"]
    use = ok(enterprise.post(URL, data, format="multipart"), 201)
    assert (use["booking"], use["face_value"]) == (booking, "20000.00")
    contract = ok(enterprise.get(f"/api/contracts/{use['contract']}/"))
    assert contract["booking"] == booking and contract["service"] == z["service"]
    check_ledger()

    # The same booking again (another invoice, another name): refused, nothing written.
    before = snapshot()
    again = enterprise.post(
        URL,
        form(z["institution"], z["service"], booking=booking, invoice_number="FP-0009", title="另一份"),
        "multipart",
    )
    assert again.status_code == 400, again.content.decode()
    assert "该预约已登记使用" in "".join(again.json()["booking"]) and use["voucher_number"] in again.content.decode()
    assert snapshot() == before and wallet(enterprise)["remaining"] == "80000.00"
    check_ledger()


def test_another_enterprises_booking_is_refused_both_ways(zhejiang, check_ledger):
    z = zhejiang
    mallory = login("mallory")
    theirs = served(mallory, z["lab"], z["service"])
    ours = served(z["enterprise"], z["lab"], z["service"])
    before = snapshot()
    refused = z["enterprise"].post(URL, form(z["institution"], z["service"], booking=theirs), "multipart")
    assert refused.status_code == 403 and "只能为本单位的预约登记使用创新券" in refused.content.decode()
    refused = mallory.post(URL, form(z["institution"], z["service"], booking=ours), "multipart")
    assert refused.status_code == 403 and "只能为本单位的预约" in refused.content.decode()
    assert snapshot() == before
    check_ledger()


def test_a_booking_not_yet_served_or_of_another_provider_is_refused(zhejiang, check_ledger):
    z = zhejiang
    requested = ok(
        z["enterprise"].post("/api/bookings/", {"service": z["service"], "quantity": "1"}, format="json"), 201
    )
    other = factories.listed_institution(username="other_lab", name="另一家检测中心")
    before = snapshot()
    refused = z["enterprise"].post(URL, form(z["institution"], z["service"], booking=requested["id"]), "multipart")
    assert refused.status_code == 400 and "未被服务方接受" in "".join(refused.json()["booking"])
    accepted = booked(z["enterprise"], z["lab"], z["service"])
    refused = z["enterprise"].post(URL, form(z["institution"], z["service"], booking=accepted), "multipart")
    assert refused.status_code == 400 and "服务尚未完成" in "".join(refused.json()["booking"])
    booking = served(z["enterprise"], z["lab"], z["service"])
    refused = z["enterprise"].post(
        URL, form(other.organisation.institution.pk, z["service"], booking=booking), "multipart"
    )
    assert refused.status_code == 400, refused.content.decode()
    assert "与预约的服务方不一致" in "".join(refused.json()["booking"]), refused.content.decode()
    assert snapshot() == before
    check_ledger()


def test_the_same_service_registered_twice_without_a_booking_is_refused(zhejiang, check_ledger):
    z = zhejiang
    first = ok(z["enterprise"].post(URL, form(z["institution"], z["service"], amount="10000"), "multipart"), 201)
    before = snapshot()
    # Same provider, item, contract name, amount and signing date (another invoice number).
    same = z["enterprise"].post(
        URL, form(z["institution"], z["service"], amount="10000", invoice_number="FP-0002"), "multipart"
    )
    assert same.status_code == 400
    assert "同一服务不能重复登记" in "".join(same.json()["title"]) and first["voucher_number"] in same.content.decode()
    # The same invoice number with the same provider (another contract).
    invoice = z["enterprise"].post(
        URL,
        form(z["institution"], z["service"], amount="12000", title="另一合同", invoice_number="fp-0001"),
        "multipart",
    )
    assert invoice.status_code == 400 and "发票号码 fp-0001 已在创新券" in "".join(invoice.json()["invoice_number"])
    assert snapshot() == before
    check_ledger()
    # A different service of the same provider is fine.
    ok(
        z["enterprise"].post(
            URL,
            form(z["institution"], z["service"], amount="12000", title="另一合同", invoice_number="FP-0003"),
            "multipart",
        ),
        201,
    )
    check_ledger()


def test_two_bookings_are_two_services_but_an_invoice_is_registered_once(zhejiang, check_ledger):
    z = zhejiang
    enterprise = z["enterprise"]
    first, second = (served(enterprise, z["lab"], z["service"]) for _ in range(2))
    # The same item, name, amount and dates on two bookings: two services.
    a = ok(enterprise.post(URL, form(z["institution"], z["service"], booking=first), format="multipart"), 201)
    b = form(z["institution"], z["service"], booking=second, invoice_number="FP-0002")
    assert ok(enterprise.post(URL, b, format="multipart"), 201)["booking"] == second
    check_ledger()
    # An offline registration with the invoice of a booked one: the same service again.
    before = snapshot()
    offline = enterprise.post(URL, form(z["institution"], z["service"], title="线下合同", amount="5000"), "multipart")
    assert offline.status_code == 400 and a["voucher_number"] in "".join(offline.json()["invoice_number"])
    assert snapshot() == before
    check_ledger()


# --- The page: 使用登记 and 使用记录 ----------------------------------------------------------------

PAGE = "/vouchers/uses/"


def page_form(institution: int, service: int, **over) -> dict:
    data = form(institution, service, **over)
    data["promise"] = "on" if data.get("promise") == "true" else ""
    return {k: v for k, v in data.items() if v != ""}


def test_the_page_registers_a_use_and_lists_it(zhejiang, client, check_ledger):
    from accounts.models import User

    z = zhejiang
    client.force_login(User.objects.get(username="qianjiang"))
    blank = client.get(PAGE)
    text = blank.content.decode()
    assert blank.status_code == 200
    for words in (
        "创新券使用登记",
        "服务方：",
        "服务类别：",
        "合同名称：",
        "合同金额（元）：",
        "合同签订时间：",
        "兑付方：",
        "企业兑付",
        "载体兑付",
        "承诺",
        "使用记录",
        "暂无使用记录",
    ):
        assert words in text, words
    # The picker lists the chosen provider's services only.
    listed = client.get(PAGE, {"institution": z["institution"]}).content.decode()
    assert "材料成分全分析" in listed
    # The wallet and the home page link to it.
    assert PAGE in client.get("/vouchers/wallet/").content.decode()
    assert PAGE in client.get("/").content.decode()

    # Errors: shown in Chinese, status 400, nothing changed.
    before = snapshot()
    refused = client.post(PAGE, page_form(z["institution"], z["service"], promise="false", payee_choice=""))
    body = refused.content.decode()
    assert refused.status_code == 400 and "请阅读并勾选承诺条款" in body and "请选择兑付方" in body
    refused = client.post(PAGE, page_form(z["institution"], z["service"], amount="300000"))
    assert refused.status_code == 400 and "超过剩余额度" in refused.content.decode()
    refused = client.post(
        PAGE, page_form(z["institution"], z["service"], contract_file=factories.fake_pdf_executable("c.pdf"))
    )
    assert refused.status_code == 400 and "文件内容不是允许的类型" in refused.content.decode()
    assert snapshot() == before

    done = client.post(PAGE, page_form(z["institution"], z["service"]), follow=True)
    text = done.content.decode()
    use = VoucherUse.objects.get()
    # The new use's page, with its next step: the institution confirms, then 申请兑付.
    assert done.redirect_chain == [(f"/vouchers/{use.voucher_id}/use/#next-step", 302)]
    assert done.status_code == 200 and "使用登记已提交" in text and "20,000.00" in text
    assert "材料成分分析技术服务合同" in text and use.voucher.number in text
    assert "下一步：等待服务方 贺兰山分析测试中心 确认用券，之后可" in text
    assert "可以<a" not in text  # not offered 申请兑付 before the confirmation
    assert "待服务方确认" in client.get(PAGE).content.decode()  # and listed under 使用记录
    check_ledger()


def test_a_registration_paid_to_the_institution_says_the_institution_redeems(zhejiang, client):
    z = zhejiang
    client.force_login(User.objects.get(username="qianjiang"))
    done = client.post(PAGE, page_form(z["institution"], z["service"], payee_choice="institution"), follow=True)
    text = done.content.decode()
    use = VoucherUse.objects.get()
    assert done.redirect_chain == [(f"/vouchers/{use.voucher_id}/use/#next-step", 302)]
    assert "使用登记已提交" in text and "下一步：载体兑付，由服务方 贺兰山分析测试中心 申请兑付" in text
    assert "等待服务方" not in text


def test_after_the_confirmation_the_enterprise_is_offered_the_redemption(zhejiang, client):
    z = zhejiang
    client.force_login(User.objects.get(username="qianjiang"))
    client.post(PAGE, page_form(z["institution"], z["service"]))
    use = VoucherUse.objects.get()
    ok(z["lab"].post(f"/api/vouchers/{use.voucher_id}/confirm-use/"))
    text = client.get(f"/vouchers/{use.voucher_id}/use/").content.decode()
    assert "下一步：等待服务方" not in text and "可以<a" in text and "申请兑付" in text


def test_the_page_refuses_outsiders(zhejiang, client):
    from accounts.models import User

    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    for name in ("ivan_lab", "bob", "olivia", "cecilia"):
        client.force_login(User.objects.get(username=name))
        assert client.get(PAGE).status_code == 403
        z = zhejiang
        assert client.post(PAGE, page_form(z["institution"], z["service"])).status_code == 403
    assert VoucherUse.objects.count() == 0


def test_the_page_offers_the_enterprises_bookings_and_registers_one(zhejiang, client, check_ledger):
    z = zhejiang
    mallory = login("mallory")
    theirs = served(mallory, z["lab"], z["service"])
    booking = served(z["enterprise"], z["lab"], z["service"])
    client.force_login(User.objects.get(username="qianjiang"))
    # Arriving from the booking's 下一步 link: the booking chosen, its provider and item filled in.
    text = client.get(PAGE, {"booking": booking}).content.decode()
    assert "预约记录" in text and f'<option value="{booking}" selected>' in text
    assert f'name="institution" value="{z["institution"]}"' in text and 'value="40000' in text
    assert f'<option value="{theirs}"' not in text
    # A booking still in service is not offered yet, and the page says why.
    waiting = booked(z["enterprise"], z["lab"], z["service"])
    text = client.get(PAGE, {"booking": waiting}).content.decode()
    assert "服务尚未完成" in text and f'<option value="{waiting}"' not in text
    # Another enterprise's booking is not a choice: 400, nothing written.
    before = snapshot()
    refused = client.post(PAGE, page_form(z["institution"], z["service"], booking=theirs))
    assert refused.status_code == 400 and "不是本单位可登记使用的预约" in refused.content.decode()
    assert snapshot() == before
    done = client.post(PAGE, page_form("", "", booking=booking), follow=True)
    text = done.content.decode()
    assert done.status_code == 200 and "使用登记已提交" in text and "预约" in text
    assert Contract.objects.get(booking_id=booking).voucher.use.payee_choice == "enterprise"
    # Registered: no longer offered.
    assert f'<option value="{booking}"' not in client.get(PAGE).content.decode()
    check_ledger()


@pytest.mark.django_db(transaction=True)
def test_racing_registrations_of_one_booking_make_one_voucher(ningxia, check_ledger):
    import datetime as dt

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from catalog import services as catalog
    from tests.vouchers.test_province_schemes import _race
    from vouchers.entitlements import services as entitlements
    from vouchers.policies.presets import install_preset
    from vouchers.settlement import registration

    install_preset(key="zhejiang", year=timezone.localdate().year)
    user = factories.applicant_user(username="racer", adcode=XINGQING)
    entitlements.claim_amount(by=user, amount="50000")
    lab = factories.listed_institution(username="lab")
    item = factories.approved_item(lab, kind="service")
    booking = catalog.booking_request_quantity(item=item, by=user, quantity=D("2"))  # 1,600
    booking = catalog.booking_answer(booking=booking, by=lab, accept=True)
    booking = catalog.booking_start(booking=booking, by=lab)
    booking = catalog.booking_complete(booking=booking, by=lab)
    today = timezone.localdate()

    def register(n: int):
        reg = registration.Registration(
            booking=booking,
            category="检验检测",
            title=f"水质分析合同{n}",
            amount=D("1600"),
            signed_on=today - dt.timedelta(days=3),
            completed_on=today,
            payee_choice="enterprise",
            contract_file=factories.pdf_upload("c.pdf"),
            invoice_file=factories.pdf_upload("i.pdf"),
            result_file=factories.pdf_upload("r.pdf"),
            invoice_number=f"FP-{n}",
            promise=True,
        )
        registration.register_use(by=user, reg=reg)

    errors = _race(register, [1, 2])
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert "该预约已登记使用" in str(errors[0])
    assert Contract.objects.filter(enterprise=user.organisation).count() == 1
    assert Contract.objects.get(enterprise=user.organisation).booking_id == booking.pk
    check_ledger()


# --- The institution's to-do: 待确认的企业兑付用券 ---------------------------------------------------

TODO = "待确认的企业兑付用券"
MARK = re.compile(r'<a class="badge to-confirm" href="/vouchers/(\d+)/use/"')
ROW = re.compile(r'<td><a href="/vouchers/(\d+)/" class="mono">')


def test_the_institutions_to_do_links_to_exactly_the_uses_it_has_to_confirm(zhejiang, client):
    z = zhejiang
    made = [
        ok(
            z["enterprise"].post(
                URL,
                form(
                    z["institution"],
                    z["service"],
                    title=f"合同{i}",
                    invoice_number=f"FP-{i}",
                    amount="5000",
                    payee_choice=choice,
                ),
                format="multipart",
            ),
            201,
        )
        for i, choice in enumerate(["enterprise", "enterprise", "enterprise", "institution"])
    ]
    ok(z["lab"].post(f"/api/vouchers/{made[0]['voucher']}/confirm-use/"))  # confirmed: no longer waiting
    waiting = {str(made[1]["voucher"]), str(made[2]["voucher"])}

    lab = User.objects.get(username="ivan_lab")
    count, url, _ = tasks(client, lab)[TODO]
    assert count == 2 and url == "/vouchers/?todo=confirm_use"
    text = client.get(url).content.decode()
    assert set(ROW.findall(text)) == waiting and set(MARK.findall(text)) == waiting
    assert f"仅显示首页待办“{TODO}”：共 2 张" in text
    # The whole list marks the same two rows among the four.
    text = client.get("/vouchers/").content.decode()
    assert len(set(ROW.findall(text))) == 4 and set(MARK.findall(text)) == waiting
    # Once confirmed, a use leaves the to-do and the page together.
    ok(z["lab"].post(f"/api/vouchers/{made[1]['voucher']}/confirm-use/"))
    assert tasks(client, lab)[TODO][0] == 1
    assert set(ROW.findall(client.get(url).content.decode())) == {str(made[2]["voucher"])}

    # Outsiders: the enterprise that holds the vouchers, another institution, the operator —
    # no such to-do, and the filter shows them nothing (not the whole list).
    other = factories.listed_institution(username="other_lab", name="六盘山检测中心")
    for user in (
        User.objects.get(username="qianjiang"),
        other,
        User.objects.get(username="olivia"),
    ):
        assert TODO not in tasks(client, user)
        text = client.get(url).content.decode()
        assert ROW.findall(text) == [] and MARK.findall(text) == [] and f"没有{TODO}" in text
