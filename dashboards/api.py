"""Statistics API: ``/api/stats/usage/`` (totals grouped one way) and ``/api/stats/heatmap/``
(weighted points of voucher use). Both are scoped like the pages: a bureau gets its region's
figures only, and asking for a region outside it is a 403, never somebody else's data."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import InstitutionKind, ServiceCategory
from dashboards import selectors as sel
from dashboards.aggregation import ensure_fresh
from dashboards.filters import Filters, parse_filters
from dashboards.models import CATEGORIES, KINDS, Side, Stage

GROUPS = ("county", "city", "kind", "category", "month", "stage", "institution", "enterprise")
ZERO = Decimal("0")

COMMON_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="first month, YYYY-MM (default: 11 months ago)"),
    OpenApiParameter("to", OpenApiTypes.STR, description="last month, YYYY-MM (default: this month)"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), description="institution kind"),
    OpenApiParameter("category", OpenApiTypes.STR, enum=list(CATEGORIES), description="service category"),
    OpenApiParameter("region", OpenApiTypes.INT, description="adcode (province, city or county) inside your scope"),
]


def _scoped(request) -> tuple[sel.Scope, Filters]:
    scope = sel.dashboard_scope(request.user)
    filters = parse_filters(request.query_params)
    scope = sel.narrowed(scope, filters.region)
    ensure_fresh()
    return scope, filters


def _money(value) -> str:
    return f"{value or ZERO:.2f}"


class UsageStatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="创新券统计（按地区、机构类型、服务类别、月份、环节或机构分组）",
        parameters=[
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(GROUPS), description="default county"),
            OpenApiParameter("stage", OpenApiTypes.STR, enum=list(Stage.values), description="default used"),
            *COMMON_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        scope, f = _scoped(request)
        group = request.query_params.get("group", "county").strip() or "county"
        if group not in GROUPS:
            raise ValidationError({"group": [f"须为 {'/'.join(GROUPS)} 之一。"]})
        rows = self._rows(scope, f, group)
        total_n = sum(r["n"] for r in rows) if group not in ("institution", "enterprise", "stage") else None
        total_amount = sum((Decimal(r["amount"]) for r in rows), ZERO) if total_n is not None else None
        return Response(
            {
                "scope": {"adcode": scope.adcode, "name": scope.label},
                "from": f"{f.month_from:%Y-%m}",
                "to": f"{f.month_to:%Y-%m}",
                "stage": f.stage,
                "group": group,
                "kind": f.kind or None,
                "category": f.category or None,
                "rows": rows,
                "total": None if total_n is None else {"n": total_n, "amount": _money(total_amount)},
            }
        )

    def _rows(self, scope: sel.Scope, f: Filters, group: str) -> list[dict]:
        if group in ("county", "city"):
            f = replace(f, level=group)
            return [
                {"key": str(r["adcode"]), "label": r["name"], "n": r["n"], "amount": _money(r["amount"])}
                for r in sorted(sel.region_totals(scope, f), key=lambda r: r["adcode"])
            ]
        if group in ("institution", "enterprise"):
            side = Side.INSTITUTION if group == "institution" else Side.ENTERPRISE
            return [
                {"key": str(r["org_id"]), "label": r["name"], "n": r["n"], "amount": _money(r["amount"])}
                for r in sel.top_organisations(scope, f, side, limit=50)
            ]
        data = sel.breakdown(scope, f)
        if group == "stage":
            return [
                {
                    "key": s.value,
                    "label": s.label,
                    "n": data.totals.get(s.value, (0, ZERO))[0],
                    "amount": _money(data.totals.get(s.value, (0, ZERO))[1]),
                }
                for s in Stage
            ]
        if group == "kind":
            keys, labels, values = KINDS, dict(InstitutionKind.choices), data.by_kind
        elif group == "category":
            keys, labels, values = CATEGORIES, dict(ServiceCategory.choices), data.by_category
        else:
            months = sel.months_of(f)
            keys, labels, values = months, {m: f"{m:%Y-%m}" for m in months}, data.by_month
        out = []
        for key in keys:
            n, amount = values.get(key, {}).get(f.stage, (0, ZERO))
            out.append(
                {
                    "key": labels[key] if group == "month" else key,
                    "label": labels[key],
                    "n": n,
                    "amount": _money(amount),
                }
            )
        return out


class HeatmapView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="创新券使用热力图数据（按金额加权的网格点）",
        parameters=[
            OpenApiParameter(
                "basis", OpenApiTypes.STR, enum=["enterprise", "institution"], description="default enterprise"
            ),
            OpenApiParameter("bbox", OpenApiTypes.STR, description="w,s,e,n; a view under 1.2° reads the 1 km grid"),
            *COMMON_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        scope, f = _scoped(request)
        data = sel.heat_points(scope, f)
        return Response(
            {
                "scope": {"adcode": scope.adcode, "name": scope.label},
                "from": f"{f.month_from:%Y-%m}",
                "to": f"{f.month_to:%Y-%m}",
                "kind": f.kind or None,
                "category": f.category or None,
                **data,
                "scale": sel.heat_scale(data["points"]),
            }
        )
