"""A WSGI front door for public, read-only endpoints whose answer depends on the query string
only — today just the map search, the product's hottest request.

Why: the search itself costs about 1 ms (one index-ordered SQL statement, JSON built with
orjson), and the full Django stack around it (eight middleware, URL resolution, DRF's
request wrapping and content negotiation) cost as much again. This front door answers
``GET``/``HEAD`` on the listed paths directly and hands every other request to Django
unchanged.

What it keeps of the stack: Django's request object, host validation (ALLOWED_HOSTS),
``request_started``/``request_finished`` (so database connections are recycled exactly as
usual), the security middleware that set response headers (HTTPS redirect, HSTS, nosniff,
referrer and opener policies, X-Frame-Options, Content-Security-Policy), the refusal of NUL
bytes (mapsite.badinput) and Django's own error responses and logging.
What it skips, on purpose: sessions, authentication, CSRF and messages — these endpoints
read no cookie and no user, and write nothing.

The endpoint's logic lives in one function shared with its DRF view (for the API schema
and the test client): see ``catalog.map_endpoint``. An endpoint returns (status, body) or
(status, body, headers); a 200 with an ``ETag`` header is answered 304 when the request's
``If-None-Match`` matches it (Django's own conditional-GET rules).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, QueryDict
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.cache import get_conditional_response

from mapsite.badinput import BadInputMiddleware
from mapsite.csp import ContentSecurityPolicyMiddleware

Endpoint = Callable[[QueryDict], tuple[int, bytes] | tuple[int, bytes, dict[str, str]]]

# Middleware whose work on these requests is headers, redirects and refusing bad input; they
# run in this order (and their responses in reverse), as in settings.MIDDLEWARE.
# Request headers that can make get_conditional_response answer other than the response
# itself (without any of them it returns the response unchanged).
CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)
HEADER_MIDDLEWARE = (SecurityMiddleware, BadInputMiddleware, ContentSecurityPolicyMiddleware, XFrameOptionsMiddleware)


class FastPath:
    """Wraps Django's WSGI application; ``endpoints`` maps an exact path to its function."""

    def __init__(self, app, endpoints: dict[str, Endpoint]):
        self.app = app
        self.endpoints = endpoints
        if any(f"{cls.__module__}.{cls.__qualname__}" not in settings.MIDDLEWARE for cls in HEADER_MIDDLEWARE):
            # Settings no longer list a middleware this front door stands in for: let Django
            # answer everything rather than answer differently from it.
            self.endpoints = {}
        self.middleware = [cls(self._unused) for cls in HEADER_MIDDLEWARE]
        # Their hooks, looked up once: requests in settings' order, responses in reverse.
        self.early = [m.process_request for m in self.middleware if hasattr(m, "process_request")]
        self.late = [m.process_response for m in reversed(self.middleware) if hasattr(m, "process_response")]

    @staticmethod
    def _unused(request):  # get_response of the header middleware: never called
        raise AssertionError("header middleware called get_response")

    def __call__(self, environ, start_response):
        endpoint = self.endpoints.get(environ.get("PATH_INFO", ""))
        if endpoint is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        request_started.send(sender=self.__class__, environ=environ)
        request = WSGIRequest(environ)
        try:
            response = self._respond(request, endpoint)
        except Exception as exc:  # noqa: BLE001 — Django's own 400/500 handling and logging
            request.user = AnonymousUser()  # what the error views may look at; no auth ran
            response = response_for_exception(request, exc)
        status = f"{response.status_code} {response.reason_phrase}"
        start_response(status, list(response.items()))
        if request.method == "HEAD":
            response.content = b""
        return response  # iterable; its close() sends request_finished

    def _respond(self, request, endpoint: Endpoint) -> HttpResponse:
        request.get_host()  # DisallowedHost → 400, as in Django
        for early in self.early:
            response = early(request)
            if response is not None:  # e.g. the HTTPS redirect
                return response
        # request.GET: the query string parsed once (the NUL check above has read it already).
        status, body, *headers = _answer(endpoint, request.GET)
        response = HttpResponse(body, status=status, content_type="application/json")
        response.headers["Content-Length"] = str(len(body))  # CommonMiddleware's job in the full stack
        for name, value in (headers[0] if headers else {}).items():
            response.headers[name] = value
        if status == 200 and response.has_header("ETag") and not CONDITIONAL_HEADERS.isdisjoint(request.META):
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        for late in self.late:
            response = late(request, response)
        return response


def _answer(endpoint: Endpoint, query: QueryDict) -> tuple:
    """Run a read-only endpoint on the request's database connection, without the health
    check ``CONN_HEALTH_CHECKS`` does at each request's first query (a ``SELECT 1`` round
    trip, a twentieth of this request). Instead, if the kept connection turns out dead (the
    server restarted), it is closed and the read is run once more on a new one; the rest of
    the site keeps Django's health checks."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.health_check_done = True
    try:
        return endpoint(query)
    except (InterfaceError, OperationalError):
        if connection.connection is None or connection.in_atomic_block or connection.is_usable():
            raise
        connection.close()
        return endpoint(query)
