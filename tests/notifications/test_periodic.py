"""The daily voucher job and the dashboards' refresh are periodic tasks run by the worker."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from dashboards import tasks as dashboard_tasks
from dashboards.models import RefreshState
from notifications.queue import app
from tests import factories
from tests.notifications.workers import jobs, run_worker_until_idle
from vouchers import tasks as voucher_tasks
from vouchers.contracts import services
from vouchers.models import Voucher, VoucherStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_schedule_is_registered_with_the_worker():
    schedule = {(p.task.name, p.periodic_id): p.cron for p in app.periodic_registry.periodic_tasks.values()}
    assert schedule == {
        ("vouchers.daily", "vouchers_daily"): "10 17 * * *",  # 01:10 Beijing time
        ("dashboards.refresh", "dashboards_refresh"): "20 17 * * *",  # 01:20
        ("dashboards.refresh_changed", "dashboards_refresh_changed"): "* * * * *",
        ("tasks.recover_stalled_jobs", "recover_stalled_jobs"): "* * * * *",
        ("tasks.remove_old_jobs", "remove_old_jobs"): "0 19 * * *",  # 03:00
    }


def test_the_worker_runs_the_daily_job_and_mails_what_it_tells_holders(alice, bob, olivia, cecilia, ivan_lab):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = Voucher.objects.get(contract=contract)
    Voucher.objects.filter(pk=voucher.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    run_worker_until_idle()  # the review mails
    mail.outbox.clear()

    # What the worker's periodic deferrer enqueues at 01:10 (the schedule's timestamp).
    voucher_tasks.vouchers_daily.defer(timestamp=int(time.time()))
    run_worker_until_idle()

    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.EXPIRED
    assert ("vouchers.daily", "succeeded", 1) in jobs()
    # The expiry notice was queued inside the daily job's transaction and mailed by the worker.
    assert any(f"创新券已过期：{voucher.number}" in m.subject for m in mail.outbox)


def test_the_worker_runs_the_dashboards_refresh(alice):
    dashboard_tasks.dashboards_refresh.defer(timestamp=int(time.time()))
    run_worker_until_idle()

    assert jobs() == [("dashboards.refresh", "succeeded", 1)]
    assert RefreshState.objects.get(pk=1).full_at is not None


def test_after_a_voucher_movement_the_worker_refreshes_and_computes_the_default_views(
    client, alice, bob, olivia, cecilia, ivan_lab
):
    """The first dashboard page after a voucher is issued groups nothing in the request: the
    worker's refresh folded the movement in and computed the province's default figures
    into the shared cache."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards import cache as dash_cache

    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    before = dash_cache.aggregate_version()
    dashboard_tasks.dashboards_refresh_changed.defer(timestamp=int(time.time()))
    run_worker_until_idle()
    assert ("dashboards.refresh_changed", "succeeded", 1) in jobs()
    assert dash_cache.aggregate_version() > before

    caches[dash_cache.CACHE_ALIAS].clear()  # a web process that has computed nothing
    client.force_login(cecilia)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "dashboards_orgmonth" not in sql and "dashboards_regionmonth" not in sql
    from dashboards import selectors as sel
    from dashboards.filters import parse_filters

    issued = sel.breakdown(sel.dashboard_scope(cecilia), parse_filters({})).totals["issued"]
    assert issued == (1, Decimal("1000"))  # the warmed figures hold the new voucher
