"""The demo data set of the deployment's province: its real institutions, invented
enterprises, users for every role, a catalogue of instruments and services (about 600 and 900
for Ningxia), bookings and ratings.

``settings.PLATFORM_PROVINCE`` picks the data module (``PROVINCE_DATA``): Ningxia's
``demo/data/organisations.py`` or one module per other seed province. Staff organisations take
the module's ``STAFF`` names; bureaus are named from the province's regions. The demo logins
are the same in every province: ``enterprise1``, ``institution1``, ``operator1``, ``centre1``,
``expert1..3`` and ``bureau<adcode>``.

Deterministic (fixed random seed) and loaded once: a second run finds ``operator1`` and
stops. Organisations are created certified (with an audit row saying so), except a few
left waiting so every reviewer's queue has something in it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from decimal import Decimal
from types import ModuleType

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import (
    CertificationEvent,
    CertStatus,
    ListingMode,
    Organisation,
    OrgKind,
    Role,
    User,
)
from catalog.listing import listing_sync_institution, rebuild_grid
from catalog.models import (
    Booking,
    BookingEvent,
    BookingKind,
    BookingMode,
    BookingStatus,
    Institution,
    Instrument,
    Listing,
    Rating,
    ReviewStatus,
    Service,
)
from catalog.search_text import join_aliases
from demo.data.catalogue import INSTRUMENT_TEMPLATES, RATING_COMMENTS, SERVICE_TEMPLATES
from geodata.models import Region, RegionLevel
from geodata.selectors import region_locate
from mapsite.storage import private_storage
from vouchers import entitlements
from vouchers import services as voucher_services
from vouchers.models import ClaimStatus, Entitlement, EntitlementClaim, Policy
from vouchers.policies import province_policy
from vouchers.presets import install_preset

SEED = 20261123
# How many catalogue items an institution of each kind gets (instruments, services).
ITEMS_BY_KIND = {
    "university": (12, 13),
    "research_institute": (9, 12),
    "public_test_agency": (8, 14),
    "enterprise_lab": (6, 8),
    "incubator": (1, 6),
    "tech_transfer": (0, 6),
    "other": (0, 5),
}
DIRECT_BASIS = {
    "incubator": "incubator",
    "public_test_agency": "statutory_test",
    "tech_transfer": "ip_agency",
}


# A minimal valid one-page PDF standing in for scanned licences.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# Deployment province -> (demo data module, voucher preset of vouchers/presets.py).
PROVINCE_DATA = {
    640000: ("demo.data.organisations", "ningxia"),
    410000: ("demo.data.henan", "henan"),
    320000: ("demo.data.jiangsu", "jiangsu"),
    330000: ("demo.data.zhejiang", "zhejiang"),
}


def province_data(province: int | None = None) -> ModuleType:
    """The demo data module of ``province`` (default: the deployment's)."""
    province = province or settings.PLATFORM_PROVINCE
    if province not in PROVINCE_DATA:
        known = "、".join(str(p) for p in PROVINCE_DATA)
        raise ImproperlyConfigured(f"PLATFORM_PROVINCE={province}: no demo data set (there is one for {known}).")
    return importlib.import_module(PROVINCE_DATA[province][0])


def province_regions():
    """The deployment's province and everything under it (a test database may hold others)."""
    province = settings.PLATFORM_PROVINCE
    return Region.objects.filter(adcode__gte=province, adcode__lt=province + 10000)


def demo_loaded() -> bool:
    return User.objects.filter(username="operator1").exists()


class DemoLoader:
    def __init__(self, *, password: str | None = None, stdout=None):
        self.province = settings.PLATFORM_PROVINCE
        self.data = province_data(self.province)
        self.rng = random.Random(SEED)
        self.password_hash = make_password(password or settings.DEMO_PASSWORD)
        self.out = stdout
        self.counts: dict[str, int] = {}

    def say(self, msg: str) -> None:
        if self.out is not None:
            self.out.write(msg)

    # --- organisations and users ------------------------------------------------------------

    def _user(self, username: str, org: Organisation, email: str = "") -> User:
        user = User(
            username=username, organisation=org, email=email or f"{username}@example.com", password=self.password_hash
        )
        user.save()
        return user

    def _certify(self, org: Organisation, note: str = "演示数据：已认证") -> None:
        CertificationEvent.objects.create(
            organisation=org, actor=None, from_status=CertStatus.DRAFT, to_status=org.status, note=note
        )

    def staff(self) -> None:
        names = self.data.STAFF
        operator = Organisation.objects.create(
            name=names["operator"]["name"],
            kind=OrgKind.OPERATOR,
            status=CertStatus.CERTIFIED,
            region_id=self.province,
            contact_phone=names["operator"]["contact_phone"],
        )
        self._user("operator1", operator)
        self._user("operator2", operator)
        centre = Organisation.objects.create(
            name=names["centre"]["name"],
            kind=OrgKind.CENTRE,
            status=CertStatus.CERTIFIED,
            region_id=self.province,
            contact_phone=names["centre"]["contact_phone"],
        )
        self._user("centre1", centre)
        experts = Organisation.objects.create(
            name=names["experts"]["name"], kind=OrgKind.EXPERT, status=CertStatus.CERTIFIED, region_id=self.province
        )
        for i in (1, 2, 3):
            self._user(f"expert{i}", experts)
        bureaus = province_regions().exclude(level=RegionLevel.PROVINCE).select_related("parent")
        for region in bureaus:
            # A county-level city directly under the province (济源市) is named alone.
            if region.level == RegionLevel.CITY or region.parent.level == RegionLevel.PROVINCE:
                name = region.name
            else:
                name = f"{region.parent.name}{region.name}"
            org = Organisation.objects.create(
                name=f"{name}科学技术局",
                kind=OrgKind.BUREAU,
                region=region,
                status=CertStatus.CERTIFIED,
            )
            self._user(f"bureau{region.adcode}", org)
        self.counts["bureaus"] = len(bureaus)

    def _place(self, lng: float, lat: float, declared: int | None) -> tuple[Point, Region | None]:
        point = Point(lng, lat, srid=settings.SRID)
        county = region_locate(point=point)
        if declared is not None and (county is None or county.adcode != declared):
            self.say(f"  note: point {lng},{lat} is not in {declared}; using the county seat")
            county = Region.objects.get(adcode=declared)
            point = county.center
        return point, county

    def institutions(self) -> list[Institution]:
        created = []
        for i, data in enumerate(self.data.INSTITUTIONS):
            point, county = self._place(data["lng"], data["lat"], data["county_adcode"])
            # A few reviewed-listing applications wait for the operator and the experts.
            status = CertStatus.CERTIFIED
            if data["listing_mode"] == "reviewed" and i % 17 == 16:
                status = CertStatus.SUBMITTED if i % 2 else CertStatus.EXPERT_REVIEW
            org = Organisation.objects.create(
                name=data["name"],
                kind=OrgKind.INSTITUTION,
                credit_code=data["credit_code"],
                registered_address=data["address"],
                region=county if data["in_region"] else None,
                location=point,
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["email"],
                status=status,
                in_region=data["in_region"],
                listing_mode=data["listing_mode"],
                direct_basis=(
                    "listed_elsewhere" if not data["in_region"] else DIRECT_BASIS.get(data["kind"], "platform")
                )
                if data["listing_mode"] == ListingMode.DIRECT
                else "",
                service_staff=data["service_staff"],
                has_management_rules=True,
                licence="licences/demo/licence.pdf",
            )
            self._certify(org, "演示数据" + ("：已入库" if status == CertStatus.CERTIFIED else "：待审核"))
            inst = Institution.objects.create(
                organisation=org,
                kind=data["kind"],
                is_public_institution=data["is_public_institution"],
                short_name=data.get("short_name") or "",
                description=data["description"],
            )
            username = "institution1" if not created else f"inst-{data['key']}"
            self._user(username, org, data["email"])
            created.append(inst)
        self.counts["institutions"] = len(created)
        return created

    def applicants(self) -> list[Organisation]:
        orgs = []
        for i, data in enumerate(self.data.ENTERPRISES):
            point, county = self._place(data["lng"], data["lat"], data["county_adcode"])
            status = CertStatus.SUBMITTED if i in (3, 11, 19) else CertStatus.CERTIFIED
            org = Organisation.objects.create(
                name=data["name"],
                kind=data["kind"],
                credit_code=data["credit_code"],
                legal_representative=data["legal_representative"],
                registered_address=data["address"],
                region=county,
                location=point,
                contact_phone=data["contact_phone"],
                contact_email=data["email"],
                qualification=data["qualification"],
                prior_year_revenue=Decimal(data["prior_year_revenue"]),
                status=status,
                licence="licences/demo/licence.pdf",
                qualification_date=dt.date(2024, 11, 1) if data["qualification"] == "high_tech" else None,
                qualification_number=(
                    f"{timezone.localdate().year}{data['county_adcode']}{i:04d}"
                    if data["qualification"] == "tech_sme"
                    else f"GR2024{data['county_adcode']}{i:03d}"
                    if data["qualification"] == "high_tech"
                    else ""
                ),
            )
            self._certify(org, "演示数据" + ("：已认证" if status == CertStatus.CERTIFIED else "：待审核"))
            self._user("enterprise1" if i == 0 else data["key"], org, data["email"])
            orgs.append(org)
        for data in self.data.INDIVIDUALS:
            point, county = self._place(data["lng"], data["lat"], data["county_adcode"])
            org = Organisation.objects.create(
                name=data["name"],
                kind=OrgKind.INDIVIDUAL,
                resident_id=data["resident_id"],
                region=county,
                location=point,
                contact_phone=data["contact_phone"],
                contact_email=data["email"],
                status=CertStatus.CERTIFIED,
                licence="licences/demo/id.pdf",
            )
            self._certify(org)
            self._user(data["key"], org, data["email"])
            orgs.append(org)
        self.counts["applicants"] = len(orgs)
        return orgs

    # --- catalogue ----------------------------------------------------------------------------

    def _vary(self, price: str) -> Decimal:
        factor = Decimal(self.rng.choice([80, 90, 95, 100, 100, 110, 120])) / 100
        return (Decimal(price) * factor).quantize(Decimal("1.00"))

    def catalogue(self, institutions: list[Institution]) -> None:
        instruments, services_ = [], []
        now = timezone.now()
        for n, inst in enumerate(institutions):
            n_instr, n_serv = ITEMS_BY_KIND[inst.kind]
            fitting_i = [t for t in INSTRUMENT_TEMPLATES if inst.kind in t["kinds"]]
            fitting_s = [t for t in SERVICE_TEMPLATES if inst.kind in t["kinds"]]
            for k, t in enumerate(self.rng.sample(fitting_i, min(n_instr, len(fitting_i)))):
                weekend = self.rng.random() < 0.15
                instruments.append(
                    Instrument(
                        institution=inst,
                        name=t["name"],
                        aliases=join_aliases(t.get("keywords")),
                        model_number=t["model"],
                        manufacturer=t["manufacturer"],
                        category=t["category"],
                        original_value=Decimal(t["original_value"]),
                        price=self._vary(t["price"]),
                        unit=t["unit"],
                        booking_mode=BookingMode.SLOT if t["booking"] == "slot" else BookingMode.SAMPLE,
                        instant_booking=self.rng.random() < 0.3,
                        voucher_eligible=True,
                        open_weekdays=[1, 2, 3, 4, 5, 6, 7] if weekend else [1, 2, 3, 4, 5],
                        review_status=ReviewStatus.PENDING if (n + k) % 97 == 5 else ReviewStatus.APPROVED,
                        description=f"{t['manufacturer']} {t['model']}，{inst.organisation.name}对外开放共享。",
                        created_at=now - dt.timedelta(days=self.rng.randint(1, 900)),
                    )
                )
            for k, t in enumerate(self.rng.sample(fitting_s, min(n_serv, len(fitting_s)))):
                services_.append(
                    Service(
                        institution=inst,
                        name=t["name"],
                        category=t["category"],
                        price=self._vary(t["price"]),
                        unit=t["unit"],
                        cycle_days=t["cycle_days"],
                        public_benefit=t["public_benefit"],
                        voucher_eligible=t["voucher_eligible"],
                        review_status=ReviewStatus.PENDING if (n + k) % 89 == 7 else ReviewStatus.APPROVED,
                        created_at=now - dt.timedelta(days=self.rng.randint(1, 900)),
                    )
                )
        Instrument.objects.bulk_create(instruments)
        Service.objects.bulk_create(services_)
        by_name = {}
        for i in Instrument.objects.all():
            by_name.setdefault((i.institution_id, i.name), i)
        through = []
        for s in Service.objects.all():
            template = next((t for t in SERVICE_TEMPLATES if t["name"] == s.name), None)
            used = (
                by_name.get((s.institution_id, template["instrument"]))
                if template and template.get("instrument")
                else None
            )
            if used:
                through.append(Service.instruments.through(service_id=s.pk, instrument_id=used.pk))
        Service.instruments.through.objects.bulk_create(through)
        self.counts["instruments"], self.counts["services"] = len(instruments), len(services_)

    # --- bookings and ratings -----------------------------------------------------------------

    def bookings(self, applicants: list[Organisation]) -> None:
        certified = [o for o in applicants if o.status == CertStatus.CERTIFIED]
        users = {u.organisation_id: u for u in User.objects.filter(organisation__in=certified)}
        listed = {"review_status": ReviewStatus.APPROVED, "institution__organisation__status": CertStatus.CERTIFIED}
        items = list(Instrument.objects.filter(**listed).select_related("institution"))
        items += list(Service.objects.filter(**listed).exclude(category="技术成果购买").select_related("institution"))
        # Popular items attract most bookings (a long tail like real platforms).
        weights = [1 / (1 + i % 40) for i in range(len(items))]
        self.rng.shuffle(items)
        today = timezone.localdate()
        bookings, ratings = [], []
        for n in range(420):
            item = self.rng.choices(items, weights)[0]
            org = self.rng.choice(certified)
            days_ago = self.rng.randint(3, 330)
            created = timezone.now() - dt.timedelta(days=days_ago)
            status = self.rng.choices(
                [
                    BookingStatus.RATED,
                    BookingStatus.COMPLETED,
                    BookingStatus.ACCEPTED,
                    BookingStatus.REQUESTED,
                    BookingStatus.DECLINED,
                ],
                [55, 12, 13, 12, 8],
            )[0]
            is_slot = isinstance(item, Instrument) and item.booking_mode == BookingMode.SLOT
            qty = Decimal(self.rng.choice([2, 3, 4])) if is_slot else Decimal(self.rng.choice([1, 2, 3, 5, 10]))
            booking = Booking(
                number=f"YY{(today - dt.timedelta(days=days_ago)):%Y%m%d}{n + 1:08d}",
                kind=BookingKind.SLOT if is_slot else BookingKind.SAMPLE,
                enterprise=org,
                institution=item.institution,
                instrument=item if isinstance(item, Instrument) else None,
                service=item if isinstance(item, Service) else None,
                item_name=item.name,
                quantity=qty,
                unit="小时" if is_slot else item.unit.replace("元/", ""),
                unit_price=item.price,
                amount=(qty * item.price).quantize(Decimal("0.01")),
                expected_date=today - dt.timedelta(days=days_ago - 7),
                status=status,
                requested_by=users[org.pk],
            )
            if is_slot:
                # Past slots from 09:00–12:00; clashes are moved a day back below.
                start = timezone.make_aware(
                    dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9 + n % 4))
                )
                booking.starts_at, booking.ends_at = start, start + dt.timedelta(hours=int(qty))
            bookings.append((booking, created))
        # Held slots must not overlap per instrument: shift any clash by whole days.
        taken: dict[int, list] = {}
        for booking, _ in bookings:
            if booking.kind != BookingKind.SLOT:
                continue
            spans = taken.setdefault(booking.instrument.pk, [])
            while any(booking.starts_at < e and booking.ends_at > s for s, e in spans):
                booking.starts_at -= dt.timedelta(days=1)
                booking.ends_at -= dt.timedelta(days=1)
            spans.append((booking.starts_at, booking.ends_at))
        Booking.objects.bulk_create([b for b, _ in bookings])
        events = []
        for booking, created in bookings:
            Booking.objects.filter(pk=booking.pk).update(created_at=created)
            events.append(
                BookingEvent(
                    booking=booking, from_status=BookingStatus.REQUESTED, to_status=booking.status, note="演示数据"
                )
            )
            if booking.status == BookingStatus.RATED:
                c = self.rng.choice(RATING_COMMENTS)
                ratings.append(
                    Rating(
                        booking=booking,
                        enterprise=booking.enterprise,
                        institution=booking.institution,
                        instrument=booking.instrument,
                        service=booking.service,
                        score=c["score"],
                        comment=c["comment"],
                    )
                )
        BookingEvent.objects.bulk_create(events)
        Rating.objects.bulk_create(ratings)
        self.counts["bookings"], self.counts["ratings"] = len(bookings), len(ratings)

    def aggregates(self) -> None:
        """Popularity (accepted-or-later bookings) and rating mean/count, in SQL."""
        held = "('accepted','in_service','completed','rated')"
        with connection.cursor() as cur:
            for table, col in (
                ("catalog_instrument", "instrument_id"),
                ("catalog_service", "service_id"),
                ("catalog_institution", "institution_id"),
            ):
                pk = "organisation_id" if table == "catalog_institution" else "id"
                cur.execute(f"""
                    UPDATE {table} t SET
                      popularity = COALESCE((SELECT count(*) FROM catalog_booking b
                                             WHERE b.{col} = t.{pk} AND b.status IN {held}), 0),
                      rating_mean = COALESCE((SELECT round(avg(score), 2) FROM catalog_rating r
                                              WHERE r.{col} = t.{pk}), 0),
                      rating_count = (SELECT count(*) FROM catalog_rating r WHERE r.{col} = t.{pk})
                """)  # noqa: S608 (table and column names are constants above)

    def listings(self) -> None:
        for inst in Institution.objects.select_related("organisation"):
            listing_sync_institution(inst)
        rebuild_grid()

    def licence_files(self) -> None:
        """The demo organisations' licence scans: one small real PDF each path points at."""
        storage = private_storage()
        for name in ("licences/demo/licence.pdf", "licences/demo/id.pdf"):
            if not storage.exists(name):
                storage.save(name, ContentFile(DEMO_PDF))

    def _reviewer(self, level: str, contract, operator: User, centre: User) -> User:
        """A demo user for one level of the scheme's review chain."""
        if level == Role.BUREAU:
            return User.objects.get(username=f"bureau{contract.enterprise.region_id}")
        if level == Role.INSTITUTION:
            return User.objects.filter(organisation=contract.institution.organisation).order_by("pk").first()
        return operator if level == Role.OPERATOR else centre

    def _demo_entitlement(self, user: User) -> None:
        """In a scheme with entitlements (额度) the applicant claims or applies first, the way
        its users do (SPEC §10); an authority grants the applications that need review."""
        policy = province_policy(timezone.localdate().year)
        org = user.organisation
        if policy.pk is None or policy.entitlement == Entitlement.NONE:
            return
        if EntitlementClaim.objects.filter(organisation=org, year=policy.year).exists():
            return
        if policy.project_registration and not entitlements.has_approved_project(org, policy.year):
            project = entitlements.project_register(
                by=user,
                data={
                    "title": f"{org.name[:20]}年度研发项目",
                    "summary": "新产品研发与检测验证（演示数据）",
                    "budget": "800000",
                    "starts_on": dt.date(policy.year, 1, 1),
                    "ends_on": dt.date(policy.year, 12, 31),
                },
            )
            operator = User.objects.get(username="operator1")
            entitlements.project_review(project=project, by=operator, approve=True, note="演示数据：项目真实")
        if policy.entitlement == Entitlement.QUOTA:
            entitlements.claim_quota(by=user, pledge=True)
        elif policy.entitlement == Entitlement.CLAIM:
            amount = min(x for x in (policy.claim_each_cap, policy.holding_cap, policy.claim_year_cap) if x)
            entitlements.claim_amount(by=user, amount=amount)
        else:
            form = {"staff": 36, "industry": "科学研究和技术服务业", "revenue": "18000000", "zone": ""}
            claim = entitlements.apply(by=user, data=form, stamped_form=ContentFile(DEMO_PDF, name="application.pdf"))
            if claim.status == ClaimStatus.SUBMITTED:
                authority = (
                    User.objects.filter(
                        organisation__kind=OrgKind.BUREAU, organisation__region_id=org.region_id
                    ).first()
                    or User.objects.filter(
                        organisation__kind=OrgKind.BUREAU, organisation__region_id=org.region.parent_id
                    ).first()
                )
                entitlements.decide(claim=claim, by=authority, approve=True, note="演示数据：材料齐全")

    def vouchers(self) -> None:
        """This year's policy from the province's preset (and, in Ningxia, a 兴庆区 top-up),
        then contracts at every stage, moved along by the real services so the ledger and
        audit trail are genuine.

        Each province's scheme decides the flow: its applicants claim or apply for their
        entitlement first (``_demo_entitlement``), and each contract is moved along the
        scheme's review chain (none in Jiangsu and Zhejiang, where submitting issues the
        voucher); contracts the rules refuse are skipped and counted."""

        year = timezone.localdate().year
        install_preset(key=PROVINCE_DATA[self.province][1], year=year)
        if self.province == 640000:
            Policy.objects.create(
                name="兴庆区科技创新券配套", year=year, region_id=640104, county_topup_rate=Decimal("0.10")
            )
        operator = User.objects.get(username="operator1")
        centre = User.objects.get(username="centre1")
        eligible = (
            Booking.objects.filter(
                status__in=[BookingStatus.ACCEPTED, BookingStatus.COMPLETED, BookingStatus.RATED],
                service__isnull=False,
                enterprise__status=CertStatus.CERTIFIED,
            )
            .exclude(service__voucher_eligible=False)
            .select_related("enterprise__region", "institution__organisation", "requested_by")
            .order_by("pk")
        )
        # One of each stage before the second "approved" (two in seven contracts end in a voucher).
        stages = ["approved", "at_centre", "at_operator", "at_bureau", "returned", "draft", "approved"]
        # enterprise1 (the README's demo login) always has a contract at each stage it can:
        # its bookings come first, wherever they fall in the table; others fill up to 48.
        first = list(eligible.filter(requested_by__username="enterprise1")[: len(stages)])
        others = list(eligible.exclude(pk__in=[b.pk for b in first])[: 48 - len(first)])
        counts: dict[str, int] = {}
        for n, booking in enumerate(first + others):
            user = booking.requested_by
            stage = stages[n % len(stages)]
            try:
                self._demo_entitlement(user)
                contract = voucher_services.contract_open_from_booking(booking=booking, by=user)
                contract = voucher_services.contract_accept_pledge(contract=contract, by=user)
                contract = voucher_services.contract_upload_scan(
                    contract=contract, by=user, upload=ContentFile(DEMO_PDF, name="signed.pdf")
                )
                if stage != "draft":
                    contract = voucher_services.contract_submit(contract=contract, by=user)
                chain = list(contract.policy.contract_review)
                if not chain:
                    # No review in this scheme (Jiangsu, Zhejiang): submitting issued the voucher.
                    counts[contract.status] = counts.get(contract.status, 0) + 1
                    continue
                # The levels approved before the stage's own (all of them for "approved").
                waiting_at = stage.removeprefix("at_")
                if stage == "approved":
                    approve = chain
                elif waiting_at in chain:
                    approve = chain[: chain.index(waiting_at)]
                else:
                    approve = []
                for level in approve:
                    contract = voucher_services.contract_review(
                        contract=contract, by=self._reviewer(level, contract, operator, centre), approve=True
                    )
                if stage == "returned":
                    voucher_services.contract_review(
                        contract=contract,
                        by=self._reviewer(chain[0], contract, operator, centre),
                        approve=False,
                        note="请补充服务方案和报价单。",
                    )
                stage = contract.status if stage.startswith("at_") else stage
            except Exception as exc:  # noqa: BLE001 (a demo contract the rules refuse is skipped)
                self.say(f"  demo contract for booking {booking.number} skipped: {exc}")
                counts["skipped"] = counts.get("skipped", 0) + 1
                continue
            counts[stage] = counts.get(stage, 0) + 1
        self.counts["contracts"] = sum(n for stage, n in counts.items() if stage != "skipped")
        self.counts["vouchers"] = counts.get("approved", 0)
        self.counts["contracts_skipped"] = counts.get("skipped", 0)

    def load(self) -> dict[str, int]:
        # The demo's notifications are real inbox rows; their e-mails (sent after commit)
        # go to the in-memory backend instead of the console or a real mail server.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            return self._load()

    @transaction.atomic
    def _load(self) -> dict[str, int]:
        self.licence_files()
        self.staff()
        institutions = self.institutions()
        applicants = self.applicants()
        self.catalogue(institutions)
        self.bookings(applicants)
        self.aggregates()
        self.listings()
        self.vouchers()
        self.counts["listings"] = Listing.objects.count()
        self.counts["users"] = User.objects.count()
        return self.counts
