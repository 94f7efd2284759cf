"""Parsing and validating map-search parameters (django-filter). Bad input → HTTP 400."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from catalog.models import Listing
from geodata.points import CoordinateError, parse_bbox, parse_lng_lat

MODULES = ("common", "institution", "service", "instrument")
SORTS = ("distance", "rating", "-rating", "price", "-price", "popularity", "newest")
MAX_PAGE_SIZE = 200
MAX_PAGE = 500
MAX_RADIUS_KM = 500


class _CoordinateField(forms.CharField):
    parser = staticmethod(parse_lng_lat)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return self.parser(value)
        except CoordinateError as exc:
            raise ValidationError(str(exc)) from exc


class LngLatField(_CoordinateField):
    parser = staticmethod(parse_lng_lat)


class BBoxField(_CoordinateField):
    parser = staticmethod(parse_bbox)


class StrictBooleanField(forms.Field):
    """``1/0/true/false/yes/no``; anything else is an error rather than "unknown"."""

    TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}

    def clean(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError("须为 1 或 0（true/false）。")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class LngLatFilter(django_filters.Filter):
    field_class = LngLatField


class BBoxFilter(django_filters.Filter):
    field_class = BBoxField


def _keep(queryset, name, value):
    """Parameters read by the selector (sorting, paging, the reference point)."""
    return queryset


class MapSearchFilter(django_filters.FilterSet):
    """Every parameter of ``GET /api/map/search/``. Filtering that is plain column logic
    happens here; the selector adds geography (radius, bbox), sorting, paging, clustering."""

    module = django_filters.ChoiceFilter(choices=[(m, m) for m in MODULES], method=_keep)
    q = django_filters.CharFilter(method=_keep, max_length=50)
    near = LngLatFilter(method=_keep)
    radius_km = django_filters.NumberFilter(method=_keep, min_value=0.01, max_value=MAX_RADIUS_KM)
    region = django_filters.NumberFilter(method=_keep, min_value=100000, max_value=999999)
    category = django_filters.CharFilter(field_name="category", max_length=32)
    voucher = StrictBooleanFilter(method="filter_voucher")
    min_rating = django_filters.NumberFilter(field_name="rating_mean", lookup_expr="gte", min_value=0, max_value=5)
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte", min_value=0)
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte", min_value=0)
    bbox = BBoxFilter(method=_keep)
    date = django_filters.DateFilter(method=_keep)
    sort = django_filters.ChoiceFilter(choices=[(s, s) for s in SORTS], method=_keep)
    page = django_filters.NumberFilter(method=_keep, min_value=1, max_value=MAX_PAGE)
    page_size = django_filters.NumberFilter(method=_keep, min_value=1, max_value=MAX_PAGE_SIZE)
    cluster = django_filters.ChoiceFilter(choices=[("auto", "auto"), ("0", "0"), ("1", "1")], method=_keep)

    class Meta:
        model = Listing
        fields: list[str] = []

    def filter_voucher(self, queryset, name, value):
        return queryset if value is None else queryset.filter(voucher_eligible=value)

    @property
    def params(self) -> dict:
        """Validated parameters with defaults filled in (call after is_valid())."""
        data = dict(self.form.cleaned_data)
        errors: dict[str, str] = {}
        if data.get("radius_km") is not None and data.get("near") is None:
            errors["radius_km"] = "radius_km 需要同时提供 near。"
        if data.get("sort") == "distance" and data.get("near") is None:
            errors["sort"] = "按距离排序需要提供 near（经度,纬度）。"
        lo, hi = data.get("min_price"), data.get("max_price")
        if lo is not None and hi is not None and lo > hi:
            errors["min_price"] = "min_price 不能大于 max_price。"
        if data.get("date") and data.get("module") not in (None, "", "instrument"):
            errors["date"] = "按空闲日期筛选仅适用于设备（module=instrument）。"
        if errors:
            raise ValidationError(errors)
        data["module"] = data.get("module") or "common"
        data["sort"] = data.get("sort") or ("distance" if data.get("near") else "popularity")
        data["page"] = int(data.get("page") or 1)
        data["page_size"] = int(data.get("page_size") or 20)
        data["cluster"] = data.get("cluster") or "auto"
        data["q"] = (data.get("q") or "").strip()
        return data


