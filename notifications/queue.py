"""The task queue: procrastinate on this project's own PostgreSQL database.

Work that need not hold up a request — e-mail and SMS for notifications, the daily voucher
job, the dashboards' refresh — is a procrastinate task, run by the worker (``manage.py
tasks_worker``, started by ``make run`` beside gunicorn). Why PostgreSQL rather than a
broker: README "The worker".

* **Enqueue in the business transaction.** ``task.defer()`` goes through Django's own
  connection (procrastinate's ``DjangoConnector``): the job row is written inside the
  caller's transaction, so a rolled-back change enqueues nothing, and a committed one cannot
  lose its job.
* **Retries with backoff.** Every task defined with ``RETRYING`` is retried
  ``TASK_RETRIES`` times, after ``TASK_RETRY_BASE_SECONDS`` × 2ⁿ (30 s, 1, 2, 4, 8 min by
  default); each failed attempt's error is kept (``TaskFailure``, procrastinate keeps only
  the status). After the last retry the job stays ``failed``: the dead-letter page lists it
  and retries it on request (one more attempt each time).
* **A dead worker loses nothing.** A job is taken by one worker in a row-locking
  transaction and marked ``doing`` with that worker's id; the worker beats its heart every
  ``WORKER_HEARTBEAT_SECONDS``. A job still ``doing`` whose worker has been silent for
  ``WORKER_STALLED_SECONDS`` (killed, machine lost) is put back to ``todo`` by
  :func:`recover_stalled_jobs` — when any worker starts and every minute in a running one —
  and runs again. Jobs not yet taken simply wait in the table. So delivery is at least
  once: a worker killed after the mail server accepted a message but before it marked the
  job done sends it again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from procrastinate import App, BaseRetryStrategy, JobContext, RetryDecision
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.exceptions import ConnectorException
from procrastinate.manager import JobManager

from notifications.models import TaskFailure

log = logging.getLogger(__name__)

__all__ = ["RETRYING", "app", "failed_jobs", "job_retry", "recover_stalled_jobs", "run_worker"]


class Backoff(BaseRetryStrategy):
    """``TASK_RETRIES`` retries after ``TASK_RETRY_BASE_SECONDS`` × 2ⁿ, read when a job
    fails (a deployment or a test changes them without re-importing the tasks)."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        if job.attempts >= settings.TASK_RETRIES:
            return None
        return RetryDecision(retry_in={"seconds": settings.TASK_RETRY_BASE_SECONDS * 2**job.attempts})


def record_failure(call_next, context, worker):
    """Task middleware: keep why an attempt failed (the dead-letter page shows it), then let
    the error go on to the retry strategy."""
    try:
        return call_next()
    except Exception as exc:
        job = context.job
        TaskFailure.objects.create(
            job_id=job.id,
            task_name=job.task_name,
            attempt=job.attempts + 1,
            error=f"{type(exc).__name__}: {exc}"[:4000],
        )
        raise


#: Options of every task of ours: ``@app.task(name=…, **RETRYING)``.
RETRYING = {"retry": Backoff(), "task_middleware": [record_failure]}


# --- Stalled jobs and old rows ----------------------------------------------------------------


async def recover_stalled_jobs(job_manager: JobManager | None = None) -> list[int]:
    """Put back to ``todo`` every job left ``doing`` by a worker that stopped beating its
    heart ``WORKER_STALLED_SECONDS`` ago (or was pruned); the retry counts as an attempt."""
    job_manager = job_manager or app.job_manager
    jobs = await job_manager.get_stalled_jobs(seconds_since_heartbeat=settings.WORKER_STALLED_SECONDS)
    for job in jobs:
        log.warning("job %s (%s) was left running by a dead worker: retrying it", job.id, job.task_name)
        await job_manager.retry_job(job)
    return [job.id for job in jobs]


@app.periodic(cron="* * * * *", periodic_id="recover_stalled_jobs")
@app.task(name="tasks.recover_stalled_jobs", queueing_lock="tasks.recover_stalled_jobs", pass_context=True)
async def recover_stalled_jobs_task(context: JobContext, timestamp: int) -> list[int]:
    return await recover_stalled_jobs(context.app.job_manager)


KEEP_FINISHED_DAYS = 30


#: Further clean-ups of the nightly ``remove_old_jobs`` (synchronous functions), added by the
#: modules that keep rows of their own: ``notifications.exports`` removes expired exports.
OLD_ROW_CLEANUPS: list[Callable[[], object]] = []


@app.periodic(cron="0 19 * * *", periodic_id="remove_old_jobs")  # 03:00 Beijing time
@app.task(name="tasks.remove_old_jobs", queueing_lock="tasks.remove_old_jobs", pass_context=True)
async def remove_old_jobs(context: JobContext, timestamp: int) -> None:
    """Succeeded jobs older than 30 days leave the table; failed ones stay for the
    dead-letter page until retried. Then the clean-ups of ``OLD_ROW_CLEANUPS``."""
    await context.app.job_manager.delete_old_jobs(nb_hours=24 * KEEP_FINISHED_DAYS)
    for cleanup in OLD_ROW_CLEANUPS:
        await sync_to_async(cleanup)()


def worker_app(*, periodic: bool = True) -> App:
    """An app for running jobs: the same tasks (and schedule, unless ``periodic=False``),
    with its own asynchronous connection (psycopg 3, pooled, LISTEN/NOTIFY) for fetching and
    finishing jobs. The tasks themselves still belong to the Django app, so a task that
    defers another (the daily job notifying people) does so through Django's connection,
    inside its own transaction — not through the worker's connection, which would commit the
    job before the change it belongs to."""
    worker = App(
        connector=app.connector.get_worker_connector(),
        worker_defaults=app.worker_defaults,
        periodic_defaults=app.periodic_defaults,
    )
    worker.tasks = app.tasks
    if periodic:
        worker.periodic_registry = app.periodic_registry
    return worker


def run_worker(*, periodic: bool = True, **options) -> None:
    """The worker of ``manage.py tasks_worker``: put back what dead workers left running,
    then run every queue (and the periodic tasks) until SIGINT/SIGTERM, which lets running
    jobs finish. Options override ``PROCRASTINATE_WORKER_DEFAULTS`` (``wait=False``: stop
    when no job is due)."""
    worker = worker_app(periodic=periodic)

    async def main() -> None:
        async with worker.open_async():
            await recover_stalled_jobs(worker.job_manager)
            await worker.run_worker_async(**options)

    asyncio.run(main())


# --- Dead letters ---------------------------------------------------------------------------

# Who may see and retry failed jobs, and their name in refusals. The centre's role lives in
# accounts, a layer above, which installs its rule and the deployment's name for it at
# start-up (``set_queue_manager``); until then superusers only.
_may_manage: Callable[[object], bool] = lambda user: bool(getattr(user, "is_superuser", False))  # noqa: E731
_managers: Callable[[], str] = lambda: "系统管理员"  # noqa: E731


def set_queue_manager(rule: Callable[[object], bool], managers: Callable[[], str] | None = None) -> None:
    global _may_manage, _managers
    _may_manage = rule
    if managers is not None:
        _managers = managers


def may_manage_queue(user) -> bool:
    return bool(user and user.is_authenticated and _may_manage(user))


def queue_managers_only(action: str) -> str:
    """The refusal "只有{managers}可以{action}。", the managers named at call time."""
    return f"只有{_managers()}可以{action}。"


@dataclass(frozen=True)
class FailedJob:
    id: int
    task_name: str
    args: dict
    attempts: int
    error: str
    failed_at: dt.datetime | None
    failures: int


def failed_jobs(*, limit: int = 200) -> list[FailedJob]:
    """Jobs that ran out of retries, newest first, each with its last error."""
    jobs = list(ProcrastinateJob.objects.filter(status="failed").order_by("-id")[:limit])
    last: dict[int, TaskFailure] = {}
    counts: dict[int, int] = {}
    for f in TaskFailure.objects.filter(job_id__in=[j.id for j in jobs]).order_by("failed_at", "id"):
        last[f.job_id] = f
        counts[f.job_id] = counts.get(f.job_id, 0) + 1
    return [
        FailedJob(
            id=j.id,
            task_name=j.task_name,
            args=j.args,
            attempts=j.attempts,
            error=last[j.id].error if j.id in last else "",
            failed_at=last[j.id].failed_at if j.id in last else None,
            failures=counts.get(j.id, 0),
        )
        for j in jobs
    ]


def job_retry(*, job_id: int, by) -> None:
    """Send a failed job back to the queue now, for one more attempt."""
    if not may_manage_queue(by):
        raise PermissionDenied(queue_managers_only("重试失败的任务"))
    if not ProcrastinateJob.objects.filter(pk=job_id, status="failed").exists():
        raise ValidationError("该任务不是失败状态（可能已被重试）。")
    try:
        # The queue's own function locks the row and refuses a job that is no longer
        # failed (two people pressing "retry" at once: the second is refused).
        with transaction.atomic():
            app.job_manager.retry_job_by_id(job_id=job_id, retry_at=timezone.now())
    except ConnectorException:
        raise ValidationError("该任务不是失败状态（可能已被重试）。") from None
    log.info("job %s retried by %s", job_id, by)
