"""Review time limits move from the dashboards' own table onto the voucher policy, where the
settlement services read them too; limits the centre had changed are carried over."""

from django.db import migrations

CARRY = {"bureau": "review_workdays", "redemption_check": "check_workdays", "redemption_confirm": "confirm_workdays"}


def carry_over(apps, schema_editor):
    ReviewDeadline = apps.get_model("dashboards", "ReviewDeadline")
    Policy = apps.get_model("vouchers", "Policy")
    changes = {CARRY[d.level]: d.workdays for d in ReviewDeadline.objects.filter(level__in=CARRY)}
    if changes:
        Policy.objects.update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_review_deadlines"),
        ("vouchers", "0005_policy_time_limits"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReviewDeadline"),
    ]
