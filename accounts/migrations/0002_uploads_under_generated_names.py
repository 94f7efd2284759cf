"""Files stored by earlier releases under the uploader's name move to generated names.

Earlier releases kept e.g. ``licences/2026/licence.html``; serving now sniffs the type from
the bytes anyway, but a stored name must never carry the uploader's choice (see
mapsite.uploads). Backwards this does nothing: the original names are not kept, and the
files stay valid under their new names.
"""

from django.db import migrations

from mapsite.uploads import rename_stored

FIELDS = [
    ("accounts", "Organisation", "licence"),
    ("catalog", "Institution", "photo"),
    ("catalog", "Instrument", "photo"),
    ("catalog", "Service", "photo"),
    ("vouchers", "Contract", "signed_scan"),
    ("vouchers", "ContractAttachment", "file"),
    ("vouchers", "Proof", "file"),
    ("vouchers", "Redemption", "materials"),
]


def forwards(apps, schema_editor):
    for app, model, field in FIELDS:
        rename_stored(apps.get_model(app, model), field)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("catalog", "0003_listing_coordinates"),
        ("vouchers", "0006_voucher_use_rating"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
