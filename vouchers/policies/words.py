"""What a scheme's users call the voucher's contract, derived from fields the Policy has.

Ningxia's enterprise applies for the voucher on a signed services contract its authorities
review (科技创新券服务合同); Henan's and Jiangsu's platforms call the same record an order
(创新券订单: Henan's is accepted by the institution, then reviewed by the platform; Jiangsu's
carries the voucher from its submission, without review). No new field: the first level of
``contract_review`` tells them apart, so a fifth province gets its word from its chain.
Where the scheme registers uses (``Policy.use_registration``, Zhejiang) the enterprise's
users know only the 创新券使用登记 (guide §3.2): the record a registration makes is a contract
row internally, but its list, page, title and PDF say 使用登记; the text of the agreement it
records keeps 合同 (``ContractWords.agreement``: the enterprise's own contract).
"""

from __future__ import annotations

from dataclasses import dataclass

from vouchers.models import Policy, Reviewer


@dataclass(frozen=True)
class ContractWords:
    """``name``: the record (创新券合同 / 创新券订单); ``short``: the word alone (合同 / 订单);
    ``full``: the record's title on its page (科技创新券服务合同 / 创新券订单); ``listing``:
    the list page's heading (创新券服务合同 / 创新券订单); ``agreement``: the word inside the
    agreement's own text and for its amount (本合同, 合同金额 / 本订单, 订单金额) — the same as
    ``short`` except for a use registration, which records the enterprise's contract."""

    name: str
    short: str
    full: str
    listing: str
    agreement: str


CONTRACT = ContractWords(
    name="创新券合同", short="合同", full="科技创新券服务合同", listing="创新券服务合同", agreement="合同"
)
ORDER = ContractWords(name="创新券订单", short="订单", full="创新券订单", listing="创新券订单", agreement="订单")
REGISTRATION = ContractWords(
    name="创新券使用登记", short="使用登记", full="创新券使用登记", listing="创新券使用登记", agreement="合同"
)


def is_order(policy: Policy) -> bool:
    """The scheme's voucher goes with the platform's order: accepted by the institution
    first, or used on submission with no review at all. A use registration (Zhejiang)
    records the enterprise's own contract: a contract."""
    if policy.use_registration:
        return False
    chain = list(policy.contract_review or [])
    return not chain or chain[0] == Reviewer.INSTITUTION


def contract_words(policy: Policy) -> ContractWords:
    """The words the pages use for the contract of ``policy``'s scheme (templates get them
    as ``words``: ``{{ words.name }}``)."""
    if policy.use_registration:
        return REGISTRATION
    return ORDER if is_order(policy) else CONTRACT


def voucher_origin(policy: Policy) -> str:
    """Where a voucher of ``policy``'s scheme comes from, as the voucher list says it."""
    if policy.use_registration:
        return "每次创新券使用登记生成一张电子创新券"
    if not policy.contract_review:
        return "每份提交的创新券订单对应一张电子创新券"
    words = contract_words(policy)
    return f"每份审核通过的{words.name}对应一张电子创新券"
