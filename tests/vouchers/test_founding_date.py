"""Jiangsu's yearly application and the founding date (注册成立时间), which is the
organisation's: the form and the API take it from the record, the first application records
it there (once, never overwriting), reviewers read the record's, and a migration carried the
dates earlier applications kept to their organisations' records.

Personas: ``zhongshan`` an enterprise in 兴庆区 whose record has no founding date; ``jinling``
one whose record has; Bob 兴庆区's bureau (the authority); Charlie 西夏区's; Mallory another
enterprise; Cecilia the centre.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.models import Organisation
from tests import factories
from tests.vouchers.test_jiangsu_application import applicant, filled
from tests.vouchers.test_jiangsu_gaps import page
from tests.vouchers.test_ningxia_scenario import login, ok
from tests.vouchers.test_province_schemes import XINGQING
from vouchers.entitlements.documents import render_application_html
from vouchers.models import EntitlementClaim

pytestmark = pytest.mark.django_db

HELD = dt.date(2012, 3, 4)


def with_record(username: str = "jinling"):
    """An enterprise whose record holds its founding date (2012-03-04)."""
    factories.applicant_user(username=username, adcode=XINGQING, qualification="tech_sme", founded_on=HELD)
    return login(username)


def without_date(kind: str = "tech_sme", **changes) -> dict:
    data = filled(kind, **changes)
    del data["founded_on"]
    return data


def founded_on(username: str) -> dt.date | None:
    return Organisation.objects.get(users__username=username).founded_on


# --- The first application records it ------------------------------------------------------------


def test_the_first_application_records_the_founding_date_on_the_organisation(jiangsu):
    enterprise = applicant("tech_sme")
    # An application refused for another reason records nothing.
    over = enterprise.post("/api/claims/", filled("tech_sme", revenue="45000"), format="multipart")
    assert over.status_code == 400 and founded_on("zhongshan") is None
    # Without a date and without one on the record: asked for, in Chinese.
    missing = enterprise.post("/api/claims/", without_date(), format="multipart")
    assert missing.status_code == 400 and "请填写注册成立时间" in missing.json()["founded_on"][0]

    claim = ok(enterprise.post("/api/claims/", filled("tech_sme"), format="multipart"), 201)
    assert claim["form"]["founded_on"] == "2015-06-18"
    assert founded_on("zhongshan") == dt.date(2015, 6, 18)
    assert ok(enterprise.get("/api/me/"))["organisation"]["founded_on"] == "2015-06-18"


# --- The form and the API take it from the record -------------------------------------------------


def test_the_wallet_form_shows_the_records_date_and_keeps_it_whatever_is_posted(jiangsu):
    with_record()
    client = page("jinling")
    html = client.get(reverse("vouchers:wallet")).content.decode()
    field = html.split('name="founded_on"')[1].split(">")[0]
    assert 'value="2012-03-04"' in field and "disabled" in field
    assert "取自单位信息；如有误，请联系平台管理员更正" in html

    # A disabled field takes the record's date, not what a tampered form posts.
    posted = client.post(reverse("vouchers:wallet_claim"), filled("tech_sme", founded_on="2020-01-01"))
    assert posted.status_code == 302
    claim = EntitlementClaim.objects.get(organisation__users__username="jinling")
    assert claim.form["founded_on"] == "2012-03-04" and founded_on("jinling") == HELD


def test_the_api_takes_the_records_date_when_left_out_and_refuses_another(jiangsu):
    enterprise = with_record()
    other = enterprise.post("/api/claims/", filled("tech_sme", founded_on="2020-01-01"), format="multipart")
    assert other.status_code == 400 and "以单位信息为准（2012-03-04）" in other.json()["founded_on"][0]
    assert not EntitlementClaim.objects.exists() and founded_on("jinling") == HELD

    claim = ok(enterprise.post("/api/claims/", without_date(), format="multipart"), 201)
    assert claim["form"]["founded_on"] == "2012-03-04"
    assert founded_on("jinling") == HELD


def test_the_same_date_as_the_record_is_taken(jiangsu):
    enterprise = with_record()
    claim = ok(enterprise.post("/api/claims/", filled("tech_sme", founded_on="2012-03-04"), format="multipart"), 201)
    assert claim["form"]["founded_on"] == "2012-03-04"


# --- Reviewers read the record's ------------------------------------------------------------------


def test_the_authority_reads_the_records_date_and_outsiders_do_not(jiangsu, bob, charlie, mallory):
    enterprise = with_record()
    claim = ok(enterprise.post("/api/claims/", without_date(), format="multipart"), 201)

    listed = ok(login("bob").get("/api/claims/"))["results"]
    assert [(c["id"], c["organisation_founded_on"]) for c in listed] == [(claim["id"], "2012-03-04")]
    queue = page("bob").get(reverse("vouchers:claims")).content.decode()
    assert "注册成立时间：2012-03-04" in queue
    printed = render_application_html(EntitlementClaim.objects.get(pk=claim["id"]))
    assert "注册成立时间" in printed and "2012-03-04" in printed

    # Another county's bureau and another enterprise see neither the claim nor the record.
    for outsider in ("charlie", "mallory"):
        client = login(outsider)
        assert ok(client.get("/api/claims/"))["results"] == []
        assert client.get(f"/api/claims/{claim['id']}/").status_code == 404
        assert client.get(f"/api/organisations/{claim['organisation']}/").status_code == 404
        assert "2012-03-04" not in page(outsider).get(reverse("vouchers:claims")).content.decode()


# --- The migration carried the applications' dates to the records ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_carries_the_latest_applications_date_to_the_record(ningxia):
    before = [("accounts", "0009_province_centre_title"), ("vouchers", "0024_plain_province_labels")]
    after = [("vouchers", "0025_founding_date_to_organisation")]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Org, User = old.get_model("accounts", "Organisation"), old.get_model("accounts", "User")
    Policy, Claim = old.get_model("vouchers", "Policy"), old.get_model("vouchers", "EntitlementClaim")
    policy = Policy.objects.create(year=2030, name="江苏", model="quota", entitlement="application", contract_review=[])
    numbers = iter(range(1, 100))

    def org_with(*forms) -> int:
        org = Org.objects.create(name=f"企业{next(numbers)}", kind="enterprise")
        user = User.objects.create(username=f"u{org.pk}", organisation=org)
        for form in forms:  # oldest first
            Claim.objects.create(
                number=f"JSED{next(numbers):07d}",
                organisation=org,
                policy=policy,
                year=2030,
                amount=Decimal("100000"),
                form=form,
                valid_until=dt.date(2030, 12, 31),
                created_by=user,
            )
        return org.pk

    two_years = org_with({"founded_on": "2010-01-01"}, {"founded_on": "2012-03-04"})
    latest_blank = org_with({"founded_on": "2011-05-06"}, {"founded_on": ""})
    unreadable = org_with({"founded_on": "2011-13-45"}, {"founded_on": "3000-01-01"})
    no_date = org_with({})  # a Henan or Zhejiang claim: no form date
    no_claim = org_with()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("accounts", "Organisation")
    dates = dict(new.objects.values_list("pk", "founded_on"))
    assert dates[two_years] == dt.date(2012, 3, 4)
    assert dates[latest_blank] == dt.date(2011, 5, 6)
    assert dates[unreadable] is None and dates[no_date] is None and dates[no_claim] is None

    # Backwards: the column goes, nothing else is undone; forwards again to the leaves.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)
