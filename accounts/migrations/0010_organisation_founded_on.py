# Written by hand (Django 5.2), as makemigrations would; the data carried from Jiangsu's
# applications is the vouchers app's migration 0025 (the claims are the vouchers app's).

import accounts.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_province_centre_title"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="founded_on",
            field=models.DateField(
                blank=True,
                help_text="以营业执照为准；个人/团队不填",
                null=True,
                validators=[accounts.validators.founding_date_not_future],
                verbose_name="注册成立时间",
            ),
        ),
    ]
