"""The demo data set of the deployment's province: its real institutions, invented
enterprises, users for every role, a catalogue of instruments and services (about 600 and 900
for Ningxia), bookings and ratings.

``settings.PLATFORM_PROVINCE`` picks the data module (``PROVINCE_DATA``): Ningxia's
``demo/data/organisations.py`` or one module per other seed province. Staff organisations take
the module's ``STAFF`` names; bureaus are named from the province's regions. The demo logins
are the same in every province: ``enterprise1``, ``institution1``, ``operator1``, ``centre1``,
``expert1..3`` and ``bureau<adcode>``.

Deterministic (fixed random seed; the run date sets the window) and loaded once: a second
run finds ``operator1`` and stops. Organisations are created certified (with an audit row
saying so) some weeks before the demo's two years of activity begin, except a few left
waiting — registered in the last days — so every reviewer's queue has something in it.
Bookings are spread over the last 24 months; the voucher activity of those months (each
year's policy and budget, contracts, vouchers, uses, proofs, ratings, redemptions, payout
batches) is walked through the real services by ``demo.activity`` with the services'
clock set to each step's moment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
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
from procrastinate.contrib.django import app as task_app
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import (
    CertificationEvent,
    CertStatus,
    ListingMode,
    Organisation,
    OrgKind,
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
from demo.activity import DEMO_PDF, MONTHS, VoucherActivity, frozen_now, local, month_start
from demo.articles import seed_articles
from demo.data.catalogue import INSTRUMENT_TEMPLATES, RATING_COMMENTS, SERVICE_TEMPLATES
from geodata.models import Region, RegionLevel
from geodata.selectors import region_locate
from mapsite.storage import private_storage
from vouchers.contracts import pdf_queue

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
# The organisations register this many days before the window of activity opens.
FOUNDED_BEFORE_WINDOW = 45
BOOKINGS = 600  # bookings on the map over the window (besides the voucher orders)
HISTORY_MAIL_TASKS = ("notifications.send_email", "notifications.send_sms")


# Deployment province -> (demo data module, voucher preset of vouchers/presets.py).
PROVINCE_DATA = {
    640000: ("demo.data.organisations", "ningxia"),
    410000: ("demo.data.henan", "henan"),
    320000: ("demo.data.jiangsu", "jiangsu"),
    330000: ("demo.data.zhejiang", "zhejiang"),
}


def founding_date(data: dict, i: int) -> dt.date:
    """A demo enterprise's 注册成立时间: its data's, else a plausible one from its credit code.
    A code whose organisation part starts with ``MA`` was issued after the 2015 reform to a
    newly registered organisation (2016–2022 here); the others are older (2003–2014)."""
    if data.get("founded_on"):
        return dt.date.fromisoformat(data["founded_on"])
    first = 2016 if data["credit_code"][8:10] == "MA" else 2003
    span = 7 if first == 2016 else 12
    return dt.date(first + i % span, 1 + (i * 5) % 12, 1 + (i * 11) % 28)


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
        self.dates = random.Random(SEED + 1)  # dates of the base data (the catalogue's draws stay as they were)
        self.password_hash = make_password(password or settings.DEMO_PASSWORD)
        self.out = stdout
        self.counts: dict[str, int] = {}
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.window_start = month_start(self.today, MONTHS - 1)  # 24 calendar months up to today
        self.founded = local(self.window_start - dt.timedelta(days=FOUNDED_BEFORE_WINDOW), dt.time(10, 0))

    def recently(self):
        """The clock at a moment of the last few days: registrations still waiting for review."""
        return frozen_now(self.now - dt.timedelta(days=self.dates.randint(1, 6), hours=self.dates.randint(0, 8)))

    def say(self, msg: str) -> None:
        if self.out is not None:
            self.out.write(msg)

    # --- organisations and users ------------------------------------------------------------

    def _user(self, username: str, org: Organisation, email: str = "") -> User:
        user = User(
            username=username,
            organisation=org,
            email=email or f"{username}@example.com",
            password=self.password_hash,
            date_joined=org.created_at,  # the field's default is bound to the real clock
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
            with self.recently() if status != CertStatus.CERTIFIED else contextlib.nullcontext():
                org = self._institution_org(data, point, county, status)
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

    def _institution_org(self, data: dict, point, county, status) -> Organisation:
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
            direct_basis=("listed_elsewhere" if not data["in_region"] else DIRECT_BASIS.get(data["kind"], "platform"))
            if data["listing_mode"] == ListingMode.DIRECT
            else "",
            service_staff=data["service_staff"],
            has_management_rules=True,
            licence="licences/demo/licence.pdf",
        )
        self._certify(org, "演示数据" + ("：已入库" if status == CertStatus.CERTIFIED else "：待审核"))
        return org

    def applicants(self) -> list[Organisation]:
        orgs = []
        for i, data in enumerate(self.data.ENTERPRISES):
            point, county = self._place(data["lng"], data["lat"], data["county_adcode"])
            status = CertStatus.SUBMITTED if i in (3, 11, 19) else CertStatus.CERTIFIED
            with self.recently() if status != CertStatus.CERTIFIED else contextlib.nullcontext():
                org = self._applicant_org(i, data, point, county, status)
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

    def _applicant_org(self, i: int, data: dict, point, county, status) -> Organisation:
        org = Organisation.objects.create(
            name=data["name"],
            kind=data["kind"],
            credit_code=data["credit_code"],
            legal_representative=data["legal_representative"],
            registered_address=data["address"],
            founded_on=founding_date(data, i),
            region=county,
            location=point,
            # a small firm's contact is often its legal representative (the contract prints it)
            contact_name=data.get("contact_name") or data["legal_representative"],
            contact_phone=data["contact_phone"],
            contact_email=data["email"],
            qualification=data["qualification"],
            prior_year_revenue=Decimal(data["prior_year_revenue"]),
            status=status,
            licence="licences/demo/licence.pdf",
            qualification_date=dt.date(2024, 11, 1) if data["qualification"] == "high_tech" else None,
            qualification_number=(
                f"{self.today.year}{data['county_adcode']}{i:04d}"  # 科小: this year's number
                if data["qualification"] == "tech_sme"
                # GR, the year, the province's two digits and six more (12 digits, as issued)
                else f"GR2024{str(data['county_adcode'])[:2]}{int(str(data['county_adcode'])[2:]) * 100 + i:06d}"
                if data["qualification"] == "high_tech"
                else ""
            ),
        )
        self._certify(org, "演示数据" + ("：已认证" if status == CertStatus.CERTIFIED else "：待审核"))
        return org

    # --- catalogue ----------------------------------------------------------------------------

    def _vary(self, price: str) -> Decimal:
        factor = Decimal(self.rng.choice([80, 90, 95, 100, 100, 110, 120])) / 100
        return (Decimal(price) * factor).quantize(Decimal("1.00"))

    def catalogue(self, institutions: list[Institution]) -> None:
        instruments, services_ = [], []
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
                    )
                )
        Instrument.objects.bulk_create(instruments)
        Service.objects.bulk_create(services_)
        # Listed over the years before the window; items still under review were sent in the
        # last days (``created_at`` is an auto_now_add field: set afterwards).
        for items, model in ((instruments, Instrument), (services_, Service)):
            for item in items:
                if item.review_status == ReviewStatus.PENDING:
                    item.created_at = self.now - dt.timedelta(
                        days=self.dates.randint(1, 8), hours=self.dates.randint(0, 9)
                    )
                else:
                    item.created_at = self.founded - dt.timedelta(days=self.dates.randint(0, 700))
            model.objects.bulk_update(items, ["created_at"], batch_size=500)
        by_name = {}
        for i in Instrument.objects.order_by("pk"):
            by_name.setdefault((i.institution_id, i.name), i)
        through = []
        for s in Service.objects.order_by("pk"):
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
        # In a fixed order: the rows' order on disk changes with every update.
        items = list(Instrument.objects.filter(**listed).select_related("institution").order_by("pk"))
        items += list(
            Service.objects.filter(**listed)
            .exclude(category="技术成果购买")
            .select_related("institution")
            .order_by("pk")
        )
        # Popular items attract most bookings (a long tail like real platforms).
        weights = [1 / (1 + i % 40) for i in range(len(items))]
        self.rng.shuffle(items)
        today = self.today
        bookings, ratings = [], []
        window_days = (today - self.window_start).days
        for n in range(BOOKINGS):
            item = self.rng.choices(items, weights)[0]
            org = self.rng.choice(certified)
            # Over the window, more of them lately (the platform grows).
            days_ago = 3 + int((window_days - 3) * (1 - self.rng.random() ** 0.8))
            created = self.now - dt.timedelta(days=days_ago, minutes=self.rng.randint(0, 480))
            # Old bookings are settled; the recent ones may still wait for an answer or the service.
            statuses, odds = (
                ([BookingStatus.RATED, BookingStatus.COMPLETED, BookingStatus.DECLINED], [62, 28, 10])
                if days_ago > 45
                else (
                    [
                        BookingStatus.RATED,
                        BookingStatus.COMPLETED,
                        BookingStatus.ACCEPTED,
                        BookingStatus.REQUESTED,
                        BookingStatus.DECLINED,
                    ],
                    [35, 15, 22, 20, 8],
                )
            )
            status = self.rng.choices(statuses, odds)[0]
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
                expected_date=today - dt.timedelta(days=days_ago - min(7, days_ago - 1)),
                status=status,
                requested_by=users[org.pk],
            )
            if is_slot:
                # Slots from 09:00–12:00 a few days after the request, not after yesterday;
                # clashes are moved a day back below.
                day = today - dt.timedelta(days=days_ago - min(days_ago - 1, self.rng.randint(1, 5)))
                start = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + n % 4)))
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
        # The answer a day or two after the request, the rating after the service (both are
        # auto_now_add fields: dated afterwards, never later than now).
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE catalog_bookingevent e SET at = least(b.created_at + interval '30 hours', %s) "
                "FROM catalog_booking b WHERE b.id = e.booking_id",
                [self.now],
            )
            cur.execute(
                "UPDATE catalog_rating r SET created_at = least(b.created_at + interval '9 days', %s) "
                "FROM catalog_booking b WHERE b.id = r.booking_id",
                [self.now - dt.timedelta(hours=2)],
            )
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

    def vouchers(self) -> None:
        """Two years of the province's scheme, walked through the real services with their
        clock set to each step's moment (``demo.activity``): each year's policy and budget,
        entitlements, contracts at every stage, vouchers, uses, proofs, ratings,
        redemptions, payout batches, and something waiting in every role's queue."""
        activity = VoucherActivity(
            province=self.province,
            preset=PROVINCE_DATA[self.province][1],
            rng=random.Random(SEED + 2),  # its own stream: the activity does not shift with the catalogue
            say=self.say,
        )
        self.counts.update(activity.run())

    def load(self) -> dict[str, int]:
        # The demo's notifications are real inbox rows; any e-mail sent during the load goes
        # to the in-memory backend, and the queue's "Deferred 1 job" line per notification is
        # kept out of the output.
        queue_log = logging.getLogger("procrastinate.jobs")
        level = queue_log.level
        queue_log.setLevel(logging.WARNING)
        try:
            # Contract PDFs are rendered when first asked for, not all queued by the load
            # (the worker would spend the first minutes after `make run` on them).
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
                pdf_queue.renders_on_demand(),
            ):
                return self._load()
        finally:
            queue_log.setLevel(level)

    def history_mail_cancelled(self, after_job: int) -> int:
        """The services queue an e-mail (and, where the province sends them, a text message)
        for every notification (``notifications.services.notify``); the worker beside
        ``make run`` would then mail two years of invented history to the demo's
        example.com addresses on its first start. Those jobs — the ones queued by this load —
        are cancelled through procrastinate's own job manager (status ``cancelled``, kept in
        its table); the inbox rows stay. Returns how many."""
        jobs = ProcrastinateJob.objects.filter(id__gt=after_job, status="todo", task_name__in=HISTORY_MAIL_TASKS)
        return sum(task_app.job_manager.cancel_job_by_id(pk) for pk in jobs.values_list("pk", flat=True))

    @transaction.atomic
    def _load(self) -> dict[str, int]:
        first_job = ProcrastinateJob.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        # The platform's organisations, users and catalogue exist some weeks before the
        # window of activity opens (the services date them by the clock).
        with frozen_now(self.founded):
            self.licence_files()
            self.staff()
            institutions = self.institutions()
            applicants = self.applicants()
            self.catalogue(institutions)
        self.bookings(applicants)
        self.aggregates()
        self.listings()
        self.vouchers()
        self.counts["articles"] = seed_articles(self.today)
        self.counts["listings"] = Listing.objects.count()
        self.counts["users"] = User.objects.count()
        self.counts["e-mails of the demo's history not sent"] = self.history_mail_cancelled(first_job)
        return self.counts
