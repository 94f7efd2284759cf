"""Review time limits move from the dashboards' own table onto the province voucher
policies, where the settlement services read them too.

Limits the centre had changed are carried over: the policy has one limit for all three
contract levels, so the longest of the three is kept. Going back re-creates the table from
the latest province policy (or the seeded defaults when there is none)."""

from django.db import migrations

CONTRACT_LEVELS = ("bureau", "operator", "centre")
DEFAULTS = {"bureau": 5, "operator": 5, "centre": 5, "redemption_check": 7, "redemption_confirm": 5}


def carry_over(apps, schema_editor):
    ReviewDeadline = apps.get_model("dashboards", "ReviewDeadline")
    Policy = apps.get_model("vouchers", "Policy")
    old = dict(ReviewDeadline.objects.values_list("level", "workdays"))
    changes = {}
    contract = [old[level] for level in CONTRACT_LEVELS if level in old]
    if contract:
        changes["review_workdays"] = max(contract)
    if "redemption_check" in old:
        changes["check_workdays"] = old["redemption_check"]
    if "redemption_confirm" in old:
        changes["confirm_workdays"] = old["redemption_confirm"]
    if changes:
        Policy.objects.filter(region__isnull=True).update(**changes)


def restore(apps, schema_editor):
    ReviewDeadline = apps.get_model("dashboards", "ReviewDeadline")
    Policy = apps.get_model("vouchers", "Policy")
    latest = Policy.objects.filter(region__isnull=True).order_by("-year").first()
    limits = dict(DEFAULTS)
    if latest is not None:
        limits.update({level: latest.review_workdays for level in CONTRACT_LEVELS})
        limits.update(redemption_check=latest.check_workdays, redemption_confirm=latest.confirm_workdays)
    for level, workdays in limits.items():
        ReviewDeadline.objects.update_or_create(level=level, defaults={"workdays": workdays})


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_review_deadlines"),
        ("vouchers", "0005_policy_time_limits"),
    ]

    operations = [
        migrations.RunPython(carry_over, restore),
        migrations.DeleteModel(name="ReviewDeadline"),
    ]
