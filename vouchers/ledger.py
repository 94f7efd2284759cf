"""The money ledger: the only writer of ``LedgerEntry``, its balance reads, its invariant
check, and the lock order every money-moving service follows.

Money moves as *movements*: one :func:`post` call writes the entries (:class:`Leg`) of one
event — issue, use, redemption request, confirmation, return, payout, expiry, clawback,
budget, subsidy grant and cancellation — after refusing it if any balance it touches would
go below zero. Entries are
append-only (a database trigger refuses UPDATE and DELETE) and every balance is a sum of
entries; nothing else in the code base creates a ``LedgerEntry``.

Where value sits (``LedgerAccount``) and which entries make up one balance:

=================  =========================================  ===========================
account            balance key                                moved by
=================  =========================================  ===========================
applicant_cap      organisation (the applicant), year         issue (+), expiry (−),
                                                              adjust (−)
entitlement        organisation (the applicant), year         grant (+), issue (−),
                                                              expiry/adjust (+), lapse (−)
voucher            voucher, organisation (its holder)         issue, use, request, return
redeeming          voucher                                    request (+), confirm/return
payable            voucher                                    confirm (+), pay/return (−)
paid               voucher, organisation (the payee)          pay (+), clawback (−)
subsidy_payable    subsidy                                    subsidy_grant (+), pay (−),
                                                              subsidy_cancel (−)
subsidy_paid       subsidy, organisation (the institution)    pay (+)
province_budget    year                                       budget (+), pay (−) of
                                                              vouchers and subsidies,
                                                              clawback (+)
county_budget      year, region (the county)                  budget (+), pay (−), clawback
=================  =========================================  ===========================

An institution's annual subsidy (``Subsidy``, SPEC §5.5) is a payable like a confirmed
redemption: granting it credits ``subsidy_payable``; a payout batch pays it from the
province budget of the batch's year into ``subsidy_paid`` (no county top-up); cancelling an
unpaid one debits the payable again. :func:`ledger_problems` checks that each subsidy's
amount sits where its status says.

Lock order
----------
Every ``select_for_update`` of the vouchers app is one of the ``lock_*`` functions below,
and a transaction that takes several takes them in this order (rows of one kind in
primary-key order; budgets province first, then counties by adcode). Following one order
means two requests never wait for each other in a circle:

 1. ``lock_policy``        Policy            policy_save (never together with the others)
 2. ``lock_contract``      Contract          every contract service (edit, submit, review)
 2a. catalog's booking     Booking, Instrument  contract_review: the institution's 受理 of
                                             an order accepts its booking (Henan), through
                                             ``catalog.services.booking_accept_with_order``
 3. ``lock_applicant``     Organisation      voucher_issue: two final approvals for one
                                             applicant must not both pass its annual cap;
                                             entitlement claims of one applicant queue here;
                                             subsidy_grant: one live subsidy per
                                             institution and year
 3a. ``lock_claim``        EntitlementClaim  claim decisions (after the applicant)
 3b. ``lock_project``      ProjectRegistration  project review/resubmit (never with money)
 3c. ``lock_renditions``   ContractRendition  the contract PDF's superseded files (never
                                             with money)
 4. ``lock_batches``       PayoutBatch       batch notice/approve/pay, objection lodge/
                                             resolve, budget_set (a batch closes when paid)
 5. ``lock_items``         BatchItem         objection lodge/resolve, batch_pay, budget_set
 6. ``lock_objection``     Objection         objection_resolve
 7. ``lock_redemptions``   Redemption        redemption services, batch_create, payout
 7a. ``lock_subsidies``    Subsidy           subsidy_cancel, batch_create (subsidies),
                                             payout, objection_resolve
 8. ``lock_vouchers``      Voucher           voucher_pay (racing spends queue here),
                                             redemption request/resubmit/return, payout,
                                             expiry, clawback
 9. ``lock_use``           VoucherUse        proof submit/review, use_rate
10. ``lock_budgets``       Budget            payout, budget_set, clawback: the balance read
                                             before paying stays true until commit

A caller in a higher layer locks its own rows before calling in (the annual evaluation locks
the year's results, then grants subsidies here).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, Sum

from accounts.models import Organisation, User
from geodata.models import Region
from vouchers.models import (
    ACTIVE_ITEM_STATUSES,
    BatchItem,
    BatchItemStatus,
    BatchStatus,
    Budget,
    Contract,
    ContractRendition,
    Entitlement,
    EntitlementClaim,
    LedgerAccount,
    LedgerEntry,
    LedgerKind,
    Objection,
    PayoutBatch,
    Policy,
    ProjectRegistration,
    Proof,
    ProofKind,
    Redemption,
    RedemptionItem,
    RedemptionStatus,
    Subsidy,
    SubsidyStatus,
    Voucher,
    VoucherStatus,
    VoucherUse,
)
from vouchers.names import account_label
from vouchers.policies.records import province_policy
from vouchers.policies.value import annual_cap, money

ZERO = Decimal("0")


# --- Movements --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """One entry of a movement: ``amount`` (signed yuan) on ``account``, keyed as the table
    in the module docstring says. ``year`` defaults to the movement's year."""

    account: LedgerAccount
    amount: Decimal
    voucher: Voucher | None = None
    organisation: Organisation | None = None
    region_id: int | None = None
    year: int | None = None
    subsidy: Subsidy | None = None

    def key(self, year: int) -> tuple:
        """The balance this leg changes (see the module docstring)."""
        a = self.account
        leg_year = self.year if self.year is not None else year
        if a == LedgerAccount.PROVINCE_BUDGET:
            return (a, leg_year)
        if a == LedgerAccount.COUNTY_BUDGET:
            return (a, leg_year, self.region_id)
        if a in (LedgerAccount.APPLICANT_CAP, LedgerAccount.ENTITLEMENT):
            return (a, leg_year, self.organisation.pk)
        if a in (LedgerAccount.VOUCHER, LedgerAccount.PAID):
            return (a, self.voucher.pk, self.organisation.pk)
        if a == LedgerAccount.SUBSIDY_PAYABLE:
            return (a, self.subsidy.pk)
        if a == LedgerAccount.SUBSIDY_PAID:
            return (a, self.subsidy.pk, self.organisation.pk)
        return (a, self.voucher.pk)

    def check(self) -> None:
        a = self.account
        needs = {
            LedgerAccount.APPLICANT_CAP: ("organisation",),
            LedgerAccount.ENTITLEMENT: ("organisation",),
            LedgerAccount.VOUCHER: ("voucher", "organisation"),
            LedgerAccount.REDEEMING: ("voucher",),
            LedgerAccount.PAYABLE: ("voucher",),
            LedgerAccount.PAID: ("voucher", "organisation"),
            LedgerAccount.PROVINCE_BUDGET: (),
            LedgerAccount.COUNTY_BUDGET: ("region_id",),
            LedgerAccount.SUBSIDY_PAYABLE: ("subsidy",),
            LedgerAccount.SUBSIDY_PAID: ("subsidy", "organisation"),
        }[a]
        missing = [n for n in needs if getattr(self, n) is None]
        if missing:
            raise ValueError(f"a {a} leg needs {', '.join(missing)}")
        if a == LedgerAccount.PROVINCE_BUDGET and self.region_id is not None:
            raise ValueError("a province budget leg has no region")


def _balance_of_key(key: tuple) -> Decimal:
    account = key[0]
    if account == LedgerAccount.PROVINCE_BUDGET:
        return budget_balance(key[1])
    if account == LedgerAccount.COUNTY_BUDGET:
        return budget_balance(key[1], region_id=key[2])
    if account in (LedgerAccount.APPLICANT_CAP, LedgerAccount.ENTITLEMENT):
        return balance(account, year=key[1], organisation_id=key[2])
    if account in (LedgerAccount.VOUCHER, LedgerAccount.PAID):
        return balance(account, voucher_id=key[1], organisation_id=key[2])
    if account == LedgerAccount.SUBSIDY_PAYABLE:
        return balance(account, subsidy_id=key[1])
    if account == LedgerAccount.SUBSIDY_PAID:
        return balance(account, subsidy_id=key[1], organisation_id=key[2])
    return balance(account, voucher_id=key[1])


def post(kind: LedgerKind, *, legs: Iterable[Leg], year: int, by: User | None = None, note: str = "") -> None:
    """Write one movement, or nothing: refused with a ValidationError when it would take any
    balance it touches below zero. The caller holds the locks (module docstring) that keep
    the balances it read true until commit."""
    legs = [leg for leg in legs if money(leg.amount) != 0]
    deltas: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for leg in legs:
        leg.check()
        deltas[leg.key(year)] += money(leg.amount)
    for key, delta in deltas.items():
        if delta < 0 and _balance_of_key(key) + delta < 0:
            raise ValidationError(f"余额不足：{account_label(key[0])}", code="insufficient_balance")
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            kind=kind,
            account=leg.account,
            amount=money(leg.amount),
            year=leg.year if leg.year is not None else year,
            actor=by,
            organisation=leg.organisation,
            voucher=leg.voucher,
            subsidy=leg.subsidy,
            region_id=leg.region_id,
            note=note[:200],
        )
        for leg in legs
    )


# --- Balances --------------------------------------------------------------------------------


def balance(account: str, **filters) -> Decimal:
    """The sum of ``account``'s entries matching ``filters`` (LedgerEntry field lookups)."""
    return LedgerEntry.objects.filter(account=account, **filters).aggregate(s=Sum("amount"))["s"] or ZERO


def voucher_value(voucher: Voucher) -> Decimal:
    """What a voucher is worth in all: the province's face value plus the county top-up."""
    return voucher.face_value + voucher.county_topup


def voucher_balance(voucher: Voucher) -> Decimal:
    """Spendable or held value on the voucher (zero once it is in redemption, paid or expired)."""
    return balance(LedgerAccount.VOUCHER, voucher=voucher)


def held_by(voucher: Voucher, organisation) -> Decimal:
    return balance(LedgerAccount.VOUCHER, voucher=voucher, organisation=organisation)


def received_this_year(organisation, year: int) -> Decimal:
    """Vouchers issued to ``organisation`` in ``year``, less expired ones (its cap use)."""
    return balance(LedgerAccount.APPLICANT_CAP, organisation=organisation, year=year)


def entitlement_left(organisation, year: int) -> Decimal:
    """The applicant's granted and still unused entitlement (额度) of ``year``."""
    return balance(LedgerAccount.ENTITLEMENT, organisation=organisation, year=year)


def entitlement_granted(organisation, year: int) -> Decimal:
    """What was granted to the applicant for ``year`` (claims approved), used or not."""
    return balance(LedgerAccount.ENTITLEMENT, organisation=organisation, year=year, kind=LedgerKind.GRANT)


def cap_return_legs(voucher: Voucher, amount: Decimal) -> list[Leg]:
    """The legs that give ``amount`` of a voucher's value back to its applicant: its cap
    use falls, and where it was issued against an entitlement (额度) that comes back too
    (expiry, an approved amount below the voucher, an invoice below the contract)."""
    legs = [Leg(LedgerAccount.APPLICANT_CAP, -amount, voucher=voucher, organisation=voucher.enterprise)]
    if LedgerEntry.objects.filter(account=LedgerAccount.ENTITLEMENT, voucher=voucher).exists():
        legs.append(Leg(LedgerAccount.ENTITLEMENT, amount, voucher=voucher, organisation=voucher.enterprise))
    return legs


def cap_use_of_contract(contract: Contract) -> Decimal:
    """The cap use of the contract's own voucher (zero before it is issued)."""
    return balance(LedgerAccount.APPLICANT_CAP, voucher__contract=contract)


def budget_balance(year: int, region_id: int | None = None) -> Decimal:
    """What is left of ``year``'s province budget, or of a county's top-up budget."""
    if region_id is None:
        return balance(LedgerAccount.PROVINCE_BUDGET, year=year, region__isnull=True)
    return balance(LedgerAccount.COUNTY_BUDGET, year=year, region_id=region_id)


def paid_to(voucher: Voucher) -> Organisation | None:
    entry = LedgerEntry.objects.filter(account=LedgerAccount.PAID, voucher=voucher, amount__gt=0).first()
    return entry.organisation if entry else None


def payout_legs(voucher: Voucher) -> list[LedgerEntry]:
    """The budget entries that paid ``voucher`` (what a clawback gives back)."""
    return list(
        LedgerEntry.objects.filter(
            voucher=voucher,
            kind=LedgerKind.PAY,
            account__in=(LedgerAccount.PROVINCE_BUDGET, LedgerAccount.COUNTY_BUDGET),
        ).order_by("pk")
    )


# --- The budget read model (the API and the budget page both show this) ------------------------


@dataclass(frozen=True)
class BudgetLine:
    """One budget of a year: granted (budget entries), paid out net of clawbacks, balance."""

    region: Region | None
    granted: Decimal
    paid: Decimal
    balance: Decimal


@dataclass(frozen=True)
class BudgetSummary:
    year: int
    province: BudgetLine
    counties: list[BudgetLine]


def budget_summary(year: int) -> BudgetSummary:
    """``year``'s province budget and every county top-up budget with entries. "Paid" is
    what left a budget for payouts less what clawbacks returned to it."""
    rows = (
        LedgerEntry.objects.filter(account__in=(LedgerAccount.PROVINCE_BUDGET, LedgerAccount.COUNTY_BUDGET), year=year)
        .values("account", "region")
        .annotate(
            total=Sum("amount"),
            granted=Sum("amount", filter=Q(kind=LedgerKind.BUDGET)),
            spent=Sum("amount", filter=~Q(kind=LedgerKind.BUDGET)),
        )
        .order_by("account", "region")
    )

    def line(region, row) -> BudgetLine:
        def total(name: str) -> Decimal:
            return money((row or {}).get(name) or ZERO)

        return BudgetLine(region=region, granted=total("granted"), paid=-total("spent"), balance=total("total"))

    province_row = next(
        (r for r in rows if r["account"] == LedgerAccount.PROVINCE_BUDGET and r["region"] is None), None
    )
    county_rows = [r for r in rows if r["account"] == LedgerAccount.COUNTY_BUDGET]
    regions = Region.objects.only("adcode", "name").in_bulk([r["region"] for r in county_rows])
    return BudgetSummary(
        year=year,
        province=line(None, province_row),
        counties=[line(regions[r["region"]], r) for r in county_rows],
    )


# --- Locks (in the order of the module docstring) ---------------------------------------------


def lock_policy(pk: int) -> Policy:
    return Policy.objects.select_for_update().get(pk=pk)


def lock_contract(pk: int) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("enterprise__region", "institution__organisation", "policy", "service", "instrument")
        .get(pk=pk)
    )


def lock_applicant(pk: int) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=pk)


def lock_claim(pk: int) -> EntitlementClaim:
    return EntitlementClaim.objects.select_for_update().get(pk=pk)


def lock_project(pk: int) -> ProjectRegistration:
    return ProjectRegistration.objects.select_for_update().get(pk=pk)


def lock_renditions(contract_id: int, *, keep: int) -> list[ContractRendition]:
    """A contract's stored PDFs other than ``keep`` (being removed), in primary-key order."""
    rows = ContractRendition.objects.filter(contract_id=contract_id).exclude(pk=keep).select_for_update()
    return list(rows.order_by("pk"))


def lock_batches(pks: Iterable[int]) -> dict[int, PayoutBatch]:
    rows = PayoutBatch.objects.select_for_update().filter(pk__in=list(pks))
    return {b.pk: b for b in rows.order_by("pk")}


def lock_batch(pk: int) -> PayoutBatch:
    return lock_batches([pk])[pk]


def lock_items(pks: Iterable[int]) -> dict[int, BatchItem]:
    rows = BatchItem.objects.select_for_update(of=("self",)).select_related("batch").filter(pk__in=list(pks))
    return {item.pk: item for item in rows.order_by("pk")}


def lock_item(pk: int) -> BatchItem:
    return lock_items([pk])[pk]


def lock_objection(pk: int) -> Objection:
    return Objection.objects.select_for_update().get(pk=pk)


def lock_redemptions(pks: Iterable[int]) -> dict[int, Redemption]:
    rows = Redemption.objects.select_for_update(of=("self",)).select_related("payee").filter(pk__in=list(pks))
    return {r.pk: r for r in rows.order_by("pk")}


def lock_redemption(pk: int) -> Redemption:
    return lock_redemptions([pk])[pk]


def lock_subsidies(pks: Iterable[int]) -> dict[int, Subsidy]:
    rows = Subsidy.objects.select_for_update(of=("self",)).select_related("institution").filter(pk__in=list(pks))
    return {s.pk: s for s in rows.order_by("pk")}


def lock_subsidy(pk: int) -> Subsidy:
    return lock_subsidies([pk])[pk]


def lock_vouchers(pks: Iterable[int]) -> dict[int, Voucher]:
    rows = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related(
            "contract__booking", "contract__policy", "institution__organisation", "enterprise__region", "holder"
        )
        .filter(pk__in=list(pks))
    )
    return {v.pk: v for v in rows.order_by("pk")}


def lock_voucher(pk: int) -> Voucher:
    return lock_vouchers([pk])[pk]


def lock_use(pk: int) -> VoucherUse:
    return (
        VoucherUse.objects.select_for_update(of=("self",))
        .select_related("voucher__contract", "voucher__enterprise")
        .get(pk=pk)
    )


def ensure_budget(year: int, region_id: int | None = None) -> Budget:
    """The budget row of ``year`` (province, or a county), created if missing. Only setting
    a budget creates a county's row; paying needs it to exist (``lock_budgets``)."""
    budget, _ = Budget.objects.get_or_create(year=year, region_id=region_id)
    return budget


def lock_budgets(year: int, county_ids: Iterable[int] = ()) -> dict[int | None, Budget]:
    """Lock ``year``'s province budget row (created if missing: it is only a lock) and the
    existing rows of the given counties, province first, then counties by adcode. A county
    without a row is missing from the answer: its top-up budget was never set."""
    ensure_budget(year)
    counties = sorted(set(county_ids))
    rows = Budget.objects.select_for_update().filter(Q(region__isnull=True) | Q(region_id__in=counties), year=year)
    return {b.region_id: b for b in rows.order_by(F("region_id").asc(nulls_first=True))}


# --- Invariants ---------------------------------------------------------------------------------

EXPECTED_ACCOUNT = {
    VoucherStatus.ISSUED: LedgerAccount.VOUCHER,
    VoucherStatus.USED: LedgerAccount.VOUCHER,
    VoucherStatus.REDEEMING: None,  # in REDEEMING or PAYABLE, by the redemption's stage
    VoucherStatus.REDEEMED: LedgerAccount.PAID,
    VoucherStatus.EXPIRED: None,
    VoucherStatus.CLAWED_BACK: None,
}
STAGES = (LedgerAccount.VOUCHER, LedgerAccount.REDEEMING, LedgerAccount.PAYABLE, LedgerAccount.PAID)


def ledger_problems() -> list[str]:
    """Every invariant of the ledger and of the money's statuses; empty when consistent.
    (``manage.py vouchers_check_ledger`` prints these.)"""
    problems: list[str] = []
    with connection.cursor() as cur:
        # No balance of any account below zero, by the keys of the module docstring.
        cur.execute("""SELECT account, year, region_id, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('province_budget', 'county_budget')
                       GROUP BY 1, 2, 3 HAVING sum(amount) < 0""")
        problems += [f"negative {a} year={y} region={r}: {t}" for a, y, r, t in cur.fetchall()]
        cur.execute("""SELECT account, organisation_id, year, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('applicant_cap', 'entitlement')
                       GROUP BY 1, 2, 3 HAVING sum(amount) < 0""")
        problems += [f"negative {a} org={o} year={y}: {t}" for a, o, y, t in cur.fetchall()]
        cur.execute("""SELECT account, voucher_id, organisation_id, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('voucher', 'paid') GROUP BY 1, 2, 3 HAVING sum(amount) < 0""")
        problems += [f"negative {a} voucher={v} org={o}: {t}" for a, v, o, t in cur.fetchall()]
        cur.execute("""SELECT account, voucher_id, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('redeeming', 'payable') GROUP BY 1, 2 HAVING sum(amount) < 0""")
        problems += [f"negative {a} voucher={v}: {t}" for a, v, t in cur.fetchall()]
        cur.execute("""SELECT account, subsidy_id, organisation_id, sum(amount) FROM vouchers_ledgerentry
                       WHERE account IN ('subsidy_payable', 'subsidy_paid')
                       GROUP BY 1, 2, 3 HAVING sum(amount) < 0""")
        problems += [f"negative {a} subsidy={s} org={o}: {t}" for a, s, o, t in cur.fetchall()]

    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(STAGES, ZERO))
    held: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for voucher_id, account, org_id, total in (
        LedgerEntry.objects.filter(account__in=STAGES)
        .values_list("voucher_id", "account", "organisation_id")
        .annotate(s=Sum("amount"))
    ):
        sums[voucher_id][account] += total
        if account == LedgerAccount.VOUCHER:
            held[voucher_id, org_id] += total
    for v in Voucher.objects.only("pk", "number", "status", "face_value", "county_topup", "holder_id"):
        stage = sums[v.pk]
        value = voucher_value(v)
        live = v.status not in (VoucherStatus.EXPIRED, VoucherStatus.CLAWED_BACK)
        total = sum(stage.values())
        if total != (value if live else ZERO):
            problems.append(f"{v.number}: value {total} in the ledger, expected {value if live else 0}")
        account = EXPECTED_ACCOUNT[v.status]
        if account and stage[account] != value:
            problems.append(f"{v.number} ({v.status}): {account} holds {stage[account]}")
        if v.status in (VoucherStatus.ISSUED, VoucherStatus.USED) and held[v.pk, v.holder_id] != value:
            problems.append(f"{v.number}: its holder holds {held[v.pk, v.holder_id]}")

    for org_id, year, total in (
        LedgerEntry.objects.filter(account=LedgerAccount.APPLICANT_CAP)
        .values_list("organisation", "year")
        .annotate(s=Sum("amount"))
        .values_list("organisation", "year", "s")
    ):
        policy = province_policy(year)
        if policy.pk is None:
            continue
        org = Organisation.objects.select_related("region").get(pk=org_id)
        if policy.entitlement != Entitlement.NONE:
            granted = balance(LedgerAccount.ENTITLEMENT, organisation_id=org_id, year=year, kind=LedgerKind.GRANT)
            if total > granted:
                problems.append(f"{org.name} {year}: {total} issued over the entitlement granted {granted}")
            continue
        cap = annual_cap(
            policy,
            applicant_kind=org.kind,
            qualification=org.qualification,
            city_adcode=org.region.parent_id if org.region_id else None,
        )
        if total > cap:
            problems.append(f"{org.name} {year}: {total} issued over the cap {cap}")

    # A paid batch has nothing left to pay; a paid redemption has its paid item.
    for number in (
        PayoutBatch.objects.filter(status=BatchStatus.PAID)
        .filter(items__status__in=(BatchItemStatus.PENDING, BatchItemStatus.HELD, BatchItemStatus.WAITING_BUDGET))
        .values_list("number", flat=True)
        .distinct()
    ):
        problems.append(f"batch {number} is paid but holds unpaid items")
    for number in (
        Redemption.objects.filter(status=RedemptionStatus.PAID)
        .exclude(batch_items__status=BatchItemStatus.PAID)
        .values_list("number", flat=True)
    ):
        problems.append(f"redemption {number} is paid without a paid batch item")
    for number in (
        Redemption.objects.exclude(status__in=(RedemptionStatus.CONFIRMED, RedemptionStatus.PAID))
        .filter(batch_items__status__in=ACTIVE_ITEM_STATUSES)
        .values_list("number", flat=True)
        .distinct()
    ):
        problems.append(f"redemption {number} sits in a batch without being confirmed")
    problems += _subsidy_problems()
    return problems


SUBSIDY_STAGES = (LedgerAccount.SUBSIDY_PAYABLE, LedgerAccount.SUBSIDY_PAID)


def _subsidy_problems() -> list[str]:
    """Each subsidy's amount sits where its status says: granted → all of it payable,
    paid → all of it paid to its institution, cancelled → nothing anywhere; a paid subsidy
    has its paid batch item and only a granted or paid one sits in a batch."""
    problems: list[str] = []
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(SUBSIDY_STAGES, ZERO))
    paid_to_institution: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for subsidy_id, account, org_id, institution_id, total in (
        LedgerEntry.objects.filter(account__in=SUBSIDY_STAGES)
        .values_list("subsidy_id", "account", "organisation_id", "subsidy__institution_id")
        .annotate(s=Sum("amount"))
    ):
        sums[subsidy_id][account] += total
        if account == LedgerAccount.SUBSIDY_PAID and org_id == institution_id:
            paid_to_institution[subsidy_id] += total
    expected = {
        SubsidyStatus.GRANTED: (True, False),
        SubsidyStatus.PAID: (False, True),
        SubsidyStatus.CANCELLED: (False, False),
    }
    for s in Subsidy.objects.only("pk", "number", "status", "amount"):
        stage = sums[s.pk]
        payable, paid = expected[s.status]
        want = (s.amount if payable else ZERO, s.amount if paid else ZERO)
        if (stage[LedgerAccount.SUBSIDY_PAYABLE], stage[LedgerAccount.SUBSIDY_PAID]) != want:
            problems.append(
                f"subsidy {s.number} ({s.status}): payable {stage[LedgerAccount.SUBSIDY_PAYABLE]}, "
                f"paid {stage[LedgerAccount.SUBSIDY_PAID]}, expected {want[0]} / {want[1]}"
            )
        elif paid and paid_to_institution[s.pk] != s.amount:
            problems.append(f"subsidy {s.number}: paid to another organisation than its institution")
    for number in (
        Subsidy.objects.filter(status=SubsidyStatus.PAID)
        .exclude(batch_items__status=BatchItemStatus.PAID)
        .values_list("number", flat=True)
    ):
        problems.append(f"subsidy {number} is paid without a paid batch item")
    for number in (
        Subsidy.objects.exclude(status__in=(SubsidyStatus.GRANTED, SubsidyStatus.PAID))
        .filter(batch_items__status__in=ACTIVE_ITEM_STATUSES)
        .values_list("number", flat=True)
        .distinct()
    ):
        problems.append(f"subsidy {number} sits in a batch without being granted")
    return problems


@dataclass(frozen=True)
class Adjustment:
    """A voucher's value lowered at redemption (审核认定): the contract amount approved (None
    where only the final invoices lowered it), the value before and after, and what went
    back to the applicant's entitlement (or annual cap), from the ledger's ``adjust`` entries."""

    at: dt.datetime
    approved: Decimal | None
    before: Decimal
    after: Decimal
    returned: Decimal
    note: str
    invoices: Decimal | None = None  # the final invoices' total where it, not the approval, set the value

    @property
    def basis(self) -> Decimal | None:
        """The amount the value was computed on: the approved amount, or the invoices below it."""
        if self.invoices is not None and (self.approved is None or self.invoices < self.approved):
            return self.invoices
        return self.approved


def voucher_adjustments(vouchers) -> dict[int, Adjustment]:
    """The adjustment of each voucher that has one (voucher id → Adjustment); the caller
    passes only vouchers the viewer may see."""
    by_id = {v.pk: v for v in vouchers}
    if not by_id:
        return {}
    entries = LedgerEntry.objects.filter(kind=LedgerKind.ADJUST, voucher_id__in=by_id).order_by("at", "id")
    lowered: dict[int, Decimal] = {}
    returned: dict[int, Decimal] = {}
    last: dict[int, LedgerEntry] = {}
    for e in entries:
        if e.account == LedgerAccount.REDEEMING:
            lowered[e.voucher_id] = lowered.get(e.voucher_id, Decimal("0")) - e.amount
            last[e.voucher_id] = e
        elif e.account == LedgerAccount.APPLICANT_CAP:
            returned[e.voucher_id] = returned.get(e.voucher_id, Decimal("0")) - e.amount
    approved = dict(
        RedemptionItem.objects.filter(voucher_id__in=last, approved_contract_amount__isnull=False)
        .order_by("redemption__submitted_at", "pk")
        .values_list("voucher_id", "approved_contract_amount")
    )
    invoices = dict(
        Proof.objects.filter(use__voucher_id__in=last, kind=ProofKind.INVOICE)
        .values("use__voucher_id")
        .annotate(total=Sum("amount"))
        .values_list("use__voucher_id", "total")
    )
    result = {}
    for pk, entry in last.items():
        after = voucher_value(by_id[pk])
        result[pk] = Adjustment(
            at=entry.at,
            approved=approved.get(pk),
            before=after + lowered[pk],
            after=after,
            returned=returned.get(pk, Decimal("0")),
            note=entry.note,
            invoices=invoices.get(pk),
        )
    return result
