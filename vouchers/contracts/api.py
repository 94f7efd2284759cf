"""Vouchers API: contracts (submit, review, pdf), vouchers, policies."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.actors import only
from accounts.api import HistoryActorFields
from accounts.models import Role
from catalog.models import Booking, Institution, Service
from catalog.selectors import public_institutions
from mapsite import uploads
from vouchers import ledger
from vouchers.contracts import renditions, services
from vouchers.models import Contract, ContractEvent, Policy, ScopeUse, Voucher
from vouchers.names import contract_status_label
from vouchers.permissions import contracts_visible_to, vouchers_visible_to
from vouchers.policies import labels
from vouchers.transitions import available_moves


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class MovesField(serializers.Field):
    """``available_moves``: the workflow moves the caller may make now — the same list the
    pages turn into buttons (``vouchers.transitions.available_moves``), e.g. ``["approve",
    "return"]`` for the reviewer whose turn it is. Each name is the API action that makes it."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> list[str]:
        request = self.context.get("request")
        return available_moves(value, request.user) if request is not None else []


class ContractSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    institution_name = serializers.CharField(source="institution.organisation.name", read_only=True)
    voucher = serializers.SerializerMethodField(help_text="the voucher's number (for people)")
    voucher_id = serializers.SerializerMethodField(help_text="the voucher's id (for /api/vouchers/<id>/)")
    has_signed_scan = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField(help_text="the status in the deployment's words")
    available_moves = MovesField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "enterprise",
            "enterprise_name",
            "institution",
            "institution_name",
            "booking",
            "service",
            "instrument",
            "policy",
            *services.CONTRACT_FIELDS,
            "voucher_amount",
            "county_topup",
            "precheck",
            "split_suspected",
            "resubmissions",
            "pledge_accepted_at",
            "has_signed_scan",
            "voucher",
            "voucher_id",
            "created_at",
            "submitted_at",
            "available_moves",
        ]
        read_only_fields = fields

    def get_voucher(self, obj) -> str | None:
        voucher = getattr(obj, "voucher", None)
        return voucher.number if voucher else None

    def get_voucher_id(self, obj) -> int | None:
        voucher = getattr(obj, "voucher", None)
        return voucher.pk if voucher else None

    def get_has_signed_scan(self, obj) -> bool:
        return bool(obj.signed_scan)

    def get_status_label(self, obj) -> str:
        return contract_status_label(obj.status, obj.policy)


class ContractWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(required=False)
    scope = serializers.ChoiceField(choices=ScopeUse.choices, required=False)
    category = serializers.CharField(max_length=16, required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False)
    signed_on = serializers.DateField(required=False)
    service_start = serializers.DateField(required=False)
    service_end = serializers.DateField(required=False)
    payment_terms = serializers.CharField(required=False, allow_blank=True)
    mandatory_testing = serializers.BooleanField(required=False)
    other_public_funding = serializers.BooleanField(required=False)


class ContractCreateSerializer(ContractWriteSerializer):
    """Either ``booking`` (prefilled from an accepted booking) or an offline agreement:
    ``institution`` + the contract fields (optionally one of its ``service``s)."""

    booking = serializers.PrimaryKeyRelatedField(queryset=Booking.objects.all(), required=False)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False)

    def validate(self, attrs):
        if attrs.get("booking"):
            return attrs
        if not attrs.get("institution"):
            raise serializers.ValidationError("请提供 booking（预约）或 institution（线下协议的服务机构）。")
        if not public_institutions().filter(pk=attrs["institution"].pk).exists():
            raise serializers.ValidationError({"institution": "该机构未入库。"})
        missing = [
            f
            for f in ("title", "content", "scope", "category", "amount", "signed_on", "service_start", "service_end")
            if f not in attrs
        ]
        if missing:
            raise serializers.ValidationError({f: "必填。" for f in missing})
        return attrs


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ScanSerializer(serializers.Serializer):
    file = serializers.FileField()

    def validate_file(self, upload):
        uploads.check(upload)
        return upload


class EventSerializer(HistoryActorFields, serializers.ModelSerializer):
    class Meta:
        model = ContractEvent
        fields = ["at", "actor", "actor_username", "actor_role", "from_status", "to_status", "note"]


class PdfStatusSerializer(serializers.Serializer):
    """Where the contract's PDF stands for its current revision."""

    status = serializers.ChoiceField(choices=["ready", "pending", "failed"])
    revision = serializers.CharField(help_text="SHA-256 of the printed content")
    detail = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)
    retry_after = serializers.IntegerField(allow_null=True, help_text="seconds")


class ContractViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Voucher service contracts (科技创新券服务合同) the caller may see.

    Applicants open, edit, pledge, upload the signed scan and submit theirs; the county
    bureau, the operator and the centre review in turn (``review``)."""

    serializer_class = ContractSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "split_suspected"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return contracts_visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractSerializer})
    def create(self, request, *args, **kwargs):
        ser = ContractCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        booking = data.pop("booking", None)
        if booking is not None:
            contract = services.contract_open_from_booking(booking=booking, by=request.user)
            if data:
                contract = services.contract_update(contract=contract, by=request.user, data=data)
        else:
            institution = data.pop("institution")
            contract = services.contract_open_offline(by=request.user, institution=institution, data=data)
        return Response(self.get_serializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContractWriteSerializer, responses=ContractSerializer)
    def partial_update(self, request, *args, **kwargs):
        ser = ContractWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        contract = services.contract_update(contract=self.get_object(), by=request.user, data=ser.validated_data)
        return Response(self.get_serializer(contract).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def pledge(self, request, pk=None):
        """Accept the integrity pledge (诚信承诺书)."""
        contract = services.contract_accept_pledge(contract=self.get_object(), by=request.user)
        return Response(self.get_serializer(contract).data)

    @extend_schema(request={"multipart/form-data": ScanSerializer}, responses=ContractSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def scan(self, request, pk=None):
        """Upload the stamped contract (PDF or image, checked by content)."""
        contract = self.get_object()
        ser = ScanSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        contract = services.contract_upload_scan(contract=contract, by=request.user, upload=ser.validated_data["file"])
        return Response(self.get_serializer(contract).data)

    @extend_schema(request=None, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        contract = services.contract_submit(contract=self.get_object(), by=request.user)
        return Response(self.get_serializer(contract).data)

    @extend_schema(request=ReviewSerializer, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        contract = self.get_object()  # 404 for outsiders before any validation
        ser = ReviewSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        contract = services.contract_review(
            contract=contract,
            by=request.user,
            approve=ser.validated_data["decision"] == "approve",
            note=ser.validated_data["note"],
        )
        return Response(self.get_serializer(contract).data)

    def perform_content_negotiation(self, request, force=False):
        # ``pdf`` answers the file itself; its 202 and error bodies are JSON even for a
        # client that accepts only application/pdf (the documented type), never a 406.
        return super().perform_content_negotiation(request, force=force or self.action == "pdf")

    @extend_schema(
        parameters=[
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, description="上次下载得到的 ETag"),
            OpenApiParameter("ETag", str, OpenApiParameter.HEADER, description="合同版本", response=[200, 304]),
            OpenApiParameter("Last-Modified", str, OpenApiParameter.HEADER, response=[200, 304]),
            OpenApiParameter("Retry-After", int, OpenApiParameter.HEADER, description="秒", response=[202]),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="当前版本的合同 PDF（由后台生成并存储）"
            ),
            202: OpenApiResponse(PdfStatusSerializer, description="正在生成合同文件：Retry-After 秒后再请求"),
            304: OpenApiResponse(description="客户端持有的文件仍是当前版本（If-None-Match）"),
            401: OpenApiResponse(description="未登录或令牌无效/已过期"),
            404: OpenApiResponse(description="不存在或无权查看"),
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The contract as PDF (number, computed voucher amount, QR code), rendered by the
        worker once per revision and served from storage. While the current revision's file
        is being made: 202 with ``Retry-After`` and the status."""
        contract = get_object_or_404(self.get_queryset().select_related(*renditions.PRINTED_RELATED), pk=pk)
        current = renditions.current(contract)
        if current.rendition is not None:
            response = renditions.serve(request, current)
            if response is not None:
                return response
            current = renditions.current(current.contract, queue=False)
        return Response(
            PdfStatusSerializer(current.as_json()).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Retry-After": str(renditions.RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        return Response(
            EventSerializer(
                self.get_object().events.select_related("actor__organisation"), many=True, context={"request": request}
            ).data
        )


class VoucherSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    institution_name = serializers.CharField(source="institution.organisation.name", read_only=True)
    balance = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    available_moves = MovesField()

    class Meta:
        model = Voucher
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "enterprise",
            "holder",
            "institution",
            "institution_name",
            "contract",
            "contract_number",
            "face_value",
            "county_topup",
            "balance",
            "year",
            "issued_at",
            "valid_until",
            "available_moves",
        ]
        read_only_fields = fields

    def get_balance(self, obj) -> str:
        return str(ledger.voucher_balance(obj))

    def get_status_label(self, obj) -> str:
        """The status as the voucher's scheme names it (Henan: 未支付 … 兑付失败); the code in
        ``status`` stays the same."""
        if "labeller" not in self.context:
            self.context["labeller"] = labels.Labeller()
        return self.context["labeller"](obj)


class VoucherViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Vouchers of the caller's organisation (held, applied for or redeemable), or of its
    region for a bureau; all for the operator and the centre."""

    serializer_class = VoucherSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "year"]

    def get_queryset(self):
        return labels.with_last_redemption(vouchers_visible_to(self.request.user)).order_by("-issued_at", "-id")


class IsCentreOrReadOnly(permissions.BasePermission):
    @property
    def message(self) -> str:
        return only("修改创新券政策")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user.is_authenticated and request.user.role == Role.CENTRE)


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = Policy
        fields = "__all__"
        read_only_fields = ["updated_at"]


class PolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Voucher policy records (one per year, optionally per region): read for all, written
    by the centre."""

    serializer_class = PolicySerializer
    permission_classes = [IsCentreOrReadOnly]
    queryset = Policy.objects.order_by("-year", "region_id")
    filterset_fields = ["year", "region", "model"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.policy_save(by=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.policy_save(
            by=self.request.user, data=serializer.validated_data, policy=serializer.instance
        )
