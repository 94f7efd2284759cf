"""Fuzzing every URL: hostile query parameters and bodies never give a 500.

A deterministic generator, bounded so the whole file runs in well under a minute:

- every GET route of the project (pages and API, admin aside), as anonymous, an applicant
  and the centre, with the query parameters it reads — the API's from the OpenAPI schema,
  the pages' from their view's source (``request.GET.get("x")``, ``query_params["x"]``) —
  set one at a time to hostile values for their kind (huge numbers, impossible and
  out-of-range dates, long text, quotes), ``PER_ROUTE`` requests per route;
- every route with a NUL byte in the path;
- every route with a JSON body nested 5,000 levels deep on POST, PUT and PATCH;
- a bad ``Host`` header.

A new view that reads a parameter the old way is fuzzed the day it is added.
"""

from __future__ import annotations

import inspect
import itertools
import re
from functools import cache

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from catalog.filters import PARSERS
from tests import factories

pytestmark = pytest.mark.django_db

# Values by the kind of parameter (guessed from its name); NUL bytes are refused for every
# parameter before any view runs, so one NUL per route is enough (test below).
DATES = ["9999-12-31", "0001-01-01", "2026-02-30", "20261301"]
NUMBERS = ["9" * 30, "-99999999999999999999", "1e309", "NaN", "0x1F"]
TEXT = ["x" * 3000, "'\"<>%;--", "9" * 30, "9999-12-31", "[]"]
DATE_NAMES = re.compile(r"date|day|_on$|from|until|start|end|month")
NUMBER_NAMES = re.compile(
    r"^(id|pk|page|page_size|year|region|county|city|limit|offset|min_|max_|radius)|_id$|year|price"
)
PER_ROUTE = 6  # requests per route and role, spread over its parameters
# Routes costing ~0.3–0.7 s a request (a PDF, a whole folium map, every region's outline).
SLOW = re.compile(r"/pdf/$|^/map/frame/$|^/api/regions/$|/frame/$")
PER_SLOW_ROUTE = 3


def hostile_values(name: str) -> list[str]:
    if DATE_NAMES.search(name):
        return DATES + ["x" * 3000]
    if NUMBER_NAMES.search(name):
        return NUMBERS + ["x" * 3000]
    return TEXT


def hostile_queries(url: str, params: list[str]) -> list[tuple[str, str]]:
    """A bounded list of (name, value): every parameter's first value, then second values..."""
    columns = [[(name, value) for value in hostile_values(name)] for name in params]
    pairs = [pair for row in itertools.zip_longest(*columns) for pair in row if pair]
    return pairs[: PER_SLOW_ROUTE if SLOW.search(url) else PER_ROUTE]


DEEP_JSON = "[" * 5000 + "]" * 5000
SKIP = ("admin/", "api/schema/", "api/docs/")
_READS = re.compile(r"""(?:GET|POST|query_params)(?:\.get\(|\.getlist\(|\[)\s*["']([a-z_]+)["']""")


def _routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def concrete_urls(ids: dict) -> list[str]:
    """One URL per route, its ids taken from the world (by the route's first segment)."""
    urls = []
    for route in _routes():
        if route.startswith(SKIP) or "(?P<format>" in route or "<drf_format_suffix" in route:
            continue
        path = route.replace("^", "").replace("$", "").replace("\\.", ".")
        segment = path.removeprefix("api/").split("/")[0]
        value = str(ids.get(segment, ids["default"]))
        path = re.sub(r"\(\?P<\w+>[^)]*\)", value, path)  # any named group: pk, proof_pk …
        path = re.sub(r"<int:\w+>", value, path)
        path = re.sub(r"<str:kind>", "instrument", path)
        path = re.sub(r"<slug:\w+>", "news", path)
        path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", path)
        path = re.sub(r"<(?:str:)?\w+>", "x", path)
        urls.append("/" + path)
    return sorted(set(urls))


@cache
def _reads(view) -> frozenset[str]:
    """Parameter names the view's own source reads (a class: all of its methods)."""
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return frozenset()
    return frozenset(_READS.findall(source))


@cache
def _schema_params() -> dict[str, frozenset[str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    out = {}
    for path, operations in schema["paths"].items():
        names = {p["name"] for op in operations.values() for p in op.get("parameters", []) if p["in"] == "query"}
        out[re.sub(r"\{[^}]+\}", "{}", path)] = frozenset(names)
    return out


def params_read_by(url: str) -> list[str]:
    match = resolve(url)
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None) or match.func
    view = inspect.unwrap(view)  # through login_required & co. to the function itself
    names = set(_reads(view))
    if url.startswith("/api/"):
        names |= _schema_params().get(re.sub(r"/\d+/", "/{}/", url), frozenset())
        names |= {"page", "page_size", "format"}
    if url.startswith(("/map/", "/api/map/")):
        names |= set(PARSERS)
    return sorted(names)


@pytest.fixture
def world(alice, bob, olivia, cecilia, ivan_lab):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    instrument = factories.approved_item(ivan_lab, operator=olivia, name="X射线衍射仪")
    return {
        "default": contract.pk,
        "organisations": alice.organisation_id,
        "institutions": ivan_lab.organisation.institution.pk,
        "instruments": instrument.pk,
        "bookings": contract.booking_id,
        "contracts": contract.pk,
        "catalog": instrument.pk,
    }


def _no_server_error(response, what):
    assert response.status_code < 500, f"{response.status_code} on {what}"


@pytest.mark.parametrize("who", ["anonymous", "alice", "cecilia"])
def test_hostile_query_parameters_on_every_get_route(client, world, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    sent = 0
    for url in concrete_urls(world):
        for name, value in hostile_queries(url, params_read_by(url)):
            response = client.get(url, {name: value})
            _no_server_error(response, f"GET {url}?{name}={value[:20]!r} as {who}")
            sent += 1
    assert sent > 500  # the generator reached the routes and their parameters


def test_a_nul_byte_in_the_path_of_every_route_is_a_400(client, world):
    for url in concrete_urls(world):
        response = client.get(url.rstrip("/") + "%00/")
        assert response.status_code == 400, url
        assert "空字符" in response.content.decode()


def test_the_map_search_refuses_nul_and_out_of_range_dates_in_chinese(api, client, world):
    for query in ({"q": "a\x00b"}, {"category": "a\x00b"}):
        response = api.get("/api/map/search/", query)
        assert response.status_code == 400 and response.json()["detail"] == "请求中含有不允许的空字符（NUL）。"
    assert client.get("/map/", {"q": "\x00"}).status_code == 400
    assert client.get("/verify/%00/").status_code == 400
    response = api.get("/api/map/search/", {"date": "9999-12-31"})
    assert response.status_code == 400 and "日期须在" in response.json()["date"][0]
    assert api.get("/api/map/search/", {"date": "2026-06-01"}).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_a_deeply_nested_json_body_on_every_route_is_a_400(api, api_as, world, who, request):
    client = api if who == "anonymous" else api_as(request.getfixturevalue(who))
    for url in concrete_urls(world):
        for method in ("post", "put", "patch"):
            response = getattr(client, method)(url, DEEP_JSON, content_type="application/json")
            assert response.status_code == 400, f"{method.upper()} {url}: {response.status_code}"
            assert "嵌套层数过多" in response.content.decode()


def test_nesting_within_the_limit_still_parses(api_as, alice):
    response = api_as(alice).post("/api/auth/token/", {"username": ["[" * 3], "password": [[[["x"]]]]}, format="json")
    assert response.status_code == 400 and "嵌套" not in response.content.decode()


def test_the_depth_limit_also_holds_in_the_api_parser(api_as, alice):
    """A JSON media type the middleware does not look at still meets the parser's limit."""
    import io

    from rest_framework.exceptions import ParseError

    from mapsite.parsers import JSONParser

    with pytest.raises(ParseError, match="嵌套层数过多"):
        JSONParser().parse(io.BytesIO(DEEP_JSON.encode()))
    with pytest.raises(ParseError, match="不是有效的 JSON"):
        JSONParser().parse(io.BytesIO(b"{nope"))


def test_brackets_inside_strings_do_not_count_as_nesting(api):
    from mapsite.badinput import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": "' + b"[" * 5000 + b'\\"["}', 32)
    assert json_depth_exceeds(b'{"a": ' + b"[" * 33 + b"]" * 33 + b"}", 32)


@pytest.mark.parametrize("host", ["evil.example.com", "bad host", "a" * 300, "[::1"])
def test_a_bad_host_header_is_a_chinese_400_page(client, host):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    api = client.get("/api/map/search/", HTTP_HOST=host)
    assert api.status_code == 400 and api.json()["detail"] == "请求无效。"


def test_the_map_search_fast_path_refuses_nul_bytes_too(world):
    """gunicorn serves /api/map/search/ through mapsite.fastpath, not the test client's
    Django stack: the refusal and the policy header must hold there as well."""
    from mapsite.wsgi import application
    from tests.catalog.test_map_search_fast_path import wsgi_get

    for query in ({"q": "a\x00b"}, {"category": "a\x00b"}):
        status, headers, body = wsgi_get(application, "/api/map/search/", query)
        assert status == 400 and "空字符".encode() in body
    status, headers, _ = wsgi_get(application, "/api/map/search/", {"date": "9999-12-31"})
    assert status == 400 and "default-src 'self'" in headers["Content-Security-Policy"]
