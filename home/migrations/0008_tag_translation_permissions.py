"""The editors translate the offer/seek/need tags into Spanish and Catalan."""

from django.db import migrations

from home.permissions import editors_group_sync


def forwards(apps, schema_editor):
    editors_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_price_index_permissions"),
        ("taxonomy", "0005_spanish_and_catalan_names"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
