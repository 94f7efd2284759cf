"""The subsidy calculation: one pure function of (policy, contract amount, what the applicant
already received this year). No database access; every number comes from the policy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Subsidy:
    """What a contract is worth under a policy.

    ``by_rule`` is the amount the rules give before the annual cap; ``amount`` is the
    voucher's face value after it (paid from the provincial budget); ``county_topup`` is
    the county's own addition on top (its budget; not counted against the cap)."""

    amount: Decimal
    by_rule: Decimal
    cap: Decimal
    cap_left: Decimal
    county_topup: Decimal = ZERO
    steps: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.amount < self.by_rule


def _tiers(tiers: list) -> list[tuple[Decimal | None, Decimal]]:
    return [(None if upper is None else Decimal(str(upper)), Decimal(str(rate))) for upper, rate in tiers]


def marginal(amount: Decimal, tiers: list) -> tuple[Decimal, list[str]]:
    """Sum of rate × the part of ``amount`` inside each tier (like income-tax brackets)."""
    total, lower, steps = ZERO, ZERO, []
    for upper, rate in _tiers(tiers):
        top = amount if upper is None else min(amount, upper)
        if top <= lower:
            break
        part = top - lower
        total += part * rate
        steps.append(f"{lower:,.0f}–{top:,.0f} 元 × {rate:.0%} = {money(part * rate):,.2f} 元")
        if upper is None or amount <= upper:
            break
        lower = upper
    return money(total), steps


def annual_cap(policy, *, applicant_kind: str, qualification: str = "", city_adcode: int | None = None) -> Decimal:
    """The applicant's yearly ceiling: contract model by legal form; quota model by city,
    then qualification, then the default quota."""
    if policy.model == "quota":
        quota = policy.quota or {}
        by_city = {str(k): v for k, v in (quota.get("by_city") or {}).items()}
        if city_adcode is not None and str(city_adcode) in by_city:
            return money(by_city[str(city_adcode)])
        by_kind = quota.get("by_qualification") or {}
        key = "individual" if applicant_kind == "individual" else qualification
        if key in by_kind:
            return money(by_kind[key])
        return money(quota.get("default", 0))
    return money(policy.cap_individual if applicant_kind == "individual" else policy.cap_legal_entity)


def compute_subsidy(
    policy,
    amount,
    *,
    received_this_year=ZERO,
    applicant_kind: str = "enterprise",
    qualification: str = "",
    city_adcode: int | None = None,
    topup_rate=ZERO,
    entitlement_left=None,
) -> Subsidy:
    """The voucher a contract of ``amount`` yuan earns.

    Contract model: marginal tiers. Quota model: ``flat_rate`` × amount. Either way no
    more than what is left of the annual cap — or, in a scheme with entitlements (额度),
    of the applicant's granted, unused entitlement (``entitlement_left``). A county top-up
    is ``topup_rate`` × amount, never making the total exceed the contract amount."""
    amount = money(amount)
    if amount <= 0:
        return Subsidy(ZERO, ZERO, ZERO, ZERO, ZERO, ["合同金额须大于 0。"])
    if policy.model == "quota":
        rate = Decimal(str(policy.flat_rate or 0))
        by_rule = money(amount * rate)
        steps = [f"{amount:,.2f} 元 × {rate:.0%} = {by_rule:,.2f} 元"]
    else:
        by_rule, steps = marginal(amount, policy.tiers)
    if entitlement_left is not None:
        cap_left = max(ZERO, money(entitlement_left))
        cap = cap_left + money(received_this_year)
        value = min(by_rule, cap_left)
        if value < by_rule:
            steps.append(f"可用额度 {cap_left:,.2f} 元")
    else:
        cap = annual_cap(policy, applicant_kind=applicant_kind, qualification=qualification, city_adcode=city_adcode)
        cap_left = max(ZERO, cap - money(received_this_year))
        value = min(by_rule, cap_left)
        if value < by_rule:
            steps.append(
                f"年度上限 {cap:,.2f} 元，本年已获 {money(received_this_year):,.2f} 元，可用 {cap_left:,.2f} 元"
            )
    topup = ZERO
    rate = Decimal(str(topup_rate or 0))
    if rate > 0:
        topup = min(money(amount * rate), amount - value)
        steps.append(f"区县配套 {amount:,.2f} 元 × {rate:.0%} = {topup:,.2f} 元")
    return Subsidy(value, by_rule, cap, cap_left, topup, steps)


def valid_until(policy, issued_on: dt.date) -> dt.date:
    """The scheme's validity of a voucher issued on ``issued_on``: a number of days from
    issue, or the end of the policy year."""
    if policy.valid_to_year_end:
        return dt.date(policy.year, 12, 31)
    return issued_on + dt.timedelta(days=policy.validity_days)
