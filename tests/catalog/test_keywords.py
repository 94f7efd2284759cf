"""Keywords (别名/关键词) are whole words: on the pages, in the API and in search.

They once showed as single characters ("扫,描,电,镜, ,台,式…") because the demo loader joined
a keyword *string* with commas; migration 0004_keywords_lists repairs stored values."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from catalog.models import Instrument, Listing
from catalog.search_text import join_aliases, split_aliases
from demo.data.catalogue import INSTRUMENT_TEMPLATES
from tests import factories

pytestmark = pytest.mark.django_db

repair = importlib.import_module("catalog.migrations.0004_keywords_lists")


def test_keywords_given_as_one_string_are_split_on_spaces_and_commas():
    assert join_aliases("扫描电镜 台式  快速形貌") == "扫描电镜,台式,快速形貌"
    assert join_aliases("SEM，扫描电镜, SEM") == "SEM,扫描电镜"
    assert join_aliases(["扫描电镜", " SEM "]) == "扫描电镜,SEM"
    assert join_aliases(None) == join_aliases("") == ""
    assert split_aliases("扫描电镜，SEM;冷场") == ["扫描电镜", "SEM", "冷场"]


def test_every_demo_template_keeps_its_keywords_whole():
    for template in INSTRUMENT_TEMPLATES:
        stored = join_aliases(template.get("keywords"))
        assert stored.split(",") == template["keywords"].split(), template["name"]


def test_an_instrument_page_and_the_api_show_whole_keywords(client, ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia, aliases=join_aliases("扫描电镜 台式 SEM"))

    html = client.get(f"/catalog/instruments/{item.pk}/").content.decode()
    data = client.get(f"/api/instruments/{item.pk}/").json()

    assert "<dt>关键词</dt><dd>扫描电镜、台式、SEM</dd>" in html
    assert data["aliases"] == "扫描电镜,台式,SEM"


def test_the_migration_repairs_keywords_stored_one_character_each(ivan_lab, olivia):
    item = factories.approved_item(ivan_lab, operator=olivia, name="台式扫描电镜")
    kept = factories.approved_item(ivan_lab, operator=olivia, name="氧氮氢分析仪", aliases="氧,氮,氢,金属,粉末")
    broken = ",".join("扫描电镜 台式 快速形貌")  # what the old loader stored
    Instrument.objects.filter(pk=item.pk).update(aliases=broken)

    repair.forwards(apps, None)

    item.refresh_from_db()
    kept.refresh_from_db()
    assert item.aliases == "扫描电镜,台式,快速形貌"
    assert kept.aliases == "氧,氮,氢,金属,粉末"  # short keywords, but no space among them: real ones
    search_text = Listing.objects.get(kind="instrument", item_id=item.pk).search_text
    assert "快速形貌" in search_text and "kuaisuxingmao" in search_text
    assert " 扫 |" not in search_text
