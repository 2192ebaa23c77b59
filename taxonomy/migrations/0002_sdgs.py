from django.db import migrations


def create_sdgs(apps, schema_editor):
    from taxonomy.sdg_data import SDGS

    Goal = apps.get_model("taxonomy", "SustainableDevelopmentGoal")
    for number, en, es, ca, colour in SDGS:
        Goal.objects.update_or_create(
            number=number,
            defaults={"name_en": en, "name_es": es, "name_ca": ca, "colour": colour},
        )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(create_sdgs, migrations.RunPython.noop)]
