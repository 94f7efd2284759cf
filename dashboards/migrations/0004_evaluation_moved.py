"""The evaluation's models now belong to the ``evaluation`` app (see its 0001): removed from
the dashboards' state only — the tables and their rows stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0003_review_limits_on_policy"),
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EvaluationResult"),
                migrations.DeleteModel(name="EvaluationRule"),
            ],
            database_operations=[],
        ),
    ]
