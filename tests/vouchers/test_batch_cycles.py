"""The centre's batch form (``/vouchers/batches/``) and ``POST /api/batches/`` offer only the
cadences of the year's scheme (SPEC §10 "batches", walk 5 finding 9): Ningxia monthly, or
quarterly with a notice (no expert review); Henan its quarterly summary with experts only;
Jiangsu monthly with a notice only; Zhejiang none (its bureaus' approval makes the batch).
Another cadence is refused with a 400 in Chinese and no batch is made."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.vouchers.test_batch_list_page import page_of
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_payouts import confirmed
from vouchers.models import PayoutBatch
from vouchers.policies.presets import install_preset

pytestmark = pytest.mark.django_db
URL = "/vouchers/batches/"


def form_of(user) -> str:
    html = page_of(user)
    start = html.find('<section class="box" id="create">')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_ningxia_offers_monthly_or_quarterly_with_notice_only(clock, policy, alice, bob, olivia, cecilia, ivan_lab):
    year = clock.today().year
    confirmed(alice, bob, olivia, cecilia, ivan_lab)
    form = form_of(cecilia)
    assert '<option value="monthly"' in form and "按季度（公示）" in form and "专家评审" not in form
    assert form_of(olivia) == ""  # the operator reads the batches, the centre makes them
    body = ok(login("cecilia").post("/api/batches/", {"year": year, "cycle": "quarterly"}, format="json"), 201)
    assert body["available_moves"] == ["notice"]  # a quarterly batch is noticed; no expert step


@pytest.mark.parametrize(
    ("preset", "offered", "refused", "shown"),
    [
        ("henan", "按季度（专家评审+公示）", "monthly", "按季度（专家评审+公示）"),
        ("jiangsu", "按月（公示）", "quarterly", "按月（公示）"),
    ],
)
def test_a_cadence_outside_the_scheme_is_refused(
    clock, policy, alice, bob, olivia, cecilia, ivan_lab, mallory, preset, offered, refused, shown
):
    year = clock.today().year
    confirmed(alice, bob, olivia, cecilia, ivan_lab)  # one redemption waiting for a batch
    install_preset(key=preset, year=year)
    form = form_of(cecilia)
    assert offered in form and f'<option value="{refused}"' not in form
    assert ("按月" in form) is (preset == "jiangsu") and ("按季度" in form) is (preset == "henan")

    response = login("cecilia").post("/api/batches/", {"year": year, "cycle": refused}, format="json")
    assert response.status_code == 400
    assert f"{year} 年度方案的拨付周期为：{shown}，不能生成其他周期的批次。" in response.content.decode()
    client = Client()
    client.force_login(cecilia)
    response = client.post(URL, {"year": year, "cycle": refused})
    assert response.status_code == 400 and "本年度方案没有该拨付周期。" in response.content.decode()
    # The outsider may not make a batch of any cadence.
    assert login("mallory").post("/api/batches/", {"year": year, "cycle": refused}, format="json").status_code == 403
    assert not PayoutBatch.objects.exists()


def test_zhejiang_offers_no_batch_form(clock, policy, cecilia):
    year = clock.today().year
    install_preset(key="zhejiang", year=year)
    assert form_of(cecilia) == ""
    response = login("cecilia").post("/api/batches/", {"year": year, "cycle": "monthly"}, format="json")
    assert response.status_code == 400 and "审批兑付申请即拨付，不另行生成拨付批次" in response.content.decode()
    assert not PayoutBatch.objects.exists()
