"""Export jobs through the API: ``POST /api/exports/`` queues a job (as the pages' export
links do for a large table), the real worker builds it, and ``GET /api/exports/``,
``/api/exports/<id>/`` and ``/api/exports/<id>/download/`` show its progress and file — to
the requester (and the centre) only; anyone else gets 404.

Bob is 兴庆区's bureau (five shared instruments of xq_lab there, three of ivan_lab in 西夏区);
Charlie (西夏区's bureau) and Alice (an enterprise) are outsiders to Bob's job."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from notifications import exports
from notifications.models import ExportJob, ExportStatus
from tests.notifications.test_exports import FILTERS, export_jobs, stream_export
from tests.notifications.workers import run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {"kind": "dashboards.table", "fmt": "csv", "params": {"key": "sharing_instruments", **FILTERS}}


def create(api, **changes):
    return api.post("/api/exports/", {**BODY, **changes}, format="json")


def test_a_job_made_through_the_api_is_built_by_the_worker_and_downloaded(client, api_as, bob, instruments, settings):
    expected = stream_export(client, bob, settings)  # what the page streams for a small table
    api = api_as(bob)

    made = create(api)

    assert made.status_code == 201, made.content
    job = made.json()
    assert job["status"] == "queued" and job["status_label"] == "排队中" and not job["finished"]
    assert job["download_url"] is None and job["percent"] == 0 and job["kind"] == "dashboards.table"
    assert job["params"]["key"] == "sharing_instruments" and job["filename"].endswith(".csv")
    assert export_jobs() == [("notifications.build_export", "todo", 0)]
    listed = api.get("/api/exports/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == job["id"]
    assert api.get(f"/api/exports/{job['id']}/download/").status_code == 404  # not built yet

    run_worker_until_idle()

    done = api.get(f"/api/exports/{job['id']}/").json()
    assert done["status"] == "done" and done["finished"] and done["percent"] == 100
    assert done["rows_done"] == done["rows_total"] == 5
    assert done["download_url"] == f"/api/exports/{job['id']}/download/"
    download = api.get(done["download_url"], HTTP_ACCEPT="text/csv")
    assert download.status_code == 200 and download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == expected  # Bob's region only, as the page's
    # The page sees the same job.
    client.force_login(bob)
    assert client.get(f"/tasks/exports/{job['id']}/status/").json()["status"] == "done"


def test_an_excel_job_and_the_evaluation_kind(api_as, cecilia):
    api = api_as(cecilia)
    made = create(api, kind="evaluation.table", fmt="xlsx", params={"year": "2026"})
    assert made.status_code == 201, made.content
    run_worker_until_idle()
    done = api.get(f"/api/exports/{made.json()['id']}/").json()
    assert done["status"] == "done", done
    download = api.get(done["download_url"])
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_another_users_job_does_not_exist_for_them(api_as, bob, charlie, alice, cecilia, instruments):
    job_id = create(api_as(bob)).json()["id"]
    run_worker_until_idle()
    paths = [f"/api/exports/{job_id}/", f"/api/exports/{job_id}/download/"]

    for outsider in (charlie, alice):
        api = api_as(outsider)
        for path in paths:
            response = api.get(path)
            assert response.status_code == 404, (outsider, path)
            assert response.json()["detail"] == "没有这个导出任务，或您无权查看。"
        assert api.get("/api/exports/").json()["count"] == 0
    # The centre manages the queue: it may look at any job (as on the pages), but its own
    # list holds only its own jobs.
    api = api_as(cecilia)
    assert all(api.get(path).status_code == 200 for path in paths)
    assert api.get("/api/exports/").json()["count"] == 0
    api.credentials()
    for path in [*paths, "/api/exports/"]:
        assert api.get(path).status_code == 401, path
    assert create(api).status_code == 401
    api = api_as(bob)
    for missing in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        assert api.get(f"/api/exports/{missing}/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"fmt": "pdf"}, 400, "fmt"),
        ({"kind": "secrets.table"}, 400, "没有这种导出"),
        ({"params": {**BODY["params"], "key": "secrets"}}, 400, "没有这个看板表格"),
        ({"params": {**BODY["params"], "from": "2026-13"}}, 400, "起始月份"),
        ({"params": {**BODY["params"], "region": "999999"}}, 400, "没有这个行政区划代码"),
        ({"params": {**BODY["params"], "region": "640105"}}, 403, ""),
        ({"kind": "evaluation.table", "params": {"year": "2026"}}, 403, "创业中心"),
        ({"params": "key=secrets"}, 400, "params"),
    ],
)
def test_bad_requests_are_refused_in_chinese_and_queue_nothing(api_as, bob, instruments, changes, status, text):
    response = create(api_as(bob), **changes)

    assert response.status_code == status, response.content
    body = response.content.decode()
    assert re.search(r"[\u4e00-\u9fff]", body), body
    assert text in body
    assert not ExportJob.objects.exists()
    assert export_jobs() == []


def test_the_list_shows_progress_of_a_running_job(api_as, bob, instruments):
    job_id = create(api_as(bob)).json()["id"]
    # The worker has started the job (its transition, with the audit row) and written 2 of 5 rows.
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        exports._move(job, ExportStatus.RUNNING, "开始", rows_done=0, rows_total=5)
    ExportJob.objects.filter(pk=job_id).update(rows_done=2)  # the worker's progress write
    [row] = api_as(bob).get("/api/exports/").json()["results"]
    assert (row["status"], row["rows_done"], row["rows_total"], row["percent"]) == ("running", 2, 5, 40)
