"""``GET /api/map/search/`` as one function of the query string.

Two front doors share it: the DRF view ``catalog.api.MapSearchView`` (OpenAPI schema, the
test client, anything the fast path hands on) and the WSGI fast path ``mapsite.fastpath``,
which answers this one public, read-only, cookie-less endpoint without the middleware and
DRF stack. Both therefore give byte-identical bodies and statuses.
"""

from __future__ import annotations

import orjson
from django.core.exceptions import ValidationError

from catalog.filters import MapSearchForm
from catalog.selectors import map_search
from mapsite.api import validation_payload


def search_response(query) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for a search; ``query`` is a QueryDict or any mapping with
    ``get``. Bad parameters give 400 with one message per parameter, like every API error."""
    form = MapSearchForm(query)
    if not form.is_valid():
        return 400, orjson.dumps(form.errors)
    try:
        return 200, map_search(params=form.params)
    except ValidationError as exc:  # e.g. an adcode that names no region
        return 400, orjson.dumps(validation_payload(exc))
