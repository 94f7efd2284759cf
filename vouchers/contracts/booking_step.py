"""The voucher step of an accepted booking as the year's scheme names it (SPEC §10).

The catalogue's booking page and list ask ``catalog.services.voucher_step`` (set at start-up
by this app): Ningxia applies for a voucher on a contract its bureau, operator and centre
review (申领创新券); Henan submits a voucher order that the institution accepts and the
platform reviews (提交创新券订单); Jiangsu uses its voucher on the order, issued at submission
(使用创新券); Zhejiang registers the use after the service on its own form (使用登记)."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from catalog.models import Booking, BookingStatus
from catalog.services import VoucherStep
from vouchers.contracts.services import booking_voucher_refusal
from vouchers.entitlements import services as entitlements
from vouchers.models import IN_REVIEW, Contract, ContractStatus, Policy, Reviewer, Voucher, VoucherStatus
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import accepted_with_order, chain_text
from vouchers.policies.words import contract_words
from vouchers.transitions import EDITABLE

# A voucher order accepted by the institution and then reviewed by the platform holds the
# service back in these statuses: not yet submitted, in review, or waiting for its one
# correction.
ORDER_WAITING = (ContractStatus.DRAFT, *IN_REVIEW, ContractStatus.RETURNED)
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
        # what the applicant still lacks under this year's scheme (nothing in Ningxia)
        policy = province_policy(timezone.localdate().year)
        return replace(step, prerequisite=entitlements.voucher_prerequisite(booking.enterprise, policy))
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
    words = contract_words(policy)
    draft = "服务合同"
    if not chain:  # Jiangsu: the order (创新券订单) carries the voucher from its submission
        action, draft = f"使用{name}", words.name
        review = f"提交即按本年度额度核定{name}，无需审核"
    elif chain[0] == Reviewer.INSTITUTION:
        # Henan: the order is filled in and submitted while the booking waits; the
        # institution's 受理 of the order is its one acceptance of the booking.
        rest = chain_text(chain[1:])
        action, draft = f"提交{name}订单", words.name
        # A booking the system confirmed (an instant slot) is accepted already: the
        # institution's 受理 then accepts the order alone (catalog.services.booking_request_slot).
        accepts = "" if booking is not None and booking.status != BookingStatus.REQUESTED else "（受理即接受本预约）"
        review = f"由服务机构受理{accepts}" + (f"，{rest}审核" if rest else "")
    else:
        action, review = f"申领{name}", f"由{chain_text(chain)}审核"
    return VoucherStep(
        action=action,
        text=(
            f"系统按本预约生成{draft}草稿（双方、项目、金额、日期取自预约），您核对后签署诚信承诺书、"
            f"上传盖章合同并提交，{review}。"
        ),
        url=reverse("vouchers:contract_from_booking", args=[booking.pk]) if booking is not None else "",
        record=words.name,
        before_acceptance=accepted_with_order(policy),
    )


def reviewed_before_service(policy: Policy) -> bool:
    """Whether the scheme's orders are reviewed before the service is rendered: the order
    goes to the institution first (受理), then to the platform (Henan: 管理单位接收创新券订单后，
    等待省平台审核…；经过省平台审核，再履行订单合同并上传订单结果). Ningxia's contract is
    reviewed by the bureau, operator and centre for the voucher, while the service under
    the signed contract goes on (区外机构: 先行支付全部服务费用，服务完成后申请兑付), so
    its bookings are not held back."""
    return accepted_with_order(policy)


def _contract_of(booking: Booking) -> Contract | None:
    # Asked afresh: the booking's cached reverse relation may predate the order.
    return Contract.objects.filter(booking_id=booking.pk).select_related("policy").first()


def order_accepts_booking(booking: Booking, contract: Contract | None = None) -> bool:
    """Whether ``booking`` is accepted by the institution's acceptance (受理) of its voucher
    order rather than on its own (:func:`~vouchers.policies.schemes.accepted_with_order`):
    a booking still waiting, ordered with the voucher for an eligible item, that can lead
    to a voucher, under the order's scheme (the year's before there is an order)."""
    if booking.status != BookingStatus.REQUESTED or not booking.use_voucher:
        return False
    if not (booking.service or booking.instrument).voucher_eligible:
        return False
    policy = contract.policy if contract is not None else province_policy(timezone.localdate().year)
    if not accepted_with_order(policy) or policy.use_registration:
        return False
    return contract is not None or not booking_voucher_refusal(booking)


def _answer_guard(booking: Booking, move: str) -> str | None:
    """The institution accepts (or turns down) a voucher booking through its order: the
    booking's own 接受 is not asked for separately, and while the order waits for its 受理
    the booking is not declined past it (the order is returned first)."""
    contract = _contract_of(booking)
    if not order_accepts_booking(booking, contract):
        return None
    word = contract_words(contract.policy if contract else province_policy(timezone.localdate().year)).name
    waiting = contract is not None and contract.status == ContractStatus.AT_INSTITUTION
    if move == "decline":
        if not waiting:
            return None
        return f"本预约的{word}（{contract.number}）待您受理：请在{word}页面受理或退回，退回后才能拒绝预约。"
    if waiting:
        return f"请受理本预约的{word}（{contract.number}）：受理{word}即接受本预约，无需另行接受。"
    if contract is None:
        return f"本预约使用创新券：待预约方提交{word}（上传合同），服务机构受理{word}即接受本预约。"
    if contract.status not in EDITABLE:
        return None
    label = ContractStatus(contract.status).label
    return f"本预约的{word}（{contract.number}）{label}：待预约方提交后，服务机构受理{word}即接受本预约。"


def booking_guard(booking: Booking, move: str) -> str | None:
    """Why the booking move ``move`` may not be taken now. Accepting and
    declining: see :func:`_answer_guard`. Rating (the applicant's move): see
    :func:`rating_wait`. Starting or completing: where the scheme reviews
    orders before the service (:func:`reviewed_before_service`), while the booking's voucher
    order is a draft, waits for its review or for its one correction. An order approved, or
    turned into an ordinary order, holds nothing back."""
    if move in ("accept", "decline"):
        return _answer_guard(booking, move)
    if move == "rate":
        return rating_wait(booking)
    if move not in MOVE_WORDS:
        return None
    contract = _contract_of(booking)
    if contract is None or contract.status not in ORDER_WAITING or not reviewed_before_service(contract.policy):
        return None
    word = contract_words(contract.policy).name
    if contract.status == ContractStatus.DRAFT:
        chain = chain_text(list(contract.policy.contract_review))
        return (
            f"本预约的{word}（{contract.number}）尚未提交（草稿），"
            f"须预约方提交后经{chain}审核通过才能{MOVE_WORDS[move]}。"
        )
    reviewers = chain_text(list(contract.policy.contract_review)[1:]) or "平台"
    return (
        f"本预约的{word}（{contract.number}）{ContractStatus(contract.status).label}，"
        f"须{reviewers}审核通过后才能{MOVE_WORDS[move]}。"
    )


def rating_wait(booking: Booking) -> str | None:
    """Why the applicant may not rate ``booking`` yet, or None.

    A service paid with a voucher is rated with the voucher's use, once it is paid: SPEC
    §5.3 has the enterprise rate the institution with its proofs after the payment, and
    Henan's guide (seed 002) after paying the order — 创新券订单支付完成后，企业需在“订单列表”中
    点击“评价”，对管理单位、省平台本次服务进行评价 — so the platform's score is asked where the
    scheme wants it and the one service takes one rating. The booking's completion alone
    does not open the rating while its voucher order is on its way (a draft, in review, or
    returned with a correction left) or its voucher is issued and not yet paid with. A
    booking without an order, an order turned ordinary (no voucher), one that can no longer
    be submitted, or a voucher that expired unused is rated as an ordinary booking. The
    booking page, the API's ``available_moves``/``blocked`` and ``booking_rate`` all ask
    this through the booking's workflow (``catalog.services.BOOKING``)."""
    contract = _contract_of(booking)
    if contract is None or contract.status == ContractStatus.ORDINARY:
        return None
    word = contract_words(contract.policy).name
    stuck = (
        contract.status == ContractStatus.RETURNED
        and contract.resubmissions >= contract.policy.resubmissions_allowed  # no correction left
    )
    if contract.status in IN_REVIEW or (contract.status in EDITABLE and not stuck):
        label = ContractStatus(contract.status).label
        return f"本预约使用创新券：{word}（{contract.number}）{label}，审核通过并用券支付后才能评价。"
    voucher = Voucher.objects.filter(contract=contract).first()
    if voucher is None or voucher.status != VoucherStatus.ISSUED or voucher.valid_until < timezone.localdate():
        return None
    pay = "确认订单结果并用券支付" if contract.policy.result_confirmation else "用券支付"
    platform = "，届时一并为省平台服务评分" if contract.policy.platform_rating else ""
    return f"本预约以创新券 {voucher.number} 支付：{pay}后才能评价{platform}。"


def rating_waits(today) -> Q:
    """:func:`rating_wait` as a condition on bookings (the home page's 待评价 count leaves
    these out): a voucher order on its way, or its voucher issued, valid and not yet used."""
    return (
        Q(contract__status__in=[ContractStatus.DRAFT, *IN_REVIEW])
        | Q(
            contract__status=ContractStatus.RETURNED,
            contract__resubmissions__lt=F("contract__policy__resubmissions_allowed"),
        )
        | Q(contract__voucher__status=VoucherStatus.ISSUED, contract__voucher__valid_until__gte=today)
    )


def awaiting_result(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """The completed ``bookings`` still without the order result their scheme needs (the
    rule of :func:`result_needed`, as a query: the institution's to-do)."""
    done = bookings.filter(status=BookingStatus.COMPLETED, use_voucher=True, result="")
    by_order = Q(contract__policy__result_confirmation=True) & ~Q(contract__status=ContractStatus.ORDINARY)
    if province_policy(timezone.localdate().year).result_confirmation:
        return done.filter(by_order | Q(contract__isnull=True))
    return done.filter(by_order)


def result_step(booking: Booking) -> bool:
    """Whether the booking's scheme has the institution's order result at all (Henan's
    ``Policy.result_confirmation``): the order's own policy once there is one, the year's
    before. Where it has not, the booking page offers no upload and the catalogue refuses
    one (``catalog.services.booking_result_upload``)."""
    contract = _contract_of(booking)
    policy = contract.policy if contract is not None else province_policy(timezone.localdate().year)
    return policy.result_confirmation


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
