"""Settlement pages (SPEC §5.3–5.4): paying with a voucher, use proofs and rating, the work
queue, redemptions, payout batches with public notice (公示) and objections, bank exports and
the budget.

Views stay thin: reads go through ``vouchers.settlement.selectors``, writes through
``vouchers.settlement``, whose ValidationError becomes form errors (never a 500) and whose
PermissionDenied becomes a 403. Something owned by others (a voucher's use, a proof, a
redemption) answers 404 so its existence does not leak; a page for a role the user lacks
(queue, batches, budget) answers 403.
"""

from __future__ import annotations

import csv
import io
import uuid
from decimal import Decimal, InvalidOperation
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.actors import only, role_name
from accounts.models import BankAccount, Role
from mapsite.forms import apply_service_errors
from vouchers import settlement
from vouchers.contracts.document_views import _stream_private
from vouchers.models import (
    PROOFS_READY,
    BatchStatus,
    LedgerAccount,
    Objection,
    PayeeChoice,
    PayoutBatch,
    PayoutCycle,
    ProofBy,
    ProofKind,
    ProofStatus,
    RedemptionStatus,
    VoucherStatus,
)
from vouchers.names import account_label, level_name
from vouchers.permissions import ALL_BUDGETS, budget_scope, may_set_budget
from vouchers.policies import labels
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import batch_cycles, payout_cycle_text
from vouchers.settlement import registration
from vouchers.settlement import selectors as sel
from vouchers.settlement.forms import (
    BatchCreateForm,
    BudgetForm,
    DecisionForm,
    EmptyForm,
    NoteForm,
    ObjectionForm,
    PayForm,
    ProofForm,
    RatingForm,
    RedemptionRequestForm,
    ResolveForm,
    UseRegistrationForm,
)
from vouchers.settlement.use import proof_kinds, proofs_asked, receipt_required, receipts_match
from vouchers.transitions import (
    PROOF_DENIED,
    REDEMPTION,
    VOUCHER,
    available_moves,
    proves,
    redemption_chain,
)

LIST_LIMIT = 200
EXPORT_HEADER = [
    "收款单位", "统一社会信用代码", "金额（元）", "兑付申请编号", "创新券", "状态",
    "开户银行", "开户行行号", "账户名称", "银行账号",
]  # fmt: skip


def _require_role(user, *roles, message: str = "您的角色不能访问该页面。") -> None:
    if user.role not in roles:
        raise PermissionDenied(message)


def _require_staff(user) -> None:
    _require_role(user, Role.OPERATOR, Role.CENTRE, message=only("访问该页面", "运营单位"))


def _require_centre(user) -> None:
    _require_role(user, Role.CENTRE, message=only("执行该操作"))


def _posted_pk(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _error_message(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


# --- Paying with a voucher --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def voucher_pay(request, pk: int):
    user = request.user
    voucher, use = sel.get_use_for_user(user, pk)
    if user.organisation_id != voucher.enterprise_id:
        raise PermissionDenied("只有申领创新券的企业可以用券支付。")
    if request.method == "GET":
        if use is not None:
            messages.info(request, "该创新券已使用，以下是使用记录。")
            return redirect("vouchers:use", pk=voucher.pk)
        form = PayForm(initial={"idempotency_key": uuid.uuid4().hex})
    else:
        form = PayForm(request.POST)
        if not form.is_valid():
            # A missing or mangled key: start again from a freshly rendered page and key.
            messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
            return redirect("vouchers:pay", pk=voucher.pk)
        key = form.cleaned_data["idempotency_key"]
        repeated = use is not None and use.idempotency_key == key
        try:
            use = settlement.voucher_pay(
                voucher=voucher,
                by=user,
                idempotency_key=key,
                payee_choice=form.cleaned_data["payee_choice"],
                result_confirmed=form.cleaned_data["result_confirmed"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if repeated:
                messages.info(request, "该笔支付已完成，重复提交未再次扣券。")
            else:
                messages.success(request, _paid_message(use))
            return redirect("vouchers:use", pk=voucher.pk)
    return render(
        request,
        "vouchers/settlement/pay.html",
        {
            "voucher": voucher,
            "limits": province_policy(voucher.year),
            "preview": sel.payment_preview(voucher),
            "form": form,
            "moves": available_moves(voucher, user),
            "pay_blocked": VOUCHER.why_not(voucher, user, "pay"),
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if request.method == "POST" else 200,
    )


# --- Use: proofs, review, rating --------------------------------------------------------------


def _post_view(page, name: str, action: str):
    """One small POST view per action of a page: it runs ``page(request, pk, action)``,
    which redirects on success and shows the page with the errors (4xx) otherwise."""

    @login_required
    @require_POST
    def view(request, pk: int):
        return page(request, pk, action)

    view.__name__ = view.__qualname__ = name
    return view


@login_required
@require_safe
def voucher_use(request, pk: int):
    return _use_page(request, pk)


def _use_page(request, pk: int, action: str | None = None):
    user = request.user
    voucher, use = sel.get_use_for_user(user, pk)
    if use is None:
        if user.organisation_id == voucher.enterprise_id and voucher.status == VoucherStatus.ISSUED:
            return redirect("vouchers:pay", pk=voucher.pk)
        raise Http404
    if not sel.use_audience(user, use):
        raise PermissionDenied(sel.USE_AUDIENCE)
    is_applicant = user.organisation_id == voucher.enterprise_id
    forms = {
        "upload": ProofForm(kinds=proof_kinds(voucher.contract.policy)),
        "submit": EmptyForm(),
        "review": DecisionForm(),
        "rate": RatingForm(platform=voucher.contract.policy.platform_rating),
    }
    if action is not None:
        if action == "review":
            _require_role(user, Role.OPERATOR, message="只有运营单位审核使用证明。")
        elif action in ("upload", "submit") and not proves(use, user):
            raise PermissionDenied(PROOF_DENIED)
        elif action == "rate" and not is_applicant:
            raise PermissionDenied("只有用券企业可以评价服务。")
        if action == "confirm":
            return _use_confirm(request, use)
        done = _use_action(request, use, action, forms)
        if done:
            return done
        voucher, use = sel.get_use_for_user(user, pk)
    proofs = list(use.proofs.all())
    rating = sel.use_rating(use)
    totals = {
        kind: sum((p.amount or 0 for p in proofs if p.kind == kind), 0)
        for kind in (ProofKind.INVOICE, ProofKind.BANK_RECEIPT)
    }
    awaits_confirmation = use.payee_choice == PayeeChoice.ENTERPRISE and use.institution_confirmed_at is None
    return render(
        request,
        "vouchers/settlement/use.html",
        {
            "voucher": voucher,
            "limits": province_policy(voucher.year),
            "use": use,
            "proofs": proofs,
            "forms": forms,
            "is_applicant": is_applicant,
            "is_operator": user.role == Role.OPERATOR,
            "late": sel.proof_is_late(use),
            # Proofs can be added while they can be submitted; the operator reviews them.
            "moves": available_moves(use, user),
            "rating": rating,
            "in_region": use.payee_id != voucher.enterprise_id,
            # 企业兑付 not yet confirmed by the institution: the enterprise cannot redeem yet
            "awaits_confirmation": awaits_confirmation,
            "can_confirm": awaits_confirmation
            and user.role == Role.INSTITUTION
            and user.organisation_id == voucher.institution.organisation_id,
            "totals": totals,
            "proofs_asked": proofs_asked(voucher.contract.policy),
            "receipts_match": receipts_match(use, totals[ProofKind.INVOICE], totals[ProofKind.BANK_RECEIPT]),
            "receipt_required": receipt_required(voucher.contract.policy),
            "status_label": labels.status_label(voucher),
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if request.method == "POST" else 200,
    )


proof_upload = _post_view(_use_page, "proof_upload", "upload")
proof_submit = _post_view(_use_page, "proof_submit", "submit")
proof_review = _post_view(_use_page, "proof_review", "review")
use_rate = _post_view(_use_page, "use_rate", "rate")
use_confirm = _post_view(_use_page, "use_confirm", "confirm")


@login_required
@require_POST
def proof_delete(request, pk: int, proof_pk: int):
    """The prover removes one uploaded proof while the proofs are editable (to replace a
    wrong invoice after a return); a refusal shows the use page with the reason (4xx)."""
    user = request.user
    voucher, use = sel.get_use_for_user(user, pk)
    if use is None:
        raise Http404
    if not sel.use_audience(user, use):
        raise PermissionDenied(sel.USE_AUDIENCE)
    proof = get_object_or_404(use.proofs, pk=proof_pk)
    if not proves(use, user):
        raise PermissionDenied(PROOF_DENIED)
    label = proof.get_kind_display()
    try:
        settlement.proof_delete(proof=proof, by=user)
    except ValidationError as exc:
        _error_message(request, exc)
        return _use_page(request, pk)  # a POST: shown with status 400
    messages.success(request, f"已删除{label}，请上传更正后的材料并重新提交。")
    return redirect(f"{reverse('vouchers:use', args=[voucher.pk])}#proofs")


def _use_confirm(request, use):
    """The institution confirms an enterprise-redeemed use (企业兑付)."""
    try:
        settlement.use_confirm(use=use, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        reviewed = use.voucher.contract.policy.proof_review
        messages.success(request, f"已确认用券，企业可在证明材料{'审核通过' if reviewed else '提交齐全'}后申请兑付。")
    return redirect("vouchers:use", pk=use.voucher_id)


def _use_action(request, use, action: str, forms: dict):
    """Run one POSTed action; a redirect when it worked, None to show the page with errors."""
    user = request.user
    form_class = {
        "upload": partial(ProofForm, kinds=proof_kinds(use.voucher.contract.policy)),
        "submit": EmptyForm,
        "review": DecisionForm,
        "rate": partial(RatingForm, platform=use.voucher.contract.policy.platform_rating),
    }[action]
    form = forms[action] = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "upload":
            settlement.proof_upload(
                use=use,
                by=user,
                kind=data["kind"],
                upload=data["file"],
                number=data["number"],
                amount=data["amount"],
            )
            messages.success(request, f"已上传{ProofKind(data['kind']).label}。")
        elif action == "submit":
            use = settlement.proof_submit(use=use, by=user)
            waiting = (
                "等待运营单位审核"
                if use.proof_status == ProofStatus.SUBMITTED
                else "可以申请兑付，材料随兑付申请一并审核"
            )
            messages.success(request, f"证明材料已提交，{waiting}。" + ("（已逾期提交）" if use.proof_late else ""))
        elif action == "review":
            settlement.proof_review(use=use, by=user, approve=form.approve, note=data["note"])
            messages.success(request, "使用证明已" + ("通过。" if form.approve else "退回企业。"))
            return redirect("vouchers:queue")
        else:
            settlement.use_rate(
                use=use,
                by=user,
                score=data["score"],
                comment=data["comment"],
                platform_score=data.get("platform_score"),
            )
            messages.success(request, "感谢评价。")
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    return redirect("vouchers:use", pk=use.voucher_id)


@login_required
@require_safe
def proof_file(request, proof_pk: int):
    proof = sel.get_proof_for_user(request.user, proof_pk)
    return _stream_private(
        proof.file, download_name=f"{proof.use.voucher.number}-{proof.get_kind_display()}-{proof.pk}"
    )


# --- Work queue -------------------------------------------------------------------------------


@login_required
@require_safe
def work_queue(request):
    user = request.user
    _require_staff(user)
    today = timezone.localdate()
    context = {"today": today, "is_operator": user.role == Role.OPERATOR, "limits": province_policy(today.year)}
    if user.role == Role.OPERATOR:
        context["proofs"] = proofs = list(sel.proofs_to_review()[:LIST_LIMIT])
        # Where this year's scheme files proofs with the redemption (no proof review), the
        # proof section shows only while older proofs still wait for the operator.
        context["show_proofs"] = context["limits"].proof_review or bool(proofs)
        context["to_check"] = sel.redemptions_to_check(user.role)[:LIST_LIMIT]
    else:
        context["to_confirm"] = sel.redemptions_to_confirm()[:LIST_LIMIT]
        context["objections"] = sel.open_objections()[:LIST_LIMIT]
        context["unbatched"] = sel.redemptions_unbatched()[:LIST_LIMIT]
    return render(request, "vouchers/settlement/queue.html", context)


# --- Redemptions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def redemption_list(request):
    user = request.user
    today = timezone.localdate()
    _require_role(user, *sel.PAYEE_ROLES, *sel.STAFF_ROLES, Role.BUREAU)
    is_payee = user.role in sel.PAYEE_ROLES
    form = RedemptionRequestForm(user=user) if is_payee else None
    if request.method == "POST":
        if not is_payee:
            raise PermissionDenied("只有持券的兑付方（服务机构或企业）可以申请兑付。")
        form = RedemptionRequestForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                redemption = settlement.redemption_request(
                    by=user, vouchers=list(data["vouchers"]), mode=data["mode"], note=data["note"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"兑付申请 {redemption.number} 已提交，{_first_level(redemption)}将在 "
                    f"{redemption.check_deadline:%Y-%m-%d} 前审核。",
                )
                return redirect("vouchers:redemption", pk=redemption.pk)
    redemptions = sel.redemptions_visible_to(user)
    status = request.GET.get("status", "")
    if status in RedemptionStatus.values:
        redemptions = redemptions.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "vouchers/settlement/redemption_list.html",
        {
            "redemptions": redemptions[:LIST_LIMIT],
            "status": status,
            "statuses": RedemptionStatus.choices,
            "form": form,
            "has_account": not is_payee or BankAccount.objects.filter(organisation_id=user.organisation_id).exists(),
            "today": today,
            "limits": province_policy(today.year),
            **_chain_names(province_policy(today.year).redemption_review),
        },
    )


_REDEMPTION_DONE = {
    ("check", False): "已退回申请方修改。",
    ("confirm", True): "已确认兑付，等待纳入拨付批次。",
    ("confirm", False): "已退回申请方。",
    ("resubmit", True): "已重新提交，等待审核。",
}


def _paid_message(use) -> str:
    """What the payer is told after paying: what was deducted or paid in full, and who
    uploads the proofs by when (the scheme's prover)."""
    if use.cash_paid >= use.price:
        paid = f"已全额支付 {use.cash_paid:,.2f} 元，创新券 {use.voucher_applied:,.2f} 元兑付后到账。"
    else:
        paid = f"已用创新券抵扣 {use.voucher_applied:,.2f} 元，现金支付 {use.cash_paid:,.2f} 元。"
    if use.voucher.contract.policy.proof_by == ProofBy.INSTITUTION:
        return paid + f"服务机构须在 {use.proof_deadline:%Y-%m-%d} 前上传检测报告和发票。"
    return paid + f"请在 {use.proof_deadline:%Y-%m-%d} 前上传证明材料。"


def _redemption_done(action: str, approved: bool, redemption) -> str:
    """What the reviewer is told: where an approving check left the redemption in its
    scheme (with the centre, confirmed for a batch, paid on approval, or waiting for the
    bureau's budget)."""
    if action != "check" or not approved:
        return _REDEMPTION_DONE[action, approved]
    if redemption.status == RedemptionStatus.PAID:
        return "审核通过，已从本地区预算拨付。"
    if redemption.status == RedemptionStatus.CONFIRMED:
        if sel.active_batch_item(redemption) is not None:
            return "审核通过；本地区预算不足或尚未下达，下达预算后按顺序拨付。"
        return "审核通过，已确认兑付，等待纳入拨付批次。"
    chain = redemption_chain(redemption)
    return f"材料审核通过，已转{level_name(chain[-1]) if chain else role_name(Role.CENTRE)}确认。"


@login_required
@require_safe
def redemption_detail(request, pk: int):
    return _redemption_page(request, pk)


def _redemption_page(request, pk: int, action: str | None = None):
    user = request.user
    redemption = sel.get_redemption_for_user(user, pk)
    is_payee = user.organisation_id == redemption.payee_id
    forms = {"check": DecisionForm(), "confirm": DecisionForm(), "resubmit": NoteForm()}
    if action is not None:
        # Who may act is the services' call (the redemption workflow): a refusal is a 403.
        form = forms[action] = (NoteForm if action == "resubmit" else DecisionForm)(request.POST)
        if form.is_valid():
            try:
                if action == "check":
                    redemption = settlement.redemption_check(
                        redemption=redemption,
                        by=user,
                        approve=form.approve,
                        note=form.cleaned_data["note"],
                        approved=_approved_amounts(request.POST, redemption),
                    )
                elif action == "confirm":
                    settlement.redemption_confirm(
                        redemption=redemption,
                        by=user,
                        approve=form.approve,
                        note=form.cleaned_data["note"],
                    )
                else:
                    settlement.redemption_resubmit(redemption=redemption, by=user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _redemption_done(action, action == "resubmit" or form.approve, redemption))
                return redirect("vouchers:redemption", pk=pk)
        redemption = sel.get_redemption_for_user(user, pk)
    events = list(sel.redemption_events(redemption))
    for e in events:
        e.role_label = role_name(e.actor_role)
    batch_item = sel.active_batch_item(redemption)
    chain = redemption_chain(redemption)
    items = sel.redemption_items(redemption, user)
    labeller = labels.Labeller()
    for i in items:
        i.status_label = labeller(i.voucher)  # the scheme's name for the voucher's state
    moves = available_moves(redemption, user)
    # Why a returned redemption cannot be resubmitted now (the limit, or proofs to correct
    # first: those vouchers' use pages are linked beside the reason).
    resubmit_blocked = (
        REDEMPTION.why_not(redemption, user, "resubmit")
        if is_payee and redemption.status == RedemptionStatus.RETURNED and "resubmit" not in moves
        else None
    )
    limits = province_policy(redemption.year)
    proofs_to_fix = (
        [i for i in items if i.voucher_use is not None and i.voucher_use.proof_status not in PROOFS_READY]
        if resubmit_blocked and redemption.resubmissions < limits.redemption_resubmissions
        else []
    )
    return render(
        request,
        "vouchers/settlement/redemption_detail.html",
        {
            "redemption": redemption,
            "limits": limits,
            "items": items,
            "events": events,
            "forms": forms,
            "batch_item": batch_item,
            "is_payee": is_payee,
            "moves": moves,
            "resubmit_blocked": resubmit_blocked,
            "proofs_to_fix": proofs_to_fix,
            "overdue": redemption.status == RedemptionStatus.SUBMITTED
            and timezone.localdate() > redemption.check_deadline,
            "is_staff_viewer": user.role in sel.STAFF_ROLES,
            "first_level": level_name(chain[0]) if chain else "",
            "last_level": level_name(chain[-1]) if chain else "",
            "one_level": len(chain) == 1,
            "payee_has_account": BankAccount.objects.filter(organisation_id=redemption.payee_id).exists(),
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if action else 200,
    )


redemption_check = _post_view(_redemption_page, "redemption_check", "check")
redemption_confirm = _post_view(_redemption_page, "redemption_confirm", "confirm")
redemption_resubmit = _post_view(_redemption_page, "redemption_resubmit", "resubmit")


def _chain_names(chain: list[str]) -> dict:
    """The first and (with two levels) the last redemption review level, by name."""
    names = [level_name(level) for level in chain or []]
    return {"review_first": names[0] if names else "", "review_last": names[-1] if len(names) > 1 else ""}


def _first_level(redemption) -> str:
    chain = redemption_chain(redemption)
    return level_name(chain[0]) if chain else ""


def _approved_amounts(post, redemption) -> dict:
    """``approved_<voucher id>`` fields of the check form: the approved contract amounts
    (审核认定); blank keeps the contract amount. A malformed amount is the service's 4xx."""
    approved = {}
    for item in redemption.items.all():
        raw = (post.get(f"approved_{item.voucher_id}") or "").strip().replace(",", "")
        if raw:
            try:
                approved[item.voucher_id] = Decimal(raw)
            except InvalidOperation:
                raise ValidationError({"approved": [f"认定合同金额“{raw[:20]}”不是有效金额。"]}) from None
    return approved


# --- Payout batches ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request):
    user = request.user
    policy = province_policy(timezone.localdate().year)
    intro = {"cycle_text": payout_cycle_text(policy), "on_approval": policy.payout_cycle == PayoutCycle.ON_APPROVAL}
    if user.role == Role.BUREAU and request.method == "GET":
        return render(
            request,
            "vouchers/settlement/batch_list.html",
            {
                "batches": sel.batches_with_totals().filter(region_id=user.organisation.region_id)[:LIST_LIMIT],
                **intro,
            },
        )
    _require_staff(user)
    is_centre = user.role == Role.CENTRE
    year = timezone.localdate().year
    # Only the scheme's cadences (Ningxia: monthly, or quarterly with a notice; Henan: its
    # quarterly summary; Jiangsu: monthly; Zhejiang: none, its bureaus' approval pays).
    cycles = batch_cycles(policy)
    form = BatchCreateForm(initial={"year": year}, cycles=cycles) if is_centre and cycles else None
    if request.method == "POST":
        _require_centre(user)
        form = BatchCreateForm(request.POST, cycles=cycles)
        if form.is_valid():
            try:
                batch = settlement.batch_create(
                    by=user, year=form.cleaned_data["year"], cycle=form.cleaned_data["cycle"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"已生成拨付批次 {batch.number}。")
                return redirect("vouchers:batch", pk=batch.pk)
    return render(
        request,
        "vouchers/settlement/batch_list.html",
        {
            "batches": sel.batches_with_totals()[:LIST_LIMIT],
            **intro,
            "form": form,
            "is_centre": is_centre,
            "unbatched": sel.redemptions_unbatched(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def batch_detail(request, pk: int):
    return _batch_page(request, pk)


def _batch_page(request, pk: int, action: str | None = None):
    user = request.user
    if user.role == Role.EXPERT:
        # Experts see the quarterly summaries sent to them, and those they gave an opinion on.
        batch = get_object_or_404(PayoutBatch.objects.filter(sel.expert_batch_q(user)), pk=pk)
        if action is not None:
            raise PermissionDenied("专家请使用评审意见表提交。")
    elif user.role == Role.BUREAU:
        # A bureau that pays on its approval (Zhejiang) sees its own region's batches.
        batch = get_object_or_404(PayoutBatch, pk=pk, region_id=user.organisation.region_id)
        if action is not None:
            raise PermissionDenied("本地区批次在审批兑付申请时自动拨付。")
    else:
        _require_staff(user)
        batch = get_object_or_404(PayoutBatch, pk=pk)
    resolve_forms: dict[int, ResolveForm] = {}
    if action is not None:
        _require_centre(user)
        done = _batch_action(request, batch, action, resolve_forms)
        if done:
            return done
        batch.refresh_from_db()
    items = list(sel.batch_items(batch))
    for item in items:
        for objection in item.objections.all():
            objection.form = resolve_forms.get(objection.pk) or ResolveForm(prefix=f"o{objection.pk}")
            objection.moves = available_moves(objection, user)
    today = timezone.localdate()
    return render(
        request,
        "vouchers/settlement/batch_detail.html",
        {
            "batch": batch,
            "items": items,
            "total": sum(i.amount for i in items),
            "is_centre": user.role == Role.CENTRE,
            "can_export": user.role in (Role.OPERATOR, Role.CENTRE),  # batch_export's audience
            "today": today,
            "moves": available_moves(batch, user),
            "notice_running": batch.status == BatchStatus.NOTICE and batch.notice_until and today <= batch.notice_until,
            "batch_steps": BATCH_STEPS,
            "expert_next": _expert_next(batch) if user.role == Role.EXPERT else "",
            # The quarterly summary's record: each expert's opinion (``assess``) and the S&T
            # and finance confirmation's document reference (``finance``), who and when.
            "opinions": batch.events.filter(
                from_status=BatchStatus.EXPERTS, to_status=BatchStatus.REVIEWED
            ).select_related("actor__organisation"),
            "confirmations": batch.events.filter(to_status=BatchStatus.CONFIRMED).select_related("actor__organisation"),
        },
        status=400 if action else 200,
    )


BATCH_STEPS = (
    ("experts", "提交专家评审", "本方案的季度汇总须经专家评审，再经科技与财政部门确认后公示。"),
    ("assess", "提交评审意见", "请核对各笔兑付的材料与金额后给出评审意见。"),
    ("finance", "科技与财政部门确认", "记录科技、财政部门对本批次的确认（文号），确认后可公示。"),
)


def _expert_next(batch: PayoutBatch) -> str:
    """What happens to the summary after the expert's opinion, for the expert's 下一步 box."""
    if batch.status == BatchStatus.EXPERTS:
        return ""
    centre = role_name(Role.CENTRE)
    if batch.status == BatchStatus.REVIEWED:
        policy = province_policy(batch.year)
        then = "记录科技与财政部门确认后公示" if policy.finance_confirmation else "公示"
        return f"专家评审已完成，下一步由{centre}{then}，公示期满无异议后批准拨付。"
    if batch.status == BatchStatus.CONFIRMED:
        return f"科技与财政部门已确认，下一步由{centre}公示，公示期满无异议后批准拨付。"
    if batch.status == BatchStatus.NOTICE:
        return f"本批次公示至 {batch.notice_until:%Y-%m-%d}，期满无异议后批准拨付。"
    return f"本批次{batch.get_status_display()}。"


BATCH_STEP_DONE = {
    "experts": "已提交专家评审。",
    "assess": "评审意见已提交。",
    "finance": "已记录科技与财政部门确认。",
}


@login_required
@require_POST
def batch_step(request, pk: int, step: str):
    """One of the scheme's steps before notice: experts, assess, finance (a note each)."""
    if step not in BATCH_STEP_DONE:
        raise Http404
    batch = get_object_or_404(PayoutBatch, pk=pk)
    try:
        settlement.batch_step(batch=batch, by=request.user, step=step, note=request.POST.get("note", "")[:2000])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, BATCH_STEP_DONE[step])
    # Back to the batch and its next step, the expert's too (it still sees what it reviewed).
    return redirect("vouchers:batch", pk=pk)


batch_notice = _post_view(_batch_page, "batch_notice", "notice")
batch_approve = _post_view(_batch_page, "batch_approve", "approve")
batch_pay = _post_view(_batch_page, "batch_pay", "pay")
objection_resolve = _post_view(_batch_page, "objection_resolve", "resolve")


def _batch_action(request, batch: PayoutBatch, action: str, resolve_forms: dict):
    user = request.user
    try:
        if action == "notice":
            batch = settlement.batch_open_notice(batch=batch, by=user)
            messages.success(request, f"已公示至 {batch.notice_until:%Y-%m-%d}。")
        elif action == "approve":
            settlement.batch_approve(batch=batch, by=user)
            messages.success(request, "批次已批准，可以拨付。")
        elif action == "pay":
            result = settlement.batch_pay(batch=batch, by=user)
            messages.success(
                request,
                f"已拨付 {result['paid']} 笔；{result['waiting_budget']} 笔因预算不足等待下达预算。",
            )
            if result["waiting_budget"]:
                messages.warning(request, "预算不足的兑付按确认顺序排队，在预算页面下达预算后依次拨付。")
        else:
            objection = get_object_or_404(
                Objection.objects.filter(item__batch=batch), pk=_posted_pk(request, "objection")
            )
            form = resolve_forms[objection.pk] = ResolveForm(request.POST, prefix=f"o{objection.pk}")
            if not form.is_valid():
                return None
            upheld = form.cleaned_data["decision"] == "upheld"
            try:
                settlement.objection_resolve(
                    objection=objection,
                    by=user,
                    upheld=upheld,
                    resolution=form.cleaned_data["resolution"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                return None
            messages.success(
                request,
                "异议成立，兑付申请已退回并移出本批次；重新提交并确认后可纳入后续批次。"
                if upheld
                else "异议不成立，该笔兑付恢复待拨付。",
            )
    except ValidationError as exc:
        _error_message(request, exc)
    return redirect("vouchers:batch", pk=batch.pk)


def _safe_cell(text: str) -> str:
    """Spreadsheet programs run a cell that starts with = + - @ as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_safe
def batch_export(request, pk: int, fmt: str):
    _require_staff(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    batch = get_object_or_404(PayoutBatch, pk=pk)
    rows = sel.batch_export_rows(batch)
    values = [
        [
            _safe_cell(r.payee),
            _safe_cell(r.credit_code),
            r.amount,
            r.redemption,
            r.vouchers,
            r.status,
            _safe_cell(r.bank_name),
            r.bank_code,
            _safe_cell(r.account_name),
            r.account_number,
        ]
        for r in rows
    ]
    filename = f"{batch.number}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that Excel reads the file as UTF-8
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_HEADER)
        for row in values:
            writer.writerow([*row[:2], f"{row[2]:.2f}", *row[3:]])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        # why: openpyxl is only needed for an Excel export and slow to import.
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = batch.number
        sheet.append(EXPORT_HEADER)
        for row in values:
            sheet.append(row)
            sheet.cell(row=sheet.max_row, column=3).number_format = "0.00"
        for column, width in zip("ABCDEFGHIJ", (32, 22, 14, 18, 40, 12, 32, 16, 32, 26), strict=True):
            sheet.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public notice (公示) ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notice_list(request):
    """The public notice (公示): anyone may read it; lodging an objection needs a login."""
    forms: dict[int, ObjectionForm] = {}
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        item = sel.get_notice_item(_posted_pk(request, "item"))
        form = forms[item.pk] = ObjectionForm(request.POST, prefix=f"i{item.pk}")
        if form.is_valid():
            try:
                settlement.objection_lodge(item=item, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"异议已提交，{role_name(Role.CENTRE)}处理前该笔兑付暂缓拨付。")
                return redirect("vouchers:notices")
    batches = list(sel.batches_on_notice())
    items = list(sel.notice_items())
    for item in items:
        item.form = forms.get(item.pk) or ObjectionForm(prefix=f"i{item.pk}")
    for batch in batches:
        batch.notice_rows = [i for i in items if i.batch_id == batch.pk]
    return render(request, "vouchers/settlement/notices.html", {"batches": batches})


# --- Budget -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def budget(request):
    user = request.user
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    scope = budget_scope(user, year)
    own = None if scope == ALL_BUDGETS else scope
    may_set = may_set_budget(user, year, own) if own is not None else True
    form = BudgetForm(initial={"year": year}, region=own, year=year) if may_set else None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied(f"本年度预算由{role_name(Role.CENTRE)}下达。")
        form = BudgetForm(request.POST, region=own, year=year)
        if form.is_valid():
            data = form.cleaned_data
            waiting_before = sel.waiting_for_budget().count()
            try:
                left = settlement.budget_set(
                    by=user,
                    year=data["year"],
                    amount=data["amount"],
                    region=data["region"],
                    note=data["note"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                paid = waiting_before - sel.waiting_for_budget().count()
                name = f"{data['region'].name}预算" if data["region"] else account_label(LedgerAccount.PROVINCE_BUDGET)
                messages.success(
                    request,
                    f"已下达 {data['year']} 年度{name} {data['amount']:,.2f} 元，"
                    f"余额 {left:,.2f} 元。" + (f"排队等待预算的 {paid} 笔兑付已拨付。" if paid else ""),
                )
                return redirect(f"{request.path}?year={data['year']}")
    return render(
        request,
        "vouchers/settlement/budget.html",
        {
            "overview": sel.budget_overview(year, scope),
            "own_region": own,
            "years": sel.budget_years(),
            "year": year,
            "form": form,
            "province_account": account_label(LedgerAccount.PROVINCE_BUDGET),
            "centre": role_name(Role.CENTRE),
        },
    )


# --- Use registration (创新券使用登记) --------------------------------------------------------


def _booking_initial(booking) -> dict:
    """The registration form filled from a booking (the enterprise checks and completes it)."""
    initial = {
        "booking": booking.pk,
        "institution": booking.institution_id,
        "title": booking.item_name,
        "amount": booking.amount,
    }
    if booking.service_id:
        initial.update(service=booking.service_id, category=booking.service.category)
    if booking.completed_at:
        initial["completed_on"] = timezone.localtime(booking.completed_at).date()
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def use_registration(request):
    """The one-form use registration where the scheme has it (``Policy.use_registration``),
    with the enterprise's uses (使用记录) below it."""
    user = request.user
    _require_role(user, Role.APPLICANT, message="只有创新主体可以登记使用创新券。")
    policy = registration.registration_policy()
    today = timezone.localdate()
    initial = {"signed_on": today, "completed_on": today}
    bookings = registration.registrable_bookings(user.organisation)
    if request.GET.get("institution", "").isdigit():
        initial["institution"] = int(request.GET["institution"])
    # Arriving from a booking's 下一步 (?booking=): the booking names the provider and item.
    booking_note = ""
    if request.GET.get("booking", "").isdigit():
        own = registration.own_booking(user.organisation, int(request.GET["booking"]))
        booking_note = registration.booking_refusal(own) if own is not None else "未找到本单位的该预约。"
        if own is not None and not booking_note:
            initial.update(_booking_initial(own))
    form = UseRegistrationForm(request.POST or None, request.FILES or None, initial=initial, bookings=bookings)
    if request.method == "POST":
        if policy is None:
            form.add_error(None, registration.NOT_OFFERED)
        elif form.is_valid():
            reg = registration.Registration(**form.cleaned_data)  # the API builds it the same way
            try:
                use = registration.register_use(by=user, reg=reg)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"使用登记已提交：创新券 {use.voucher.number}，面值 {use.voucher.face_value:,.2f} 元，"
                    f"兑付方 {use.get_payee_choice_display()}。",
                )
                # The new use's page, where its next step (the institution's confirmation,
                # or the institution's redemption) is said; 使用记录 lists it too.
                return redirect(f"{reverse('vouchers:use', args=[use.voucher_id])}#next-step")
    chosen = form.chosen_institution_id()
    return render(
        request,
        "vouchers/settlement/use_registration.html",
        {
            "form": form,
            "policy": policy,
            "chosen": "" if chosen is None else str(chosen),
            "has_bookings": bookings.exists(),
            "booking_note": booking_note,
            "records": registration.registrations_of(user.organisation)[:LIST_LIMIT],
        },
        status=400 if request.method == "POST" else 200,
    )
