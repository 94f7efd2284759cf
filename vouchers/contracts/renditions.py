"""The contract PDF rendered once per revision by the worker, stored, and served from storage.

* **Revision**: the SHA-256 of the printed HTML (``documents.contract_printed``): it changes
  whenever anything printed on the contract changes, wherever the change was made.
* **Render**: the worker's ``vouchers.render_contract_pdf`` (``render_current``) renders the
  contract's current revision unless it is stored already, saves the PDF through Django's
  storage (``STORAGES["default"]``) under a generated name, then removes the superseded
  revisions' rows and files. The contract services queue it after every change they commit
  (``pdf_queue.queue_render_on_commit``); a download that finds no file for the current
  revision queues it too (a change made elsewhere, a render that failed).
* **Serve**: ``serve`` streams the stored file with an ``ETag`` (the revision) and
  ``Last-Modified`` (when it was rendered): a repeat with ``If-None-Match`` is a 304.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from mapsite.uploads import CSP_PDF
from vouchers import ledger
from vouchers.contracts import pdf_queue
from vouchers.contracts.documents import contract_printed, pdf_from_html
from vouchers.models import Contract, ContractRendition
from vouchers.policies.words import contract_words

log = logging.getLogger(__name__)

#: Seconds a client is told to wait before asking again (a render takes ≈ 0.3–1 s).
RETRY_AFTER_SECONDS = 2


#: Where the files are (``ContractRendition.file``'s ``upload_to``, without the year).
ORPHAN_FOLDER = "contracts/pdf"
#: What the printed contract reads, fetched with it: a download costs no extra round trips.
PRINTED_RELATED = ("enterprise__region", "institution__organisation", "policy", "service", "instrument", "voucher")


class State:
    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"


MESSAGES = {
    State.READY: "合同文件已生成。",
    State.PENDING: "正在生成合同文件…",
    State.FAILED: "合同文件生成失败，请联系平台运营单位处理。",
}


@dataclass(frozen=True)
class Current:
    """Where the contract's PDF stands for its current revision."""

    contract: Contract
    revision: str
    rendition: ContractRendition | None
    state: str

    def as_json(self) -> dict:
        ready = self.rendition is not None
        return {
            "status": self.state,
            "revision": self.revision,
            # 合同文件 / 订单文件: the record as the contract's scheme calls it
            "detail": MESSAGES[self.state].replace("合同", contract_words(self.contract.policy).short),
            "download_url": reverse("vouchers:contract_pdf", args=[self.contract.pk]) if ready else None,
            "retry_after": None if ready else RETRY_AFTER_SECONDS,
        }


def current(contract: Contract, *, queue: bool = True) -> Current:
    """The stored PDF of ``contract``'s current revision, or its render queued (``queue``).

    Queueing is idempotent (one waiting job per contract). A render whose retries all failed
    shows as ``failed`` and is not queued again by looking (a page left open would otherwise
    keep a broken render going): it waits on the failed-tasks page, where the centre retries
    it, and the contract's next change queues a new one."""
    revision = contract_printed(contract).revision
    rendition = ContractRendition.objects.filter(contract=contract, revision=revision).first()
    if rendition is not None:
        return Current(contract, revision, rendition, State.READY)
    job = pdf_queue.last_job_status(contract.pk)
    if job == "failed":
        return Current(contract, revision, None, State.FAILED)
    # A waiting job renders whatever is current when it runs; a running one may be making an
    # older revision, so then another is queued (the queueing lock refuses a second waiting
    # one: looking first spares the database a refused insert every time a page polls).
    if queue and job != "todo":
        pdf_queue.queue_render(contract.pk)
    return Current(contract, revision, None, State.PENDING)


def render_current(contract_id: int) -> dict:
    """Render and store the contract's current revision (the worker's task body)."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return {"contract": contract_id, "rendered": False, "reason": "gone"}
    printed = contract_printed(contract)
    existing = ContractRendition.objects.filter(contract=contract, revision=printed.revision).first()
    if existing is None:
        started = time.perf_counter()
        pdf = pdf_from_html(printed.final_html())
        elapsed = round((time.perf_counter() - started) * 1000)
        rendition = ContractRendition(contract=contract, revision=printed.revision, size=len(pdf), render_ms=elapsed)
        rendition.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                rendition.save()
        except IntegrityError:  # stored meanwhile by another worker: keep theirs
            rendition.file.delete(save=False)
            existing = ContractRendition.objects.get(contract=contract, revision=printed.revision)
    keep = existing or rendition
    removed = remove_superseded(contract_id, keep=keep)
    return {
        "contract": contract_id,
        "revision": printed.revision,
        "rendered": existing is None,
        "render_ms": None if existing else rendition.render_ms,
        "removed": removed,
    }


def remove_superseded(contract_id: int, *, keep: ContractRendition) -> int:
    """Delete the contract's other renditions: rows first, their files once that committed."""
    with transaction.atomic():
        old = ledger.lock_renditions(contract_id, keep=keep.pk)
        ContractRendition.objects.filter(pk__in=[r.pk for r in old]).delete()
        for rendition in old:
            storage, name = rendition.file.storage, rendition.file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return len(old)


def remove_orphans(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Delete stored PDFs that no rendition names (a worker stopped between saving the file
    and committing its row; rows deleted by hand). Part of the daily job. Files younger than
    ``older_than`` are left alone: a render in progress saves its file before its row."""
    field = ContractRendition._meta.get_field("file")
    storage = field.storage
    known = set(ContractRendition.objects.values_list("file", flat=True))
    now, removed = timezone.now(), 0
    for name in _files_under(storage, ORPHAN_FOLDER):
        if name in known:
            continue
        try:
            if now - storage.get_modified_time(name) < older_than:
                continue
        except (NotImplementedError, OSError):
            continue
        storage.delete(name)
        removed += 1
    return removed


def _files_under(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def serve(request, cur: Current) -> FileResponse | HttpResponseNotModified | None:
    """The stored PDF (fast path): a 304 when the client holds this revision already; None
    when the stored file has gone missing (its row is dropped and the render queued)."""
    rendition = cur.rendition
    etag = f'"{rendition.revision}"'
    last_modified = int(rendition.created_at.timestamp())  # HTTP dates have whole seconds
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _headers(not_modified, cur, etag, last_modified)
    try:
        handle = rendition.file.open("rb")
    except OSError:
        log.warning("contract %s: stored PDF %s is missing; rendering it again", cur.contract.pk, rendition.file.name)
        rendition.delete()
        pdf_queue.queue_render(cur.contract.pk)
        return None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=f"{cur.contract.number}.pdf"
    )
    return _headers(response, cur, etag, last_modified)


def _headers(response, cur: Current, etag: str, last_modified: int):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Private, and checked again on every use: a changed contract must never be shown stale.
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = CSP_PDF
    return response
