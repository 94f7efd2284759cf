"""The centre names the voucher states on the policy page ("状态=名称" per line; Henan's
未支付 … 兑付失败); bad lines are Chinese form errors and change nothing; only the centre."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.vouchers.test_pages import tier_post
from vouchers.models import Policy

pytestmark = pytest.mark.django_db

TIERS = [("100000", "50"), ("500000", "30"), ("", "15")]


def edit(client, policy, labels: str):
    return client.post(
        reverse("vouchers:policy_edit", args=[policy.pk]), tier_post(policy, TIERS, voucher_labels_text=labels)
    )


def test_the_centre_names_the_voucher_states_and_lists_show_them(client, cecilia, policy):
    client.force_login(cecilia)
    response = edit(client, policy, "已生效=未支付\n已使用 = 已支付\nredeeming=已支付\n兑付退回＝兑付失败\n")
    assert response.status_code == 302, response.content.decode()
    policy.refresh_from_db()
    assert policy.voucher_labels == {
        "issued": "未支付",
        "used": "已支付",
        "redeeming": "已支付",
        "redemption_failed": "兑付失败",
    }
    page = client.get(reverse("vouchers:policy_edit", args=[policy.pk])).content.decode()
    assert "已生效=未支付\n已使用=已支付\n兑付中=已支付\n兑付退回=兑付失败" in page
    assert edit(client, policy, "").status_code == 302  # empty: every state keeps its default name
    policy.refresh_from_db()
    assert policy.voucher_labels == {}


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ("已生效未支付", "须写成“状态=名称”"),
        ("作废=已作废", "未知的创新券状态“作废”"),
        ("已生效=未支付\nissued=待使用", "状态“issued”重复"),
        ("已生效=", "名称须为 1–20 个字"),
        ("已生效=" + "长" * 21, "名称须为 1–20 个字"),
    ],
)
def test_a_bad_state_name_is_a_chinese_form_error_and_nothing_changes(client, cecilia, policy, labels, message):
    before = Policy.objects.values().get(pk=policy.pk)
    client.force_login(cecilia)
    response = edit(client, policy, labels)
    assert response.status_code in (200, 400) and message in response.content.decode()
    assert Policy.objects.values().get(pk=policy.pk) == before


def test_only_the_centre_names_the_states(client, alice, bob, olivia, ivan_lab, policy):
    for user in (alice, bob, olivia, ivan_lab):
        client.force_login(user)
        assert edit(client, policy, "已生效=未支付").status_code == 403
    policy.refresh_from_db()
    assert policy.voucher_labels == {}
