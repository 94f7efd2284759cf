from django.db import migrations

DEADLINES = [
    ("bureau", 5),
    ("operator", 5),
    ("centre", 5),
    ("redemption_check", 7),
    ("redemption_confirm", 5),
]


def seed(apps, schema_editor):
    ReviewDeadline = apps.get_model("dashboards", "ReviewDeadline")
    for level, workdays in DEADLINES:
        ReviewDeadline.objects.get_or_create(level=level, defaults={"workdays": workdays})


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
