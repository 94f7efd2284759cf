"""The annual evaluation's table as an export (``notifications.exports``): kind
``evaluation.table``, parameter ``year``; the centre's only, checked again in the worker."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.actors import only
from evaluation.models import EvaluationResult
from evaluation.selectors import can_evaluate
from evaluation.tables import evaluation_table
from notifications.exports import ExportKind, ExportSpec, register

KIND = "evaluation.table"


def parse_year(raw) -> int:
    raw = str(raw or "").strip()
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": ["年度须在 2000–2100 之间。"]})
    return int(raw)


def resolve(user, params: dict) -> ExportSpec:
    if not can_evaluate(user):
        raise PermissionDenied(only("进行机构年度评价"))
    year = parse_year(params.get("year"))
    return ExportSpec(
        params={"year": str(year)},
        title=f"{year}年度服务机构评价与补助",
        filename=f"evaluation-{year}",
        estimate=lambda: EvaluationResult.objects.filter(year=year).count(),
        build=lambda: evaluation_table(year),
    )


register(ExportKind(KIND, resolve))
