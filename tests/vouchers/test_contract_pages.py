"""The contract page tells each viewer what to do next and offers only what they can do.

Personas: Alice (certified enterprise in 兴庆区) holds the contract with Ivan's lab; Bob is
兴庆区's bureau (first reviewer), Charlie 西夏区's (an outsider), Olivia the operator, Cecilia
the centre; Mallory an unrelated enterprise.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from vouchers.contracts import services
from vouchers.models import ContractStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    return factories.ningxia_policy()


@pytest.fixture
def pledged(alice, ivan_lab, policy):
    """Alice's draft with the pledge signed and no stamped scan yet."""
    booking = factories.accepted_booking(alice, ivan_lab, price="20000", quantity="2")
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    return services.contract_accept_pledge(contract=contract, by=alice)


def body(response) -> str:
    return response.content.decode()


def submit_button(html: str) -> str:
    """The submit step's button tag."""
    step = html[html.index('id="step-submit"') :]
    return re.search(r"<button[^>]*>", step).group(0)


def url(contract, name: str = "contract") -> str:
    return reverse(f"vouchers:{name}", args=[contract.pk])


def test_without_the_scan_the_submit_button_is_disabled_and_says_why(client, alice, pledged):
    client.force_login(alice)
    html = body(client.get(url(pledged)))
    assert "disabled" in submit_button(html)
    assert 'aria-describedby="submit-blockers"' in submit_button(html)
    blockers = html[html.index('id="submit-blockers"') :]
    assert '<a href="#step-scan">须上传盖章后的合同扫描件</a>' in blockers
    # The pre-check panel does not say all is well while a step is missing.
    panel = html[html.index('id="precheck"') : html.index("</section>", html.index('id="precheck"'))]
    assert "还有 1 项未完成" in panel and "必备条件全部通过" not in panel
    assert "须上传盖章后的合同扫描件" in panel
    # The next step is named near the top, linking to the step.
    assert html.index('id="next-step"') < html.index('class="contract-layout"')
    assert 'href="#step-scan"' in html[html.index('id="next-step"') :][:400]


def test_a_refused_submit_lands_on_the_error_next_to_the_step(client, alice, pledged):
    client.force_login(alice)
    response = client.post(url(pledged, "contract_submit"))
    assert response.status_code == 400
    html = body(response)
    # The form posts to the step's anchor, so the browser shows the refusal where the user acted.
    assert f'action="{url(pledged, "contract_submit")}#step-submit"' in html
    error = re.search(r'<div class="banner error submit-errors"[^>]*>', html).group(0)
    assert 'role="alert"' in error
    step = html[html.index('id="step-submit"') :]
    assert "自动初审未通过" in step and "须上传盖章后的合同扫描件" in step
    pledged.refresh_from_db()
    assert pledged.status == ContractStatus.DRAFT


def test_a_refused_scan_upload_shows_its_error_at_the_scan_step(client, alice, pledged):
    client.force_login(alice)
    response = client.post(url(pledged, "contract_scan_upload"), {"scan": factories.fake_pdf_executable()})
    assert response.status_code == 400
    html = body(response)
    scan_step = html[html.index('id="step-scan"') : html.index('id="step-attachment"')]
    assert 'class="step-errors" role="alert"' in scan_step and "文件内容不是允许的类型" in scan_step
    assert f'action="{url(pledged, "contract_scan_upload")}#step-scan"' in html


def test_once_pledge_and_scan_are_done_the_button_is_enabled(client, alice, pledged):
    services.contract_upload_scan(contract=pledged, by=alice, upload=factories.pdf_upload("signed.pdf"))
    client.force_login(alice)
    html = body(client.get(url(pledged)))
    assert "disabled" not in submit_button(html)
    assert 'id="submit-blockers"' not in html
    assert "必备条件全部通过，可以提交审核" in html
    assert "各项已完成，可以提交审核" in html


def test_without_the_pledge_both_steps_are_listed(client, alice, ivan_lab, policy):
    booking = factories.accepted_booking(alice, ivan_lab)
    contract = services.contract_open_from_booking(booking=booking, by=alice)
    client.force_login(alice)
    html = body(client.get(url(contract)))
    blockers = html[html.index('id="submit-blockers"') :]
    assert '<a href="#step-pledge">须先同意诚信承诺书</a>' in blockers
    assert '<a href="#step-scan">须上传盖章后的合同扫描件</a>' in blockers
    assert "还有 2 项未完成" in html and "disabled" in submit_button(html)


# --- Each role sees only what it can use ------------------------------------------------------

ACTION_FORMS = ("contract_pledge", "contract_scan_upload", "contract_attachment_add", "contract_submit")


def forms_on(html: str, contract) -> set[str]:
    return {name for name in (*ACTION_FORMS, "contract_review") if f'action="{url(contract, name)}' in html}


def test_under_review_each_role_sees_only_its_own_next_action(
    client, alice, bob, charlie, olivia, cecilia, ivan_lab, mallory, policy
):
    contract = factories.ready_contract(alice, ivan_lab)
    services.contract_submit(contract=contract, by=alice)

    client.force_login(alice)
    html = body(client.get(url(contract)))
    assert forms_on(html, contract) == set() and "修改合同" not in html
    assert "等待推荐部门审核" in html

    client.force_login(bob)
    html = body(client.get(url(contract)))
    assert forms_on(html, contract) == {"contract_review"}
    assert "轮到您审核本合同" in html and 'href="#review"' in html

    for waiting in (olivia, cecilia, ivan_lab):
        client.force_login(waiting)
        html = body(client.get(url(contract)))
        assert forms_on(html, contract) == set(), waiting.username
        assert "修改合同" not in html and "轮到您审核" not in html
        assert "等待推荐部门审核" in html

    for outsider in (charlie, mallory):
        client.force_login(outsider)
        assert client.get(url(contract)).status_code == 404
        assert client.post(url(contract, "contract_review"), {"decision": "approve"}).status_code == 404


def test_the_owner_of_a_draft_sees_the_steps_and_no_review(client, alice, bob, mallory, pledged):
    client.force_login(alice)
    html = body(client.get(url(pledged)))
    assert forms_on(html, pledged) == {"contract_scan_upload", "contract_attachment_add", "contract_submit"}
    client.force_login(bob)  # drafts are the applicant's own until submitted
    assert client.get(url(pledged)).status_code == 404
    client.force_login(mallory)
    assert client.get(url(pledged)).status_code == 404
    assert client.post(url(pledged, "contract_submit")).status_code == 404


def test_after_the_last_review_everyone_is_pointed_at_the_voucher(
    client, alice, bob, olivia, cecilia, ivan_lab, policy
):
    contract = factories.ready_contract(alice, ivan_lab)
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    for user, link in ((alice, "用券支付"), (cecilia, "查看创新券")):  # the holder is led to pay
        client.force_login(user)
        html = body(client.get(url(contract)))
        assert forms_on(html, contract) == set()
        assert link in html and "已生成创新券" in html


# --- The offline-contract form lists the chosen institution's services only -------------------


def service_options(html: str) -> list[str]:
    select = html[html.index('name="service"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="(\d+)"', select)


def test_the_offline_form_lists_only_the_chosen_institutions_services(client, alice, ivan_lab, olivia, policy):
    mine = factories.approved_item(ivan_lab, kind="service", name="水质全分析", operator=olivia)
    other = factories.listed_institution(username="other_lab", name="鼓楼检测所", lng=106.29, lat=38.472)
    theirs = factories.approved_item(other, kind="service", name="土壤检测", operator=olivia)
    client.force_login(alice)

    html = body(client.get(reverse("vouchers:contract_new")))
    assert service_options(html) == []  # nothing listed before an institution is chosen
    picker = html[html.index('id="pick-institution"') :]
    assert 'method="get"' in html[html.index('<form method="get" class="form pick-institution"') :][:80]
    assert "鼓楼检测所" in picker and ivan_lab.organisation.name in picker

    html = body(client.get(reverse("vouchers:contract_new"), {"institution": ivan_lab.organisation_id}))
    assert service_options(html) == [str(mine.pk)]
    assert f'<option value="{ivan_lab.organisation_id}" selected>' in html
    assert f'name="institution" value="{ivan_lab.organisation_id}"' in html  # the main form carries the choice
    assert "土壤检测" not in html

    html = body(client.get(reverse("vouchers:contract_new"), {"institution": other.organisation_id}))
    assert service_options(html) == [str(theirs.pk)]
    # Nonsense in the URL lists nothing and is no error.
    for junk in ("abc", "999999", "-1"):
        response = client.get(reverse("vouchers:contract_new"), {"institution": junk})
        assert response.status_code == 200 and service_options(body(response)) == []


def test_an_offline_contract_with_a_service_of_the_chosen_institution(client, alice, ivan_lab, olivia, policy):
    from tests.vouchers.test_pages import contract_form_data

    mine = factories.approved_item(ivan_lab, kind="service", name="水质全分析", operator=olivia)
    client.force_login(alice)
    response = client.post(
        reverse("vouchers:contract_new"), contract_form_data(institution=ivan_lab.organisation_id, service=mine.pk)
    )
    assert response.status_code == 302
    contract = alice.organisation.contracts.get()
    assert contract.service_id == mine.pk and contract.institution_id == ivan_lab.organisation_id


def test_the_offline_form_without_an_institution_says_so_next_to_the_picker(client, alice, policy):
    from tests.vouchers.test_pages import contract_form_data

    client.force_login(alice)
    response = client.post(reverse("vouchers:contract_new"), contract_form_data())
    html = body(response)
    assert response.status_code == 200 and "请选择服务机构。" in html
    assert html.index("请选择服务机构。") < html.index('class="form contract-form"')
    assert "Hidden field" not in html and "隐藏字段" not in html


# --- Policy pages: rates as percentages, quotas as fields ------------------------------------


def test_the_policy_list_shows_rates_as_percentages(client, cecilia, policy):
    client.force_login(cecilia)
    html = body(client.get(reverse("vouchers:policies")))
    assert "≤100000 元：50%" in html and "以上：15%" in html
    assert "0.50" not in html and "0.1500" not in html


def test_the_centre_sets_quotas_in_fields_not_json(client, cecilia, policy):
    from tests.vouchers.test_pages import tier_post

    client.force_login(cecilia)
    url = reverse("vouchers:policy_edit", args=[policy.pk])
    html = body(client.get(url))
    assert "JSON" not in html and 'name="quota"' not in html
    assert 'name="quota_default"' in html and 'name="quota_kind_high_tech"' in html
    assert 'name="quota_city_640100"' in html and "银川市（元）" in html
    # Rates are typed and shown in per cent: the saved tiers 50% / 30% / 15%.
    assert 'name="tiers-0-rate" value="50"' in html and 'name="tiers-2-rate" value="15"' in html
    assert 'name="subsidy_rate_public" value="50"' in html

    data = tier_post(
        policy,
        [("100000", "50"), ("", "15")],
        quota_default="100000",
        quota_kind_high_tech="200000",
        quota_city_640100="150000.50",
    )
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.quota == {
        "default": "100000",
        "by_qualification": {"high_tech": "200000"},
        "by_city": {"640100": "150000.5"},
    }
    html = body(client.get(url))
    assert 'name="quota_city_640100" value="150000.5"' in html

    # Emptied fields remove the quotas.
    assert client.post(url, tier_post(policy, [("100000", "50"), ("", "15")])).status_code == 302
    policy.refresh_from_db()
    assert policy.quota == {}


def test_a_quota_for_a_city_outside_the_regions_is_kept(client, cecilia, policy):
    from tests.vouchers.test_pages import tier_post

    policy.quota = {"default": "100000", "by_city": {"320300": "140000"}}
    policy.save()
    client.force_login(cecilia)
    url = reverse("vouchers:policy_edit", args=[policy.pk])
    html = body(client.get(url))
    assert "地区代码 320300（元）" in html and 'name="quota_city_320300" value="140000"' in html
    data = tier_post(policy, [("", "50")], quota_default="100000", quota_city_320300="140000")
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.quota == {"default": "100000", "by_city": {"320300": "140000"}}


def test_rates_are_typed_in_per_cent_and_stored_as_fractions(client, cecilia, policy):
    from tests.vouchers.test_pages import tier_post

    client.force_login(cecilia)
    url = reverse("vouchers:policy_edit", args=[policy.pk])
    data = tier_post(policy, [("100000", "50"), ("", "12.5")], county_topup_rate="12.5", subsidy_rate_social="25")
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.tiers == [["100000", "0.5"], [None, "0.125"]]
    assert (policy.county_topup_rate, policy.subsidy_rate_social) == (Decimal("0.1250"), Decimal("0.2500"))
    html = body(client.get(url))
    assert 'name="county_topup_rate" value="12.5"' in html and 'name="tiers-1-rate" value="12.5"' in html
    html = body(client.get(reverse("vouchers:policies")))
    assert "以上：12.5%" in html and "12.5%</td>" in html


def test_the_contract_list_marks_what_waits_for_the_viewer(client, alice, bob, olivia, ivan_lab, pledged):
    waiting = factories.ready_contract(alice, ivan_lab, price="10000", quantity="1", name="元素分析")
    services.contract_submit(contract=waiting, by=alice)
    client.force_login(alice)
    html = body(client.get(reverse("vouchers:contracts")))
    assert f'href="{url(pledged)}#step-submit">待您提交</a>' in html
    assert ">待您审核</a>" not in html
    client.force_login(bob)
    html = body(client.get(reverse("vouchers:contracts")))
    assert f'href="{url(waiting)}#review">待您审核</a>' in html and "待您提交" not in html
    client.force_login(olivia)  # the operator's turn comes after the bureau's
    html = body(client.get(reverse("vouchers:contracts")))
    assert '#review">待您审核</a>' not in html and "待您提交" not in html


def test_a_rule_of_the_contracts_content_points_to_the_edit_form(client, alice, pledged):
    services.contract_update(contract=pledged, by=alice, data={"mandatory_testing": True})
    client.force_login(alice)
    html = body(client.get(url(pledged)))
    blockers = html[html.index('id="submit-blockers"') :]
    assert f'<a href="{url(pledged, "contract_edit")}">强制性/法定/商业检验</a>' in blockers
    assert "还有 2 项未完成" in html and "disabled" in submit_button(html)
