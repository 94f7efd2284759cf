"""The deployment's province profile (SPEC §11): a deployment switched by setting shows its
province's names on pages, in the contract PDF, in mail subjects and in new numbers; the
centre edits it; nobody else can."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts import province
from accounts.models import ProvinceProfile
from notifications.services import notify
from notifications.tasks import send_email
from tests import factories
from vouchers.contracts.documents import render_contract_html

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


def test_ningxia_is_the_default_profile(client):
    profile = province.current()
    assert (profile.adcode, profile.number_prefix, profile.whole) == (640000, "NX", "宁夏全区")
    assert "宁夏科技创新券管理服务平台" in page(client.get("/"))


@pytest.mark.parametrize(
    ("adcode", "platform", "prefix", "subject", "whole"),
    [
        (410000, "河南省科研设施与仪器共享服务平台（创新券）", "HA", "[河南省创新券]", "河南全省"),
        (320000, "江苏省科技资源统筹服务云平台（创新券）", "JS", "[江苏省科技创新券]", "江苏全省"),
        (330000, "浙江省科技创新云服务平台（创新券）", "ZJ", "[浙江科技创新券]", "浙江全省"),
    ],
)
def test_a_deployment_switched_by_setting_shows_its_province_everywhere(
    settings, client, alice, ivan_lab, adcode, platform, prefix, subject, whole
):
    factories.ningxia_policy(name="科技创新券（按合同）")  # the flow is not what this test is about
    settings.PLATFORM_PROVINCE = adcode
    home = page(client.get("/"))
    assert platform in home and "宁夏" not in home
    assert whole in page(client.get(reverse("map:map")))

    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    assert contract.number.startswith(f"{prefix}HT")
    html = render_contract_html(contract)
    profile = ProvinceProfile.objects.get(adcode=adcode)
    assert profile.province_name in html and profile.platform_name in html
    # the parties' own addresses (test data in Ningxia) aside, nothing of Ningxia's wording is left
    assert "宁夏回族自治区" not in html and "宁夏科技创新券" not in html

    client.force_login(alice)
    detail = page(client.get(reverse("vouchers:contract", args=[contract.pk])))
    assert profile.department_name in detail and profile.rules_title in detail

    alice.email = "alice@example.com"
    alice.save()
    mail.outbox.clear()
    (notice,) = notify(users=[alice], title="合同已提交")
    send_email(notification_id=notice.pk)  # the worker's task (tests/notifications)
    assert [m.subject for m in mail.outbox] == [f"{subject} 合同已提交"]


def test_the_pdf_pledge_is_the_profiles_pledge(alice, ivan_lab, cecilia):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    province.profile_save(by=cecilia, data={"pledge_items": "第一条承诺。\n服务完成后 {证明期限} 个工作日内提交证明。"})
    html = render_contract_html(contract)
    assert "一、第一条承诺。" in html
    assert f"二、服务完成后 {contract.policy.proof_workdays} 个工作日内提交证明。" in html


def test_the_centre_edits_the_profile_on_its_page_and_new_numbers_follow(client, alice, ivan_lab, cecilia):
    factories.ningxia_policy()
    before = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    client.force_login(cecilia)
    url = reverse("accounts:province")
    form = page(client.get(url))
    assert "平台信息设置" in form and "宁夏回族自治区科技创业服务中心" in form
    data = {name: getattr(province.current(), name) for name in province.EDITABLE}
    data.update(platform_name="宁夏科技创新券服务平台（测试）", number_prefix="nq")
    response = client.post(url, data)
    assert response.status_code == 302
    assert "宁夏科技创新券服务平台（测试）" in page(client.get("/"))
    after = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    before.refresh_from_db()
    assert before.number.startswith("NXHT") and after.number.startswith("NQHT")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number_prefix", "N1", "number_prefix"),
        ("pledge_items", "  \n ", "承诺事项至少一条"),
        ("platform_name", "", "这个字段是必填项"),
    ],
)
def test_a_bad_profile_is_refused_with_a_chinese_message_and_nothing_changes(client, cecilia, field, value, message):
    client.force_login(cecilia)
    data = {name: getattr(province.current(), name) for name in province.EDITABLE}
    data[field] = value
    response = client.post(reverse("accounts:province"), data)
    assert response.status_code == 400
    body = page(response)
    assert message in body or "编号前缀" in body
    assert getattr(province.current(), field) != value


def test_outsiders_cannot_edit_the_profile(client, api, api_as, alice, bob, olivia, ivan):
    url = reverse("accounts:province")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for user in (alice, bob, olivia, ivan):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"platform_name": "X"}).status_code == 403
        assert api_as(user).put("/api/province/", {"platform_name": "X"}, format="json").status_code in (400, 403)
    api.credentials()
    assert api.put("/api/province/", {"platform_name": "X"}, format="json").status_code == 401
    assert province.current().platform_name == "宁夏科技创新券管理服务平台"


def test_the_api_reads_the_profile_for_anyone_and_the_centre_writes_it(api, api_as, cecilia):
    body = api.get("/api/province/").json()
    assert (body["adcode"], body["number_prefix"]) == (640000, "NX")
    body.update(mail_subject="[宁夏创新券]")
    response = api_as(cecilia).put("/api/province/", body, format="json")
    assert response.status_code == 200, response.content
    assert province.current().mail_subject == "[宁夏创新券]"
    bad = api_as(cecilia).put("/api/province/", {**body, "number_prefix": "toolong"}, format="json")
    assert bad.status_code == 400 and province.current().number_prefix == "NX"


def test_a_fifth_province_is_a_record_built_from_its_region_name(settings):
    settings.PLATFORM_PROVINCE = 610000  # 陕西省: no preset, no region data needed for the words
    profile = province.current()
    assert profile.number_prefix == "SN" and profile.region_word == "省"
    assert profile.platform_name.endswith("科技创新券管理服务平台")


def test_henans_pledge_leaves_the_proofs_to_the_institution():
    """In Henan the institution uploads the report and invoice; the applicant confirms the
    result and rates the institution and the platform — its pledge says so."""
    henan = province.defaults_for(410000)["pledge_items"]
    ningxia = province.defaults_for(640000)["pledge_items"]
    assert "付款凭证与服务成果" in ningxia and "付款凭证与服务成果" not in henan
    assert "核对服务机构上传的订单结果" in henan and "省平台本次服务" in henan
    assert henan.count("\n") == ningxia.count("\n")  # the same seven commitments
