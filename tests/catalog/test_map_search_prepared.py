"""The map search's rows statement is sent prepared with server-side binding and read in
binary (catalog.selectors.fetch_rows_on); its answers are byte for byte those of Django's
own cursor (client-side binding, text rows), which the search uses while queries are
recorded."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from catalog.filters import MapSearchForm
from catalog.selectors import map_search

pytestmark = pytest.mark.django_db
BELL_TOWER = "106.2857,38.4700"

QUERIES = [
    f"near={BELL_TOWER}&sort=distance",
    f"near={BELL_TOWER}&sort=distance&page_size=2",
    f"near={BELL_TOWER}&sort=distance&page=2&page_size=2",
    f"near={BELL_TOWER}&module=instrument&radius_km=20",
    f"near={BELL_TOWER}&module=institution&voucher=1",
    f"near={BELL_TOWER}&q=smdj",
    "module=common&sort=-price&min_price=1",
    "module=institution&region=640100&sort=rating",
    "q=显微&sort=newest",
]


def answer(query: str) -> bytes:
    form = MapSearchForm(QueryDict(query))
    assert form.is_valid(), form.errors
    return map_search(params=form.params)


def prepared_search_statements() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM catalog_listing l%'")
        return cur.fetchone()[0]


@pytest.mark.parametrize("query", QUERIES)
def test_prepared_binary_rows_give_the_same_bytes_as_djangos_cursor(catalogue, query):
    fast = answer(query)
    with CaptureQueriesContext(connection) as recorded:  # Django's cursor, client-side binding
        plain = answer(query)
    assert any("FROM catalog_listing l" in q["sql"] for q in recorded.captured_queries)
    assert fast == plain


def test_a_nearest_first_search_is_prepared_once_and_a_text_search_is_not(catalogue):
    before = prepared_search_statements()
    answer(f"near={BELL_TOWER}&sort=distance")
    answer("near=106.0,38.0&sort=distance")  # another point: the same prepared statement
    assert prepared_search_statements() == before + 1
    answer("q=smdj")  # a LIKE pattern: planned with its value each time, never prepared
    assert prepared_search_statements() == before + 1
