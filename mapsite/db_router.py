"""Reads on PostgreSQL streaming replicas, writes and read-after-write on the primary.

``DATABASE_REPLICA_URLS`` (settings) adds one alias per replica (``replica1``, ``replica2``…,
listed in ``settings.DATABASE_REPLICAS``). With none configured every function here answers
"default" and nothing changes.

Which reads may go to a replica — the rule, in one place:

- only inside a request that ``mapsite.middleware_replicas`` marked as a replica read: a
  ``GET``/``HEAD`` to a view named in ``settings.DATABASE_REPLICA_VIEWS`` (public map and
  search, public catalogue pages, dashboards: pages that show data the reader did not just
  write, where a second of lag is invisible);
- never once the request wrote anything (``db_for_write`` pins it to the primary), never
  inside ``transaction.atomic`` on the primary, never for the apps in
  ``settings.DATABASE_PRIMARY_APPS`` (sessions, users, tokens, lockouts, the task queue:
  a session written on login must be readable by the very next request);
- never for a request carrying the short-lived pin cookie a writing request sets, so a user
  never reads behind their own write on the next page either;
- never from a replica that is down or lags more than ``DATABASE_REPLICA_MAX_LAG_SECONDS``:
  each process asks each replica how far behind it is at most once per
  ``DATABASE_REPLICA_CHECK_SECONDS`` (one cheap query) and falls back to the primary
  meanwhile. A replica that fails mid-request is marked down and the read is run again on
  the primary (see ``on_replica`` and the middleware), so the user sees no error.

Management commands, the task worker and shell sessions have no request: they always read
from the primary. Migrations never run on a replica (``allow_migrate``).

Raw-SQL reads (the map search's fast path uses ``django.db.connection`` directly) are routed
with ``on_replica(fn, ...)``. This module is part of the kernel: it imports none of our apps.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError

log = logging.getLogger(__name__)

# Errors that mean "this replica cannot answer now" (refused connection, server stopped,
# recovery conflict that cancelled the statement).
REPLICA_ERRORS = (OperationalError, InterfaceError)

# Lag in seconds as the replica itself sees it: 0 when it has replayed everything it
# received, else the age of the last transaction it replayed. (A replica cut off from its
# primary also reports 0 here; its WAL receiver's absence shows in `scripts/replica.sh status`.)
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""


@dataclass
class RequestReads:
    """Where the reads of the current request may go."""

    replica_ok: bool = False  # the middleware marked this request as a replica read
    pinned: bool = False  # it wrote (or was told to stay on the primary)
    alias: str | None = None  # the replica chosen for this request (one per request)
    wrote: bool = False


_request: ContextVar[RequestReads | None] = ContextVar("mapsite_request_reads", default=None)


# --- Replica health, per process ---------------------------------------------------------------
_health: dict[str, tuple[float, bool]] = {}
_health_lock = threading.Lock()


def forget_replica_health() -> None:
    """Ask the replicas again on the next read (tests; after a failover)."""
    with _health_lock:
        _health.clear()


def mark_down(alias: str) -> None:
    with _health_lock:
        _health[alias] = (time.monotonic(), False)
    try:
        connections[alias].close()
    except Exception:  # noqa: BLE001 — a dead connection may fail to close; it is dropped anyway
        log.debug("closing replica %s failed", alias, exc_info=True)


def replica_lag_seconds(alias: str) -> float:
    """How far behind ``alias`` is (raises a database error when it is unreachable)."""
    with connections[alias].cursor() as cur:
        cur.execute(LAG_SQL)
        return float(cur.fetchone()[0])


def replica_is_usable(alias: str) -> bool:
    now = time.monotonic()
    with _health_lock:
        seen = _health.get(alias)
    if seen is not None and now - seen[0] < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return seen[1]
    try:
        lag = replica_lag_seconds(alias)
        ok = lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if not ok:
            log.warning("replica %s lags %.1f s: reading from the primary", alias, lag)
    except REPLICA_ERRORS:
        log.warning("replica %s is unreachable: reading from the primary", alias, exc_info=True)
        mark_down(alias)
        return False
    with _health_lock:
        _health[alias] = (now, ok)
    return ok


def _pick_replica() -> str | None:
    usable = [alias for alias in settings.DATABASE_REPLICAS if replica_is_usable(alias)]
    return random.choice(usable) if usable else None  # noqa: S311 — load spreading, not security


# --- The request's state (set by mapsite.middleware_replicas) --------------------------------------
def begin_request(*, pinned: bool = False):
    """Start a request: reads go to the primary until ``allow_replica_reads``. Returns a token
    for ``end_request``."""
    return _request.set(RequestReads(pinned=pinned))


def end_request(token) -> bool:
    """Forget the request's state; whether it wrote."""
    state = _request.get()
    _request.reset(token)
    return bool(state and state.wrote)


def allow_replica_reads() -> None:
    state = _request.get()
    if state is not None:
        state.replica_ok = True


def pin_to_primary() -> None:
    """From now on this request reads from the primary (it wrote, or must see the latest)."""
    state = _request.get()
    if state is not None:
        state.pinned = True
        state.wrote = True


def current_replica() -> str | None:
    """The replica the current request reads from, or None (primary)."""
    state = _request.get()
    if state is None or not state.replica_ok or state.pinned or not settings.DATABASE_REPLICAS:
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None  # a transaction reads its own writes
    if state.alias is None or not replica_is_usable(state.alias):
        state.alias = _pick_replica()
        if state.alias is None:
            state.pinned = True  # none usable: stay on the primary for the rest of the request
    return state.alias


def read_alias() -> str:
    """The alias a read in the current context should use."""
    return current_replica() or DEFAULT_DB_ALIAS


def fall_back_to_primary() -> str | None:
    """After a replica failed mid-request: mark it down and pin the request. Returns the
    replica that failed, or None when the request was not reading from one."""
    state = _request.get()
    if state is None or state.alias is None:
        return None
    failed, state.alias = state.alias, None
    mark_down(failed)
    state.pinned = True
    return failed


class ReplicaRouter:
    """Django's database router: see the module docstring for the rule."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in settings.DATABASE_PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return current_replica() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- Raw-SQL reads -----------------------------------------------------------------------------------
def on_replica(fn, /, *args, **kwargs):
    """Run ``fn`` — a pure read written against ``django.db.connection`` — on a replica.

    For code that uses the default connection directly (raw cursors), not the ORM. Inside,
    this thread's default connection *is* the replica's, so ``fn`` must not write (a
    replica refuses writes anyway). Used outside any request (the WSGI fast path serves the
    public map search without the middleware) and in replica-read requests; a request that
    wrote, a transaction, or no usable replica run ``fn`` on the primary as usual. If the
    replica fails while ``fn`` runs, it is marked down and ``fn`` runs again on the primary.
    """
    state = _request.get()
    if not settings.DATABASE_REPLICAS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return fn(*args, **kwargs)
    if state is None:
        alias = _pick_replica()
    elif state.replica_ok:
        alias = current_replica()
    else:
        alias = None
    if alias is None:
        return fn(*args, **kwargs)
    primary, replica = connections[DEFAULT_DB_ALIAS], connections[alias]
    # No `SELECT 1` health check before the read (a round trip on the hottest request): a
    # dead kept connection fails the read, which then runs on the primary below.
    replica.health_check_done = True
    connections[DEFAULT_DB_ALIAS] = replica
    try:
        return fn(*args, **kwargs)
    except REPLICA_ERRORS:
        log.warning("replica %s failed during a read: reading from the primary", alias, exc_info=True)
    finally:
        connections[DEFAULT_DB_ALIAS] = primary
    mark_down(alias)
    if state is not None:
        fall_back_to_primary()
    return fn(*args, **kwargs)


def replica_read(fn):
    """``on_replica`` as a decorator, for a read-only endpoint function (the map search)."""

    @functools.wraps(fn)
    def read(*args, **kwargs):
        return on_replica(fn, *args, **kwargs)

    return read
