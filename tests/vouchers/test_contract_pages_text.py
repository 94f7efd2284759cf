"""No English or developer text reaches users: every page a role reaches from its home page
and menu (and the voucher pages of a contract at each stage) is walked through the test
client, and its visible text — text nodes, placeholders, titles, button values — holds no
ASCII word beyond an allow-list of names people use as they are (PDF, API, QR …)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from tests import factories
from vouchers.contracts import services

pytestmark = pytest.mark.django_db

# Words users see as they are: formats, product and unit names, identifiers' prefixes.
ALLOWED = {
    "PDF", "API", "QR", "JPG", "JPEG", "PNG", "CSV", "Excel", "xlsx", "MB", "KB", "GB", "ID", "SMS",
    "CMA", "CNAS", "OpenStreetMap", "Leaflet", "OSM", "WGS", "GCJ", "Token", "token", "URL",
    "SU", "RMB", "CNY", "Email", "email", "mail", "JSON",
    "SEM", "XRD", "ICP", "MS",  # instrument abbreviations in examples (如 SEM、扫描电镜)
    "NX", "HA", "JS", "ZJ",  # the provinces' number prefixes (NXHT2026…), shown on the province page
}  # fmt: skip
# Skipped: links that are not pages (files, exports, sign-out) and the developer's own tools.
SKIP = re.compile(
    r"^/(admin|api|static|media|accounts/logout)|\.(pdf|csv|xlsx|png|jpg|json|geojson)$|/(pdf|scan|export)"
)
RAW_RATE = re.compile(r"(?<![\d.,])0\.(?!00\b)\d{2,4}(?![\d%])")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
# Generated identifiers (contract, booking and voucher numbers, credit codes) are not words.
IDENTIFIER = re.compile(r"\b[A-Z]{2,6}\d{6,}\w*|\b[0-9A-Z]{18}\b|\b\w+@\w+\.\w+|https?://\S+|\b[\w.-]+\.(?:png|pdf)\b")


class Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template", "noscript"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("placeholder", "title", "aria-label", "alt"):
            if attrs.get(name):
                self.text.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "noscript"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def english_words(html: str, data: list[str]) -> tuple[set[str], list[str]]:
    """``data``: what users typed (user names, organisation names): shown as they are."""
    parser = Visible()
    parser.feed(html)
    text = IDENTIFIER.sub(" ", " ".join(parser.text))
    for value in data:
        text = text.replace(value, " ")
    words = {w for w in WORD.findall(text) if w not in ALLOWED and len(w) > 1}
    # A rate printed as its stored fraction (0.15, 0.1000) instead of a percentage.
    words |= {f"rate {r}" for r in RAW_RATE.findall(text)}
    return words, parser.links


def walk(client, start: list[str], depth: int = 1) -> dict[str, set[str]]:
    """Every page reachable from ``start`` within ``depth`` clicks → its English words."""
    from accounts.models import Organisation, User

    data = sorted(
        {*User.objects.values_list("username", flat=True), *Organisation.objects.values_list("name", flat=True)},
        key=len,
        reverse=True,
    )
    seen: dict[str, set[str]] = {}
    frontier = list(start)
    for _ in range(depth + 1):
        following = []
        for url in frontier:
            url = urldefrag(url)[0]
            if url in seen or SKIP.search(urlsplit(url).path) or urlsplit(url).netloc:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                seen[url] = set()
                continue
            words, links = english_words(response.content.decode(), data)
            seen[url] = words
            following += [link for link in links if link.startswith("/")]
        frontier = following
    return seen


@pytest.fixture
def world(alice, bob, olivia, cecilia, ivan_lab, ningxia):
    factories.ningxia_policy()
    draft = factories.ready_contract(alice, ivan_lab, price="20000", quantity="2", name="水质全分析")
    approved = factories.ready_contract(alice, ivan_lab, price="30000", quantity="1", name="扫描电镜测试")
    services.contract_submit(contract=approved, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=approved, by=reviewer, approve=True)
    reviewing = factories.ready_contract(alice, ivan_lab, price="10000", quantity="1", name="元素分析")
    services.contract_submit(contract=reviewing, by=alice)
    return {"contracts": [draft, approved, reviewing]}


@pytest.mark.parametrize("who", ["alice", "bob", "olivia", "cecilia", "ivan_lab", "eve", "anonymous"])
def test_the_pages_each_role_reaches_show_no_english(client, world, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    start = ["/", reverse("vouchers:contracts"), reverse("vouchers:list"), reverse("vouchers:contract_new")]
    start += [reverse("vouchers:contract", args=[c.pk]) for c in world["contracts"]]
    pages = walk(client, start, depth=2)
    found = {url: sorted(words) for url, words in pages.items() if words}
    assert len(pages) > 5
    assert found == {}, f"English words seen by {who}: {found}"


def test_missing_contracts_answer_in_chinese_on_pages_and_in_the_api(client, api_as, alice, mallory, world):
    client.force_login(alice)
    response = client.get(reverse("vouchers:contract", args=[999999]))
    assert response.status_code == 404
    assert english_words(response.content.decode(), ["alice"])[0] == set()
    # Another enterprise's contract: the same answer, so its existence does not leak.
    mine = world["contracts"][0]
    client.force_login(mallory)
    response = client.get(reverse("vouchers:contract", args=[mine.pk]))
    assert response.status_code == 404
    assert english_words(response.content.decode(), ["mallory"])[0] == set()
    for url in ("/api/contracts/999999/", f"/api/contracts/{mine.pk}/"):
        response = api_as(mallory).get(url)
        assert response.status_code == 404 and response.json() == {"detail": "未找到。"}, url
