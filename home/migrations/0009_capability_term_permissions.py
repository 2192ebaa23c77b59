"""The editors manage the capability profiles' vocabularies (services, target groups, languages,
quality labels)."""

from django.db import migrations

from home.permissions import editors_group_sync


def forwards(apps, schema_editor):
    editors_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0008_tag_translation_permissions"),
        ("partners", "0010_capability_terms_data"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
