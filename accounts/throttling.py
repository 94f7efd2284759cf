"""Rate limits on the authentication endpoints, kept in the shared cache.

Two mechanisms, each counting per client address and (where a username exists) per
username, in storage every process shares:

- django-axes (database tables) counts *failed* logins on the login page and the token
  endpoint and locks the username and the address out for ``AXES_COOLOFF_TIME`` after
  ``AXES_FAILURE_LIMIT`` failures. A locked-out attempt is refused before the password is
  hashed, so the lockout also removes the CPU lever.
- DRF-style rate throttles (the database cache, ``caches["shared"]``) bound *all*
  requests per address to the token, login, registration and password-reset endpoints,
  successful or not; the registration page and the API share one counter.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle

from mapsite.api import wait_message


class _AddressThrottle(SimpleRateThrottle):
    """Counts requests per client address (``NUM_PROXIES`` decides which address)."""

    setting: str = ""

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self):
        # Read at call time, so a deployment (or a test) can change the rate in settings.
        return getattr(settings, self.setting)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginRateThrottle(_AddressThrottle):
    scope, setting = "login", "LOGIN_RATE_PER_ADDRESS"


class RegistrationRateThrottle(_AddressThrottle):
    scope, setting = "register", "REGISTRATION_RATE_PER_ADDRESS"


class PasswordResetRateThrottle(_AddressThrottle):
    scope, setting = "password_reset", "PASSWORD_RESET_RATE_PER_ADDRESS"


def page_throttled(request: HttpRequest, throttle_class: type[_AddressThrottle]) -> HttpResponse | None:
    """For a plain Django view: a 429 page when this address is over the limit, else None."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    response = render(request, "error.html", {"status": 429, "message": wait_message(wait)}, status=429)
    response["Retry-After"] = str(max(1, int(wait or 1)))
    return response


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"登录失败次数过多，该账号或当前网络地址已被暂时锁定，请 {minutes} 分钟后再试。"


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' response for a locked-out attempt (AXES_LOCKOUT_CALLABLE): 429 in
    Chinese, JSON under /api/, the error page elsewhere."""
    retry = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "error.html", {"status": 429, "message": lockout_message()}, status=429)
    response["Retry-After"] = retry
    return response
