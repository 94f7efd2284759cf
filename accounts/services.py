"""Writes for organisations, users and certification (认证/入库)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts import province
from accounts.actors import only
from accounts.models import (
    APPLICANT_KINDS,
    CERTIFIABLE_KINDS,
    BankAccount,
    CertificationEvent,
    CertStatus,
    ExpertScore,
    ListingMode,
    Organisation,
    OrgKind,
    Qualification,
    Role,
    User,
)
from accounts.permissions import can_review_certification
from accounts.validators import founding_date_not_future, normalise_account_number, normalise_bank_code
from geodata.models import Region, RegionLevel
from geodata.selectors import region_locate
from mapsite import uploads
from mapsite.workflow import InvalidTransition, move
from notifications.services import notify, notify_organisation
from workdays import services as workdays_services

# The certification workflow: from each status, the statuses it may move to.
CERT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CertStatus.DRAFT: (CertStatus.SUBMITTED,),
    CertStatus.SUBMITTED: (CertStatus.CERTIFIED, CertStatus.RETURNED, CertStatus.EXPERT_REVIEW),
    CertStatus.EXPERT_REVIEW: (CertStatus.CERTIFIED, CertStatus.RETURNED),
    CertStatus.RETURNED: (CertStatus.SUBMITTED,),
    CertStatus.CERTIFIED: (CertStatus.CHANGE_PENDING, CertStatus.SUSPENDED),
    CertStatus.CHANGE_PENDING: (CertStatus.CERTIFIED,),
    CertStatus.SUSPENDED: (CertStatus.CERTIFIED,),
}
EDITABLE_STATUSES = (CertStatus.DRAFT, CertStatus.RETURNED)
# What an applicant may correct while its application is a draft or returned (API and page).
EDITABLE_FIELDS = [
    "name",
    "credit_code",
    "resident_id",
    "legal_representative",
    "registered_address",
    "founded_on",
    "region",
    "contact_name",
    "contact_phone",
    "contact_email",
    "qualification",
    "qualification_number",
    "qualification_date",
    "prior_year_revenue",
    "in_region",
    "listing_mode",
    "direct_basis",
    "service_staff",
    "has_management_rules",
    "facilities",
    "zone",
]

# Sent inside the transaction after every certification status change, with
# ``organisation``. Layers above keep derived data in step with it (the catalogue's search
# index adds or removes a listed institution); no business rule may hang on it.
certification_changed = Signal()
# Sent inside the transaction after staff edit an organisation's data in the admin (address,
# place …), with ``organisation``; the catalogue re-indexes a listed institution on it.
organisation_changed = Signal()
# Reviewed listing (审核入库) needs at least this many service staff (SPEC §3).
MIN_SERVICE_STAFF = 10


def _transition(*, org: Organisation, to: str, by: User | None, note: str = "") -> None:
    move(
        org,
        to,
        table=CERT_TRANSITIONS,
        labels=CertStatus,
        event=CertificationEvent,
        organisation=org,
        actor=by,
        actor_role=(by.role or "") if by else "",
        note=note,
    )
    org.save(update_fields=["status", "pending_name", "name", "updated_at"])
    certification_changed.send(sender=Organisation, organisation=org)


def _locked(org: Organisation) -> Organisation:
    # Two reviewers acting at once must not both move the same application.
    return Organisation.objects.select_for_update().get(pk=org.pk)


# --- Registration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    username: str
    password: str
    email: str
    kind: str
    name: str
    region_adcode: int | None
    credit_code: str = ""
    resident_id: str = ""
    legal_representative: str = ""
    registered_address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    qualification: str = ""
    qualification_number: str = ""
    qualification_date: object = None
    prior_year_revenue: object = None
    in_region: bool = True
    listing_mode: str = ""
    direct_basis: str = ""
    service_staff: int | None = None
    has_management_rules: bool = False
    facilities: str = ""
    zone: int | None = None  # the high-tech zone's authority organisation, if the applicant is in one


def validate_organisation(org: Organisation) -> None:
    """Rules that hold for every certifiable organisation; raise ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if org.kind not in CERTIFIABLE_KINDS:
        errors.setdefault("kind", []).append("只能注册创新主体或服务机构。")
    if org.kind == OrgKind.INDIVIDUAL:
        if not org.resident_id:
            errors.setdefault("resident_id", []).append("个人/团队须填写身份证号。")
    elif org.kind in CERTIFIABLE_KINDS and not org.credit_code:
        errors.setdefault("credit_code", []).append("须填写统一社会信用代码。")
    needs_region = org.kind in APPLICANT_KINDS or (org.kind == OrgKind.INSTITUTION and org.in_region)
    if needs_region:
        if org.region is None:
            errors.setdefault("region", []).append("须选择所在区县。")
        elif org.region.level != RegionLevel.COUNTY:
            errors.setdefault("region", []).append("所在地须为区县级行政区。")
    if org.kind == OrgKind.INDIVIDUAL and org.founded_on is not None:
        errors.setdefault("founded_on", []).append("个人/团队不填写注册成立时间。")
    errors.update(_qualification_errors(org))
    errors.update(_zone_errors(org))
    if org.kind == OrgKind.INSTITUTION:
        if org.listing_mode == ListingMode.DIRECT and not org.direct_basis:
            errors.setdefault("direct_basis", []).append("直接入库须说明依据。")
        if not org.listing_mode:
            errors.setdefault("listing_mode", []).append("须选择入库方式。")
    if errors:
        raise ValidationError(errors)


def _zone_errors(org: Organisation) -> dict[str, list[str]]:
    """A high-tech zone is named by an applicant only, and must be one in its own city."""
    if org.zone_id is None:
        return {}
    zone = org.zone
    if org.kind not in APPLICANT_KINDS:
        return {"zone": ["只有创新主体填写所在高新区。"]}
    if not zone.is_zone_authority:
        return {"zone": ["所选单位不是高新区科技主管部门。"]}
    if org.region is not None and zone.region is not None and zone.region.parent_id != org.region.parent_id:
        return {"zone": [f"{zone.name}不在本单位所在地市，请核对所在区县或高新区。"]}
    return {}


# A high-tech enterprise certificate (高企证书) is valid for three years (SPEC §3).
HIGH_TECH_VALID_YEARS = 3


def _qualification_errors(org: Organisation) -> dict[str, list[str]]:
    """高企: certificate date within the last three years; 科小: this year's library number
    (入库编号 starting with the year, as the national tech-SME library issues them)."""
    today = timezone.localdate()
    if org.qualification == Qualification.HIGH_TECH:
        if org.qualification_date is None:
            return {"qualification_date": ["高新技术企业须填写证书发证日期。"]}
        if org.qualification_date > today:
            return {"qualification_date": ["发证日期不能晚于今天。"]}
        expiry = org.qualification_date.replace(year=org.qualification_date.year + HIGH_TECH_VALID_YEARS)
        if expiry <= today:
            return {"qualification_date": ["高新技术企业证书已超过三年有效期。"]}
    if org.qualification == Qualification.TECH_SME:
        number = (org.qualification_number or "").strip()
        if not number.startswith(str(today.year)):
            return {
                "qualification_number": [f"科技型中小企业须填写 {today.year} 年度入库编号（以 {today.year} 开头）。"]
            }
    return {}


@transaction.atomic
def register(*, data: Registration) -> User:
    """Create a draft organisation and its first user (the organisation's administrator)."""
    try:
        # AUTH_PASSWORD_VALIDATORS: too short, too common, all digits, like the username.
        validate_password(data.password, user=User(username=data.username, email=data.email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    region = None
    if data.region_adcode is not None:
        region = Region.objects.filter(adcode=data.region_adcode).first()
        if region is None:
            raise ValidationError({"region": ["未知的行政区划代码。"]})
    zone = None
    if data.zone is not None:
        zone = Organisation.objects.filter(pk=data.zone, kind=OrgKind.BUREAU).exclude(zone_level="").first()
        if zone is None:
            raise ValidationError({"zone": ["未知的高新区。"]})
    org = Organisation(
        name=data.name,
        kind=data.kind,
        credit_code=data.credit_code,
        resident_id=data.resident_id,
        legal_representative=data.legal_representative,
        registered_address=data.registered_address,
        region=region,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        contact_email=data.email,
        qualification=data.qualification,
        qualification_number=data.qualification_number,
        qualification_date=data.qualification_date,
        prior_year_revenue=data.prior_year_revenue,
        in_region=data.in_region,
        listing_mode=data.listing_mode,
        direct_basis=data.direct_basis,
        service_staff=data.service_staff,
        has_management_rules=data.has_management_rules,
        facilities=data.facilities,
        zone=zone,
    )
    validate_organisation(org)
    org.full_clean()
    org.save()
    user = User(username=data.username, email=data.email, organisation=org)
    user.password = make_password(data.password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def organisation_update(*, org: Organisation, by: User, fields: dict) -> Organisation:
    """Edit an application while it is a draft or returned; name changes of certified
    organisations go through :func:`name_change_request` instead."""
    org = _locked(org)
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能修改本单位的信息。")
    if org.status not in EDITABLE_STATUSES:
        raise ValidationError("只有待提交或已退回的申请可以修改；已认证单位变更名称请走名称变更。")
    for name, value in fields.items():
        setattr(org, name, value)
    validate_organisation(org)
    org.full_clean()
    org.save()
    return org


@transaction.atomic
def founding_date_record(*, org: Organisation, by: User, founded_on: dt.date) -> Organisation:
    """Record the organisation's founding date (注册成立时间) where its record has none.

    The rule for a certified organisation's facts holds: its members change them only while
    the certification is a draft or returned (:func:`organisation_update`), a name change is
    reviewed, and staff correct the rest in the admin. A founding date the record lacks is
    the one fact a member may add afterwards (on its own page, or with Jiangsu's yearly
    application, whose authority reviews it there): it fills the gap once and never
    overwrites — a date other than the one held is refused, naming the one held, so two
    applications never disagree with the record. The date is checked like any other: not
    later than today; only a legal entity (enterprise, social organisation, institution) has one."""
    org = _locked(org)  # an application and the page filling it at once: one writes, the other compares
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能填写本单位的注册成立时间。")
    if not org.is_legal_entity:
        raise ValidationError({"founded_on": [f"{org.get_kind_display()}不填写注册成立时间。"]})
    if founded_on is None:
        raise ValidationError({"founded_on": ["请填写注册成立时间（YYYY-MM-DD）。"]})
    try:
        founding_date_not_future(founded_on)
    except ValidationError as exc:
        raise ValidationError({"founded_on": exc.messages}) from None
    if org.founded_on is not None:
        if org.founded_on == founded_on:
            return org
        raise ValidationError({"founded_on": [founding_date_held(org)]})
    org.founded_on = founded_on
    org.save(update_fields=["founded_on", "updated_at"])
    return org


def founding_date_held(org: Organisation) -> str:
    """Why another founding date than the record's is refused (Chinese, with the date held)."""
    return (
        f"注册成立时间以单位信息为准（{org.founded_on:%Y-%m-%d}），认证后不能自行修改；"
        "如有误，请联系平台管理员更正单位信息。"
    )


# --- Certification workflow ------------------------------------------------------------------


@transaction.atomic
def certification_submit(*, org: Organisation, by: User) -> Organisation:
    org = _locked(org)
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能提交本单位的申请。")
    validate_organisation(org)
    if not org.licence:
        raise ValidationError({"licence": ["请先上传营业执照或证明文件。"]})
    _transition(org=org, to=CertStatus.SUBMITTED, by=by)
    notify(
        users=reviewers_for(org),
        title=f"新的认证申请：{org.name}",
        body="请在“认证审核”中处理。",
        url=f"/accounts/review/{org.pk}/",
    )
    return org


def reviewers_for(org: Organisation):
    """Users who review this organisation's certification."""
    if org.kind == OrgKind.INSTITUTION:
        return User.objects.filter(organisation__kind=OrgKind.OPERATOR, is_active=True)
    if org.region_id is None:
        return User.objects.none()
    region = org.region
    adcodes = [region.adcode] + ([region.parent_id] if region.parent_id else [])
    return User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__region_id__in=adcodes, is_active=True)


def _require_reviewer(org: Organisation, by: User) -> None:
    if not can_review_certification(by, org):
        raise PermissionDenied("您无权审核该申请。")


@transaction.atomic
def certification_approve(*, org: Organisation, by: User, note: str = "") -> Organisation:
    org = _locked(org)
    _require_reviewer(org, by)
    if org.status == CertStatus.CHANGE_PENDING:
        old = org.name
        org.name, org.pending_name = org.pending_name, ""
        _transition(org=org, to=CertStatus.CERTIFIED, by=by, note=note or f"名称由“{old}”变更")
    else:
        if (
            org.kind == OrgKind.INSTITUTION
            and org.listing_mode == ListingMode.REVIEWED
            and org.status == CertStatus.SUBMITTED
        ):
            raise ValidationError("审核入库的机构须先经专家评审。")
        if org.status == CertStatus.EXPERT_REVIEW and not org.expert_scores.exists():
            raise ValidationError("尚无专家评分，不能通过。")
        _transition(org=org, to=CertStatus.CERTIFIED, by=by, note=note)
    notify_organisation(organisation=org, title="认证审核通过", body=note, url="/accounts/me/", sms=True)
    return org


@transaction.atomic
def certification_return(*, org: Organisation, by: User, reason: str) -> Organisation:
    if not reason.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    org = _locked(org)
    _require_reviewer(org, by)
    if org.status == CertStatus.CHANGE_PENDING:
        # A rejected name change keeps the organisation certified under its old name.
        org.pending_name = ""
        _transition(org=org, to=CertStatus.CERTIFIED, by=by, note=f"名称变更未通过：{reason}")
    else:
        _transition(org=org, to=CertStatus.RETURNED, by=by, note=reason)
    notify_organisation(organisation=org, title="认证申请被退回", body=reason, url="/accounts/me/", sms=True)
    return org


@transaction.atomic
def certification_send_to_experts(*, org: Organisation, by: User, note: str = "") -> Organisation:
    org = _locked(org)
    _require_reviewer(org, by)
    if org.kind != OrgKind.INSTITUTION or org.listing_mode != ListingMode.REVIEWED:
        raise ValidationError("只有审核入库的机构需要专家评审。")
    problems = []
    if (org.service_staff or 0) < MIN_SERVICE_STAFF:
        problems.append(f"服务人员少于 {MIN_SERVICE_STAFF} 人")
    if not org.has_management_rules:
        problems.append("缺少管理制度")
    if problems:
        raise ValidationError("不符合审核入库条件：" + "；".join(problems) + "。")
    _transition(org=org, to=CertStatus.EXPERT_REVIEW, by=by, note=note)
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.EXPERT, is_active=True),
        title=f"请评审机构入库申请：{org.name}",
        url=f"/accounts/review/{org.pk}/",
    )
    return org


@transaction.atomic
def expert_score(*, org: Organisation, by: User, score: int, comment: str = "") -> ExpertScore:
    if by.role != Role.EXPERT:
        raise PermissionDenied("只有受邀专家可以评分。")
    org = _locked(org)
    if org.status != CertStatus.EXPERT_REVIEW:
        raise ValidationError("该申请不在专家评审阶段。")
    if not 0 <= int(score) <= 100:
        raise ValidationError({"score": ["评分须在 0–100 之间。"]})
    row, _ = ExpertScore.objects.update_or_create(
        organisation=org, expert=by, defaults={"score": score, "comment": comment}
    )
    return row


@transaction.atomic
def name_change_request(*, org: Organisation, by: User, new_name: str) -> Organisation:
    org = _locked(org)
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能变更本单位的名称。")
    new_name = new_name.strip()
    if not new_name or new_name == org.name:
        raise ValidationError({"new_name": ["请填写与现名称不同的新名称。"]})
    org.pending_name = new_name
    _transition(org=org, to=CertStatus.CHANGE_PENDING, by=by, note=f"申请变更为“{new_name}”")
    notify(users=reviewers_for(org), title=f"名称变更申请：{org.name} → {new_name}", url=f"/accounts/review/{org.pk}/")
    return org


@transaction.atomic
def listing_suspend(*, org: Organisation, by: User, reason: str) -> Organisation:
    """Suspend an institution's listing (评价差且拒不整改)."""
    if by.role not in (Role.OPERATOR, Role.CENTRE):
        raise PermissionDenied(only("暂停入库", "运营单位", joiner="或"))
    if not reason.strip():
        raise ValidationError({"note": ["须说明原因。"]})
    org = _locked(org)
    if org.kind != OrgKind.INSTITUTION:
        raise ValidationError("只能暂停服务机构。")
    _transition(org=org, to=CertStatus.SUSPENDED, by=by, note=reason)
    notify_organisation(organisation=org, title="入库资格已暂停", body=reason)
    return org


@transaction.atomic
def listing_reinstate(*, org: Organisation, by: User, note: str = "") -> Organisation:
    if by.role not in (Role.OPERATOR, Role.CENTRE):
        raise PermissionDenied(only("恢复入库", "运营单位", joiner="或"))
    org = _locked(org)
    if org.status != CertStatus.SUSPENDED:
        raise InvalidTransition("该机构未被暂停。")
    _transition(org=org, to=CertStatus.CERTIFIED, by=by, note=note)
    notify_organisation(organisation=org, title="入库资格已恢复", body=note)
    return org


def licence_upload(*, org: Organisation, by: User, upload) -> Organisation:
    """Attach the licence scan, checked by content and stored under our name (mapsite.uploads).

    The file is written before the transaction (no disk I/O while holding the row lock); if
    the status check then fails, the orphan file is removed."""
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能为本单位上传证明文件。")
    mime = uploads.check(upload, kind=uploads.DOCUMENT)
    storage = org.licence.storage
    stored = uploads.store(org.licence, org, upload, mime)
    try:
        with transaction.atomic():
            org = _locked(org)
            if org.status not in EDITABLE_STATUSES:
                raise ValidationError("审核中或已认证的申请不能更换证明文件。")
            org.licence.name = stored
            org.save(update_fields=["licence", "updated_at"])
    except Exception:
        storage.delete(stored)
        raise
    return org


def calendar_set_day(*, by: User, date, is_workday: bool, name: str = "") -> None:
    """The centre records an announced holiday or swapped workday (workdays keeps the table;
    the rule that only the centre maintains it is a role rule, so it is checked here)."""
    if getattr(by, "role", None) != Role.CENTRE:
        raise PermissionDenied(only("维护节假日安排"))
    workdays_services.set_day(date=date, is_workday=is_workday, name=name)


def organisation_county(*, in_region: bool, point) -> Region | None:
    """The county of an organisation's ``point`` (point-in-polygon); refuses a point that
    contradicts 区内/区外."""
    county = region_locate(point=point)
    profile = province.current()
    if in_region and county is None:
        raise ValidationError({"location": [f"{profile.inside}单位的位置必须在{profile.short_name}境内。"]})
    if not in_region and county is not None:
        raise ValidationError(
            {
                "location": [
                    f"{profile.outside}单位的位置不应在{profile.short_name}境内；如已迁入请申请变更为{profile.inside}单位。"
                ]
            }
        )
    return county


@transaction.atomic
def organisation_save_by_staff(*, org: Organisation, by: User) -> Organisation:
    """Platform staff's edit in the admin. The county follows the point; layers above keep
    their derived data in step (``organisation_changed``)."""
    if not getattr(by, "is_staff", False):
        raise PermissionDenied("只有平台管理员可以在后台修改单位资料。")
    if org.location is not None:
        org.region = organisation_county(in_region=org.in_region, point=org.location)
    org.save()
    organisation_changed.send(sender=Organisation, organisation=org)
    return org


BANK_FIELDS = ("bank_name", "bank_code", "account_name", "account_number")


def bank_account_save(*, org: Organisation, by: User, data: dict) -> BankAccount:
    """Set the organisation's payee bank account (its own users only). Checked: the bank
    code, the account number's digits, and that the account is in the organisation's own
    name — payouts never go to a third party's account."""
    if by.organisation_id != org.pk:
        raise PermissionDenied("只能设置本单位的收款账户。")
    values = {name: str(data.get(name, "")).strip() for name in BANK_FIELDS}
    errors: dict[str, list[str]] = {}
    if not values["bank_name"]:
        errors["bank_name"] = ["请填写开户银行。"]
    try:
        values["bank_code"] = normalise_bank_code(values["bank_code"])
    except ValidationError as e:
        errors["bank_code"] = e.messages
    try:
        personal = org.kind == OrgKind.INDIVIDUAL
        values["account_number"] = normalise_account_number(values["account_number"], personal=personal)
    except ValidationError as e:
        errors["account_number"] = e.messages
    if values["account_name"] != org.name:
        errors["account_name"] = [f"账户名称须与本单位名称“{org.name}”一致（拨付只转入收款单位自己的账户）。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked(org)  # two saves of one organisation's account queue here
        account, _ = BankAccount.objects.update_or_create(organisation=org, defaults=values)
    return account
