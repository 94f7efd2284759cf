"""Writes on the centre's articles (政策文件, 办事指南, 通知公告): only the centre writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.actors import only
from accounts.models import Role, User
from mapsite import uploads
from portal.models import Article

# What the form may set (a whitelisted update: nothing else of the record is touched).
ARTICLE_FIELDS = ("kind", "title", "summary", "body", "published", "published_on", "attachment_label")


def _storage():
    return Article._meta.get_field("attachment").storage


def may_edit_articles(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role == Role.CENTRE)


def article_save(
    *, by: User, data: dict, article: Article | None = None, attachment=None, remove_attachment: bool = False
) -> Article:
    """Create or update an article. Published without a date, it is dated today. A new
    attachment (PDF or image) is checked by content and stored under a generated name before
    the transaction (``mapsite.uploads``), and removed again if the save fails."""
    if not may_edit_articles(by):
        raise PermissionDenied(only("编辑公开信息"))
    stored = None
    if attachment is not None:
        mime = uploads.check(attachment, kind=uploads.DOCUMENT)
        stored = uploads.store((article or Article()).attachment, article or Article(), attachment, mime)
    try:
        with transaction.atomic():
            article = Article() if article is None else Article.objects.select_for_update().get(pk=article.pk)
            old_file = article.attachment.name if (stored or remove_attachment) else ""
            for name in ARTICLE_FIELDS:
                if name in data:
                    setattr(article, name, data[name])
            if article.published and article.published_on is None:
                article.published_on = timezone.localdate()
            if stored:
                article.attachment.name = stored
            elif remove_attachment:
                article.attachment.name = ""
            article.updated_by = by
            article.full_clean()
            article.save()
    except Exception:
        if stored:
            _storage().delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: _storage().delete(old_file))
    return article
