from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from notifications import exports, queue
from notifications.models import ExportStatus
from notifications.queue import may_manage_queue, queue_managers_only
from notifications.services import mark_read


@login_required
def inbox(request):
    items = request.user.notifications.all()[:200]
    return render(request, "notifications/inbox.html", {"items": items})


@login_required
@require_POST
def read_all(request):
    mark_read(user=request.user)
    return redirect("notifications:inbox")


# --- Dead letters: jobs of the task queue that ran out of retries -----------------------------


def _queue_manager(request):
    if not may_manage_queue(request.user):
        raise PermissionDenied(queue_managers_only("查看失败的任务"))


@login_required
def failed_jobs(request):
    _queue_manager(request)
    return render(request, "notifications/failed_jobs.html", {"jobs": queue.failed_jobs()})


@login_required
@require_POST
def failed_job_retry(request, job_id: int):
    _queue_manager(request)
    try:
        queue.job_retry(job_id=job_id, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"任务 {job_id} 已重新排队。")
    return redirect("tasks:failed_jobs")


# --- Exports built by the worker ----------------------------------------------------------------


def _export_or_404(request, pk):
    job = exports.get_export_for_user(request.user, pk)
    if job is None:
        raise Http404("没有这个导出任务，或您无权查看。")
    return job


@login_required
@require_safe
def export_list(request):
    context = {"jobs": exports.my_exports(request.user), "keep_days": settings.EXPORT_KEEP_DAYS}
    return render(request, "notifications/exports.html", context)


@login_required
@require_safe
@never_cache
def export_detail(request, pk):
    job = _export_or_404(request, pk)
    return render(
        request,
        "notifications/export_job.html",
        {
            "job": job,
            "finished": job.status in (ExportStatus.DONE, ExportStatus.FAILED),
            "download_url": reverse("tasks:export_download", args=[job.pk]) if job.status == ExportStatus.DONE else "",
        },
    )


@login_required
@require_safe
@never_cache
def export_status(request, pk):
    job = exports.get_export_for_user(request.user, pk)
    if job is None:
        return JsonResponse({"detail": "没有这个导出任务，或您无权查看。"}, status=404)
    return JsonResponse(exports.status_dict(job, reverse("tasks:export_download", args=[job.pk])))


@login_required
@require_safe
@never_cache
def export_download(request, pk):
    job = _export_or_404(request, pk)
    if job.status != ExportStatus.DONE or not job.file.name:
        raise Http404("导出文件尚未生成或已过期。")
    try:
        return exports.serve_export(job)
    except (FileNotFoundError, OSError) as exc:
        raise Http404("导出文件尚未生成或已过期。") from exc
