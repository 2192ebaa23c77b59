"""The editors keep the price indices of impact reports, as they keep the proxy library."""

from django.db import migrations

from home.permissions import editors_group_sync


def forwards(apps, schema_editor):
    editors_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_locales"),
        ("impact", "0003_price_index"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
