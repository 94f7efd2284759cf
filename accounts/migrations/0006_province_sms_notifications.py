from django.db import migrations, models

JIANGSU = 320000


def jiangsu_sends_sms(apps, schema_editor):
    # A Jiangsu deployment created before this field had its profile from the preset, which
    # now turns SMS on (accounts.province.PRESETS); new deployments get it from the preset.
    ProvinceProfile = apps.get_model("accounts", "ProvinceProfile")
    ProvinceProfile.objects.filter(adcode=JIANGSU).update(sms_notifications=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_high_tech_zones"),
    ]

    operations = [
        migrations.AddField(
            model_name="provinceprofile",
            name="sms_notifications",
            field=models.BooleanField(
                default=False,
                help_text="审核结果、退回补正和拨付等通知同时以短信发给留有手机号的用户（如江苏）",
                verbose_name="短信通知",
            ),
        ),
        migrations.RunPython(jiangsu_sends_sms, migrations.RunPython.noop),
    ]
