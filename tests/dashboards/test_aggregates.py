"""The dashboards' figures against sums worked out by hand on the small world of conftest.py,
through the incremental refresh (ledger watermark) and the full rebuild alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from dashboards import selectors as sel
from dashboards.aggregation import ensure_fresh, refresh_all
from dashboards.filters import parse_filters
from dashboards.models import HeatCell, RefreshState, VoucherEvent

pytestmark = pytest.mark.django_db

D = Decimal


def province(world):
    return sel.dashboard_scope(world.cecilia)


def test_every_voucher_stage_becomes_one_event_with_its_amount(world):
    ensure_fresh()
    events = {(e.voucher_id, e.stage): e.amount for e in VoucherEvent.objects.filter(synthetic=False)}
    assert events == {
        (world.v1.pk, "issued"): D("20000"),
        (world.v1.pk, "used"): D("20000"),
        (world.v1.pk, "redeemed"): D("20000"),
        (world.v1.pk, "paid"): D("20000"),
        (world.v2.pk, "issued"): D("5000"),
        (world.v2.pk, "used"): D("5000"),
        (world.v2.pk, "redeemed"): D("5000"),
        (world.v3.pk, "issued"): D("1500"),
        (world.v3.pk, "used"): D("1500"),
        (world.v4.pk, "issued"): D("8000"),
    }
    v3 = VoucherEvent.objects.get(voucher_id=world.v3.pk, stage="used")
    assert v3.public_benefit and v3.category == "科技查新" and v3.county_id == 640105
    assert v3.institution_kind == "university" and v3.institution_public


def test_totals_per_stage_are_the_hand_computed_sums(world):
    ensure_fresh()
    data = sel.breakdown(province(world), parse_filters({}))
    assert data.totals == {
        "issued": (4, D("34500")),
        "used": (3, D("26500")),
        "redeemed": (2, D("25000")),
        "paid": (1, D("20000")),
    }


def test_totals_by_county_kind_and_category(world):
    ensure_fresh()
    data = sel.breakdown(province(world), parse_filters({}))
    assert data.by_county[640104] == {
        "issued": (2, D("25000")),
        "used": (2, D("25000")),
        "redeemed": (2, D("25000")),
        "paid": (1, D("20000")),
    }
    assert data.by_county[640105] == {"issued": (1, D("1500")), "used": (1, D("1500"))}
    assert data.by_county[640202] == {"issued": (1, D("8000"))}
    assert data.by_kind["university"] == {
        "issued": (3, D("29500")),
        "used": (2, D("21500")),
        "redeemed": (1, D("20000")),
        "paid": (1, D("20000")),
    }
    assert data.by_kind["enterprise_lab"] == {
        "issued": (1, D("5000")),
        "used": (1, D("5000")),
        "redeemed": (1, D("5000")),
    }
    assert data.by_category["检验检测"] == {
        "issued": (2, D("28000")),
        "used": (1, D("20000")),
        "redeemed": (1, D("20000")),
        "paid": (1, D("20000")),
    }
    assert data.by_category["科技查新"] == {"issued": (1, D("1500")), "used": (1, D("1500"))}
    (month,) = data.by_month
    assert data.by_month[month]["used"] == (3, D("26500"))


def test_filters_narrow_the_totals(world):
    ensure_fresh()
    scope = province(world)
    assert sel.breakdown(scope, parse_filters({"kind": "enterprise_lab"})).totals["issued"] == (1, D("5000"))
    assert sel.breakdown(scope, parse_filters({"category": "检验检测", "kind": "university"})).totals["used"] == (
        1,
        D("20000"),
    )
    assert sel.breakdown(scope, parse_filters({"from": "2001-01", "to": "2001-12"})).totals == {}


def test_choropleth_rows_list_every_county_with_the_stage_and_cities_add_up(world):
    ensure_fresh()
    scope = province(world)
    rows = {r["adcode"]: r for r in sel.region_totals(scope, parse_filters({"stage": "used"}))}
    assert len(rows) == 22
    assert (rows[640104]["n"], rows[640104]["amount"]) == (2, D("25000"))
    assert (rows[640105]["n"], rows[640105]["amount"]) == (1, D("1500"))
    assert rows[640202]["n"] == 0 and rows[640202]["amount"] == 0
    cities = {r["adcode"]: r for r in sel.region_totals(scope, parse_filters({"stage": "issued", "level": "city"}))}
    assert len(cities) == 5
    assert (cities[640100]["n"], cities[640100]["amount"]) == (3, D("26500"))
    assert (cities[640200]["n"], cities[640200]["amount"]) == (1, D("8000"))
    counted = sel.region_totals(scope, parse_filters({"stage": "issued", "measure": "count"}))
    assert counted[0]["value"] == 2 and counted[0]["adcode"] == 640104  # largest first


def test_heat_weights_add_up_to_the_used_amounts_under_each_filter(world):
    ensure_fresh()
    scope = province(world)
    for params, expected in (
        ({}, 26500),
        ({"basis": "institution"}, 26500),
        ({"kind": "university"}, 21500),
        ({"category": "设计"}, 5000),
        ({"kind": "university", "category": "科技查新"}, 1500),
        ({"kind": "incubator"}, 0),
    ):
        data = sel.heat_points(scope, parse_filters(params))
        assert sum(p[2] for p in data["points"]) == expected, params
        assert data["level"] == 0
    # Institution basis: ivan_lab's and lab2's points, at their locations (one per cell).
    by_institution = sel.heat_points(scope, parse_filters({"basis": "institution"}))["points"]
    assert sorted(p[2] for p in by_institution) == [5000, 21500]
    lab = next(p for p in by_institution if p[2] == 21500)
    assert lab[:2] == [38.5004, 106.1325]


def test_a_zoomed_view_reads_the_fine_grid_inside_its_box(world):
    ensure_fresh()
    scope = province(world)
    near = sel.heat_points(scope, parse_filters({"basis": "institution", "bbox": "106.0,38.4,106.3,38.6"}))
    assert near["level"] == 1 and sum(p[2] for p in near["points"]) == 26500
    far = sel.heat_points(scope, parse_filters({"basis": "institution", "bbox": "105.0,36.0,105.3,36.2"}))
    assert far["points"] == []


def test_top_lists_rank_by_the_stage_amount(world):
    ensure_fresh()
    scope = province(world)
    institutions = sel.top_organisations(scope, parse_filters({"stage": "used"}), "institution")
    assert [(r["org_id"], r["n"], r["amount"]) for r in institutions] == [
        (world.ivan_lab.organisation_id, 2, D("21500")),
        (world.lab2.organisation_id, 1, D("5000")),
    ]
    assert institutions[0]["county"] == "西夏区" and institutions[0]["kind"] == "高等院校"
    enterprises = sel.top_organisations(scope, parse_filters({"stage": "issued"}), "enterprise")
    assert [(r["name"], r["amount"]) for r in enterprises] == [
        ("alice科技有限公司", D("25000")),
        ("dave科技有限公司", D("8000")),
        ("mallory科技有限公司", D("1500")),
    ]


def test_a_new_use_shows_on_the_next_read_without_a_rebuild(world):
    from tests.dashboards.conftest import use

    ensure_fresh()
    before = RefreshState.objects.get().ledger_id
    use(world.v4, world.dave, world.ivan_lab, world.olivia, key="dash-use-v4")
    ensure_fresh()
    assert RefreshState.objects.get().ledger_id > before
    data = sel.breakdown(province(world), parse_filters({}))
    assert data.totals["used"] == (4, D("34500"))
    assert data.by_county[640202]["used"] == (1, D("8000"))
    assert sum(p[2] for p in sel.heat_points(province(world), parse_filters({}))["points"]) == 34500


def test_the_full_rebuild_gives_the_same_aggregates_as_the_incremental_path(world):
    ensure_fresh()

    def snapshot():
        from dashboards.models import OrgMonth, RegionMonth

        return (
            sorted(
                RegionMonth.objects.values_list(
                    "month", "stage", "county_id", "institution_kind", "category", "n", "amount"
                )
            ),
            sorted(HeatCell.objects.values_list("level", "basis", "county_id", "cx", "cy", "n", "total", "amounts")),
            sorted(OrgMonth.objects.values_list("stage", "side", "county_id", "org_id", "n", "amount")),
        )

    incremental = snapshot()
    refresh_all()
    assert snapshot() == incremental


def test_the_refresh_command_is_a_dry_run_without_commit(world, capsys):
    call_command("dashboards_refresh")
    assert "Dry run" in capsys.readouterr().out
    assert not VoucherEvent.objects.exists()
    call_command("dashboards_refresh", "--commit")
    assert VoucherEvent.objects.count() == 10
