"""Moving the evaluation out of dashboards changed Django's state only: a result stored while
the models were dashboards' is the evaluation app's afterwards, row and admin rights alike."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evaluation.models import EvaluationResult, EvaluationRule

BEFORE = [("dashboards", "0003_review_limits_on_policy"), ("evaluation", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db
def test_results_stored_before_the_move_are_carried(ivan_lab):
    from django.contrib.contenttypes.models import ContentType

    leaves = _leaves()
    executor = _migrate(BEFORE)
    old = executor.loader.project_state([BEFORE[0]]).apps
    assert not any(m._meta.app_label == "evaluation" for m in old.get_models())
    ContentType.objects.filter(app_label="evaluation").delete()
    ContentType.objects.get_or_create(app_label="dashboards", model="evaluationresult")
    old.get_model("dashboards", "EvaluationRule").objects.create(year=2024, rectify_days=45)
    old.get_model("dashboards", "EvaluationResult").objects.create(
        year=2024,
        institution_id=ivan_lab.organisation_id,
        redeemed_count=1,
        redeemed_amount=Decimal("20000"),
        service_income=Decimal("43000"),
        rating_count=0,
        complaints=0,
        grade="good",
        is_public=True,
        in_region=True,
        public_benefit_contracts=0,
        subsidy_rate=Decimal("0.5"),
        subsidy_base=Decimal("10000"),
        subsidy_public_benefit=Decimal("0"),
        subsidy_uncapped=Decimal("10000"),
        subsidy=Decimal("10000"),
        evaluated_at=dt.datetime(2025, 1, 5, tzinfo=dt.UTC),
    )

    _migrate(leaves)

    assert EvaluationRule.objects.get(year=2024).rectify_days == 45
    result = EvaluationResult.objects.get(year=2024)
    assert result.institution_id == ivan_lab.organisation_id and result.subsidy == Decimal("10000.00")
    assert ContentType.objects.filter(app_label="evaluation", model="evaluationresult").exists()
    assert not ContentType.objects.filter(app_label="dashboards", model="evaluationresult").exists()
