"""Per-request replica routing (the rule is in ``mapsite.db_router``).

Every request starts on the primary. A ``GET``/``HEAD`` to a view named in
``settings.DATABASE_REPLICA_VIEWS`` may read from a replica, unless the client carries the
pin cookie: a request that wrote sets it for ``DATABASE_REPLICA_PIN_SECONDS``, so the pages
a user opens right after a change are read from the primary and never show the state from
before it. If a replica fails while the view runs, the view is run once more on the primary
(it is a read: running it again changes nothing) instead of answering 500.

With no replica configured the middleware only keeps the (unused) state and sets no cookie.
"""

from __future__ import annotations

from django.conf import settings

from mapsite import db_router

PIN_COOKIE = "db_primary"
SAFE_METHODS = ("GET", "HEAD")


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def replica_view(request) -> bool:
    """Whether this request may read from a replica (``DATABASE_REPLICA_VIEWS`` holds view
    names, or ``namespace:*`` for every view of a namespace)."""
    if request.method not in SAFE_METHODS:
        return False
    name = _view_name(request)
    allowed = settings.DATABASE_REPLICA_VIEWS
    return name in allowed or (":" in name and name.split(":", 1)[0] + ":*" in allowed)


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = db_router.begin_request(pinned=PIN_COOKIE in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            wrote = db_router.end_request(token)
        if wrote and settings.DATABASE_REPLICAS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.DATABASE_REPLICAS and replica_view(request):
            db_router.allow_replica_reads()

    def process_exception(self, request, exception):
        if not isinstance(exception, db_router.REPLICA_ERRORS) or db_router.fall_back_to_primary() is None:
            return None
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
