"""The role-based home page: what waits for this user, and where to go next.

It lives in accounts because what it shows is chosen by the user's role and organisation;
the project package (``mapsite``) only routes ``/`` here.
"""

from __future__ import annotations

from django.shortcuts import render

from accounts.models import Role
from accounts.selectors import review_queue


def home(request):
    user = request.user
    context: dict = {"role": getattr(user, "role", None)}
    if user.is_authenticated and user.organisation_id:
        context["organisation"] = user.organisation
        if user.role in (Role.BUREAU, Role.OPERATOR, Role.EXPERT):
            context["queue_count"] = review_queue(user).count()
        context["unread"] = user.notifications.filter(read_at__isnull=True).count()
    return render(request, "home.html", context)
