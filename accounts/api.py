"""Accounts API: token, registration, organisations and their certification."""

from __future__ import annotations

from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import province, services
from accounts.actors import actor_name, actor_username
from accounts.models import (
    CERTIFIABLE_KINDS,
    BankAccount,
    CertificationEvent,
    ListingMode,
    Organisation,
    ProvinceProfile,
    Qualification,
    User,
)
from accounts.selectors import certification_history, organisations_visible_to
from accounts.throttling import LoginRateThrottle, RegistrationRateThrottle, lockout_response
from accounts.tokens import token_expires_at, token_issue, token_revoke, tokens_revoke_all
from accounts.validators import normalise_credit_code, normalise_resident_id
from mapsite import uploads
from mapsite.api import ModelSerializer
from mapsite.parsers import JSONParser


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


def _token_payload(token: Token) -> dict:
    return TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data


_ERRORS = {
    400: OpenApiResponse(description="请求无效（字段错误）"),
    401: OpenApiResponse(description="未登录或令牌无效/已过期"),
    403: OpenApiResponse(description="无权执行该操作"),
    404: OpenApiResponse(description="不存在或无权查看"),
    429: OpenApiResponse(description="请求过于频繁或登录失败次数过多，已暂时锁定"),
}


class TokenView(APIView):
    """POST exchanges username and password for an API token (`Authorization: Token <key>`),
    valid for ``API_TOKEN_TTL_DAYS``; DELETE revokes the token used (logout).

    Failed attempts are counted per username and per address (django-axes): after
    ``LOGIN_FAILURE_LIMIT`` failures both are locked out for ``LOGIN_COOLOFF_MINUTES`` (429)."""

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    def get_throttles(self):
        return [LoginRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(request=LoginSerializer, responses={200: TokenSerializer, 400: _ERRORS[400], 429: _ERRORS[429]})
    def post(self, request):
        ser = LoginSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: axes marks it when the login is locked out.
        django_request = request._request
        user = authenticate(django_request, **ser.validated_data)
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return lockout_response(django_request)
            raise serializers.ValidationError({"detail": "用户名或密码错误。"})
        token = token_issue(user=user, request=django_request)
        return Response(_token_payload(token))

    @extend_schema(request=None, responses={204: None, 401: _ERRORS[401]})
    def delete(self, request):
        if isinstance(request.auth, Token):
            token_revoke(token=request.auth)
        else:
            # Signed in with the session: log out every API client of the user.
            tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)

    def validate_old_password(self, value):
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError("原密码不正确。")
        return value

    def validate_new_password(self, value):
        try:
            validate_password(value, user=self.context["user"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value


class PasswordChangeView(APIView):
    """Change the caller's password. Every API token of the user is revoked; the answer
    carries the new one (and a session, if the call used one, stays signed in)."""

    permission_classes = [IsAuthenticated]

    def get_throttles(self):
        return [LoginRateThrottle()]

    @extend_schema(
        request=PasswordChangeSerializer,
        responses={200: TokenSerializer, 400: _ERRORS[400], 401: _ERRORS[401], 429: _ERRORS[429]},
    )
    def post(self, request):
        ser = PasswordChangeSerializer(data=request.data, context={"user": request.user})
        ser.is_valid(raise_exception=True)
        user = request.user
        user.set_password(ser.validated_data["new_password"])
        user.save(update_fields=["password"])
        tokens_revoke_all(user=user)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request._request, user)
        return Response(_token_payload(token_issue(user=user)))


class OrganisationSerializer(ModelSerializer):
    region_name = serializers.CharField(source="region.name", default=None, allow_null=True, read_only=True)
    zone_name = serializers.CharField(source="zone.name", default=None, allow_null=True, read_only=True)
    role = serializers.CharField(read_only=True)
    has_licence = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "role",
            "credit_code",
            "legal_representative",
            "registered_address",
            "founded_on",
            "region",
            "region_name",
            "zone",
            "zone_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "qualification",
            "qualification_number",
            "qualification_date",
            "prior_year_revenue",
            "status",
            "pending_name",
            "in_region",
            "listing_mode",
            "direct_basis",
            "service_staff",
            "has_management_rules",
            "facilities",
            "has_licence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_licence(self, obj) -> bool:
        return bool(obj.licence)


class OrganisationWriteSerializer(ModelSerializer):
    """Fields an applicant may correct while its application is a draft or returned
    (``founded_on``, 注册成立时间: not later than today; a certified organisation without one
    adds it with ``POST …/founded-on/``)."""

    class Meta:
        model = Organisation
        fields = services.EDITABLE_FIELDS
        extra_kwargs = {"region": {"required": False}, "zone": {"required": False}}

    def validate_credit_code(self, value):
        return normalise_credit_code(value) if value else value

    def validate_resident_id(self, value):
        return normalise_resident_id(value) if value else value


class FoundedOnSerializer(serializers.Serializer):
    founded_on = serializers.DateField(help_text="注册成立时间 as on the business licence, YYYY-MM-DD")


class RegistrationSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$")
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)
    email = serializers.EmailField()
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in CERTIFIABLE_KINDS])
    name = serializers.CharField(max_length=128)
    region = serializers.IntegerField(required=False, allow_null=True)
    credit_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    resident_id = serializers.CharField(required=False, allow_blank=True, max_length=32)
    legal_representative = serializers.CharField(required=False, allow_blank=True, max_length=64)
    registered_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    qualification = serializers.ChoiceField(choices=Qualification.choices, required=False, allow_blank=True)
    qualification_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    qualification_date = serializers.DateField(required=False, allow_null=True)
    prior_year_revenue = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    in_region = serializers.BooleanField(required=False, default=True)
    listing_mode = serializers.ChoiceField(choices=ListingMode.choices, required=False, allow_blank=True)
    direct_basis = serializers.CharField(required=False, allow_blank=True, max_length=24)
    service_staff = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    has_management_rules = serializers.BooleanField(required=False, default=False)
    facilities = serializers.CharField(required=False, allow_blank=True)
    zone = serializers.IntegerField(
        required=False, allow_null=True, help_text="the id of the high-tech zone (高新区) the applicant is in"
    )

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("该用户名已被使用。")
        return value

    def validate_credit_code(self, value):
        if not value:
            return value
        code = normalise_credit_code(value)
        if Organisation.objects.filter(credit_code=code).exists():
            raise serializers.ValidationError("该统一社会信用代码已注册。")
        return code

    def validate_resident_id(self, value):
        if not value:
            return value
        rid = normalise_resident_id(value)
        if Organisation.objects.filter(resident_id=rid).exists():
            raise serializers.ValidationError("该身份证号已注册。")
        return rid


CERTIFICATION_DECISIONS = [("approve", "通过"), ("return", "退回"), ("experts", "提交专家评审")]


class CertificationDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=CERTIFICATION_DECISIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NameChangeSerializer(serializers.Serializer):
    new_name = serializers.CharField(max_length=128)


class ScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class LicenceSerializer(serializers.Serializer):
    licence = serializers.FileField()

    def validate_licence(self, upload):
        uploads.check(upload, kind=uploads.DOCUMENT)
        return upload


class HistoryActorFields(serializers.Serializer):
    """A history row's actor as pages show it: ``actor`` is "组织名称（角色）" (系统 for none);
    ``actor_username`` is the login name, for the centre and the operator only (else null)."""

    actor = serializers.SerializerMethodField()
    actor_username = serializers.SerializerMethodField()

    def get_actor(self, obj) -> str:
        return actor_name(obj.actor, getattr(obj, "actor_role", None) or None)

    def get_actor_username(self, obj) -> str | None:
        request = self.context.get("request")
        return actor_username(obj.actor, getattr(request, "user", None))


class CertificationEventSerializer(HistoryActorFields, ModelSerializer):
    class Meta:
        model = CertificationEvent
        fields = ["at", "actor", "actor_username", "actor_role", "from_status", "to_status", "note"]


class RegisterView(APIView):
    """Register an organisation (draft) and its first user account. The password must pass
    the password validators; registrations are limited per address (429)."""

    permission_classes = [AllowAny]
    throttle_classes = [RegistrationRateThrottle]

    @extend_schema(
        request=RegistrationSerializer,
        responses={201: OrganisationSerializer, 400: _ERRORS[400], 429: _ERRORS[429]},
    )
    def post(self, request):
        ser = RegistrationSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data["region_adcode"] = data.pop("region", None)
        user = services.register(data=services.Registration(**data))
        return Response(OrganisationSerializer(user.organisation).data, status=status.HTTP_201_CREATED)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(allow_null=True),
                "organisation": OrganisationSerializer(allow_null=True),
            },
        )
    )
    def get(self, request):
        org = request.user.organisation
        return Response(
            {
                "username": request.user.username,
                "role": request.user.role,
                "organisation": OrganisationSerializer(org).data if org else None,
            }
        )


class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Organisations the caller may see, and their certification workflow.

    Members edit and submit their own; the county bureau (applicants of its region) or the
    operator (institutions) review; experts score reviewed listings."""

    permission_classes = [IsAuthenticated]
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind", "status", "region"]
    http_method_names = ["get", "patch", "post", "put", "head", "options"]

    def get_queryset(self):
        return organisations_visible_to(self.request.user)

    @extend_schema(request=OrganisationWriteSerializer, responses=OrganisationSerializer)
    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        ser = OrganisationWriteSerializer(org, data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        org = services.organisation_update(org=org, by=request.user, fields=ser.validated_data)
        return Response(OrganisationSerializer(org).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        org = services.certification_submit(org=self.get_object(), by=request.user)
        return Response(OrganisationSerializer(org).data)

    @extend_schema(request=CertificationDecisionSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        org = self.get_object()
        ser = CertificationDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        decision, note = ser.validated_data["decision"], ser.validated_data["note"]
        if decision == "approve":
            org = services.certification_approve(org=org, by=request.user, note=note)
        elif decision == "return":
            org = services.certification_return(org=org, by=request.user, reason=note)
        else:
            org = services.certification_send_to_experts(org=org, by=request.user, note=note)
        return Response(OrganisationSerializer(org).data)

    @extend_schema(request=NameChangeSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"], url_path="name-change")
    def name_change(self, request, pk=None):
        org = self.get_object()  # 404 for outsiders before any validation
        ser = NameChangeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = services.name_change_request(org=org, by=request.user, new_name=ser.validated_data["new_name"])
        return Response(OrganisationSerializer(org).data)

    @extend_schema(request=FoundedOnSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"], url_path="founded-on")
    def founded_on(self, request, pk=None):
        """Add the founding date (注册成立时间) the record lacks: members only, once — a date
        other than the one held is refused (``services.founding_date_record``)."""
        org = self.get_object()  # 404 for outsiders before any validation
        ser = FoundedOnSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = services.founding_date_record(org=org, by=request.user, founded_on=ser.validated_data["founded_on"])
        return Response(OrganisationSerializer(org).data)

    @extend_schema(request=ScoreSerializer, responses=ScoreSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        org = self.get_object()  # 404 for outsiders before any validation
        ser = ScoreSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        row = services.expert_score(org=org, by=request.user, **ser.validated_data)
        return Response({"score": row.score, "comment": row.comment}, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        org = self.get_object()  # 404 for outsiders before any validation
        ser = NoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = services.listing_suspend(org=org, by=request.user, reason=ser.validated_data["note"])
        return Response(OrganisationSerializer(org).data)

    @extend_schema(request=NoteSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        org = self.get_object()  # 404 for outsiders before any validation
        ser = NoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = services.listing_reinstate(org=org, by=request.user, note=ser.validated_data["note"])
        return Response(OrganisationSerializer(org).data)

    @extend_schema(responses=CertificationEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        events = certification_history(self.get_object())
        return Response(CertificationEventSerializer(events, many=True, context={"request": request}).data)

    @extend_schema(request={"multipart/form-data": LicenceSerializer}, responses=OrganisationSerializer)
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def licence(self, request, pk=None):
        """GET streams the licence to whoever may see the organisation; POST uploads it."""
        org = self.get_object()
        if request.method == "GET":
            if not org.licence:
                raise Http404("尚未上传证明文件。")
            return uploads.serve(org.licence, download_name=f"证明文件-{org.pk}")
        ser = LicenceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        org = services.licence_upload(org=org, by=request.user, upload=ser.validated_data["licence"])
        return Response(OrganisationSerializer(org).data)


class BankAccountSerializer(ModelSerializer):
    class Meta:
        model = BankAccount
        fields = ["bank_name", "bank_code", "account_name", "account_number", "updated_at"]
        read_only_fields = ["updated_at"]


class BankAccountView(APIView):
    """The caller's organisation's payee bank account (收款账户): private to its own users;
    the operator and the centre read it in payout batches and the bank export."""

    permission_classes = [IsAuthenticated]

    def _org(self, request) -> Organisation:
        org = request.user.organisation
        if org is None:
            raise Http404("本账号不属于任何单位。")
        return org

    @extend_schema(responses={200: BankAccountSerializer, 401: _ERRORS[401], 404: _ERRORS[404]})
    def get(self, request):
        account = BankAccount.objects.filter(organisation=self._org(request)).first()
        if account is None:
            raise Http404("尚未设置收款账户。")
        return Response(BankAccountSerializer(account).data)

    @extend_schema(
        request=BankAccountSerializer,
        responses={200: BankAccountSerializer, 400: _ERRORS[400], 401: _ERRORS[401], 404: _ERRORS[404]},
    )
    def put(self, request):
        ser = BankAccountSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        account = services.bank_account_save(org=self._org(request), by=request.user, data=dict(ser.validated_data))
        return Response(BankAccountSerializer(account).data)


class ProvinceProfileSerializer(ModelSerializer):
    class Meta:
        model = ProvinceProfile
        fields = ["adcode", *province.EDITABLE, "updated_at"]
        read_only_fields = ["adcode", "updated_at"]


class ProvinceProfileView(APIView):
    """The deployment's province profile: names, pledge, number prefix, mail subject. Anyone
    reads it (it is what every page shows); the centre edits it."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: ProvinceProfileSerializer})
    def get(self, request):
        return Response(ProvinceProfileSerializer(province.current()).data)

    @extend_schema(
        request=ProvinceProfileSerializer,
        responses={200: ProvinceProfileSerializer, 400: _ERRORS[400], 401: _ERRORS[401], 403: _ERRORS[403]},
    )
    def put(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        ser = ProvinceProfileSerializer(province.current(), data=request.data)
        ser.is_valid(raise_exception=True)
        profile = province.profile_save(by=request.user, data=dict(ser.validated_data))
        return Response(ProvinceProfileSerializer(profile).data)
