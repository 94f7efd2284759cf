"""Entitlements (额度): how an applicant gets the year's amount it may turn into vouchers,
by the scheme's rule (``Policy.entitlement``, SPEC §10), and its wallet.

- ``none`` (Ningxia): nothing to claim; the annual cap is used up by vouchers issued.
- ``quota`` (Henan): :func:`claim_quota` — the applicant claims the year's fixed quota
  (by qualification and city, ``Policy.quota``) once, signing the integrity pledge;
  granted at once.
- ``application`` (Jiangsu): :func:`apply` — a yearly application form with the type's
  evidence (待上传), then its printed form (:func:`application_form_pdf`) comes back stamped
  (:func:`upload_stamped_form`); 科小 (``tech_sme``) is granted at once, the others wait for their S&T authority
  (the bureau of the applicant's county or city, or the high-tech zone that covers it):
  :func:`decide`. Prior-year revenue above the policy's limit is refused.
- ``claim`` (Zhejiang): :func:`claim_amount` — any amount within the per-claim cap, the
  yearly claim cap and the holding cap (unused amount held at once); granted at once. The
  caps are the local bureau's (:func:`claim_caps`): a county or city bureau sets its own
  on a regional policy record (:func:`claim_caps_set`); each cap is the county's, else the
  city's, else the province's.

A granted claim credits the ``entitlement`` ledger account; issuing a voucher debits it
(``services.voucher_issue``), expiry and approved amounts below the voucher credit it back
(``ledger.cap_return_legs``), and :func:`lapse` voids what is left once the claim's
validity ends (year end where the scheme says so). Claims of one applicant queue on its
organisation row (``ledger.lock_applicant``), so racing claims never pass a cap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import province
from accounts import services as accounts_services
from accounts.models import Organisation, OrgKind, Qualification, Role, User
from accounts.validators import normalise_credit_code
from catalog.services import VoucherOffer
from mapsite import uploads
from mapsite.numbering import save_with_number
from notifications.services import notify, notify_organisation
from vouchers import ledger
from vouchers.ledger import Leg
from vouchers.models import (
    ClaimStatus,
    Entitlement,
    EntitlementClaim,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Policy,
    PolicyModel,
    ProjectRegistration,
    ProjectStatus,
)
from vouchers.policies import schemes
from vouchers.policies.records import province_policy
from vouchers.policies.value import annual_cap, compute_subsidy, money, valid_until
from vouchers.transitions import CLAIM, PROJECT

ZERO = Decimal("0")
APPLICANT_KINDS = (OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INDIVIDUAL)


# --- Reads ------------------------------------------------------------------------------------


def _city(org: Organisation) -> int | None:
    return org.region.parent_id if org.region_id and org.region.parent_id else None


def fixed_quota(policy: Policy, org: Organisation) -> Decimal:
    """The quota the scheme assigns ``org`` (by city, then qualification, then default)."""
    return annual_cap(policy, applicant_kind=org.kind, qualification=org.qualification, city_adcode=_city(org))


CAP_FIELDS = ("claim_year_cap", "claim_each_cap", "holding_cap")


@dataclass(frozen=True)
class ClaimCaps:
    """The three caps of a claim scheme as they apply to one applicant, and who set them."""

    year_cap: Decimal | None
    each_cap: Decimal | None
    holding_cap: Decimal | None
    set_by: str  # the bureau's region name, or "" for the province's own caps


CAP_LABELS = {
    "claim_year_cap": "年度累计申领上限",
    "claim_each_cap": "单次申领上限",
    "holding_cap": "持有未用额度上限",
}
PROVINCE_LEVEL = "全省"
CAP_FIELDS_LABELLED = tuple(CAP_LABELS.items())  # the yearly cap first


def _cap_records(policy: Policy, region_ids: list[int]) -> list[Policy]:
    """The records whose caps apply: the regions' own (most specific first), then the province's."""
    local = {
        p.region_id: p
        for p in Policy.objects.filter(year=policy.year, region_id__in=region_ids).select_related("region")
    }
    return [local[r] for r in region_ids if r in local] + [policy]


def _tightest(records: list[Policy]) -> dict[str, tuple[Decimal | None, Policy | None]]:
    """Each cap's lowest value over ``records`` and the record that sets it (None: no cap)."""
    result: dict[str, tuple[Decimal | None, Policy | None]] = {}
    for name in CAP_FIELDS:
        set_here = [(getattr(r, name), r) for r in records if getattr(r, name) is not None]
        result[name] = min(set_here, key=lambda pair: pair[0]) if set_here else (None, None)
    return result


def claim_caps(policy: Policy, org: Organisation | None = None, *, region_ids: list[int] | None = None) -> ClaimCaps:
    """The caps that apply to ``org`` (or to ``region_ids``, most specific first).

    A lower level may only tighten: each cap is the lowest of the county bureau's, the city
    bureau's and the province's (an empty one is no limit at that level).
    :func:`claim_caps_set` refuses a local cap above the higher levels' when it is set; taking
    the lowest here as well keeps the rule when a higher level lowers its cap later. On a tie
    the most specific level is named as the setter."""
    if region_ids is None:
        region_ids = [r for r in (org.region_id, _city(org)) if r] if org is not None and org.region_id else []
    records = _cap_records(policy, region_ids)
    value = {name: v for name, (v, _r) in _tightest(records).items()}
    setter = next(
        (r for r in records[:-1] if any(getattr(r, n) is not None and getattr(r, n) == value[n] for n in CAP_FIELDS)),
        None,
    )
    return ClaimCaps(
        value["claim_year_cap"], value["claim_each_cap"], value["holding_cap"], setter.region.name if setter else ""
    )


def caps_above(policy: Policy, region) -> dict[str, tuple[Decimal | None, str]]:
    """For a bureau's ``region``: each cap of the levels above it (its city's, the province's),
    as (the tightest figure, the level's name: the city's name or 全省)."""
    above = _tightest(_cap_records(policy, [region.parent_id] if region.parent_id else []))
    return {
        name: (v, PROVINCE_LEVEL if r is None or r.region_id is None else r.region.name)
        for name, (v, r) in above.items()
    }


def claim_valid_until(policy: Policy, today: dt.date) -> dt.date:
    if policy.valid_to_year_end:
        return dt.date(policy.year, 12, 31)
    return today + dt.timedelta(days=policy.validity_days)


@dataclass
class Wallet:
    """What the wallet page and API show: cap, claimed, used, remaining, valid until, history."""

    year: int
    rule: str
    rule_label: str
    cap: Decimal | None
    claimed: Decimal
    used: Decimal
    remaining: Decimal
    still_claimable: Decimal | None
    valid_until: dt.date | None
    caps: ClaimCaps | None = None
    # why the applicant cannot claim under this scheme at all (an individual in Jiangsu)
    refusal: str = ""
    claims: list = field(default_factory=list)
    history: list = field(default_factory=list)


def wallet(org: Organisation, year: int) -> Wallet:
    policy = province_policy(year)
    rule = policy.entitlement
    claims = list(EntitlementClaim.objects.filter(organisation=org, year=year).order_by("created_at", "id"))
    claimed = ledger.entitlement_granted(org, year)
    used = ledger.received_this_year(org, year)
    caps = claim_caps(policy, org) if rule == Entitlement.CLAIM else None
    if rule == Entitlement.NONE:
        cap = annual_cap(policy, applicant_kind=org.kind, qualification=org.qualification, city_adcode=_city(org))
        remaining = max(ZERO, cap - used)
    else:
        cap = caps.year_cap if caps else fixed_quota(policy, org)
        remaining = ledger.entitlement_left(org, year)
    still = None
    if caps:
        still = _claimable(caps, claimed=claimed, held=remaining)
    elif rule in (Entitlement.QUOTA, Entitlement.APPLICATION):
        still = ZERO if claims and any(c.status != ClaimStatus.REFUSED for c in claims) else cap
    refusal = application_refusal(org, policy)
    if refusal:
        cap, still = ZERO, ZERO
    valid = max((c.valid_until for c in claims if c.status == ClaimStatus.GRANTED), default=None)
    history = list(
        # The entitlement's own movements where there is one, the annual cap's otherwise.
        LedgerEntry.objects.filter(
            account=LedgerAccount.APPLICANT_CAP if rule == Entitlement.NONE else LedgerAccount.ENTITLEMENT,
            organisation=org,
            year=year,
        )
        .select_related("voucher")
        .order_by("at", "id")
    )
    return Wallet(
        year=year,
        rule=rule,
        rule_label=Entitlement(rule).label,
        cap=cap,
        claimed=claimed,
        used=used,
        remaining=remaining,
        still_claimable=still,
        valid_until=valid,
        caps=caps,
        refusal=refusal,
        claims=claims,
        history=history,
    )


# The yearly application (Jiangsu) is the enterprise's form, 企业申领创新券信息表: the guide
# offers it to 科小, 高企, 在孵企业 and 人才企业, small and medium enterprises within the
# revenue limit. An individual user (个人用户注册) or a social organisation registers and
# orders services on the platform, without the voucher.
APPLICATION_ORG_KINDS = (OrgKind.ENTERPRISE,)


def application_refusal(org: Organisation, policy: Policy) -> str:
    """Why ``org`` cannot apply under ``policy``'s yearly application, or "" if it can."""
    if policy.entitlement != Entitlement.APPLICATION or org.kind in APPLICATION_ORG_KINDS:
        return ""
    return (
        f"{policy.year} 年度的创新券额度须以《企业申领创新券信息表》申请，只面向本省企业（科技型中小企业、"
        f"高新技术企业、在孵企业和人才企业）；本单位类型为“{org.get_kind_display()}”，不能申请额度或使用创新券。"
        "您仍可在平台预约服务，下单时选择“不使用创新券”。"
    )


def voucher_prerequisite(org: Organisation, policy: Policy) -> str:
    """What ``org`` still has to do in its wallet (我的额度) before a voucher order under
    ``policy``'s scheme carries a voucher, in the scheme's words, or "" when nothing is left:
    Ningxia asks nothing (its yearly cap is taken up by the vouchers issued); Henan's fixed
    quota is claimed once and its R&D project registered and approved by the platform;
    Jiangsu's yearly application is granted; Zhejiang's amount is claimed within its caps.
    An applicant the scheme does not take at all is told :func:`application_refusal`
    instead. The booking's voucher step shows this next to its button."""
    if application_refusal(org, policy):
        return ""
    year, rule = policy.year, policy.entitlement
    todo = []
    if rule in (Entitlement.QUOTA, Entitlement.APPLICATION) and not ledger.entitlement_granted(org, year):
        waiting = (
            EntitlementClaim.objects.filter(organisation=org, year=year)
            .exclude(status=ClaimStatus.REFUSED)
            .values_list("status", flat=True)
            .first()
        )
        if rule == Entitlement.QUOTA:
            todo.append("领取本年度额度")
        elif waiting == ClaimStatus.TO_UPLOAD:
            todo.append("上传签字盖章的《企业申领创新券信息表》，年度资格申请通过后获得额度")
        elif waiting == ClaimStatus.SUBMITTED:
            todo.append("等待年度资格申请审核通过（获得额度）")
        else:
            todo.append("提交年度资格申请（《企业申领创新券信息表》），通过后获得额度")
    elif rule == Entitlement.CLAIM and ledger.entitlement_left(org, year) <= 0:
        todo.append("在申领上限内申领额度")
    if policy.project_registration and not has_approved_project(org, year):
        pending = ProjectRegistration.objects.filter(organisation=org, year=year, status=ProjectStatus.SUBMITTED)
        todo.append("等待研发项目登记经平台审核通过" if pending.exists() else "登记本年度研发项目并经平台审核通过")
    if not todo:
        return ""
    if not org.is_certified:
        todo.insert(0, "完成单位认证")
    return f"按 {year} 年度方案，本单位使用创新券前还须：{'；'.join(todo)}。"


def booking_offer(user: User, amount) -> VoucherOffer | None:
    """What the order form shows an applicant under a quota scheme (catalog's
    ``voucher_offer`` hook): the year's entitlement left (额度剩余) and the proposed voucher on
    an order of ``amount`` yuan (拟兑付创新券金额: the scheme's share, capped by what is left),
    by the same calculation as the voucher itself (``compute_subsidy``). None elsewhere."""
    org = user.organisation if user.is_authenticated else None
    if user.is_anonymous or user.role != Role.APPLICANT or org is None or org.kind not in APPLICANT_KINDS:
        return None
    year = timezone.localdate().year
    policy = province_policy(year)
    if policy.model != PolicyModel.QUOTA or policy.entitlement == Entitlement.NONE:
        return None
    refusal = application_refusal(org, policy)
    left = ZERO if refusal else max(ZERO, ledger.entitlement_left(org, year))
    subsidy = compute_subsidy(
        policy,
        max(ZERO, money(amount)),
        applicant_kind=org.kind,
        qualification=org.qualification,
        city_adcode=_city(org),
        entitlement_left=left,
    )
    note = refusal
    if not note and left <= 0:
        note = f"本单位暂无 {year} 年度可用额度：请先在“我的额度”中申领，额度核定后下单才能使用创新券。"
    return VoucherOffer(
        year=year,
        remaining=left,
        rate=Decimal(str(policy.flat_rate or 0)),
        amount=money(max(ZERO, money(amount))),
        proposed=subsidy.amount,
        note=note,
        url=reverse("vouchers:wallet"),
        closed=bool(refusal),
        payee_note=schemes.payee_note(policy),
        valid_until=valid_until(policy, timezone.localdate()),
    )


def _claimable(caps: ClaimCaps, *, claimed: Decimal, held: Decimal) -> Decimal:
    """How much may be claimed now under the three caps of a claim scheme."""
    limits = []
    if caps.year_cap is not None:
        limits.append(caps.year_cap - claimed)
    if caps.holding_cap is not None:
        limits.append(caps.holding_cap - held)
    if caps.each_cap is not None:
        limits.append(caps.each_cap)
    return max(ZERO, min(limits)) if limits else ZERO


# --- Writes -----------------------------------------------------------------------------------


def _require_applicant(by: User, policy: Policy | None = None) -> Organisation:
    if by.role != Role.APPLICANT or by.organisation is None or by.organisation.kind not in APPLICANT_KINDS:
        raise PermissionDenied("只有创新主体可以申领额度。")
    org = by.organisation
    if policy is not None and (reason := application_refusal(org, policy)):
        raise PermissionDenied(reason)
    if not org.is_certified:
        raise ValidationError("单位认证通过后才能申领额度。")
    return org


def _policy_for(rule: str) -> Policy:
    year = timezone.localdate().year
    policy = province_policy(year, required=True)
    if policy.entitlement != rule:
        raise ValidationError(f"{year} 年度的方案是“{Entitlement(policy.entitlement).label}”，不能这样申领额度。")
    return policy


def _new_claim(*, org, policy, amount, by, status, form=None, pledge=False) -> EntitlementClaim:
    claim = EntitlementClaim(
        organisation=org,
        policy=policy,
        year=policy.year,
        amount=money(amount),
        status=status,
        form=form or {},
        pledge_accepted_at=timezone.now() if pledge else None,
        valid_until=claim_valid_until(policy, timezone.localdate()),
        created_by=by,
    )
    save_with_number(claim, lambda c: province.number("ED", f"{c.year}{c.pk:07d}"))
    CLAIM.created(claim, by=by, note=f"申领 {claim.amount:,.2f} 元")
    return claim


def _grant(claim: EntitlementClaim, by: User | None, note: str) -> None:
    ledger.post(
        LedgerKind.GRANT,
        year=claim.year,
        by=by,
        note=f"{claim.number} {note}"[:200],
        legs=[Leg(LedgerAccount.ENTITLEMENT, claim.amount, organisation=claim.organisation)],
    )
    notify_organisation(
        organisation=claim.organisation,
        title=f"额度已核定：{claim.amount:,.2f} 元",
        body=f"{claim.year} 年度，有效期至 {claim.valid_until}",
        url="/vouchers/wallet/",
        sms=True,
    )


def _refuse_second(org, policy) -> None:
    if EntitlementClaim.objects.filter(organisation=org, year=policy.year).exclude(status=ClaimStatus.REFUSED).exists():
        raise ValidationError(f"本单位已申领 {policy.year} 年度额度，每年只能申领一次。")


@transaction.atomic
def claim_quota(*, by: User, pledge: bool) -> EntitlementClaim:
    """Henan: claim the year's fixed quota with the user integrity pledge (once a year)."""
    org = _require_applicant(by)
    policy = _policy_for(Entitlement.QUOTA)
    if not pledge:
        raise ValidationError({"pledge": ["领取额度须签署用户诚信承诺书。"]})
    ledger.lock_applicant(org.pk)
    _refuse_second(org, policy)
    amount = fixed_quota(policy, org)
    if amount <= 0:
        raise ValidationError(
            f"本单位类型（{org.get_qualification_display() or '未填写资质'}）不在 {policy.year} 年度额度范围内："
            "额度面向高新技术企业、科技型中小企业和入孵团队。"
        )
    claim = _new_claim(org=org, policy=policy, amount=amount, by=by, status=ClaimStatus.SUBMITTED, pledge=True)
    CLAIM.move(claim, ClaimStatus.GRANTED, by=None, note="按资质自动核定")
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_at"])
    _grant(claim, by, "按资质自动核定")
    return claim


# The application form's fields (企业申领创新券信息表): the common ones, then each type's
# evidence. ``revenue`` is the prior year's revenue in 万元 as the guide's form asks.
APPLICATION_TYPES = {
    Qualification.TECH_SME: "科技型中小企业（科小）",
    Qualification.HIGH_TECH: "高新技术企业（高企）",
    Qualification.INCUBATED: "在孵企业",
    Qualification.TALENT: "人才企业",
}
APPLICATION_FIELDS = (
    "founded_on",
    "kind",
    "staff",
    "industry",
    "revenue",
    "zone",
    "qualification_number",
    "certificate_date",
    "incubator_name",
    "incubator_operator",
    "incubator_credit_code",
    "talent_name",
    "talent_programme",
    "talent_level",
)
APPLICATION_FILES = ("financial_report", "evidence")
WAN = Decimal("10000")
# 高企 certificates stay valid three years from their issue date.
CERTIFICATE_YEARS = 3


def _text(data: dict, name: str, limit: int = 100) -> str:
    return str(data.get(name) or "").strip()[:limit]


def _date(value) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def revenue_limit_text(limit: Decimal) -> str:
    """The policy's revenue limit (万元) as the guide says it: "40,000 万元（4 亿元）"."""
    text = f"{limit:,.2f}".rstrip("0").rstrip(".") + " 万元"
    if limit >= WAN:
        text += "（" + f"{limit / WAN:,.4f}".rstrip("0").rstrip(".") + " 亿元）"
    return text


def _application_form(data: dict, org: Organisation, *, today: dt.date, policy: Policy) -> dict:
    """The checked application form (what the 信息表 prints), or ValidationError per field."""
    errors: dict[str, list[str]] = {}
    kind = _text(data, "kind", 16) or org.qualification
    if kind not in APPLICATION_TYPES:
        errors["kind"] = ["请选择企业类型：科技型中小企业、高新技术企业、在孵企业或人才企业。"]
    try:
        staff = int(str(data.get("staff", "")).strip())
        if staff < 0:
            raise ValueError
    except ValueError:
        errors["staff"] = ["请填写职工人数（非负整数）。"]
        staff = None
    industry = _text(data, "industry")
    if not industry:
        errors["industry"] = ["请填写所属行业。"]
    revenue = None
    try:
        revenue = money(str(data.get("revenue", "")).strip())
        if revenue < 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["revenue"] = ["请填写上年度营业收入（万元）。"]
        revenue = None
    # Jiangsu: prior-year revenue of at most the policy's limit (万元; none: no limit).
    if revenue is not None and policy.revenue_limit is not None and revenue > policy.revenue_limit:
        errors["revenue"] = [
            f"上年度营业收入 {revenue:,.2f} 万元，超过 {revenue_limit_text(policy.revenue_limit)}，"
            "不在创新券支持范围内。"
        ]
    # 注册成立时间 is the organisation's (like the name, credit code, legal representative and
    # address the form prints from the record): the record's date where it holds one (a date
    # left out means that one, another is refused); else the form asks, and :func:`apply`
    # records it (``accounts.services.founding_date_record``).
    held = org.founded_on
    founded = _date(data.get("founded_on")) or held
    if founded is None:
        errors["founded_on"] = ["请填写注册成立时间（YYYY-MM-DD）。"]
    elif founded > today:
        errors["founded_on"] = ["注册成立时间不能晚于今天。"]
    elif held is not None and founded != held:
        errors["founded_on"] = [accounts_services.founding_date_held(org)]
    form: dict = {"kind": kind, "staff": staff, "industry": industry}
    form["founded_on"] = founded.isoformat() if founded else ""
    number = _text(data, "qualification_number", 64)
    if kind == Qualification.TECH_SME:
        if not number:
            errors["qualification_number"] = [f"请填写 {today.year} 年度科技型中小企业入库编号。"]
        elif not number.startswith(str(today.year)):
            errors["qualification_number"] = [
                f"科小入库编号须为 {today.year} 年度的编号（以 {today.year} 开头），请先完成本年度科小评价入库。"
            ]
        form["qualification_number"] = number
    elif kind == Qualification.HIGH_TECH:
        if not re.fullmatch(r"GR\d{12}", number.upper()):
            errors["qualification_number"] = ["请填写高新技术企业证书编号（GR 加 12 位数字，如 GR202232001234）。"]
        issued = _date(data.get("certificate_date"))
        if issued is None:
            errors["certificate_date"] = ["请填写高企证书发证日期（YYYY-MM-DD）。"]
        elif issued > today:
            errors["certificate_date"] = ["发证日期不能晚于今天。"]
        elif issued < (earliest := _years_before(today, CERTIFICATE_YEARS)):
            errors["certificate_date"] = [
                f"高企证书已超过 {CERTIFICATE_YEARS} 年有效期：发证日期须在 {earliest} 及以后。"
            ]
        form["qualification_number"] = number.upper()
        form["certificate_date"] = issued.isoformat() if isinstance(issued, dt.date) else ""
    elif kind == Qualification.INCUBATED:
        for name, label in (("incubator_name", "入驻的孵化器名称"), ("incubator_operator", "孵化器运营主体")):
            form[name] = _text(data, name)
            if not form[name]:
                errors[name] = [f"请填写{label}。"]
        try:
            form["incubator_credit_code"] = normalise_credit_code(_text(data, "incubator_credit_code", 40))
        except ValidationError as exc:
            errors["incubator_credit_code"] = [f"孵化器运营主体的{exc.messages[0]}"]
        form["qualification_number"] = number
    elif kind == Qualification.TALENT:
        for name, label in (("talent_name", "人才姓名"), ("talent_programme", "人才计划/项目名称")):
            form[name] = _text(data, name)
            if not form[name]:
                errors[name] = [f"请填写{label}。"]
        form["talent_level"] = _text(data, "talent_level", 40)
        form["qualification_number"] = number
    if errors:
        raise ValidationError(errors)
    # The zone the applicant registered in (its authority reviews the application), else what it wrote.
    form["zone"] = org.zone.name if org.zone_id else _text(data, "zone")
    form["revenue"] = str(revenue)  # 万元
    return form


def _check_files(kind: str, files: dict) -> dict:
    """The uploads the type needs, each checked from its bytes: ``{name: (upload, mime)}``."""
    errors: dict[str, list[str]] = {}
    checked = {}
    needed = {"financial_report": "请上传上年度财务报表或财务审计报告。"}
    if kind == Qualification.INCUBATED:
        needed["evidence"] = "请上传孵化器运营主体盖章的入孵证明（入孵协议等）。"
    elif kind == Qualification.TALENT:
        needed["evidence"] = "请上传人才入选证明及与企业的关系证明材料。"
    for name in APPLICATION_FILES:
        upload = files.get(name)
        if upload is None:
            if name in needed:
                errors[name] = [needed[name]]
            continue
        try:
            checked[name] = (upload, uploads.check(upload))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return checked


def apply(*, by: User, data: dict, files: dict | None = None) -> EntitlementClaim:
    """Jiangsu: fill in the yearly application (资格申请) with its evidence. The claim then
    waits (待上传) for its printed form (:func:`application_form_pdf`) to come back stamped
    (:func:`upload_stamped_form`).

    The founding date (注册成立时间) is a fact of the organisation: ``data["founded_on"]`` may
    be left out where the record holds one, and if given must equal it (a certified record's
    facts are not changed from an application). A record without one gets the date applied
    with, in the same transaction — filled once, never overwritten
    (``accounts.services.founding_date_record``); an application refused for any other
    reason records nothing."""
    org = _require_applicant(by, province_policy(timezone.localdate().year))
    policy = _policy_for(Entitlement.APPLICATION)
    form = _application_form(data, org, today=timezone.localdate(), policy=policy)
    checked = _check_files(form["kind"], files or {})
    amount = annual_cap(policy, applicant_kind=org.kind, qualification=form["kind"], city_adcode=_city(org))
    if amount <= 0:
        raise ValidationError("本单位不在本年度创新券额度范围内。")
    with transaction.atomic():
        org = ledger.lock_applicant(org.pk)
        _refuse_second(org, policy)
        accounts_services.founding_date_record(org=org, by=by, founded_on=dt.date.fromisoformat(form["founded_on"]))
        claim = _new_claim(org=org, policy=policy, amount=amount, by=by, status=ClaimStatus.TO_UPLOAD, form=form)
        for name, (upload, mime) in checked.items():
            getattr(claim, name).name = uploads.store(getattr(claim, name), claim, upload, mime)
        claim.save(update_fields=list(checked))
    return claim


def application_form_pdf(*, claim: EntitlementClaim, by: User) -> bytes:
    """The filled 企业申领创新券信息表 as a PDF to print, stamp and upload. The applicant's own
    download is what lets it upload the stamped scan (``form_printed_at``)."""
    # why: the PDF module pulls in WeasyPrint's helpers; only this download needs them.
    from vouchers.entitlements.documents import render_application_pdf

    if not claim.form.get("kind"):
        raise ValidationError("该申领没有申请信息表。")
    pdf = render_application_pdf(claim)
    record_form_printed(claim=claim, by=by)
    return pdf


def record_form_printed(*, claim: EntitlementClaim, by: User) -> None:
    """The applicant has its form to print (its first download; the demo's seeding)."""
    if claim.status == ClaimStatus.TO_UPLOAD and by.organisation_id == claim.organisation_id:
        EntitlementClaim.objects.filter(pk=claim.pk, form_printed_at__isnull=True).update(
            form_printed_at=timezone.now()
        )
        claim.refresh_from_db(fields=["form_printed_at"])


def upload_stamped_form(*, claim: EntitlementClaim, by: User, upload) -> EntitlementClaim:
    """The applicant uploads its printed, stamped form: the application goes to its S&T
    authority; 科小 is granted at once."""
    if upload is None:
        raise ValidationError({"stamped_form": ["请上传盖章后的申领表。"]})
    with transaction.atomic():
        ledger.lock_applicant(claim.organisation_id)
        claim = ledger.lock_claim(claim.pk)
        move = CLAIM.require(claim, by, "upload")
        try:
            mime = uploads.check(upload)
        except ValidationError as exc:
            raise ValidationError({"stamped_form": exc.messages}) from None
        claim.stamped_form.name = uploads.store(claim.stamped_form, claim, upload, mime)
        CLAIM.move(claim, move.target, by=by, note="上传盖章申领表")
        claim.save(update_fields=["stamped_form", "status"])
        org = claim.organisation
        if claim.form.get("kind") == Qualification.TECH_SME:
            number = claim.form.get("qualification_number", "")
            CLAIM.move(claim, ClaimStatus.GRANTED, by=None, note=f"科技型中小企业即时通过（入库编号 {number}）")
            claim.decided_at = timezone.now()
            claim.save(update_fields=["status", "decided_at"])
            _grant(claim, by, "科技型中小企业即时通过")
        else:
            region = org.region
            adcodes = [region.adcode, region.parent_id] if region else []
            authorities = User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__region_id__in=adcodes)
            if org.zone_id:
                authorities = User.objects.filter(organisation_id=org.zone_id)
            notify(
                users=authorities,
                title=f"待审核额度申请：{claim.number}",
                body=f"{org.name} · {claim.amount:,.2f} 元",
                url="/vouchers/claims/",
            )
    return claim


@transaction.atomic
def decide(*, claim: EntitlementClaim, by: User, approve: bool, note: str = "") -> EntitlementClaim:
    """The authority grants or refuses a submitted application (a refusal gives a reason)."""
    ledger.lock_applicant(claim.organisation_id)
    claim = ledger.lock_claim(claim.pk)
    move = CLAIM.require(claim, by, "grant" if approve else "refuse")
    if not approve and not note.strip():
        raise ValidationError({"note": ["不予通过须说明原因。"]})
    CLAIM.move(claim, move.target, by=by, note=note or "同意")
    claim.decided_at = timezone.now()
    claim.note = note[:300]
    claim.save(update_fields=["status", "decided_at", "note"])
    if approve:
        _grant(claim, by, "审核通过")
    else:
        notify_organisation(
            organisation=claim.organisation,
            title=f"额度申请未通过：{claim.number}",
            body=note,
            url="/vouchers/wallet/",
            sms=True,
        )
    return claim


@transaction.atomic
def claim_amount(*, by: User, amount) -> EntitlementClaim:
    """Zhejiang: claim any amount within the per-claim, yearly and holding caps, at once."""
    org = _require_applicant(by)
    policy = _policy_for(Entitlement.CLAIM)
    try:
        amount = money(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": ["请填写申领金额（元）。"]}) from None
    if amount <= 0:
        raise ValidationError({"amount": ["申领金额须大于 0。"]})
    ledger.lock_applicant(org.pk)
    caps = claim_caps(policy, org)
    claimed = ledger.entitlement_granted(org, policy.year)
    held = ledger.entitlement_left(org, policy.year)
    if caps.each_cap is not None and amount > caps.each_cap:
        raise ValidationError({"amount": [f"单次申领不能超过 {caps.each_cap:,.2f} 元。"]})
    if caps.year_cap is not None and claimed + amount > caps.year_cap:
        left = max(ZERO, caps.year_cap - claimed)
        raise ValidationError({"amount": [f"超过年度申领上限 {caps.year_cap:,.2f} 元：还可申领 {left:,.2f} 元。"]})
    if caps.holding_cap is not None and held + amount > caps.holding_cap:
        raise ValidationError(
            {"amount": [f"持有未使用额度不能超过 {caps.holding_cap:,.2f} 元（现持有 {held:,.2f} 元）。"]}
        )
    claim = _new_claim(org=org, policy=policy, amount=amount, by=by, status=ClaimStatus.SUBMITTED)
    CLAIM.move(claim, ClaimStatus.GRANTED, by=None, note="额度内申领，无需审核")
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_at"])
    _grant(claim, by, "额度内申领")
    return claim


@transaction.atomic
def claim_caps_set(*, by: User, year: int, data: dict) -> Policy:
    """A county or city bureau sets its region's claim caps for ``year`` (Zhejiang: 申领额度 is
    within the local bureau's caps). Kept on the region's policy record (which also holds a
    county's top-up rate).

    The rules, each refused with the figure it breaks (Chinese, per field):

    * each cap is a positive amount, or empty (= the higher levels' cap);
    * a lower level may only tighten: no cap above the same cap of the levels above — a
      county's at most its city bureau's and the province's, a city's at most the
      province's (the yearly, per-claim and holding caps alike);
    * the per-claim and holding caps are at most the yearly cap that applies (its own, else
      the higher levels')."""
    if by.role != Role.BUREAU or by.organisation is None or by.organisation.region_id is None:
        raise PermissionDenied("只有市县科技局可以设置本地区的申领上限。")
    policy = province_policy(year, required=True)
    if policy.entitlement != Entitlement.CLAIM:
        raise ValidationError(f"{year} 年度的方案是“{Entitlement(policy.entitlement).label}”，没有申领上限可设。")
    values: dict[str, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for name in CAP_FIELDS:
        raw = data.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            values[name] = money(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors[name] = ["请填写金额（元），或留空沿用上级上限。"]
            continue
        if values[name] <= 0:
            errors[name] = ["上限须大于 0。"]
    if not errors:
        above = caps_above(policy, by.organisation.region)
        for name, label in CAP_FIELDS_LABELLED:
            higher, level = above[name]
            if values[name] is not None and higher is not None and values[name] > higher:
                errors[name] = [f"{label}不能高于{level}上限 {higher:,.2f} 元：下级科技局只能在上级上限内收紧。"]
        year_cap = values["claim_year_cap"] if values["claim_year_cap"] is not None else above["claim_year_cap"][0]
        for name, label in CAP_FIELDS_LABELLED[1:]:
            if name not in errors and values[name] is not None and year_cap is not None and values[name] > year_cap:
                errors[name] = [f"{label}不能超过年度累计申领上限 {year_cap:,.2f} 元。"]
    if errors:
        raise ValidationError(errors)
    region = by.organisation.region
    record = Policy.objects.filter(year=year, region=region).first()
    if record is None:
        record = Policy(year=year, region=region, name=f"{region.name}{year}年度申领上限")
    else:
        record = ledger.lock_policy(record.pk)
    for name, value in values.items():
        setattr(record, name, value)
    record.full_clean()
    record.save()
    return record


def lapse(*, today: dt.date | None = None) -> int:
    """Void what is left of entitlements whose claims' validity has ended (year end where
    the scheme says so); each applicant and year in its own transaction. Returns how many."""
    today = today or timezone.localdate()
    done = 0
    keys = EntitlementClaim.objects.filter(status=ClaimStatus.GRANTED).values_list("organisation_id", "year").distinct()
    for org_id, year in keys:
        latest = (
            EntitlementClaim.objects.filter(organisation_id=org_id, year=year, status=ClaimStatus.GRANTED)
            .order_by("-valid_until")
            .values_list("valid_until", flat=True)
            .first()
        )
        if latest is None or latest >= today:
            continue
        with transaction.atomic():
            org = ledger.lock_applicant(org_id)
            left = ledger.entitlement_left(org, year)
            if left <= 0:
                continue
            ledger.post(
                LedgerKind.LAPSE,
                year=year,
                note=f"有效期至 {latest}，未使用额度作废",
                legs=[Leg(LedgerAccount.ENTITLEMENT, -left, organisation=org)],
            )
            done += 1
    return done


# --- R&D project registration (项目登记, Henan) ------------------------------------------------


def has_approved_project(org: Organisation, year: int) -> bool:
    return ProjectRegistration.objects.filter(organisation=org, year=year, status=ProjectStatus.APPROVED).exists()


def _project_fields(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    title = str(data.get("title") or "").strip()[:200]
    summary = str(data.get("summary") or "").strip()[:2000]
    if not title:
        errors["title"] = ["请填写项目名称。"]
    if not summary:
        errors["summary"] = ["请填写研究内容。"]
    try:
        budget = money(str(data.get("budget", "")).strip())
        if budget <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["budget"] = ["请填写大于 0 的项目预算（元）。"]
        budget = None
    dates = {}
    for name, label in (("starts_on", "开始日期"), ("ends_on", "结束日期")):
        value = data.get(name)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, dt.date):
            errors[name] = [f"请填写{label}（YYYY-MM-DD）。"]
        dates[name] = value
    if not errors and dates["ends_on"] < dates["starts_on"]:
        errors["ends_on"] = ["结束日期不能早于开始日期。"]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "summary": summary, "budget": budget, **dates}


@transaction.atomic
def project_register(*, by: User, data: dict) -> ProjectRegistration:
    """Register this year's R&D project for the platform's review (where the scheme asks)."""
    org = _require_applicant(by)
    year = timezone.localdate().year
    policy = province_policy(year, required=True)
    if not policy.project_registration:
        raise ValidationError(f"{year} 年度的方案不要求登记研发项目。")
    fields = _project_fields(data)
    project = ProjectRegistration(organisation=org, year=year, created_by=by, **fields)
    save_with_number(project, lambda p: province.number("XM", f"{p.year}{p.pk:07d}"))
    PROJECT.created(project, by=by, note=f"登记项目：{project.title}")
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR),
        title=f"待审核研发项目登记：{project.number}",
        body=f"{org.name} · {project.title}",
        url="/vouchers/projects/",
    )
    return project


@transaction.atomic
def project_review(*, project: ProjectRegistration, by: User, approve: bool, note: str = "") -> ProjectRegistration:
    project = ledger.lock_project(project.pk)
    move = PROJECT.require(project, by, "approve" if approve else "return")
    if not approve and not note.strip():
        raise ValidationError({"note": ["退回须说明原因。"]})
    PROJECT.move(project, move.target, by=by, note=note or "审核通过")
    project.note = note[:300]
    project.save(update_fields=["status", "note"])
    notify_organisation(
        organisation=project.organisation,
        title=f"研发项目登记{'已通过' if approve else '被退回'}：{project.number}",
        body=note,
        url="/vouchers/wallet/",
        sms=True,
    )
    return project


@transaction.atomic
def project_resubmit(*, project: ProjectRegistration, by: User, data: dict) -> ProjectRegistration:
    """The applicant corrects a returned registration and sends it back to the platform."""
    project = ledger.lock_project(project.pk)
    PROJECT.require(project, by, "resubmit")
    for name, value in _project_fields(data).items():
        setattr(project, name, value)
    PROJECT.move(project, ProjectStatus.SUBMITTED, by=by, note="修改后重新提交")
    project.save()
    return project
