"""The reference the map search is measured against: the same nearest-first search written
the textbook way, with Django REST framework, rest_framework_gis and django-filter over the
same ``Listing`` model, as the djangorestframework-gis documentation and tests show it.

``GET /api/map/search/?near=<lng>,<lat>&sort=distance`` returns the same 20 listings in the
same order as the product (the benchmark checks it): the instruments and services nearest
the point, ordered by ``GeometryDistance`` (the same ``<->`` KNN on the same GiST index),
a ``GeoFeatureModelSerializer`` writing GeoJSON, ``GeoJsonPagination`` (page number with a
``COUNT(*)`` of every match), a ``FilterSet`` for the module, category, voucher and region
filters, and the full middleware stack. Benchmark only: mounted by
``benchmarks.textbook_settings``, never by the product's URLconf.
"""

from __future__ import annotations

import django_filters
from django.urls import path
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework_gis.filters import DistanceToPointOrderingFilter
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from catalog.models import Listing, ListingKind


class ListingSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Listing
        geo_field = "location"
        fields = [
            "id",
            "kind",
            "item_id",
            "name",
            "institution_id",
            "institution_name",
            "category",
            "price",
            "unit",
            "voucher_eligible",
            "in_region",
            "rating_mean",
            "rating_count",
            "popularity",
            "region",
        ]


class ListingFilter(django_filters.FilterSet):
    module = django_filters.ChoiceFilter(
        choices=[("common", "common"), *ListingKind.choices], method="filter_module", empty_label=None
    )

    class Meta:
        model = Listing
        fields = ["category", "voucher_eligible", "region"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("module", "common")  # the product's default module
        super().__init__(data, *args, **kwargs)

    def filter_module(self, queryset, name, value):
        if value == "common":
            return queryset.filter(kind__in=[ListingKind.INSTRUMENT, ListingKind.SERVICE])
        return queryset.filter(kind=value)


class NearOrdering(DistanceToPointOrderingFilter):
    point_param = "near"


class Pagination(GeoJsonPagination):
    page_size = 20


class ListingSearch(generics.ListAPIView):
    queryset = Listing.objects.all()
    serializer_class = ListingSerializer
    permission_classes = [AllowAny]
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, NearOrdering]
    filterset_class = ListingFilter
    distance_ordering_filter_field = "location"
    pagination_class = Pagination


urlpatterns = [path("api/map/search/", ListingSearch.as_view())]
