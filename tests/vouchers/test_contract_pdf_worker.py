"""The contract PDF is rendered by a real worker once per revision, stored, and served from
storage; until then the page shows it being made and the API answers 202.

Transactional tests (the worker has its own connections and sees only committed rows); each
starts with an empty queue, as in tests/notifications."""

from __future__ import annotations

import io
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from pypdf import PdfReader

from tests import factories
from tests.notifications.workers import jobs, run_worker_until_idle
from vouchers import tasks
from vouchers.contracts import renditions, services
from vouchers.models import ContractRendition

pytestmark = pytest.mark.django_db(transaction=True)

RENDER = "vouchers.render_contract_pdf"


@pytest.fixture(autouse=True)
def empty_queue(transactional_db, ningxia, settings):
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, procrastinate_workers"
        )
    settings.TASK_RETRIES = 1
    settings.TASK_RETRY_BASE_SECONDS = 0
    db = connections.settings["default"]
    max_age, db["CONN_MAX_AGE"] = db["CONN_MAX_AGE"], 0
    yield
    db["CONN_MAX_AGE"] = max_age


@pytest.fixture
def contract(alice, ivan_lab):
    factories.ningxia_policy()
    return factories.ready_contract(alice, ivan_lab, price="20000", quantity="2")


def page(client, user, contract):
    client.force_login(user)
    return client.get(f"/vouchers/contracts/{contract.pk}/pdf/")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def render_jobs() -> list[tuple[str, int]]:
    return [(status, attempts) for name, status, attempts in jobs() if name == RENDER]


def weasyprint_temp_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("weasyprint-*")}


def test_the_worker_renders_the_pdf_after_the_contract_is_created(client, api_as, alice, contract):
    # Opening, the pledge and the scan each changed the contract: one waiting job covers them.
    assert render_jobs() == [("todo", 0)]

    # Before the worker ran: the page says it is being made, the API answers 202.
    waiting = page(client, alice, contract)
    assert waiting.status_code == 200 and waiting["Content-Type"].startswith("text/html")
    html = waiting.content.decode()
    assert "正在生成合同文件…" in html and f"/vouchers/contracts/{contract.pk}/pdf/status/" in html
    status = client.get(f"/vouchers/contracts/{contract.pk}/pdf/status/").json()
    assert status["status"] == "pending" and status["download_url"] is None and status["retry_after"] == 2
    api = api_as(alice).get(f"/api/contracts/{contract.pk}/pdf/")
    assert api.status_code == 202 and api["Retry-After"] == "2"
    assert api.json()["status"] == "pending" and api.json()["revision"] == status["revision"]
    assert render_jobs() == [("todo", 0)]  # asking again queued nothing more

    run_worker_until_idle()

    assert render_jobs() == [("succeeded", 1)]
    rendition = ContractRendition.objects.get(contract=contract)
    assert rendition.revision == status["revision"] and rendition.file.name.startswith("contracts/pdf/")
    assert contract.number not in rendition.file.name  # a generated name

    ready = client.get(f"/vouchers/contracts/{contract.pk}/pdf/status/").json()
    assert ready["status"] == "ready" and ready["download_url"] == f"/vouchers/contracts/{contract.pk}/pdf/"
    response = page(client, alice, contract)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{contract.number}.pdf"'
    assert response["ETag"] == f'"{rendition.revision}"' and response["Last-Modified"]
    pdf = body(response)
    assert pdf.startswith(b"%PDF-") and contract.number in text_of(pdf)

    # A repeat with the ETag is a 304 without the file; the API serves the same bytes.
    again = client.get(f"/vouchers/contracts/{contract.pk}/pdf/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(f"/vouchers/contracts/{contract.pk}/pdf/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    by_api = api_as(alice).get(f"/api/contracts/{contract.pk}/pdf/")
    assert by_api.status_code == 200 and body(by_api) == pdf
    assert render_jobs() == [("succeeded", 1)]  # served from storage: nothing rendered again


def test_a_changed_contract_gets_a_new_revision_and_the_old_file_is_not_served(client, alice, contract):
    run_worker_until_idle()
    old = ContractRendition.objects.get(contract=contract)
    old_pdf = body(page(client, alice, contract))
    assert "40,000.00" in text_of(old_pdf)

    services.contract_update(contract=contract, by=alice, data={"amount": Decimal("30000")})
    assert render_jobs() == [("succeeded", 1), ("todo", 0)]

    # The stored file is of the old revision: not served, neither to a client holding it.
    waiting = page(client, alice, contract)
    assert waiting.status_code == 200 and "正在生成合同文件…" in waiting.content.decode()
    stale = client.get(f"/vouchers/contracts/{contract.pk}/pdf/", HTTP_IF_NONE_MATCH=f'"{old.revision}"')
    assert stale.status_code == 200 and stale["Content-Type"].startswith("text/html")

    run_worker_until_idle()

    new = ContractRendition.objects.get(contract=contract)  # the old row is gone …
    assert new.revision != old.revision
    assert not old.file.storage.exists(old.file.name)  # … and so is its file
    response = page(client, alice, contract)
    assert response["ETag"] == f'"{new.revision}"'
    text = text_of(body(response))
    assert "30,000.00" in text and "40,000.00" not in text


def test_a_change_made_outside_the_contract_services_is_noticed_on_download(client, alice, contract):
    run_worker_until_idle()
    old = ContractRendition.objects.get(contract=contract)
    org = contract.enterprise
    org.name = "宁夏新名字科技有限公司"
    org.save(update_fields=["name"])  # printed on the contract, but no contract service ran

    assert "正在生成合同文件…" in page(client, alice, contract).content.decode()
    assert render_jobs() == [("succeeded", 1), ("todo", 0)]  # the download queued the render
    run_worker_until_idle()
    assert ContractRendition.objects.get(contract=contract).revision != old.revision
    assert "宁夏新名字科技有限公司" in text_of(body(page(client, alice, contract)))


def test_the_review_levels_get_their_own_revision_with_the_status_printed(client, alice, bob, contract):
    run_worker_until_idle()
    draft = ContractRendition.objects.get(contract=contract).revision
    services.contract_submit(contract=contract, by=alice)
    run_worker_until_idle()
    submitted = ContractRendition.objects.get(contract=contract)
    assert submitted.revision != draft
    # The county bureau whose turn it is reads the stored file.
    response = page(client, bob, contract)
    assert response.status_code == 200 and response["ETag"] == f'"{submitted.revision}"'


@pytest.mark.parametrize("outsider", ["mallory", "charlie"])
def test_outsiders_get_404_for_the_file_the_page_and_the_status(request, client, api_as, contract, outsider):
    who = request.getfixturevalue(outsider)
    for rendered in (False, True):
        if rendered:
            run_worker_until_idle()
        client.force_login(who)
        for url in (f"/vouchers/contracts/{contract.pk}/pdf/", f"/vouchers/contracts/{contract.pk}/pdf/status/"):
            assert client.get(url).status_code == 404, url
        assert api_as(who).get(f"/api/contracts/{contract.pk}/pdf/").status_code == 404
    client.logout()
    assert client.get(f"/vouchers/contracts/{contract.pk}/pdf/status/").status_code == 302  # to log in


def test_the_api_keeps_accept_application_pdf_working(api_as, alice, contract):
    client = api_as(alice)
    waiting = client.get(f"/api/contracts/{contract.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert waiting.status_code == 202 and waiting.json()["status"] == "pending"
    run_worker_until_idle()
    response = client.get(f"/api/contracts/{contract.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF-")
    repeat = client.get(f"/api/contracts/{contract.pk}/pdf/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert repeat.status_code == 304
    missing = client.get("/api/contracts/999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_a_missing_stored_file_is_rendered_again_not_a_500(client, alice, contract):
    run_worker_until_idle()
    rendition = ContractRendition.objects.get(contract=contract)
    rendition.file.storage.delete(rendition.file.name)

    assert "正在生成合同文件…" in page(client, alice, contract).content.decode()
    run_worker_until_idle()
    assert body(page(client, alice, contract)).startswith(b"%PDF-")


def test_renders_leave_no_weasyprint_temp_folder_behind(alice, ivan_lab, contract):
    before = weasyprint_temp_folders()
    run_worker_until_idle()
    for amount in ("30000", "35000", "38000"):
        services.contract_update(contract=contract, by=alice, data={"amount": Decimal(amount)})
        run_worker_until_idle()
    assert render_jobs() == [("succeeded", 1)] * 4
    assert weasyprint_temp_folders() == before
    assert ContractRendition.objects.filter(contract=contract).count() == 1


def test_a_render_that_keeps_failing_shows_as_failed_until_the_centre_retries_it(
    client, api_as, monkeypatch, alice, cecilia, contract
):
    def broken(html):
        raise OSError("font file unreadable (test)")

    monkeypatch.setattr(renditions, "pdf_from_html", broken)
    run_worker_until_idle()  # TASK_RETRIES = 1: two attempts
    assert render_jobs() == [("failed", 2)]

    client.force_login(alice)
    status = client.get(f"/vouchers/contracts/{contract.pk}/pdf/status/").json()
    assert status["status"] == "failed" and status["detail"] == "合同文件生成失败，请联系平台运营单位处理。"
    assert "合同文件生成失败" in page(client, alice, contract).content.decode()
    assert api_as(alice).get(f"/api/contracts/{contract.pk}/pdf/").json()["status"] == "failed"
    assert render_jobs() == [("failed", 2)]  # looking does not start it again

    # The cause is fixed; the centre retries the job from the failed-tasks page.
    monkeypatch.undo()
    (job_id,) = failed_job_ids()
    client.force_login(cecilia)
    assert client.post(f"/tasks/failed/{job_id}/retry/").status_code == 302
    run_worker_until_idle()
    client.force_login(alice)
    assert client.get(f"/vouchers/contracts/{contract.pk}/pdf/status/").json()["status"] == "ready"


def failed_job_ids() -> list[int]:
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM procrastinate_jobs WHERE status = 'failed' AND task_name = %s", [RENDER])
        return [row[0] for row in cur.fetchall()]


def test_the_daily_job_removes_stored_pdfs_no_rendition_names(alice, contract):
    run_worker_until_idle()
    kept = ContractRendition.objects.get(contract=contract)
    storage = kept.file.storage
    orphan = storage.save("contracts/pdf/2026/orphan.pdf", ContentFile(b"%PDF-1.7 left by a stopped worker"))
    fresh = storage.save("contracts/pdf/2026/fresh.pdf", ContentFile(b"%PDF-1.7 a render in progress"))
    two_hours_ago = time.time() - 7200
    os.utime(storage.path(orphan), (two_hours_ago, two_hours_ago))

    tasks.vouchers_daily.defer(timestamp=int(time.time()))
    run_worker_until_idle()

    assert not storage.exists(orphan)
    assert storage.exists(fresh) and storage.exists(kept.file.name)
