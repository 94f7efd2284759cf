"""Catalogue pages: detail pages, booking and contact, bookings, institutions' self-service
and the operator's item review.

Views stay thin: reads go through ``catalog.selectors``, writes through ``catalog.services``,
whose ValidationError becomes form errors (never a 500) and whose PermissionDenied becomes a
403. Objects a user may not see answer 404, so their existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role
from catalog import selectors, services
from catalog.forms import (
    ITEM_FORMS,
    WEEKDAYS,
    BookingNoteForm,
    BookingResultForm,
    ContactAnswerForm,
    ContactForm,
    InstitutionProfileForm,
    MoveForm,
    QuantityBookingForm,
    RatingForm,
    ReviewForm,
    SlotBookingForm,
)
from catalog.models import (
    BookingMode,
    BookingStatus,
    ContactRequest,
    Institution,
    Instrument,
    ListingKind,
    ReviewStatus,
    Service,
)
from catalog.permissions import is_institution_member, request_mode
from geodata import mapdoc
from mapsite import uploads
from mapsite.forms import apply_service_errors

ITEM_MODELS: dict[str, type[Instrument] | type[Service]] = {
    ListingKind.INSTRUMENT: Instrument,
    ListingKind.SERVICE: Service,
}
# The booking grid shows a week at a time (``?week=YYYY-MM-DD``, the first day shown).
GRID_DAYS = 7
# The manage page's map document is same-origin with the page (iframe srcdoc): dragging the
# marker writes its position into the page's hidden inputs, which post to manage_move.
MARKER_DRAGEND_JS = """function (e) {
  var p = e.target.getLatLng(), d = window.parent.document;
  d.getElementById("map-lng").value = p.lng.toFixed(6);
  d.getElementById("map-lat").value = p.lat.toFixed(6);
  d.getElementById("map-where").textContent = p.lng.toFixed(6) + ", " + p.lat.toFixed(6);
  d.getElementById("map-save").disabled = false;
}"""


# --- Helpers: who sees what ------------------------------------------------------------------


def _item_model(kind: str):
    try:
        return ITEM_MODELS[kind]
    except KeyError:
        raise Http404("未知的条目类型。") from None


def _public_items(model):
    return selectors.public_instruments() if model is Instrument else selectors.public_services()


def _is_operator(user) -> bool:
    return getattr(user, "role", None) == Role.OPERATOR


def _may_preview(user, institution: Institution) -> bool:
    """The owner institution and the operator also see what is not public (yet)."""
    return is_institution_member(user, institution) or _is_operator(user)


def _visible_item(user, model, pk: int):
    """(item, is_public) for a public item, or for the owner/operator; 404 otherwise."""
    item = _public_items(model).filter(pk=pk).first()
    if item is not None:
        return item, True
    item = get_object_or_404(model.objects.select_related("institution__organisation__region"), pk=pk)
    if not _may_preview(user, item.institution):
        raise Http404
    return item, False


def _visible_institution(user, pk: int):
    inst = selectors.public_institutions().filter(pk=pk).first()
    if inst is not None:
        return inst, True
    inst = get_object_or_404(Institution.objects.select_related("organisation__region"), pk=pk)
    if not _may_preview(user, inst):
        raise Http404
    return inst, False


def _own_item(user, kind: str, pk: int):
    """An instrument or service of the user's own institution; 404 for everybody else."""
    model = _item_model(kind)
    item = get_object_or_404(model.objects.select_related("institution__organisation"), pk=pk)
    if not is_institution_member(user, item.institution):
        raise Http404
    return item


def _require_institution_user(user) -> None:
    if user.role != Role.INSTITUTION:
        raise PermissionDenied("只有服务机构可以管理目录。")


def _booking_refusal(user) -> str:
    """Why this user cannot book, for the page (the service enforces the same rule)."""
    if user.role != Role.APPLICANT:
        return "只有创新主体（企业、社会组织、个人）可以预约或发起对接。"
    return ""


# Interim reads until catalog.selectors offers them (see the report to the lead).


# --- Presentation helpers --------------------------------------------------------------------


def _location_map(point, label: str, *, draggable: bool = False, zoom: int = 13) -> str:
    """A small offline folium document for ``<iframe srcdoc>`` (autoescaped, never |safe)."""
    # why: folium takes seconds to import; only pages that draw a map pay for it
    import folium
    from folium.elements import EventHandler
    from folium.utilities import JsCode

    m = mapdoc.base_map(
        tiles_url=settings.MAP_TILES_URL,
        attribution=settings.MAP_TILES_ATTRIBUTION,
        center=(point.y, point.x),
        # Without tiles there is nothing to see at street level: show the county around it.
        zoom=zoom if settings.MAP_TILES_URL else min(zoom, 10),
    )
    # The county and city boundaries around the point say where it is even when there are
    # no tiles (switched off, or a tile server that cannot be reached); filled only without.
    mapdoc.add_region_outlines(m, around=point, filled=not settings.MAP_TILES_URL)
    marker = folium.Marker([point.y, point.x], tooltip=mapdoc.escape_popup(label), draggable=draggable)
    marker.add_to(m)
    if draggable:
        marker.add_child(EventHandler("dragend", JsCode(MARKER_DRAGEND_JS)))
    return mapdoc.map_html(m)


def _display(model, name: str, value) -> str:
    """A field value as the pages show it (choice labels, 是/否, weekdays)."""
    field = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if name == "open_weekdays":
        names = dict(WEEKDAYS)
        return "、".join(str(names.get(int(d), d)) for d in value)
    if hasattr(value, "strftime") and name.startswith("open_"):
        return value.strftime("%H:%M")
    return str(value)


def _grid_start(raw: str | None) -> tuple[dt.date, str]:
    """The first day of the grid from ``?week=``: today by default; never before today nor
    past the booking horizon. A value that is not a date shows this week with a note (never
    a 500)."""
    today = timezone.localdate()
    last = today + dt.timedelta(days=services.BOOKING_HORIZON_DAYS - GRID_DAYS + 1)
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return today, "日期参数无效，已显示最近 7 天。"
    if day > last:
        return last, f"最多可预约 {services.BOOKING_HORIZON_DAYS} 天内的机时。"
    return max(day, today), ""


def _local_input(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _slot_grid(request, instrument: Instrument, *, book_url: str = "") -> dict:
    """The week's slot grid for a page; with ``book_url`` every free cell links to the booking
    form prefilled with that step (what works without script; static/js/slot_grid.js lets the
    user pick a range in place instead)."""
    start, note = _grid_start(request.GET.get("week"))
    grid = selectors.slot_grid(instrument, start, GRID_DAYS)
    names = dict(WEEKDAYS)
    today = timezone.localdate()
    week = start.isoformat()
    for day in grid["days"]:
        day["weekday"] = names[day["date"].isoweekday()]
        day["today"] = day["date"] == today
    held: list[dict] = []
    for row in grid["rows"]:
        for col, cell in enumerate(row["cells"]):
            cell["start"], cell["end"] = _local_input(cell["starts_at"]), _local_input(cell["ends_at"])
            cell["day"] = col
            if book_url and cell["state"] == selectors.SlotState.FREE:
                query = urlencode({"week": week, "starts_at": cell["start"], "ends_at": cell["end"]})
                cell["href"] = f"{book_url}?{query}#book-form"
    for start_at, end_at in selectors.held_slots(instrument, start, GRID_DAYS):
        s, e = timezone.localtime(start_at), timezone.localtime(end_at)
        held.append({"date": s.date(), "weekday": names[s.isoweekday()], "starts": s.time(), "ends": e})
    first_allowed, _ = _grid_start(None)
    prev_day = start - dt.timedelta(days=GRID_DAYS)
    next_day = start + dt.timedelta(days=GRID_DAYS)
    last_allowed, _ = _grid_start("9999-12-31")
    return {
        "grid": grid,
        "grid_start": start,
        "grid_end": start + dt.timedelta(days=GRID_DAYS - 1),
        "grid_note": note,
        "grid_held": held,
        "grid_step": grid["step"],
        "grid_selectable": bool(book_url),
        "prev_week": max(prev_day, first_allowed).isoformat() if start > first_allowed else "",
        "next_week": next_day.isoformat() if next_day <= last_allowed else "",
        "this_week": "" if start == first_allowed else first_allowed.isoformat(),
    }


def _open_days(instrument: Instrument) -> str:
    names = dict(WEEKDAYS)
    return "、".join(names[d] for d in sorted(instrument.open_weekdays) if d in names) or "暂不开放"


def _field_label(model, name: str) -> str:
    form_class = ITEM_FORMS["instrument" if model is Instrument else "service"]
    field = form_class.base_fields.get(name)
    return str(field.label if field is not None else model._meta.get_field(name).verbose_name)


def _pending_rows(item) -> list[dict]:
    model = type(item)
    return [
        {
            "label": _field_label(model, name),
            "before": _display(model, name, getattr(item, name)),
            "after": _display(model, name, value),
        }
        for name, value in item.pending_changes.items()
    ]


def _item_context(request, item, is_public: bool, kind: str) -> dict:
    inst = item.institution
    org = inst.organisation
    point = getattr(item, "location", None) or org.location
    return {
        "item": item,
        "kind": kind,
        "inst": inst,
        "org": org,
        "is_public": is_public,
        "may_manage": is_institution_member(request.user, inst),
        "ratings": selectors.ratings_for(**{str(kind): item}, limit=10),
        "map_document": _location_map(point, item.name) if point else "",
        "contact_url": f"{reverse('catalog:contact')}?kind={kind}&id={item.pk}",
        **_request_context(request.user),
    }


def _request_context(user) -> dict:
    """What the 预约 / 对接 buttons need (catalog/_request_actions.html)."""
    return {"request_mode": request_mode(user), "login_url": reverse("accounts:login")}


# --- Detail pages ----------------------------------------------------------------------------


def institution_detail(request, pk: int):
    inst, is_public = _visible_institution(request.user, pk)
    org = inst.organisation
    return render(
        request,
        "catalog/institution_detail.html",
        {
            "inst": inst,
            "org": org,
            "is_public": is_public,
            "may_manage": is_institution_member(request.user, inst),
            "instruments": selectors.public_instruments().filter(institution=inst).order_by("name"),
            "services": selectors.public_services().filter(institution=inst).order_by("name"),
            "ratings": selectors.ratings_for(institution=inst, limit=10),
            "map_document": _location_map(org.location, org.name) if org.location else "",
            "contact_url": f"{reverse('catalog:contact')}?kind=institution&id={inst.pk}",
            **_request_context(request.user),
        },
    )


def instrument_detail(request, pk: int):
    item, is_public = _visible_item(request.user, Instrument, pk)
    context = _item_context(request, item, is_public, "instrument")
    book_url = reverse("catalog:book_instrument", args=[item.pk])
    if item.booking_mode == BookingMode.SLOT:
        # Free cells lead to the booking form only for those who may book (catalog.permissions).
        context.update(_slot_grid(request, item, book_url=book_url if context["request_mode"] == "request" else ""))
    context.update(
        {
            "open_days": _open_days(item),
            "used_by": selectors.public_services().filter(instruments=item).order_by("name"),
        }
    )
    return render(request, "catalog/instrument_detail.html", context)


def service_detail(request, pk: int):
    item, is_public = _visible_item(request.user, Service, pk)
    context = _item_context(request, item, is_public, "service")
    context["instruments"] = selectors.public_instruments().filter(services=item).order_by("name")
    return render(request, "catalog/service_detail.html", context)


def item_photo(request, kind: str, pk: int):
    if kind == ListingKind.INSTITUTION:
        obj, _ = _visible_institution(request.user, pk)
    else:
        obj, _ = _visible_item(request.user, _item_model(kind), pk)
    return uploads.serve(obj.photo, download_name=f"照片-{kind}-{obj.pk}")


# --- Booking and contact ---------------------------------------------------------------------


def _prefill(request) -> dict:
    """A step picked on the grid without script (``?starts_at=&ends_at=``) as the form's
    initial values; anything unreadable is ignored (the fields stay empty)."""
    if request.method != "GET" or not request.GET.get("starts_at"):
        return {}
    probe = SlotBookingForm(
        {"starts_at": request.GET.get("starts_at", ""), "ends_at": request.GET.get("ends_at", "")},
        voucher_eligible=False,
    )
    probe.is_valid()
    return {name: probe.cleaned_data[name] for name in ("starts_at", "ends_at") if name in probe.cleaned_data}


def _book(request, item, *, kind: str, slot: bool):
    form_class = SlotBookingForm if slot else QuantityBookingForm
    refusal = _booking_refusal(request.user)
    form = form_class(
        request.POST or None, initial=_prefill(request) if slot else None, voucher_eligible=item.voucher_eligible
    )
    if request.method == "POST" and not refusal and form.is_valid():
        data = form.cleaned_data
        try:
            if slot:
                booking = services.booking_request_slot(
                    instrument=item,
                    by=request.user,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    note=data["note"],
                    use_voucher=form.wants_voucher(),
                )
            else:
                booking = services.booking_request_quantity(
                    item=item,
                    by=request.user,
                    quantity=data["quantity"],
                    note=data["note"],
                    use_voucher=form.wants_voucher(),
                )
        except PermissionDenied as exc:
            refusal = str(exc) or "您不能预约该项目。"
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"预约已提交，编号 {booking.number}。")
            return redirect("catalog:booking", pk=booking.pk)
    context = {
        "item": item,
        "kind": kind,
        "inst": item.institution,
        "slot": slot,
        "form": None if refusal else form,
        "refusal": refusal,
        "uncertified": not refusal and not request.user.organisation.is_certified,
    }
    if form is not None and not refusal and "use_voucher" in form.fields:
        # Under a quota scheme: the entitlement left and the voucher proposed on this order
        # (static/js/voucher_offer.js follows the quantity or the slot as it is typed).
        offer = context["offer"] = services.voucher_offer(request.user, _order_amount(form, item, slot=slot))
        if offer is not None and offer.closed:
            # The applicant cannot hold a voucher this year: the switch starts at 不使用创新券,
            # with the reason beside it.
            form.fields["use_voucher"].initial = "no"
            form.fields["use_voucher"].help_text = offer.note
    if slot:
        context["open_days"] = _open_days(item)
        book_url = "" if refusal else reverse("catalog:book_instrument", args=[item.pk])
        context.update(_slot_grid(request, item, book_url=book_url))
    else:
        # What the service will store as the expected date if the booking is made today.
        context["cycle_days"] = item.service_cycle_days if kind == "instrument" else item.cycle_days
        context["expected_date"] = selectors.expected_completion(item, timezone.localdate())
    # A POST that gets here was refused (a success redirects): say so with a 4xx.
    status = 403 if refusal else 400 if request.method == "POST" else 200
    return render(request, "catalog/book.html", context, status=status)


def _order_amount(form, item, *, slot: bool) -> Decimal:
    """The order's amount as the form stands: the quantity or the slot's hours entered (or
    picked on the grid) times the listed price; one unit (one hour) before anything is."""
    data = getattr(form, "cleaned_data", None) or {}
    if slot:
        starts = data.get("starts_at") or form.initial.get("starts_at")
        ends = data.get("ends_at") or form.initial.get("ends_at")
        units = services.slot_hours(starts, ends) if starts and ends and ends > starts else Decimal(1)
    else:
        units = data.get("quantity") or Decimal(1)
    return services.order_amount(item, units)


@login_required
@require_http_methods(["GET", "POST"])
def book_instrument(request, pk: int):
    instrument = get_object_or_404(selectors.public_instruments(), pk=pk)
    return _book(request, instrument, kind="instrument", slot=instrument.booking_mode == BookingMode.SLOT)


@login_required
@require_http_methods(["GET", "POST"])
def book_service(request, pk: int):
    service = get_object_or_404(selectors.public_services(), pk=pk)
    return _book(request, service, kind="service", slot=False)


def _contact_target(kind: str, raw_id: str | None):
    """(pk, name, institution, url) of the public institution or item asked about; 404 if
    there is none."""
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if kind == ListingKind.INSTITUTION:
        inst = get_object_or_404(selectors.public_institutions(), pk=pk)
        return pk, inst.organisation.name, inst, reverse("catalog:institution", args=[pk])
    if kind not in ITEM_MODELS:
        raise Http404
    item = get_object_or_404(_public_items(ITEM_MODELS[kind]), pk=pk)
    return pk, item.name, item.institution, reverse(f"catalog:{kind}", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def contact(request):
    params = request.POST if request.method == "POST" else request.GET
    kind = params.get("kind", "")
    pk, name, inst, back_url = _contact_target(kind, params.get("id"))
    refusal = _booking_refusal(request.user)
    org = request.user.organisation
    form = ContactForm(request.POST or None, initial={"contact_phone": org.contact_phone if org else ""})
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            services.contact_request(by=request.user, kind=kind, item_id=pk, **form.cleaned_data)
        except PermissionDenied as exc:
            refusal = str(exc) or "您不能发起对接。"
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "对接需求已发送，机构回复后会通知您。")
            return redirect("catalog:bookings")
    return render(
        request,
        "catalog/contact.html",
        {
            "kind": kind,
            "item_id": pk,
            "name": name,
            "inst": inst,
            "back_url": back_url,
            "form": None if refusal else form,
            "refusal": refusal,
        },
        status=403 if refusal else 200,
    )


# --- Bookings --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def booking_list(request):
    """Bookings made (enterprise) or received (institution), and the 对接 requests."""
    failed: tuple[int, ContactAnswerForm] | None = None
    if request.method == "POST":
        raw_pk = request.POST.get("contact", "")
        if not raw_pk.isdigit():
            raise Http404
        # Only requests addressed to the user's own institution can be answered.
        contact_request = get_object_or_404(
            ContactRequest.objects.filter(institution_id=request.user.organisation_id),
            pk=int(raw_pk),
        )
        form = ContactAnswerForm(request.POST)
        if form.is_valid():
            try:
                services.contact_answer(request=contact_request, by=request.user, answer=form.cleaned_data["answer"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "已回复对接需求。")
                return redirect("catalog:bookings")
        failed = (contact_request.pk, form)
    bookings = selectors.bookings_for(request.user)
    status = request.GET.get("status", "")
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    org_id = request.user.organisation_id
    return render(
        request,
        "catalog/booking_list.html",
        {
            "queue": selectors.booking_queue(request.user, bookings),
            "status": status,
            "statuses": BookingStatus.choices,
            "is_institution": request.user.role == Role.INSTITUTION,
            "contacts": selectors.contacts_for(request.user).select_related("enterprise", "institution__organisation")[
                :100
            ],
            "org_id": org_id,
            "failed": failed,
            "answer_form": ContactAnswerForm(auto_id=False),  # one per row: no duplicate ids
            "voucher_step": services.voucher_step(None),
            "this_year": str(timezone.localdate().year),  # a booking leads to a voucher in its own year
        },
    )


def _post_view(page, name: str, action: str):
    """One small POST view per action of a page: it runs ``page(request, ..., action=action)``,
    which redirects on success and shows the page with the errors (4xx) otherwise."""

    @login_required
    @require_POST
    def view(request, **kwargs):
        return page(request, action=action, **kwargs)

    view.__name__ = view.__qualname__ = name
    return view


@login_required
@require_safe
def booking_detail(request, pk: int):
    return _booking_page(request, pk)


# What the flash message says after each step (the booking's number before it).
STEP_DONE = {
    "accept": "已接受。",
    "decline": "已拒绝。",
    "start": "已开始服务。",
    "complete": "服务已完成。",
    "cancel": "已取消。",
    "rate": "评价已提交，谢谢。",
}


def _booking_step(booking, by, step: str, data: dict) -> None:
    """Take one step of a booking through its service, which checks who may take it."""
    if step in ("accept", "decline"):
        services.booking_answer(booking=booking, by=by, accept=step == "accept", note=data["note"])
    elif step == "start":
        services.booking_start(booking=booking, by=by)
    elif step == "complete":
        services.booking_complete(booking=booking, by=by, note=data["note"])
    elif step == "cancel":
        services.booking_cancel(booking=booking, by=by, note=data["note"])
    elif (rater := services.booking_rater(booking)) is not None:
        # Paid with a voucher: the vouchers layer rates the use (and the platform where asked).
        rater.rate(by=by, score=data["score"], comment=data["comment"], platform_score=data.get("platform_score"))
    else:
        services.booking_rate(booking=booking, by=by, score=data["score"], comment=data["comment"])


# After acceptance the applicant's next step is the voucher: a contract (order, use
# registration — what the year's scheme calls it) opened from the booking in the vouchers app,
# linked by URL name from the template (catalog imports nothing from vouchers).
VOUCHER_STEP_STATUSES = (
    BookingStatus.ACCEPTED,
    BookingStatus.IN_SERVICE,
    BookingStatus.COMPLETED,
    BookingStatus.RATED,
)


def _next_step(booking, *, is_institution_side: bool, result_needed: bool) -> str:
    """Which "下一步" box the booking page shows (templates/catalog/_booking_next.html). After
    the service the institution's next step is the order result only where the booking's
    scheme needs it (``services.booking_result_needed``: Henan pays after the result)."""
    st = booking.status
    if is_institution_side:
        return {
            BookingStatus.REQUESTED: "answer",
            BookingStatus.ACCEPTED: "start",
            BookingStatus.IN_SERVICE: "complete",
            BookingStatus.COMPLETED: "result" if result_needed and not booking.result else "",
        }.get(st, "")
    if st == BookingStatus.REQUESTED:
        return "wait"
    if st in VOUCHER_STEP_STATUSES:
        return "voucher"
    return "rebook"  # declined or cancelled


def _booking_page(request, pk: int, action: str | None = None):
    """The booking page; with ``action`` (a step, each its own POST view) the step is taken first,
    and a refusal shows the page again with the errors next to the form (4xx)."""
    booking = get_object_or_404(selectors.bookings_for(request.user), pk=pk)
    note_form = BookingNoteForm()
    rater = services.booking_rater(booking) if booking.status == BookingStatus.COMPLETED else None
    rate_platform = bool(rater and rater.platform)
    rate_form = RatingForm(platform=rate_platform)
    result_form = BookingResultForm()
    if action == "result":
        form = result_form = BookingResultForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.booking_result_upload(booking=booking, by=request.user, upload=form.cleaned_data["result"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "订单结果已上传，已通知预约方确认。")
                return redirect("catalog:booking", pk=booking.pk)
    elif action is not None:
        if action == "rate":
            form = rate_form = RatingForm(request.POST, platform=rate_platform)
        else:
            form = note_form = BookingNoteForm(request.POST)
        if form.is_valid():
            try:
                _booking_step(booking, request.user, action, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"预约 {booking.number}：{STEP_DONE.get(action, '已保存。')}")
                return redirect("catalog:booking", pk=booking.pk)
    is_institution_side = is_institution_member(request.user, booking.institution)
    st = booking.status
    answer_due, overdue = selectors.booking_deadline(booking)
    # The buttons are the moves the workflow offers; a blocked one shows its reason instead.
    moves = services.booking_moves(booking, request.user)
    blocked = services.booking_blocked(booking, request.user)
    result_needed = services.booking_result_needed(booking)
    return render(
        request,
        "catalog/booking_detail.html",
        {
            "booking": booking,
            "events": booking.events.select_related("actor"),
            "note_form": note_form,
            "rate_form": rate_form,
            "is_institution_side": is_institution_side,
            "can_answer": "accept" in moves,
            "can_decline": "decline" in moves,
            "can_start": "start" in moves,
            "can_complete": "complete" in moves,
            "can_cancel": "cancel" in moves,
            "can_rate": "rate" in moves,
            "blocked": blocked,
            "result_form": result_form,
            "result_needed": result_needed,
            # Only where the scheme has the order result (Henan); a refused upload shows its reason.
            "can_upload_result": is_institution_side
            and st in services.RESULT_STATUSES
            and (services.booking_result_step(booking) or bool(result_form.errors)),
            "next_step": _next_step(booking, is_institution_side=is_institution_side, result_needed=result_needed),
            "answer_due": answer_due,
            "answer_workdays": selectors.BOOKING_ANSWER_WORKDAYS,
            "overdue": overdue,
            "voucher_eligible": (booking.instrument or booking.service).voucher_eligible,
            "voucher_step": services.voucher_step(booking),
            # An instant slot the system confirmed: the voucher order still waits for the
            # institution's 受理 where the scheme has one (services.booking_request_slot).
            "system_confirmed": st != BookingStatus.REQUESTED and selectors.accepted_by_system(booking),
            "item_url": (
                reverse("catalog:instrument", args=[booking.instrument_id])
                if booking.instrument_id
                else reverse("catalog:service", args=[booking.service_id])
            ),
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if action else 200,
    )


booking_accept = _post_view(_booking_page, "booking_accept", "accept")
booking_decline = _post_view(_booking_page, "booking_decline", "decline")
booking_start = _post_view(_booking_page, "booking_start", "start")
booking_complete = _post_view(_booking_page, "booking_complete", "complete")
booking_cancel = _post_view(_booking_page, "booking_cancel", "cancel")
booking_rate = _post_view(_booking_page, "booking_rate", "rate")
booking_result = _post_view(_booking_page, "booking_result", "result")


@login_required
@require_safe
def booking_result_file(request, pk: int):
    """The order result, for the booking's two parties only (bookings_for)."""
    booking = get_object_or_404(selectors.bookings_for(request.user), pk=pk)
    if not booking.result:
        raise Http404("尚未上传订单结果。")
    return uploads.serve(booking.result, download_name=f"{booking.number}-订单结果")


# --- Institution self-service ----------------------------------------------------------------


@login_required
@require_safe
def manage(request):
    return _manage_page(request)


def _manage_page(request, action: str | None = None):
    """The institution's self-service page; with ``action`` (geocode, move or profile, each
    its own POST view) the change is made first, and a refusal shows the page with errors (4xx)."""
    _require_institution_user(request.user)
    org = request.user.organisation
    inst = services.institution_ensure_profile(organisation=org)
    profile_form = InstitutionProfileForm(instance=inst, organisation=org)
    move_form = MoveForm(initial={"lng": org.location.x, "lat": org.location.y} if org.location else None)
    if action is not None:
        try:
            if action == "profile":
                profile_form = InstitutionProfileForm(
                    request.POST, instance=Institution.objects.get(pk=inst.pk), organisation=org
                )
                if profile_form.is_valid():
                    fields = {f: profile_form.cleaned_data[f] for f in profile_form.changed_data}
                    services.institution_update(institution=inst, by=request.user, fields=fields)
                    messages.success(request, "机构资料已保存。")
                    return redirect("catalog:manage")
            elif action == "geocode":
                _, note = services.institution_geocode(institution=inst, by=request.user)
                messages.info(request, note)
                return redirect("catalog:manage")
            else:  # "move"
                move_form = MoveForm(request.POST)
                if move_form.is_valid():
                    services.institution_move(
                        institution=inst,
                        by=request.user,
                        point=move_form.cleaned_data["point"],
                        note="机构手动定位",
                    )
                    messages.success(request, "位置已更新。")
                    return redirect("catalog:manage")
        except ValidationError as exc:
            apply_service_errors(profile_form if action == "profile" else move_form, exc)
        inst.refresh_from_db()
        org.refresh_from_db()
    point = org.location or (org.region.center if org.region else None)
    items = selectors.items_of(inst)
    for group in items.values():
        for item in group:
            item.pending_rows = _pending_rows(item)
    return render(
        request,
        "catalog/manage.html",
        {
            "inst": inst,
            "org": org,
            "profile_form": profile_form,
            "move_form": move_form,
            "map_document": _location_map(point, org.name, draggable=True, zoom=14) if point else "",
            **items,
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if action else 200,
    )


manage_geocode = _post_view(_manage_page, "manage_geocode", "geocode")
manage_move = _post_view(_manage_page, "manage_move", "move")
manage_profile = _post_view(_manage_page, "manage_profile", "profile")


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, kind: str, pk: int | None = None):
    _item_model(kind)  # 404 for an unknown kind
    form_class = ITEM_FORMS[kind]
    if pk is None:
        _require_institution_user(request.user)
        item, initial = None, None
    else:
        item = _own_item(request.user, kind, pk)
        # Show what the institution last asked for, not only the published version.
        initial = {**model_to_dict(item, fields=form_class._meta.fields), **item.pending_changes}
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                inst = services.institution_ensure_profile(organisation=request.user.organisation)
                item = services.item_create(institution=inst, by=request.user, kind=kind, data=form.service_data())
                messages.success(request, "已提交，平台运营单位审核通过后公开。")
            else:
                item = services.item_update(item=item, by=request.user, data=form.service_data())
                if item.review_status == ReviewStatus.CHANGES_PENDING:
                    messages.success(request, "已保存。开关类设置已生效，其他修改待平台审核后公开。")
                else:
                    messages.success(request, "已保存。")
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.cleaned_data.get("photo"):
                services.item_set_photo(item=item, by=request.user, upload=form.cleaned_data["photo"])
            return redirect("catalog:manage")
    return render(
        request,
        "catalog/item_form.html",
        {
            "form": form,
            "item": item,
            "kind": kind,
            "kind_label": ListingKind(kind).label,
            "pending_rows": _pending_rows(item) if item else [],
            "history": selectors.item_history(kind, item) if item else [],
        },
        # A POST that gets here was refused (every success redirects): say so with a 4xx.
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def item_withdraw(request, kind: str, pk: int):
    item = _own_item(request.user, kind, pk)
    try:
        services.item_withdraw(item=item, by=request.user, note=request.POST.get("note", "")[:300])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已下架：{item.name}")
    return redirect("catalog:manage")


# --- Operator review -------------------------------------------------------------------------


@login_required
def review_queue(request):
    if not _is_operator(request.user):
        raise PermissionDenied
    return render(request, "catalog/review_queue.html", {"queue": selectors.item_review_queue()})


@login_required
@require_http_methods(["GET", "POST"])
def review_item(request, kind: str, pk: int):
    if not _is_operator(request.user):
        raise PermissionDenied
    model = _item_model(kind)
    item = get_object_or_404(model.objects.select_related("institution__organisation"), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_review(
                item=item,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"审核意见已保存：{item.name}")
            return redirect("catalog:review")
    fields = ITEM_FORMS[kind]._meta.fields
    return render(
        request,
        "catalog/review_item.html",
        {
            "item": item,
            "kind": kind,
            "kind_label": ListingKind(kind).label,
            "facts": [
                {
                    "label": _field_label(model, f),
                    "value": _display(model, f, getattr(item, f)),
                }
                for f in fields
            ],
            "pending_rows": _pending_rows(item),
            "form": form,
            "waiting": item.review_status in (ReviewStatus.PENDING, ReviewStatus.CHANGES_PENDING),
            "history": selectors.item_history(kind, item),
        },
    )
