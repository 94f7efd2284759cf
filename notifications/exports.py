"""Table exports, small ones at once and large ones in the worker (README "Exports").

An export is a ``mapsite.tables.Table`` written as CSV or Excel. A higher app registers each
kind of export it offers by name (``register(ExportKind(...))`` in its ``exports`` module,
found by ``autodiscover_modules("exports")`` the way the admin finds ``admin`` modules) with a
``resolve(user, params)`` that checks the parameters and the user's right to them and returns
an :class:`ExportSpec`: normalised parameters, a row estimate, and the builder. This app knows
no dashboard or evaluation: it only runs what was registered.

* **Small at once.** :func:`export_response` asks the estimate; up to
  ``EXPORT_SYNC_MAX_ROWS`` rows the file is built and streamed in the request as before.
* **Large in the worker.** Above it, an :class:`ExportJob` is written and its task queued in
  the same transaction, and the browser goes to the job's page, which shows the rows written
  so far and the download link when done.
* **Scope from the requester, never from the record.** The job stores the requester and the
  normalised parameters; the worker calls the kind's ``resolve`` again with the requester as
  they are now, so a region filter outside the requester's scope is refused in the worker as
  it is in the request, and a bureau whose role was taken away gets nothing.
* **A crashed worker.** The queue re-runs the job (``notifications.queue``); a run starts
  from row 0 and overwrites the stored file under the job's generated name, so a job ends
  with one file whatever happened before.
* **Expiry.** A finished job and its file are removed ``EXPORT_KEEP_DAYS`` after it
  finished (by the worker's nightly ``tasks.remove_old_jobs``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from procrastinate import JobContext

from mapsite.tables import CONTENT_TYPES, NUMBER_FORMATS, Column, Table, _safe_cell, file_response, plain
from notifications.models import ExportJob, ExportJobEvent, ExportStatus
from notifications.queue import OLD_ROW_CLEANUPS, RETRYING, app, may_manage_queue

log = logging.getLogger(__name__)

#: Rows written between two progress updates of a job.
PROGRESS_EVERY = 200

#: Which status may follow which (one audit row per move: ``ExportJobEvent``).
EXPORT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ExportStatus.QUEUED: (ExportStatus.RUNNING, ExportStatus.FAILED),
    # running → running: a worker died mid-run and the queue runs the job again;
    # running → queued: an attempt failed and the queue will retry it.
    ExportStatus.RUNNING: (ExportStatus.RUNNING, ExportStatus.QUEUED, ExportStatus.DONE, ExportStatus.FAILED),
    # failed → running: retried from the dead-letter page after its last automatic retry.
    ExportStatus.FAILED: (ExportStatus.RUNNING,),
    ExportStatus.DONE: (),
}


class InvalidTransition(Exception):
    pass


# --- Registry ---------------------------------------------------------------------------------


@dataclass
class ExportSpec:
    """What one export will hold, for one user. ``estimate`` is a cheap row count (an upper
    bound is fine) that decides between streaming and queueing; ``build`` makes the table."""

    params: dict[str, str]
    title: str
    filename: str
    estimate: Callable[[], int]
    build: Callable[[], Table]


@dataclass(frozen=True)
class ExportKind:
    name: str
    #: (user, raw parameters) → spec; raises ValidationError (bad parameters, Chinese) or
    #: PermissionDenied (not the user's to see).
    resolve: Callable[[object, dict], ExportSpec]


_kinds: dict[str, ExportKind] = {}
_discovered = False


def register(kind: ExportKind) -> ExportKind:
    _kinds[kind.name] = kind
    return kind


def get_kind(name: str) -> ExportKind:
    global _discovered
    if name not in _kinds and not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    try:
        return _kinds[name]
    except KeyError:
        raise ValidationError(f"没有这种导出：{name[:40]}") from None


def resolve(*, user, kind: str, params: dict, fmt: str) -> ExportSpec:
    if fmt not in CONTENT_TYPES:
        raise ValidationError(f"不支持的导出格式：{str(fmt)[:10]}（可选 CSV 或 Excel）。")
    return get_kind(kind).resolve(user, dict(params))


# --- Request side -----------------------------------------------------------------------------


def _text(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def export_response(request, *, kind: str, params: dict, fmt: str) -> HttpResponse:
    """The export view's answer: the file itself when the estimate is at most
    ``EXPORT_SYNC_MAX_ROWS`` rows, else a queued job and a redirect to its page. Bad
    parameters are a 400 in Chinese and queue nothing; PermissionDenied goes up (403)."""
    try:
        spec = resolve(user=request.user, kind=kind, params=params, fmt=fmt)
    except ValidationError as exc:
        return _text(400, "；".join(exc.messages))
    if spec.estimate() <= settings.EXPORT_SYNC_MAX_ROWS:
        return file_response(spec.build(), fmt, spec.filename)
    job = export_queue(user=request.user, kind=kind, spec=spec, fmt=fmt)
    return redirect("tasks:export", pk=job.pk)


def _move(job: ExportJob, to: str, note: str = "", **fields) -> None:
    """Change ``job``'s status (the caller holds its row lock) and record the move."""
    if to not in EXPORT_TRANSITIONS[job.status]:
        raise InvalidTransition(f"{job.status} → {to}")
    ExportJobEvent.objects.create(job=job, from_status=job.status, to_status=to, note=note[:500])
    job.status = to
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields])


@transaction.atomic
def export_queue(*, user, kind: str, spec: ExportSpec, fmt: str) -> ExportJob:
    """Record the job and queue its task in one transaction: no job without its task."""
    job = ExportJob(
        user=user,
        kind=kind,
        params=spec.params,
        fmt=fmt,
        title=spec.title[:200],
        filename=f"{spec.filename}.{fmt}"[:200],
        # The file's one generated name, fixed before any run: a re-run overwrites it.
        file=f"exports/{uuid.uuid4().hex}.{fmt}",
        expires_at=timezone.now() + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
    )
    job.full_clean()
    job.save()
    ExportJobEvent.objects.create(job=job, to_status=ExportStatus.QUEUED, note="提交")
    build_export.defer(export_id=str(job.pk))
    return job


# --- Worker side ------------------------------------------------------------------------------


def _csv_lines(table: Table) -> Iterable[str]:
    """The same bytes as ``mapsite.tables.to_csv``, a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield "\ufeff" + line([c.label for c in table.columns])
    for row in table.rows + ([table.footer] if table.footer else []):
        yield line([_cell_text(v, c) for v, c in zip(row, table.columns, strict=True)])


def _cell_text(value, column: Column) -> str:
    # As mapsite.tables.to_csv: a text cell never starts like a formula.
    return plain(value, column) if column.numeric else _safe_cell(plain(value, column))


def _xlsx_values(row: list, columns: list[Column]) -> list:
    values = []
    for v, c in zip(row, columns, strict=True):
        if v is None or v == "":
            values.append(None)
        elif c.kind == "money":
            values.append(Decimal(v))
        elif c.numeric:
            values.append(float(v) if isinstance(v, float | Decimal) else v)
        else:
            values.append(_safe_cell(str(v)))
    return values


def write_table(table: Table, fmt: str, out, progress: Callable[[int], None]) -> None:
    """Write ``table`` to the binary file ``out``, calling ``progress(rows written)`` every
    ``PROGRESS_EVERY`` rows. The cells are those of the synchronous export."""
    total = len(table.rows)
    if fmt == "csv":
        for i, text in enumerate(_csv_lines(table)):
            out.write(text.encode("utf-8"))
            if i and i <= total and i % PROGRESS_EVERY == 0:
                progress(i)
        return
    # why: openpyxl takes seconds to import; only an Excel export needs it
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([c.label for c in table.columns])
    for i, row in enumerate(table.rows + ([table.footer] if table.footer else []), start=1):
        sheet.append(_xlsx_values(row, table.columns))
        for j, c in enumerate(table.columns, start=1):
            if c.kind in NUMBER_FORMATS:
                sheet.cell(row=i + 1, column=j).number_format = NUMBER_FORMATS[c.kind]
        if i <= total and i % PROGRESS_EVERY == 0:
            progress(i)
    for j, c in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = 14 if c.numeric else 26
    book.save(out)


def _locked(export_id) -> ExportJob | None:
    return ExportJob.objects.select_for_update().filter(pk=export_id).first()


def export_build(*, export_id: str, last_attempt: bool = True) -> int | None:
    """Build job ``export_id``'s file (the worker's task). Returns the rows written, or None
    when there was nothing to do (done already, expired and removed) or the job was refused.

    A refusal — the requester may no longer see what they asked for, the parameters no
    longer hold — fails the job at once with the Chinese reason. Any other error sends the
    job back to ``queued`` (the queue retries it), or fails it on the last attempt; the
    error is raised again for the queue."""
    with transaction.atomic():
        job = _locked(export_id)
        if job is None or job.status == ExportStatus.DONE:
            return None
        note = "重新开始（上次运行中断）" if job.status == ExportStatus.RUNNING else "开始"
        _move(job, ExportStatus.RUNNING, note, started_at=timezone.now(), rows_done=0, rows_total=None, error="")
    try:
        spec = resolve(user=job.user, kind=job.kind, params=job.params, fmt=job.fmt)
        table = spec.build()
    except (PermissionDenied, ValidationError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or "无权导出这些数据。"]
        _finish(job.pk, ExportStatus.FAILED, error="；".join(messages))
        return None
    except Exception as exc:
        _finish_after_error(job.pk, exc, last_attempt)
        raise
    total = len(table.rows)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=rows)

    try:
        # The file is written outside any transaction, then stored under the job's one name
        # (a re-run replaces what an interrupted run left).
        with tempfile.TemporaryFile() as tmp:
            write_table(table, job.fmt, tmp, progress)
            tmp.seek(0)
            name = job.file.name
            if default_storage.exists(name):
                default_storage.delete(name)
            stored = default_storage.save(name, File(tmp))
    except Exception as exc:
        _finish_after_error(job.pk, exc, last_attempt)
        raise
    _finish(job.pk, ExportStatus.DONE, file=stored, rows_done=total, rows_total=total)
    return total


def _finish(pk, status: str, note: str = "", **fields) -> None:
    now = timezone.now()
    with transaction.atomic():
        job = _locked(pk)
        # A run taken for dead that was only slow may finish after its re-run: the first
        # result stands.
        if job is None or job.status != ExportStatus.RUNNING:
            return
        _move(
            job,
            status,
            note or fields.get("error", ""),
            finished_at=now,
            expires_at=now + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
            **fields,
        )


def _finish_after_error(pk, exc: Exception, last_attempt: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if last_attempt:
        _finish(pk, ExportStatus.FAILED, error="导出失败，请稍后重新导出。", note=error)
        return
    with transaction.atomic():
        job = _locked(pk)
        if job is not None and job.status == ExportStatus.RUNNING:
            _move(job, ExportStatus.QUEUED, error, rows_done=0, error="")


@app.task(name="notifications.build_export", pass_context=True, **RETRYING)
def build_export(context: JobContext, *, export_id: str) -> int | None:
    job = context.job
    return export_build(export_id=export_id, last_attempt=job is None or job.attempts >= settings.TASK_RETRIES)


def exports_remove_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the jobs whose keeping time is over, and their files (a running one is left
    for its worker). Returns how many were removed."""
    now = now or timezone.now()
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lt=now).exclude(status=ExportStatus.RUNNING):
        if job.file.name:
            default_storage.delete(job.file.name)
        job.delete()
        removed += 1
    return removed


OLD_ROW_CLEANUPS.append(exports_remove_expired)


# --- Reading ----------------------------------------------------------------------------------


def get_export_for_user(user, pk) -> ExportJob | None:
    """The job if ``user`` asked for it (or manages the queue: the centre); else None, so a
    stranger cannot tell a job exists."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        job = ExportJob.objects.filter(pk=uuid.UUID(str(pk))).first()
    except ValueError:
        return None
    if job is None or (job.user_id != user.pk and not may_manage_queue(user)):
        return None
    return job


def my_exports(user, *, limit: int = 100) -> list[ExportJob]:
    return list(ExportJob.objects.filter(user=user, expires_at__gte=timezone.now()).order_by("-created_at")[:limit])


def status_dict(job: ExportJob, download_url: str | None) -> dict:
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_label": job.get_status_display(),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "finished": job.status in (ExportStatus.DONE, ExportStatus.FAILED),
        "download_url": download_url if job.status == ExportStatus.DONE else None,
        "error": job.error,
    }


def serve_export(job: ExportJob) -> FileResponse:
    """The finished file as an attachment of its own type, never shown inline."""
    handle = default_storage.open(job.file.name, "rb")
    response = FileResponse(handle, content_type=CONTENT_TYPES[job.fmt], as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
