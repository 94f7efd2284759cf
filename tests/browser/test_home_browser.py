"""The home pages in Debian's chromium at a phone's 390×844 and a desktop's 1440×900: the
public landing page and the to-do lists of an enterprise and of a bureau with work waiting.
Nothing may be wider than the screen (``document.documentElement.scrollWidth``), the to-do
items are in the page, and no script error or outside request happens (``watch``)."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from portal import services as portal_services
from portal.models import ArticleKind
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from vouchers.contracts import services as contract_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def sign_in(page, live_server, user) -> None:
    """A session cookie for ``user`` (the login form is tested elsewhere)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies([{"name": "sessionid", "value": session.session_key, "url": live_server.url}])


def widths(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.fixture
def waiting_work(ningxia):
    """Alice's contract submitted to Bob (兴庆区) and a returned one; a notice published."""
    factories.ningxia_policy()
    alice = factories.applicant_user(username="alice", adcode=640104)
    bob = factories.bureau_user(username="bob", adcode=640104)
    lab = factories.listed_institution(username="lab", name="贺兰山分析测试中心（一个很长的机构名称用来检查换行）")
    centre = factories.staff_user(username="centre", kind="centre")
    for _ in range(2):
        contract = factories.ready_contract(alice, lab, price="20000", quantity="2")
        contract_services.contract_submit(contract=contract, by=alice)
    contract_services.contract_review(contract=contract, by=bob, approve=False, note="请补充盖章页")
    factories.accepted_booking(alice, lab, price="1000")
    portal_services.article_save(
        by=centre,
        data={
            "kind": ArticleKind.NOTICE,
            "title": "关于2026年度科技创新券兑付工作的通知",
            "body": "正文",
            "published": True,
        },
    )
    return {"alice": alice, "bob": bob}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("who", ["anonymous", "alice", "bob"])
def test_the_home_fits_the_screen(page, live_server, watch, waiting_work, viewport, who):
    page.set_viewport_size(VIEWPORTS[viewport])
    if who != "anonymous":
        sign_in(page, live_server, waiting_work[who])
    page.goto("/")
    page.wait_for_load_state("networkidle")
    if who == "anonymous":
        assert page.locator(".landing-search input[name=q]").is_visible()
        assert "关于2026年度科技创新券兑付工作的通知" in page.content()
    else:
        items = page.locator(".todo-item")
        assert items.count() >= 1
        assert items.first.is_visible()
        expected = {"alice": "被退回待修改的合同", "bob": "待审核的创新券合同"}[who]
        assert expected in page.locator(".todo-list").inner_text()
    scroll, inner = widths(page)
    assert scroll <= inner, f"{who} home at {viewport}: {scroll} px wide in a {inner} px window"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{who}-{viewport}.png"), full_page=True)
    watch.assert_clean()
