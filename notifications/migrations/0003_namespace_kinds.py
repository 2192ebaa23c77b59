"""Every notification kind is named by the app that sends it (``partners.…``, ``projects.…``,
``chat.…``): rows written before get their new names."""

from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

RENAMED = {
    "organization_approved": "partners.organization_approved",
    "organization_changes_requested": "partners.organization_changes_requested",
    "organization_invitation_accepted": "partners.invitation_accepted",
}
OLD_PREFIX, NEW_PREFIX = "project.", "projects."


def namespace(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for old, new in RENAMED.items():
        Notification.objects.filter(kind=old).update(kind=new)
    Notification.objects.filter(kind__startswith=OLD_PREFIX).update(
        kind=Concat(
            Value(NEW_PREFIX), Substr("kind", len(OLD_PREFIX) + 1), output_field=models.CharField()
        )
    )


def unnamespace(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for old, new in RENAMED.items():
        Notification.objects.filter(kind=new).update(kind=old)
    Notification.objects.filter(kind__startswith=NEW_PREFIX).update(
        kind=Concat(
            Value(OLD_PREFIX), Substr("kind", len(NEW_PREFIX) + 1), output_field=models.CharField()
        )
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_language_preference")]

    operations = [migrations.RunPython(namespace, unnamespace)]
