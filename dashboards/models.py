"""Dashboards: a fact table of voucher events and pre-aggregates for fast maps and tables.

Read path. ``VoucherEvent`` holds one row per voucher reaching a stage (issued, used,
redeemed, paid) with everything a dashboard filters or groups on, denormalised: amount,
month, the applicant's county (the scope of a bureau), the institution's kind, the service
category and both points. It is *derived* data: ``dashboards.aggregation`` rebuilds it from
the vouchers tables (the vouchers layer never imports dashboards), so ids here are plain
integers, not foreign keys. Three pre-aggregates are kept in step with it and are what the
pages read — a year of the whole province is a few thousand rows, not a million:

* ``RegionMonth``: per month × stage × county × institution kind × category: count and
  amount (Decimal). Choropleth, totals by region / kind / category / month.
* ``HeatCell``: voucher *use* per grid level × basis (enterprise or institution point) ×
  month × county × cell, with the amounts of the 7 × 12 kind/category combinations in one
  fixed-width array (and its row and column sums), so a heatmap filtered by kind and/or
  category still reads one row per cell and month and one array element of it. Weights are
  whole yuan (drawing intensity, not accounting).
* ``OrgMonth``: per month × stage × county × enterprise or institution: the top lists.

The institutions' annual evaluation, which writes, is its own app (``evaluation``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q

from catalog.models import InstitutionKind, ServiceCategory

MONEY = {"max_digits": 14, "decimal_places": 2}

#: The fixed order of the kind × category matrix in ``HeatCell.amounts``: index
#: ``kind_index * len(CATEGORIES) + category_index``. Adding a kind or category changes the
#: width: migrate the array size and run ``dashboards_refresh --commit``.
KINDS: tuple[str, ...] = tuple(InstitutionKind.values)
CATEGORIES: tuple[str, ...] = tuple(ServiceCategory.values)
MATRIX = len(KINDS) * len(CATEGORIES)


class Stage(models.TextChoices):
    ISSUED = "issued", "发放"
    USED = "used", "使用"
    REDEEMED = "redeemed", "兑付"
    PAID = "paid", "拨付"


class Basis(models.TextChoices):
    ENTERPRISE = "enterprise", "按企业位置"
    INSTITUTION = "institution", "按机构位置"


class Side(models.TextChoices):
    ENTERPRISE = "enterprise", "创新主体"
    INSTITUTION = "institution", "服务机构"


class VoucherEvent(models.Model):
    """One voucher reaching one stage. ``county_id`` is the applicant's county (0 = unknown);
    synthetic rows (benchmarks) have no voucher and negative organisation ids."""

    voucher_id = models.BigIntegerField(null=True)
    synthetic = models.BooleanField(default=False)
    stage = models.CharField(max_length=8, choices=Stage.choices)
    at = models.DateTimeField()
    month = models.DateField(help_text="first day of the month, Asia/Shanghai")
    amount = models.DecimalField(**MONEY)
    county_id = models.IntegerField()
    enterprise_id = models.BigIntegerField()
    institution_id = models.BigIntegerField()
    institution_kind = models.CharField(max_length=24, choices=InstitutionKind.choices)
    institution_public = models.BooleanField()
    institution_in_region = models.BooleanField()
    category = models.CharField(max_length=16, choices=ServiceCategory.choices)
    kc = models.SmallIntegerField(help_text="kind_index * 12 + category_index")
    public_benefit = models.BooleanField()
    ent_point = models.PointField(srid=settings.SRID, null=True)
    inst_point = models.PointField(srid=settings.SRID, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voucher_id", "stage"], condition=Q(voucher_id__isnull=False), name="one_event_per_stage"
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "month", "county_id"], name="dash_event_stage_month"),
            models.Index(fields=["month", "county_id"], name="dash_event_slice"),
        ]


class RegionMonth(models.Model):
    month = models.DateField()
    stage = models.CharField(max_length=8, choices=Stage.choices)
    county_id = models.IntegerField()
    institution_kind = models.CharField(max_length=24)
    category = models.CharField(max_length=16)
    n = models.IntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "stage", "county_id", "institution_kind", "category"], name="one_region_month"
            )
        ]
        indexes = [
            models.Index(fields=["stage", "month"], name="dash_rm_stage_month"),
            models.Index(fields=["month", "county_id"], name="dash_rm_slice"),
        ]


class HeatCell(models.Model):
    """Voucher use on a grid of ``GRID_LEVELS[level]`` degrees (cell ``cx, cy`` =
    ``floor(lng / size), floor(lat / size)``). ``sum_lng``/``sum_lat`` are amount-weighted
    coordinate sums, so a cell is drawn at the centre of its money, not of its square."""

    level = models.SmallIntegerField()
    basis = models.CharField(max_length=12, choices=Basis.choices)
    month = models.DateField()
    county_id = models.IntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    n = models.IntegerField()
    total = models.BigIntegerField(help_text="whole yuan")
    sum_lng = models.FloatField()
    sum_lat = models.FloatField()
    amounts = ArrayField(models.BigIntegerField(), size=MATRIX, help_text="whole yuan per kind × category")
    # The matrix's row and column sums, so a filter on kind or category alone reads one
    # element instead of 12 or 7.
    by_kind = ArrayField(models.BigIntegerField(), size=len(KINDS), help_text="whole yuan per kind")
    by_category = ArrayField(models.BigIntegerField(), size=len(CATEGORIES), help_text="whole yuan per category")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "basis", "month", "county_id", "cx", "cy"], name="one_heat_cell")
        ]
        indexes = [
            models.Index(fields=["level", "basis", "month"], name="dash_heat_lookup"),
            models.Index(fields=["month", "county_id"], name="dash_heat_slice"),
        ]


class OrgMonth(models.Model):
    month = models.DateField()
    stage = models.CharField(max_length=8, choices=Stage.choices)
    side = models.CharField(max_length=12, choices=Side.choices)
    county_id = models.IntegerField()
    org_id = models.BigIntegerField()
    institution_kind = models.CharField(max_length=24, blank=True)
    n = models.IntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        indexes = [
            models.Index(fields=["stage", "side", "month"], name="dash_org_lookup"),
            models.Index(fields=["month", "county_id"], name="dash_org_slice"),
        ]


class RefreshState(models.Model):
    """Singleton: the last ledger entry the facts reflect. Every voucher movement (issue, use,
    redemption, payout, expiry, clawback) writes ledger entries, so entries past this id name
    exactly the vouchers whose events must be recomputed."""

    ledger_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)
    full_at = models.DateTimeField(null=True)


# --- Review levels ----------------------------------------------------------------------------


class ReviewLevel(models.TextChoices):
    """Review turns the statistics time; their limits are fields of the year's voucher policy
    (``review_workdays``, ``check_workdays``, ``confirm_workdays``)."""

    BUREAU = "bureau", "推荐部门审核（合同）"
    OPERATOR = "operator", "运营单位复核（合同）"
    CENTRE = "centre", "创业中心审定（合同）"
    REDEMPTION_CHECK = "redemption_check", "运营单位审核（兑付）"
    REDEMPTION_CONFIRM = "redemption_confirm", "创业中心确认（兑付）"
