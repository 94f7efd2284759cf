"""The demo's public articles: written by centre1 through the service, named after the
deployment's province profile, readable by anyone."""

import pytest
from django.utils import timezone

from demo.articles import seed_articles
from portal.models import Article, ArticleKind
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_policy_guides_and_a_notice_in_the_provinces_names(client, ningxia):
    factories.staff_user(username="centre1", kind="centre")
    assert seed_articles(timezone.localdate()) == 4
    kinds = sorted(Article.objects.filter(published=True).values_list("kind", flat=True))
    assert kinds == sorted([ArticleKind.POLICY, ArticleKind.GUIDE, ArticleKind.GUIDE, ArticleKind.NOTICE])
    body = client.get("/info/policies/").content.decode()
    assert Article.objects.get(kind=ArticleKind.POLICY).title in body
    assert (
        "<h2>支持范围</h2>" in client.get(f"/info/{Article.objects.get(kind=ArticleKind.POLICY).pk}/").content.decode()
    )
