"""Catalogue API: map search, institutions, instruments, services, bookings, contacts, ratings."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from catalog import services
from catalog.map_endpoint import search_response
from catalog.models import (
    Booking,
    ContactRequest,
    Institution,
    Instrument,
    ListingKind,
    Rating,
    ReviewStatus,
    Service,
)
from catalog.permissions import can_see_contacts, can_see_item_review, is_institution_member
from catalog.selectors import bookings_for, public_institutions, public_instruments, public_services
from geodata.points import make_point
from mapsite import uploads
from mapsite.api import ModelSerializer

SEARCH_PARAMS = [
    OpenApiParameter("module", OpenApiTypes.STR, enum=["common", "institution", "service", "instrument"]),
    OpenApiParameter("q", OpenApiTypes.STR, description="Chinese substring, full pinyin or initials"),
    OpenApiParameter("near", OpenApiTypes.STR, description="<lng>,<lat> (WGS-84)"),
    OpenApiParameter("radius_km", OpenApiTypes.NUMBER),
    OpenApiParameter("region", OpenApiTypes.INT, description="adcode of province, city or county"),
    OpenApiParameter("category", OpenApiTypes.STR),
    OpenApiParameter("voucher", OpenApiTypes.BOOL),
    OpenApiParameter("min_rating", OpenApiTypes.NUMBER),
    OpenApiParameter("min_price", OpenApiTypes.NUMBER),
    OpenApiParameter("max_price", OpenApiTypes.NUMBER),
    OpenApiParameter("bbox", OpenApiTypes.STR, description="<west>,<south>,<east>,<north>"),
    OpenApiParameter("date", OpenApiTypes.DATE, description="instruments free on this date"),
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=["distance", "rating", "-rating", "price", "-price", "popularity", "newest"],
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1–200, default 20"),
    OpenApiParameter("cluster", OpenApiTypes.STR, enum=["auto", "0", "1"]),
]


class MapSearchView(APIView):
    """Search the public catalogue; GeoJSON FeatureCollection with ``count``.

    With a ``bbox`` holding more than MAP_CLUSTER_THRESHOLD results (or ``cluster=1``), the
    features are grid clusters (``properties.cluster``, ``count``) computed in PostGIS."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public and cacheable: no session or token lookup

    @extend_schema(parameters=SEARCH_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        # The same function answers through mapsite.fastpath in production (see there).
        status_code, body = search_response(request.query_params)
        return HttpResponse(body, status=status_code, content_type="application/json")


# --- Institutions ------------------------------------------------------------------------------


class InstitutionSerializer(ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    credit_code = serializers.CharField(source="organisation.credit_code", read_only=True)
    address = serializers.CharField(source="organisation.registered_address", read_only=True)
    region = serializers.IntegerField(source="organisation.region_id", read_only=True, allow_null=True)
    in_region = serializers.BooleanField(source="organisation.in_region", read_only=True)
    contact_name = serializers.CharField(source="organisation.contact_name", read_only=True)
    contact_phone = serializers.CharField(source="organisation.contact_phone", read_only=True)
    location = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "is_public_institution",
            "short_name",
            "description",
            "website",
            "address",
            "region",
            "in_region",
            "contact_name",
            "contact_phone",
            "location",
            "geocode_note",
            "rating_mean",
            "rating_count",
            "popularity",
        ]
        read_only_fields = ["geocode_note", "rating_mean", "rating_count", "popularity"]

    def get_location(self, obj) -> list[float] | None:
        loc = obj.organisation.location
        return [loc.x, loc.y] if loc else None

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not can_see_contacts(getattr(self.context.get("request"), "user", None)):
            data["contact_name"] = data["contact_phone"] = ""  # signed-in users only
        return data


class MoveSerializer(serializers.Serializer):
    lng = serializers.FloatField()
    lat = serializers.FloatField()


# An institution's primary key is its organisation (one-to-one), so the schema generator
# finds no "id" field to type the path parameter from; it is the organisation's integer id.
_INSTITUTION_ID = extend_schema(
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="机构（单位）ID")]
)


@extend_schema_view(
    retrieve=_INSTITUTION_ID,
    update=_INSTITUTION_ID,
    partial_update=_INSTITUTION_ID,
    move=_INSTITUTION_ID,
    geocode=_INSTITUTION_ID,
)
class InstitutionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Listed institutions (public read); members edit their own profile and location."""

    serializer_class = InstitutionSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "patch", "post", "head", "options"]
    filterset_fields = ["kind", "is_public_institution"]

    def get_queryset(self):
        qs = public_institutions()
        user = self.request.user
        if user.is_authenticated and user.role == Role.INSTITUTION:
            qs = qs | Institution.objects.filter(pk=user.organisation_id).select_related("organisation__region")
        return qs.distinct().order_by("pk")

    def _own(self):
        inst = self.get_object()
        if not is_institution_member(self.request.user, inst):
            raise Http404
        return inst

    def partial_update(self, request, *args, **kwargs):
        inst = self._own()
        ser = InstitutionSerializer(inst, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        inst = services.institution_update(institution=inst, by=request.user, fields=ser.validated_data)
        return Response(InstitutionSerializer(inst, context={"request": request}).data)

    @extend_schema(request=MoveSerializer, responses=InstitutionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        inst = self._own()
        ser = MoveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        point = make_point(ser.validated_data["lng"], ser.validated_data["lat"])
        inst = services.institution_move(institution=inst, by=request.user, point=point, note="机构手动定位")
        return Response(InstitutionSerializer(inst, context={"request": request}).data)

    @extend_schema(request=None, responses=InstitutionSerializer)
    @action(detail=True, methods=["post"])
    def geocode(self, request, pk=None):
        inst, _ = services.institution_geocode(institution=self._own(), by=request.user)
        return Response(InstitutionSerializer(inst, context={"request": request}).data)


# --- Instruments and services ------------------------------------------------------------------


class _ItemSerializer(ModelSerializer):
    institution_name = serializers.CharField(source="institution.organisation.name", read_only=True)

    def validate_price(self, value):
        if value < 0:
            raise serializers.ValidationError("价格不能为负数。")
        return value

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not can_see_item_review(getattr(self.context.get("request"), "user", None), obj):
            # Unreviewed edits and the operator's note: the institution and the operator only.
            data["pending_changes"], data["review_note"] = {}, ""
        return data


# What the review and the ratings maintain: readable, never written through the API.
ITEM_MAINTAINED = [
    "review_status",
    "review_note",
    "pending_changes",
    "rating_mean",
    "rating_count",
    "popularity",
    "created_at",
]


class InstrumentSerializer(_ItemSerializer):
    class Meta:
        model = Instrument
        fields = ["id", "institution", "institution_name", *services.INSTRUMENT_FIELDS, *ITEM_MAINTAINED]
        read_only_fields = ["institution", *ITEM_MAINTAINED]


class ServiceSerializer(_ItemSerializer):
    class Meta:
        model = Service
        fields = ["id", "institution", "institution_name", *services.SERVICE_FIELDS, *ITEM_MAINTAINED]
        read_only_fields = ["institution", *ITEM_MAINTAINED, "public_benefit"]


LISTING_DECISIONS = [("approve", "通过"), ("reject", "驳回")]


class ListingReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=LISTING_DECISIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class _ItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Public read of published items; members create and edit theirs (changes wait for
    operator review); the operator reviews (``?review=1`` lists the queue)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "head", "options"]
    model: type
    kind: str

    def get_queryset(self):
        user = self.request.user
        qs = self.model.objects.select_related("institution__organisation").order_by("pk")
        public = Q(
            review_status__in=(ReviewStatus.APPROVED, ReviewStatus.CHANGES_PENDING),
            institution__listings__kind=ListingKind.INSTITUTION,
        )
        if self.model is Instrument:
            public &= Q(open_for_sharing=True)
        if not user.is_authenticated:
            return qs.filter(public).distinct()
        if user.role == Role.OPERATOR:
            if self.request.query_params.get("review") == "1":
                return qs.filter(review_status__in=(ReviewStatus.PENDING, ReviewStatus.CHANGES_PENDING))
            return qs
        if user.role == Role.INSTITUTION:
            mine = Q(institution_id=user.organisation_id)
            if self.request.query_params.get("mine") == "1":
                return qs.filter(mine)
            return qs.filter(public | mine).distinct()
        return qs.filter(public).distinct()

    def perform_create(self, serializer):
        user = self.request.user
        if user.role != Role.INSTITUTION:
            raise PermissionDenied("只有服务机构可以发布仪器和服务。")
        inst = services.institution_ensure_profile(organisation=user.organisation)
        serializer.instance = services.item_create(
            institution=inst, by=user, kind=self.kind, data=serializer.validated_data
        )

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        ser = self.get_serializer(item, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        item = services.item_update(item=item, by=request.user, data=ser.validated_data)
        return Response(self.get_serializer(item).data)

    @extend_schema(request=ListingReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        item = self.get_object()  # 404 for outsiders before any validation
        ser = ListingReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = services.item_review(
            item=item,
            by=request.user,
            approve=ser.validated_data["decision"] == "approve",
            note=ser.validated_data["note"],
        )
        return Response(self.get_serializer(item).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        item = services.item_withdraw(item=self.get_object(), by=request.user)
        return Response(self.get_serializer(item).data)


class InstrumentViewSet(_ItemViewSet):
    serializer_class = InstrumentSerializer
    model = Instrument
    kind = ListingKind.INSTRUMENT
    filterset_fields = ["institution", "category", "voucher_eligible", "review_status"]


class ServiceViewSet(_ItemViewSet):
    serializer_class = ServiceSerializer
    model = Service
    kind = ListingKind.SERVICE
    filterset_fields = ["institution", "category", "voucher_eligible", "review_status"]


# --- Bookings ----------------------------------------------------------------------------------


class BookingSerializer(ModelSerializer):
    institution_name = serializers.CharField(source="institution.organisation.name", read_only=True)
    has_result = serializers.SerializerMethodField(help_text="the institution uploaded the order result")
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    available_moves = serializers.SerializerMethodField(
        help_text="the moves the caller may make now (accept, decline, start, complete, cancel, rate): "
        "each is the action of the same name; the booking page shows the same buttons"
    )
    blocked = serializers.SerializerMethodField(
        help_text="moves the caller could make from this status but not yet, each with its reason in Chinese "
        "(a slot not over yet, a voucher order still under review)"
    )
    result_needed = serializers.SerializerMethodField(
        help_text="the year's scheme needs the institution's order result before the applicant pays"
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "enterprise",
            "enterprise_name",
            "institution",
            "institution_name",
            "instrument",
            "service",
            "item_name",
            "starts_at",
            "ends_at",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "expected_date",
            "note",
            "use_voucher",
            "answer_note",
            "created_at",
            "answered_at",
            "completed_at",
            "has_result",
            "result_uploaded_at",
            "result_needed",
            "available_moves",
            "blocked",
        ]
        read_only_fields = fields

    def get_has_result(self, obj) -> bool:
        return bool(obj.result)

    def _user(self):
        request = self.context.get("request")
        return request.user if request is not None else None

    def get_available_moves(self, obj) -> list[str]:
        return services.booking_moves(obj, self._user())

    def get_blocked(self, obj) -> dict[str, str]:
        user = self._user()
        return services.booking_blocked(obj, user) if user is not None and user.is_authenticated else {}

    def get_result_needed(self, obj) -> bool:
        return services.booking_result_needed(obj)


class BookingCreateSerializer(serializers.Serializer):
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.all(), required=False)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    use_voucher = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="是否使用创新券; default: yes where the item is voucher-eligible and the applicant may "
        "hold a voucher this year (``GET /api/bookings/offer/``: not when ``closed``; true then is a 400 "
        "with the reason). A booking without it is an ordinary order (no voucher contract from it).",
    )

    def validate(self, attrs):
        if bool(attrs.get("instrument")) == bool(attrs.get("service")):
            raise serializers.ValidationError("请指定一台仪器或一项服务。")
        if attrs.get("service") and attrs.get("quantity") is None:
            raise serializers.ValidationError({"quantity": "服务预约须填写数量。"})
        if (
            attrs.get("instrument")
            and attrs.get("quantity") is None
            and not (attrs.get("starts_at") and attrs.get("ends_at"))
        ):
            raise serializers.ValidationError("机时预约须填写开始和结束时间；送样检测须填写数量。")
        return attrs


class BookingOfferQuerySerializer(serializers.Serializer):
    """The order as the order form holds it: one listed item and, optionally, the quantity
    or the slot (one unit, one hour, before either is given — as on the form)."""

    instrument = serializers.PrimaryKeyRelatedField(queryset=public_instruments(), required=False)
    service = serializers.PrimaryKeyRelatedField(queryset=public_services(), required=False)
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, min_value=Decimal("0.01"), max_value=Decimal("100000")
    )
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)

    def validate(self, attrs):
        if bool(attrs.get("instrument")) == bool(attrs.get("service")):
            raise serializers.ValidationError("请指定一台仪器或一项服务。")
        starts, ends = attrs.get("starts_at"), attrs.get("ends_at")
        if bool(starts) != bool(ends) or (starts and ends <= starts):
            raise serializers.ValidationError({"ends_at": "请同时填写开始和结束时间，且结束晚于开始。"})
        return attrs

    def units(self) -> Decimal:
        d = self.validated_data
        if d.get("starts_at"):
            return services.slot_hours(d["starts_at"], d["ends_at"])
        return d.get("quantity") or Decimal(1)


class VoucherOfferSerializer(serializers.Serializer):
    """What the order form shows beside the voucher switch (Jiangsu: 额度剩余, 拟兑付创新券金额)."""

    year = serializers.IntegerField()
    remaining = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="额度剩余: the year's entitlement left"
    )
    rate = serializers.DecimalField(max_digits=6, decimal_places=4, help_text="the scheme's share of the order (0–1)")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="订单金额: units × listed price")
    proposed = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="拟兑付创新券金额: the share of the amount, capped by what is left"
    )
    note = serializers.CharField(help_text="why nothing can be offered (Chinese), or empty")
    closed = serializers.BooleanField(
        help_text="the applicant cannot hold a voucher this year (``note`` says why): a booking defaults to "
        "use_voucher=false and use_voucher=true is refused"
    )
    wallet_url = serializers.CharField(source="url", help_text="the applicant's wallet page (我的额度)")


class AnswerSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class BookingResultSerializer(serializers.Serializer):
    result = serializers.FileField()

    def validate_result(self, upload):
        uploads.check(upload, kind=uploads.DOCUMENT)
        return upload


class BookingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Bookings made by the caller's enterprise or received by the caller's institution."""

    serializer_class = BookingSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return bookings_for(self.request.user)

    @extend_schema(request=BookingCreateSerializer, responses={201: BookingSerializer})
    def create(self, request, *args, **kwargs):
        ser = BookingCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if d.get("instrument") and d.get("starts_at"):
            booking = services.booking_request_slot(
                instrument=d["instrument"],
                by=request.user,
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                note=d["note"],
                use_voucher=d["use_voucher"],
            )
        else:
            booking = services.booking_request_quantity(
                item=d.get("instrument") or d["service"],
                by=request.user,
                quantity=d["quantity"],
                note=d["note"],
                use_voucher=d["use_voucher"],
            )
        return Response(
            BookingSerializer(booking, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[BookingOfferQuerySerializer],
        responses={
            200: VoucherOfferSerializer,
            400: OpenApiResponse(description="项目或数量/时段不合格"),
            404: OpenApiResponse(description="本年度方案下单时不计算额度，或调用者不是创新主体"),
        },
    )
    @action(detail=False, methods=["get"])
    def offer(self, request):
        """The order form's voucher figures for an order not yet made (a quota scheme, such
        as Jiangsu's): the caller's entitlement left this year and the voucher proposed on
        the order — computed by the same function as the page
        (``catalog.services.voucher_offer``). 404 where the year's scheme has none (a
        contract scheme such as Ningxia's proposes the voucher on the contract) or the caller
        is not an applicant."""
        query = BookingOfferQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        item = query.validated_data.get("instrument") or query.validated_data["service"]
        offer = services.voucher_offer(request.user, services.order_amount(item, query.units()))
        if offer is None:
            raise Http404("本年度方案下单时不计算创新券额度，或您不是创新主体。")
        return Response(VoucherOfferSerializer(offer).data)

    def _answer(self, request, *, accept: bool):
        booking = self.get_object()
        ser = AnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        booking = services.booking_answer(
            booking=booking, by=request.user, accept=accept, note=ser.validated_data["note"]
        )
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)

    @extend_schema(request=AnswerSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, accept=True)

    @extend_schema(request=AnswerSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, accept=False)

    @extend_schema(request=AnswerSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = services.booking_cancel(booking=self.get_object(), by=request.user)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        booking = services.booking_start(booking=self.get_object(), by=request.user)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)

    @extend_schema(request=AnswerSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        booking = services.booking_complete(booking=self.get_object(), by=request.user)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": BookingResultSerializer},
        responses={200: BookingSerializer, 400: OpenApiResponse(description="文件不合格或预约状态不允许")},
    )
    @extend_schema(
        methods=["GET"],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="尚未上传"),
        },
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def result(self, request, pk=None):
        """The order result (订单结果): the institution uploads it (POST ``result``); both
        parties download it (GET), served like every private file (mapsite.uploads)."""
        booking = self.get_object()
        if request.method == "GET":
            if not booking.result:
                raise Http404("尚未上传订单结果。")
            return uploads.serve(booking.result, download_name=f"{booking.number}-订单结果")
        ser = BookingResultSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        booking = services.booking_result_upload(booking=booking, by=request.user, upload=ser.validated_data["result"])
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)


# --- Contact requests and ratings --------------------------------------------------------------


class ContactSerializer(ModelSerializer):
    kind = serializers.ChoiceField(source="listing_kind", choices=ListingKind.choices)

    class Meta:
        model = ContactRequest
        fields = [
            "id",
            "kind",
            "item_id",
            "item_name",
            "institution",
            "enterprise",
            "message",
            "contact_phone",
            "status",
            "answer",
            "created_at",
            "answered_at",
        ]
        read_only_fields = ["item_name", "institution", "enterprise", "status", "answer", "created_at", "answered_at"]


class ContactAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)


class ContactViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """对接 requests sent by the caller's enterprise or received by its institution."""

    serializer_class = ContactSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ContactRequest.objects.none()
        org = self.request.user.organisation_id
        if org is None:
            return ContactRequest.objects.none()
        return ContactRequest.objects.filter(Q(enterprise_id=org) | Q(institution_id=org))

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.contact_request(
            by=self.request.user,
            kind=d["listing_kind"],
            item_id=d["item_id"],
            message=d["message"],
            contact_phone=d["contact_phone"],
        )

    @extend_schema(request=ContactAnswerSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        contact = self.get_object()
        ser = ContactAnswerSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        req = services.contact_answer(request=contact, by=request.user, answer=ser.validated_data["answer"])
        return Response(ContactSerializer(req).data)


class RatingSerializer(ModelSerializer):
    """A public rating. Who rated is not public (which enterprise buys which service is its
    business), as on the pages."""

    class Meta:
        model = Rating
        fields = [
            "id",
            "institution",
            "instrument",
            "service",
            "score",
            "comment",
            "platform_score",
            "is_default",
            "created_at",
        ]
        read_only_fields = fields


class RatingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Public ratings, filtered by ``institution``, ``instrument`` or ``service``. (Rating is
    ``POST /api/ratings/``, served by the vouchers layer, which knows a booking's voucher.)"""

    serializer_class = RatingSerializer
    permission_classes = [AllowAny]
    queryset = Rating.objects.order_by("-created_at", "-id")
    filterset_fields = ["institution", "instrument", "service", "is_default"]
