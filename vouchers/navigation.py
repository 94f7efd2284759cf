"""Menu entries the year's scheme gives a user no work on (``accounts.navigation`` asks).

Henan's bureau reviews no contracts (its chain is the institution's acceptance and the
platform), holds no budget and makes no batches; an operator registers no projects outside
Henan; a bureau grants claims only where applications are reviewed (Jiangsu) or sets claim
caps (Zhejiang). The pages stay reachable by URL (they show their empty queues)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Role
from vouchers.models import Entitlement, Funding, Policy
from vouchers.policies.records import province_policy
from vouchers.policies.words import CONTRACT, REGISTRATION, contract_words


def unused_entries(user) -> set[str]:
    policy = province_policy(timezone.localdate().year)
    unused: set[str] = set()
    if user.role in (Role.BUREAU, Role.OPERATOR, Role.CENTRE) and user.role not in (policy.contract_review or []):
        unused.add("vouchers:review")
    if user.role == Role.BUREAU:
        if policy.entitlement not in (Entitlement.APPLICATION, Entitlement.CLAIM):
            unused.add("vouchers:claims")
        if policy.funding != Funding.LOCAL:
            unused.add("vouchers:batches")
            topups = Policy.objects.filter(year=policy.year, region__isnull=False, county_topup_rate__gt=0)
            if not topups.exists():  # no county tops vouchers up: there is no local budget
                unused.add("vouchers:budget")
    if user.role == Role.OPERATOR and not policy.project_registration:
        unused.add("vouchers:projects")
    return unused


def entry_labels(user) -> dict[str, str]:
    """The menu's contract entries in the year's scheme's words: Henan's (and Jiangsu's)
    创新券订单 and 订单审核; Ningxia keeps 创新券合同 and its reviewers' 合同审核/复核/审定.

    Zhejiang's (``Policy.use_registration``) entry is 创新券使用登记 and still opens the
    contracts list, not the registration form (``vouchers:use_registration``): the list is the
    one page that shows the registered uses to all three roles that have the entry — the
    enterprise, the provider and the county bureau (the form and its 使用记录 are the
    enterprise's only) — and the enterprise's list leads to the form by its notice, as its
    wallet (我的额度) does by its 使用登记 button. No review entry: a registration is not reviewed."""
    words = contract_words(province_policy(timezone.localdate().year))
    if words == CONTRACT:
        return {}
    if words == REGISTRATION:
        return {"vouchers:contracts": words.name}
    return {"vouchers:contracts": words.name, "vouchers:review": f"{words.short}审核"}
