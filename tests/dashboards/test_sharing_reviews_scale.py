"""Instrument-sharing metrics, review times against their deadlines, and the scale generator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from catalog import services as catalog_services
from dashboards import selectors as sel
from dashboards.filters import default_months, month_from_index, month_index, parse_filters
from dashboards.models import HeatCell, VoucherEvent
from dashboards.synthetic import clear_synthetic, generate_usage
from tests import factories
from vouchers.models import ContractEvent, Policy

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def at(day: str, hour: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=TZ)


@pytest.fixture
def microscope(ningxia, ivan_lab, alice, mallory, olivia, monkeypatch):
    """ivan_lab's (西夏区) SEM, open Mon–Fri 08:30–17:30: alice used it 3 h on 4 March 2025;
    mallory's 2 h booking was accepted but never took place. Both were booked a week
    before, and alice's was completed after its slot (time moves; the services do the rest)."""
    sem = factories.approved_item(ivan_lab, operator=olivia, open_weekdays=[1, 2, 3, 4, 5])
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: at("2025-02-25", 10))
        done = catalog_services.booking_request_slot(
            instrument=sem, by=alice, starts_at=at("2025-03-04", 9), ends_at=at("2025-03-04", 12)
        )
        catalog_services.booking_answer(booking=done, by=ivan_lab, accept=True)
        waiting = catalog_services.booking_request_slot(
            instrument=sem, by=mallory, starts_at=at("2025-03-05", 9), ends_at=at("2025-03-05", 11)
        )
        catalog_services.booking_answer(booking=waiting, by=ivan_lab, accept=True)
        clock.setattr(timezone, "now", lambda: at("2025-03-04", 9))
        catalog_services.booking_start(booking=done, by=ivan_lab)
        clock.setattr(timezone, "now", lambda: at("2025-03-04", 13))
        catalog_services.booking_complete(booking=done, by=ivan_lab)
    return sem


def test_sharing_metrics_of_an_instrument(microscope, cecilia):
    scope = sel.dashboard_scope(cecilia)
    (row,) = sel.sharing_by_instrument(scope, parse_filters({"from": "2025-03", "to": "2025-03"}))
    assert row["instrument_id"] == microscope.pk
    assert (row["hours"], row["outside_hours"], row["sharing_rate"]) == (3.0, 3.0, 100.0)
    assert row["open_hours"] == 21 * 9.0  # 21 weekdays in March 2025, 9 opening hours each
    assert row["utilisation"] == round(100 * 3 / 189, 1)
    (inst,) = sel.sharing_by_institution([row])
    assert (inst["instruments"], inst["hours"], inst["sharing_rate"]) == (1, 3.0, 100.0)
    april = sel.sharing_by_instrument(scope, parse_filters({"from": "2025-04", "to": "2025-04"}))
    assert april[0]["hours"] == 0 and april[0]["sharing_rate"] is None


def test_sharing_metrics_follow_the_institutions_county(microscope, bob, yinchuan_bureau, client):
    filters = parse_filters({"from": "2025-03", "to": "2025-03"})
    assert sel.sharing_by_instrument(sel.dashboard_scope(bob), filters) == []  # the lab is in 西夏区
    assert len(sel.sharing_by_instrument(sel.dashboard_scope(yinchuan_bureau), filters)) == 1
    client.force_login(yinchuan_bureau)
    html = client.get("/dashboard/sharing/?from=2025-03&to=2025-03").content.decode()
    assert "扫描电子显微镜" in html and "100.0%" in html


def test_review_times_per_level_against_the_deadlines(world, cecilia):
    events = ContractEvent.objects.filter(contract=world.v1.contract).order_by("at", "id")
    moves = {(e.from_status, e.to_status): e for e in events}
    when = {
        ("draft", "at_bureau"): at("2025-03-03", 10),
        ("at_bureau", "at_operator"): at("2025-03-12", 10),  # 7 working days: over the 5 allowed
        ("at_operator", "at_centre"): at("2025-03-13", 10),  # 1
        ("at_centre", "approved"): at("2025-03-17", 10),  # 2 (Fri 14, Mon 17)
    }
    for key, moment in when.items():
        ContractEvent.objects.filter(pk=moves[key].pk).update(at=moment)
    rows = {
        r["level"]: r
        for r in sel.review_times(sel.dashboard_scope(cecilia), parse_filters({"from": "2025-03", "to": "2025-03"}))
    }
    assert (rows["bureau"]["count"], rows["bureau"]["average"], rows["bureau"]["late"], rows["bureau"]["deadline"]) == (
        1,
        7.0,
        1,
        5,
    )
    assert (rows["operator"]["average"], rows["centre"]["average"]) == (1.0, 2.0)
    assert rows["bureau"]["late_share"] == 100.0
    now = {r["level"]: r for r in sel.review_times(sel.dashboard_scope(cecilia), parse_filters({}))}
    assert now["bureau"]["count"] == 3  # V2–V4, reviewed today
    assert now["redemption_check"]["count"] == 2 and now["redemption_check"]["deadline"] == 7
    assert now["redemption_confirm"]["count"] == 2
    # A county bureau sees the reviews of its own applicants only.
    bob_rows = {r["level"]: r for r in sel.review_times(sel.dashboard_scope(world.bob), parse_filters({}))}
    assert bob_rows["bureau"]["count"] == 1  # V2; V1 was moved to March 2025, V3/V4 are not 兴庆区's


def test_review_deadlines_are_the_time_limits_of_that_years_policy(world, cecilia):
    year = timezone.localdate().year
    Policy.objects.filter(year=year, region__isnull=True).update(review_workdays=8, check_workdays=9)
    rows = {r["level"]: r for r in sel.review_times(sel.dashboard_scope(cecilia), parse_filters({}))}
    assert [rows[level]["deadline"] for level in ("bureau", "operator", "centre")] == [8, 8, 8]
    assert (rows["redemption_check"]["deadline"], rows["redemption_confirm"]["deadline"]) == (9, 5)
    # A year without a policy keeps the defaults (5 per contract level, 7 for the check).
    Policy.objects.filter(year=year - 5).delete()
    old = sel.review_deadlines(year - 5)
    assert (old["bureau"], old["redemption_check"], old["redemption_confirm"]) == (5, 7, 5)


def test_a_contract_waiting_too_long_counts_as_late(world, cecilia):
    from vouchers.contracts import services

    contract = factories.ready_contract(world.alice, world.ivan_lab, price="1000", quantity="1")
    services.contract_submit(contract=contract, by=world.alice)
    ContractEvent.objects.filter(contract=contract, to_status="at_bureau").update(
        at=timezone.now() - dt.timedelta(days=30)
    )
    rows = {r["level"]: r for r in sel.review_times(sel.dashboard_scope(cecilia), parse_filters({}))}
    assert rows["bureau"]["waiting"] == 1 and rows["bureau"]["waiting_late"] == 1


# --- scale generator ---------------------------------------------------------------------------


def test_the_generator_writes_uses_with_their_other_stages_and_the_aggregates_agree(ningxia, cecilia):
    result = generate_usage(count=400, enterprises=30, institutions=8, seed=0.2)
    assert result["by_stage"]["used"] == 400 and result["by_stage"]["issued"] == 440
    assert result["by_stage"]["paid"] <= result["by_stage"]["redeemed"] <= 400
    assert not VoucherEvent.objects.filter(synthetic=True, enterprise_id__gte=0).exists()
    scope = sel.dashboard_scope(cecilia)
    # Uses fall in the default twelve months; a voucher is issued up to 60 days before use.
    first, last = default_months()
    wide = parse_filters({"from": f"{month_from_index(month_index(first) - 3):%Y-%m}", "to": f"{last:%Y-%m}"})
    totals = sel.breakdown(scope, wide).totals
    assert totals["used"] == sel.breakdown(scope, parse_filters({})).totals["used"]
    with connection.cursor() as cur:
        cur.execute("SELECT stage, count(*), sum(amount) FROM dashboards_voucherevent GROUP BY stage")
        assert {stage: (n, amount) for stage, n, amount in cur.fetchall()} == totals
    used = totals["used"][1]
    heat = sum(p[2] for p in sel.heat_points(scope, parse_filters({}))["points"])
    assert abs(heat - used) <= HeatCell.objects.filter(level=0, basis="enterprise").count()  # whole-yuan rounding
    counties = sel.region_totals(scope, parse_filters({"stage": "used"}))
    assert sum(r["n"] for r in counties) == 400
    assert sum(1 for r in counties if r["n"]) >= 15  # spread over Ningxia by population
    top = sel.top_organisations(scope, parse_filters({}), "enterprise")
    assert top[0]["name"].startswith("合成企业") and top[0]["amount"] >= top[-1]["amount"]
    assert clear_synthetic() == sum(result["by_stage"].values())
    assert sel.breakdown(scope, wide).totals == {}


def test_the_generate_command_is_a_dry_run_without_commit(ningxia, capsys):
    call_command("dashboards_generate_usage", "--count", "50")
    assert "Dry run" in capsys.readouterr().out
    assert not VoucherEvent.objects.exists()
    call_command("dashboards_generate_usage", "--count", "50", "--commit")
    assert VoucherEvent.objects.filter(stage="used").count() == 50
    call_command("dashboards_generate_usage", "--clear", "--commit")
    assert not VoucherEvent.objects.exists()


def test_synthetic_records_survive_a_refresh_of_the_real_ones(world):
    from dashboards.aggregation import refresh_all

    generate_usage(count=40, enterprises=5, institutions=3)
    refresh_all()
    assert VoucherEvent.objects.filter(synthetic=True, stage="used").count() == 40
    assert VoucherEvent.objects.filter(synthetic=False).count() == 10
    assert sel.breakdown(sel.dashboard_scope(world.cecilia), parse_filters({})).totals["used"][0] == 43
    assert Decimal("0") < sel.breakdown(sel.dashboard_scope(world.bob), parse_filters({})).totals["used"][1]
