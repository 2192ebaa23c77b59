"""The editors' group (Moderators) moderates, publishes and reverts pages under the home page.

Wagtail's initial data gives Moderators rights on the tree root; this narrows them to the home
page and adds the curation rights listed in ``home.permissions``.
"""

from django.db import migrations

from home.permissions import editors_group_sync


def forwards(apps, schema_editor):
    editors_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_homepage_hero_featured_standardpage"),
        ("impact", "0001_initial"),
        ("taxonomy", "0002_sdgs"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
