"""The payout batch list (``/vouchers/batches/``): the newest batch first, and an intro that
states the year's payout cycle as the scheme has it (SPEC §10 "batches"): Ningxia monthly
with an optional notice, Henan's quarterly summary with experts, finance and notice,
Jiangsu monthly with a notice, Zhejiang paid on the local bureau's approval."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.vouchers.test_payouts import confirmed
from vouchers import settlement
from vouchers.models import PayoutCycle
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
URL = "/vouchers/batches/"


def page_of(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_newest_batch_is_listed_first(clock, policy, alice, bob, olivia, cecilia, ivan_lab):
    year = clock.today().year
    confirmed(alice, bob, olivia, cecilia, ivan_lab)
    older = settlement.batch_create(by=cecilia, year=year, cycle=PayoutCycle.MONTHLY)
    clock.advance(days=31)
    confirmed(alice, bob, olivia, cecilia, ivan_lab, price="10000")
    newer = settlement.batch_create(by=cecilia, year=year, cycle=PayoutCycle.MONTHLY)
    for user in (cecilia, olivia):
        html = page_of(user)
        assert -1 < html.find(newer.number) < html.find(older.number), user.username
    assert "最新的在前" in html


@pytest.mark.parametrize(
    ("preset", "said", "not_said"),
    [
        ("ningxia", ["按月拨付：每月的批次可直接批准拨付，也可先公示", "按季度生成的批次须先公示 5 天"], []),
        (
            "henan",
            ["按季度拨付：每季度结束后 7 个工作日内汇总上季度已确认的兑付申请，经专家评审、科技与财政部门确认后公示"],
            ["按月拨付"],
        ),
        ("jiangsu", ["按月拨付：每月的批次须公示", "期满批准后拨付"], ["可直接批准拨付", "按季度"]),
        (
            "zhejiang",
            ["审核通过兑付申请即从本地区预算拨付", "无需汇总和公示"],
            ["按确认先后纳入批次", "按月", "按季度"],
        ),
    ],
)
def test_the_intro_states_the_years_payout_cycle(clock, cecilia, bob, preset, said, not_said):
    install_preset(key=preset, year=clock.today().year)
    for user in (cecilia, bob) if preset == "zhejiang" else (cecilia,):
        html = page_of(user)
        start = html.find('<p class="hint payout-cycle">')
        intro = html[start : html.find("</p>", html.find("</p>", start) + 1)]  # its two paragraphs
        for words in said:
            assert words in intro, (user.username, words, intro)
        for words in not_said:
            assert words not in intro, (user.username, words, intro)
