# Jiangsu's yearly application asked for 注册成立时间 and kept it only in the claim's form.
# The organisation's record holds it now (accounts 0010): carry the date of each
# organisation's latest application that has one to its record.

import datetime as dt

from django.db import migrations


def carry_founding_dates(apps, schema_editor):
    """Fill ``Organisation.founded_on`` where it is empty from the organisation's latest
    application (newest first) whose form holds a readable date not later than today; a
    record that already holds a date keeps it."""
    Organisation = apps.get_model("accounts", "Organisation")
    EntitlementClaim = apps.get_model("vouchers", "EntitlementClaim")
    today = dt.date.today()
    seen = set()
    claims = (
        EntitlementClaim.objects.filter(form__has_key="founded_on", organisation__founded_on__isnull=True)
        .order_by("organisation_id", "-created_at", "-id")
        .values_list("organisation_id", "form")
    )
    for org_id, form in claims.iterator():
        if org_id in seen:
            continue
        try:
            founded = dt.date.fromisoformat(str(form.get("founded_on") or "").strip())
        except ValueError:
            continue  # an empty or unreadable date: an older application may hold one
        if founded > today:
            continue
        seen.add(org_id)
        Organisation.objects.filter(pk=org_id, founded_on__isnull=True).update(founded_on=founded)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_organisation_founded_on"),
        ("vouchers", "0024_plain_province_labels"),
    ]

    operations = [
        migrations.RunPython(carry_founding_dates, migrations.RunPython.noop),
    ]
