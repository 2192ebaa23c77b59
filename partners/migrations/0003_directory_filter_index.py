from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_name_key_invitation_email")]

    operations = [
        migrations.AddIndex(
            model_name="partnerpage",
            index=models.Index(fields=["kind"], name="partners_page_kind_idx"),
        ),
    ]
