from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import queue
from notifications.queue import may_manage_queue
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
        raise PermissionDenied("只有创业中心或系统管理员可以查看失败的任务。")


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
