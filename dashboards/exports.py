"""The dashboards' tables as exports (``notifications.exports``): one kind,
``dashboards.table``, whose parameters are the table's key and the dashboard filters.

The request and the worker resolve the same way: the scope comes from the user
(``selectors.dashboard_scope``), narrowed to the filters' region only when it lies inside
it, exactly as the dashboard pages do — the stored parameters never widen it."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError

from catalog.models import Instrument
from dashboards import selectors as sel
from dashboards import tables as tb
from dashboards.aggregation import ensure_fresh
from dashboards.filters import Filters, error_lines, parse_filters
from dashboards.models import CATEGORIES, KINDS
from notifications.exports import ExportKind, ExportSpec, register

KIND = "dashboards.table"

TITLES = {
    "choropleth": "分区分布",
    "by_region": "分地区统计",
    "by_kind": "分机构类型统计",
    "by_category": "分服务类别统计",
    "by_month": "分月统计",
    "top_institutions": "服务机构排行",
    "top_enterprises": "创新主体排行",
    "review_times": "审核用时",
    "sharing_instruments": "仪器共享指标（按仪器）",
    "sharing_institutions": "仪器共享指标（按机构）",
}
SHARED = ("approved", "changes_pending")  # the instruments sharing_by_instrument reads


def scoped(user, params) -> tuple[sel.Scope, Filters]:
    """The user's scope narrowed by the filters in ``params``, and the filters (as the
    dashboard pages: "city" level falls back to counties in a scope without a whole city).
    PermissionDenied for a user without dashboards or a region outside their scope;
    ValidationError (Chinese, one line per field) for bad filters."""
    base = sel.dashboard_scope(user)
    try:
        f = parse_filters(params)
        scope = sel.narrowed(base, f.region)
    except ValidationError as exc:
        raise ValidationError(error_lines(exc)) from None
    if f.level == "city" and not any(g["whole_city"] for g in sel.scope_regions(scope)):
        f = replace(f, level="county")
    return scope, f


def _instruments(scope: sel.Scope):
    qs = Instrument.objects.filter(review_status__in=SHARED)
    if scope.counties is not None:
        qs = qs.filter(institution__organisation__region_id__in=scope.counties)
    return qs


def estimate(key: str, scope: sel.Scope, f: Filters) -> int:
    """Rows of table ``key`` at most, without building it."""
    if key == "sharing_instruments":
        return _instruments(scope).count()
    if key == "sharing_institutions":
        return _instruments(scope).values("institution_id").distinct().count()
    if key in ("choropleth", "by_region"):
        return sum(len(g["counties"]) for g in sel.scope_regions(scope)) + 1
    if key == "by_month":
        return len(sel.months_of(f))
    if key in ("top_institutions", "top_enterprises"):
        return 20
    return max(len(KINDS), len(CATEGORIES), 10)  # by_kind, by_category, review_times


def resolve(user, params: dict) -> ExportSpec:
    key = str(params.get("key", ""))
    if key not in tb.TABLES:
        raise ValidationError(f"没有这个看板表格：{key[:40]}")
    scope, f = scoped(user, params)

    def build():
        ensure_fresh()
        return tb.TABLES[key](scope, f)

    return ExportSpec(
        params={"key": key, **f.query()},
        title=f"数据看板·{TITLES[key]}（{scope.label}，{f.month_from:%Y-%m}至{f.month_to:%Y-%m}）",
        filename=f"dashboard-{key}-{scope.adcode}-{f.month_from:%Y%m}-{f.month_to:%Y%m}",
        estimate=lambda: estimate(key, scope, f),
        build=build,
    )


register(ExportKind(KIND, resolve))
