"""The voucher step of an accepted booking as the year's scheme names it (SPEC §10).

The catalogue's booking page and list ask ``catalog.services.voucher_step`` (set at start-up
by this app): Ningxia applies for a voucher on a contract its bureau, operator and centre
review (申领创新券); Henan submits a voucher order that the institution accepts and the
platform reviews (提交创新券订单); Jiangsu uses its voucher on the order, issued at submission
(使用创新券); Zhejiang registers the use after the service on its own form (使用登记)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from catalog.models import Booking
from catalog.services import VoucherStep
from vouchers.models import Reviewer
from vouchers.policies.records import province_policy
from vouchers.policies.schemes import chain_text


def voucher_step(booking: Booking | None) -> VoucherStep:
    policy = province_policy(timezone.localdate().year)
    name = "创新券"  # what every seed province's users call it on this button
    if policy.use_registration:
        return VoucherStep(
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
    )
