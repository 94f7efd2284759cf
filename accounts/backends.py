"""Authentication backends: django-axes in front of the model backend."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses any login for a username or a client address that axes has locked out.

    Every login from the network passes the request (the login page, the token endpoint).
    A call without one (``manage.py`` scripts, the test client's ``login()``) cannot be a
    brute-force attempt from outside, so it is left to the next backend instead of raising
    ``AxesBackendRequestParameterRequired``."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
