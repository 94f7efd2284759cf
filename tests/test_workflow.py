"""The one transition helper every workflow moves through: tables name real statuses, a
refused move changes nothing and records nothing, an allowed one records who moved what."""

from __future__ import annotations

import pytest

from accounts.models import CertificationEvent, CertStatus
from accounts.services import CERT_TRANSITIONS
from catalog.models import BookingEvent, BookingStatus, ItemEvent, ReviewStatus
from catalog.services import BOOKING_TRANSITIONS, ITEM_TRANSITIONS
from mapsite.workflow import InvalidTransition, move
from tests import factories
from vouchers.transitions import WORKFLOWS as VOUCHER_WORKFLOWS

WORKFLOWS = {
    "certification": (CERT_TRANSITIONS, CertStatus, CertificationEvent),
    "item review": (ITEM_TRANSITIONS, ReviewStatus, ItemEvent),
    "booking": (BOOKING_TRANSITIONS, BookingStatus, BookingEvent),
    **{w.subject: (w.table, w.labels, w.event) for w in VOUCHER_WORKFLOWS.values()},
}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_transition_table_names_only_statuses_its_event_rows_can_hold(name):
    table, labels, event = WORKFLOWS[name]
    statuses = set(labels.values)
    assert set(table) <= statuses
    assert {to for targets in table.values() for to in targets} <= statuses
    assert set(dict(event._meta.get_field("to_status").choices)) == statuses


@pytest.mark.django_db
def test_a_refused_move_keeps_the_status_and_writes_no_audit_row(alice, ivan_lab, olivia):
    booking = factories.accepted_booking(alice, ivan_lab, operator=olivia)
    rows = BookingEvent.objects.filter(booking=booking).count()

    with pytest.raises(InvalidTransition) as refused:
        move(
            booking,
            BookingStatus.RATED,
            table=BOOKING_TRANSITIONS,
            labels=BookingStatus,
            event=BookingEvent,
            subject="预约",
            booking=booking,
            actor=alice,
        )

    assert refused.value.messages == ["预约不能从“已接受”变为“已评价”。"]
    assert booking.status == BookingStatus.ACCEPTED
    assert BookingEvent.objects.filter(booking=booking).count() == rows


@pytest.mark.django_db
def test_an_allowed_move_records_who_moved_it_from_where_to_where(alice, ivan_lab, olivia):
    booking = factories.accepted_booking(alice, ivan_lab, operator=olivia)

    move(
        booking,
        BookingStatus.IN_SERVICE,
        table=BOOKING_TRANSITIONS,
        labels=BookingStatus,
        event=BookingEvent,
        booking=booking,
        actor=ivan_lab,
        note="样品已收到",
    )

    last = BookingEvent.objects.filter(booking=booking).latest("id")
    assert (last.actor, last.from_status, last.to_status, last.note) == (
        ivan_lab,
        BookingStatus.ACCEPTED,
        BookingStatus.IN_SERVICE,
        "样品已收到",
    )
    assert booking.status == BookingStatus.IN_SERVICE
