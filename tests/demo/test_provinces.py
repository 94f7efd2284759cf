"""The demo data of every seed province (宁夏 640000, 河南 410000, 江苏 320000, 浙江 330000):
points inside their declared counties, synthetic numbers that pass their checks, and the
loader's staff organisations, logins and places named and put in the deployment's province.

The other provinces' regions are loaded beside Ningxia's by the ``province`` fixture
(``conftest.py``); each test sets ``PLATFORM_PROVINCE`` as a deployment would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Organisation, OrgKind, User
from accounts.validators import normalise_credit_code, normalise_resident_id
from demo.loader import PROVINCE_DATA, DemoLoader, province_data
from geodata.models import Region

pytestmark = pytest.mark.django_db

PROVINCES = sorted(PROVINCE_DATA)
OTHERS = [p for p in PROVINCES if p != 640000]
# The names the seeds give the platform's own organisations (../shared/seeds/00[1-4]_*).
STAFF_NAMES = {
    640000: ("宁夏科技创新券平台运营中心", "宁夏回族自治区科技创业服务中心"),
    410000: ("河南省科研设施与仪器共享服务平台", "河南省科学技术厅"),
    320000: ("江苏省科技资源统筹服务云平台", "江苏省科技资源统筹服务中心"),
    330000: ("浙江省科技创新云服务平台", "浙江省科学技术厅"),
}
# Ningxia's points were placed 400 m inside; the other provinces' at least 300 m.
MIN_BORDER_M = 300


def places(module) -> list[tuple[str, int, float, float]]:
    rows = [*module.INSTITUTIONS, *module.ENTERPRISES, *module.INDIVIDUALS]
    return [(r["key"], r["county_adcode"], r["lng"], r["lat"]) for r in rows if r["county_adcode"] is not None]


def test_every_point_lies_inside_its_county_away_from_the_border(province):
    rows = places(province_data(province))
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT d.key, r.adcode IS NOT NULL AND r.adcode / 10000 = %s / 10000,
                   coalesce(ST_Covers(r.geom, d.pt), false),
                   ST_Distance(ST_Boundary(r.geom)::geography, d.pt::geography)
            FROM (SELECT unnest(%s::text[]) AS key, unnest(%s::int[]) AS county,
                         ST_SetSRID(ST_MakePoint(unnest(%s::float8[]), unnest(%s::float8[])), 4326) AS pt) d
            LEFT JOIN geodata_region r ON r.adcode = d.county AND r.level = 'county'
            """,
            [province, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]],
        )
        results = cur.fetchall()
    assert len(results) == len(rows) and len(rows) >= 20
    wrong = [
        (key, in_province, covered, round(dist or 0))
        for key, in_province, covered, dist in results
        if not (in_province and covered and dist >= MIN_BORDER_M)
    ]
    assert wrong == []


@pytest.mark.parametrize("adcode", OTHERS)
def test_a_province_has_enough_real_institutions_and_invented_enterprises_over_its_cities(adcode):
    module = province_data(adcode)
    assert 15 <= len(module.INSTITUTIONS) <= 30
    assert 20 <= len(module.ENTERPRISES) <= 40
    assert len(module.INDIVIDUALS) >= 2
    kinds = {i["kind"] for i in module.INSTITUTIONS}
    assert {"university", "research_institute", "public_test_agency"} <= kinds
    cities = {e["county_adcode"] // 100 for e in module.ENTERPRISES}
    assert len(cities) >= 10
    assert module.ENTERPRISES[0]["key"] == "enterprise1"


def test_jiangsu_has_enterprises_in_the_five_northern_cities_and_one_over_the_revenue_limit():
    module = province_data(320000)
    cities = {e["county_adcode"] // 100 * 100 for e in module.ENTERPRISES}
    assert {320300, 320700, 320800, 320900, 321300} <= cities
    assert any(float(e["prior_year_revenue"]) > 400_000_000 for e in module.ENTERPRISES)


def test_henan_has_high_tech_small_tech_and_incubated_applicants():
    qualifications = {e["qualification"] for e in province_data(410000).ENTERPRISES}
    assert {"high_tech", "tech_sme", "incubated"} <= qualifications


@pytest.mark.parametrize("adcode", PROVINCES)
def test_synthetic_numbers_pass_their_checks_with_the_countys_area_code(adcode):
    module = province_data(adcode)
    for row in [*module.INSTITUTIONS, *module.ENTERPRISES]:
        code = row["credit_code"]
        assert normalise_credit_code(code) == code, row["key"]
        if row["county_adcode"] is not None:
            assert code[2:8] == str(row["county_adcode"]), row["key"]
        assert row["email"].endswith("@example.com")
    for row in module.INDIVIDUALS:
        assert normalise_resident_id(row["resident_id"]) == row["resident_id"]
        assert row["resident_id"][:6] == str(row["county_adcode"])
    keys = [r["key"] for r in [*module.INSTITUTIONS, *module.ENTERPRISES, *module.INDIVIDUALS]]
    codes = [r["credit_code"] for r in [*module.INSTITUTIONS, *module.ENTERPRISES]]
    assert len(set(keys)) == len(keys) and len(set(codes)) == len(codes)


@pytest.mark.parametrize("adcode", OTHERS)
def test_every_institution_says_whether_its_name_is_verified_or_a_best_guess(adcode):
    source = Path(province_data(adcode).__file__).read_text(encoding="utf-8")
    marked = sum(source.count(f"# 名称：{mark}") for mark in ("已用检索核实", "据公开常识", "推测（best guess）"))
    assert marked == len(province_data(adcode).INSTITUTIONS)


def test_the_loader_names_staff_and_places_organisations_in_the_deployments_province(province, settings, tmp_path):
    settings.PLATFORM_PROVINCE = province
    settings.MEDIA_ROOT = tmp_path
    module = province_data(province)
    loader = DemoLoader()
    loader.staff()
    loader.institutions()
    loader.applicants()

    # The demo logins of the README, in every province.
    for username in ("enterprise1", "institution1", "operator1", "centre1", "expert1", "expert2", "expert3"):
        assert User.objects.filter(username=username).exists(), username
    assert User.objects.get(username="enterprise1").organisation.name == module.ENTERPRISES[0]["name"]
    assert User.objects.get(username="institution1").organisation.name == module.INSTITUTIONS[0]["name"]

    # Staff organisations carry the province's names; one bureau per city and county of it.
    operator_name, centre_name = STAFF_NAMES[province]
    assert User.objects.get(username="operator1").organisation.name == operator_name
    assert User.objects.get(username="centre1").organisation.name == centre_name
    under = Region.objects.filter(adcode__gt=province, adcode__lt=province + 10000)
    bureaus = Organisation.objects.filter(kind=OrgKind.BUREAU)
    assert set(bureaus.values_list("region_id", flat=True)) == set(under.values_list("adcode", flat=True))
    for region in under:
        user = User.objects.select_related("organisation").get(username=f"bureau{region.adcode}")
        assert region.name in user.organisation.name and user.organisation.name.endswith("科学技术局")
    if province == 410000:  # 济源市 is directly under the province: named alone
        assert User.objects.get(username="bureau419001").organisation.name == "济源市科学技术局"

    # Every institution and applicant is in the county it declares (not moved to a seat).
    placed = Organisation.objects.filter(
        kind__in=[OrgKind.INSTITUTION, OrgKind.ENTERPRISE, OrgKind.SOCIAL_ORG, OrgKind.INDIVIDUAL]
    ).select_related("region")
    declared = {r["name"]: r["county_adcode"] for r in [*module.INSTITUTIONS, *module.ENTERPRISES, *module.INDIVIDUALS]}
    assert placed.count() == len(declared)
    for org in placed:
        if declared[org.name] is None:  # Ningxia's out-of-region institutions
            continue
        assert org.region_id == declared[org.name], org.name
        assert org.region.geom.covers(org.location), org.name


def test_a_deployment_without_a_demo_data_set_is_refused_with_a_message(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PLATFORM_PROVINCE = 110000
    with pytest.raises(ImproperlyConfigured, match="PLATFORM_PROVINCE=110000"):
        province_data()
