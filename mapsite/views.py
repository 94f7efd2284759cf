"""Site-wide pages: the role-based home page and error pages (JSON under /api/)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from accounts.models import Role


def home(request):
    """Home by role: what waits for this user, and where to go next."""
    user = request.user
    context: dict = {"role": getattr(user, "role", None)}
    if user.is_authenticated and user.organisation_id:
        from accounts.selectors import review_queue

        context["organisation"] = user.organisation
        if user.role in (Role.BUREAU, Role.OPERATOR, Role.EXPERT):
            context["queue_count"] = review_queue(user).count()
        context["unread"] = user.notifications.filter(read_at__isnull=True).count()
    return render(request, "home.html", context)


def _error(request, status: int, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "请求无效。")


def permission_denied(request, exception=None):
    return _error(request, 403, "您没有权限访问该页面。")


def page_not_found(request, exception=None):
    return _error(request, 404, "页面不存在。")


def server_error(request):
    return _error(request, 500, "服务器内部错误，请稍后再试。")
