"""Exports open and hold exactly the table on the screen; bad parameters are a 400 with the
field named (JSON under /api/), never a 500."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from dashboards.tables import TABLES

pytestmark = pytest.mark.django_db


class TableParser(HTMLParser):
    """Cell texts of every <table data-table="…"> on a page: {key: [header, *rows, footer]}."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.empty_row = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.current = attrs["data-table"]
            self.tables[self.current] = []
        elif self.current and tag == "tr":
            self.row, self.empty_row = [], "empty" in (attrs.get("class") or "")
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if not self.empty_row:
                self.tables[self.current].append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def screen_tables(html: str) -> dict[str, list[list[str]]]:
    parser = TableParser()
    parser.feed(html)
    return parser.tables


def normalise(text) -> str:
    """Screen "25,000.00" / "50.0%" / "—" and file "25000.00" / "50.0" / "" compare equal."""
    if text is None:
        return ""
    if isinstance(text, float | int | Decimal) and not isinstance(text, bool):
        text = f"{Decimal(str(text)):f}"
    text = str(text).strip().lstrip("'")
    if text == "—":
        return ""
    plain = text.replace(",", "").rstrip("%")
    if re.fullmatch(r"-?\d+(\.\d+)?", plain):
        return f"{Decimal(plain).normalize():f}"
    return text


def rows_of_csv(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return [[normalise(c) for c in row] for row in csv.reader(io.StringIO(text[1:]))]


def rows_of_xlsx(body: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [[normalise(c) for c in row] for row in sheet.iter_rows(values_only=True)]


PAGES_WITH_TABLES = {
    "/dashboard/": [
        "by_month",
        "by_region",
        "by_kind",
        "by_category",
        "top_institutions",
        "top_enterprises",
        "review_times",
    ],
    "/dashboard/choropleth/?stage=issued&level=city": ["choropleth"],
    "/dashboard/sharing/": ["sharing_institutions", "sharing_instruments"],
}


@pytest.mark.parametrize("who", ["cecilia", "bob"])
def test_every_export_opens_and_matches_the_table_on_screen(client, world, who):
    client.force_login(getattr(world, who))
    seen = set()
    for url, keys in PAGES_WITH_TABLES.items():
        page = client.get(url)
        assert page.status_code == 200
        tables = screen_tables(page.content.decode())
        query = url.partition("?")[2]
        for key in keys:
            on_screen = [[normalise(c) for c in row] for row in tables[key]]
            assert len(on_screen) >= 1
            for fmt, read in (("csv", rows_of_csv), ("xlsx", rows_of_xlsx)):
                response = client.get(f"/dashboard/export/{key}.{fmt}?{query}")
                assert response.status_code == 200, (key, fmt)
                assert response["Content-Disposition"].startswith("attachment;")
                assert read(response.content) == on_screen, (key, fmt)
            seen.add(key)
    assert seen == set(TABLES)


def test_the_choropleth_export_holds_the_hand_computed_figures(client, world):
    client.force_login(world.cecilia)
    response = client.get("/dashboard/export/choropleth.csv?stage=used&level=county")
    rows = rows_of_csv(response.content)
    assert rows[0] == ["区县", "所属市", "使用笔数", "使用金额（元）"]
    assert ["兴庆区", "银川市", "2", "25000"] in rows
    assert rows[-1] == ["合计", "", "3", "26500"]


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_export(client, world):
    from accounts.models import Organisation

    Organisation.objects.filter(pk=world.alice.organisation_id).update(name='=HYPERLINK("http://x")')
    client.force_login(world.cecilia)
    body = client.get("/dashboard/export/top_enterprises.csv?stage=issued").content.decode("utf-8")
    assert "'=HYPERLINK" in body
    sheet = load_workbook(io.BytesIO(client.get("/dashboard/export/top_enterprises.xlsx?stage=issued").content)).active
    assert all(not str(c.value).startswith("=") for row in sheet.iter_rows() for c in row if c.value is not None)


def test_an_unknown_table_or_format_is_a_404(client, world):
    client.force_login(world.cecilia)
    assert client.get("/dashboard/export/secrets.csv").status_code == 404
    assert client.get("/dashboard/export/by_region.pdf").status_code == 404


BAD = [
    {"from": "2025-13"},
    {"from": "yesterday"},
    {"to": "1999-01"},
    {"from": "2025-06", "to": "2025-01"},
    {"from": "2000-01", "to": "2030-12"},
    {"stage": "stolen"},
    {"measure": "weight"},
    {"kind": "<script>"},
    {"category": "x" * 500},
    {"basis": "moon"},
    {"level": "village"},
    {"region": "abc"},
    {"region": "12"},
    {"region": "999999"},
    {"bbox": "1,2,3"},
    {"bbox": "200,0,210,10"},
    {"bbox": "nan,nan,nan,nan"},
    {"group": "password"},
]


@pytest.mark.parametrize("params", BAD)
def test_bad_parameters_are_a_400_json_naming_the_field(api_as, world, params):
    for url in ("/api/stats/usage/", "/api/stats/heatmap/"):
        if "group" in params and "heatmap" in url:
            continue
        response = api_as(world.cecilia).get(url, params)
        assert response.status_code == 400, (url, params, response.content)
        assert set(response.json()) <= {*params, "detail", "to"}, response.json()


@pytest.mark.parametrize("params", BAD)
def test_bad_parameters_on_pages_show_the_error_and_never_500(client, world, params):
    client.force_login(world.cecilia)
    for url in ("/dashboard/", "/dashboard/heatmap/", "/dashboard/choropleth/", "/dashboard/sharing/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params)
    for url in ("/dashboard/heatmap/frame/", "/dashboard/choropleth/frame/", "/dashboard/export/by_region.csv"):
        assert client.get(url, params).status_code in (200, 400), (url, params)


def test_a_bad_month_is_reported_in_chinese_on_the_page(client, world):
    client.force_login(world.cecilia)
    response = client.get("/dashboard/", {"from": "2025-13"})
    assert response.status_code == 400
    assert "起始月份" in response.content.decode()
