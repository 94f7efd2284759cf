"""The evaluation's models, moved from ``dashboards`` without touching the database.

The tables ``dashboards_evaluationrule`` and ``dashboards_evaluationresult`` stay as they are
(their models name them in ``db_table``): this migration only tells Django's state that the
models are now this app's, and ``dashboards.0004`` removes them from the dashboards' state.
Admin permissions follow, by moving their content types. Backward works the same way round.
"""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


MODELS = ("evaluationrule", "evaluationresult")


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model__in=MODELS).update(app_label=target)


def move_content_types(apps, schema_editor):
    _move(apps, "dashboards", "evaluation")


def move_content_types_back(apps, schema_editor):
    _move(apps, "evaluation", "dashboards")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dashboards', '0003_review_limits_on_policy'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('catalog', '0003_listing_coordinates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='EvaluationRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='年度')),
                        ('excellent_min_rating', models.DecimalField(decimal_places=2, default=Decimal('4.50'), max_digits=3, verbose_name='优秀：平均评分不低于')),
                        ('excellent_min_ratings', models.PositiveIntegerField(default=3, verbose_name='优秀：评价数不少于')),
                        ('excellent_max_complaints', models.PositiveIntegerField(default=0, verbose_name='优秀：投诉不多于')),
                        ('excellent_min_income', models.DecimalField(decimal_places=2, default=Decimal('50000'), max_digits=14, verbose_name='优秀：服务收入不低于（元）')),
                        ('poor_below_rating', models.DecimalField(decimal_places=2, default=Decimal('3.00'), max_digits=3, verbose_name='差：平均评分低于')),
                        ('poor_min_ratings', models.PositiveIntegerField(default=3, verbose_name='差：按评分判定所需评价数')),
                        ('poor_min_complaints', models.PositiveIntegerField(default=3, verbose_name='差：投诉达到')),
                        ('complaint_max_score', models.PositiveSmallIntegerField(default=2, verbose_name='评分不高于此分计为投诉')),
                        ('rectify_days', models.PositiveSmallIntegerField(default=30, verbose_name='整改期限（天）')),
                        ('in_region_only', models.BooleanField(default=True, verbose_name='只补助区内机构')),
                        ('withhold_when_poor', models.BooleanField(default=False, verbose_name='评价为差的不予补助')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': '机构年度评价规则',
                        'verbose_name_plural': '机构年度评价规则',
                        'db_table': 'dashboards_evaluationrule',
                        'ordering': ['-year'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('excellent_min_rating__gte', 0), ('excellent_min_rating__lte', 5), ('poor_below_rating__lte', 5)), name='evaluation_ratings_0_5'), models.CheckConstraint(condition=models.Q(('excellent_min_income__gte', 0)), name='evaluation_income_not_negative')],
                    },
                ),
                migrations.CreateModel(
                    name='EvaluationResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField()),
                        ('redeemed_count', models.IntegerField(verbose_name='兑付券数')),
                        ('redeemed_amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='兑付金额')),
                        ('service_income', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='服务收入')),
                        ('rating_mean', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='平均评分')),
                        ('rating_count', models.IntegerField(verbose_name='评价数')),
                        ('complaints', models.IntegerField(verbose_name='投诉')),
                        ('grade', models.CharField(choices=[('excellent', '优秀'), ('good', '良好'), ('poor', '差')], max_length=10, verbose_name='评价结果')),
                        ('reasons', models.JSONField(default=list, verbose_name='评价理由')),
                        ('is_public', models.BooleanField(verbose_name='事业单位')),
                        ('in_region', models.BooleanField(verbose_name='区内机构')),
                        ('public_benefit_contracts', models.IntegerField(verbose_name='公益性服务合同数')),
                        ('subsidy_rate', models.DecimalField(decimal_places=4, max_digits=5)),
                        ('subsidy_base', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='按兑付额补助')),
                        ('subsidy_public_benefit', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='公益服务补助')),
                        ('subsidy_uncapped', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='补助合计（封顶前）')),
                        ('subsidy', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='核定补助')),
                        ('subsidy_note', models.CharField(blank=True, max_length=200)),
                        ('rectification', models.CharField(blank=True, choices=[('', '—'), ('pending', '限期整改中'), ('rectified', '已整改'), ('suspended', '拒不整改，已暂停入库')], default='', max_length=10, verbose_name='整改')),
                        ('rectify_by', models.DateField(blank=True, null=True, verbose_name='整改期限')),
                        ('rectification_note', models.CharField(blank=True, max_length=300)),
                        ('evaluated_at', models.DateTimeField()),
                        ('evaluated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='catalog.institution')),
                    ],
                    options={
                        'db_table': 'dashboards_evaluationresult',
                        'ordering': ['year', '-subsidy', 'institution_id'],
                        'constraints': [models.UniqueConstraint(fields=('year', 'institution'), name='one_evaluation_per_year'), models.CheckConstraint(condition=models.Q(('subsidy__gte', 0)), name='evaluation_subsidy_not_negative')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
