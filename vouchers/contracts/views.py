"""Voucher pages: contracts (范式 contract, pledge, scan, submit, review), the review queue,
vouchers and their ledger, and the centre's policy records.

Views stay thin: reads go through ``vouchers.permissions`` (who sees what), writes through
``vouchers.contracts.services``, whose ValidationError becomes form errors (never a 500) and whose
PermissionDenied becomes a 403. A contract or voucher a user may not see answers 404, so
its existence does not leak.

A few reads and one write have no home in the service layer yet; they are the private
``_``-functions under "Interim selectors and services" below, to be moved by the lead.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import province
from accounts.actors import only, role_name
from accounts.models import Role
from catalog import selectors as catalog_selectors
from catalog.models import BookingStatus
from mapsite.forms import apply_service_errors
from vouchers import ledger
from vouchers.contracts import selectors, services
from vouchers.contracts.booking_step import voucher_step
from vouchers.contracts.documents import payment_summary, qr_svg
from vouchers.contracts.forms import (
    AttachmentForm,
    ContractForm,
    OfflineContractForm,
    PledgeForm,
    PolicyForm,
    ReviewForm,
    ScanForm,
    SubmitForm,
    TierFormSet,
    TrialForm,
    tier_initial,
)
from vouchers.contracts.precheck import submit_blockers, submit_checks
from vouchers.models import (
    Contract,
    ContractStatus,
    Policy,
    Reviewer,
    Voucher,
    VoucherStatus,
)
from vouchers.names import contract_status_label, contract_statuses, level_name, review_word
from vouchers.permissions import contracts_visible_to, vouchers_visible_to
from vouchers.policies import labels
from vouchers.policies.presets import PRESETS
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import accepted_with_order, chain_text, payment_terms
from vouchers.policies.value import compute_subsidy
from vouchers.policies.words import CONTRACT, contract_words, voucher_origin
from vouchers.settlement import selectors as settlement_selectors
from vouchers.transitions import (
    EDITABLE,
    VOUCHER,
    available_moves,
    becomes_ordinary,
    contract_chain,
    review_statuses,
    reviewer_now,
    status_after,
)

REVIEWER_ROLES = (Role.BUREAU, Role.INSTITUTION, Role.OPERATOR, Role.CENTRE)
OWNER_ACTIONS = ("pledge", "scan", "attachment", "submit")
LIST_LIMIT = 200


# --- Presentation helpers -------------------------------------------------------------------


def _reviews_contracts(user) -> bool:
    """The user's role is a level of a review chain: the institution only in a scheme where
    it accepts orders itself (Henan's 受理)."""
    if user.role == Role.INSTITUTION:
        return Reviewer.INSTITUTION in (province_policy(timezone.localdate().year).contract_review or [])
    return user.role in REVIEWER_ROLES


def _require_reviewer(user) -> None:
    if not _reviews_contracts(user):
        word = contract_words(province_policy(timezone.localdate().year)).short
        raise PermissionDenied(f"只有本年度方案中的审核环节可以审核{word}。")


def _require_centre(user) -> None:
    if user.role != Role.CENTRE:
        raise PermissionDenied(only("管理创新券政策"))


def _precheck_summary(rules: list[dict]) -> dict:
    failed = [r for r in rules if not r.get("ok")]
    return {
        "failed": failed,
        "blocking": [r for r in failed if r.get("blocking")],
        "flags": [r for r in failed if not r.get("blocking")],
    }


def _events(contract: Contract) -> list:
    events = list(contract.events.select_related("actor__organisation"))
    for e in events:
        e.role_label = role_name(e.actor_role)
    return events


def _status_filter(request, choices) -> str:
    status = request.GET.get("status", "")
    return status if status in dict(choices) else ""


# --- Contracts --------------------------------------------------------------------------------


@login_required
def contract_list(request):
    user = request.user
    contracts = contracts_visible_to(user)
    # Only the statuses the year's chain has (no 待创业中心审定 where no centre reviews).
    statuses = contract_statuses(timezone.localdate().year)
    status = _status_filter(request, statuses)
    if status:
        contracts = contracts.filter(status=status)
    rows = list(contracts[:LIST_LIMIT])
    for c in rows:  # the viewer's next action on each row, from the contract's workflow
        c.next_move = _row_move(available_moves(c, user))
    policy = province_policy(timezone.localdate().year)
    is_applicant = user.role == Role.APPLICANT
    return render(
        request,
        "vouchers/contract_list.html",
        {
            # Where uses are registered (Zhejiang) the contract routes are closed: no offers.
            "registers": policy.use_registration,
            "applicant_refusal": (
                services.entitlements.application_refusal(user.organisation, policy) if is_applicant else ""
            ),
            "contracts": rows,
            "status": status,
            "statuses": statuses,
            "is_applicant": is_applicant,
            # No 登记线下签订的… button where the scheme takes no offline agreement (Henan).
            "offers_offline": is_applicant and not services.offline_refusal(timezone.localdate()),
            "awaiting": selectors.bookings_awaiting_contract(user)[:LIST_LIMIT],
            "is_reviewer": _reviews_contracts(user),
            "words": contract_words(policy),
            # The booking's voucher step as the scheme names it (申领创新券 / 提交创新券订单 …).
            "step": voucher_step(None),
        },
    )


def _row_move(moves: list[str]) -> tuple[str, str] | None:
    """(label, anchor on the contract page) of what the viewer can do on a listed contract."""
    if "submit" in moves:
        return ("待您提交", "#step-submit")
    if "approve" in moves or "return" in moves:
        return ("待您审核", "#review")
    return None


@login_required
@require_POST
def contract_from_booking(request, booking_pk: int):
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied("只有创新主体可以申领创新券。")
    booking = get_object_or_404(
        catalog_selectors.bookings_for(request.user).filter(enterprise_id=request.user.organisation_id),
        pk=booking_pk,
    )
    try:
        contract = services.contract_open_from_booking(booking=booking, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("vouchers:contracts")
    word = "合同" if contract_words(contract.policy) == CONTRACT else contract_words(contract.policy).name
    messages.success(request, f"已根据预约 {booking.number} 生成{word}草稿 {contract.number}，请核对内容。")
    return redirect("vouchers:contract", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def contract_new(request):
    """An offline agreement (线下签订) with a listed institution, where the year's scheme takes
    one (``services.offline_refusal``: not Henan, whose order starts from a booking on the
    platform). Elsewhere the page says why and leads back to the list (a POST answers 400)."""
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied("只有创新主体可以申领创新券。")
    today = timezone.localdate()
    closed = services.offline_refusal(today)
    if closed:
        if request.method == "POST":
            return render(request, "error.html", {"status": 400, "message": closed}, status=400)
        messages.error(request, closed)
        return redirect("vouchers:contracts")
    initial = {
        "signed_on": today,
        "service_start": today,
        "service_end": today,
        "payment_terms": payment_terms(province_policy(today.year)),
    }
    if request.GET.get("institution", "").isdigit():
        initial["institution"] = int(request.GET["institution"])
    form = OfflineContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.contract_data()
        data["service"] = form.cleaned_data.get("service")
        try:
            contract = services.contract_open_offline(
                by=request.user, institution=form.cleaned_data["institution"], data=data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{contract_words(contract.policy).short}草稿 {contract.number} 已保存，创新券金额已按政策计算。",
            )
            return redirect("vouchers:contract", pk=contract.pk)
    limits = province_policy(today.year)
    chosen = form.chosen_institution_id()
    return render(
        request,
        "vouchers/contract_form.html",
        {
            "form": form,
            "contract": None,
            "limits": limits,
            "chosen": "" if chosen is None else str(chosen),
            "words": contract_words(limits),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract, can_write = selectors.get_contract_for_user(request.user, pk)
    word = contract_words(contract.policy).short
    if request.user.organisation_id != contract.enterprise_id:
        raise PermissionDenied(f"只有申请方可以修改{word}。")
    if not can_write:
        messages.error(request, f"审核中或已审定的{word}不能修改。")
        return redirect("vouchers:contract", pk=contract.pk)
    form = ContractForm(request.POST or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        try:
            # The form checked the input on a copy; the service locks and re-reads the row.
            services.contract_update(contract=contract, by=request.user, data=form.contract_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{word}已保存，创新券金额和自动初审已重新计算。")
            return redirect("vouchers:contract", pk=contract.pk)
    return render(
        request,
        "vouchers/contract_form.html",
        {"form": form, "contract": contract, "limits": contract.policy, "words": contract_words(contract.policy)},
    )


@login_required
@require_safe
def contract_detail(request, pk: int):
    return _contract_page(request, pk)


def _contract_page(request, pk: int, action: str | None = None):
    """The contract page; with ``action`` (one of the POST views below) the action is run
    first, and a refusal shows the page again with the errors next to that step (4xx)."""
    user = request.user
    contract, can_write = selectors.get_contract_for_user(user, pk)
    can_review = _can_review(user, contract)
    forms = {
        "pledge": PledgeForm(),
        "scan": ScanForm(),
        "attachment": AttachmentForm(),
        "submit": SubmitForm(),
        "review": ReviewForm(verb=review_word(reviewer_now(contract))),
    }
    if action is not None:
        word = contract_words(contract.policy).short
        if action in OWNER_ACTIONS and not can_write:
            raise PermissionDenied(f"只有申请方可以在草稿或退回状态下操作{word}。")
        if action == "review" and not can_review:
            raise PermissionDenied(f"现在不是您审核该{word}的环节。")
        done = _contract_action(request, contract, action, forms)
        if done:
            return done
        contract, can_write = selectors.get_contract_for_user(user, pk)
        can_review = _can_review(user, contract)
    return render(
        request,
        "vouchers/contract_detail.html",
        _detail_context(request, contract, can_write, can_review, forms),
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if request.method == "POST" else 200,
    )


def _contract_post(action: str):
    """One small POST view per contract action; the URL names match the services."""

    @login_required
    @require_POST
    def view(request, pk: int):
        return _contract_page(request, pk, action)

    view.__name__ = view.__qualname__ = f"contract_{action}"
    return view


contract_pledge = _contract_post("pledge")
contract_scan_upload = _contract_post("scan")
contract_attachment_add = _contract_post("attachment")
contract_submit = _contract_post("submit")
contract_review = _contract_post("review")


def _can_review(user, contract: Contract) -> bool:
    """The review form is shown when the contract's workflow offers this user a review move."""
    return bool({"approve", "return"} & set(available_moves(contract, user)))


def _contract_action(request, contract: Contract, action: str, forms: dict):
    """Run one POSTed action; a redirect when it worked, None to show the page with errors."""
    user = request.user
    if action == "submit":
        form = forms["submit"] = SubmitForm(request.POST)
        form.is_valid()  # no fields: it only carries the service's refusal to the page
        try:
            contract = services.contract_submit(contract=contract, by=user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return None
        record = f"{contract_words(contract.policy).short} {contract.number}"  # 合同 / 订单 and its number
        if contract.status == ContractStatus.APPROVED:  # no review before use: issued at once
            messages.success(request, f"{record} 已提交，创新券已生成。")
        else:  # the status names the level it now waits at (待服务机构受理, 待推荐部门审核, …)
            messages.success(request, f"{record} 已提交，{contract_status_label(contract.status)}。")
        return redirect("vouchers:contract", pk=contract.pk)
    form_class = {
        "pledge": PledgeForm,
        "scan": ScanForm,
        "attachment": AttachmentForm,
        "review": ReviewForm,
    }[action]
    # The review form names the level's step (Henan's institution: 受理).
    extra = {"verb": review_word(reviewer_now(contract))} if action == "review" else {}
    form = form_class(request.POST, request.FILES, **extra)
    forms[action] = form
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if action == "pledge":
            services.contract_accept_pledge(contract=contract, by=user)
            messages.success(request, "已签署诚信承诺书，自动初审已更新。")
        elif action == "scan":
            services.contract_upload_scan(contract=contract, by=user, upload=data["scan"])
            messages.success(request, "盖章合同扫描件已上传。")
        elif action == "attachment":
            services.contract_add_attachment(contract=contract, by=user, upload=data["file"], name=data["name"])
            messages.success(request, "附件已添加。")
        else:
            approve = data["decision"] == "approve"
            level = reviewer_now(contract)
            done = services.contract_review(contract=contract, by=user, approve=approve, note=data["note"])
            outcome = "审核通过" if approve else "退回申请方"
            if approve and review_word(level) == "受理":  # Henan: 已受理，转运营单位审核
                after = reviewer_now(done)
                outcome = f"受理，转{level_name(after)}审核" if after else "受理"
            if done.status == ContractStatus.ORDINARY:
                outcome = "转为普通订单（不使用创新券）"
            messages.success(request, f"{contract_words(contract.policy).short} {contract.number} 已{outcome}。")
            return redirect("vouchers:review")
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    return redirect("vouchers:contract", pk=contract.pk)


# Where on the contract page the applicant does what a submission still waits for: the
# steps of the page for the pledge and the scan, the edit form for the contract's own
# content, the pre-check panel for what the applicant cannot change here (certification,
# the year's cap, integrity records).
STEP_OF_RULE = {"pledge": "#step-pledge", "signed_scan": "#step-scan"}
EDIT_RULES = ("scope", "not_excluded", "amount_positive", "dates")


def _blocker_links(contract: Contract, blockers: list[dict]) -> list[dict]:
    edit = reverse("vouchers:contract_edit", args=[contract.pk])
    return [
        {**b, "href": STEP_OF_RULE.get(b.get("code"), edit if b.get("code") in EDIT_RULES else "#precheck")}
        for b in blockers
    ]


def _next_step(
    contract: Contract,
    moves: list[str],
    blockers: list[dict],
    voucher,
    reviewer_role: str,
    can_write: bool,
    user,
) -> dict | None:
    """What the viewer should do next on this contract (from ``available_moves`` and what
    submission waits for), or what the contract waits for when it is not the viewer's turn."""
    if "submit" in moves:
        if blockers:
            first = blockers[0]
            more = f"（还有 {len(blockers) - 1} 项）" if len(blockers) > 1 else ""
            link = "查看" if first["href"] == "#precheck" else "去完成"
            return {"text": f"{first['message']}{more}", "href": first["href"], "link": link}
        return {"text": "各项已完成，可以提交审核", "href": "#step-submit", "link": "提交审核"}
    word = contract_words(contract.policy).short  # 合同 / 订单
    verb = review_word(reviewer_now(contract))  # 审核; the institution's 受理 (Henan)
    if "approve" in moves or "return" in moves:
        return {"text": f"轮到您{verb}本{word}", "href": "#review", "link": f"去{verb}"}
    if can_write:  # the owner's draft or returned contract that may not be submitted again
        return {"text": f"已达到允许的重新提交次数，{word}不能再提交", "href": "", "link": ""}
    if contract.status == ContractStatus.RETURNED:
        return {"text": "已退回申请方修改", "href": "", "link": ""}
    if reviewer_role:
        return {"text": f"等待{reviewer_role}{verb}", "href": "", "link": ""}
    if voucher is not None:
        return _voucher_step(voucher, user)
    return None


def _voucher_step(voucher, user) -> dict:
    """After the voucher is issued, the holder's next step is paying with it: offered here
    when the voucher's table allows it now, or the reason it does not yet (the service not
    completed, Henan's order result not uploaded) — the same answer the voucher page gives."""
    detail = reverse("vouchers:detail", args=[voucher.pk])
    if voucher.status == VoucherStatus.ISSUED and user.organisation_id == voucher.enterprise_id:
        why = VOUCHER.why_not(voucher, user, "pay")
        # the pay page's own name: 支付服务费 where the enterprise pays in full (Jiangsu)
        pay = settlement_selectors.payment_preview(voucher).action
        if not why:
            return {
                "text": f"已生成创新券 {voucher.number}，可以{pay}",
                "href": reverse("vouchers:pay", args=[voucher.pk]),
                "link": pay,
            }
        return {"text": f"已生成创新券 {voucher.number}；暂不能{pay}：{why}", "href": detail, "link": "查看创新券"}
    return {"text": f"已生成创新券 {voucher.number}", "href": detail, "link": "查看创新券"}


def _detail_context(request, contract: Contract, can_write: bool, can_review: bool, forms: dict) -> dict:
    user = request.user
    voucher = Voucher.objects.filter(contract=contract).first()
    moves = available_moves(contract, user)
    editable = contract.status in EDITABLE
    blockers = _blocker_links(contract, submit_blockers(contract)) if "submit" in moves else []
    reviewer_role = level_name(reviewer_now(contract))
    # The steps are recomputed for a contract still under way; an approved one shows the
    # voucher it was issued (its year's cap now includes that voucher).
    subsidy = None if contract.status == ContractStatus.APPROVED else services.subsidy_for(contract)
    is_owner = user.organisation_id == contract.enterprise_id
    events = _events(contract)
    booking_visible = contract.booking_id is not None and (is_owner or user.organisation_id == contract.institution_id)
    return {
        "payment_summary": payment_summary(contract),
        "contract": contract,
        "words": contract_words(contract.policy),
        "ent": contract.enterprise,
        "pledges": province.current().pledges(proof_workdays=contract.policy.proof_workdays),
        "inst_org": contract.institution.organisation,
        "is_owner": is_owner,
        "can_write": can_write,
        "can_review": can_review,
        "is_reviewer": user.role in REVIEWER_ROLES,
        "forms": forms,
        "subsidy": subsidy,
        "precheck": _precheck_summary(contract.precheck),
        # A contract still being prepared lists the stamped scan with its pre-check, so
        # the panel never says all is well while a step is missing.
        "checks": submit_checks(contract) if editable else (contract.precheck or []),
        "editable": editable,
        "blockers": blockers,
        "next_step": _next_step(contract, moves, blockers, voucher, reviewer_role, can_write, user),
        "events": events,
        "reviews": [e for e in events if e.actor_role in REVIEWER_ROLES],
        "attachments": contract.attachments.select_related("uploaded_by"),
        "voucher": voucher,
        # the scheme's name for the voucher's state (Henan's 未支付/已支付…), as on its own page
        "voucher_status_label": labels.status_label(voucher) if voucher else "",
        "voucher_pending": "审核通过后生成" if contract_chain(contract) else "提交后即生成",
        "booking_visible": booking_visible,
        "related": selectors.related_contracts(user, contract)[:20],
        "reviewer_role": reviewer_role,
        "review_word": review_word(reviewer_now(contract)),
        "reviewer_chain": "、".join(level_name(r) for r in contract_chain(contract)),
        "last_level": reviewer_now(contract) is not None
        and status_after(contract_chain(contract), reviewer_now(contract)) == ContractStatus.APPROVED,
        "becomes_ordinary": becomes_ordinary(contract),
        # Henan: the institution's 受理 of this order accepts its waiting booking too.
        "accepts_booking": reviewer_now(contract) == Reviewer.INSTITUTION
        and contract.booking is not None
        and contract.booking.status == BookingStatus.REQUESTED,
        "moves": moves,
        # An instant slot the system confirmed: the order still waits for the institution's
        # 受理 (catalog.services.booking_request_slot); the page says so to both parties.
        "slot_confirmed": contract.booking is not None
        and accepted_with_order(contract.policy)
        and contract.status in (*EDITABLE, ContractStatus.AT_INSTITUTION)
        and catalog_selectors.accepted_by_system(contract.booking),
        "item_url": (
            reverse("catalog:service", args=[contract.service_id])
            if contract.service_id
            else reverse("catalog:instrument", args=[contract.instrument_id])
            if contract.instrument_id
            else ""
        ),
    }


# --- Review queue -----------------------------------------------------------------------------


@login_required
def review_queue(request):
    user = request.user
    _require_reviewer(user)
    now = timezone.now()
    rows = []
    for contract in selectors.review_queue(user)[:LIST_LIMIT]:
        since = contract.arrived_at or contract.submitted_at or contract.created_at
        rows.append(
            {
                "contract": contract,
                "days": (now - since).days,
                "precheck": _precheck_summary(contract.precheck),
            }
        )
    return render(
        request,
        "vouchers/review_queue.html",
        {
            "rows": rows,
            "level": role_name(user.role),
            "statuses": [contract_status_label(s) for s in review_statuses(user.role)],
            "chain": chain_text(province_policy(timezone.localdate().year).contract_review) or "无（提交即生成创新券）",
            "words": contract_words(province_policy(timezone.localdate().year)),
        },
    )


# --- Vouchers ---------------------------------------------------------------------------------


@login_required
def voucher_list(request):
    vouchers = labels.with_last_redemption(selectors.vouchers_with_balance(request.user))
    year = timezone.localdate().year
    vouchers, status = labels.filter_by(vouchers, request.GET.get("status", ""), year)
    # A home to-do's rows (?todo=confirm_use), read by the to-do's own selector and marked.
    vouchers, todo = settlement_selectors.vouchers_for_todo(vouchers, request.user, request.GET.get("todo", ""))
    return render(
        request,
        "vouchers/voucher_list.html",
        {
            "vouchers": labels.label_all(vouchers[:LIST_LIMIT]),
            "todo": todo,
            "status": status,
            "statuses": labels.status_choices(year),
            "chain": chain_text(province_policy(year).contract_review),
            "voucher_origin": voucher_origin(province_policy(year)),
            "words": contract_words(province_policy(year)),
        },
    )


@login_required
def voucher_detail(request, pk: int):
    voucher = get_object_or_404(vouchers_visible_to(request.user), pk=pk)
    contract_visible = contracts_visible_to(request.user).filter(pk=voucher.contract_id).exists()
    return render(
        request,
        "vouchers/voucher_detail.html",
        {
            "voucher": voucher,
            "status_label": labels.status_label(voucher),
            # the same answer the pay page and API give: offered, or why not yet
            "pay_blocked": VOUCHER.why_not(voucher, request.user, "pay")
            if voucher.status == VoucherStatus.ISSUED and request.user.organisation_id == voucher.enterprise_id
            else None,
            # 用券支付, or 支付服务费 where the enterprise pays in full (as the pay page says)
            "pay_action": settlement_selectors.payment_preview(voucher).action
            if voucher.status == VoucherStatus.ISSUED
            else "",
            "adjustment": ledger.voucher_adjustments([voucher]).get(voucher.pk),
            "balance": ledger.voucher_balance(voucher),
            "total": ledger.voucher_value(voucher),
            "ledger": voucher.ledger.select_related("actor", "region"),
            "contract_visible": contract_visible,
            "verify_url": reverse("verify:verify", args=[voucher.number]),
            # Generated from our own URL (no user text), so it is safe to inline.
            "qr": mark_safe(qr_svg(settings.SITE_URL + reverse("verify:verify", args=[voucher.number]))),  # noqa: S308
        },
    )


# --- Policies ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def policy_list(request):
    _require_centre(request.user)
    error = ""
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", ""))
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            error = "请输入有效的年度。"
        else:
            try:
                policy = services.policy_create_from_preset(
                    key=request.POST.get("preset", ""), year=year, by=request.user
                )
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                messages.success(request, f"已按模板发布 {year} 年度政策，请核对各项数字。")
                return redirect("vouchers:policy_edit", pk=policy.pk)
    return render(
        request,
        "vouchers/policy_list.html",
        {
            "policies": Policy.objects.select_related("region").order_by("-year", "region_id"),
            "presets": [(key, data["name"]) for key, data in PRESETS.items()],
            "next_year": timezone.localdate().year,
            "error": error,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    _require_centre(request.user)
    policy = get_object_or_404(Policy.objects.select_related("region"), pk=pk)
    if request.method == "POST":
        # The form checks the input on its own copy of the row; the service locks and writes.
        form = PolicyForm(request.POST, instance=Policy.objects.get(pk=pk))
        tiers = TierFormSet(request.POST, prefix="tiers", policy_model=request.POST.get("model", ""))
        if form.is_valid() and tiers.is_valid():
            data = {**form.policy_data(), "tiers": tiers.tiers()}
            try:
                services.policy_save(by=request.user, data=data, policy=policy)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "政策已保存；新的合同按新数字计算，已提交的合同在下次保存或提交时重新计算。",
                )
                return redirect("vouchers:policy_edit", pk=policy.pk)
    else:
        form = PolicyForm(instance=policy)
        tiers = TierFormSet(initial=tier_initial(policy), prefix="tiers", policy_model=policy.model)
    trial_form, trial = TrialForm(request.GET or None), None
    if request.GET and trial_form.is_valid():
        data = trial_form.cleaned_data
        trial = compute_subsidy(
            policy,
            data["amount"],
            received_this_year=data["received"] or Decimal("0"),
            applicant_kind=data["applicant_kind"],
            topup_rate=policy.county_topup_rate,
        )
    return render(
        request,
        "vouchers/policy_edit.html",
        {
            "policy": policy,
            "form": form,
            "tiers": tiers,
            "trial_form": trial_form,
            "trial": trial,
            "contracts_count": policy.contracts.count(),
        },
    )
