"""The dashboards' cache of figures computed from the pre-aggregates (``dashboards.cache``):
the same pages with it as without it, every change to the aggregates on the very next
request, and a hit that skips the grouping queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import cache as dash_cache
from dashboards import selectors as sel
from dashboards.aggregation import ensure_fresh, refresh_all
from dashboards.filters import parse_filters

pytestmark = pytest.mark.django_db

D = Decimal
PAGES = (
    "/dashboard/",
    "/dashboard/?stage=used&kind=university",
    "/dashboard/?stage=issued&category=设计",
    "/dashboard/region/640104/",
    "/dashboard/region/640100/?stage=redeemed",
    "/dashboard/choropleth/?level=city",
    "/dashboard/heatmap/",
)


@pytest.fixture(autouse=True)
def empty_cache():
    caches[dash_cache.CACHE_ALIAS].clear()
    yield
    caches[dash_cache.CACHE_ALIAS].clear()


def _html(response) -> str:
    assert response.status_code == 200
    # The masked CSRF token differs on every render.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_pages_are_the_same_with_the_cache_as_without_it(client, world, monkeypatch):
    client.force_login(world.cecilia)
    cold = {url: _html(client.get(url)) for url in PAGES}  # computed and stored
    warm = {url: _html(client.get(url)) for url in PAGES}  # read from the cache
    monkeypatch.setattr(sel, "cached", lambda name, key, compute: compute())
    uncached = {url: _html(client.get(url)) for url in PAGES}
    assert cold == warm == uncached


def test_a_second_read_skips_the_grouping_queries_but_reads_names_afresh(client, world):
    from accounts.models import Organisation

    client.force_login(world.cecilia)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        html = _html(client.get("/dashboard/"))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "dashboards_orgmonth" not in sql and "dashboards_regionmonth" not in sql
    assert "alice科技有限公司" in html
    # Names are not cached: a rename shows at once although the figures come from the cache.
    Organisation.objects.filter(pk=world.alice.organisation_id).update(name="爱丽丝科技有限公司")
    html = _html(client.get("/dashboard/"))
    assert "爱丽丝科技有限公司" in html and "alice科技有限公司" not in html


def test_a_figure_one_process_computed_is_read_by_another_from_the_shared_cache(client, world):
    client.force_login(world.cecilia)
    first = _html(client.get("/dashboard/"))
    caches[dash_cache.CACHE_ALIAS].clear()  # another process: nothing in its own memory
    with CaptureQueriesContext(connection) as queries:
        again = _html(client.get("/dashboard/"))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "dashboards_orgmonth" not in sql and "dashboards_regionmonth" not in sql
    assert "dashboards_shared_cache" in sql
    assert again == first


def test_with_the_cache_turned_off_nothing_is_shared(client, world, settings):
    from django.core.cache import caches as all_caches

    client.force_login(world.cecilia)
    local = all_caches[dash_cache.CACHE_ALIAS]
    default = local.default_timeout
    local.default_timeout = 0  # DASHBOARD_CACHE_SECONDS=0
    try:
        with CaptureQueriesContext(connection) as queries:
            _html(client.get("/dashboard/"))
    finally:
        local.default_timeout = default
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "dashboards_shared_cache" not in sql and "dashboards_orgmonth" in sql


def test_a_page_reads_the_province_profile_a_few_times_not_once_per_review_level(client, world):
    client.force_login(world.cecilia)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/dashboard/")
    reads = [q for q in queries.captured_queries if "accounts_provinceprofile" in q["sql"]]
    assert len(reads) <= 4  # the header, the scope's label and the two reviewer names (was 12)


def test_a_new_use_shows_on_the_next_request(client, world):
    from tests.dashboards.conftest import use

    client.force_login(world.cecilia)
    scope, f = sel.dashboard_scope(world.cecilia), parse_filters({"stage": "used"})
    client.get("/dashboard/?stage=used")
    assert sel.breakdown(scope, f).totals["used"] == (3, D("26500"))
    assert [r["amount"] for r in sel.top_organisations(scope, f, "enterprise")] == [D("25000"), D("1500")]
    use(world.v4, world.dave, world.ivan_lab, world.olivia, key="dash-cache-use-v4")
    html = _html(client.get("/dashboard/?stage=used"))  # the request's refresh rewrites the slices
    assert "dave科技有限公司" in html
    assert sel.breakdown(scope, f).totals["used"] == (4, D("34500"))
    assert [r["amount"] for r in sel.top_organisations(scope, f, "enterprise")] == [
        D("25000"),
        D("8000"),
        D("1500"),
    ]
    assert sum(r["n"] for r in sel.region_totals(scope, f)) == 4


@pytest.mark.parametrize("table", ["dashboards_regionmonth", "dashboards_orgmonth", "dashboards_heatcell"])
def test_any_write_to_an_aggregate_table_moves_the_version(world, table):
    before = dash_cache.aggregate_version()
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET n = n WHERE false")  # noqa: S608 -- a constant name
    assert dash_cache.aggregate_version() > before


def test_a_bare_update_and_a_full_rebuild_show_on_the_next_read(world):
    ensure_fresh()
    scope, f = sel.dashboard_scope(world.cecilia), parse_filters({"stage": "issued"})
    assert sel.breakdown(scope, f).totals["issued"] == (4, D("34500"))
    assert sel.top_organisations(scope, f, "enterprise")[0]["amount"] == D("25000")
    assert sel.region_totals(scope, f)[0]["amount"] == D("25000")
    with connection.cursor() as cur:
        cur.execute("UPDATE dashboards_regionmonth SET amount = amount + 1 WHERE stage = 'issued'")
        cur.execute("UPDATE dashboards_orgmonth SET amount = amount + 1 WHERE stage = 'issued'")
    assert sel.breakdown(scope, f).totals["issued"][1] > D("34500")
    assert sel.top_organisations(scope, f, "enterprise")[0]["amount"] > D("25000")
    assert sel.region_totals(scope, f)[0]["amount"] > D("25000")
    refresh_all()  # TRUNCATE and rebuild
    assert sel.breakdown(scope, f).totals["issued"] == (4, D("34500"))
    assert sel.top_organisations(scope, f, "enterprise")[0]["amount"] == D("25000")
    assert sel.region_totals(scope, f)[0]["amount"] == D("25000")


def test_scopes_and_filters_do_not_share_entries(world):
    ensure_fresh()
    province = sel.dashboard_scope(world.cecilia)
    county = sel.dashboard_scope(world.bob)
    f = parse_filters({})
    assert sel.breakdown(province, f).totals["issued"] == (4, D("34500"))
    assert sel.breakdown(county, f).totals["issued"] == (2, D("25000"))
    assert sel.breakdown(province, parse_filters({"category": "设计"})).totals["issued"] == (1, D("5000"))
    issued = parse_filters({"stage": "issued"})
    assert [r["n"] for r in sel.top_organisations(county, issued, "enterprise")] == [2]
    assert len(sel.top_organisations(province, issued, "enterprise")) == 3
    assert len(sel.top_organisations(province, f, "enterprise")) == 2  # used


# The row loop that ``dashboards/_table.html`` had before ``Table.body_html`` replaced it.
OLD_ROWS = (
    '{% for row in table.cells %}<tr>{% for text, link, numeric in row %}<td{% if numeric %} class="num"{% endif %}>'
    '{% if link %}<a href="{{ link }}">{{ text }}</a>{% else %}{{ text }}{% endif %}</td>{% endfor %}</tr>\n'
    "    {% empty %}EMPTY{% endfor %}"
)


def test_the_rows_built_in_python_are_the_template_loop_byte_for_byte(world):
    from django.template import engines

    from dashboards import tables as tb
    from mapsite.tables import Column, Table

    ensure_fresh()
    scope, f = sel.dashboard_scope(world.cecilia), parse_filters({})
    data = sel.breakdown(scope, f)
    tricky = Table("x", "x", [Column("名称"), Column("金额", "money")], rows=[['<b>"A&B"</b>', D("1.5")], ["'", None]])
    tricky.links = ['/a?b=1&c="2"', None]
    tables = [
        tb.by_month_table(scope, f, data),
        tb.by_region_table(scope, f, data),
        tb.by_kind_table(scope, f, data),
        tb.top_institutions_table(scope, f),
        tb.top_enterprises_table(scope, f),
        tb.review_times_table(scope, f),
        tricky,
    ]
    template = engines["django"].from_string(OLD_ROWS)
    for table in tables:
        assert table.rows
        assert str(table.body_html()) == template.render({"table": table}), table.key
