"""``GET /api/map/search/`` as one function of the query string.

Two front doors share it: the DRF view ``catalog.api.MapSearchView`` (OpenAPI schema, the
test client, anything the fast path hands on) and the WSGI fast path ``mapsite.fastpath``,
which answers this one public, read-only, cookie-less endpoint without the middleware and
DRF stack. Both therefore give byte-identical bodies and statuses.

The response cache. The search is public: its answer depends on the query string and the
listings, never on who asks (no session, cookie or token is read). Answers are kept per
process (``CACHES["map_search"]``) under a key made of the normalised parameters (after
validation and defaults, so ``?module=common&page=1`` and ``?`` share one entry) and the
**listings version**, a number the database changes in the same transaction as any change
to the search table or its cluster grid (catalog migration 0006, triggers fired by every
``listing_sync_*``, ``rebuild_grid`` and bulk load). The version is read on every cacheable
request (one indexed single-row read), so once a change is committed no process serves an
answer from before it: the cache is correct across gunicorn workers, the task worker and
machines. Not cached:

* nearest-first searches (``near``): keyed by an arbitrary point, they practically never
  repeat, so the version read would only add a round trip to the hottest request;
* ``date`` (instruments free on a day): it reads bookings and opening hours, which do not
  change the listings version;
* errors (400), and anything asked inside a transaction (it may see its own uncommitted
  changes, which the version does not show yet).

The count of a full first page comes from a per-process count cache (catalog.selectors,
``_count``) keyed by the listings version too, read in the rows' own statement: no answer,
cached or not, carries a count from before a committed change.

Every 200 carries a strong ``ETag`` (a hash of the body: equal answers from any process
give equal tags) and ``Cache-Control: public, no-cache`` (browsers and proxies may keep it
but must ask again each time); the fast path answers a matching ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib

import orjson
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection

from catalog.filters import MapSearchForm
from catalog.selectors import map_search
from mapsite.api import validation_payload
from mapsite.db_router import replica_read

CACHE_ALIAS = "map_search"
# Parameters whose answer is not a function of the listings and the query string alone
# (``date``), or that practically never repeat (``near``).
UNCACHED_PARAMS = ("near", "date")
PUBLIC_HEADERS = {"Cache-Control": "public, no-cache"}


def search_response(query) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for a search; ``query`` is a QueryDict or any mapping with
    ``get``. Bad parameters give 400 with one message per parameter, like every API error."""
    status, body, _headers = search_answer(query)
    return status, body


@replica_read  # version and answer read together: on a replica when one is usable (mapsite.db_router)
def search_answer(query) -> tuple[int, bytes, dict[str, str]]:
    """(status, body, headers): ``search_response`` with the cache and its headers. The fast
    path (mapsite.wsgi) mounts this one and turns a matching If-None-Match into a 304."""
    form = MapSearchForm(query)
    if not form.is_valid():
        return 400, orjson.dumps(form.errors), {}
    params = form.params
    key = None
    if _cacheable(params):
        version = listings_version()
        if version is not None:
            key = cache_key(params, version)
            hit = caches[CACHE_ALIAS].get(key)
            if hit is not None:
                etag, body = hit
                return 200, body, {**PUBLIC_HEADERS, "ETag": etag}
    try:
        body = map_search(params=params)
    except ValidationError as exc:  # e.g. an adcode that names no region
        return 400, orjson.dumps(validation_payload(exc)), {}
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if key is not None:
        caches[CACHE_ALIAS].set(key, (etag, body))
    return 200, body, {**PUBLIC_HEADERS, "ETag": etag}


def _cacheable(params: dict) -> bool:
    if any(params.get(name) is not None for name in UNCACHED_PARAMS):
        return False
    # Inside a transaction the search may see the transaction's own uncommitted changes,
    # which the version only shows once committed.
    return not connection.in_atomic_block


def listings_version() -> int | None:
    """The listings version, or None when the row is missing (a test database just flushed:
    nothing is cached until the next change)."""
    with connection.cursor() as cur:
        cur.execute("SELECT version FROM catalog_listingsversion")
        row = cur.fetchone()
    return row[0] if row else None


def cache_key(params: dict, version: int) -> str:
    """The normalised parameters (validated values with defaults, unset ones left out) and
    the listings version."""
    items = sorted((name, value) for name, value in params.items() if value is not None and value != "")
    digest = hashlib.blake2b(repr(items).encode(), digest_size=16).hexdigest()
    return f"mapsearch:{version}:{digest}"
