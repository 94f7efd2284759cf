"""Reads for the public pages: published articles and the landing page's figures."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import CertStatus, Organisation, OrgKind
from catalog import selectors as catalog_selectors
from portal.models import Article
from portal.services import may_edit_articles


def articles_visible_to(user) -> QuerySet[Article]:
    """Published articles for everyone; drafts too for the centre, who writes them."""
    qs = Article.objects.all()
    return qs if may_edit_articles(user) else qs.filter(published=True)


def get_article_for_user(user, pk: int) -> Article:
    return get_object_or_404(articles_visible_to(user), pk=pk)


def latest(kind: str | None = None, limit: int = 5) -> list[Article]:
    qs = Article.objects.filter(published=True)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.only("pk", "kind", "title", "published_on")[:limit])


def landing_counts() -> dict[str, int]:
    """What the public map holds: listed institutions, public instruments and services."""
    return {
        "institutions": catalog_selectors.public_institutions().count(),
        "instruments": catalog_selectors.public_instruments().count(),
        "services": catalog_selectors.public_services().count(),
    }


def support_contacts() -> list[Organisation]:
    """The operator's and the centre's own contact details (from their registration)."""
    return list(
        Organisation.objects.filter(kind__in=(OrgKind.OPERATOR, OrgKind.CENTRE))
        .exclude(status=CertStatus.RETURNED)
        .order_by("kind", "pk")
        .only("name", "kind", "registered_address", "contact_name", "contact_phone", "contact_email")[:6]
    )
