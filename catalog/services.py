"""Writes on the catalogue: institution profiles and locations, items and their review,
bookings, contact requests and ratings. Each write that changes what the public sees ends
with a ``listing_sync`` call in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone

from accounts.models import OrgKind, Role, User
from accounts.services import organisation_county
from catalog.listing import listing_forget_item, listing_sync_institution, listing_sync_item
from catalog.models import (
    HOLDING_STATUSES,
    PUBLIC_BENEFIT_CATEGORIES,
    Booking,
    BookingEvent,
    BookingKind,
    BookingMode,
    BookingStatus,
    ContactRequest,
    ContactStatus,
    Institution,
    Instrument,
    ItemEvent,
    ListingKind,
    Rating,
    ReviewStatus,
    Service,
)
from catalog.permissions import is_institution_member, require_operator
from catalog.selectors import instrument_open_on
from geodata.geocoding import geocode_address
from mapsite import uploads
from mapsite.numbering import save_with_number
from mapsite.workflow import InvalidTransition, Move, Workflow, move
from notifications.services import notify, notify_organisation

ITEM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReviewStatus.PENDING: (ReviewStatus.APPROVED, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN),
    ReviewStatus.APPROVED: (ReviewStatus.CHANGES_PENDING, ReviewStatus.WITHDRAWN),
    ReviewStatus.CHANGES_PENDING: (ReviewStatus.APPROVED, ReviewStatus.WITHDRAWN),
    ReviewStatus.REJECTED: (ReviewStatus.PENDING, ReviewStatus.WITHDRAWN),
    ReviewStatus.WITHDRAWN: (ReviewStatus.PENDING,),
}
# Fields an institution switches itself, without review (SPEC §4).
SELF_TOGGLES = ("voucher_eligible", "open_for_sharing", "instant_booking")
INSTRUMENT_FIELDS = (
    "name",
    "aliases",
    "description",
    "price",
    "unit",
    "voucher_eligible",
    "model_number",
    "manufacturer",
    "category",
    "original_value",
    "booking_mode",
    "open_for_sharing",
    "instant_booking",
    "open_weekdays",
    "open_from",
    "open_until",
    "service_cycle_days",
)
SERVICE_FIELDS = (
    "name",
    "aliases",
    "description",
    "price",
    "unit",
    "voucher_eligible",
    "category",
    "cycle_days",
    "public_benefit",
)
MAX_SLOT_HOURS = 12
BOOKING_HORIZON_DAYS = 180


def _kind_of(item) -> str:
    return ListingKind.INSTRUMENT if isinstance(item, Instrument) else ListingKind.SERVICE


def _fields_of(item) -> tuple[str, ...]:
    return INSTRUMENT_FIELDS if isinstance(item, Instrument) else SERVICE_FIELDS


def _item_transition(item, to: str, by: User | None, note: str = "") -> None:
    move(
        item,
        to,
        table=ITEM_TRANSITIONS,
        labels=ReviewStatus,
        event=ItemEvent,
        field="review_status",
        item_kind=_kind_of(item),
        item_id=item.pk,
        actor=by,
        note=note,
    )


def _require_member(inst: Institution, by: User) -> None:
    if not is_institution_member(by, inst):
        raise PermissionDenied("只能管理本机构的信息。")


def _lock_item(item):
    return (
        type(item).objects.select_for_update(of=("self",)).select_related("institution__organisation").get(pk=item.pk)
    )


# --- Institution profile and location ----------------------------------------------------


@transaction.atomic
def institution_ensure_profile(*, organisation, kind: str = "other", is_public: bool = False) -> Institution:
    """The catalogue profile of an institution organisation (created on first use)."""
    if organisation.kind != OrgKind.INSTITUTION:
        raise ValidationError("只有科技服务机构有目录信息。")
    inst, _ = Institution.objects.get_or_create(
        organisation=organisation, defaults={"kind": kind, "is_public_institution": is_public}
    )
    return inst


@transaction.atomic
def institution_update(*, institution: Institution, by: User, fields: dict) -> Institution:
    """Edit the public profile (description, kind, contact...). Applies at once."""
    _require_member(institution, by)
    inst = Institution.objects.select_for_update().get(pk=institution.pk)
    org_fields = {"contact_name", "contact_phone", "contact_email", "registered_address"}
    org = inst.organisation
    for name, value in fields.items():
        setattr(org if name in org_fields else inst, name, value)
    inst.full_clean()
    inst.save()
    org.save()
    listing_sync_institution(inst)
    return inst


@transaction.atomic
def institution_move(*, institution: Institution, by: User, point: Point, note: str = "") -> Institution:
    """Put the institution's marker at ``point``; its county follows by point-in-polygon."""
    _require_member(institution, by)
    inst = Institution.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=institution.pk)
    org = inst.organisation
    county = organisation_county(in_region=org.in_region, point=point)
    org.location = point
    org.region = county
    org.save(update_fields=["location", "region", "updated_at"])
    inst.geocode_note = note
    inst.save(update_fields=["geocode_note", "updated_at"])
    listing_sync_institution(inst)
    return inst


def institution_geocode(*, institution: Institution, by: User) -> tuple[Institution, str]:
    """Geocode the registered address (network call outside any transaction), then move."""
    _require_member(institution, by)
    org = institution.organisation
    result = geocode_address(org.registered_address, fallback_region=org.region)
    inst = institution_move(institution=institution, by=by, point=result.point, note=result.note)
    return inst, result.note


# --- Items and their review -------------------------------------------------------------------


def _validate_item(item) -> None:
    item.full_clean(exclude=["institution"])
    if isinstance(item, Instrument):
        if any(d not in range(1, 8) for d in item.open_weekdays):
            raise ValidationError({"open_weekdays": ["开放日须为 1（周一）到 7（周日）。"]})
        if item.open_from >= item.open_until:
            raise ValidationError({"open_until": ["开放结束时间须晚于开始时间。"]})
    elif item.category in PUBLIC_BENEFIT_CATEGORIES:
        item.public_benefit = True


@transaction.atomic
def item_create(*, institution: Institution, by: User, kind: str, data: dict) -> Instrument | Service:
    """A new instrument or service; it waits for operator review before it is public."""
    _require_member(institution, by)
    model = Instrument if kind == ListingKind.INSTRUMENT else Service
    allowed = INSTRUMENT_FIELDS if model is Instrument else SERVICE_FIELDS
    item = model(institution=institution, **{k: v for k, v in data.items() if k in allowed})
    if model is Instrument and not item.open_weekdays:
        item.open_weekdays = [1, 2, 3, 4, 5]
    _validate_item(item)
    item.save()
    if model is Service and data.get("instruments"):
        _set_service_instruments(item, data["instruments"])
    ItemEvent.objects.create(
        item_kind=kind,
        item_id=item.pk,
        actor=by,
        from_status=ReviewStatus.PENDING,
        to_status=ReviewStatus.PENDING,
        note="新建",
    )
    notify(
        users=User.objects.filter(organisation__kind=OrgKind.OPERATOR, is_active=True),
        title=f"新的目录条目待审核：{item.name}",
        url="/catalog/review/",
    )
    return item


@transaction.atomic
def item_update(*, item, by: User, data: dict):
    """Edit an item. Self-toggles apply at once; other changes of a published item wait in
    ``pending_changes`` for review (the public keeps the approved version meanwhile)."""
    item = _lock_item(item)
    _require_member(item.institution, by)
    allowed = _fields_of(item)
    instruments = data.get("instruments")
    data = {k: v for k, v in data.items() if k in allowed}
    toggles = {k: data.pop(k) for k in list(data) if k in SELF_TOGGLES}
    for name, value in toggles.items():
        setattr(item, name, value)
    if instruments is not None and isinstance(item, Service):
        _set_service_instruments(item, instruments)
    changes = {k: v for k, v in data.items() if getattr(item, k) != v}
    if item.is_public:
        # Setting a field back to its published value withdraws that pending change.
        reverted = [k for k, v in data.items() if getattr(item, k) == v and k in item.pending_changes]
        for key in reverted:
            item.pending_changes.pop(key)
        if reverted and not item.pending_changes and item.review_status == ReviewStatus.CHANGES_PENDING:
            _item_transition(item, ReviewStatus.APPROVED, by, "机构撤回了待审核的修改")
    if changes:
        if item.is_public:
            # Validate the would-be version now, so the reviewer never sees an invalid change.
            probe = type(item).objects.get(pk=item.pk)
            for name, value in changes.items():
                setattr(probe, name, value)
            _validate_item(probe)
            item.pending_changes = {**item.pending_changes, **_jsonable(changes)}
            if item.review_status == ReviewStatus.APPROVED:
                _item_transition(item, ReviewStatus.CHANGES_PENDING, by)
        else:
            for name, value in changes.items():
                setattr(item, name, value)
            if item.review_status in (ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN):
                _item_transition(item, ReviewStatus.PENDING, by, "修改后重新提交")
    _validate_item(item)
    item.save()
    listing_sync_item(item)
    return item


def item_validate(item: Instrument | Service) -> None:
    """The checks every edit of an item passes (model validation plus opening hours and the
    public-benefit flag), for forms that edit items outside ``item_update`` (the admin)."""
    _validate_item(item)


@transaction.atomic
def item_save_by_staff(*, item: Instrument | Service, by: User) -> Instrument | Service:
    """Platform staff's edit in the admin: validated as an institution's edit is, applied at
    once (staff need no review), and the search index moved in the same transaction."""
    if not getattr(by, "is_staff", False):
        raise PermissionDenied("只有平台管理员可以在后台修改目录条目。")
    _validate_item(item)
    item.save()
    listing_sync_item(item)
    return item


@transaction.atomic
def item_delete_by_staff(*, item: Instrument | Service, by: User) -> None:
    """Platform staff delete an item in the admin; its search row and map cells go with it."""
    if not getattr(by, "is_staff", False):
        raise PermissionDenied("只有平台管理员可以在后台删除目录条目。")
    listing_forget_item(item)
    item.delete()


@transaction.atomic
def institution_save_by_staff(*, institution: Institution, by: User) -> Institution:
    """Platform staff's edit of an institution's profile in the admin, index in step."""
    if not getattr(by, "is_staff", False):
        raise PermissionDenied("只有平台管理员可以在后台修改机构资料。")
    institution.full_clean(exclude=["organisation"])
    institution.save()
    listing_sync_institution(institution)
    return institution


def _set_service_instruments(service: Service, instruments) -> None:
    """Which of its own instruments a service uses (shown on the service page)."""
    ids = {getattr(i, "pk", i) for i in instruments}
    own = set(Instrument.objects.filter(institution_id=service.institution_id, pk__in=ids).values_list("pk", flat=True))
    if own != ids:
        raise ValidationError({"instruments": ["只能选择本机构的仪器。"]})
    service.instruments.set(own)


def item_set_photo(*, item, by: User, upload):
    """Attach a photo (JPEG/PNG ≤ 5 MB, checked by content) to an instrument or service.

    Photos are presentation, not terms of service, so they apply without review. The file
    is written before the row lock is taken; a refused change removes it again."""
    mime = uploads.check(upload, kind=uploads.PHOTO)
    _require_member(item.institution, by)
    storage = item.photo.storage
    stored = uploads.store(item.photo, item, upload, mime)
    try:
        with transaction.atomic():
            locked = _lock_item(item)
            old = locked.photo.name
            locked.photo.name = stored
            locked.save(update_fields=["photo", "updated_at"])
    except Exception:
        storage.delete(stored)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return locked


def institution_set_photo(*, institution: Institution, by: User, upload) -> Institution:
    mime = uploads.check(upload, kind=uploads.PHOTO)
    _require_member(institution, by)
    storage = institution.photo.storage
    stored = uploads.store(institution.photo, institution, upload, mime)
    with transaction.atomic():
        inst = Institution.objects.select_for_update().get(pk=institution.pk)
        old = inst.photo.name
        inst.photo.name = stored
        inst.save(update_fields=["photo", "updated_at"])
    if old:
        storage.delete(old)
    return inst


def _jsonable(changes: dict) -> dict:
    out = {}
    for key, value in changes.items():
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.time | dt.date):
            value = value.isoformat()
        out[key] = value
    return out


@transaction.atomic
def item_review(*, item, by: User, approve: bool, note: str = ""):
    """Operator review of a new item or of pending changes to a published one."""
    require_operator(by)
    item = _lock_item(item)
    if item.review_status == ReviewStatus.PENDING:
        if not approve and not note.strip():
            raise ValidationError({"note": ["驳回须说明原因。"]})
        _item_transition(item, ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED, by, note)
    elif item.review_status == ReviewStatus.CHANGES_PENDING:
        if approve:
            for name, value in item.pending_changes.items():
                setattr(item, name, value)
            _validate_item(item)
        elif not note.strip():
            raise ValidationError({"note": ["驳回须说明原因。"]})
        item.pending_changes = {}
        _item_transition(item, ReviewStatus.APPROVED, by, note or ("修改已通过" if approve else ""))
    else:
        raise InvalidTransition("该条目没有待审核的内容。")
    item.review_note = note
    item.save()
    listing_sync_item(item)
    notify_organisation(
        organisation=item.institution.organisation,
        title=f"目录条目审核{'通过' if approve else '未通过'}：{item.name}",
        body=note,
        url="/catalog/manage/",
    )
    return item


@transaction.atomic
def item_withdraw(*, item, by: User, note: str = ""):
    item = _lock_item(item)
    _require_member(item.institution, by)
    _item_transition(item, ReviewStatus.WITHDRAWN, by, note or "机构下架")
    item.pending_changes = {}
    item.save()
    listing_sync_item(item)
    return item


# --- Bookings -----------------------------------------------------------------------------


def _require_applicant(by: User):
    org = by.organisation
    if by.role != Role.APPLICANT:
        raise PermissionDenied("只有创新主体（企业、社会组织、个人）可以预约。")
    if not org.is_certified:
        raise ValidationError("请先完成认证后再预约。")
    return org


def _institution_side(booking: Booking, user) -> bool:
    return is_institution_member(user, booking.institution)


def _enterprise_side(booking: Booking, user) -> bool:
    return user.organisation_id == booking.enterprise_id


def _slot_not_over(booking: Booking) -> str | None:
    """Machine time is complete when its slot has ended, not before.

    The slot's end, not its start: a slot booking sells hours of the instrument, priced by
    the hour and held on its calendar until the end, and completing it is what lets the
    applicant pay with the voucher (``vouchers`` pays only for a completed booking; Henan's
    guide: 履行订单合同并上传订单结果 → 用户确认结果无误即支付; Ningxia's: 服务完成后 …
    评价并上传服务结果证明). Until the booked time is over the service has not been
    rendered, so the institution may start it early (samples prepared, the applicant on
    site) but completes it only after the end. Quantity bookings have no slot: the
    institution says when they are done."""
    if booking.kind != BookingKind.SLOT or booking.ends_at is None:
        return None
    if timezone.now() < booking.ends_at:
        end = timezone.localtime(booking.ends_at)
        return f"机时预约须在预约时段结束（{end:%Y-%m-%d %H:%M}）后才能确认服务完成。"
    return None


def _higher_blocks(name: str) -> Callable[[Booking], str | None]:
    """What a higher layer says blocks the move ``name`` now (see ``set_booking_guard``)."""
    return lambda booking: _ask("guard", booking, name)


def _complete_blocked(booking: Booking) -> str | None:
    return _slot_not_over(booking) or _ask("guard", booking, "complete")


_BY_INSTITUTION = {"who": _institution_side, "denied": "只有服务机构可以处理该预约。"}
BOOKING = Workflow(
    subject="预约",
    labels=BookingStatus,
    event=BookingEvent,
    subject_field="booking",
    moves=[
        # Where the acceptance is a higher layer's (Henan: the institution's 受理 of the voucher
        # order that carries the booking, ``booking_accept_with_order``), the guard says so.
        Move(
            "accept",
            (BookingStatus.REQUESTED,),
            BookingStatus.ACCEPTED,
            label="接受",
            blocked=_higher_blocks("accept"),
            **_BY_INSTITUTION,
        ),
        Move(
            "decline",
            (BookingStatus.REQUESTED,),
            BookingStatus.DECLINED,
            label="拒绝",
            blocked=_higher_blocks("decline"),
            **_BY_INSTITUTION,
        ),
        Move(
            "start",
            (BookingStatus.ACCEPTED,),
            BookingStatus.IN_SERVICE,
            label="开始服务",
            blocked=_higher_blocks("start"),
            **_BY_INSTITUTION,
        ),
        Move(
            "complete",
            (BookingStatus.IN_SERVICE,),
            BookingStatus.COMPLETED,
            label="确认服务完成",
            blocked=_complete_blocked,
            **_BY_INSTITUTION,
        ),
        Move(
            "cancel",
            (BookingStatus.REQUESTED, BookingStatus.ACCEPTED),
            BookingStatus.CANCELLED,
            label="取消预约",
            who=_enterprise_side,
            denied="只有预约方可以取消。",
        ),
        # A booking paid with a voucher is rated with the voucher's use, after the payment:
        # until then a higher layer blocks the booking's own rating (see ``booking_rate``).
        Move(
            "rate",
            (BookingStatus.COMPLETED,),
            BookingStatus.RATED,
            label="评价",
            who=_enterprise_side,
            blocked=_higher_blocks("rate"),
            denied="只有预约方可以评价。",
        ),
    ],
)
# The table the moves make (kept under its old name for the pages and tests that read it).
BOOKING_TRANSITIONS = BOOKING.table


def booking_moves(booking: Booking, user) -> list[str]:
    """The booking moves ``user`` may make now (accept, decline, start, complete, cancel,
    rate): the buttons of the booking page and the API's ``available_moves``."""
    return BOOKING.available(booking, user)


def booking_blocked(booking: Booking, user) -> dict[str, str]:
    """The moves ``user`` may make from the booking's status but not yet, each with its
    reason in the words the service refuses with (the slot not over, the voucher order
    under review …): the pages show it where the button would be, the API as ``blocked``."""
    return BOOKING.blocked(booking, user)


def _booking_transition(booking: Booking, to: str, by: User | None, note: str = "") -> None:
    BOOKING.move(booking, to, by=by, note=note)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _check_slot(instrument: Instrument, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    now = timezone.now()
    if starts_at >= ends_at:
        raise ValidationError({"ends_at": ["结束时间须晚于开始时间。"]})
    if starts_at < now:
        raise ValidationError({"starts_at": ["不能预约过去的时间。"]})
    if starts_at > now + dt.timedelta(days=BOOKING_HORIZON_DAYS):
        raise ValidationError({"starts_at": [f"最多可预约 {BOOKING_HORIZON_DAYS} 天内的机时。"]})
    if ends_at - starts_at > dt.timedelta(hours=MAX_SLOT_HOURS):
        raise ValidationError({"ends_at": [f"单次预约不超过 {MAX_SLOT_HOURS} 小时。"]})
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if local_start.date() != local_end.date():
        raise ValidationError({"ends_at": ["机时预约须在同一天内。"]})
    if not instrument_open_on(instrument, local_start.date()):
        raise ValidationError({"starts_at": ["该仪器当天不开放（含法定节假日）。"]})
    if local_start.time() < instrument.open_from or local_end.time() > instrument.open_until:
        raise ValidationError(
            {"starts_at": [f"须在开放时间 {instrument.open_from:%H:%M}–{instrument.open_until:%H:%M} 内。"]}
        )


def _overlaps(instrument: Instrument, starts_at, ends_at, exclude_pk=None) -> bool:
    qs = Booking.objects.filter(
        instrument=instrument,
        kind=BookingKind.SLOT,
        status__in=HOLDING_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _save_new_booking(booking: Booking) -> Booking:
    save_with_number(booking, lambda b: f"YY{timezone.localdate():%Y%m%d}{b.pk:08d}")
    BookingEvent.objects.create(
        booking=booking,
        actor=booking.requested_by,
        from_status=BookingStatus.REQUESTED,
        to_status=BookingStatus.REQUESTED,
        note="提交预约",
    )
    return booking


def order_amount(item: Instrument | Service, units: Decimal) -> Decimal:
    """An order's amount: ``units`` (hours of a slot, or the quantity) times the listed
    price, to the fen. The booking stores it; the order form and ``GET /api/bookings/offer/``
    propose the voucher on it."""
    return _money(Decimal(units) * item.price)


def slot_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    return Decimal((ends_at - starts_at).total_seconds()) / Decimal(3600)


def _voucher_choice(item, use_voucher: bool | None, *, by: User, amount: Decimal) -> bool:
    """是否使用创新券: default yes where the item is voucher-eligible and the applicant may
    hold a voucher this year. An item that is not eligible cannot be ordered with the
    voucher; nor can an applicant the year's scheme gives none (Jiangsu's yearly application
    is the enterprises' form: individuals and social organisations order without it) — the
    refusal is the order form's note beside the switch, in the same words."""
    if use_voucher is False:
        return False
    if not item.voucher_eligible:
        if use_voucher:
            raise ValidationError({"use_voucher": ["该项目不可使用创新券，请选择“不使用创新券”。"]})
        return False
    offer = voucher_offer(by, amount)
    if offer is not None and offer.closed:
        if use_voucher:
            raise ValidationError({"use_voucher": [offer.note]})
        return False
    return True


@transaction.atomic
def booking_request_slot(
    *,
    instrument: Instrument,
    by: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
    use_voucher: bool | None = None,
) -> Booking:
    """Ask for machine time. Refused when it overlaps a held slot; confirmed at once when
    the instrument offers instant booking (空闲时段即时确认).

    The system's confirmation holds the slot and nothing more. Where the year's scheme has
    the institution accept the voucher order that carries a booking (Henan's 受理, see
    ``booking_accept_with_order``), the order still goes to the institution: the guide has the
    管理单位 see each 创新券订单 and choose whether to accept it, and what it accepts — the
    order's amount, its contract and the voucher on it — is not something an instrument's
    calendar can say yes to. So the booking is accepted, the order waits for its 受理 (and
    the platform's review) before the service starts, and the booking and order pages tell
    the enterprise so (``selectors.accepted_by_system``)."""
    enterprise = _require_applicant(by)
    # Serialise bookings per instrument: the overlap check and the insert must not interleave.
    instrument = (
        Instrument.objects.select_for_update(of=("self",))
        .select_related("institution__organisation")
        .get(pk=instrument.pk)
    )
    if not (instrument.is_public and instrument.open_for_sharing):
        raise ValidationError("该仪器暂不对外开放预约。")
    if instrument.booking_mode != BookingMode.SLOT:
        raise ValidationError("该仪器按样品预约，请填写样品数量。")
    _check_slot(instrument, starts_at, ends_at)
    if _overlaps(instrument, starts_at, ends_at):
        raise ValidationError({"starts_at": ["该时段已被预约，请选择其他时段。"]})
    hours = slot_hours(starts_at, ends_at)
    amount = order_amount(instrument, hours)
    booking = Booking(
        kind=BookingKind.SLOT,
        enterprise=enterprise,
        institution=instrument.institution,
        instrument=instrument,
        item_name=instrument.name,
        starts_at=starts_at,
        ends_at=ends_at,
        quantity=_money(hours),
        unit="小时",
        unit_price=instrument.price,
        amount=amount,
        expected_date=timezone.localtime(ends_at).date(),
        note=note,
        use_voucher=_voucher_choice(instrument, use_voucher, by=by, amount=amount),
        requested_by=by,
    )
    _save_new_booking(booking)
    if instrument.instant_booking:
        _accept(booking, by=None, note="空闲时段，系统自动确认")
    else:
        notify_organisation(
            organisation=instrument.institution.organisation,
            title=f"新的机时预约：{instrument.name}",
            url="/catalog/bookings/",
        )
    return booking


@transaction.atomic
def booking_request_quantity(
    *, item: Instrument | Service, by: User, quantity: Decimal, note: str = "", use_voucher: bool | None = None
) -> Booking:
    """Ask for sample testing or a service by quantity (samples, items, sessions)."""
    enterprise = _require_applicant(by)
    item = type(item).objects.select_related("institution__organisation").get(pk=item.pk)
    if not item.is_public or (isinstance(item, Instrument) and not item.open_for_sharing):
        raise ValidationError("该项目暂不可预约。")
    if isinstance(item, Instrument) and item.booking_mode == BookingMode.SLOT:
        raise ValidationError("该仪器按机时预约，请选择时段。")
    if quantity <= 0 or quantity > 100000:
        raise ValidationError({"quantity": ["数量须大于 0 且不超过 100000。"]})
    cycle = item.service_cycle_days if isinstance(item, Instrument) else item.cycle_days
    amount = order_amount(item, quantity)
    booking = Booking(
        kind=BookingKind.SAMPLE,
        enterprise=enterprise,
        institution=item.institution,
        instrument=item if isinstance(item, Instrument) else None,
        service=item if isinstance(item, Service) else None,
        item_name=item.name,
        quantity=quantity,
        unit=item.unit.replace("元/", "") or "次",
        unit_price=item.price,
        amount=amount,
        # Calendar days: the service cycle as the institution publishes it.
        expected_date=timezone.localdate() + dt.timedelta(days=cycle),
        note=note,
        use_voucher=_voucher_choice(item, use_voucher, by=by, amount=amount),
        requested_by=by,
    )
    _save_new_booking(booking)
    notify_organisation(
        organisation=item.institution.organisation, title=f"新的预约：{item.name}", url="/catalog/bookings/"
    )
    return booking


def _accept(booking: Booking, *, by: User | None, note: str = "") -> None:
    if booking.kind == BookingKind.SLOT and _overlaps(
        booking.instrument, booking.starts_at, booking.ends_at, booking.pk
    ):
        raise ValidationError("该时段已被其他预约占用，不能接受。")
    _booking_transition(booking, BookingStatus.ACCEPTED, by, note)
    booking.answer_note = note
    booking.answered_at = timezone.now()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the exclusion constraint caught a race the lock missed
        raise ValidationError("该时段已被其他预约占用，不能接受。") from exc
    item = booking.instrument or booking.service
    type(item).objects.filter(pk=item.pk).update(popularity=F("popularity") + 1)
    Institution.objects.filter(pk=booking.institution_id).update(popularity=F("popularity") + 1)
    item.refresh_from_db()
    listing_sync_item(item)
    inst = Institution.objects.get(pk=booking.institution_id)
    listing_sync_institution(inst, with_items=False)
    notify_organisation(
        organisation=booking.enterprise,
        title=f"预约已确认：{booking.item_name}",
        body=note,
        url=f"/catalog/bookings/{booking.pk}/",
    )


def _lock_booking(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("instrument", "service", "enterprise")
        .get(pk=booking.pk)
    )


def _require_institution_side(booking: Booking, by: User) -> None:
    if not is_institution_member(by, booking.institution):
        raise PermissionDenied("只有服务机构可以处理该预约。")


@transaction.atomic
def booking_answer(*, booking: Booking, by: User, accept: bool, note: str = "") -> Booking:
    booking = _lock_booking(booking)
    BOOKING.require(booking, by, "accept" if accept else "decline")
    if accept:
        if booking.instrument_id and booking.kind == BookingKind.SLOT:
            Instrument.objects.select_for_update().get(pk=booking.instrument_id)
        _accept(booking, by=by, note=note)
    else:
        if not note.strip():
            raise ValidationError({"note": ["拒绝须说明原因。"]})
        _booking_transition(booking, BookingStatus.DECLINED, by, note)
        booking.answer_note = note
        booking.answered_at = timezone.now()
        booking.save()
        notify_organisation(
            organisation=booking.enterprise,
            title=f"预约未被接受：{booking.item_name}",
            body=note,
            url=f"/catalog/bookings/{booking.pk}/",
        )
    return booking


@transaction.atomic
def booking_accept_with_order(*, booking: Booking, by: User, note: str) -> Booking:
    """The booking's acceptance as part of the institution's acceptance (受理) of the voucher
    order that carries it (Henan: 管理单位受理创新券订单 is the one acceptance), called by the
    higher layer that holds the order, inside its transaction after locking the order. The
    same checks (the institution's side, the slot still free) and audit row as
    ``booking_answer``, without the guard that points the institution to the order.

    Not called for a booking the system already accepted (an instant slot): its order is
    still accepted by the institution, which then accepts the order alone — the slot's
    confirmation never stands in for the 受理 (see ``booking_request_slot``)."""
    booking = _lock_booking(booking)
    _require_institution_side(booking, by)
    if booking.instrument_id and booking.kind == BookingKind.SLOT:
        Instrument.objects.select_for_update().get(pk=booking.instrument_id)
    _accept(booking, by=by, note=note)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, note: str = "") -> Booking:
    booking = _lock_booking(booking)
    BOOKING.require(booking, by, "cancel")
    _booking_transition(booking, BookingStatus.CANCELLED, by, note)
    booking.save()
    notify_organisation(organisation=booking.institution.organisation, title=f"预约已取消：{booking.item_name}")
    return booking


@transaction.atomic
def booking_start(*, booking: Booking, by: User) -> Booking:
    """The institution starts the service (refused while a higher layer blocks it: Henan's
    voucher order under the platform's review)."""
    booking = _lock_booking(booking)
    BOOKING.require(booking, by, "start")
    _booking_transition(booking, BookingStatus.IN_SERVICE, by)
    booking.save()
    return booking


@transaction.atomic
def booking_complete(*, booking: Booking, by: User, note: str = "") -> Booking:
    """The institution confirms the service done: a slot only after its end
    (``_slot_not_over``), and not while a higher layer blocks it."""
    booking = _lock_booking(booking)
    BOOKING.require(booking, by, "complete")
    _booking_transition(booking, BookingStatus.COMPLETED, by, note)
    booking.completed_at = timezone.now()
    booking.save()
    # Asked to rate now only where nothing holds the rating back (a voucher still to pay with).
    waits = _ask("guard", booking, "rate")
    notify_organisation(
        organisation=booking.enterprise,
        title=f"服务已完成：{booking.item_name}" if waits else f"服务已完成，请评价：{booking.item_name}",
        body=waits or "",
        url=f"/catalog/bookings/{booking.pk}/",
    )
    return booking


RESULT_STATUSES = (BookingStatus.ACCEPTED, BookingStatus.IN_SERVICE, BookingStatus.COMPLETED, BookingStatus.RATED)


def booking_result_upload(*, booking: Booking, by: User, upload) -> Booking:
    """The institution uploads the order result (订单结果: a test report, data, a summary) of
    an accepted or finished booking; a new upload replaces the old one. Checked by content
    and stored under our name (mapsite.uploads); the file is written before the
    transaction, and removed again if the booking refuses it.

    Only where the booking's scheme has the step (:func:`booking_result_step`: Henan, whose
    applicant confirms the result before paying; optional there on an order without the
    voucher). Elsewhere it is refused (400): in Ningxia, Jiangsu and Zhejiang the
    institution hands its report to the enterprise, which files it with its own use proofs
    — an upload here would be a second copy nobody reviews, under a step the scheme lacks."""
    _require_institution_side(booking, by)
    if not booking_result_step(booking):
        raise ValidationError(
            {
                "result": [
                    "本方案没有服务机构在预约中上传结果的环节：检测报告等服务结果请直接交给预约方，由预约方随使用证明材料上传。"
                ]
            }
        )
    mime = uploads.check(upload, kind=uploads.DOCUMENT)
    stored = uploads.store(booking.result, booking, upload, mime)
    try:
        with transaction.atomic():
            booking = _lock_booking(booking)
            if booking.status not in RESULT_STATUSES:
                raise ValidationError(
                    f"预约当前状态为“{BookingStatus(booking.status).label}”，受理后才能上传订单结果。"
                )
            booking.result.name = stored
            booking.result_uploaded_at = timezone.now()
            booking.save(update_fields=["result", "result_uploaded_at"])
            notify_organisation(
                organisation=booking.enterprise,
                title=f"服务机构已上传订单结果：{booking.item_name}",
                body="请查看结果；确认无误后即可支付。" if booking_result_needed(booking) else "请查看结果。",
                url=f"/catalog/bookings/{booking.pk}/",
            )
    except Exception:
        booking.result.storage.delete(stored)
        raise
    return booking


def _refresh_rating(model, pk: int, **filters) -> None:
    agg = Rating.objects.filter(**filters).aggregate(mean=Avg("score"), n=Count("id"))
    mean = Decimal(agg["mean"] or 0).quantize(Decimal("0.01"))
    model.objects.filter(pk=pk).update(rating_mean=mean, rating_count=agg["n"])


@dataclass(frozen=True)
class BookingRater:
    """How a higher layer rates a booking it paid for (a voucher's use): whether the scheme
    asks for the platform's score too (``platform``), and ``rate(by=, score=, comment=,
    platform_score=)`` that records the rating its own way (linked to the use)."""

    platform: bool
    rate: Callable[..., Rating]


@dataclass(frozen=True)
class VoucherStep:
    """How a higher layer names the voucher step after a booking is accepted, in the words of
    the year's scheme: the button (``action``), what happens (``text``) and where it goes —
    a form posting the booking to ``url`` (``post``), or a link to ``url``; and what the
    record the step opens is called (``record``: 创新券合同, Henan's 创新券订单).
    ``registers``: the use is registered after the service on the scheme's own form
    (Zhejiang's 创新券使用登记) instead of a contract opened after acceptance. ``refusal``:
    why this booking cannot lead to a voucher (an earlier year's booking, an applicant that
    may not hold one this year); the page shows it instead of the button.
    ``before_acceptance``: the record is opened and submitted while the booking still waits,
    and the institution accepts the booking by accepting it (Henan's 创新券订单).
    ``prerequisite``: what the applicant still has to do in its wallet for the voucher under
    the year's scheme (Henan: claim the quota, register the R&D project), "" when nothing."""

    action: str
    text: str
    url: str
    post: bool = True
    record: str = "创新券合同"
    registers: bool = False
    refusal: str = ""
    before_acceptance: bool = False
    prerequisite: str = ""


@dataclass(frozen=True)
class VoucherOffer:
    """What a higher layer offers an applicant on a new order under a quota scheme, as the
    order form shows it (Jiangsu's 创新券余额 and 拟兑付创新券金额): the year's entitlement
    left (``remaining``), the scheme's share of the price (``rate``, 0–1) and the proposed
    voucher on an order of ``amount`` yuan (``proposed``: the share, capped by what is left),
    for the policy ``year``.
    ``note`` says why nothing can be offered, ``url`` leads to the applicant's wallet,
    ``payee_note`` says who is paid the voucher's money under the scheme, ``valid_until``
    the last day a voucher issued today may be used (the form warns when the service is
    expected to end later);
    ``closed``: the applicant cannot hold a voucher this year at all (the note says why), so
    the order form starts at 不使用创新券."""

    year: int
    remaining: Decimal
    rate: Decimal
    amount: Decimal
    proposed: Decimal
    note: str = ""
    url: str = ""
    payee_note: str = ""
    valid_until: dt.date | None = None
    closed: bool = False

    @property
    def percent(self) -> str:
        return f"{self.rate * 100:.2f}".rstrip("0").rstrip(".")


# The vouchers app answers these at start-up (catalog imports nothing from it).
_higher: dict[str, Callable] = {}


def set_booking_rater(finder: Callable[[Booking], BookingRater | None]) -> None:
    _higher["rater"] = finder


def set_voucher_step(finder: Callable[[Booking | None], VoucherStep | None]) -> None:
    _higher["voucher_step"] = finder


def set_voucher_offer(finder: Callable[[User, Decimal], VoucherOffer | None]) -> None:
    _higher["voucher_offer"] = finder


def set_booking_guard(finder: Callable[[Booking, str], str | None]) -> None:
    """``finder(booking, move)`` gives why a higher layer blocks the booking move ``move``
    ("accept", "decline", "start", "complete") now, or None (the vouchers app: where the
    scheme reviews orders before the service, a voucher order not yet approved holds the
    service back, and the institution accepts the booking by accepting its order)."""
    _higher["guard"] = finder


def set_result_needed(finder: Callable[[Booking], bool]) -> None:
    """``finder(booking)`` says whether the booking's scheme needs the institution's order
    result (订单结果) before the applicant pays (the vouchers app: Policy.result_confirmation)."""
    _higher["result_needed"] = finder


def set_result_step(finder: Callable[[Booking], bool]) -> None:
    """``finder(booking)`` says whether the booking's scheme has the institution's order
    result at all (the vouchers app: Policy.result_confirmation, of the order or the year)."""
    _higher["result_step"] = finder


def booking_result_step(booking: Booking) -> bool:
    """Whether the institution may upload an order result on this booking: where the
    scheme has that step. Without a higher layer (no scheme), the upload stays open."""
    if "result_step" not in _higher:
        return True
    return bool(_ask("result_step", booking))


def booking_result_needed(booking: Booking) -> bool:
    """Whether the institution's next step after the service is the order result. Without
    a higher layer that asks for it, the result is optional (an upload the parties may use)."""
    return bool(_ask("result_needed", booking))


def booking_rater(booking: Booking) -> BookingRater | None:
    """The rater of a booking paid with a voucher, or None (rated here, institution only)."""
    return _ask("rater", booking)


def voucher_step(booking: Booking | None) -> VoucherStep | None:
    """The voucher step of ``booking`` (None: the words for any booking, as on the list)."""
    return _ask("voucher_step", booking)


def voucher_offer(user: User, amount: Decimal) -> VoucherOffer | None:
    """The entitlement left and the proposed voucher on an order of ``amount`` for ``user``
    (None: no quota scheme this year, or not an applicant)."""
    return _ask("voucher_offer", user, amount)


def _ask(name: str, *args):
    finder = _higher.get(name)
    return finder(*args) if finder else None


@transaction.atomic
def booking_rate(
    *, booking: Booking, by: User | None, score: int, comment: str = "", is_default: bool = False
) -> Rating:
    """The enterprise rates a completed booking (1–5) — when the booking's workflow offers
    it the move (``booking_moves``, as the page and the API's ``available_moves`` do): not
    a booking that waits to be paid with a voucher, which is rated with the voucher's use
    after the payment (the higher layer's guard says why)."""
    if not is_default:
        if by is None or by.organisation_id != booking.enterprise_id:
            raise PermissionDenied("只有预约方可以评价。")
        booking = _lock_booking(booking)
        if booking.status == BookingStatus.COMPLETED:  # otherwise rating_record says why not
            BOOKING.require(booking, by, "rate")
    return rating_record(
        enterprise=booking.enterprise,
        institution=booking.institution,
        booking=booking,
        instrument=booking.instrument,
        service=booking.service,
        score=score,
        comment=comment,
        is_default=is_default,
        by=by,
    )


@transaction.atomic
def rating_record(
    *,
    enterprise,
    institution,
    booking: Booking | None = None,
    instrument=None,
    service=None,
    score: int,
    comment: str = "",
    is_default: bool = False,
    by: User | None = None,
    platform_score: int | None = None,
) -> Rating:
    """Record one rating of an institution (and its item) and update the means the map sorts
    by. With a booking, the booking must be completed and moves to rated; a booking is
    rated once. ``is_default`` marks the automatic good rating given when nobody rated in
    time; ``platform_score`` is the platform's own score where the scheme asks for it."""
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": ["评分须为 1–5。"]})
    if platform_score is not None and not 1 <= int(platform_score) <= 5:
        raise ValidationError({"platform_score": ["省平台服务评分须为 1–5。"]})
    if booking is not None:
        booking = _lock_booking(booking)
        if Rating.objects.filter(booking=booking).exists():
            raise ValidationError("该服务已评价。")
        if booking.status != BookingStatus.COMPLETED:
            raise ValidationError("服务完成后才能评价。")
        _booking_transition(booking, BookingStatus.RATED, by, "默认好评" if is_default else "")
        booking.save()
    rating = Rating.objects.create(
        booking=booking,
        enterprise=enterprise,
        institution=institution,
        instrument=instrument,
        service=service,
        score=score,
        comment=comment,
        platform_score=platform_score,
        is_default=is_default,
    )
    rating_refresh_targets(rating)
    return rating


def rating_refresh_targets(rating: Rating) -> None:
    """Recompute mean and count of the rated institution and item, and their listings."""
    _refresh_rating(Institution, rating.institution_id, institution_id=rating.institution_id)
    item = None
    if rating.instrument_id:
        _refresh_rating(Instrument, rating.instrument_id, instrument_id=rating.instrument_id)
        item = Instrument.objects.select_related("institution__organisation").get(pk=rating.instrument_id)
    elif rating.service_id:
        _refresh_rating(Service, rating.service_id, service_id=rating.service_id)
        item = Service.objects.select_related("institution__organisation").get(pk=rating.service_id)
    if item is not None:
        listing_sync_item(item)
    listing_sync_institution(Institution.objects.get(pk=rating.institution_id), with_items=False)


# --- Contact requests (对接) -------------------------------------------------------------------


@transaction.atomic
def contact_request(*, by: User, kind: str, item_id: int, message: str, contact_phone: str) -> ContactRequest:
    enterprise = _require_applicant(by)
    if kind == ListingKind.INSTITUTION:
        inst = Institution.objects.select_related("organisation").filter(pk=item_id).first()
        name = inst.organisation.name if inst else ""
    else:
        model = Instrument if kind == ListingKind.INSTRUMENT else Service
        item = model.objects.select_related("institution__organisation").filter(pk=item_id).first()
        if item is not None and not item.is_public:
            item = None
        inst, name = (item.institution, item.name) if item else (None, "")
    if inst is None:
        raise ValidationError({"item_id": ["找不到该机构或项目。"]})
    if not message.strip() or not contact_phone.strip():
        raise ValidationError({"message": ["请填写需求和联系电话。"]})
    request = ContactRequest.objects.create(
        enterprise=enterprise,
        institution=inst,
        listing_kind=kind,
        item_id=item_id,
        item_name=name,
        message=message,
        contact_phone=contact_phone,
        requested_by=by,
    )
    notify_organisation(
        organisation=inst.organisation,
        title=f"新的对接需求：{name}",
        body=f"{enterprise.name}：{message}",
        url="/catalog/bookings/",
    )
    return request


@transaction.atomic
def contact_answer(*, request: ContactRequest, by: User, answer: str) -> ContactRequest:
    request = ContactRequest.objects.select_for_update().get(pk=request.pk)
    if not is_institution_member(by, request.institution):
        raise PermissionDenied("只有被联系的机构可以回复。")
    if request.status != ContactStatus.SENT:
        raise InvalidTransition("该对接需求已处理。")
    if not answer.strip():
        raise ValidationError({"answer": ["请填写回复内容。"]})
    request.status, request.answer, request.answered_at = ContactStatus.ANSWERED, answer, timezone.now()
    request.save()
    notify_organisation(organisation=request.enterprise, title=f"机构已回复对接需求：{request.item_name}", body=answer)
    return request
