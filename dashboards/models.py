"""Dashboards: a fact table of voucher events, pre-aggregates for fast maps and tables, and
the institutions' annual evaluation.

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

Evaluation. ``EvaluationRule`` (one per year, edited by the centre) is the rule set as data;
``EvaluationResult`` is one institution's figures, grade with its reasons, and subsidy.
"""

from __future__ import annotations

from decimal import Decimal

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


# --- Annual evaluation ------------------------------------------------------------------------


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    POOR = "poor", "差"


class Rectification(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "限期整改中"
    RECTIFIED = "rectified", "已整改"
    SUSPENDED = "suspended", "拒不整改，已暂停入库"


class EvaluationRule(models.Model):
    """The year's evaluation rules (SPEC §5.5) as data. Subsidy rates, the per-contract
    public-benefit amount and the cap come from that year's ``vouchers.Policy``."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    excellent_min_rating = models.DecimalField(
        "优秀：平均评分不低于", max_digits=3, decimal_places=2, default=Decimal("4.50")
    )
    excellent_min_ratings = models.PositiveIntegerField("优秀：评价数不少于", default=3)
    excellent_max_complaints = models.PositiveIntegerField("优秀：投诉不多于", default=0)
    excellent_min_income = models.DecimalField("优秀：服务收入不低于（元）", **MONEY, default=Decimal("50000"))
    poor_below_rating = models.DecimalField("差：平均评分低于", max_digits=3, decimal_places=2, default=Decimal("3.00"))
    poor_min_ratings = models.PositiveIntegerField("差：按评分判定所需评价数", default=3)
    poor_min_complaints = models.PositiveIntegerField("差：投诉达到", default=3)
    complaint_max_score = models.PositiveSmallIntegerField("评分不高于此分计为投诉", default=2)
    rectify_days = models.PositiveSmallIntegerField("整改期限（天）", default=30)
    in_region_only = models.BooleanField("只补助区内机构", default=True)
    withhold_when_poor = models.BooleanField("评价为差的不予补助", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "机构年度评价规则"
        verbose_name_plural = "机构年度评价规则"
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_min_rating__gte=0) & Q(excellent_min_rating__lte=5) & Q(poor_below_rating__lte=5),
                name="evaluation_ratings_0_5",
            ),
            models.CheckConstraint(condition=Q(excellent_min_income__gte=0), name="evaluation_income_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度评价规则"


class EvaluationResult(models.Model):
    year = models.PositiveSmallIntegerField()
    institution = models.ForeignKey("catalog.Institution", on_delete=models.PROTECT, related_name="evaluations")
    redeemed_count = models.IntegerField("兑付券数")
    redeemed_amount = models.DecimalField("兑付金额", **MONEY)
    service_income = models.DecimalField("服务收入", **MONEY)
    rating_mean = models.DecimalField("平均评分", max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.IntegerField("评价数")
    complaints = models.IntegerField("投诉")
    grade = models.CharField("评价结果", max_length=10, choices=Grade.choices)
    reasons = models.JSONField("评价理由", default=list)
    is_public = models.BooleanField("事业单位")
    in_region = models.BooleanField("区内机构")
    public_benefit_contracts = models.IntegerField("公益性服务合同数")
    subsidy_rate = models.DecimalField(max_digits=5, decimal_places=4)
    subsidy_base = models.DecimalField("按兑付额补助", **MONEY)
    subsidy_public_benefit = models.DecimalField("公益服务补助", **MONEY)
    subsidy_uncapped = models.DecimalField("补助合计（封顶前）", **MONEY)
    subsidy = models.DecimalField("核定补助", **MONEY)
    subsidy_note = models.CharField(max_length=200, blank=True)
    rectification = models.CharField(
        "整改", max_length=10, choices=Rectification.choices, blank=True, default=Rectification.NONE
    )
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    rectification_note = models.CharField(max_length=300, blank=True)
    evaluated_at = models.DateTimeField()
    evaluated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["year", "-subsidy", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "institution"], name="one_evaluation_per_year"),
            models.CheckConstraint(condition=Q(subsidy__gte=0), name="evaluation_subsidy_not_negative"),
        ]
