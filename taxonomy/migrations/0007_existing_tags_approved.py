"""Every tag that exists before tags are reviewed is part of the vocabulary: approved."""

from django.db import migrations


def existing_tags_approved(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TagTranslation = apps.get_model("taxonomy", "TagTranslation")
    TagTranslation.objects.exclude(status="approved").update(status="approved")
    missing = Tag.objects.filter(translation__isnull=True).values_list("pk", flat=True)
    TagTranslation.objects.bulk_create(
        [TagTranslation(tag_id=pk, status="approved") for pk in missing.iterator()],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0006_tag_review")]

    operations = [migrations.RunPython(existing_tags_approved, migrations.RunPython.noop)]
