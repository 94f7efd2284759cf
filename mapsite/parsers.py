"""The API's JSON parser: depth-limited before parsing (see mapsite.badinput)."""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from mapsite.badinput import json_depth_exceeds, json_depth_message


class JSONParser(parsers.JSONParser):
    """DRF's parser, refusing a body nested deeper than ``JSON_MAX_DEPTH`` with a 400
    before ``json.loads`` recurses into it, and naming a syntax error in Chinese.
    (BadInputMiddleware already refuses a deep ``application/json`` body; this covers any
    other JSON media type and code paths that parse without the middleware.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, settings.JSON_MAX_DEPTH):
            raise ParseError(json_depth_message())
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except ParseError as exc:
            raise ParseError("请求体不是有效的 JSON。") from exc
