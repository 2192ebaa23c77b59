from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_participation_project_status_index")]

    operations = [
        migrations.AddIndex(
            model_name="projectpage",
            index=models.Index(fields=["status"], name="projects_page_status_idx"),
        ),
    ]
