"""A deployment shows its own province's words (SPEC §11, issue #12): the county review level
(推荐部门 in Ningxia, 科技主管部门 in Jiangsu …), the provincial budget (自治区预算 / 省级预算),
the year's real review chain in the contract PDF and the voucher list, and histories that
name organisations and roles, not login names."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import province
from tests import factories
from vouchers import settlement
from vouchers.contracts import services
from vouchers.contracts.documents import render_contract_html
from vouchers.models import Reviewer
from vouchers.names import contract_status_label, level_name
from vouchers.policies.schemes import chain_text, parse_chain

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("adcode", "bureau", "budget"),
    [
        (640000, "推荐部门", "自治区预算"),
        (410000, "市县科技主管部门", "省级预算"),
        (320000, "科技主管部门", "省级预算"),
    ],
)
def test_each_province_ships_its_own_level_and_budget_names(settings, adcode, bureau, budget):
    settings.PLATFORM_PROVINCE = adcode
    profile = province.current()
    assert (profile.bureau_title, profile.budget_name) == (bureau, budget)
    assert level_name(Reviewer.BUREAU) == bureau
    assert contract_status_label("at_bureau") == f"待{bureau}审核"
    assert chain_text(["bureau", "operator"]) == f"{bureau}→运营单位"


def test_the_chain_is_read_in_the_generic_and_the_provinces_words(settings, cecilia):
    settings.PLATFORM_PROVINCE = 330000  # Zhejiang: 科技部门
    assert parse_chain("科技部门→运营单位") == parse_chain("推荐部门→运营单位") == ["bureau", "operator"]
    province.profile_save(by=cecilia, data={"bureau_title": "县（市、区）科技局"})
    assert parse_chain("县（市、区）科技局→创业中心") == ["bureau", "centre"]
    assert chain_text(["bureau", "centre"]) == "县（市、区）科技局→省科技厅"  # Zhejiang's centre


def test_a_jiangsu_deployment_names_its_level_budget_and_chain_everywhere(
    settings, client, api_as, alice, bob, cecilia, ivan_lab
):
    # a three-level chain, so the bureau's name shows (named without Ningxia: the PDF cites it)
    policy = factories.ningxia_policy(name="科技创新券（按合同）")
    settings.PLATFORM_PROVINCE = 320000
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")

    # The PDF describes this year's chain and the province's "in/out of region", not Ningxia's.
    html = render_contract_html(contract)
    assert "科技主管部门→运营单位→省统筹中心审核通过后" in html and "省内服务机构" in html
    assert "推荐部门" not in html and "自治区" not in html

    services.contract_submit(contract=contract, by=alice)
    client.force_login(alice)
    detail = text(client.get(reverse("vouchers:contract", args=[contract.pk])))
    assert "待科技主管部门审核" in detail and "等待科技主管部门审核" in detail and "推荐部门" not in detail
    assert api_as(alice).get(f"/api/contracts/{contract.pk}/").json()["status_label"] == "待科技主管部门审核"
    listing = text(client.get(reverse("vouchers:list")))
    assert "合同经科技主管部门→运营单位→省统筹中心审核通过后生成创新券" in listing and "推荐部门" not in listing

    services.contract_review(contract=contract, by=bob, approve=True, note="同意")
    detail = text(client.get(reverse("vouchers:contract", args=[contract.pk])))
    assert f"{bob.organisation.name}（科技主管部门）" in detail
    events = api_as(alice).get(f"/api/contracts/{contract.pk}/events/").json()
    assert events[-1]["actor"] == f"{bob.organisation.name}（科技主管部门）" and events[-1]["actor_username"] is None

    settlement.budget_set(by=cecilia, year=policy.year, amount=Decimal("100000"))
    client.force_login(cecilia)
    budget = text(client.get(reverse("vouchers:budget"), {"year": policy.year}))
    assert "省级预算" in budget and "自治区预算" not in budget


def test_histories_show_organisations_and_roles_and_login_names_only_to_the_centre(
    client, alice, bob, cecilia, ivan_lab, mallory
):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    services.contract_submit(contract=contract, by=alice)
    services.contract_review(contract=contract, by=bob, approve=True, note="同意")
    url = reverse("vouchers:contract", args=[contract.pk])

    client.force_login(alice)
    own = text(client.get(url))
    assert f"{bob.organisation.name}（推荐部门）" in own and f"{alice.organisation.name}（创新主体）" in own
    assert "· bob<" not in own

    client.force_login(cecilia)
    assert "· bob<" in text(client.get(url))

    client.force_login(mallory)  # an outsider sees neither the contract nor its history
    assert client.get(url).status_code == 404


def test_the_centre_renames_the_level_on_its_profile_page_and_pages_follow(client, alice, cecilia, ivan_lab):
    factories.ningxia_policy()
    client.force_login(cecilia)
    form = text(client.get(reverse("accounts:province")))
    assert 'name="bureau_title"' in form and 'value="推荐部门"' in form
    data = {name: getattr(province.current(), name) for name in province.EDITABLE}
    data.update(bureau_title="县（区）科技局", sms_notifications="")
    response = client.post(reverse("accounts:province"), data)
    assert response.status_code == 302
    contract = factories.ready_contract(alice, ivan_lab, price="20000", quantity="1")
    services.contract_submit(contract=contract, by=alice)
    client.force_login(alice)
    assert "待县（区）科技局审核" in text(client.get(reverse("vouchers:contract", args=[contract.pk])))


def test_only_the_centre_renames_the_level(client, api_as, alice, bob, olivia):
    data = {name: getattr(province.current(), name) for name in province.EDITABLE} | {"bureau_title": "外人"}
    for user in (alice, bob, olivia):
        client.force_login(user)
        assert client.post(reverse("accounts:province"), data).status_code == 403
        assert api_as(user).put("/api/province/", data, format="json").status_code == 403
    assert province.current().bureau_title == "推荐部门"


def test_the_migration_gives_existing_profiles_their_centres_short_name(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("accounts", "0008_plain_province_labels")], [("accounts", "0009_province_centre_title")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "ProvinceProfile")
    common = {"platform_name": "p", "department_name": "d", "centre_name": "c", "operator_name": "o"}
    common |= {"rules_title": "r", "number_prefix": "XX", "mail_subject": "m", "pledge_items": "x"}
    rows = {
        adcode: old.objects.create(adcode=adcode, province_name="p", short_name="s", region_word=word, **common).pk
        for adcode, word in ((640000, "区"), (410000, "省"), (320000, "省"), (450000, "区"))
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("accounts", "ProvinceProfile")
    titles = {adcode: new.objects.get(pk=pk).centre_title for adcode, pk in rows.items()}
    assert titles == {640000: "创业中心", 410000: "省科技厅", 320000: "省统筹中心", 450000: "区科技厅"}
    new.objects.filter(pk__in=rows.values()).delete()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)
