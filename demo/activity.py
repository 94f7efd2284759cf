"""Two years of voucher activity for the demo, walked through the real services.

:class:`VoucherActivity` plays the last 24 months of the deployment's scheme (SPEC §10) as
its users would have: each year's policy and budget published by the centre, then a few
hundred *cases* — one enterprise ordering one service from one institution — each moving
through the scheme's steps: entitlement (Henan's quota and R&D project, Jiangsu's
application, Zhejiang's claims), booking, contract or order, the review chain, the service,
paying with the voucher (with the scheme's payee; in Henan after the institution's order
result, which the applicant confirms), proofs by whoever the scheme names and
the operator's review, rating, redemption (instant or cumulative) and its review levels
(with approved amounts in Jiangsu), and payout batches with the scheme's steps (Henan's
quarterly summary with experts, finance confirmation and notice; monthly elsewhere, with a
public notice in Ningxia and Jiangsu). The daily job (expiry, default ratings, lapsed
entitlements) runs along twice a month.

Time. Every step runs inside :func:`frozen_now`, which makes ``django.utils.timezone.now``
— and with it ``localdate`` and every ``auto_now_add`` field — return the step's moment and
restores the real clock afterwards, even on error: the services stamp what they write with
the step's date, exactly as the tests' ``clock`` fixture does. Steps run in time order from
one queue (a step schedules the case's next step a few working days later, on the working
days of the ``workdays`` table, in office hours). Nothing is dated in the future: a step
due after the loader's start is not run, so recent cases stop where they would be today.
Each stage of every role's queue is also filled on purpose by a few *tail* cases that stop
at that stage a working day or two before today (early in January, minutes apart within the
new year: a contract opened last year belongs to last year's policy, and where vouchers end
on 31 December last year's are dead), and the last payout batch stops at its notice (or, in
Zhejiang, approved and waiting for payment).

The clock is patched process-wide, which is fine for the loader (a management command or a
test, one thread); it must not be used inside a serving process.

Deterministic: the caller's seeded ``random.Random`` and the run date decide everything (the
window is the 24 calendar months ending with the current one).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import heapq
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import APPLICANT_KINDS, CertStatus, Organisation, OrgKind, Role, User
from catalog import services as catalog_services
from catalog.models import Booking, Institution, ReviewStatus, Service
from demo.data.catalogue import RATING_COMMENTS
from geodata.models import Region
from mapsite.workflow import InvalidTransition
from vouchers import ledger, settlement
from vouchers.contracts import services as voucher_services
from vouchers.entitlements import services as entitlements
from vouchers.models import (
    BatchItem,
    ClaimStatus,
    Contract,
    ContractStatus,
    Entitlement,
    EntitlementClaim,
    PayeeChoice,
    PayeeRule,
    PayoutBatch,
    PayoutCycle,
    Policy,
    ProjectRegistration,
    ProjectStatus,
    ProofKind,
    ProofStatus,
    Redemption,
    RedemptionMode,
    Voucher,
    VoucherUse,
)
from vouchers.policies.presets import PRESETS, preset_policy
from vouchers.policies.value import annual_cap
from vouchers.settlement import registration
from vouchers.settlement.selectors import redemptions_unbatched
from vouchers.settlement.use import receipt_required
from workdays.models import DayException

D = Decimal
MONTHS = 24
OFFICE_OPEN, OFFICE_CLOSE = dt.time(9, 0), dt.time(17, 30)
TOPUP_COUNTY = 640104  # 兴庆区: Ningxia's demo county with its own top-up (10 %)
BUDGET = {640000: D("3000000"), 410000: D("4000000"), 320000: D("3000000"), 330000: D("3000000")}
COUNTY_BUDGET = D("150000")
LOCAL_BUDGET = D("600000")  # each local bureau's yearly budget where bureaus pay (Zhejiang)
# Demand by calendar month: slow around the Spring Festival and National Day, busier before
# the year's end (schemes whose vouchers die on 31 December see their rush in November).
SEASON = {1: 0.8, 2: 0.5, 3: 1.0, 4: 1.0, 5: 1.05, 6: 1.1, 7: 0.9, 8: 0.9, 9: 1.1, 10: 0.8, 11: 1.2, 12: 1.2}
YEAR_END_SEASON = {11: 1.35, 12: 0.35}
LAST_START_DAY_YEAR_END = 10  # no new orders after 10 December where vouchers die at year end
NOTICE_MONTHLY = ("ningxia", "jiangsu")  # monthly batches with a public notice (SPEC §10)
# The incubator operator of the demo's incubated enterprises (a valid GB 32100-2015 code).
INCUBATOR_CREDIT_CODE = "91320115700000001F"
INDUSTRIES = ("智能制造", "新材料", "生物医药", "电子信息", "现代农业", "节能环保", "食品加工")

# A one-page PDF standing in for every uploaded document (scans, invoices, reports).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# The steps a case takes in each scheme, in order (``review`` once per level of the chain,
# ``confirm_use`` only for Zhejiang's 企业兑付, ``confirm`` only with two redemption levels).
STEPS = (
    "book",
    "accept",
    "draft",
    "entitle_review",
    "submit",
    "review",
    "start",
    "complete",
    "pay",
    "confirm_use",
    "prove",
    "proof_review",
    "redeem",
    "check",
    "confirm",
)


def pdf(name: str) -> ContentFile:
    return ContentFile(DEMO_PDF, name=name)


@contextlib.contextmanager
def frozen_now(moment: dt.datetime):
    """``timezone.now()`` returns ``moment`` inside the block (so do ``localdate()`` and the
    ``auto_now_add`` fields, which call it); the real function is put back on exit, also when
    the block raises. For the demo loader only: it patches the process-wide module."""
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


class WorkCalendar:
    """Working days from the ``workdays`` table (official holidays and swapped workdays),
    Monday–Friday for days it does not list; read once."""

    def __init__(self, start: dt.date, end: dt.date):
        self.exceptions = dict(
            DayException.objects.filter(
                date__gte=start - dt.timedelta(days=60), date__lte=end + dt.timedelta(days=120)
            ).values_list("date", "is_workday")
        )

    def is_workday(self, day: dt.date) -> bool:
        return self.exceptions.get(day, day.isoweekday() <= 5)

    def add(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days after ``day`` (n = 0: ``day`` itself or the next working day)."""
        if n == 0:
            while not self.is_workday(day):
                day += dt.timedelta(days=1)
            return day
        while n:
            day += dt.timedelta(days=1)
            n -= self.is_workday(day)
        return day

    def back(self, day: dt.date, n: int) -> dt.date:
        """``n`` working days before ``day``."""
        while n:
            day -= dt.timedelta(days=1)
            n -= self.is_workday(day)
        return day

    def workdays(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
        return [d for d in days if self.is_workday(d)]


def local(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Case:
    """One enterprise ordering one service: its plan and, as it goes, its records."""

    n: int
    user: User
    service: Service
    quantity: Decimal
    start: dt.datetime
    fast: bool = False  # tail case: one working day per step
    compressed: bool = False  # tail case near 1 January: minutes apart, all in the new year
    stop: tuple[str, int] | None = None  # (step, nth time): the last step it takes
    return_at: str = ""  # the review level that returns the contract once
    ordinary: bool = False  # Henan: refused twice by the platform → ordinary order
    return_proofs: bool = False
    late_proofs: bool = False
    rate: bool = True
    choice: str = ""  # Zhejiang: 企业兑付 / 载体兑付
    invoice_share: Decimal = D("1")  # final invoices ÷ contract amount
    approved_share: Decimal = D("1")  # Jiangsu: approved contract amount ÷ contract amount
    return_redemption: bool = False
    cumulative: bool = False
    # What happened.
    done: Counter = field(default_factory=Counter)
    booking: Booking | None = None
    contract: Contract | None = None
    voucher: Voucher | None = None
    use: object = None
    redemption: object = None
    others: list = field(default_factory=list)  # the other cases of its cumulative redemption
    joined: bool = False  # redeemed within another case's cumulative redemption
    ended: str = ""

    @property
    def org(self) -> Organisation:
        return self.user.organisation


class VoucherActivity:
    """Plays the window's voucher activity of the deployment's scheme (see the module)."""

    def __init__(self, *, province: int, preset: str, rng, say=lambda msg: None):
        self.province, self.preset, self.rng, self.say = province, preset, rng, say
        self.end = timezone.now()  # the real start of the load: nothing is dated later
        self.today = timezone.localdate()
        self.window_start = month_start(self.today, MONTHS - 1)
        self.cal = WorkCalendar(self.window_start, self.today)
        self.scheme = PRESETS[preset]
        self.years = list(range(self.window_start.year, self.today.year + 1))
        self.year_end_validity = bool(self.scheme.get("valid_to_year_end"))
        self.queue: list = []
        self.seq = itertools.count()
        self.counts: Counter = Counter()
        self.refusals: Counter = Counter()
        self.held: set[int] = set()  # batches left after their notice for the centre to approve
        self.operator = User.objects.get(username="operator1")
        self.centre = User.objects.get(username="centre1")
        self.expert = User.objects.get(username="expert1")
        self._inst_users: dict[int, User] = {}
        self._bureaus: dict[int, User] = {}
        self.ready: dict[int, list[Case]] = defaultdict(list)  # payee → cases ready to redeem
        self.planned: Counter = Counter()  # (org, year) → voucher value planned
        self.cases: list[Case] = []

    # --- time ---------------------------------------------------------------------------------

    def at(self, when: dt.datetime, fn, *args) -> None:
        """Run ``fn(*args)`` at ``when`` (dropped when that is after the load's start)."""
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self.seq), fn, args))
        else:
            self.counts["steps after today (not run)"] += 1

    def office_time(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(0, (OFFICE_CLOSE.hour - OFFICE_OPEN.hour) * 60 + OFFICE_CLOSE.minute)
        return local(day, OFFICE_OPEN) + dt.timedelta(minutes=minutes)

    def later(self, now: dt.datetime, workdays: int) -> dt.datetime:
        """A moment ``workdays`` working days after ``now`` in office hours (0: an hour or so
        later the same working day, else the next working morning)."""
        if workdays == 0:
            moment = now + dt.timedelta(minutes=self.rng.randint(10, 90))
            if timezone.localtime(moment).time() < OFFICE_CLOSE and self.cal.is_workday(timezone.localdate(moment)):
                return moment
            workdays = 1
        return self.office_time(self.cal.add(timezone.localdate(now), workdays))

    def run_queue(self) -> None:
        while self.queue:
            when, _, fn, args = heapq.heappop(self.queue)
            with frozen_now(when):
                try:
                    with transaction.atomic():
                        fn(*args)
                except (ValidationError, PermissionDenied, InvalidTransition) as exc:
                    case = args[0] if args and isinstance(args[0], Case) else None
                    message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                    self.refusals[f"{fn.__name__}: {message[:80]}"] += 1
                    if case is not None:
                        case.ended = f"refused at {fn.__name__}"
                        self.say(f"  demo case {case.n} ({case.org.name}) stopped at {fn.__name__}: {message}")

    # --- who acts -----------------------------------------------------------------------------

    def institution_user(self, institution: Institution) -> User:
        pk = institution.pk
        if pk not in self._inst_users:
            self._inst_users[pk] = User.objects.filter(organisation_id=pk).order_by("pk").first()
        return self._inst_users[pk]

    def bureau(self, org: Organisation) -> User:
        """The applicant's S&T authority: its county's bureau, else its city's."""
        region_id = org.region_id
        if region_id not in self._bureaus:
            region = Region.objects.get(pk=region_id)
            self._bureaus[region_id] = (
                User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__region_id=region_id).first()
                or User.objects.filter(
                    organisation__kind=OrgKind.BUREAU, organisation__region_id=region.parent_id
                ).first()
            )
        return self._bureaus[region_id]

    def bureau_users(self) -> list[User]:
        """One user of each bureau (not the high-tech zones), by region."""
        users = User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__zone_level="")
        return list({u.organisation.region_id: u for u in users.select_related("organisation__region")}.values())

    def authority(self, orgs: list[Organisation]) -> User:
        """The bureau covering every applicant: their county's, else their city's."""
        if len({org.region_id for org in orgs}) == 1:
            return self.bureau(orgs[0])
        city = orgs[0].region.parent_id
        return User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__region_id=city).first()

    def reviewer(self, level: str, contract: Contract) -> User:
        if level == Role.BUREAU:
            return self.bureau(contract.enterprise)
        if level == Role.INSTITUTION:
            return self.institution_user(contract.institution)
        return self.operator if level == Role.OPERATOR else self.centre

    # --- the plan -----------------------------------------------------------------------------

    def run(self) -> dict:
        self.say(f"  voucher activity {self.window_start} … {self.today} ({self.preset})")
        self.publish_policies_and_budgets()
        self.open_bank_accounts()
        applicants = self.eligible_applicants()
        services_ = self.eligible_services()
        self.plan_cases(applicants, services_)
        self.plan_tails(applicants, services_)
        self.plan_batches()
        self.plan_daily_job()
        self.run_queue()
        self.counts["cases"] = len(self.cases)
        return self.summary()

    def publish_policies_and_budgets(self) -> None:
        """Each year's policy (from the province's preset) published by the centre in the
        December before, and its budget set at the year's first working day."""
        for year in self.years:
            published = dt.date(year - 1, 12, 15) if year > self.years[0] else self.window_start - dt.timedelta(days=20)
            self.at(local(self.cal.add(published, 0), dt.time(10, 0)), self.publish_policy, year)
            budget_day = self.cal.add(max(dt.date(year, 1, 1), self.window_start), 0)
            when = local(budget_day, dt.time(8, 45))
            if year == self.today.year:  # before anything of the year (a load on 1 January too)
                when = min(when, self.new_year - dt.timedelta(minutes=5))
            self.at(when, self.set_budget, year)

    def publish_policy(self, year: int) -> None:
        voucher_services.policy_create_from_preset(key=self.preset, year=year, by=self.centre)
        if self.province == 640000:
            voucher_services.policy_save(
                by=self.centre,
                data={
                    **PRESETS["ningxia"],
                    "name": "兴庆区科技创新券配套",
                    "year": year,
                    "region_id": TOPUP_COUNTY,
                    "county_topup_rate": D("0.10"),
                },
            )

    def set_budget(self, year: int) -> None:
        settlement.budget_set(
            by=self.centre, year=year, amount=BUDGET[self.province], note=f"{year} 年度创新券兑付预算"
        )
        if self.scheme.get("funding") == "local":
            # Zhejiang: each local bureau funds the vouchers it approves from its own budget.
            for user in self.bureau_users():
                settlement.budget_set(
                    by=user,
                    year=year,
                    amount=LOCAL_BUDGET,
                    region=user.organisation.region,
                    note=f"{year} 年度{user.organisation.region.name}创新券兑付资金",
                )
        if self.province == 640000:
            settlement.budget_set(
                by=self.centre,
                year=year,
                amount=COUNTY_BUDGET,
                region=Region.objects.get(pk=TOPUP_COUNTY),
                note=f"{year} 年度兴庆区配套预算",
            )

    def open_bank_accounts(self) -> None:
        """Every certified applicant and institution keeps a payee bank account in its own
        name (synthetic numbers at a bank branch of its city), saved by its own user as on
        the 收款账户 page, so bank exports carry every payee."""
        banks = ("中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行")
        users = (
            User.objects.filter(organisation__status=CertStatus.CERTIFIED, organisation__bank_account__isnull=True)
            .filter(organisation__kind__in=[*APPLICANT_KINDS, OrgKind.INSTITUTION])
            .select_related("organisation__region__parent")
            .order_by("organisation_id", "pk")
        )
        done: set[int] = set()
        for user in users:
            org = user.organisation
            if org.pk in done:
                continue
            done.add(org.pk)
            region = org.region
            city = (region.parent if region is not None and region.parent_id else region) if region else None
            branch = f"{self.rng.choice(banks)}{city.name if city else ''}分行营业部"
            accounts_services.bank_account_save(
                org=org,
                by=user,
                data={
                    "bank_name": branch,
                    "bank_code": "".join(str(self.rng.randint(0, 9)) for _ in range(12)),
                    "account_name": org.name,
                    "account_number": "1" + "".join(str(self.rng.randint(0, 9)) for _ in range(16)),
                },
            )
            self.counts["bank accounts"] += 1

    def eligible_applicants(self) -> list[User]:
        """Certified applicants (with their users) that the scheme gives an amount to."""
        policy = preset_policy(self.preset, self.today.year)
        users = (
            User.objects.filter(
                organisation__kind__in=[OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INDIVIDUAL],
                organisation__status=CertStatus.CERTIFIED,
            )
            .select_related("organisation__region")
            .order_by("pk")
        )
        chosen = []
        for user in users:
            org = user.organisation
            if self.cap(org, policy) <= 0:
                self.counts["applicants without an amount (skipped)"] += 1
                continue
            revenue = org.prior_year_revenue or D("0")
            limit = policy.revenue_limit
            if (
                policy.entitlement == Entitlement.APPLICATION
                and limit is not None
                and revenue > limit * entitlements.WAN
            ):
                self.counts["applicants over the revenue limit (skipped)"] += 1
                continue
            applying = policy.entitlement == Entitlement.APPLICATION
            if applying and entitlements.application_refusal(org, policy):
                self.counts["applicants the application does not take (skipped)"] += 1
                continue
            if applying and org.qualification not in entitlements.APPLICATION_TYPES:
                self.counts["applicants of no application type (skipped)"] += 1
                continue
            chosen.append(user)
        return chosen

    def cap(self, org: Organisation, policy: Policy) -> Decimal:
        if policy.entitlement == Entitlement.CLAIM:
            return policy.claim_year_cap or D("0")
        return annual_cap(
            policy,
            applicant_kind=org.kind,
            qualification=org.qualification,
            city_adcode=org.region.parent_id if org.region_id else None,
        )

    def eligible_services(self) -> list[list[Service]]:
        """Voucher-eligible listed services, grouped by institution, the groups in a random
        order that :meth:`pick` weights by rank: a few institutions serve most orders, as on
        real platforms (and their payees gather several vouchers into one redemption)."""
        services_ = list(
            Service.objects.filter(
                review_status=ReviewStatus.APPROVED,
                voucher_eligible=True,
                institution__organisation__status=CertStatus.CERTIFIED,
            )
            .exclude(category="技术成果购买")
            .select_related("institution__organisation")
            .order_by("pk")
        )
        by_institution: dict[int, list[Service]] = defaultdict(list)
        for service in services_:
            by_institution[service.institution_id].append(service)
        groups = [by_institution[pk] for pk in sorted(by_institution)]
        self.rng.shuffle(groups)
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(groups))]
        return groups

    def rate_of(self, amount: Decimal) -> Decimal:
        """The voucher a contract of ``amount`` would roughly bring (for spreading demand)."""
        if self.scheme.get("flat_rate"):
            return amount * self.scheme["flat_rate"]
        return min(amount, D("100000")) * D("0.5") + max(D("0"), amount - D("100000")) * D("0.3")

    def pick(
        self,
        applicants: list[User],
        services_: list[list[Service]],
        year: int,
        *,
        user: User | None = None,
        only: list[Service] | None = None,
    ):
        """An applicant (round robin, so every county gets its share) within its year's cap,
        a service (of the busier institutions more often; or one of ``only``) and a quantity
        making a plausible amount."""
        policy = preset_policy(self.preset, year)
        for _ in range(50):
            service = self.rng.choice(only or self.rng.choices(services_, self.weights)[0])
            big = self.rng.random() < 0.03
            target = math.exp(
                self.rng.uniform(math.log(120000), math.log(300000))
                if big
                else self.rng.uniform(math.log(2500), math.log(80000))
            )
            quantity = D(max(1, min(500, round(target / float(service.price))))) if service.price else D(1)
            amount = quantity * service.price
            if not amount:
                continue
            candidate = user or applicants[next(self._round) % len(applicants)]
            value = self.rate_of(amount)
            if self.planned[candidate.organisation_id, year] + value > self.cap(candidate.organisation, policy) * D(
                "0.8"
            ):
                continue
            self.planned[candidate.organisation_id, year] += value
            return candidate, service, quantity
        return None

    def plan_cases(self, applicants: list[User], services_: list[list[Service]]) -> None:
        """New orders through the window: about six a month at its start, eleven at its end,
        with the seasons; the last three working days are left to the tail cases."""
        order = list(applicants)
        self.rng.shuffle(order)
        applicants[:] = order
        self._round = itertools.count()
        self.reserved = self.reserve(applicants)
        last_start = self.cal.back(self.today, 3)
        for i in range(MONTHS):
            first = month_start(self.today, MONTHS - 1 - i)
            last = month_start(self.today, MONTHS - 2 - i) - dt.timedelta(days=1)
            if self.year_end_validity and first.month == 12:
                last = min(last, dt.date(first.year, 12, LAST_START_DAY_YEAR_END))
            days = self.cal.workdays(first, min(last, last_start))
            if not days:
                continue
            season = SEASON[first.month]
            if self.year_end_validity:
                season = YEAR_END_SEASON.get(first.month, season)
            full_month = len(self.cal.workdays(first, month_start(self.today, MONTHS - 2 - i) - dt.timedelta(days=1)))
            n = round((6 + 5 * i / (MONTHS - 1)) * season * len(days) / max(1, full_month) + self.rng.random() - 0.5)
            for start_day in sorted(self.rng.choice(days) for _ in range(n)):
                pool = [u for u in applicants if u not in self.reserved or start_day.year < self.today.year]
                picked = self.pick(pool, services_, start_day.year)
                if picked is None:
                    continue
                self.add_case(*picked, start=self.office_time(start_day))

    def reserve(self, applicants: list[User]) -> list[User]:
        """One applicant kept out of this year's orders: its claim (Jiangsu) or R&D project
        (Henan) waits in the authority's queue."""
        entitlement = self.scheme["entitlement"]
        if entitlement == Entitlement.APPLICATION:
            fits = [u for u in applicants if u.organisation.qualification != "tech_sme" and u.username != "enterprise1"]
        elif self.scheme.get("project_registration"):
            fits = [u for u in applicants if u.username != "enterprise1"]
        else:
            return []
        return fits[-1:]

    def add_case(self, user, service, quantity, *, start, fast=False, stop=None, **flags) -> Case:
        case = Case(
            n=len(self.cases) + 1, user=user, service=service, quantity=quantity, start=start, fast=fast, stop=stop
        )
        if not fast:
            r = self.rng.random
            chain = self.scheme["contract_review"]
            case.stop = ("draft", 1) if r() < 0.02 else ("issued", 1) if r() < 0.04 else None  # never used
            if chain and r() < 0.09:
                case.return_at = "operator" if self.preset == "henan" else self.rng.choice(chain)
            case.ordinary = self.preset == "henan" and r() < 0.04
            case.return_proofs = r() < 0.06
            case.late_proofs = r() < 0.05
            case.rate = r() < 0.8
            case.return_redemption = r() < 0.05
            case.cumulative = r() < (0.6 if self.preset == "zhejiang" else 0.3)  # Zhejiang: 批量提交
            if self.preset == "jiangsu":
                case.invoice_share = D("1") if r() < 0.8 else D(self.rng.choice(["0.85", "0.9", "0.95"]))
                case.approved_share = D("1") if r() < 0.8 else D(self.rng.choice(["0.8", "0.9"]))
        if self.scheme["payee_rule"] == PayeeRule.CHOSEN and not case.choice:
            case.choice = PayeeChoice.ENTERPRISE if self.rng.random() < 0.4 else PayeeChoice.INSTITUTION
        for name, value in flags.items():
            setattr(case, name, value)
        self.cases.append(case)
        self.at(case.start, self.book, case)
        return case

    def path(self, case: Case) -> list[str]:
        """The steps ``case`` takes in this scheme, in order (without corrections)."""
        steps = []
        for step in STEPS:
            if step == "entitle_review" and self.scheme["entitlement"] not in (
                Entitlement.APPLICATION,
                Entitlement.QUOTA,
            ):
                continue
            if step == "review":
                steps += ["review"] * len(self.scheme["contract_review"])
                continue
            if step == "confirm_use" and case.choice != PayeeChoice.ENTERPRISE:
                continue
            if step == "proof_review" and not self.scheme.get("proof_review", True):
                continue  # proofs are checked with the redemption
            if step in ("draft", "submit", "prove") and self.scheme.get("use_registration"):
                continue  # 使用登记: one form at "pay" makes the contract, voucher, use and proofs
            if step == "confirm" and len(self.scheme["redemption_review"]) < 2:
                continue
            steps.append(step)
        return steps

    def plan_tails(self, applicants: list[User], services_: list[list[Service]]) -> None:
        """Cases that stop at each stage a working day or two before today, so that every
        role's queue holds something: enterprise1's contracts at every stage of the chain,
        a voucher to use, proofs to upload and to review, a voucher to redeem, a redemption
        at each review level, and a confirmed one waiting for the next batch. Where the
        institution acts (Henan's acceptance and proofs, Ningxia's redemption, Zhejiang's
        confirmation of a use), it is ``institution1``."""
        e1 = User.objects.get(username="enterprise1")
        inst1 = User.objects.get(username="institution1").organisation_id
        mine = next((group for group in services_ if group[0].institution_id == inst1), None)
        chain = self.scheme["contract_review"]
        tails: list[tuple[User | None, tuple[str, int], dict]] = [(e1, ("draft", 1), {})]
        for level in range(len(chain)):  # waiting at each level
            tails.append((e1, ("submit", 1) if level == 0 else ("review", level), {"inst1": level == 0}))
        if chain:  # returned: by the bureau (Ningxia), by the platform (Henan)
            level = chain[-1] if self.preset == "henan" else chain[0]
            tails.append((e1, ("review", chain.index(level) + 1), {"return_at": level}))
        tails += [
            (e1, ("review", len(chain)) if chain else ("submit", 1), {}),  # a voucher to use
            (None, ("pay", 1), {"inst1": True}),  # proofs to upload
            # proofs for the operator; filed for the redemption where there is no proof review
            (None, ("prove", 1), {} if self.scheme.get("proof_review", True) else {"inst1": True}),
            (None, ("proof_review", 1), {"return_proofs": True}),  # proofs returned
            (None, ("proof_review", 1), {"inst1": True}),  # a voucher to redeem
            (e1, ("redeem", 1), {}),  # a redemption for its first level (enterprise1's bureau)
            (None, ("check", 1), {}),  # confirmed after the last batch, or checked for the centre
        ]
        if len(self.scheme["redemption_review"]) > 1:
            tails.append((None, ("confirm", 1), {}))  # confirmed after the last batch
        if self.scheme["payee_rule"] == PayeeRule.CHOSEN:
            tails.append((None, ("pay", 1), {"choice": PayeeChoice.ENTERPRISE, "inst1": True}))  # to confirm
        pool = [u for u in applicants if u not in self.reserved and u.username != "enterprise1"]
        for user, stop, flags in tails:
            only = mine if flags.pop("inst1", False) else None
            picked = self.pick(pool, services_, self.today.year, user=user, only=only)
            if picked is None:
                continue
            case = Case(n=0, user=picked[0], service=picked[1], quantity=picked[2], start=self.end, stop=stop)
            if self.scheme["payee_rule"] == PayeeRule.CHOSEN:  # decided now: 企业兑付 has one more step
                flags.setdefault("choice", PayeeChoice.INSTITUTION)
            case.choice = flags.get("choice", "")
            steps = self.path(case)
            stops = [i for i, s in enumerate(steps) if s == stop[0]]
            if len(stops) < stop[1]:  # a stage this scheme has not (使用登记: no draft, no proofs)
                continue
            index = stops[stop[1] - 1]
            days = index + 1 + self.unlisted_steps(steps, index)
            # One working day a step: the last one on the working day before today.
            start = self.office_time(self.cal.back(self.today, days))
            if start < self.new_year:  # early in January: this year's orders, minutes apart
                finish = local(self.cal.back(self.today, 1), dt.time(16, 0))
                if finish < self.new_year:
                    finish = self.end - dt.timedelta(minutes=10)
                start = max(self.new_year, finish - days * dt.timedelta(minutes=12))
                flags["compressed"] = True
            self.add_case(*picked, start=start, fast=True, stop=stop, **flags)
        for user in self.reserved:
            when = max(self.office_time(self.cal.back(self.today, 2)), self.new_year)
            self.at(when, self.waiting_entitlement, user)

    def unlisted_steps(self, steps: list[str], index: int) -> int:
        """Steps a case takes up to ``steps[index]`` that :meth:`path` leaves out: where the
        proofs are filed with the redemption (no proof review), ``proof_review`` still runs,
        a working day before ``redeem``, to hand the filed proofs on. Counted, a tail that
        stops at ``redeem`` or later takes its last step on the working day before today;
        uncounted, that step fell on today at a random office hour and ran only when the
        load started after it (enterprise1's redemption missing on some days)."""
        if self.scheme.get("proof_review", True) or "redeem" not in steps[: index + 1]:
            return 0
        return 1

    @property
    def new_year(self) -> dt.datetime:
        """When the tails may start at the earliest: this year's first working morning (or
        today's early morning before it), so that no tail straddles 1 January — a contract
        opened last year is last year's, and where vouchers end on 31 December last year's
        are dead."""
        first = self.cal.add(dt.date(self.today.year, 1, 1), 0)
        return min(local(min(first, self.today), dt.time(8, 0)), self.end - dt.timedelta(hours=3))

    def waiting_entitlement(self, user: User) -> None:
        """The reserved applicant's claim (Jiangsu) or R&D project (Henan), left for review."""
        self.entitle(user)
        self.counts["left waiting: entitlement or project review"] += 1

    # --- the case's steps ---------------------------------------------------------------------

    def next(self, case: Case, done: str, step, workdays: int | tuple[int, int]) -> None:
        """``done`` was taken; schedule ``step`` unless the case stops here."""
        case.done[done] += 1
        if case.stop == (done, case.done[done]):
            case.ended = f"stopped after {done}"
            self.counts[f"left waiting after {done}"] += 1
            return
        if step is None:
            return
        if case.compressed:
            self.at(timezone.now() + dt.timedelta(minutes=self.rng.randint(5, 12)), step, case)
            return
        if case.fast:
            delay = 1
        elif isinstance(workdays, tuple):
            delay = self.rng.randint(*workdays)
        else:
            delay = workdays
        self.at(self.later(timezone.now(), delay), step, case)

    def book(self, case: Case) -> None:
        booking = catalog_services.booking_request_quantity(
            item=case.service, by=case.user, quantity=case.quantity, note="演示数据"
        )
        case.booking = booking
        self.next(case, "book", self.accept, (0, 2))

    def accept(self, case: Case) -> None:
        chain = self.scheme["contract_review"]
        if chain and chain[0] == "institution" and not self.scheme.get("use_registration"):
            # Henan: the order is filled in while the booking waits; the institution's 受理
            # of the order (at "review") is its one acceptance of the booking.
            self.next(case, "accept", self.draft, (0, 2))
            return
        by = self.institution_user(case.service.institution)
        case.booking = catalog_services.booking_answer(booking=case.booking, by=by, accept=True, note="已安排检测")
        if self.scheme.get("use_registration"):  # the service first; the use is registered after it
            self.next(case, "accept", self.start_service, (0, 2))
        else:
            self.next(case, "accept", self.draft, (0, 2))

    def entitle(self, user: User) -> None:
        """What the scheme asks before an order this year: Henan's quota and R&D project,
        Jiangsu's yearly application (Zhejiang claims at the order, Ningxia has none)."""
        org = user.organisation
        year = timezone.localdate().year
        claimed = EntitlementClaim.objects.filter(organisation=org, year=year).exclude(status=ClaimStatus.REFUSED)
        if self.scheme["entitlement"] == Entitlement.QUOTA:
            if not claimed.exists():
                entitlements.claim_quota(by=user, pledge=True)
            if not ProjectRegistration.objects.filter(
                organisation=org, year=year, status__in=[ProjectStatus.SUBMITTED, ProjectStatus.APPROVED]
            ).exists():
                entitlements.project_register(
                    by=user,
                    data={
                        "title": f"{org.name[:16]}{year}年度新产品研发",
                        "summary": "新产品研发过程中的检测验证与性能评价（演示数据）。",
                        "budget": str(self.rng.choice([600000, 800000, 1200000, 1500000])),
                        "starts_on": dt.date(year, 1, 1),
                        "ends_on": dt.date(year, 12, 31),
                    },
                )
        elif self.scheme["entitlement"] == Entitlement.APPLICATION and not claimed.exists():
            # The 信息表 with the type's evidence, printed, stamped and uploaded (科小 at once).
            form, files = self.application(org, year)
            claim = entitlements.apply(by=user, data=form, files=files)
            entitlements.record_form_printed(claim=claim, by=user)
            entitlements.upload_stamped_form(claim=claim, by=user, upload=pdf("申领表-盖章.pdf"))

    def application(self, org: Organisation, year: int) -> tuple[dict, dict]:
        """Jiangsu's application form of ``org`` (revenue in 万元) and its evidence files."""
        kind = org.qualification
        form = {
            "kind": kind,
            # the record's (demo enterprises have one); left empty, the application uses it
            "founded_on": org.founded_on.isoformat() if org.founded_on else "",
            "staff": str(20 + org.pk % 180),
            "industry": INDUSTRIES[org.pk % len(INDUSTRIES)],
            "revenue": str(((org.prior_year_revenue or D("0")) / 10000).quantize(D("0.01"))),
            "zone": "",
        }
        files = {"financial_report": pdf("上年度财务报表.pdf")}
        if kind == "tech_sme":
            # the 入库编号 of the year applied for (the record holds this year's)
            number = org.qualification_number or f"{year}{org.region_id or 320000}{org.pk:04d}"
            form["qualification_number"] = f"{year}{number[4:]}"
        elif kind == "high_tech":
            issued = org.qualification_date
            if issued is None or issued.year < year - 2:
                issued = dt.date(year - 1, 11, 1)
            form["qualification_number"] = f"GR{issued.year}{str(org.region_id or 32)[:2]}{org.pk % 1000000:06d}"
            form["certificate_date"] = issued.isoformat()
        elif kind == "incubated":
            form.update(
                incubator_name="南京江宁高新区科技企业孵化器",
                incubator_operator="南京江宁高新区科技创业服务中心有限公司",
                incubator_credit_code=INCUBATOR_CREDIT_CODE,
            )
            files["evidence"] = pdf("入孵协议-盖章.pdf")
        elif kind == "talent":
            form.update(talent_name=org.legal_representative or "演示人才", talent_programme="江苏省双创人才计划")
            form["talent_level"] = "省级"
            files["evidence"] = pdf("人才入选证明.pdf")
        return form, files

    def booked_last_year(self, case: Case) -> bool:
        """A booking leads to a voucher only in the year it was requested in
        (``booking_voucher_refusal``): one accepted or served across the new year is left
        as a paid-in-cash order, like a draft of last year."""
        if voucher_services.booking_year(case.booking) == timezone.localdate().year:
            return False
        case.ended = "booking of last year"
        self.counts["bookings left from last year"] += 1
        return True

    def draft(self, case: Case) -> None:
        """The contract (order) from the accepted booking: pledge, signed scan. The scheme's
        entitlement for this year is claimed or applied for first."""
        if self.booked_last_year(case):
            return
        self.entitle(case.user)
        contract = voucher_services.contract_open_from_booking(booking=case.booking, by=case.user)
        contract = voucher_services.contract_accept_pledge(contract=contract, by=case.user)
        case.contract = voucher_services.contract_upload_scan(contract=contract, by=case.user, upload=pdf("signed.pdf"))
        if self.scheme["entitlement"] in (Entitlement.APPLICATION, Entitlement.QUOTA):
            self.next(case, "draft", self.entitle_review, (1, 2))
        else:
            self.next(case, "draft", self.submit, (0, 2))

    def entitle_review(self, case: Case) -> None:
        """The platform approves the R&D project (Henan); the bureau grants the yearly
        application (Jiangsu; 科小 were granted at once)."""
        org, year = case.org, timezone.localdate().year
        for project in ProjectRegistration.objects.filter(organisation=org, year=year, status=ProjectStatus.SUBMITTED):
            entitlements.project_review(project=project, by=self.operator, approve=True, note="项目真实，同意登记")
        for claim in EntitlementClaim.objects.filter(organisation=org, year=year, status=ClaimStatus.SUBMITTED):
            entitlements.decide(claim=claim, by=self.bureau(org), approve=True, note="材料齐全，同意")
        self.next(case, "entitle_review", self.submit, (0, 1))

    def claim_for(self, case: Case, amount: Decimal | None = None) -> None:
        """Zhejiang: claim what this order needs, within the caps, before registering it."""
        org, year = case.org, timezone.localdate().year
        amount = case.contract.amount if amount is None else amount
        need = (amount * self.scheme["flat_rate"]).quantize(D("0.01"))
        for _ in range(4):
            left = ledger.entitlement_left(org, year)
            claimable = entitlements.wallet(org, year).still_claimable or D("0")
            if left >= need or claimable <= 0:
                return
            step = D("10000")
            amount = min(claimable, ((need - left) / step).to_integral_value(rounding=ROUND_CEILING) * step)
            entitlements.claim_amount(by=case.user, amount=amount)

    def submit(self, case: Case) -> None:
        if case.contract.policy.year != timezone.localdate().year:
            # Opened last year: the applicant lets it lapse and would open a new one. (Submitted
            # now, the services would issue it on last year's policy — where vouchers end on 31
            # December, already expired.)
            case.ended = "draft of last year"
            self.counts["drafts left from last year"] += 1
            return
        if self.scheme["entitlement"] == Entitlement.CLAIM:
            self.claim_for(case)
        case.contract = voucher_services.contract_submit(contract=case.contract, by=case.user)
        if case.contract.status == ContractStatus.APPROVED:  # no review before use: issued now
            self.issued(case, "submit")
        else:
            self.next(case, "submit", self.review, (1, 3))

    def review(self, case: Case) -> None:
        """The level whose turn it is approves — or returns the contract once, where the
        case says so (Henan's platform: a second refusal makes it an ordinary order)."""
        contract = case.contract
        level = contract.status.removeprefix("at_")
        by = self.reviewer(level, contract)
        returns = (case.return_at == level and not case.done["resubmit"]) or (case.ordinary and level == "operator")
        if returns:
            note = "请补充服务方案和报价明细。" if level != "operator" else "抵扣金额有误，请核对订单金额。"
            case.contract = voucher_services.contract_review(contract=contract, by=by, approve=False, note=note)
            if case.contract.status == ContractStatus.ORDINARY:
                case.ended = "ordinary order"
                self.counts["orders refused twice (ordinary orders)"] += 1
                return
            self.next(case, "review", self.resubmit, (1, 4))
            return
        case.contract = voucher_services.contract_review(contract=contract, by=by, approve=True, note="同意")
        if case.contract.status == ContractStatus.APPROVED:
            self.issued(case, "review")
        else:
            late = not case.fast and self.rng.random() < 0.06
            self.next(case, "review", self.review, (6, 8) if late else (1, 3))

    def resubmit(self, case: Case) -> None:
        case.done["resubmit"] += 1
        case.contract = voucher_services.contract_submit(contract=case.contract, by=case.user)
        self.at(self.later(timezone.now(), 1 if case.fast else self.rng.randint(1, 3)), self.review, case)

    def issued(self, case: Case, done: str) -> None:
        case.voucher = Voucher.objects.get(contract=case.contract)
        if case.stop == ("issued", 1):  # the applicant never uses it: it expires in time
            case.ended = "voucher never used"
            self.counts["vouchers never used"] += 1
            return
        self.next(case, done, self.start_service, (0, 3))

    def start_service(self, case: Case) -> None:
        by = self.institution_user(case.service.institution)
        case.booking = catalog_services.booking_start(booking=case.booking, by=by)
        days = min(20, max(2, case.service.cycle_days or 5))
        self.next(case, "start", self.complete, (days * 5 // 7, days * 5 // 7 + 2))

    def complete(self, case: Case) -> None:
        by = self.institution_user(case.service.institution)
        case.booking = catalog_services.booking_complete(booking=case.booking, by=by, note="报告已出具")
        if self.scheme.get("result_confirmation"):  # Henan: the order result, which the applicant confirms
            case.booking = catalog_services.booking_result_upload(
                booking=case.booking, by=by, upload=pdf("检测报告.pdf")
            )
        self.next(case, "complete", self.pay, (0, 3))

    def register(self, case: Case) -> None:
        """使用登记 (Zhejiang): after the service, one form — the enterprise's own contract,
        invoice and result proof, the payee's choice — makes the voucher, uses it and submits
        the proofs (``vouchers.settlement.registration``)."""
        if self.booked_last_year(case):
            return
        booking = case.booking
        today = timezone.localdate()
        self.claim_for(case, booking.amount)
        started = timezone.localtime(booking.starts_at).date() if booking.starts_at else today
        reg = registration.Registration(
            booking=booking,  # the service was booked on the map: its contract carries the booking
            institution=case.service.institution,
            service=case.service,
            category=case.service.category,
            title=f"{booking.item_name}技术服务合同",
            amount=booking.amount,
            signed_on=min(started, today),
            completed_on=today,
            payee_choice=case.choice,
            contract_file=pdf("合同.pdf"),
            invoice_file=pdf("发票.pdf"),
            result_file=pdf("服务结果.pdf"),
            invoice_number=f"{today:%Y%m%d}{booking.pk:06d}",
            promise=True,
        )
        case.use = registration.register_use(by=case.user, reg=reg)
        case.voucher = case.use.voucher
        case.contract = case.voucher.contract
        if case.rate and not case.fast:
            self.at(self.later(timezone.now(), self.rng.randint(1, 12)), self.rate, case)
        if case.use.payee_choice == PayeeChoice.ENTERPRISE:
            self.next(case, "pay", self.confirm_use, (1, 3))
        else:
            self.next(case, "pay", self.proof_review, (1, 4))

    def pay(self, case: Case) -> None:
        """Paying with the voucher: the scheme's payee (Zhejiang: the enterprise's choice;
        Henan: after confirming the institution's order result)."""
        if self.scheme.get("use_registration"):
            self.register(case)
            return
        case.use = settlement.voucher_pay(
            voucher=case.voucher,
            by=case.user,
            idempotency_key=f"demo-{self.province}-{case.voucher.pk:07d}",
            payee_choice=case.choice if self.scheme["payee_rule"] == PayeeRule.CHOSEN else "",
            result_confirmed=bool(self.scheme.get("result_confirmation")),
        )
        if case.rate and not case.fast:
            self.at(self.later(timezone.now(), self.rng.randint(1, 12)), self.rate, case)
        if case.use.payee_choice == PayeeChoice.ENTERPRISE:
            self.next(case, "pay", self.confirm_use, (1, 3))
        else:
            self.next(case, "pay", self.prove, (11, 14) if case.late_proofs else (1, 6))

    def confirm_use(self, case: Case) -> None:
        by = self.institution_user(case.service.institution)
        case.use = settlement.use_confirm(use=case.use, by=by, note="确认该券用于本机构服务")
        if self.scheme.get("use_registration"):  # the proofs came with the registration
            self.next(case, "confirm_use", self.proof_review, (0, 3))
        else:
            self.next(case, "confirm_use", self.prove, (0, 3))

    def prover(self, case: Case) -> User:
        if self.scheme["proof_by"] == "institution":
            return self.institution_user(case.service.institution)
        return case.user

    def prove(self, case: Case) -> None:
        """Invoice, bank receipt (equal totals; only where the scheme asks for one,
        ``receipt_required``) and the result, by the scheme's prover."""
        by = self.prover(case)
        use = case.use
        if use.proof_status == ProofStatus.NONE:
            invoice = (case.contract.amount * case.invoice_share).quantize(D("0.01"))
            number = f"{timezone.localdate():%Y%m%d}{case.voucher.pk:06d}"
            kinds = [(ProofKind.INVOICE, invoice)]
            if receipt_required(case.contract.policy):
                kinds.append((ProofKind.BANK_RECEIPT, invoice))
            kinds.append((ProofKind.RESULT, None))
            for kind, amount in kinds:
                settlement.proof_upload(
                    use=use, by=by, kind=kind, upload=pdf(f"{kind}.pdf"), number=number, amount=amount
                )
        else:  # returned: the missing page of the report
            settlement.proof_upload(use=use, by=by, kind=ProofKind.RESULT, upload=pdf("result-2.pdf"), number="补充")
        case.use = settlement.proof_submit(use=use, by=by)
        self.next(case, "prove", self.proof_review, (1, 4))

    def proof_review(self, case: Case) -> None:
        """The operator reviews the proofs (Ningxia); where the scheme checks them with the
        redemption they are filed already and the payee may redeem at once."""
        if case.use.proof_status == ProofStatus.FILED:
            if case.stop is None:
                self.ready[case.use.payee_id].append(case)
            self.next(case, "proof_review", self.redeem, (8, 15) if case.cumulative else (1, 6))
            return
        if case.return_proofs and not case.done["proof_review"]:
            case.use = settlement.proof_review(
                use=case.use, by=self.operator, approve=False, note="检测报告缺少签章页，请补充上传。"
            )
            self.next(case, "proof_review", self.prove, (1, 4))
            return
        case.use = settlement.proof_review(use=case.use, by=self.operator, approve=True, note="材料齐全")
        if case.stop is None:
            self.ready[case.use.payee_id].append(case)
        # A payee gathering vouchers for one cumulative redemption waits a few weeks.
        self.next(case, "proof_review", self.redeem, (8, 15) if case.cumulative else (1, 6))

    def rate(self, case: Case) -> None:
        """The applicant rates the institution — and, where the scheme asks (Henan), the
        platform's service too."""
        comment = self.rng.choice(RATING_COMMENTS)
        platform = self.rng.choice((4, 5, 5)) if self.scheme.get("platform_rating") else None
        settlement.use_rate(
            use=case.use, by=case.user, score=comment["score"], comment=comment["comment"], platform_score=platform
        )

    def redeem(self, case: Case) -> None:
        """The payee asks for the money: this voucher alone, or — cumulatively — with others
        of its own that are ready too (the bureau's schemes: of the same applicant)."""
        if case.joined:
            return
        payee = case.use.payee_id
        waiting = [c for c in self.ready[payee] if c is not case and not c.joined]
        if self.scheme["redemption_review"][0] == Role.BUREAU:  # one bureau (county or city) covers all
            waiting = [c for c in waiting if c.org.region.parent_id == case.org.region.parent_id]
        others = waiting[:3] if case.cumulative and not case.fast else []
        if case.cumulative and not others and case.done["wait"] < 3:  # nothing to add yet: wait a little
            case.done["wait"] += 1
            self.at(self.later(timezone.now(), 5), self.redeem, case)
            return
        for other in others:
            other.joined = True
        self.ready[payee] = [c for c in self.ready[payee] if c is not case and c not in others]
        by = self.institution_user(case.service.institution) if payee != case.org.pk else case.user
        vouchers = [case.voucher] + [c.voucher for c in others]
        mode = RedemptionMode.CUMULATIVE if others else RedemptionMode.INSTANT
        case.redemption = settlement.redemption_request(by=by, vouchers=vouchers, mode=mode)
        case.others = others
        if others:
            self.counts["cumulative redemptions"] += 1
        self.next(case, "redeem", self.check, (8, 10) if self.rng.random() < 0.05 else (2, 6))

    def check(self, case: Case) -> None:
        """The scheme's first redemption level: Ningxia's and Henan's operator, Jiangsu's and
        Zhejiang's bureau; Jiangsu's approves the contract amounts (审核认定)."""
        first = self.scheme["redemption_review"][0]
        by = self.authority([c.org for c in [case, *case.others]]) if first == Role.BUREAU else self.operator
        if case.return_redemption and not case.done["check"]:
            settlement.redemption_check(
                redemption=case.redemption, by=by, approve=False, note="发票抬头与合同甲方不一致，请核对后重新提交。"
            )
            self.next(case, "check", self.resubmit_redemption, (1, 3))
            return
        approved = None
        if self.scheme.get("value_fixed") == "redemption":
            approved = {
                c.voucher.pk: str((c.contract.amount * c.approved_share).quantize(D("0.01")))
                for c in [case, *case.others]
            }
        settlement.redemption_check(
            redemption=case.redemption, by=by, approve=True, note="材料审核通过", approved=approved
        )
        if len(self.scheme["redemption_review"]) > 1:
            self.next(case, "check", self.confirm, (1, 4))
        else:
            self.next(case, "check", None, 0)

    def resubmit_redemption(self, case: Case) -> None:
        """The payee sends the returned redemption back; where the return reopened the proofs
        (no proof review), their prover corrects and files them first."""
        for c in [case, *case.others]:
            c.use.refresh_from_db()
            if c.use.proof_status == ProofStatus.RETURNED:
                prover = self.prover(c)
                settlement.proof_upload(
                    use=c.use, by=prover, kind=ProofKind.RESULT, upload=pdf("result-2.pdf"), number="补正"
                )
                c.use = settlement.proof_submit(use=c.use, by=prover)
        by = User.objects.get(pk=case.redemption.created_by_id)
        case.redemption = settlement.redemption_resubmit(redemption=case.redemption, by=by, note="已更正发票")
        self.at(self.later(timezone.now(), self.rng.randint(2, 5)), self.check, case)

    def confirm(self, case: Case) -> None:
        settlement.redemption_confirm(redemption=case.redemption, by=self.centre, approve=True, note="确认兑付")
        self.next(case, "confirm", None, 0)

    # --- payout batches -------------------------------------------------------------------------

    def plan_batches(self) -> None:
        """Regular batches (Henan: each quarter's summary after the quarter; elsewhere monthly),
        paid in full; the last one stops at its notice, with Ningxia's one objection. Where a
        batch goes on public notice, the regular batch before it stops after its notice has
        ended, approved by nobody yet: the centre can walk 批准 → 拨付 on the day of the load
        (a new batch's notice lasts days). Where the bureau's approval is the payout
        (Zhejiang) there is nothing to plan: each approval made its own batch."""
        if self.scheme["payout_cycle"] == PayoutCycle.ON_APPROVAL:
            return
        regular: list[dt.datetime] = []
        if self.scheme["payout_cycle"] == PayoutCycle.QUARTERLY:
            final_day = self.cal.add(quarter_start(self.today) - dt.timedelta(days=1), 3)
            if final_day > self.cal.back(self.today, 5):
                final_day = self.cal.back(self.today, 5)
            last_regular = quarter_start(final_day)
            q = quarter_start(self.window_start)
            while True:
                q = month_start(q, -3)
                if q >= last_regular:
                    break
                regular.append(local(self.cal.add(q - dt.timedelta(days=1), 3), dt.time(10, 0)))
        else:
            final_day = self.cal.back(self.today, 2)
            for i in range(1, MONTHS):
                day = self.cal.add(month_start(self.today, MONTHS - 1 - i) - dt.timedelta(days=1), 3)
                if day + dt.timedelta(days=16) < final_day:
                    regular.append(local(day, dt.time(10, 0)))
        noticed = self.scheme.get("expert_review") or self.preset in NOTICE_MONTHLY
        for n, when in enumerate(regular):
            self.at(when, self.batch, False, bool(noticed) and n == len(regular) - 1)
        self.at(local(final_day, dt.time(10, 0)), self.batch, True)

    def batch(self, final: bool, hold: bool = False) -> None:
        today = timezone.localdate()
        cycle = self.scheme["payout_cycle"]
        waiting = redemptions_unbatched()
        if cycle == PayoutCycle.QUARTERLY:  # the summary of the quarters before this one
            waiting = waiting.filter(confirmed_at__lt=local(quarter_start(today), dt.time(0, 0)))
        if not waiting.exists():
            return
        batch = settlement.batch_create(by=self.centre, year=today.year, cycle=cycle)
        self.counts["batches created"] += 1
        if hold:
            self.held.add(batch.pk)
        if self.scheme.get("expert_review"):  # Henan's quarterly summary
            self.at(self.later(timezone.now(), 0), self.experts, batch, final)
        elif self.preset in NOTICE_MONTHLY:
            self.at(self.later(timezone.now(), 0), self.notice, batch, final)
        else:
            self.at(self.later(timezone.now(), 1), self.approve, batch, final)

    def experts(self, batch: PayoutBatch, final: bool) -> None:
        settlement.batch_step(batch=batch, by=self.centre, step="experts")
        if final:  # the last summary waits for an expert's opinion: every later step is left to walk
            self.counts["batch left with the experts"] += 1
            return
        self.at(self.later(timezone.now(), 2), self.assess, batch, final)

    def assess(self, batch: PayoutBatch, final: bool) -> None:
        settlement.batch_step(batch=batch, by=self.expert, step="assess", note="材料真实完整，同意拨付")
        self.at(self.later(timezone.now(), 2), self.finance, batch, final)

    def finance(self, batch: PayoutBatch, final: bool) -> None:
        year = timezone.localdate().year
        note = f"科技厅、财政厅联合确认（豫科〔{year}〕{batch.pk:02d}号）"
        settlement.batch_step(batch=batch, by=self.centre, step="finance", note=note)
        self.at(self.later(timezone.now(), 1), self.notice, batch, final)

    def notice(self, batch: PayoutBatch, final: bool) -> None:
        batch = settlement.batch_open_notice(batch=batch, by=self.centre)
        if final:
            self.counts["batch left on notice"] += 1
            if self.province == 640000:
                self.at(self.later(timezone.now(), 0), self.objection, batch)
            return
        self.at(local(self.cal.add(batch.notice_until, 1), dt.time(10, 0)), self.approve, batch, final)

    def objection(self, batch: PayoutBatch) -> None:
        """One objection during Ningxia's notice, left for the centre to resolve."""
        item = batch.items.order_by("pk").first()
        by = User.objects.filter(organisation__kind=OrgKind.INDIVIDUAL).order_by("pk").first()
        settlement.objection_lodge(item=item, by=by, reason="该检测项目疑似未实际送检，请核实送检记录。")
        self.counts["objections left open"] += 1

    def approve(self, batch: PayoutBatch, final: bool) -> None:
        if batch.pk in self.held:
            self.counts["batch left after its notice, waiting for approval"] += 1
            return
        batch = settlement.batch_approve(batch=batch, by=self.centre)
        if final:
            self.counts["batch left approved, waiting for payment"] += 1
            return
        self.at(self.later(timezone.now(), 1), self.pay_batch, batch)

    def pay_batch(self, batch: PayoutBatch) -> None:
        result = settlement.batch_pay(batch=batch, by=self.centre)
        self.counts["batch items paid"] += result["paid"]
        self.counts["batch items waiting for budget"] += result["waiting_budget"]

    # --- the daily job --------------------------------------------------------------------------

    def plan_daily_job(self) -> None:
        """``manage.py vouchers_daily`` as cron runs it (expiry, default ratings, lapsed
        entitlements) — here on the 1st and 16th of each month at 01:10, and today, which
        is often enough for the demo's dates (a run costs a tenth of a second)."""
        day = self.window_start
        while day <= self.today:
            if day.day in (1, 16) or day == self.today:
                self.at(local(day, dt.time(1, 10)), self.daily)
            day += dt.timedelta(days=1)

    def daily(self) -> None:
        expired = settlement.vouchers_expire()
        self.counts["vouchers expired"] += expired["expired"]
        self.counts["default ratings"] += settlement.default_ratings()
        self.counts["entitlements lapsed"] += entitlements.lapse()

    # --- what came of it --------------------------------------------------------------------------

    def summary(self) -> dict:
        counts = dict(self.counts)
        for label, model, field_name in (
            ("contracts", Contract, "status"),
            ("vouchers", Voucher, "status"),
            ("proofs", VoucherUse, "proof_status"),
            ("redemptions", Redemption, "status"),
            ("batches", PayoutBatch, "status"),
            ("batch items", BatchItem, "status"),
        ):
            for value, n in Counter(model.objects.values_list(field_name, flat=True)).items():
                counts[f"{label} {value}"] = n
        counts["refusals"] = sum(self.refusals.values())
        for reason, n in self.refusals.most_common():
            self.say(f"  refused {n}×: {reason}")
        return counts
