"""factory_boy factories and persona builders. Geometry is always EPSG:4326."""

from __future__ import annotations

import io
import itertools

import factory
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric, uscc

from accounts.models import BankAccount, CertStatus, ListingMode, Organisation, OrgKind, User

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def credit_code(n: int | None = None, *, authority: str = "91", area: str = "640104") -> str:
    """A unified social credit code with a valid GB 32100-2015 check character."""
    n = next(_seq) if n is None else n
    body = f"{authority}{area}{n:08d}0"
    return body + uscc.calc_check_digit(body)


def resident_id(n: int = 1, *, area: str = "640104", birth: str = "20030101") -> str:
    body = f"{area}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (  # a real 1 × 1 PNG (Pillow decodes every upload)
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc8!'\x07\x00\x02\xb6\x01\x054\xa6u\xaa\x00\x00\x00\x00IEND\xaeB`\x82"
)
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def pdf_upload(name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf_executable(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ELF_BYTES, content_type="application/pdf")


def png_bytes() -> io.BytesIO:
    return io.BytesIO(PNG_BYTES)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = OrgKind.ENTERPRISE
    credit_code = factory.LazyFunction(credit_code)
    region_id = 640104
    registered_address = "宁夏银川市兴庆区解放东街1号"
    contact_phone = factory.Sequence(lambda n: f"0951-{5000000 + n}")
    contact_email = factory.Sequence(lambda n: f"org{n}@example.com")
    status = CertStatus.DRAFT
    licence = factory.django.FileField(filename="licence.pdf", data=PDF_BYTES)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def open_bank_account(organisation: Organisation) -> BankAccount:
    """The payee's own account (a payee without one cannot ask for redemption)."""
    return BankAccount.objects.create(
        organisation=organisation,
        bank_name="中国工商银行银川分行营业部",
        bank_code="102871000012",
        account_name=organisation.name,
        account_number=f"{2902000019000000000 + organisation.pk}",
    )


def applicant_user(
    *, username: str, adcode: int, status: str = CertStatus.CERTIFIED, bank_account: bool = True, **org
) -> User:
    """A certified enterprise's user; its organisation has a bank account unless
    ``bank_account`` is False."""
    org.setdefault("name", f"{username}科技有限公司")
    org.setdefault("location", Point(106.28, 38.47, srid=4326))
    organisation = OrganisationFactory(region_id=adcode, status=status, **org)
    if bank_account:
        open_bank_account(organisation)
    return UserFactory(username=username, organisation=organisation)


def bureau_user(*, username: str, adcode: int) -> User:
    organisation = Organisation.objects.filter(kind=OrgKind.BUREAU, region_id=adcode, zone_level="").first()
    if organisation is None:
        organisation = OrganisationFactory(
            name=f"{adcode}科技局",
            kind=OrgKind.BUREAU,
            region_id=adcode,
            credit_code="",
            status=CertStatus.CERTIFIED,
            licence=None,
        )
    return UserFactory(username=username, organisation=organisation)


def zone_authority_user(*, username: str, name: str, host_adcode: int) -> User:
    """A high-tech zone's S&T authority (科技主管部门), hosted by the county ``host_adcode``."""
    organisation = OrganisationFactory(
        name=name,
        kind=OrgKind.BUREAU,
        zone_level="national",
        region_id=host_adcode,
        credit_code="",
        status=CertStatus.CERTIFIED,
        licence=None,
    )
    return UserFactory(username=username, organisation=organisation)


def staff_user(*, username: str, kind: str) -> User:
    organisation = OrganisationFactory(
        name=f"{kind}单位",
        kind=kind,
        region_id=None,
        credit_code="",
        status=CertStatus.CERTIFIED,
        licence=None,
    )
    return UserFactory(username=username, organisation=organisation)


def institution_user(
    *, username: str, adcode: int | None, status: str = CertStatus.CERTIFIED, bank_account: bool = True, **org
) -> User:
    org.setdefault("name", f"{username}检测研究院")
    org.setdefault("listing_mode", ListingMode.DIRECT)
    org.setdefault("direct_basis", "statutory_test")
    org.setdefault("in_region", adcode is not None)
    organisation = OrganisationFactory(kind=OrgKind.INSTITUTION, region_id=adcode, status=status, **org)
    if bank_account:
        open_bank_account(organisation)
    return UserFactory(username=username, organisation=organisation)


# --- Catalogue -------------------------------------------------------------------------------


def listed_institution(
    *,
    username: str = "lab",
    name: str | None = None,
    lng: float = 106.1325,
    lat: float = 38.5004,
    kind: str = "university",
    is_public: bool = True,
):
    """A certified institution at (lng, lat) with its public listing; returns its user."""
    from catalog import services
    from catalog.models import Institution
    from geodata.selectors import region_locate

    point = Point(lng, lat, srid=4326)
    county = region_locate(point=point)
    user = institution_user(
        username=username,
        adcode=county.adcode if county else None,
        name=name or f"{username}检测研究院",
        location=point,
    )
    inst = Institution.objects.create(organisation=user.organisation, kind=kind, is_public_institution=is_public)
    services.institution_move(institution=inst, by=user, point=point)
    return user


def approved_item(owner, *, kind: str = "instrument", operator=None, **data):
    """Create an instrument or service through the services and have the operator approve it."""
    from decimal import Decimal

    from catalog import services

    defaults = {
        "instrument": {
            "name": "扫描电子显微镜",
            "category": "电子光学仪器",
            "price": Decimal("300.00"),
            "unit": "元/小时",
            "model_number": "SU8010",
            "manufacturer": "日立",
        },
        "service": {
            "name": "水质全分析",
            "category": "检验检测",
            "price": Decimal("800.00"),
            "unit": "元/样品",
            "cycle_days": 7,
        },
    }[kind]
    item = services.item_create(
        institution=owner.organisation.institution, by=owner, kind=kind, data={**defaults, **data}
    )
    operator = operator or _operator()
    return services.item_review(item=item, by=operator, approve=True)


def _operator():
    existing = User.objects.filter(organisation__kind=OrgKind.OPERATOR).first()
    return existing or staff_user(username="operator-auto", kind="operator")


# --- Vouchers --------------------------------------------------------------------------------


def ningxia_policy(year: int | None = None, **overrides):
    from django.utils import timezone

    from vouchers.policies.presets import install_preset

    policy = install_preset(key="ningxia", year=year or timezone.localdate().year)
    for name, value in overrides.items():
        setattr(policy, name, value)
    if overrides:
        policy.save()
    return policy


def use_registration_form(institution: int, service: int, *, year: int = 2026, **over) -> dict:
    """Zhejiang's 使用登记 form (multipart): provider, service, the enterprise's own contract,
    invoice and result, the payee and the promise; ``over`` replaces fields (None drops one)."""
    data = {
        "institution": institution,
        "service": service,
        "category": "检验检测",
        "title": "材料成分分析技术服务合同",
        "amount": "40000",
        "signed_on": f"{year}-02-10",
        "completed_on": f"{year}-02-27",
        "payee_choice": "enterprise",
        "invoice_number": "FP-0001",
        "contract_file": pdf_upload("contract.pdf"),
        "invoice_file": pdf_upload("invoice.pdf"),
        "result_file": pdf_upload("result.pdf"),
        "promise": "true",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def claims_on_contracts(year: int):
    """Zhejiang's claim scheme with the platform contract instead of its use registration
    (a scheme variant: tests of claims, payee choice and years that go through contracts)."""
    from vouchers.policies.presets import install_preset

    policy = install_preset(key="zhejiang", year=year)
    policy.use_registration = False
    policy.save()
    return policy


def requested_booking(enterprise_user, institution_user, *, price=None, quantity="2", operator=None, **item):
    """A service booking between the two, waiting for the institution (待确认)."""
    from decimal import Decimal

    from catalog import services

    data = {"price": Decimal(price)} if price is not None else {}
    service = approved_item(institution_user, kind="service", operator=operator, **data, **item)
    return services.booking_request_quantity(item=service, by=enterprise_user, quantity=Decimal(quantity))


def accepted_booking(enterprise_user, institution_user, **kw):
    """An accepted service booking between the two (the usual start of a contract)."""
    from catalog import services

    booking = requested_booking(enterprise_user, institution_user, **kw)
    return services.booking_answer(booking=booking, by=institution_user, accept=True)


def ready_contract(enterprise_user, institution_user, *, served: bool = True, **kw):
    """A draft contract from a booking, pledge accepted and signed scan uploaded. The booking
    is completed by the institution (``served``), as it must be before the voucher pays;
    ``served=False`` leaves it accepted. Where the order's 受理 is the booking's acceptance
    (Henan) the booking waits for it instead, and is served only after the order's review."""
    from catalog import services as catalog_services
    from vouchers.contracts import services

    booking = requested_booking(enterprise_user, institution_user, **kw)
    if "accept" not in catalog_services.booking_blocked(booking, institution_user):
        booking = catalog_services.booking_answer(booking=booking, by=institution_user, accept=True)
    contract = services.contract_open_from_booking(booking=booking, by=enterprise_user)
    contract = services.contract_accept_pledge(contract=contract, by=enterprise_user)
    contract = services.contract_upload_scan(contract=contract, by=enterprise_user, upload=pdf_upload("signed.pdf"))
    if served:
        serve(booking, institution_user)
    return contract


def serve(booking, institution_user):
    """The institution starts and completes the booked service (where not done yet)."""
    from catalog import services as catalog_services
    from catalog.models import BookingStatus

    booking.refresh_from_db()
    if booking.status == BookingStatus.ACCEPTED:
        booking = catalog_services.booking_start(booking=booking, by=institution_user)
    if booking.status == BookingStatus.IN_SERVICE:
        booking = catalog_services.booking_complete(booking=booking, by=institution_user)
    return booking


# --- Jiangsu's yearly application (企业申领创新券信息表) ---------------------------------------


def application_data(kind: str = "tech_sme", **overrides) -> dict:
    """A valid application of ``kind`` for this year (revenue in 万元) with its evidence."""
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    data = {
        "kind": kind,
        "founded_on": "2015-06-18",
        "staff": "30",
        "industry": "仪器仪表",
        "revenue": "1200",
        "zone": "",
    }
    if kind == "tech_sme":
        data["qualification_number"] = f"{today.year}320104000123"
    elif kind == "high_tech":
        data["qualification_number"] = f"GR{today.year - 1}32000123"
        data["certificate_date"] = (today - dt.timedelta(days=400)).isoformat()
    elif kind == "incubated":
        data.update(
            incubator_name="南京江宁科技企业孵化器",
            incubator_operator="南京江宁科创投资有限公司",
            incubator_credit_code=credit_code(area="320115"),
        )
    elif kind == "talent":
        data.update(talent_name="王某", talent_programme="江苏省双创人才计划", talent_level="省级")
    data.update(overrides)
    return data


def application_files(kind: str = "tech_sme") -> dict:
    files = {"financial_report": pdf_upload("财务报表.pdf")}
    if kind in ("incubated", "talent"):
        files["evidence"] = pdf_upload("证明.pdf")
    return files


def jiangsu_application(user, kind: str | None = None, *, stamped: bool = True, **overrides):
    """Apply through the services (fill in, print, upload the stamped form): for tests whose
    subject is not the application itself."""
    from vouchers.entitlements import services as entitlements

    kind = kind or user.organisation.qualification or "tech_sme"
    claim = entitlements.apply(by=user, data=application_data(kind, **overrides), files=application_files(kind))
    if stamped:
        entitlements.record_form_printed(claim=claim, by=user)
        claim = entitlements.upload_stamped_form(claim=claim, by=user, upload=pdf_upload("申请表.pdf"))
    return claim
