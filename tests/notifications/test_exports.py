"""Large exports are built by the worker: a job page with progress, a download for the
requester (and the centre) only, the same rows and scope as the export made in the request.

Bob is 兴庆区's bureau; 兴庆区 holds five shared instruments of xq_lab, 西夏区 three of
ivan_lab. Charlie (西夏区's bureau) and Alice (an enterprise) are outsiders to Bob's job."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.exports import KIND as DASHBOARD_KIND
from notifications import exports, queue
from notifications.models import ExportJob, ExportStatus
from notifications.queue import OLD_ROW_CLEANUPS
from tests.notifications.workers import jobs, run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/dashboard/export/sharing_instruments.{fmt}"
FILTERS = {"from": "2026-01", "to": "2026-06"}


def queue_export(client, user, settings, fmt="csv", **params) -> ExportJob:
    settings.EXPORT_SYNC_MAX_ROWS = 2
    client.force_login(user)
    response = client.get(URL.format(fmt=fmt), {**FILTERS, **params})
    assert response.status_code == 302, response.content
    job = ExportJob.objects.get()
    assert response["Location"] == f"/tasks/exports/{job.pk}/"
    return job


def stream_export(client, user, settings, fmt="csv", **params) -> bytes:
    settings.EXPORT_SYNC_MAX_ROWS = 2000
    client.force_login(user)
    response = client.get(URL.format(fmt=fmt), {**FILTERS, **params})
    assert response.status_code == 200, response.content
    assert "attachment" in response["Content-Disposition"]
    return response.content


def export_jobs() -> list[tuple[str, str, int]]:
    """The queue's export jobs (setting up the catalogue queued notification e-mails too)."""
    return [job for job in jobs() if job[0] == "notifications.build_export"]


def stored_files() -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "exports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_export_below_the_threshold_streams_at_once(client, bob, instruments, settings):
    body = stream_export(client, bob, settings)

    assert body.decode("utf-8-sig").count("兴庆仪器") == 5
    assert not ExportJob.objects.exists()
    assert export_jobs() == []


def test_the_worker_builds_a_large_export_with_the_rows_of_the_export_in_the_request(
    client, bob, instruments, settings
):
    expected = stream_export(client, bob, settings)
    job = queue_export(client, bob, settings)

    assert job.status == ExportStatus.QUEUED and job.user == bob
    assert job.params == {"key": "sharing_instruments", "from": "2026-01", "to": "2026-06", **job.params}
    assert export_jobs() == [("notifications.build_export", "todo", 0)]
    page = client.get(f"/tasks/exports/{job.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "排队中" in html and '<noscript><meta http-equiv="refresh"' in html and "export_job.js" in html
    status = client.get(f"/tasks/exports/{job.pk}/status/").json()
    assert status["status"] == "queued" and status["download_url"] is None and not status["finished"]

    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.rows_done == job.rows_total == 5
    assert [e.to_status for e in job.events.all()] == ["queued", "running", "done"]
    assert export_jobs() == [("notifications.build_export", "succeeded", 1)]
    status = client.get(f"/tasks/exports/{job.pk}/status/").json()
    assert status["finished"] and status["percent"] == 100 and status["rows_done"] == 5
    assert status["download_url"] == f"/tasks/exports/{job.pk}/download/"
    page = client.get(f"/tasks/exports/{job.pk}/").content.decode()
    assert "已完成" in page and "refresh" not in page and status["download_url"] in page

    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert job.filename in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= set(download["Cache-Control"].replace(" ", "").split(","))
    body = b"".join(download.streaming_content)
    # Byte for byte the file the request would have streamed: Bob's region only.
    assert body == expected
    assert "西夏仪器" not in body.decode("utf-8-sig")
    # The file is stored under a generated name, not the download name.
    [stored] = stored_files()
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", stored.name)

    listing = client.get("/tasks/exports/").content.decode()
    assert job.title in listing and status["download_url"] in listing


def test_an_excel_export_from_the_worker_holds_the_cells_of_the_one_in_the_request(client, bob, instruments, settings):
    def cells(body: bytes) -> list[tuple]:
        return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))

    expected = cells(stream_export(client, bob, settings, fmt="xlsx"))
    job = queue_export(client, bob, settings, fmt="xlsx")
    run_worker_until_idle()

    download = client.get(f"/tasks/exports/{job.pk}/download/")
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert cells(b"".join(download.streaming_content)) == expected
    assert len(expected) == 1 + 5


def test_progress_is_written_while_the_rows_are(client, bob, instruments, settings, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    real_write = exports.write_table
    seen = []

    def watched(table, fmt, out, progress):
        def report(rows):
            progress(rows)
            # What the status endpoint reads at this moment (committed: the worker's
            # progress writes are outside any transaction).
            seen.append(ExportJob.objects.values_list("status", "rows_done", "rows_total").get())

        real_write(table, fmt, out, report)

    job = queue_export(client, bob, settings)
    monkeypatch.setattr(exports, "write_table", watched)
    run_worker_until_idle()

    assert seen == [("running", 2, 5), ("running", 4, 5)]
    job.refresh_from_db()
    assert job.rows_done == job.rows_total == 5


def test_only_the_requester_and_the_centre_see_the_job_and_its_file(
    client, bob, charlie, alice, cecilia, instruments, settings
):
    job = queue_export(client, bob, settings)
    run_worker_until_idle()
    paths = [f"/tasks/exports/{job.pk}/", f"/tasks/exports/{job.pk}/status/", f"/tasks/exports/{job.pk}/download/"]

    for outsider in (charlie, alice):
        client.force_login(outsider)
        for path in paths:
            assert client.get(path).status_code == 404, (outsider, path)
        assert job.title not in client.get("/tasks/exports/").content.decode()
    client.force_login(cecilia)
    for path in paths:
        assert client.get(path).status_code == 200, path
    client.logout()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(bob)
    assert client.get("/tasks/exports/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.parametrize(
    ("url", "params", "status", "text"),
    [
        ("/dashboard/export/sharing_instruments.pdf", {}, 404, ""),
        ("/dashboard/export/secrets.csv", {}, 404, ""),
        ("/dashboard/export/sharing_instruments.csv", {"from": "2026-13"}, 400, "起始月份"),
        ("/dashboard/export/sharing_instruments.csv", {"stage": "stolen"}, 400, "无效的选项"),
        ("/dashboard/export/sharing_instruments.csv", {"region": "999999"}, 400, "没有这个行政区划代码"),
        ("/dashboard/export/sharing_instruments.csv", {"region": "640105"}, 403, ""),
        ("/dashboard/export/sharing_instruments.csv", {"region": "640000"}, 403, ""),
    ],
)
def test_bad_formats_and_parameters_are_refused_in_chinese_and_queue_nothing(
    client, bob, instruments, settings, url, params, status, text
):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client.force_login(bob)

    response = client.get(url, params)

    assert response.status_code == status
    assert re.search(r"[\u4e00-\u9fff]", response.content.decode())
    assert text in response.content.decode()
    assert not ExportJob.objects.exists()
    assert export_jobs() == []


def test_the_worker_takes_the_scope_from_the_requester_not_from_the_stored_parameters(
    client, bob, instruments, settings
):
    job = queue_export(client, bob, settings)
    # A record tampered with (or a bureau's region narrowed since): 西夏区 is not Bob's.
    ExportJob.objects.filter(pk=job.pk).update(params={**job.params, "region": "640105"})

    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "无权查看该地区的数据" in job.error
    assert stored_files() == []
    assert client.get(f"/tasks/exports/{job.pk}/download/").status_code == 404
    assert "无权查看该地区的数据" in client.get(f"/tasks/exports/{job.pk}/").content.decode()


def test_a_failed_attempt_is_retried_and_the_file_written_once(client, bob, instruments, settings, monkeypatch):
    expected = stream_export(client, bob, settings)
    job = queue_export(client, bob, settings)
    real_write = exports.write_table
    calls = []

    def crash_once(table, fmt, out, progress):
        calls.append(1)
        real_write(table, fmt, out, progress)
        if len(calls) == 1:
            raise OSError("disk went away")

    monkeypatch.setattr(exports, "write_table", crash_once)
    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and len(calls) == 2
    assert [e.to_status for e in job.events.all()] == ["queued", "running", "queued", "running", "done"]
    assert [(name, status) for name, status, _ in export_jobs()] == [("notifications.build_export", "succeeded")]
    assert len(stored_files()) == 1
    assert b"".join(client.get(f"/tasks/exports/{job.pk}/download/").streaming_content) == expected


def test_expired_exports_and_their_files_are_removed(client, bob, instruments, settings):
    job = queue_export(client, bob, settings)
    run_worker_until_idle()
    job.refresh_from_db()
    assert len(stored_files()) == 1
    assert exports.exports_remove_expired in OLD_ROW_CLEANUPS  # run nightly by tasks.remove_old_jobs

    assert exports.exports_remove_expired(now=job.expires_at - (job.expires_at - job.finished_at) / 2) == 0
    assert exports.exports_remove_expired(now=job.expires_at + (job.expires_at - job.finished_at)) == 1

    assert not ExportJob.objects.exists()
    assert stored_files() == []
    assert client.get(f"/tasks/exports/{job.pk}/").status_code == 404


def test_the_evaluation_export_is_the_centres_and_checks_its_year(client, cecilia, bob, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client.force_login(bob)
    assert client.get("/dashboard/evaluation/export.csv").status_code == 403
    client.force_login(cecilia)
    response = client.get("/dashboard/evaluation/export.csv", {"year": "1999"})
    assert response.status_code == 400 and "年度须在" in response.content.decode()
    # No result for the year: nothing to build in the worker.
    assert client.get("/dashboard/evaluation/export.csv", {"year": "2026"}).status_code == 200
    assert not ExportJob.objects.exists()
    assert exports.get_kind(DASHBOARD_KIND).name == DASHBOARD_KIND


def test_an_evaluation_export_built_by_the_worker_is_the_one_of_the_request(client, cecilia, settings):
    client.force_login(cecilia)
    expected = client.get("/dashboard/evaluation/export.csv", {"year": "2026"}).content
    settings.EXPORT_SYNC_MAX_ROWS = -1  # every export goes to the worker, even an empty one

    response = client.get("/dashboard/evaluation/export.csv", {"year": "2026"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.params == {"year": "2026"}
    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.filename == "evaluation-2026.csv"
    assert b"".join(client.get(f"/tasks/exports/{job.pk}/download/").streaming_content) == expected


def test_the_nightly_clean_up_of_the_worker_removes_expired_exports(client, bob, instruments, settings, monkeypatch):
    job = queue_export(client, bob, settings)
    run_worker_until_idle()
    job.refresh_from_db()
    later = job.expires_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    queue.remove_old_jobs.defer(timestamp=int(time.time()))  # what the schedule queues at 03:00
    run_worker_until_idle()

    assert ("tasks.remove_old_jobs", "succeeded", 1) in jobs()
    assert not ExportJob.objects.exists()
    assert stored_files() == []


def test_a_run_that_died_after_storing_its_file_is_run_again_over_the_same_file(
    client, bob, instruments, settings, monkeypatch
):
    job = queue_export(client, bob, settings)
    real_finish = exports._finish
    died = []

    def die_once(pk, status, note="", **fields):
        if status == ExportStatus.DONE and not died:
            died.append(1)
            raise RuntimeError("worker lost between storing the file and recording it")
        real_finish(pk, status, note, **fields)

    monkeypatch.setattr(exports, "_finish", die_once)
    run_worker_until_idle()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.rows_done == 5
    assert [e.to_status for e in job.events.all()] == ["queued", "running", "running", "done"]
    assert job.events.all()[2].note == "重新开始（上次运行中断）"
    assert [f.name for f in stored_files()] == [Path(job.file.name).name]
