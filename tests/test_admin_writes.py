"""The admin writes through the services (#11): what a superuser edits in the admin's own
change forms reaches the search index, is validated like the centre's page, or is shown
read-only; the holiday admin marks its edits so a reseed keeps them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from catalog.models import Instrument, Listing, ListingCell, ListingKind
from tests import factories
from vouchers.models import Policy, Voucher
from workdays.calendar import is_workday
from workdays.models import CalendarYear, DayException

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _serialise(value):
    if value is True:
        return "on"
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    if isinstance(value, dt.date | dt.time | Decimal | int):
        return str(value)
    return value


def _form_data(client, user, obj, **changes) -> dict:
    """What the admin's change form of ``obj`` posts back unchanged (read from the change page,
    inlines included), plus ``changes``."""
    client.force_login(user)
    page = client.get(_change_url(obj))
    assert page.status_code == 200
    forms = [page.context["adminform"].form]
    data: dict = {}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue  # an empty file input keeps the stored file
            data[form.add_prefix(name)] = _serialise(value)
    data.update(changes)
    data["_save"] = "保存"
    return data


def _post(client, user, obj, **changes):
    response = client.post(_change_url(obj), _form_data(client, user, obj, **changes))
    if response.status_code == 200 and response.context and "adminform" in response.context:
        pytest.fail(f"admin form refused: {response.context['adminform'].form.errors}")
    return response


def _cells(**filters) -> int:
    return ListingCell.objects.filter(level=0, **filters).aggregate(n=Sum("n"))["n"] or 0


# --- catalogue items and institutions -----------------------------------------------------------


def test_an_instruments_name_and_price_edited_in_the_admin_reach_the_search(client, root, olivia, ivan_lab):
    sem = factories.approved_item(ivan_lab, name="扫描电子显微镜", price=Decimal("300"), operator=olivia)
    response = _post(client, root, sem, name="场发射透射电子显微镜", price="480.00")
    assert response.status_code == 302
    row = Listing.objects.get(kind=ListingKind.INSTRUMENT, item_id=sem.pk)
    assert (row.name, row.price) == ("场发射透射电子显微镜", Decimal("480.00"))
    found = client.get("/api/map/search/", {"q": "透射电子显微镜"}).json()
    assert [f["properties"]["name"] for f in found["features"]] == ["场发射透射电子显微镜"]


def test_an_instrument_moved_in_the_admin_moves_its_map_cells(client, root, olivia, ivan_lab):
    sem = factories.approved_item(ivan_lab, operator=olivia)
    before = Listing.objects.get(kind=ListingKind.INSTRUMENT, item_id=sem.pk)
    guyuan = Point(106.2420, 36.0110, srid=4326)  # 原州区, 640402
    assert _cells(kind=ListingKind.INSTRUMENT, region_id=640402) == 0
    assert _post(client, root, sem, location=guyuan.ewkt).status_code == 302
    after = Listing.objects.get(kind=ListingKind.INSTRUMENT, item_id=sem.pk)
    assert after.region_id == 640402 and after.region_id != before.region_id
    assert after.location.distance(guyuan) < 1e-9
    assert _cells(kind=ListingKind.INSTRUMENT, region_id=640402) == 1
    assert _cells(kind=ListingKind.INSTRUMENT, region_id=before.region_id) == 0


def test_an_instrument_deleted_in_the_admin_leaves_the_index(client, root, olivia, ivan_lab):
    sem = factories.approved_item(ivan_lab, operator=olivia)
    client.force_login(root)
    url = reverse("admin:catalog_instrument_delete", args=[sem.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Instrument.objects.filter(pk=sem.pk).exists()
    assert not Listing.objects.filter(kind=ListingKind.INSTRUMENT, item_id=sem.pk).exists()
    assert _cells(kind=ListingKind.INSTRUMENT) == 0


def test_an_item_edit_in_the_admin_is_validated_like_the_institutions(client, root, olivia, ivan_lab):
    sem = factories.approved_item(ivan_lab, operator=olivia)
    response = client.post(_change_url(sem), _form_data(client, root, sem, open_from="18:00", open_until="08:00"))
    assert response.status_code == 200
    assert "开放结束时间须晚于开始时间" in response.content.decode()


def test_an_institutions_kind_edited_in_the_admin_reaches_the_search(client, root, ivan_lab):
    inst = ivan_lab.organisation.institution
    assert _post(client, root, inst, kind="public_test_agency").status_code == 302
    assert Listing.objects.get(kind=ListingKind.INSTITUTION, item_id=inst.pk).category == "public_test_agency"


def test_an_institution_moved_on_the_admin_map_moves_in_the_search(client, root, olivia, ivan_lab):
    org = ivan_lab.organisation
    sem = factories.approved_item(ivan_lab, operator=olivia)  # no point of its own: the institution's
    guyuan = Point(106.2420, 36.0110, srid=4326)  # 原州区, 640402
    assert _post(client, root, org, location=guyuan.ewkt, registered_address="固原市原州区文化路1号").status_code == 302
    org.refresh_from_db()
    assert org.region_id == 640402  # the county follows the point
    for kind, item_id in ((ListingKind.INSTITUTION, org.pk), (ListingKind.INSTRUMENT, sem.pk)):
        row = Listing.objects.get(kind=kind, item_id=item_id)
        assert row.region_id == 640402 and row.location.distance(guyuan) < 1e-9
    assert "文化路" in Listing.objects.get(kind=ListingKind.INSTITUTION, item_id=org.pk).search_text
    assert _cells(region_id=640402) == 2


def test_the_organisation_admin_refuses_a_point_outside_ningxia_for_an_in_region_one(client, root, ivan_lab):
    org = ivan_lab.organisation
    xian = Point(108.94, 34.34, srid=4326)
    response = client.post(_change_url(org), _form_data(client, root, org, location=xian.ewkt))
    assert response.status_code == 200 and "区内单位的位置必须在宁夏境内" in response.content.decode()
    org.refresh_from_db()
    assert org.location.distance(xian) > 1


def test_an_organisations_name_is_read_only_in_the_admin(client, root, ivan_lab):
    org = ivan_lab.organisation
    client.force_login(root)
    assert 'name="name"' not in client.get(_change_url(org)).content.decode()
    assert _post(client, root, org, name="改名研究院").status_code == 302
    org.refresh_from_db()
    assert org.name != "改名研究院"  # a name changes by 名称变更, reviewed


# --- policies and contracts -----------------------------------------------------------------------


def test_the_policy_admin_refuses_bad_tiers(client, root):
    policy = factories.ningxia_policy()
    good = policy.tiers
    decreasing = json.dumps([["100000", "0.5"], ["50000", "0.3"], [None, "0.2"]])
    response = client.post(_change_url(policy), _form_data(client, root, policy, tiers=decreasing))
    assert response.status_code == 200 and "各段上限须递增" in response.content.decode()
    too_high = json.dumps([[None, "1.5"]])
    response = client.post(_change_url(policy), _form_data(client, root, policy, tiers=too_high))
    assert response.status_code == 200 and "比例须在 0–1 之间" in response.content.decode()
    policy.refresh_from_db()
    assert policy.tiers == good
    assert _post(client, root, policy, tiers=json.dumps([[200000, 0.5], [None, 0.25]])).status_code == 302
    assert Policy.objects.get(pk=policy.pk).tiers == [["200000", "0.5"], [None, "0.25"]]


def test_contracts_are_view_only_in_the_admin(client, root, alice, ivan_lab):
    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    client.force_login(root)
    page = client.get(_change_url(contract))
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    assert client.post(_change_url(contract), {"amount": "999999"}).status_code == 403
    contract.refresh_from_db()
    assert contract.amount != Decimal("999999")


def test_vouchers_are_view_only_in_the_admin(client, root, alice, bob, olivia, cecilia, ivan_lab):
    from vouchers.contracts import services

    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)
    voucher = Voucher.objects.get(contract=contract)
    client.force_login(root)
    page = client.get(_change_url(voucher))
    assert page.status_code == 200 and 'name="holder"' not in page.content.decode()
    assert client.post(_change_url(voucher), {"holder": str(ivan_lab.organisation_id)}).status_code == 403
    voucher.refresh_from_db()
    assert voucher.holder_id == alice.organisation_id


# --- the holiday table ------------------------------------------------------------------------------


def test_a_holiday_edited_in_the_admin_survives_a_reseed(client, root):
    day = DayException.objects.get(date=dt.date(2026, 10, 5))  # Monday of the National Day week
    assert _post(client, root, day, name="国庆节（中心调整）").status_code == 302
    assert CalendarYear.objects.get(year=2026).source == "centre"
    call_command("workdays_seed", "--commit")
    assert DayException.objects.get(date=dt.date(2026, 10, 5)).name == "国庆节（中心调整）"


def test_a_holiday_deleted_in_the_admin_stays_a_workday_after_a_reseed(client, root):
    client.force_login(root)
    url = reverse("admin:workdays_dayexception_delete", args=["2026-10-05"])
    assert client.post(url, {"post": "yes"}).status_code == 302
    call_command("workdays_seed", "--commit")
    assert is_workday(dt.date(2026, 10, 5)).value is True


def test_the_holiday_admin_refuses_a_day_that_is_the_plain_rule(client, root):
    client.force_login(root)
    response = client.post(
        reverse("admin:workdays_dayexception_add"), {"date": "2027-03-03", "is_workday": "on", "name": "", "_save": "1"}
    )
    assert response.status_code == 200 and "无需登记" in response.content.decode()
    assert not DayException.objects.filter(date=dt.date(2027, 3, 3)).exists()
