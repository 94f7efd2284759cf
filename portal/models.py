"""Articles the centre publishes: policy documents, guides and notices (SPEC §2: the public
reads them; the centre writes them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mapsite.storage import private_storage


class ArticleKind(models.TextChoices):
    POLICY = "policy", "政策文件"
    GUIDE = "guide", "办事指南"
    NOTICE = "notice", "通知公告"


class Article(models.Model):
    """One published text. The body is plain text with a few Markdown marks (headings, lists,
    emphasis, links); raw HTML in it is shown as text (``portal.markup``)."""

    kind = models.CharField("类别", max_length=16, choices=ArticleKind.choices)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", help_text="纯文本；支持简单标记：# 标题、- 列表、**加粗**、[文字](链接)。")
    published = models.BooleanField("已发布", default=False)
    published_on = models.DateField("发布日期", null=True, blank=True)
    # A PDF or image checked and stored by mapsite.uploads; served only while published.
    attachment = models.FileField("附件", storage=private_storage, upload_to="articles/%Y/", blank=True)
    attachment_label = models.CharField("附件名称", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "公开信息"
        verbose_name_plural = "公开信息（政策文件、办事指南、通知公告）"
        indexes = [models.Index(fields=["kind", "published", "-published_on"], name="portal_article_list")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(published_on__isnull=False),
                name="portal_article_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title
