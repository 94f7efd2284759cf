"""The annual evaluation as data: ``EvaluationRule`` (one per year, edited by the centre) is
the rule set; ``EvaluationResult`` is one institution's figures, grade with its reasons, and
subsidy — and, once the centre grants it, the payable that pays it (``payable``, a
``vouchers.Subsidy``).

The tables keep the names they got when these models lived in ``dashboards``: the move was
a change of Django's state only (``SeparateDatabaseAndState``), so every stored result, rule
and rectification is carried as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 14, "decimal_places": 2}


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
        db_table = "dashboards_evaluationrule"  # made by dashboards before the app existed (no copy)
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
    # The subsidy granted from this result (a payable paid by a payout batch); the latest
    # one when an earlier grant was cancelled. Empty until the centre grants the year.
    payable = models.OneToOneField(
        "vouchers.Subsidy", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="补助拨付"
    )
    rectification = models.CharField(
        "整改", max_length=10, choices=Rectification.choices, blank=True, default=Rectification.NONE
    )
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    rectification_note = models.CharField(max_length=300, blank=True)
    evaluated_at = models.DateTimeField()
    evaluated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "dashboards_evaluationresult"  # made by dashboards before the app existed (no copy)
        ordering = ["year", "-subsidy", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "institution"], name="one_evaluation_per_year"),
            models.CheckConstraint(condition=Q(subsidy__gte=0), name="evaluation_subsidy_not_negative"),
        ]
