"""Settlement API: pay with a voucher, proofs, rating, redemptions, payout batches with
public notice and objections, budget, clawback. A batch pays redemptions or, created with
``kind=subsidies``, institutions' annual subsidies granted by the centre (the annual
evaluation grants them): its items then name the subsidy instead of a redemption."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from catalog import api as catalog_api
from catalog import services as catalog_services
from catalog.models import Booking, Institution, Instrument, Service, ServiceCategory
from catalog.selectors import bookings_for
from geodata.models import Region
from vouchers import settlement
from vouchers.contracts.api import MovesField, VoucherSerializer, VoucherViewSet
from vouchers.models import (
    CENTRE_CYCLES,
    BatchItem,
    BatchKind,
    BatchStatus,
    LedgerAccount,
    LedgerEntry,
    Objection,
    PayeeChoice,
    PayoutBatch,
    Proof,
    ProofKind,
    Redemption,
    RedemptionEvent,
    RedemptionMode,
    VoucherUse,
)
from vouchers.permissions import ALL_BUDGETS, budget_scope, county_budgets, vouchers_visible_to
from vouchers.settlement import registration
from vouchers.settlement.selectors import (
    USE_AUDIENCE,
    budget_overview,
    expert_batch_q,
    redemptions_visible_to,
    use_audience,
)


class UseSerializer(serializers.ModelSerializer):
    available_moves = MovesField()

    class Meta:
        model = VoucherUse
        fields = [
            "voucher",
            "payee",
            "price",
            "voucher_applied",
            "cash_paid",
            "completed_on",
            "proof_deadline",
            "calendar_warning",
            "proof_status",
            "proof_submitted_at",
            "proof_late",
            "proof_note",
            "paid_at",
            "payee_choice",
            "institution_confirmed_at",
            "available_moves",
        ]
        read_only_fields = fields


class ProofSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proof
        fields = ["id", "kind", "number", "amount", "content_type", "uploaded_at"]
        read_only_fields = fields


class ProofUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProofKind.choices)
    number = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)
    file = serializers.FileField()


class LedgerEntrySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", default=None, read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "at", "kind", "account", "amount", "year", "organisation", "organisation_name", "note"]
        read_only_fields = fields


class BudgetEntrySerializer(serializers.ModelSerializer):
    """One entry of a budget: a budget set (+), a payout (−) or a clawback (+), with the
    voucher or subsidy it paid (ids, numbers as extra fields)."""

    voucher_number = serializers.CharField(source="voucher.number", default=None, read_only=True)
    subsidy_number = serializers.CharField(source="subsidy.number", default=None, read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["id", "at", "kind", "account", "amount", "year", "region", "voucher", "voucher_number"]
        fields += ["subsidy", "subsidy_number", "note"]
        read_only_fields = fields


class PaySerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(required=False, max_length=64)
    completed_on = serializers.DateField(required=False)
    payee_choice = serializers.ChoiceField(
        choices=PayeeChoice.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Where the scheme lets the enterprise choose (Zhejiang): enterprise 企业兑付 / institution 载体兑付.",
    )
    result_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Where the scheme pays after the result (Henan): the applicant confirms the order result.",
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "return"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BatchStepSerializer(serializers.Serializer):
    """A note with a step (a batch's move, a redemption's resubmission)."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RedemptionCheckSerializer(DecisionSerializer):
    approved = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0),
        required=False,
        default=dict,
        help_text="voucher id → approved contract amount (审核认定); the final invoices cap it anyway.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class SettlementVoucherViewSet(VoucherViewSet):
    """Vouchers, plus: ``pay`` (send the ``Idempotency-Key`` header), ``use``, ``proofs``,
    ``submit-proofs``, ``review-proofs`` (operator), ``rate``, ``clawback`` (centre)."""

    def _use(self):
        voucher = self.get_object()
        use = getattr(voucher, "use", None)
        if use is None:
            raise ValidationError("该创新券尚未使用。")
        if not use_audience(self.request.user, use):  # as the use page
            raise PermissionDenied(USE_AUDIENCE)
        return use

    def _use_data(self, use, **kwargs):
        return Response(UseSerializer(use, context=self.get_serializer_context()).data, **kwargs)

    @extend_schema(responses=LedgerEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def ledger(self, request, pk=None):
        """The voucher's own ledger entries (issue, use, redemption, payout, expiry, clawback),
        oldest first: for whoever may see the voucher (its parties, their reviewers)."""
        voucher = self.get_object()
        entries = voucher.ledger.select_related("organisation", "region").order_by("at", "id")
        return Response(LedgerEntrySerializer(entries, many=True).data)

    @extend_schema(
        request=PaySerializer,
        responses={201: UseSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        voucher = self.get_object()
        ser = PaySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key") or ser.validated_data.get("idempotency_key", "")
        use = settlement.voucher_pay(
            voucher=voucher,
            by=request.user,
            idempotency_key=key,
            completed_on=ser.validated_data.get("completed_on"),
            payee_choice=ser.validated_data["payee_choice"],
            result_confirmed=ser.validated_data["result_confirmed"],
        )
        return self._use_data(use, status=status.HTTP_201_CREATED)

    @extend_schema(responses=UseSerializer)
    @action(detail=True, methods=["get"])
    def use(self, request, pk=None):
        return self._use_data(self._use())

    @extend_schema(request={"multipart/form-data": ProofUploadSerializer}, responses=ProofSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def proofs(self, request, pk=None):
        use = self._use()
        if request.method == "POST":
            ser = ProofUploadSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = ser.validated_data
            settlement.proof_upload(
                use=use, by=request.user, kind=d["kind"], upload=d["file"], number=d["number"], amount=d.get("amount")
            )
        return Response(
            ProofSerializer(use.proofs.all(), many=True).data,
            status=status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"proofs/(?P<proof_pk>[0-9]+)")
    def proof(self, request, pk=None, proof_pk=None):
        """The prover removes one uploaded proof while the proofs are editable (not yet
        submitted, or sent back for correction), e.g. to replace a wrong invoice."""
        use = self._use()
        proof = get_object_or_404(use.proofs, pk=proof_pk)
        settlement.proof_delete(proof=proof, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=UseSerializer)
    @action(detail=True, methods=["post"], url_path="submit-proofs")
    def submit_proofs(self, request, pk=None):
        return self._use_data(settlement.proof_submit(use=self._use(), by=request.user))

    @extend_schema(request=DecisionSerializer, responses=UseSerializer)
    @action(detail=True, methods=["post"], url_path="review-proofs")
    def review_proofs(self, request, pk=None):
        use = self._use()
        ser = DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        use = settlement.proof_review(
            use=use,
            by=request.user,
            approve=ser.validated_data["decision"] == "approve",
            note=ser.validated_data["note"],
        )
        return self._use_data(use)

    @extend_schema(request=None, responses=UseSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-use")
    def confirm_use(self, request, pk=None):
        """The institution confirms an enterprise-redeemed use (企业兑付, Zhejiang)."""
        use = settlement.use_confirm(use=self._use(), by=request.user)
        return self._use_data(use)

    @extend_schema(request=ReasonSerializer, responses=VoucherSerializer)
    @action(detail=True, methods=["post"])
    def clawback(self, request, pk=None):
        voucher = self.get_object()
        ser = ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        voucher = settlement.voucher_clawback(voucher=voucher, by=request.user, reason=ser.validated_data["reason"])
        return Response(self.get_serializer(voucher).data)


# --- Ratings: the one route -----------------------------------------------------------------


class RatingCreateSerializer(serializers.Serializer):
    booking = serializers.IntegerField(required=False, help_text="a completed booking of the applicant's")
    voucher = serializers.IntegerField(required=False, help_text="a used voucher of the applicant's")
    score = serializers.IntegerField(min_value=1, max_value=5, help_text="the institution's service, 1–5")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    platform_score = serializers.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        default=None,
        help_text="the platform's service, 1–5: required where the scheme rates the platform (Henan), else refused",
    )

    def validate(self, data):
        if (data.get("booking") is None) == (data.get("voucher") is None):
            raise serializers.ValidationError("请指定要评价的预约（booking）或创新券（voucher），二者选一。")
        return data


class RatingViewSet(catalog_api.RatingViewSet, mixins.CreateModelMixin):
    """Public ratings (GET, see the catalogue) and the one way to rate (POST): the applicant
    rates the institution for a completed booking or a used voucher, once — a booking paid
    with a voucher and the voucher's use are one service and take one rating, whichever id
    is given. Answers 201 with the rating."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(request=RatingCreateSerializer, responses={201: catalog_api.RatingSerializer})
    def create(self, request, *args, **kwargs):
        ser = RatingCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        rate = {"score": d["score"], "comment": d["comment"], "platform_score": d["platform_score"]}
        if d.get("voucher") is not None:
            voucher = get_object_or_404(vouchers_visible_to(request.user), pk=d["voucher"])
            use = getattr(voucher, "use", None)
            if use is None:
                raise ValidationError("该创新券尚未使用，不能评价。")
            rating = settlement.use_rate(use=use, by=request.user, **rate)
        else:
            booking = get_object_or_404(bookings_for(request.user), pk=d["booking"])
            use = VoucherUse.objects.filter(voucher__contract__booking=booking).first()
            if use is not None:
                rating = settlement.use_rate(use=use, by=request.user, **rate)
            elif waits := catalog_services.booking_blocked(booking, request.user).get("rate"):
                # Still to be paid with its voucher: rated with the use, after the payment
                # (the reason the booking's workflow gives, as on the booking page).
                raise ValidationError(waits)
            elif rate["platform_score"] is not None:
                raise ValidationError({"platform_score": ["未使用创新券的预约不评价省平台服务。"]})
            else:
                rating = catalog_services.booking_rate(
                    booking=booking, by=request.user, score=d["score"], comment=d["comment"]
                )
        return Response(catalog_api.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


# --- Redemptions ----------------------------------------------------------------------------


class RedemptionSerializer(serializers.ModelSerializer):
    vouchers = serializers.SerializerMethodField()
    available_moves = MovesField()

    class Meta:
        model = Redemption
        fields = [
            "id",
            "number",
            "payee",
            "mode",
            "status",
            "amount",
            "year",
            "note",
            "submitted_at",
            "check_deadline",
            "resubmissions",
            "confirmed_at",
            "vouchers",
            "available_moves",
        ]
        read_only_fields = fields

    def get_vouchers(self, obj) -> list[str]:
        return [i.voucher.number for i in obj.items.select_related("voucher")]


class RedemptionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedemptionEvent
        fields = ["at", "actor_role", "from_status", "to_status", "note"]
        read_only_fields = fields


class RedemptionDetailSerializer(RedemptionSerializer):
    """One redemption with its history (the page's 处理记录): who moved it, when, and the
    note given — a reviewer's reason for a return, the payee's note on a resubmission."""

    events = RedemptionEventSerializer(many=True, read_only=True)

    class Meta(RedemptionSerializer.Meta):
        fields = [*RedemptionSerializer.Meta.fields, "events"]
        read_only_fields = fields


class RedemptionCreateSerializer(serializers.Serializer):
    vouchers = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)
    mode = serializers.ChoiceField(choices=[RedemptionMode.INSTANT, RedemptionMode.CUMULATIVE])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RedemptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """兑付 requests: the payee asks (instant or cumulative); the operator ``check``s within the
    policy's working days; the payee may ``resubmit`` (as often as the policy allows) or
    ``withdraw`` a returned one; the centre ``confirm``s."""

    serializer_class = RedemptionSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "mode", "year"]

    def get_queryset(self):
        return redemptions_visible_to(self.request.user).order_by("-submitted_at", "-id")

    def get_serializer_class(self):
        # The list stays one row per redemption; a single one carries its history.
        return RedemptionSerializer if self.action == "list" else RedemptionDetailSerializer

    @extend_schema(request=RedemptionCreateSerializer, responses={201: RedemptionSerializer})
    def create(self, request, *args, **kwargs):
        ser = RedemptionCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ids = ser.validated_data["vouchers"]
        vouchers = list(vouchers_visible_to(request.user).filter(pk__in=ids))
        if len(vouchers) != len(set(ids)):
            raise serializers.ValidationError({"vouchers": "有创新券不存在或不属于本单位。"})
        redemption = settlement.redemption_request(
            by=request.user, vouchers=vouchers, mode=ser.validated_data["mode"], note=ser.validated_data["note"]
        )
        return Response(self.get_serializer(redemption).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, fn):
        redemption = self.get_object()
        ser = DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        redemption = fn(
            redemption=redemption,
            by=request.user,
            approve=ser.validated_data["decision"] == "approve",
            note=ser.validated_data["note"],
        )
        return Response(self.get_serializer(redemption).data)

    @extend_schema(request=RedemptionCheckSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        redemption = self.get_object()
        ser = RedemptionCheckSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        approved = {}
        for key, amount in d["approved"].items():
            if not str(key).isdigit():
                raise serializers.ValidationError({"approved": "认定金额须按创新券编号（id）填写。"})
            approved[int(key)] = amount
        redemption = settlement.redemption_check(
            redemption=redemption,
            by=request.user,
            approve=d["decision"] == "approve",
            note=d["note"],
            approved=approved,
        )
        return Response(self.get_serializer(redemption).data)

    @extend_schema(request=DecisionSerializer, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, settlement.redemption_confirm)

    @extend_schema(request=BatchStepSerializer, responses=RedemptionDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """The payee sends a returned redemption back, with an optional note (what was
        corrected): it is the resubmission's history row (``events``), as on the page."""
        ser = BatchStepSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        redemption = settlement.redemption_resubmit(
            redemption=self.get_object(), by=request.user, note=ser.validated_data["note"]
        )
        return Response(self.get_serializer(redemption).data)

    @extend_schema(request=None, responses=RedemptionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        redemption = settlement.redemption_withdraw(redemption=self.get_object(), by=request.user)
        return Response(self.get_serializer(redemption).data)


# --- Payout batches and objections ----------------------------------------------------------


class BatchItemSerializer(serializers.ModelSerializer):
    """One item: a redemption, or (in a subsidy batch) an institution's subsidy."""

    redemption_number = serializers.CharField(source="redemption.number", read_only=True, allow_null=True)
    subsidy_number = serializers.CharField(source="subsidy.number", read_only=True, allow_null=True)
    payee = serializers.SerializerMethodField()
    available_moves = MovesField()

    class Meta:
        model = BatchItem
        fields = [
            "id",
            "redemption",
            "redemption_number",
            "subsidy",
            "subsidy_number",
            "payee",
            "amount",
            "status",
            "paid_at",
            "available_moves",
        ]
        read_only_fields = fields

    def get_payee(self, obj) -> str:
        return obj.subsidy.institution.name if obj.subsidy_id else obj.redemption.payee.name


class BatchSerializer(serializers.ModelSerializer):
    items = BatchItemSerializer(many=True, read_only=True)
    available_moves = MovesField()

    class Meta:
        model = PayoutBatch
        fields = [
            "id",
            "number",
            "year",
            "kind",
            "cycle",
            "status",
            "notice_from",
            "notice_until",
            "created_at",
            "paid_at",
            "items",
            "available_moves",
        ]
        read_only_fields = fields


class BatchCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="the year whose budgets pay the batch")
    cycle = serializers.ChoiceField(
        choices=CENTRE_CYCLES,
        help_text="one of the year's scheme: Ningxia monthly or quarterly, Henan quarterly, Jiangsu monthly; "
        "another is refused (400)",
    )
    kind = serializers.ChoiceField(
        choices=BatchKind.choices,
        required=False,
        default=BatchKind.REDEMPTIONS,
        help_text="redemptions: every confirmed redemption not yet in a batch; subsidies: every granted "
        "institution subsidy not yet in a batch (centre only either way).",
    )
    redemptions = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=False,
        max_length=1000,
        help_text="only these confirmed redemptions (ids), each still waiting for a batch; default: all of them",
    )


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "item", "reason", "status", "resolution", "created_at", "resolved_at"]
        read_only_fields = ["status", "resolution", "created_at", "resolved_at"]


class ResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    resolution = serializers.CharField(max_length=2000)


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Payout batches. The centre creates (``kind``: redemptions, or institutions' granted
    subsidies), puts on public ``notice``, ``approve``s and ``pay``s them; the operator reads
    them; any signed-in user sees batches on notice and may lodge an ``objections`` entry
    against an item."""

    serializer_class = BatchSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's dry run
            return PayoutBatch.objects.none()
        qs = PayoutBatch.objects.prefetch_related("items__redemption__payee", "items__subsidy__institution").order_by(
            "-created_at", "-id"
        )
        if self.request.user.role in (Role.CENTRE, Role.OPERATOR):
            return qs
        if self.request.user.role == Role.EXPERT:  # the summaries sent to the experts, or reviewed by this one
            return qs.filter(expert_batch_q(self.request.user) | Q(status=BatchStatus.NOTICE))
        if self.request.user.role == Role.BUREAU:  # its own batches where approval pays (Zhejiang)
            return qs.filter(Q(status=BatchStatus.NOTICE) | Q(region_id=self.request.user.organisation.region_id))
        return qs.filter(status=BatchStatus.NOTICE)

    @extend_schema(request=BatchCreateSerializer, responses={201: BatchSerializer})
    def create(self, request, *args, **kwargs):
        ser = BatchCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        batch = settlement.batch_create(by=request.user, **ser.validated_data)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    def _step(self, request, step: str):
        ser = BatchStepSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        note = ser.validated_data["note"]
        batch = settlement.batch_step(batch=self.get_object(), by=request.user, step=step, note=note)
        return Response(self.get_serializer(batch).data)

    @extend_schema(request=BatchStepSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def experts(self, request, pk=None):
        """The centre sends the quarterly summary to expert review (where the scheme has it)."""
        return self._step(request, "experts")

    @extend_schema(request=BatchStepSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """An expert gives the review opinion (``note`` required)."""
        return self._step(request, "assess")

    @extend_schema(request=BatchStepSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def finance(self, request, pk=None):
        """The centre records the S&T and finance departments' confirmation (``note``: the reference)."""
        return self._step(request, "finance")

    @extend_schema(request=None, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        batch = settlement.batch_open_notice(batch=self.get_object(), by=request.user)
        return Response(self.get_serializer(batch).data)

    @extend_schema(request=None, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        batch = settlement.batch_approve(batch=self.get_object(), by=request.user)
        return Response(self.get_serializer(batch).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        return Response(settlement.batch_pay(batch=self.get_object(), by=request.user))

    @extend_schema(request=ObjectionSerializer, responses={201: ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        batch = self.get_object()
        ser = ObjectionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        item = ser.validated_data["item"]
        if item.batch_id != batch.pk:
            raise serializers.ValidationError({"item": "该条目不属于此批次。"})
        objection = settlement.objection_lodge(item=item, by=request.user, reason=ser.validated_data["reason"])
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Objections: the centre sees and ``resolve``s all; others see their own."""

    serializer_class = ObjectionSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's dry run
            return Objection.objects.none()
        qs = Objection.objects.order_by("-created_at", "-id")
        if self.request.user.role == Role.CENTRE:
            return qs
        return qs.filter(Q(raised_by=self.request.user))

    @extend_schema(request=ResolveSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        objection = self.get_object()
        ser = ResolveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return Response(
            ObjectionSerializer(
                settlement.objection_resolve(objection=objection, by=request.user, **ser.validated_data)
            ).data
        )


class BudgetSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    region = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class BudgetLedgerQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.IntegerField(required=False, help_text="区县/地市行政区划代码；省略为省级（自治区）预算")


class BudgetLedgerView(generics.ListAPIView):
    """One budget's ledger entries, oldest first (``?year=`` and, for a county's or a local
    bureau's budget, ``&region=``): the centre reads every budget, a bureau that pays from
    its own budget (Zhejiang) its own region's. The balance is the sum of ``amount``."""

    serializer_class = BudgetEntrySerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[BudgetLedgerQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's dry run
            return LedgerEntry.objects.none()
        query = BudgetLedgerQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        year, region = query.validated_data["year"], query.validated_data.get("region")
        scope = budget_scope(self.request.user, year)
        if scope != ALL_BUDGETS and region != scope:
            raise PermissionDenied("只能查看本地区的预算。")
        entries = LedgerEntry.objects.filter(year=year).select_related("voucher", "subsidy").order_by("at", "id")
        if region is None:
            return entries.filter(account=LedgerAccount.PROVINCE_BUDGET)
        return entries.filter(account=LedgerAccount.COUNTY_BUDGET, region_id=region)


class BudgetView(APIView):
    """A year's budgets (``?year=``) and adding to one (POST): the centre's, every budget; a
    bureau's where the scheme pays from local budgets (Zhejiang), its own region's."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True)], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        """The same read model as the budget page: granted, paid (net of clawbacks) and the
        balance of the province budget and of each county top-up budget, and the queue."""
        year = request.query_params.get("year", "")
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise serializers.ValidationError({"year": "须提供年份（2000–2100）。"})
        overview = budget_overview(int(year), budget_scope(request.user, int(year)))
        province = overview.province
        return Response(
            {
                "year": overview.year,
                "province_granted": str(province.granted),
                "province_balance": str(province.balance),
                "paid": str(province.paid),
                "counties": [
                    {
                        "region": c.region.adcode,
                        "name": c.region.name,
                        "granted": str(c.granted),
                        "paid": str(c.paid),
                        "balance": str(c.balance),
                    }
                    for c in overview.counties
                ],
                "waiting": [
                    {
                        "item": i.pk,
                        "redemption": i.redemption.number if i.redemption_id else None,
                        "subsidy": i.subsidy.number if i.subsidy_id else None,
                        "amount": str(i.amount),
                    }
                    for i in overview.waiting
                ],
                "waiting_total": str(overview.waiting_total),
            }
        )

    @extend_schema(request=BudgetSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        ser = BudgetSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        scope = budget_scope(request.user, d["year"])  # anyone but the centre and bureaus: 403
        region = None
        if d.get("region") is not None:
            region = Region.objects.filter(adcode=d["region"]).first()
            if region is None:
                raise serializers.ValidationError({"region": "未知的行政区划代码。"})
            # The centre sets the county budgets the budget page offers it, no other.
            if scope == ALL_BUDGETS and not county_budgets(d["year"]).filter(pk=region.pk).exists():
                raise serializers.ValidationError(
                    {"region": f"{d['year']} 年度{region.name}没有区县配套，不能下达其预算。"}
                )
        total = settlement.budget_set(
            by=request.user, year=d["year"], amount=d["amount"], region=region, note=d["note"]
        )
        return Response({"year": d["year"], "balance": str(total)}, status=status.HTTP_201_CREATED)


# --- Use registration (创新券使用登记, Policy.use_registration) ----------------------------------


class UseRegistrationSerializer(serializers.Serializer):
    """The use registration form (multipart: the three files). With ``booking`` (the
    enterprise's own accepted booking) the provider and item may be left out."""

    booking = serializers.PrimaryKeyRelatedField(
        queryset=Booking.objects.all(), required=False, allow_null=True, label="预约记录"
    )
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True, label="服务方"
    )
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), required=False, allow_null=True, label="服务内容"
    )
    instrument = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.all(), required=False, allow_null=True, label="仪器设备"
    )
    category = serializers.ChoiceField(choices=ServiceCategory.choices, label="服务类别")
    title = serializers.CharField(max_length=200, label="合同名称")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), label="合同金额")
    signed_on = serializers.DateField(label="合同签订时间")
    completed_on = serializers.DateField(label="服务完成日期")
    payee_choice = serializers.CharField(max_length=12, required=False, allow_blank=True, default="", label="兑付方")
    contract_file = serializers.FileField(required=False, allow_null=True, label="合同")
    invoice_file = serializers.FileField(required=False, allow_null=True, label="发票")
    result_file = serializers.FileField(required=False, allow_null=True, label="服务结果凭证")
    invoice_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="", label="发票号")
    content = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="", label="服务内容说明")
    promise = serializers.BooleanField(default=False, label="承诺条款")


class UseRecordSerializer(serializers.ModelSerializer):
    """One registered use (使用记录): the use, its voucher and its contract."""

    voucher_number = serializers.CharField(source="voucher.number", read_only=True)
    face_value = serializers.DecimalField(source="voucher.face_value", max_digits=14, decimal_places=2, read_only=True)
    voucher_status = serializers.CharField(source="voucher.status", read_only=True)
    contract = serializers.IntegerField(source="voucher.contract_id", read_only=True)
    contract_number = serializers.CharField(source="voucher.contract.number", read_only=True)
    booking = serializers.IntegerField(source="voucher.contract.booking_id", read_only=True, allow_null=True)
    title = serializers.CharField(source="voucher.contract.title", read_only=True)
    category = serializers.CharField(source="voucher.contract.category", read_only=True)
    signed_on = serializers.DateField(source="voucher.contract.signed_on", read_only=True)
    institution_name = serializers.CharField(source="voucher.institution.organisation.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    # Blank for a use of a scheme without the choice (the list shows every use).
    payee_choice = serializers.CharField(read_only=True, help_text="enterprise / institution, or blank")

    class Meta:
        model = VoucherUse
        fields = [
            "voucher",
            "voucher_number",
            "face_value",
            "voucher_status",
            "contract",
            "contract_number",
            "booking",
            "title",
            "category",
            "signed_on",
            "institution_name",
            "price",
            "voucher_applied",
            "cash_paid",
            "completed_on",
            "payee",
            "payee_name",
            "payee_choice",
            "proof_status",
            "institution_confirmed_at",
            "paid_at",
        ]
        read_only_fields = fields


def _registrant(user):
    if not user.is_authenticated or user.role != Role.APPLICANT or user.organisation_id is None:
        raise PermissionDenied("只有创新主体可以登记和查看创新券使用。")


class UseRegistrationView(generics.GenericAPIView):
    """``GET``: the caller's uses (使用记录); ``POST`` (multipart): register a use in one
    step where the year's scheme has ``use_registration`` (Zhejiang): the voucher is issued,
    used with the payee's choice and its proofs submitted (201 with the use). Applicants only."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    serializer_class = UseRecordSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator's dry run
            return VoucherUse.objects.none()
        return registration.registrations_of(self.request.user.organisation)

    @extend_schema(responses=UseRecordSerializer(many=True))
    def get(self, request):
        _registrant(request.user)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(UseRecordSerializer(page, many=True).data)

    @extend_schema(request={"multipart/form-data": UseRegistrationSerializer}, responses={201: UseRecordSerializer})
    def post(self, request):
        _registrant(request.user)
        ser = UseRegistrationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        use = registration.register_use(by=request.user, reg=registration.Registration(**ser.validated_data))
        return Response(UseRecordSerializer(use).data, status=status.HTTP_201_CREATED)
