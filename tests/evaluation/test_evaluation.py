"""Annual evaluation and subsidy (SPEC §5.5): the rules as data, the subsidy across public and
social institutions and the 300,000 cap, the year-end run (command and page), rectification
and suspension."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts.models import CertStatus, Organisation
from catalog.models import Listing
from evaluation import selectors as ev
from evaluation import services
from evaluation.models import EvaluationResult, EvaluationRule, Grade, Rectification
from vouchers.models import Policy

D = Decimal


def ningxia_policy(**overrides) -> Policy:
    """An unsaved Ningxia policy: 50 % public, 20 % social, 200 per public-benefit contract,
    cap 300,000."""
    return Policy(year=2025, **overrides)


def figures(**kw) -> ev.Figures:
    return ev.Figures(institution_id=1, **kw)


# --- subsidy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_public", "redeemed", "public_benefit", "base", "pb", "uncapped", "subsidy", "capped"),
    [
        # public institution: 50 %
        (True, "100000", 0, "50000.00", "0.00", "50000.00", "50000.00", False),
        (True, "599600", 2, "299800.00", "400.00", "300200.00", "300000.00", True),
        (True, "599200", 2, "299600.00", "400.00", "300000.00", "300000.00", False),  # exactly at the cap
        (True, "1000000", 10, "500000.00", "2000.00", "502000.00", "300000.00", True),
        # social institution: 20 %
        (False, "100000", 0, "20000.00", "0.00", "20000.00", "20000.00", False),
        (False, "1499000", 0, "299800.00", "0.00", "299800.00", "299800.00", False),
        (False, "1500000", 1, "300000.00", "200.00", "300200.00", "300000.00", True),
        (False, "33333.33", 3, "6666.67", "600.00", "7266.67", "7266.67", False),  # rounding half up
        # public-benefit contracts alone
        (False, "0", 5, "0.00", "1000.00", "1000.00", "1000.00", False),
    ],
)
def test_subsidy_across_public_and_social_kinds_and_the_cap(
    is_public, redeemed, public_benefit, base, pb, uncapped, subsidy, capped
):
    rule = EvaluationRule(year=2025)
    f = figures(is_public=is_public, redeemed_amount=D(redeemed), public_benefit_contracts=public_benefit)
    s = ev.subsidy(f, rule, ningxia_policy(), Grade.GOOD)
    assert (s["base"], s["public_benefit"], s["uncapped"], s["amount"]) == (D(base), D(pb), D(uncapped), D(subsidy))
    assert ("上限" in s["note"]) is capped
    assert s["rate"] == (D("0.50") if is_public else D("0.20"))


def test_the_rates_the_amount_per_contract_and_the_cap_come_from_the_policy():
    policy = ningxia_policy(
        subsidy_rate_public=D("0.40"), subsidy_per_public_benefit=D("500"), subsidy_cap_institution=D("100000")
    )
    f = figures(is_public=True, redeemed_amount=D("300000"), public_benefit_contracts=4)
    s = ev.subsidy(f, EvaluationRule(year=2025), policy, Grade.GOOD)
    assert (s["base"], s["public_benefit"], s["amount"]) == (D("120000.00"), D("2000.00"), D("100000.00"))


def test_out_of_region_institutions_and_optionally_poor_ones_get_nothing():
    f = figures(is_public=True, in_region=False, redeemed_amount=D("10000"))
    assert ev.subsidy(f, EvaluationRule(year=2025), ningxia_policy(), Grade.GOOD)["amount"] == 0
    rule = EvaluationRule(year=2025, in_region_only=False)
    assert ev.subsidy(f, rule, ningxia_policy(), Grade.GOOD)["amount"] == D("5000.00")
    local = figures(is_public=True, redeemed_amount=D("10000"))
    assert ev.subsidy(local, EvaluationRule(year=2025), ningxia_policy(), Grade.POOR)["amount"] == D("5000.00")
    withheld = EvaluationRule(year=2025, withhold_when_poor=True)
    assert ev.subsidy(local, withheld, ningxia_policy(), Grade.POOR)["amount"] == 0


# --- grade ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "grade", "reason"),
    [
        ({"rating_mean": D("4.80"), "rating_count": 5, "service_income": D("80000")}, Grade.EXCELLENT, "不低于 4.50"),
        ({"rating_mean": D("4.80"), "rating_count": 2, "service_income": D("80000")}, Grade.GOOD, "至少 3 条"),
        ({"service_income": D("80000")}, Grade.GOOD, "暂无评价"),
        (
            {"rating_mean": D("4.80"), "rating_count": 5, "service_income": D("49999.99")},
            Grade.GOOD,
            "未达 50,000.00 元",
        ),
        (
            {"rating_mean": D("4.80"), "rating_count": 5, "service_income": D("80000"), "low_ratings": 1},
            Grade.GOOD,
            "投诉 1 件",
        ),
        ({"rating_mean": D("2.90"), "rating_count": 3}, Grade.POOR, "低于 3.00"),
        ({"rating_mean": D("2.00"), "rating_count": 2}, Grade.GOOD, "未达优秀"),  # too few ratings to judge poor
        (
            {"rating_mean": D("4.00"), "rating_count": 9, "low_ratings": 2, "upheld_objections": 1},
            Grade.POOR,
            "投诉 3 件",
        ),
    ],
)
def test_grades_follow_the_rules_and_say_why(kw, grade, reason):
    g, reasons = ev.grade(figures(**kw), EvaluationRule(year=2025))
    assert g == grade
    assert any(reason in r for r in reasons), reasons


def test_the_thresholds_are_data():
    strict = EvaluationRule(year=2025, excellent_min_rating=D("4.90"))
    f = figures(rating_mean=D("4.80"), rating_count=5, service_income=D("80000"))
    assert ev.grade(f, EvaluationRule(year=2025))[0] == Grade.EXCELLENT
    assert ev.grade(f, strict)[0] == Grade.GOOD


# --- the run on real vouchers --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_year_end_run_computes_each_institution_from_the_vouchers(world):
    from vouchers import settlement

    settlement.use_rate(use=world.v3.use, by=world.mallory, score=1, comment="报告错误")
    outcomes = {o.figures.institution_id: o for o in ev.evaluate(world.year)}
    lab = outcomes[world.ivan_lab.organisation_id]
    assert (lab.figures.redeemed_count, lab.figures.redeemed_amount) == (1, D("20000"))
    assert lab.figures.is_public and lab.figures.rating_count == 1 and lab.figures.complaints == 1
    assert lab.figures.service_income == D("43000")  # completed bookings of V1 and V3
    assert lab.subsidy["amount"] == D("10000.00")  # 50 % of 20,000; V3 (科技查新) is not redeemed yet
    lab2 = outcomes[world.lab2.organisation_id]
    assert (lab2.figures.redeemed_amount, lab2.subsidy["amount"]) == (D("5000"), D("1000.00"))  # social: 20 %


@pytest.mark.django_db
def test_a_redeemed_public_benefit_contract_adds_200(world):
    from tests.dashboards.conftest import redeem

    redeem(world.v3, world.ivan_lab, world.olivia, world.cecilia)
    lab = next(o for o in ev.evaluate(world.year) if o.figures.institution_id == world.ivan_lab.organisation_id)
    assert lab.figures.public_benefit_contracts == 1
    assert lab.subsidy["amount"] == D("10950.00")  # (20,000 + 1,500) × 50 % + 200


@pytest.mark.django_db
def test_the_command_is_a_dry_run_until_commit(world, capsys):
    call_command("evaluation_run", "--year", str(world.year))
    out = capsys.readouterr().out
    assert "Dry run" in out and "贺兰山分析测试中心" in out
    assert not EvaluationResult.objects.exists()
    call_command("evaluation_run", "--year", str(world.year), "--commit")
    assert EvaluationResult.objects.filter(year=world.year).count() == 2
    assert EvaluationResult.objects.get(institution_id=world.ivan_lab.organisation_id).subsidy == D("10000.00")


@pytest.mark.django_db
def test_the_command_says_when_the_year_has_no_policy(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="政策"):
        call_command("evaluation_run", "--year", "2001")


@pytest.mark.django_db
def test_only_the_centre_runs_the_evaluation(world):
    for user in (world.bob, world.olivia, world.ivan_lab, world.alice):
        with pytest.raises(PermissionDenied):
            services.evaluation_run(year=world.year, by=user)
    assert len(services.evaluation_run(year=world.year, by=world.cecilia)) == 2


@pytest.mark.django_db
def test_poor_and_unrectified_leads_to_suspension_after_the_deadline(world):
    from vouchers import settlement

    settlement.use_rate(use=world.v1.use, by=world.alice, score=1, comment="拖延")
    EvaluationRule.objects.create(year=world.year, poor_min_complaints=1)
    (result,) = [
        r
        for r in services.evaluation_run(year=world.year, by=world.cecilia)
        if r.institution_id == world.ivan_lab.organisation_id
    ]
    assert result.grade == Grade.POOR and result.rectification == Rectification.PENDING
    assert any("投诉 1 件" in r for r in result.reasons)
    with pytest.raises(ValidationError, match="期满"):
        services.evaluation_suspend(result=result, by=world.cecilia)
    with pytest.raises(PermissionDenied):
        services.evaluation_suspend(result=result, by=world.olivia, today=result.rectify_by + dt.timedelta(days=1))
    assert Listing.objects.filter(institution_id=world.ivan_lab.organisation_id).exists()
    services.evaluation_suspend(result=result, by=world.cecilia, today=result.rectify_by + dt.timedelta(days=1))
    result.refresh_from_db()
    assert result.rectification == Rectification.SUSPENDED
    assert Organisation.objects.get(pk=world.ivan_lab.organisation_id).status == CertStatus.SUSPENDED
    # Through accounts' service, so the search index drops the institution and its items.
    assert not Listing.objects.filter(institution_id=world.ivan_lab.organisation_id).exists()
    # A second run keeps the suspension on record.
    services.evaluation_run(year=world.year, by=world.cecilia)
    result.refresh_from_db()
    assert result.rectification == Rectification.SUSPENDED


@pytest.mark.django_db
def test_a_rectified_institution_is_not_suspended(world):
    from vouchers import settlement

    settlement.use_rate(use=world.v2.use, by=world.alice, score=2)
    EvaluationRule.objects.create(year=world.year, poor_min_complaints=1)
    result = EvaluationResult.objects.get(
        pk=next(r.pk for r in services.evaluation_run(year=world.year, by=world.cecilia) if r.grade == Grade.POOR)
    )
    with pytest.raises(ValidationError):
        services.evaluation_rectified(result=result, by=world.cecilia, note="  ")
    services.evaluation_rectified(result=result, by=world.cecilia, note="已更换检测人员并复检")
    with pytest.raises(ValidationError):
        services.evaluation_suspend(result=result, by=world.cecilia, today=dt.date(2100, 1, 1))


@pytest.mark.django_db
def test_the_centre_page_shows_rules_reasons_and_exports(client, world):
    client.force_login(world.cecilia)
    page = client.get(f"/dashboard/evaluation/?year={world.year}")
    assert page.status_code == 200 and "尚未运行评价" in page.content.decode()
    response = client.post("/dashboard/evaluation/run/", {"year": world.year})
    assert response.status_code == 302
    html = client.get(f"/dashboard/evaluation/?year={world.year}").content.decode()
    assert "贺兰山分析测试中心" in html and "10,000.00" in html and "服务收入" in html
    changed = client.post(
        "/dashboard/evaluation/rules/", {"year": world.year, **_rule_form(excellent_min_rating="4.80")}
    )
    assert changed.status_code == 302
    assert EvaluationRule.objects.get(year=world.year).excellent_min_rating == D("4.80")
    csv_body = client.get(f"/dashboard/evaluation/export.csv?year={world.year}").content.decode("utf-8")
    assert "贺兰山分析测试中心" in csv_body and "10000.00" in csv_body
    assert client.get(f"/dashboard/evaluation/export.xlsx?year={world.year}").status_code == 200


def _rule_form(**overrides) -> dict:
    rule = EvaluationRule(year=2000)
    data = {name: getattr(rule, name) for name in ev.RULE_FIELDS}
    data.update(overrides)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


@pytest.mark.django_db
def test_nobody_but_the_centre_opens_the_evaluation(client, world):
    for user in (world.bob, world.olivia, world.alice, world.ivan_lab):
        client.force_login(user)
        assert client.get("/dashboard/evaluation/").status_code == 403
        assert client.post("/dashboard/evaluation/run/").status_code == 403
        assert client.post("/dashboard/evaluation/rules/").status_code == 403
        assert client.get("/dashboard/evaluation/export.csv").status_code == 403
