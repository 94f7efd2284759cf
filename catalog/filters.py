"""Parsing and validating map-search parameters. Bad input → HTTP 400 naming the parameter.

This is a plain Django form rather than a django-filter FilterSet: the search is compiled
to SQL by ``catalog.selectors.map_search`` (no queryset to filter), and the
FilterSet's per-request deep copy of its filters cost 2 ms — a third of the whole request.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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


def _choice(values) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[(v, v) for v in values], required=False)


class MapSearchForm(forms.Form):
    """Every parameter of ``GET /api/map/search/`` (documented in catalog.api.SEARCH_PARAMS)."""

    module = _choice(MODULES)
    q = forms.CharField(required=False, max_length=50)
    near = LngLatField(required=False)
    radius_km = forms.DecimalField(required=False, min_value=0.01, max_value=MAX_RADIUS_KM)
    region = forms.IntegerField(required=False, min_value=100000, max_value=999999)
    category = forms.CharField(required=False, max_length=32)
    voucher = StrictBooleanField(required=False)
    min_rating = forms.DecimalField(required=False, min_value=0, max_value=5)
    min_price = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    max_price = forms.DecimalField(required=False, min_value=0, max_digits=14, decimal_places=2)
    bbox = BBoxField(required=False)
    date = forms.DateField(required=False)
    sort = _choice(SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE)
    cluster = _choice(("auto", "0", "1"))

    def clean(self):
        data = super().clean()
        if data.get("radius_km") is not None and data.get("near") is None:
            self.add_error("radius_km", "radius_km 需要同时提供 near。")
        if data.get("sort") == "distance" and data.get("near") is None:
            self.add_error("sort", "按距离排序需要提供 near（经度,纬度）。")
        lo, hi = data.get("min_price"), data.get("max_price")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("min_price", "min_price 不能大于 max_price。")
        if data.get("date") and data.get("module") not in (None, "", "instrument"):
            self.add_error("date", "按空闲日期筛选仅适用于设备（module=instrument）。")
        return data

    @property
    def params(self) -> dict:
        """Validated parameters with defaults filled in (after is_valid())."""
        data = dict(self.cleaned_data)
        data["module"] = data.get("module") or "common"
        data["sort"] = data.get("sort") or ("distance" if data.get("near") else "popularity")
        data["page"] = data.get("page") or 1
        data["page_size"] = data.get("page_size") or 20
        data["cluster"] = data.get("cluster") or "auto"
        data["q"] = (data.get("q") or "").strip()
        return data
