"""Public pages: the centre's articles (政策文件, 办事指南, 通知公告), contact, and the payout
notice (公示) readable without a login. Cecilia is the centre; Alice an enterprise; Bob a
bureau — neither may write articles."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import services
from portal.models import Article, ArticleKind
from tests import factories
from vouchers import settlement
from vouchers.models import Objection, PayoutCycle, ProofKind, RedemptionMode

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def article(by, **data) -> Article:
    defaults = {"kind": ArticleKind.NOTICE, "title": "关于开展创新券兑付的通知", "body": "正文", "published": True}
    return services.article_save(by=by, data={**defaults, **data})


def form(**data) -> dict:
    return {
        "kind": "notice",
        "title": "关于征集服务机构的通知",
        "summary": "",
        "body": "请于月底前提交。",
        "published": "on",
        **data,
    }


@pytest.mark.parametrize(
    "path", ["/", "/info/policies/", "/info/guides/", "/info/news/", "/info/contact/", "/vouchers/notices/"]
)
def test_public_pages_open_without_a_login(client, path, cecilia):
    article(cecilia, kind=ArticleKind.POLICY, title="科技创新券管理办法")
    response = client.get(path)
    assert response.status_code == 200


def test_the_centre_publishes_a_notice_that_anyone_reads(client, cecilia):
    client.force_login(cecilia)
    response = client.post(reverse("portal:article_new"), form())
    saved = Article.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:article", args=[saved.pk])
    assert saved.published_on is not None and saved.updated_by == cecilia
    client.logout()
    assert "关于征集服务机构的通知" in client.get(reverse("portal:articles", args=["news"])).content.decode()
    assert "请于月底前提交" in client.get(reverse("portal:article", args=[saved.pk])).content.decode()
    assert "关于征集服务机构的通知" in client.get("/").content.decode()  # the landing page's latest notices


@pytest.mark.parametrize("persona", ["alice", "bob", "olivia"])
def test_only_the_centre_writes_articles(client, persona, request, cecilia):
    existing = article(cecilia)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("portal:article_new")).status_code == 403
    assert client.post(reverse("portal:article_new"), form()).status_code == 403
    assert client.post(reverse("portal:article_edit", args=[existing.pk]), form(title="改")).status_code == 403
    existing.refresh_from_db()
    assert existing.title == "关于开展创新券兑付的通知" and Article.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_to_write(client, cecilia):
    response = client.post(reverse("portal:article_new"), form())
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Article.objects.exists()


def test_a_draft_is_invisible_to_the_public(client, cecilia):
    draft = article(cecilia, published=False, title="未发布的草稿")
    assert client.get(reverse("portal:article", args=[draft.pk])).status_code == 404
    assert "未发布的草稿" not in client.get(reverse("portal:articles", args=["news"])).content.decode()
    client.force_login(cecilia)
    assert client.get(reverse("portal:article", args=[draft.pk])).status_code == 200


def test_script_in_a_title_or_body_is_shown_as_text(client, cecilia):
    hostile = article(cecilia, title=f"标题{SCRIPT}", body=f"# 小标题\n\n{SCRIPT} [点我](javascript:alert(1))")
    for url in (reverse("portal:article", args=[hostile.pk]), reverse("portal:articles", args=["news"]), "/"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;" in body
    body = client.get(reverse("portal:article", args=[hostile.pk])).content.decode()
    assert "<h1>小标题</h1>" in body and 'href="javascript:' not in body


def test_an_attachment_is_checked_by_content_and_served_safely(client, cecilia):
    client.force_login(cecilia)
    refused = client.post(reverse("portal:article_new"), form(upload=factories.fake_pdf_executable()))
    assert refused.status_code == 400 and not Article.objects.exists()
    response = client.post(
        reverse("portal:article_new"), form(upload=factories.pdf_upload("办法.pdf"), attachment_label="管理办法全文")
    )
    saved = Article.objects.get()
    assert response.status_code == 302 and saved.attachment.name.endswith(".pdf")
    client.logout()
    served = client.get(reverse("portal:article_attachment", args=[saved.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_the_contact_page_reads_the_operator_and_centre_records(client, olivia, cecilia):
    body = client.get(reverse("portal:contact")).content.decode()
    assert olivia.organisation.name in body and cecilia.organisation.name in body


def test_the_payout_notice_is_public_but_an_objection_needs_a_login(client, issued, alice, olivia, cecilia, ivan_lab):
    use = settlement.voucher_pay(voucher=issued, by=alice, idempotency_key=uuid.uuid4().hex)
    for kind, amount in ((ProofKind.INVOICE, "40000"), (ProofKind.BANK_RECEIPT, "40000"), (ProofKind.RESULT, None)):
        settlement.proof_upload(use=use, by=alice, kind=kind, upload=factories.pdf_upload(), amount=amount)
    settlement.proof_submit(use=use, by=alice)
    settlement.proof_review(use=use, by=olivia, approve=True)
    issued.refresh_from_db()
    redemption = settlement.redemption_request(by=ivan_lab, vouchers=[issued], mode=RedemptionMode.INSTANT)
    settlement.redemption_check(redemption=redemption, by=olivia, approve=True)
    settlement.redemption_confirm(redemption=redemption, by=cecilia)
    batch = settlement.batch_create(by=cecilia, year=timezone.localdate().year, cycle=PayoutCycle.QUARTERLY)
    batch = settlement.batch_open_notice(batch=batch, by=cecilia)
    item = batch.items.get()

    body = client.get(reverse("vouchers:notices")).content.decode()
    assert ivan_lab.organisation.name in body and issued.number in body
    assert "登录后提出异议" in body and "提交异议" not in body
    response = client.post(reverse("vouchers:notices"), {"item": item.pk, f"i{item.pk}-reason": "匿名异议"})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    assert not Objection.objects.exists()

    client.force_login(alice)
    assert "提交异议" in client.get(reverse("vouchers:notices")).content.decode()
