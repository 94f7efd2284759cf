"""Site-wide error pages (JSON under /api/). The home page is the portal's (``portal.views.home``)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render


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
