"""Dashboard pages for bureaus, the operator and the centre (the annual evaluation, a tab of
them, is the ``evaluation`` app). Read-only: every page resolves the viewer's scope first
(403 for anyone else), brings the aggregates up to date with the ledger, and reads through
``dashboards.selectors``."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from catalog.models import InstitutionKind, ServiceCategory
from dashboards import exports as dashboard_exports
from dashboards import maps
from dashboards import selectors as sel
from dashboards import tables as tb
from dashboards.aggregation import ensure_fresh
from dashboards.filters import Filters, error_lines, parse_filters
from dashboards.models import Basis, Stage
from evaluation.selectors import can_evaluate
from geodata.models import Region
from mapsite.tables import CONTENT_TYPES, Table
from notifications.exports import export_response

TABS = [
    ("stats", "统计分析", "dashboards:index"),
    ("heatmap", "使用热力图", "dashboards:heatmap"),
    ("choropleth", "分区分布图", "dashboards:choropleth"),
    ("sharing", "仪器共享", "dashboards:sharing"),
]


class _Page:
    """What every dashboard page needs: the scope, the filters (or their errors) and the
    choices of the filter form."""

    def __init__(self, request, *, region: int | None = None):
        self.base_scope = sel.dashboard_scope(request.user)
        self.errors: list[str] = []
        try:
            self.filters = parse_filters(request.GET)
        except ValidationError as exc:
            self.errors = error_lines(exc)
            self.filters = parse_filters({})
        if region is not None:
            self.filters = replace(self.filters, region=region)
        try:
            self.scope = sel.narrowed(self.base_scope, self.filters.region)
        except ValidationError as exc:
            self.errors += error_lines(exc)
            self.filters = replace(self.filters, region=None)
            self.scope = self.base_scope
        self.regions = sel.scope_regions(self.base_scope)
        # Cities make sense only for a scope holding at least one whole city.
        narrowed_regions = self.regions if self.scope == self.base_scope else sel.scope_regions(self.scope)
        self.whole_cities = any(g["whole_city"] for g in narrowed_regions)
        if self.filters.level == "city" and not self.whole_cities:
            self.filters = replace(self.filters, level="county")
        ensure_fresh()

    @property
    def status(self) -> int:
        return 400 if self.errors else 200

    def context(self, request, tab: str, **extra) -> dict:
        f = self.filters
        tabs = [(key, label, reverse(name) + "?" + urlencode(f.query())) for key, label, name in TABS]
        if can_evaluate(request.user):
            tabs.append(("evaluation", "机构年度评价", reverse("evaluation:index")))
        return {
            "tab": tab,
            "tabs": tabs,
            "scope": self.scope,
            "base_scope": self.base_scope,
            "f": f,
            "query": urlencode(f.query()),
            "errors": self.errors,
            "regions": self.regions,
            "whole_cities": self.whole_cities,
            "kinds": InstitutionKind.choices,
            "categories": ServiceCategory.choices,
            "stages": Stage.choices,
            "bases": Basis.choices,
            **extra,
        }


def _export_links(key: str, f: Filters) -> dict:
    q = urlencode(f.query())
    return {fmt: reverse("dashboards:export", args=[key, fmt]) + "?" + q for fmt in ("csv", "xlsx")}


def _with_exports(table: Table, f: Filters) -> Table:
    table.exports = _export_links(table.key, f)
    return table


def _stats_context(page: _Page) -> dict:
    scope, f = page.scope, page.filters
    data = sel.breakdown(scope, f)
    months = tb.by_month_table(scope, f, data)
    peak = max((row[4] for row in months.rows), default=0) or 1  # used amount per month
    trend = [
        {"month": row[0], "amount": row[4], "n": row[3], "pct": round(100 * row[4] / peak, 1)} for row in months.rows
    ]
    tables = [
        months,
        tb.by_region_table(scope, f, data),
        tb.by_kind_table(scope, f, data),
        tb.by_category_table(scope, f, data),
        tb.top_institutions_table(scope, f),
        tb.top_enterprises_table(scope, f),
        tb.review_times_table(scope, f),
    ]
    totals = [
        {"stage": s.label, "n": data.totals.get(s.value, (0, 0))[0], "amount": data.totals.get(s.value, (0, 0))[1]}
        for s in Stage
    ]
    return {"tables": [_with_exports(t, f) for t in tables], "totals": totals, "trend": trend}


@login_required
@require_safe
def index(request):
    page = _Page(request)
    return render(
        request, "dashboards/stats.html", page.context(request, "stats", **_stats_context(page)), status=page.status
    )


@login_required
@require_safe
def region_detail(request, adcode: int):
    region = get_object_or_404(Region.objects.only("adcode", "name", "level", "parent"), adcode=adcode)
    page = _Page(request, region=adcode)
    if page.scope.adcode != adcode and not page.errors:
        raise PermissionDenied
    context = page.context(request, "stats", region=region, **_stats_context(page))
    return render(request, "dashboards/stats.html", context, status=page.status)


@login_required
@require_safe
def heatmap(request):
    page = _Page(request)
    f = page.filters
    frame = reverse("dashboards:heatmap_frame") + "?" + urlencode(f.query())
    rows = sel.region_totals(page.scope, replace(f, stage=Stage.USED, level="county"))
    totals = (sum(r["n"] for r in rows), sum(r["amount"] for r in rows))
    return render(
        request,
        "dashboards/heatmap.html",
        page.context(request, "heatmap", frame=frame, used=totals),
        status=page.status,
    )


@login_required
@require_safe
def choropleth(request):
    page = _Page(request)
    rows = sel.region_totals(page.scope, page.filters)
    table = _with_exports(tb.choropleth_table(page.scope, page.filters, rows), page.filters)
    legend = maps.legend(maps.class_breaks([r["value"] for r in rows]), page.filters.measure)
    frame = reverse("dashboards:choropleth_frame") + "?" + urlencode(page.filters.query())
    context = page.context(request, "choropleth", table=table, frame=frame, legend=legend)
    return render(request, "dashboards/choropleth.html", context, status=page.status)


@login_required
@require_safe
def sharing(request):
    page = _Page(request)
    instruments = sel.sharing_by_instrument(page.scope, page.filters)
    tables = [
        tb.sharing_institutions_table(page.scope, page.filters, instruments),
        tb.sharing_instruments_table(page.scope, page.filters, instruments),
    ]
    context = page.context(request, "sharing", tables=[_with_exports(t, page.filters) for t in tables])
    return render(request, "dashboards/sharing.html", context, status=page.status)


# --- map documents ----------------------------------------------------------------------------


def _frame_page(request) -> _Page:
    page = _Page(request)
    if page.errors:
        raise ValidationError(page.errors)
    return page


def _document(html: str) -> HttpResponse:
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
@xframe_options_sameorigin
@gzip_page
def heatmap_frame(request):
    try:
        page = _frame_page(request)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    return _document(maps.heatmap_document(page.scope, page.filters))


@login_required
@require_safe
@xframe_options_sameorigin
@gzip_page
def choropleth_frame(request):
    try:
        page = _frame_page(request)
    except ValidationError as exc:
        return HttpResponse("；".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    rows = sel.region_totals(page.scope, page.filters)
    html, _ = maps.choropleth_document(page.scope, page.filters, rows)
    return _document(html)


# --- exports ----------------------------------------------------------------------------------


@login_required
@require_safe
@never_cache
def export(request, key: str, fmt: str):
    """The table as CSV/Excel: at once up to ``EXPORT_SYNC_MAX_ROWS`` rows, else built by the
    worker (redirect to the job's page). Scope and filters: ``dashboards.exports.scoped``."""
    if fmt not in CONTENT_TYPES or key not in tb.TABLES:
        raise Http404
    return export_response(request, kind=dashboard_exports.KIND, params={**request.GET.dict(), "key": key}, fmt=fmt)
