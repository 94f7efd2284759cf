"""Refusing malformed input before any view sees it: NUL bytes and over-deep JSON.

PostgreSQL cannot store a NUL character in text, so a NUL reaching a query is a server
error (psycopg2 "A string literal cannot contain NUL"); Python's JSON parser recurses once
per nesting level, so a body nested a few thousand levels deep is a ``RecursionError``.
Both are refused here for every URL with a 400 and a Chinese message — JSON under /api/,
the error page elsewhere — rather than in each view that reads a parameter or a body.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

NUL = "\x00"
NUL_MESSAGE = "请求中含有不允许的空字符（NUL）。"

# A JSON string (skipped whole: brackets inside strings do not nest) or a bracket.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether ``body`` nests arrays/objects deeper than ``limit``, found without parsing
    (and without recursion), stopping at the first level past the limit."""
    depth = 0
    for match in _JSON_TOKEN.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


def json_depth_message() -> str:
    return f"JSON 嵌套层数过多（最多 {settings.JSON_MAX_DEPTH} 层）。"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


def _is_form(request) -> bool:
    # Not multipart: parsing an upload here would stop a view from choosing its upload
    # handlers. The text fields of a multipart form go through a Django form or a DRF
    # serializer, whose CharFields refuse NUL characters themselves.
    return request.content_type == "application/x-www-form-urlencoded"


def _is_json(request) -> bool:
    return request.content_type == "application/json" or request.content_type.endswith("+json")


def _refuse(request, message: str):
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "error.html", {"status": 400, "message": message}, status=400)


class BadInputMiddleware(MiddlewareMixin):
    """400 for a NUL byte in the path, a query or a url-encoded form parameter (name or
    value), and for a JSON body nested deeper than ``JSON_MAX_DEPTH``. A ``process_request``
    hook, so that the map search's WSGI fast path (mapsite.fastpath) runs it too."""

    def process_request(self, request):
        if NUL in request.path_info or _has_nul(request.GET):
            return _refuse(request, NUL_MESSAGE)
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if _is_form(request) and _has_nul(request.POST):
                return _refuse(request, NUL_MESSAGE)
            if _is_json(request) and json_depth_exceeds(request.body, settings.JSON_MAX_DEPTH):
                return _refuse(request, json_depth_message())
        return None
