"""The editors may delete a capability term no organization has (one added by mistake)."""

from django.db import migrations

from home.permissions import editors_group_sync


def forwards(apps, schema_editor):
    editors_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [("home", "0009_capability_term_permissions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
