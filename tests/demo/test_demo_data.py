"""The demo data set `make run` loads: what the README's demo logins promise is there.

Loading takes about a minute, so one test loads it and checks every promise, with the two
years of voucher activity that ``test_activity`` checks in the other provinces."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import User
from catalog.models import Instrument, Service
from tests.demo.test_activity import check_activity
from vouchers.contracts import pdf_queue, renditions
from vouchers.models import Contract, ContractRendition, ContractStatus, Voucher

pytestmark = pytest.mark.django_db

README_LOGINS = ("enterprise1", "institution1", "bureau640104", "bureau640100", "operator1", "centre1", "expert1")


def test_it_is_a_dry_run_unless_committed(ningxia):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "Dry run" in out.getvalue() and not User.objects.filter(username="operator1").exists()


def test_the_demo_data_set_holds_what_the_readme_promises_and_loads_once(ningxia, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path  # licence scans and signed contracts land here
    # The queue's tables are not flushed between tests: count only the jobs of this load.
    before = ProcrastinateJob.objects.order_by("-id").values_list("id", flat=True).first() or 0
    call_command("demo_data", "--commit", stdout=io.StringIO())

    # Every demo login of the README signs in with the demo password.
    for username in README_LOGINS:
        assert client.login(username=username, password="ningxia-demo"), username

    # enterprise1 has a contract at each stage of Ningxia's chain, and a voucher (the
    # institution's acceptance and the ordinary order are Henan's).
    enterprise = User.objects.get(username="enterprise1").organisation
    ningxia_stages = set(ContractStatus.values) - {ContractStatus.AT_INSTITUTION, ContractStatus.ORDINARY}
    assert set(Contract.objects.filter(enterprise=enterprise).values_list("status", flat=True)) == ningxia_stages
    assert Voucher.objects.filter(enterprise=enterprise).exists()
    assert enterprise.contact_name == enterprise.legal_representative != ""  # printed on its contracts

    # Two years of the scheme: paid batches, redeemed vouchers, a batch on notice, every queue.
    check_activity(640000)

    # The catalogue is full enough that search and sorting by rating mean something.
    assert Instrument.objects.count() >= 600 and Service.objects.count() >= 900
    found = client.get("/api/map/search/", {"q": "smdj", "near": "106.27,38.47", "sort": "distance"}).json()
    # The nearest is a scanning electron microscope or a service on one (at one institution,
    # both lie at the same distance; their order among themselves is not defined).
    nearest = found["features"][0]["properties"]["name"]
    assert found["count"] > 0 and ("扫描电子显微镜" in nearest or "扫描电镜" in nearest), nearest
    best = client.get("/api/map/search/", {"sort": "-rating", "module": "instrument"}).json()["features"][0]
    assert best["properties"]["rating_count"] > 0

    # The load queued no contract PDF render (the worker would work through them for
    # minutes after `make run`): a demo contract's PDF is made when first asked for.
    assert not ProcrastinateJob.objects.filter(task_name=pdf_queue.RENDER_TASK, id__gt=before).exists()
    assert not ContractRendition.objects.exists()
    contract = Contract.objects.filter(enterprise=enterprise).order_by("pk").first()
    client.login(username="enterprise1", password="ningxia-demo")
    assert client.get(f"/vouchers/contracts/{contract.pk}/").status_code == 200
    waiting = client.get(f"/vouchers/contracts/{contract.pk}/pdf/")
    assert waiting.status_code == 200 and "正在生成合同文件…" in waiting.content.decode()
    render_jobs = ProcrastinateJob.objects.filter(task_name=pdf_queue.RENDER_TASK, id__gt=before)
    assert list(render_jobs.values_list("status", "args")) == [("todo", {"contract_id": contract.pk})]
    renditions.render_current(contract.pk)  # the worker's task body
    ready = client.get(f"/vouchers/contracts/{contract.pk}/pdf/")
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert b"".join(ready.streaming_content).startswith(b"%PDF")
    assert render_jobs.count() == 1  # looking again queued nothing more

    # A second load does nothing.
    users = User.objects.count()
    out = io.StringIO()
    call_command("demo_data", "--commit", stdout=out)
    assert "already loaded" in out.getvalue() and User.objects.count() == users
