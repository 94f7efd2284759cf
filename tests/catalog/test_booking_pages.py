"""The booking pages a person uses on a phone (issue #13): the week's slot grid, the sample
booking's service cycle, the booking's next step and the institution's queue.

Time stands at Monday 2026-09-28 09:10 (Beijing): that week Thursday 1 and Friday 2 October
are National Day holidays, and the next week's Monday to Wednesday too. Personas: Alice
books from ``lab``; Mallory is another enterprise; ``rival`` another institution.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from catalog import selectors, services
from catalog.models import Booking, BookingStatus
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 9, 28)
CELL = re.compile(r'<td class="[^"]*" data-state="(\w+)" data-start="([^"]+)" data-end="[^"]+"[^>]*>(.*?)</td>')


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, day: dt.date, hhmm: str) -> None:
        self.now = at(day, hhmm)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(at(MONDAY, "09:10"))
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def lab(olivia):
    return factories.listed_institution(username="lab", name="贺兰山分析测试中心")


@pytest.fixture
def rival(olivia):
    return factories.listed_institution(username="rival", name="鼓楼检测所", lng=106.29, lat=38.472)


@pytest.fixture
def sem(lab, olivia, clock):
    """Machine time, Monday to Friday 08:30–17:30, 300 元/小时."""
    return factories.approved_item(lab, name="扫描电子显微镜", operator=olivia)


@pytest.fixture
def water(lab, olivia, clock):
    return factories.approved_item(lab, kind="service", name="水质全分析", cycle_days=7, operator=olivia)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def page(response) -> str:
    return response.content.decode()


def cells(html: str) -> dict[str, tuple[str, str]]:
    """``{"2026-09-29T10:00": ("busy", cell html)}`` for every cell of the grid."""
    return {start: (state, inner) for state, start, inner in CELL.findall(html)}


def slot(sem, user, when: dt.date, start: str, end: str) -> Booking:
    return services.booking_request_slot(instrument=sem, by=user, starts_at=at(when, start), ends_at=at(when, end))


# --- The slot grid ---------------------------------------------------------------------------


def test_the_grid_draws_free_busy_closed_and_past_cells(client, lab, sem, alice, mallory):
    held = slot(sem, mallory, day(1), "10:00", "12:00")
    services.booking_answer(booking=held, by=lab, accept=True)
    slot(sem, mallory, day(2), "14:00", "15:00")  # only requested: holds nothing yet
    client.force_login(alice)

    html = page(client.get(f"/catalog/instruments/{sem.pk}/book/"))
    grid = cells(html)

    assert len(grid) == 7 * 20  # seven days × half hours from 08:00 to 18:00
    for t in ("10:00", "10:30", "11:00", "11:30"):
        assert grid[f"2026-09-29T{t}"][0] == "busy"  # the held booking
    assert grid["2026-09-29T09:30"][0] == "free" and grid["2026-09-29T12:00"][0] == "free"
    assert grid["2026-09-30T14:00"][0] == "free"  # a request holds no slot
    assert grid["2026-09-28T09:00"][0] == "past" and grid["2026-09-28T09:30"][0] == "free"
    assert grid["2026-09-28T08:00"][0] == "closed"  # before the 08:30 opening
    assert grid["2026-09-29T17:30"][0] == "closed"  # after the 17:30 closing
    for d in ("2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"):  # National Day, weekend
        assert {state for start, (state, _) in grid.items() if start.startswith(d)} == {"closed"}
    assert re.search(r'data-date="2026-10-01">10-01<span class="wd">周四</span><span class="why">节假日', html)
    assert re.search(r'data-date="2026-10-03">10-03<span class="wd">周六</span><span class="why">不开放', html)
    # A free cell is a link to the form with that step; busy, closed and past ones are not.
    free = html_lib.unescape(grid["2026-09-29T09:30"][1])
    assert f"/catalog/instruments/{sem.pk}/book/?week=2026-09-28&starts_at=2026-09-29T09%3A30" in free
    assert "ends_at=2026-09-29T10%3A00#book-form" in free
    assert all("<a" not in inner for state, inner in grid.values() if state != "free")
    assert "本周已占用" in html and "09-29 周二 10:00–12:00" in html


def test_a_free_cell_link_fills_the_form_and_the_form_still_takes_typed_times(client, sem, alice):
    client.force_login(alice)
    html = page(client.get(f"/catalog/instruments/{sem.pk}/book/?starts_at=2026-09-29T13:00&ends_at=2026-09-29T13:30"))
    assert 'name="starts_at" value="2026-09-29T13:00"' in html
    assert 'name="ends_at" value="2026-09-29T13:30"' in html
    # Nonsense in the prefill leaves the fields empty: no error, no 500.
    response = client.get(f"/catalog/instruments/{sem.pk}/book/?starts_at=tomorrow&ends_at=2026-09-29T25:99")
    assert response.status_code == 200 and 'name="starts_at" value=' not in page(response)

    response = client.post(
        f"/catalog/instruments/{sem.pk}/book/?week=2026-09-28",
        {"starts_at": "2026-09-29T13:00", "ends_at": "2026-09-29T14:30", "note": ""},
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == f"/catalog/bookings/{booking.pk}/"
    assert booking.starts_at == at(day(1), "13:00") and booking.amount == Decimal("450.00")


def test_the_server_still_refuses_a_slot_the_grid_shows_busy(client, lab, sem, alice, mallory):
    services.booking_answer(booking=slot(sem, mallory, day(1), "10:00", "12:00"), by=lab, accept=True)
    response = client.force_login(alice) or client.post(
        f"/catalog/instruments/{sem.pk}/book/", {"starts_at": "2026-09-29T11:00", "ends_at": "2026-09-29T11:30"}
    )
    assert response.status_code == 400 and "该时段已被预约" in page(response)
    assert Booking.objects.filter(enterprise=alice.organisation).count() == 0
    # ... and a closed day (National Day) and hours outside the opening too.
    for start, end in (("2026-10-01T10:00", "2026-10-01T11:00"), ("2026-09-29T07:00", "2026-09-29T08:00")):
        response = client.post(f"/catalog/instruments/{sem.pk}/book/", {"starts_at": start, "ends_at": end})
        assert response.status_code == 400 and "errorlist" in page(response)
    assert Booking.objects.filter(enterprise=alice.organisation).count() == 0


def test_week_navigation_moves_by_seven_days_and_never_into_the_past(client, sem, alice):
    client.force_login(alice)
    html = page(client.get(f"/catalog/instruments/{sem.pk}/book/"))
    assert 'rel="prev"' not in html  # this week: nothing earlier to book
    assert 'href="?week=2026-10-05#slot-grid" rel="next"' in html

    html = page(client.get(f"/catalog/instruments/{sem.pk}/book/?week=2026-10-05"))
    grid = cells(html)
    assert min(grid)[:10] == "2026-10-05" and max(grid)[:10] == "2026-10-11"
    assert {s for k, (s, _) in grid.items() if k.startswith("2026-10-07")} == {"closed"}  # still National Day
    assert grid["2026-10-08T09:00"][0] == "free"
    assert 'href="?week=2026-09-28#slot-grid" rel="prev"' in html
    assert 'href="?week=2026-10-12#slot-grid" rel="next"' in html
    assert "10月5日–10月11日" in html

    # A week starting in the past shows from today.
    assert min(cells(page(client.get(f"/catalog/instruments/{sem.pk}/book/?week=2026-01-05"))))[:10] == "2026-09-28"


@pytest.mark.parametrize("week", ["abc", "2026-13-45", "2026-02-30", "x" * 5000, "%00", "2026-10-05T99", "-1"])
def test_a_bad_week_parameter_shows_this_week_with_a_note(client, sem, alice, week):
    client.force_login(alice)
    response = client.get(f"/catalog/instruments/{sem.pk}/book/", {"week": week})
    assert response.status_code == 200
    html = page(response)
    assert min(cells(html))[:10] in ("2026-09-28", "2026-10-05")
    if min(cells(html))[:10] == "2026-09-28":
        assert "日期参数无效" in html


def test_a_week_beyond_the_booking_horizon_is_clamped(client, sem, alice):
    client.force_login(alice)
    html = page(client.get(f"/catalog/instruments/{sem.pk}/book/?week=2099-01-01"))
    assert f"最多可预约 {services.BOOKING_HORIZON_DAYS} 天内的机时" in html
    assert 'rel="next"' not in html


def test_the_instrument_page_grid_links_free_cells_only_for_those_who_may_book(client, lab, sem, alice, olivia, bob):
    book = f"/catalog/instruments/{sem.pk}/book/?week="
    client.force_login(alice)
    assert book in html_lib.unescape(page(client.get(f"/catalog/instruments/{sem.pk}/")))
    for user in (lab, olivia, bob):  # roles that would get a 403 on the booking page
        client.force_login(user)
        html = page(client.get(f"/catalog/instruments/{sem.pk}/"))
        assert "预约日历" in html and 'data-state="free"' in html
        assert book not in html_lib.unescape(html)
    client.logout()
    html = html_lib.unescape(page(client.get(f"/catalog/instruments/{sem.pk}/")))
    assert 'data-state="free"' in html and book not in html


def test_roles_that_cannot_book_see_the_grid_read_only_with_the_reason(client, sem, lab):
    client.force_login(lab)
    response = client.get(f"/catalog/instruments/{sem.pk}/book/")
    html = page(response)
    assert response.status_code == 403 and "只有创新主体" in html
    assert 'data-state="free"' in html and "#book-form" not in html and 'id="book-form"' not in html


# --- Sample testing by quantity --------------------------------------------------------------


def test_a_quantity_booking_shows_the_service_cycle_and_the_expected_completion(client, lab, water, olivia, alice):
    xrd = factories.approved_item(
        lab, name="X射线衍射仪", booking_mode="sample", unit="元/样品", service_cycle_days=5, operator=olivia
    )
    client.force_login(alice)
    html = page(client.get(f"/catalog/instruments/{xrd.pk}/book/"))
    assert "检测周期" in html and "5 天" in html and "2026-10-03" in html
    assert "预约日历" not in html
    html = page(client.get(f"/catalog/services/{water.pk}/book/"))
    assert "服务周期" in html and "7 天" in html and "预计 <strong>2026-10-05</strong> 完成" in html

    client.post(f"/catalog/services/{water.pk}/book/", {"quantity": "2"})
    assert Booking.objects.get().expected_date == dt.date(2026, 10, 5)  # what the page said


# --- The booking's next step -----------------------------------------------------------------


def test_an_accepted_booking_points_the_applicant_to_the_voucher(client, lab, water, alice):
    factories.ningxia_policy(2026)
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    client.force_login(alice)
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    assert "下一步" in html and "等待服务机构确认" in html and "2026-09-30" in html  # 2 working days

    services.booking_answer(booking=booking, by=lab, accept=True)
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    assert f'action="/vouchers/contracts/from-booking/{booking.pk}/"' in html
    assert "申领创新券</button>" in html and "由推荐部门→运营单位→创业中心审核" in html

    response = client.post(f"/vouchers/contracts/from-booking/{booking.pk}/")
    assert response.status_code == 302
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    number = Booking.objects.get(pk=booking.pk).contract.number
    assert f"合同 <strong>{number}</strong>" in html and "查看创新券合同" in html
    assert "/vouchers/contracts/from-booking/" not in html


@pytest.mark.parametrize(
    ("preset", "words", "form"),
    [
        # Henan: the order is submitted while the booking waits (受理即接受本预约).
        ("henan", ["提交创新券订单</button>", "由服务机构受理（受理即接受本预约），运营单位审核"], True),
        ("jiangsu", ["使用创新券</button>", "提交即按本年度额度核定创新券，无需审核"], True),
        ("zhejiang", ["创新券使用登记</a>", "选择兑付方（企业兑付或载体兑付）", "无需科技部门审批"], False),
    ],
)
def test_the_voucher_step_speaks_the_schemes_words(client, lab, water, alice, preset, words, form):
    """Each province's users know the step by its own name: Henan submits a voucher order,
    Jiangsu uses its voucher on the order, Zhejiang registers the use after the service
    (its link appears once the service is completed; the list offers no step before)."""
    from vouchers.policies.presets import install_preset

    install_preset(key=preset, year=timezone.localdate().year)
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    if preset != "henan":
        services.booking_answer(booking=booking, by=lab, accept=True)
    client.force_login(alice)
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    if not form:
        assert "服务完成后即可进行<strong>创新券使用登记</strong>" in html and "/vouchers/uses/?booking=" not in html
        listed = page(client.get("/catalog/bookings/"))
        assert f'href="/catalog/bookings/{booking.pk}/#next-step"' not in listed
        services.booking_start(booking=booking, by=lab)
        services.booking_complete(booking=booking, by=lab)
        html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    for word in words:
        assert word in html
    assert (f'action="/vouchers/contracts/from-booking/{booking.pk}/"' in html) is form
    assert (f'href="/vouchers/uses/?booking={booking.pk}"' in html) is not form
    if form:
        listed = page(client.get("/catalog/bookings/"))
        assert f'href="/catalog/bookings/{booking.pk}/#next-step">{words[0].split("<")[0]}</a>' in listed


def test_the_institution_sees_its_deadline_and_not_the_voucher_step(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    client.force_login(lab)
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    assert "请接受或拒绝本预约" in html and "2026-09-30" in html and 'href="#booking-actions"' in html
    services.booking_answer(booking=booking, by=lab, accept=True)
    html = page(client.get(f"/catalog/bookings/{booking.pk}/"))
    assert "开始服务" in html and "from-booking" not in html


def test_an_item_without_vouchers_offers_no_voucher_step(client, lab, olivia, alice, clock):
    plain = factories.approved_item(lab, kind="service", name="委托设计", voucher_eligible=False, operator=olivia)
    booking = services.booking_request_quantity(item=plain, by=alice, quantity=Decimal("1"))
    services.booking_answer(booking=booking, by=lab, accept=True)
    html = page(client.force_login(alice) or client.get(f"/catalog/bookings/{booking.pk}/"))
    assert "不可使用科技创新券" in html and "from-booking" not in html


# --- The institution's queue -----------------------------------------------------------------


@pytest.fixture
def queue(clock, lab, sem, water, alice, mallory):
    """Lab's bookings: one request from two weeks ago (overdue), one whose slot began this
    morning (overdue), a fresh one, an accepted one, and a declined and a completed one."""
    clock.set(day(-14), "10:00")
    old = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    clock.set(day(-3), "10:00")  # Friday
    begun = slot(sem, mallory, day(0), "08:30", "09:00")
    clock.set(day(-3), "11:00")
    declined = services.booking_request_quantity(item=water, by=mallory, quantity=Decimal("3"))
    services.booking_answer(booking=declined, by=lab, accept=False, note="设备检修")
    done = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("4"))
    services.booking_answer(booking=done, by=lab, accept=True)
    services.booking_start(booking=done, by=lab)
    services.booking_complete(booking=done, by=lab)
    accepted = services.booking_request_quantity(item=water, by=mallory, quantity=Decimal("5"))
    services.booking_answer(booking=accepted, by=lab, accept=True)
    clock.set(day(0), "09:10")
    fresh = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("6"))
    return {"old": old, "begun": begun, "fresh": fresh, "accepted": accepted, "declined": declined, "done": done}


def section(html: str, css: str) -> str:
    start = html.index(f'class="table bookings {css}"')
    return html[start : html.index("</table>", start)]


def test_the_queue_splits_pending_from_finished_and_flags_the_overdue(client, lab, queue):
    client.force_login(lab)
    html = page(client.get("/catalog/bookings/"))
    pending, finished = section(html, "queue-open"), section(html, "queue-other")
    for key in ("old", "begun", "fresh", "accepted"):
        assert queue[key].number in pending and queue[key].number not in finished
    for key in ("declined", "done"):
        assert queue[key].number in finished and queue[key].number not in pending
    assert "待处理（4，其中逾期 2）" in html and "已完成/其他（2）" in html
    assert re.search(r'class="count-open">4<', html) and re.search(r"逾期 <strong>2</strong>", html)
    rows = re.findall(r'<tr class="(overdue)?" data-booking="(\w+)"', pending)
    assert [n for flag, n in rows if flag] == [queue["old"].number, queue["begun"].number]  # first, oldest first
    assert [n for flag, n in rows][:2] == [queue["old"].number, queue["begun"].number]
    assert "超过 2 个工作日未答复" in pending and "时段已开始仍未确认" in pending
    assert "期限 09-30" in pending  # the fresh request: two working days from Monday


def test_the_overdue_limit_counts_working_days_not_calendar_days(clock, lab, water, alice):
    clock.set(day(2), "16:00")  # Wednesday 30 September, before the National Day week
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    assert selectors.booking_deadline(booking)[0] == dt.date(2026, 10, 9)  # 8th and 9th are the 2 working days
    clock.set(dt.date(2026, 10, 8), "10:00")
    assert selectors.booking_deadline(booking)[1] == ""
    clock.set(dt.date(2026, 10, 10), "10:00")
    assert selectors.booking_deadline(booking)[1] == "超过 2 个工作日未答复"


def test_the_status_filter_still_narrows_both_lists(client, lab, queue):
    client.force_login(lab)
    html = page(client.get("/catalog/bookings/?status=declined"))
    assert queue["declined"].number in html and queue["old"].number not in html
    assert "待处理（0）" in html
    assert page(client.get("/catalog/bookings/?status=nonsense")).count("data-booking=") == 6


def test_the_applicant_sees_her_own_bookings_split_and_no_one_elses(client, alice, queue):
    client.force_login(alice)
    html = page(client.get("/catalog/bookings/"))
    assert "进行中（2，其中逾期 1）" in html and "已结束（1）" in html
    for key in ("begun", "declined", "accepted"):  # Mallory's
        assert queue[key].number not in html


def test_an_outsider_institution_sees_nothing_of_another_queue(client, rival, mallory, queue):
    client.force_login(rival)
    html = page(client.get("/catalog/bookings/"))
    assert "待处理（0）" in html and "已完成/其他（0）" in html
    for booking in queue.values():
        assert booking.number not in html
        assert client.get(f"/catalog/bookings/{booking.pk}/").status_code == 404
    client.force_login(mallory)  # another enterprise: not Alice's bookings either
    assert client.get(f"/catalog/bookings/{queue['old'].pk}/").status_code == 404


def test_booking_status_strings_are_the_enum_values():
    assert set(selectors.INSTITUTION_TODO) <= set(BookingStatus.values)


def test_the_applicants_list_links_an_accepted_booking_to_its_voucher_step(client, lab, water, alice):
    booking = services.booking_request_quantity(item=water, by=alice, quantity=Decimal("1"))
    services.booking_answer(booking=booking, by=lab, accept=True)
    html = page(client.force_login(alice) or client.get("/catalog/bookings/"))
    assert f'href="/catalog/bookings/{booking.pk}/#next-step">申领创新券</a>' in section(html, "queue-open")


# --- Completing machine time -----------------------------------------------------------------


def test_the_institution_completes_machine_time_only_after_the_slot(client, lab, sem, alice, rival):
    booking = slot(sem, alice, day(1), "10:00", "12:00")
    services.booking_answer(booking=booking, by=lab, accept=True)
    client.force_login(lab)
    url = f"/catalog/bookings/{booking.pk}/"
    html = page(client.get(url))
    assert "时段结束（2026-09-29 12:00）后确认服务完成" in html
    assert client.post(f"{url}start/", {"note": ""}).status_code == 302

    html = page(client.get(url))
    assert "暂不能确认服务完成" in html and "预约时段结束（2026-09-29 12:00）后才能确认服务完成" in html
    assert f'formaction="{url}complete/"' not in html
    refused = client.post(f"{url}complete/", {"note": ""})
    assert refused.status_code == 400 and "预约时段结束" in page(refused)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.IN_SERVICE

    client.force_login(rival)
    assert client.post(f"{url}complete/", {"note": ""}).status_code == 404
    client.force_login(alice)
    assert client.post(f"{url}complete/", {"note": ""}).status_code == 403
    assert "暂不能确认服务完成" not in page(client.get(url))  # not the applicant's step


def test_after_the_slot_the_institution_completes_it(client, clock, lab, sem, alice):
    booking = slot(sem, alice, day(1), "10:00", "12:00")
    services.booking_answer(booking=booking, by=lab, accept=True)
    client.force_login(lab)
    url = f"/catalog/bookings/{booking.pk}/"
    client.post(f"{url}start/", {"note": ""})
    clock.set(day(1), "12:00")
    html = page(client.get(url))
    assert f'formaction="{url}complete/"' in html and "暂不能确认服务完成" not in html
    assert client.post(f"{url}complete/", {"note": "数据已交付"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.events.filter(to_status=BookingStatus.COMPLETED, actor=lab).exists()
