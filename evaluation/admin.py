from django.contrib import admin

from evaluation.models import EvaluationResult, EvaluationRule


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(admin.ModelAdmin):
    list_display = ("year", "excellent_min_rating", "poor_below_rating", "poor_min_complaints", "rectify_days")


@admin.register(EvaluationResult)
class EvaluationResultAdmin(admin.ModelAdmin):
    """Results are written only by the year-end run (``evaluation.services``): read-only here."""

    list_display = ("year", "institution", "grade", "redeemed_amount", "subsidy", "payable", "rectification")
    list_filter = ("year", "grade", "rectification")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
