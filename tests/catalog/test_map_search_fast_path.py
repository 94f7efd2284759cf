"""The map search's WSGI fast path (mapsite.fastpath) answers exactly like the Django stack,
keeps its security headers, host check, signals and error handling, and survives a dead
database connection."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection, connections
from django.test import RequestFactory, override_settings

from catalog.map_endpoint import search_response
from mapsite.fastpath import FastPath
from mapsite.wsgi import application, django_application

pytestmark = pytest.mark.django_db
BELL_TOWER = "106.2857,38.4700"


def wsgi_get(app, path, params=None, *, method="GET", recycle=False, **extra):
    """One request straight through a WSGI callable, the way gunicorn calls it.

    Like Django's test client, it keeps the request signals from closing the test's database
    connection (which holds the test's transaction) unless ``recycle`` is asked for."""
    request = getattr(RequestFactory(), method.lower())(path, params or {}, **extra)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    if not recycle:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
    try:
        result = app(request.environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


QUERIES = [
    {"near": BELL_TOWER, "sort": "distance"},
    {"module": "instrument", "near": BELL_TOWER, "radius_km": "20"},
    {"q": "smdj"},
    {"module": "institution", "region": "640100", "sort": "rating"},
    {"min_price": "200", "max_price": "500", "sort": "-price", "voucher": "1"},
    {"bbox": "104.2,35.2,107.7,39.4", "cluster": "1"},
    {"near": "106.2857"},  # bad: one number
    {"sort": "distance"},  # bad: no point
    {"region": "110000"},  # bad: no such region
    {"page_size": "100000"},  # bad: too many
    {"bbox": "0,0,200,10"},  # bad: off the globe
]


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_the_fast_path_answers_byte_for_byte_like_the_django_stack(client, catalogue, params):
    status, headers, body = wsgi_get(application, "/api/map/search/", params)
    full = client.get("/api/map/search/", params)
    assert (status, body) == (full.status_code, full.content)
    assert headers["Content-Type"] == full["Content-Type"] == "application/json"


def test_its_answers_carry_the_security_headers_and_their_length(catalogue):
    status, headers, body = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER})
    assert status == 200
    assert headers["Content-Length"] == str(len(body))
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == settings.X_FRAME_OPTIONS
    assert headers["Referrer-Policy"] == settings.SECURE_REFERRER_POLICY
    assert headers["Cross-Origin-Opener-Policy"] == settings.SECURE_CROSS_ORIGIN_OPENER_POLICY


def test_head_gets_the_headers_without_a_body(catalogue):
    _, get_headers, get_body = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER})
    status, headers, body = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER}, method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == get_headers["Content-Length"] == str(len(get_body))


def test_a_host_not_in_allowed_hosts_is_refused(catalogue):
    status, _, body = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER}, HTTP_HOST="evil.example")
    assert status == 400
    assert "扫描电子显微镜".encode() not in body


def test_https_redirects_apply_as_in_the_django_stack(catalogue):
    with override_settings(SECURE_SSL_REDIRECT=True):  # middleware read settings when built
        door = FastPath(django_application, {"/api/map/search/": search_response})
    status, headers, _ = wsgi_get(door, "/api/map/search/", {"q": "smdj"})
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_other_methods_and_paths_go_to_django(catalogue):
    status, _, body = wsgi_get(application, "/api/map/search/", method="POST")
    assert status == 405 and b"POST" in body  # DRF's answer
    status, _, _ = wsgi_get(application, "/api/regions/", {"level": "city"})
    assert status == 200


def test_every_answer_is_framed_by_the_request_signals_that_recycle_connections(catalogue):
    fired = []

    def started(**kwargs):
        fired.append("started")

    def finished(**kwargs):
        fired.append("finished")

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER})
        wsgi_get(application, "/api/map/search/", {"near": "bad"})
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert fired == ["started", "finished", "started", "finished"]


def test_an_endpoint_that_fails_gets_djangos_logged_500(db, caplog):
    def broken(query):
        raise RuntimeError("boom")

    reported = []

    def on_exception(sender, request, **kwargs):
        reported.append(request.path)

    got_request_exception.connect(on_exception)
    try:
        status, _, body = wsgi_get(FastPath(django_application, {"/api/broken/": broken}), "/api/broken/")
    finally:
        got_request_exception.disconnect(on_exception)
    assert status == 500
    assert b"boom" not in body  # DEBUG is off: no traceback to the client
    assert reported == ["/api/broken/"]
    assert any("boom" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_without_the_security_middleware_it_hands_everything_to_django(db):
    def never(query):
        raise AssertionError("the fast path answered")

    trimmed = [m for m in settings.MIDDLEWARE if not m.endswith("SecurityMiddleware")]
    with override_settings(MIDDLEWARE=trimmed):
        door = FastPath(django_application, {"/api/map/search/": never})
    assert door.endpoints == {}
    status, _, _ = wsgi_get(door, "/api/map/search/", {"q": "smdj"})
    assert status == 200


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_killed_between_requests_is_replaced_without_an_error(ningxia, olivia, ivan_lab):
    from tests import factories

    factories.approved_item(ivan_lab, name="扫描电子显微镜", operator=olivia)
    first = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER}, recycle=True)
    assert first[0] == 200
    pid = backend_pid(connection)
    other = connections.create_connection("default")  # a second session kills the first
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    second = wsgi_get(application, "/api/map/search/", {"near": BELL_TOWER}, recycle=True)
    assert second[0] == 200
    assert second[2] == first[2]
    assert backend_pid(connection) != pid


def backend_pid(conn) -> int:
    """The server process of Django's open connection (whichever psycopg drives it)."""
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]
