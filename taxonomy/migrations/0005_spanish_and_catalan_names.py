"""Spanish and Catalan names for the sectors, regions and tags the portal already has
(``taxonomy.vocabulary``, which keeps any translation an editor already wrote)."""

from django.db import migrations

from taxonomy.vocabulary import fill_translations


def translate(apps, schema_editor):
    fill_translations(
        sector_model=apps.get_model("taxonomy", "Sector"),
        region_model=apps.get_model("taxonomy", "Region"),
        tag_model=apps.get_model("taggit", "Tag"),
        tag_translation_model=apps.get_model("taxonomy", "TagTranslation"),
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0004_translated_names")]

    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
