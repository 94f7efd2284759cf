"""The wallet (我的额度), the claims queue (额度审核) and the R&D project registrations (项目登记)
pages: one GET page each, one small POST view per action (claim, grant, refuse, register,
approve, return), all through ``vouchers.entitlements.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import province
from accounts.actors import only
from accounts.models import BankAccount, Role
from mapsite import uploads
from mapsite.forms import apply_service_errors
from vouchers import ledger
from vouchers.entitlements import services as entitlements
from vouchers.entitlements.documents import TYPE_LABELS, application_rows
from vouchers.entitlements.forms import (
    AmountClaimForm,
    ApplicationForm,
    ClaimCapsForm,
    DecisionNoteForm,
    ProjectForm,
    QuotaClaimForm,
    StampedFormForm,
)
from vouchers.models import ClaimStatus, Entitlement, EntitlementClaim, Policy, ProjectStatus, Voucher
from vouchers.permissions import claims_visible_to, projects_visible_to
from vouchers.policies import labels
from vouchers.policies.records import province_policy
from vouchers.transitions import available_moves

CLAIM_FORMS = {
    Entitlement.QUOTA: QuotaClaimForm,
    Entitlement.CLAIM: AmountClaimForm,
    Entitlement.APPLICATION: ApplicationForm,
}
REVIEW_ROLES = (Role.BUREAU, Role.OPERATOR, Role.CENTRE)

# The claims queue's hint: only the year's scheme's own claim rule (Entitlement), never the
# other provinces' (the walk-through found Jiangsu's page naming Henan's and Zhejiang's).
CLAIM_RULES = {
    Entitlement.NONE: "本年度方案无需申领额度：年度上限由已发券金额占用，在此仅可查看往年的申请。",
    Entitlement.QUOTA: "固定额度领取即时生效，无需审核，在此仅供查看。",
    Entitlement.APPLICATION: "科技型中小企业的年度资格申请即时通过，其余由申请单位所在地科技局审核。",
    Entitlement.CLAIM: "额度内自主申领即时生效，无需审核，在此仅供查看。",
}


def _claim_form(form_class, policy, org, *args, **kwargs):
    """The year's claim form; the application form states the policy's revenue limit and
    shows the founding date the organisation's record holds."""
    if form_class is ApplicationForm:
        kwargs["revenue_limit"] = policy.revenue_limit
        kwargs["founded_on"] = org.founded_on
    return form_class(*args, **kwargs)


def _printed_record(org) -> list[tuple[str, str]]:
    """What the printed application takes from the organisation's record (label, value)."""
    region = org.region
    place = " ".join(r.name for r in (region.parent, region) if r) if region else ""
    bank = BankAccount.objects.filter(organisation=org).first()
    missing = "未填写"
    return [
        ("单位名称", org.name),
        ("统一社会信用代码", org.credit_code or missing),
        ("法定代表人", org.legal_representative or missing),
        ("注册地址", f"{place} {org.registered_address}".strip() if org.registered_address else missing),
        # The person first; the phone and e-mail on their own line (never in the person's place).
        ("联系人", org.contact_name or missing),
        ("联系电话/邮箱", " · ".join(x for x in (org.contact_phone, org.contact_email) if x) or missing),
        ("企业账户", str(bank) if bank else missing),
    ]


def _require_applicant(user) -> None:
    if user.role != Role.APPLICANT or user.organisation is None:
        raise PermissionDenied("只有创新主体有额度钱包。")


PROJECT_FIELDS = ("title", "summary", "budget", "starts_on", "ends_on")


def _correction_form(project, bound: dict):
    """The form that corrects a returned registration: the bound one after a failed POST,
    else one filled with what was registered."""
    if project.pk in bound:
        return bound[project.pk]
    return ProjectForm(prefix=f"p{project.pk}", initial={name: getattr(project, name) for name in PROJECT_FIELDS})


def _wallet_page(
    request,
    form=None,
    status: int = 200,
    project_form=None,
    corrections: dict | None = None,
    stamped: dict | None = None,
):
    """The applicant's wallet; where the scheme registers R&D projects (Henan), its projects
    — a returned one with its correction form (filled with what was registered), a new
    registration only while there is none."""
    this_year = timezone.localdate().year
    org = request.user.organisation
    # ?year= shows an earlier year's wallet (read only: claims and projects are this year's).
    years = sorted(
        {this_year}
        | set(EntitlementClaim.objects.filter(organisation=org).values_list("year", flat=True))
        | set(Voucher.objects.filter(enterprise=org).values_list("year", flat=True)),
        reverse=True,
    )
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else this_year
    wallet = entitlements.wallet(org, year)
    policy = province_policy(year)
    # Claiming and registering need a certified organisation: until then the page says why
    # (with the way to certification) instead of offering forms the services would refuse.
    certified = org.is_certified
    may_act = certified and year == this_year
    # A fixed quota of 0 (an applicant the scheme's qualifications do not cover) has nothing
    # to claim and no orders to register a project for: the page says so instead.
    zero_quota = wallet.rule == Entitlement.QUOTA and wallet.cap is not None and wallet.cap <= 0
    # An applicant the scheme does not take at all (an individual under Jiangsu's enterprise
    # application) is told why instead of being offered the form.
    form_class = None if zero_quota or wallet.refusal else CLAIM_FORMS.get(wallet.rule)
    if wallet.refusal:
        form = None
    if form is None and form_class is not None and wallet.still_claimable and may_act:
        form = _claim_form(form_class, policy, org, initial={"kind": org.qualification})
    projects = list(projects_visible_to(request.user).filter(year=year)) if policy.project_registration else []
    if policy.project_registration and project_form is None and not projects and may_act and not zero_quota:
        project_form = ProjectForm(initial={"starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"})
    rows = []
    for p in projects:
        moves = available_moves(p, request.user)
        fix = _correction_form(p, corrections or {}) if "resubmit" in moves and certified else None
        rows.append({"project": p, "moves": moves, "correction": fix})
    claim_rows = [
        {
            "claim": c,
            "to_upload": c.status == ClaimStatus.TO_UPLOAD,
            "stamped_form": (stamped or {}).get(c.pk) or StampedFormForm(prefix=f"c{c.pk}"),
        }
        for c in wallet.claims
    ]
    vouchers = labels.label_all(
        labels.with_last_redemption(
            Voucher.objects.filter(enterprise=org, year=year).select_related("institution__organisation")
        ).order_by("-issued_at", "-id")
    )
    adjustments = ledger.voucher_adjustments(vouchers)
    for v in vouchers:
        v.adjustment, v.value = adjustments.get(v.pk), ledger.voucher_value(v)
    return render(
        request,
        "vouchers/entitlements/wallet.html",
        {
            "wallet": wallet,
            "claim_rows": claim_rows,
            "form": form,
            "policy": policy,
            "projects": rows,
            "project_form": project_form,
            "certified": certified,
            "years": years,
            "this_year": this_year,
            "zero_quota": zero_quota,
            # the integrity pledge the claim's checkbox signs, in the province's words
            "pledges": province.current().pledges(proof_workdays=policy.proof_workdays),
            "ent": org,
            # Jiangsu's form prints these from the organisation's record: shown read-only.
            "record": _printed_record(org) if form is not None and wallet.rule == Entitlement.APPLICATION else None,
            "claim_needs_certificate": year == this_year
            and not certified
            and not wallet.refusal
            and (form_class is not None and bool(wallet.still_claimable) or policy.project_registration),
            "vouchers": vouchers,
        },
        status=status,
    )


@login_required
@require_safe
def wallet(request):
    _require_applicant(request.user)
    return _wallet_page(request)


@login_required
@require_POST
def wallet_claim(request):
    """Claim by the year's rule: the quota with its pledge, an amount, or the application."""
    user = request.user
    _require_applicant(user)
    rule = province_policy(timezone.localdate().year).entitlement
    form_class = CLAIM_FORMS.get(rule)
    if form_class is None:
        messages.error(request, "本年度方案无需申领额度。")
        return redirect("vouchers:wallet")
    form = _claim_form(
        form_class, province_policy(timezone.localdate().year), user.organisation, request.POST, request.FILES
    )
    if not form.is_valid():
        return _wallet_page(request, form, status=400)
    data = form.cleaned_data
    try:
        if rule == Entitlement.QUOTA:
            claim = entitlements.claim_quota(by=user, pledge=data["pledge"])
        elif rule == Entitlement.CLAIM:
            claim = entitlements.claim_amount(by=user, amount=data["amount"])
        else:
            fields = {name: data.get(name) for name in entitlements.APPLICATION_FIELDS}
            files = {name: data[name] for name in entitlements.APPLICATION_FILES if data.get(name)}
            claim = entitlements.apply(by=user, data=fields, files=files)
    except PermissionDenied as exc:
        # The scheme does not take this applicant: the page says why (a 403), nothing kept.
        messages.error(request, str(exc))
        return _wallet_page(request, status=403)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _wallet_page(request, form, status=400)
    if claim.status == ClaimStatus.TO_UPLOAD:
        messages.success(
            request, f"申请信息已保存（{claim.number}）：请下载申领表，打印、签字盖章后上传，才会提交审核。"
        )
    else:
        _decided_message(request, claim)
    return redirect("vouchers:wallet")


@login_required
@require_safe
def claim_list(request):
    user = request.user
    if user.role not in REVIEW_ROLES:
        raise PermissionDenied(only("查看额度申请", "科技主管部门", "运营单位"))
    claims = claims_visible_to(user)
    status = request.GET.get("status", "")
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    rows = [
        {
            "claim": c,
            "moves": available_moves(c, user),
            "type_label": TYPE_LABELS.get((c.form or {}).get("kind", ""), ""),
            "type_rows": application_rows(c),
        }
        for c in claims[:200]
    ]
    policy = province_policy(timezone.localdate().year)
    return render(
        request,
        "vouchers/entitlements/claims.html",
        {
            "rows": rows,
            "status": status,
            "statuses": ClaimStatus.choices,
            "form": DecisionNoteForm(),
            "rule": CLAIM_RULES.get(policy.entitlement, ""),
            # Local claim caps exist only where the year's scheme claims within caps (Zhejiang).
            "caps_link": user.role == Role.BUREAU and policy.entitlement == Entitlement.CLAIM,
        },
    )


def _decision_views(*, visible, act, noun: str, words: tuple[str, str], back: str):
    """The two POST views of a reviewer's decision on an applicant's request (approve, or
    not with a note): the object among those ``visible`` to the user, the service ``act``,
    a message naming the outcome (``words``: approved, refused), back to the queue."""

    def decide(request, pk: int, approve: bool):
        obj = get_object_or_404(visible(request.user), pk=pk)
        form = DecisionNoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            act(obj, request.user, approve, note)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{noun} {obj.number} 已{words[0] if approve else words[1]}。")
        return redirect(back)

    @login_required
    @require_POST
    def approve_view(request, pk: int):
        return decide(request, pk, True)

    @login_required
    @require_POST
    def refuse_view(request, pk: int):
        return decide(request, pk, False)

    return approve_view, refuse_view


claim_grant, claim_refuse = _decision_views(
    visible=claims_visible_to,
    act=lambda claim, by, approve, note: entitlements.decide(claim=claim, by=by, approve=approve, note=note),
    noun="额度申请",
    words=("通过", "不予通过"),
    back="vouchers:claims",
)


@login_required
@require_safe
def claim_form_file(request, pk: int):
    """The stamped application form: the applicant, its authority and the staff."""
    claim = get_object_or_404(claims_visible_to(request.user).exclude(stamped_form=""), pk=pk)
    return uploads.serve(claim.stamped_form, download_name=f"{claim.number}-申请表")


@login_required
@require_safe
def claim_application_pdf(request, pk: int):
    """Jiangsu: the filled 信息表 as a PDF (the applicant prints, stamps and uploads it)."""
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    try:
        pdf = entitlements.application_form_pdf(claim=claim, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("vouchers:wallet")
    # why: the API module holds the one response builder for this PDF (headers, file name).
    from vouchers.entitlements.api import application_pdf_response

    return application_pdf_response(claim, pdf)


@login_required
@require_POST
def claim_stamped_upload(request, pk: int):
    """Jiangsu: upload the stamped 信息表; the application goes to its authority (科小: granted)."""
    _require_applicant(request.user)
    claim = get_object_or_404(claims_visible_to(request.user), pk=pk)
    form = StampedFormForm(request.POST, request.FILES, prefix=f"c{claim.pk}")
    if form.is_valid():
        try:
            claim = entitlements.upload_stamped_form(
                claim=claim, by=request.user, upload=form.cleaned_data["stamped_form"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _decided_message(request, claim)
            return redirect("vouchers:wallet")
    return _wallet_page(request, status=400, stamped={claim.pk: form})


def _decided_message(request, claim) -> None:
    if claim.status == ClaimStatus.GRANTED:
        messages.success(request, f"额度已核定：{claim.amount:,.2f} 元，有效期至 {claim.valid_until:%Y-%m-%d}。")
    else:
        messages.success(request, f"额度申请 {claim.number} 已提交，等待科技主管部门审核。")


@login_required
@require_safe
def claim_evidence_file(request, pk: int, which: str):
    """The application's evidence (financial report, the type's proof): the applicant, its
    authority and the staff."""
    if which not in entitlements.APPLICATION_FILES:
        raise Http404
    claim = get_object_or_404(claims_visible_to(request.user).exclude(**{which: ""}), pk=pk)
    label = "财务报表" if which == "financial_report" else "资格证明"
    return uploads.serve(getattr(claim, which), download_name=f"{claim.number}-{label}")


# --- R&D project registrations ---------------------------------------------------------------


@login_required
@require_POST
def project_register(request):
    _require_applicant(request.user)
    form = ProjectForm(request.POST)
    if not form.is_valid():
        return _wallet_page(request, status=400, project_form=form)
    try:
        project = entitlements.project_register(by=request.user, data=form.cleaned_data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _wallet_page(request, status=400, project_form=form)
    messages.success(request, f"研发项目 {project.number} 已登记，等待平台审核。")
    return redirect("vouchers:wallet")


@login_required
@require_POST
def project_resubmit(request, pk: int):
    """The applicant corrects its returned registration and sends it back to the platform."""
    _require_applicant(request.user)
    project = get_object_or_404(projects_visible_to(request.user), pk=pk)
    form = ProjectForm(request.POST, prefix=f"p{project.pk}")
    if form.is_valid():
        try:
            entitlements.project_resubmit(project=project, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"研发项目 {project.number} 已修改并重新提交，等待平台审核。")
            return redirect("vouchers:wallet")
    return _wallet_page(request, status=400, corrections={project.pk: form})


@login_required
@require_safe
def project_list(request):
    user = request.user
    if user.role not in REVIEW_ROLES:
        raise PermissionDenied(only("查看研发项目登记", "科技主管部门", "运营单位"))
    projects = projects_visible_to(user)
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    rows = [{"project": p, "moves": available_moves(p, user)} for p in projects[:200]]
    return render(
        request,
        "vouchers/entitlements/projects.html",
        {"rows": rows, "status": status, "statuses": ProjectStatus.choices},
    )


project_approve, project_return = _decision_views(
    visible=projects_visible_to,
    act=lambda project, by, approve, note: entitlements.project_review(
        project=project, by=by, approve=approve, note=note
    ),
    noun="研发项目",
    words=("通过", "退回"),
    back="vouchers:projects",
)


@login_required
@require_http_methods(["GET", "POST"])
def claim_caps(request):
    """The bureau's own claim caps (claim schemes): what applies in its region, and a form."""
    user = request.user
    if user.role != Role.BUREAU or user.organisation is None or user.organisation.region_id is None:
        raise PermissionDenied("只有市县科技局可以设置本地区的申领上限。")
    year = timezone.localdate().year
    policy = province_policy(year)
    region = user.organisation.region
    own = Policy.objects.filter(year=year, region=region).first()
    # The form shows what this bureau saved (an empty field: the higher levels' cap applies).
    initial = {name: getattr(own, name) for name in entitlements.CAP_FIELDS} if own else {}
    is_claim = policy is not None and policy.entitlement == Entitlement.CLAIM
    above = entitlements.caps_above(policy, region) if is_claim else None
    form = ClaimCapsForm(request.POST or None, initial=initial, above=above)
    if request.method == "POST" and form.is_valid():
        try:
            entitlements.claim_caps_set(by=user, year=year, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "本地区申领上限已保存，即时适用于本地区企业的新申领。")
            return redirect("vouchers:claim_caps")
    caps = entitlements.claim_caps(policy, region_ids=[r for r in (region.pk, region.parent_id) if r])
    return render(
        request,
        "vouchers/entitlements/caps.html",
        {
            "form": form,
            "caps": caps,
            "policy": policy,
            "region": region,
            "is_claim": is_claim,
        },
        status=400 if request.method == "POST" else 200,
    )
