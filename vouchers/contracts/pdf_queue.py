"""Queueing the contract PDF's render (the worker's ``vouchers.render_contract_pdf``).

A module of its own, naming the task by name, because the contract services queue the
render and the task's module imports the renderer, which imports the services.

One job per contract at a time: the job takes the contract's *current* revision when it
runs, so a waiting job already covers every later change. procrastinate's queueing lock
(``contract-pdf:<pk>``, unique among waiting jobs) refuses a second waiting job, and its
lock of the same name runs one render of a contract at a time, in the order queued.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import transaction
from procrastinate import exceptions
from procrastinate.contrib.django.models import ProcrastinateJob

from notifications.queue import app

RENDER_TASK = "vouchers.render_contract_pdf"

# While set, the services' renders after a change are not queued (``renders_on_demand``).
_on_demand = contextvars.ContextVar("contract_pdf_on_demand", default=False)


@contextlib.contextmanager
def renders_on_demand() -> Iterator[None]:
    """Within it, a contract change queues no render: the PDF is rendered when first asked
    for (the page and the download find no file for the current revision, show the render's
    progress and queue it — ``renditions.current``). For bulk writers such as the demo
    loader, whose hundreds of contracts would otherwise keep the worker busy for minutes."""
    token = _on_demand.set(True)
    try:
        yield
    finally:
        _on_demand.reset(token)


def lock_of(contract_id: int) -> str:
    return f"contract-pdf:{contract_id}"


def queue_render(contract_id: int) -> bool:
    """Queue the render of the contract's current revision; False if one is waiting already."""
    lock = lock_of(contract_id)
    if ProcrastinateJob.objects.filter(queueing_lock=lock, status="todo").exists():
        return False  # the usual case while a contract is edited: no refused insert logged
    try:
        # A savepoint: the refused INSERT must not break a surrounding transaction.
        with transaction.atomic():
            app.configure_task(name=RENDER_TASK, queueing_lock=lock, lock=lock).defer(contract_id=contract_id)
    except exceptions.AlreadyEnqueued:
        return False
    return True


def queue_render_on_commit(contract_id: int) -> None:
    """After the change that makes a new revision commits (never for a rolled-back one);
    nothing inside ``renders_on_demand``."""
    if _on_demand.get():
        return
    transaction.on_commit(lambda: queue_render(contract_id))


def last_job_status(contract_id: int) -> str | None:
    """``todo``, ``doing``, ``failed``, ``succeeded``… of the contract's latest render job."""
    job = ProcrastinateJob.objects.filter(task_name=RENDER_TASK, lock=lock_of(contract_id)).order_by("-id").first()
    return job.status if job else None
