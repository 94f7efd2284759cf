"""Entitlements API (额度, SPEC §10): the wallet and the claims of the year's scheme.

- ``GET /api/wallet/?year=`` — the caller's wallet: rule, cap, claimed, used, remaining,
  still claimable, valid until, claims and ledger history (applicants only).
- ``POST /api/claims/`` — claim by the year's rule: Henan ``{"pledge": true}``; Zhejiang
  ``{"amount": "20000"}``; Jiangsu (enterprises only; others 403 with the reason) multipart
  ``founded_on, kind, staff, industry, revenue`` (万元; ``founded_on``, 注册成立时间, may be
  left out where the organisation's record holds it — ``GET /api/me/`` — and then must equal
  it; a record without one gets the date applied with),
  ``zone``, the type's evidence (``qualification_number``; 高企 ``certificate_date``; 在孵
  ``incubator_name, incubator_operator, incubator_credit_code``; 人才 ``talent_name,
  talent_programme, talent_level``) and files ``financial_report`` (+ ``evidence`` for 在孵
  and 人才): the application waits as ``to_upload`` (待上传).
- ``GET /api/claims/<id>/form/`` — Jiangsu: the filled 信息表 as a PDF to print and stamp.
- ``POST /api/claims/<id>/stamped-form/`` — multipart ``stamped_form``: the stamped scan,
  after the form was downloaded; 科小 granted at once, the others wait for their authority.
- ``GET /api/claims/`` — the claims the caller may see (own; a bureau's applicants; staff).
- ``POST /api/claims/<id>/grant/`` and ``/refuse/`` (``{"note": …}``) — the applicant's
  county or city bureau decides a submitted application.
- ``/api/projects/`` — R&D project registrations (项目登记, where the scheme asks for one
  before ordering): the applicant registers (``title, summary, budget, starts_on,
  ends_on``) and ``resubmit``s a returned one; the operator ``approve``s or ``return``s.
"""

from __future__ import annotations

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from vouchers.contracts.api import MovesField
from vouchers.entitlements import services as entitlements
from vouchers.models import Entitlement, EntitlementClaim, LedgerEntry, ProjectRegistration
from vouchers.permissions import claims_visible_to, projects_visible_to
from vouchers.policies.records import province_policy


class ClaimSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    organisation_founded_on = serializers.DateField(
        source="organisation.founded_on",
        read_only=True,
        allow_null=True,
        help_text="注册成立时间 as the organisation's record holds it now (what the reviewer checks)",
    )
    has_stamped_form = serializers.SerializerMethodField()
    has_financial_report = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()
    available_moves = MovesField()

    class Meta:
        model = EntitlementClaim
        fields = [
            "id",
            "number",
            "organisation",
            "organisation_name",
            "organisation_founded_on",
            "year",
            "amount",
            "status",
            "form",
            "has_stamped_form",
            "has_financial_report",
            "has_evidence",
            "form_printed_at",
            "pledge_accepted_at",
            "valid_until",
            "created_at",
            "decided_at",
            "note",
            "available_moves",
        ]
        read_only_fields = fields

    def get_has_stamped_form(self, obj) -> bool:
        return bool(obj.stamped_form)

    def get_has_financial_report(self, obj) -> bool:
        return bool(obj.financial_report)

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class ClaimCreateSerializer(serializers.Serializer):
    pledge = serializers.BooleanField(required=False, default=False, help_text="Henan: the user integrity pledge.")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, help_text="Zhejiang: the amount to claim."
    )
    kind = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="Jiangsu: the enterprise type, tech_sme | high_tech | incubated | talent "
        "(default: the organisation's qualification).",
    )
    founded_on = serializers.DateField(
        required=False,
        help_text="Jiangsu: 注册成立时间, the founding date; default: the organisation's record "
        "(another date than the record's is refused; a record without one gets this one).",
    )
    staff = serializers.IntegerField(min_value=0, required=False, help_text="Jiangsu: number of staff.")
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    revenue = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, help_text="Jiangsu: prior-year revenue, 万元."
    )
    zone = serializers.CharField(max_length=100, required=False, allow_blank=True)
    qualification_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    certificate_date = serializers.DateField(required=False, help_text="Jiangsu 高企: the certificate's issue date.")
    incubator_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    incubator_operator = serializers.CharField(max_length=100, required=False, allow_blank=True)
    incubator_credit_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
    talent_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    talent_programme = serializers.CharField(max_length=100, required=False, allow_blank=True)
    talent_level = serializers.CharField(max_length=40, required=False, allow_blank=True)
    financial_report = serializers.FileField(required=False, help_text="Jiangsu: 上年度财务报表或财务审计报告.")
    evidence = serializers.FileField(required=False, help_text="Jiangsu 在孵/人才: the stamped proof.")


class StampedFormSerializer(serializers.Serializer):
    stamped_form = serializers.FileField(required=False, help_text="the printed form, signed and stamped")


class ClaimNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class HistorySerializer(serializers.ModelSerializer):
    voucher = serializers.CharField(source="voucher.number", default=None, read_only=True)

    class Meta:
        model = LedgerEntry
        fields = ["at", "kind", "account", "amount", "voucher", "note"]
        read_only_fields = fields


class CapsSerializer(serializers.Serializer):
    """A claim scheme's caps as they apply (the local bureau's, else the province's)."""

    year_cap = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    each_cap = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    holding_cap = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    set_by = serializers.CharField(help_text="the bureau's region that set them; empty: the province's caps")


class CapsWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, help_text="default: this year")
    claim_year_cap = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    claim_each_cap = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    holding_cap = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class WalletSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    cap = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2)
    used = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    still_claimable = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    caps = CapsSerializer(allow_null=True)
    refusal = serializers.CharField(help_text="why the scheme takes no claim from the caller at all; empty if it does")
    claims = ClaimSerializer(many=True)
    history = HistorySerializer(many=True)


def _year(request) -> int:
    raw = request.query_params.get("year", "")
    if not raw:
        return timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise serializers.ValidationError({"year": "年度须为 2000–2100 之间的整数。"})
    return int(raw)


class WalletView(APIView):
    """The caller's entitlement wallet for a year (applicants only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="default: this year")], responses=WalletSerializer
    )
    def get(self, request):
        if request.user.role != Role.APPLICANT or request.user.organisation is None:
            raise PermissionDenied("只有创新主体有额度钱包。")
        wallet = entitlements.wallet(request.user.organisation, _year(request))
        return Response(WalletSerializer(wallet, context={"request": request}).data)


class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Entitlement claims (额度申领) of the year's scheme; see the module docstring."""

    serializer_class = ClaimSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "year"]

    def get_queryset(self):
        return claims_visible_to(self.request.user)

    @extend_schema(request=ClaimCreateSerializer, responses={201: ClaimSerializer})
    def create(self, request, *args, **kwargs):
        ser = ClaimCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        rule = province_policy(timezone.localdate().year).entitlement
        if rule == Entitlement.QUOTA:
            claim = entitlements.claim_quota(by=request.user, pledge=d["pledge"])
        elif rule == Entitlement.CLAIM:
            if "amount" not in d:
                raise serializers.ValidationError({"amount": "请填写申领金额（元）。"})
            claim = entitlements.claim_amount(by=request.user, amount=d["amount"])
        elif rule == Entitlement.APPLICATION:
            data = {name: d.get(name, "") for name in entitlements.APPLICATION_FIELDS}
            files = {name: d[name] for name in entitlements.APPLICATION_FILES if d.get(name)}
            claim = entitlements.apply(by=request.user, data=data, files=files)
        else:
            raise serializers.ValidationError("本年度方案无需申领额度：年度上限由已发券金额占用。")
        return Response(self.get_serializer(claim).data, status=status.HTTP_201_CREATED)

    def _decide(self, request, approve: bool):
        claim = self.get_object()
        ser = ClaimNoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        claim = entitlements.decide(claim=claim, by=request.user, approve=approve, note=ser.validated_data["note"])
        return Response(self.get_serializer(claim).data)

    @extend_schema(request=ClaimNoteSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._decide(request, True)

    @extend_schema(request=ClaimNoteSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, False)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="form")
    def form_pdf(self, request, pk=None):
        """The filled application form (信息表) as a PDF, to print, stamp and upload."""
        claim = self.get_object()
        pdf = entitlements.application_form_pdf(claim=claim, by=request.user)
        return application_pdf_response(claim, pdf)

    @extend_schema(request=StampedFormSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"], url_path="stamped-form")
    def stamped_form(self, request, pk=None):
        claim = self.get_object()
        ser = StampedFormSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        claim = entitlements.upload_stamped_form(
            claim=claim, by=request.user, upload=ser.validated_data.get("stamped_form")
        )
        return Response(self.get_serializer(claim).data)


def application_pdf_response(claim, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    name = quote(f"{claim.number}-申领表.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ProjectSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    available_moves = MovesField()

    class Meta:
        model = ProjectRegistration
        fields = [
            "id",
            "number",
            "organisation",
            "organisation_name",
            "year",
            "title",
            "summary",
            "budget",
            "starts_on",
            "ends_on",
            "status",
            "note",
            "created_at",
            "available_moves",
        ]
        read_only_fields = ["id", "number", "organisation", "year", "status", "note", "created_at"]


class ProjectDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """R&D project registrations (项目登记); see the module docstring."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "year"]

    def get_queryset(self):
        return projects_visible_to(self.request.user)

    @extend_schema(request=ProjectSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs):
        ser = ProjectSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        project = entitlements.project_register(by=request.user, data=ser.validated_data)
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    def _review(self, request, approve: bool):
        project = self.get_object()
        ser = ProjectDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project = entitlements.project_review(
            project=project, by=request.user, approve=approve, note=ser.validated_data["note"]
        )
        return Response(self.get_serializer(project).data)

    @extend_schema(request=ProjectDecisionSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, True)

    @extend_schema(request=ProjectDecisionSerializer, responses=ProjectSerializer, operation_id="projects_return")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._review(request, False)

    @extend_schema(request=ProjectSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        project = self.get_object()
        ser = ProjectSerializer(data=request.data, context={"request": request})
        ser.is_valid(raise_exception=True)
        project = entitlements.project_resubmit(project=project, by=request.user, data=ser.validated_data)
        return Response(self.get_serializer(project).data)


class ClaimCapsView(APIView):
    """A county or city bureau's claim caps (申领上限, claim schemes such as Zhejiang's): GET
    what applies in its region, PUT its own (an empty cap = the higher levels'; a cap above the
    city's or the province's is refused with that figure: a lower level may only tighten,
    ``entitlements.claim_caps_set``)."""

    permission_classes = [IsAuthenticated]

    def _require_bureau(self, request):
        if request.user.role != Role.BUREAU or request.user.organisation is None:
            raise PermissionDenied("只有市县科技局可以设置本地区的申领上限。")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="default: this year")], responses=CapsSerializer
    )
    def get(self, request):
        self._require_bureau(request)
        policy = province_policy(_year(request))
        region = request.user.organisation.region
        ids = [r for r in (region.pk, region.parent_id) if r] if region else []
        return Response(CapsSerializer(entitlements.claim_caps(policy, region_ids=ids)).data)

    @extend_schema(request=CapsWriteSerializer, responses=CapsSerializer)
    def put(self, request):
        self._require_bureau(request)
        ser = CapsWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        year = ser.validated_data.get("year") or timezone.localdate().year
        record = entitlements.claim_caps_set(by=request.user, year=year, data=ser.validated_data)
        policy = province_policy(year)
        ids = [r for r in (record.region_id, record.region.parent_id) if r]
        return Response(CapsSerializer(entitlements.claim_caps(policy, region_ids=ids)).data)
