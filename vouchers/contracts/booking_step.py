"""The voucher step of an accepted booking as the year's scheme names it (SPEC §10).

The catalogue's booking page and list ask ``catalog.services.voucher_step`` (set at start-up
by this app): Ningxia applies for a voucher on a contract its bureau, operator and centre
review (申领创新券); Henan submits a voucher order that the institution accepts and the
platform reviews (提交创新券订单); Jiangsu uses its voucher on the order, issued at submission
(使用创新券); Zhejiang registers the use after the service on its own form (使用登记)."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from catalog.models import Booking, BookingStatus
from catalog.services import VoucherStep
from vouchers.contracts.services import booking_voucher_refusal
from vouchers.models import IN_REVIEW, Contract, ContractStatus, Policy, Reviewer
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import chain_text
from vouchers.policies.words import contract_words

# A voucher order accepted by the institution and then reviewed by the platform waits for
# that review in these statuses (a returned order waits for its one correction).
ORDER_WAITING = (*IN_REVIEW, ContractStatus.RETURNED)
MOVE_WORDS = {"start": "开始服务", "complete": "确认服务完成"}


def voucher_step(booking: Booking | None) -> VoucherStep:
    """The step; for a ``booking`` that cannot lead to a voucher now (the year rule and the
    applicant rule of ``services.booking_voucher_refusal``) its ``refusal`` says why, and
    the page offers no button."""
    step = _step(booking)
    if booking is not None and booking.use_voucher:
        refusal = booking_voucher_refusal(booking)
        if refusal:
            return replace(step, refusal=refusal)
    return step


def _step(booking: Booking | None) -> VoucherStep:
    policy = province_policy(timezone.localdate().year)
    name = "创新券"  # what every seed province's users call it on this button
    if policy.use_registration:
        return VoucherStep(
            registers=True,
            action=f"{name}使用登记",
            text=(
                "服务完成后，在使用登记中选择本次服务，填写服务类别、合同名称、金额和签订日期，选择兑付方"
                f"（企业兑付或载体兑付），上传合同、发票和服务结果凭证并勾选承诺，提交即使用{name}，无需科技部门审批。"
            ),
            # The form opens with this booking chosen (provider, item, amount filled in).
            url=reverse("vouchers:use_registration") + (f"?booking={booking.pk}" if booking is not None else ""),
            post=False,
        )
    chain = list(policy.contract_review or [])
    if not chain:
        action, review = f"使用{name}", f"提交即按本年度额度核定{name}，无需审核"
    elif chain[0] == Reviewer.INSTITUTION:
        rest = chain_text(chain[1:])
        action, review = f"提交{name}订单", f"由服务机构受理，{rest}审核" if rest else "由服务机构受理"
    else:
        action, review = f"申领{name}", f"由{chain_text(chain)}审核"
    return VoucherStep(
        action=action,
        text=(
            "系统按本预约生成服务合同草稿（双方、项目、金额、日期取自预约），您核对后签署诚信承诺书、"
            f"上传盖章合同并提交，{review}。"
        ),
        url=reverse("vouchers:contract_from_booking", args=[booking.pk]) if booking is not None else "",
        record=contract_words(policy).name,
    )


def reviewed_before_service(policy: Policy) -> bool:
    """Whether the scheme's orders are reviewed before the service is rendered: the order
    goes to the institution first (受理), then to the platform (Henan: 管理单位接收创新券订单后，
    等待省平台审核…；经过省平台审核，再履行订单合同并上传订单结果). Ningxia's contract is
    reviewed by the bureau, operator and centre for the voucher, while the service under
    the signed contract goes on (区外机构: 先行支付全部服务费用，服务完成后申请兑付), so
    its bookings are not held back."""
    chain = list(policy.contract_review or [])
    return bool(chain) and chain[0] == Reviewer.INSTITUTION


def _contract_of(booking: Booking) -> Contract | None:
    # Asked afresh: the booking's cached reverse relation may predate the order.
    return Contract.objects.filter(booking_id=booking.pk).select_related("policy").first()


def booking_guard(booking: Booking, move: str) -> str | None:
    """Why the institution may not start (or complete) the booked service yet: its voucher
    order waits for the platform's review where the scheme reviews orders before the
    service (:func:`reviewed_before_service`). An order approved, turned into an ordinary
    order, or not submitted at all holds nothing back."""
    if move not in MOVE_WORDS:
        return None
    contract = _contract_of(booking)
    if contract is None or contract.status not in ORDER_WAITING or not reviewed_before_service(contract.policy):
        return None
    word = contract_words(contract.policy).name
    reviewers = chain_text(list(contract.policy.contract_review)[1:]) or "平台"
    return (
        f"本预约的{word}（{contract.number}）{ContractStatus(contract.status).label}，"
        f"须{reviewers}审核通过后才能{MOVE_WORDS[move]}。"
    )


def awaiting_result(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """The completed ``bookings`` still without the order result their scheme needs (the
    rule of :func:`result_needed`, as a query: the institution's to-do)."""
    done = bookings.filter(status=BookingStatus.COMPLETED, use_voucher=True, result="")
    by_order = Q(contract__policy__result_confirmation=True) & ~Q(contract__status=ContractStatus.ORDINARY)
    if province_policy(timezone.localdate().year).result_confirmation:
        return done.filter(by_order | Q(contract__isnull=True))
    return done.filter(by_order)


def result_needed(booking: Booking) -> bool:
    """Whether the institution's step after the service is the order result (订单结果): the
    scheme pays only after the applicant confirms it (``Policy.result_confirmation``,
    Henan). Only for a booking ordered with the voucher: the order's own policy once there
    is one (not after it became an ordinary order), the year's scheme before."""
    if not booking.use_voucher:
        return False
    contract = _contract_of(booking)
    if contract is not None:
        return contract.status != ContractStatus.ORDINARY and contract.policy.result_confirmation
    return province_policy(timezone.localdate().year).result_confirmation
