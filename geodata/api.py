"""Region endpoints: GeoJSON boundaries and point location."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from geodata.models import Region
from geodata.points import make_point
from geodata.selectors import LEVELS, province_name, region_list, region_locate
from mapsite.api import ModelSerializer


class RegionFeatureSerializer(GeoFeatureModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    center = serializers.SerializerMethodField()

    class Meta:
        model = Region
        geo_field = "geom_display"
        id_field = "adcode"
        fields = ["adcode", "name", "level", "parent", "center"]

    def get_center(self, obj) -> list[float]:
        return [round(obj.center.x, 6), round(obj.center.y, 6)]


class RegionBriefSerializer(ModelSerializer):
    class Meta:
        model = Region
        fields = ["adcode", "name", "level"]


@extend_schema(
    parameters=[
        OpenApiParameter("level", OpenApiTypes.STR, enum=LEVELS, description="province, city or county"),
        OpenApiParameter("parent", OpenApiTypes.INT, description="only children of this adcode"),
    ]
)
class RegionListView(generics.ListAPIView):
    """Ningxia's regions as a GeoJSON FeatureCollection (boundaries simplified to ~50 m)."""

    serializer_class = RegionFeatureSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self):
        level = self.request.query_params.get("level")
        if level is not None and level not in LEVELS:
            raise ValidationError({"level": [f"level 须为 {', '.join(LEVELS)} 之一。"]})
        qs = region_list(level=level)
        parent = self.request.query_params.get("parent")
        if parent is not None:
            if not parent.isdigit():
                raise ValidationError({"parent": ["parent 须为行政区划代码（数字）。"]})
            qs = qs.filter(Q(parent_id=int(parent)))
        return qs


class LocateResponse(serializers.Serializer):
    county = RegionBriefSerializer()
    city = RegionBriefSerializer(allow_null=True)


@extend_schema(
    parameters=[
        OpenApiParameter("lng", OpenApiTypes.NUMBER, required=True),
        OpenApiParameter("lat", OpenApiTypes.NUMBER, required=True),
    ],
    responses=LocateResponse,
)
class RegionLocateView(APIView):
    """The county and city containing a WGS-84 point; 404 outside the deployment's province."""

    permission_classes = [AllowAny]

    def get(self, request):
        if "lng" not in request.query_params or "lat" not in request.query_params:
            raise ValidationError({"detail": "须提供 lng 和 lat 参数。"})
        point = make_point(request.query_params["lng"], request.query_params["lat"])
        county = region_locate(point=point)
        if county is None:
            raise NotFound(f"该位置不在{province_name()}范围内。")
        return Response(
            {
                "county": RegionBriefSerializer(county).data,
                "city": RegionBriefSerializer(county.parent).data if county.parent else None,
            }
        )
