"""The editors' group curates resource listings and looks at bookings in the Wagtail admin.

``home.permissions.MODEL_PERMISSIONS`` lists the same rights, so a later sync keeps them; this
migration gives them to an existing group without importing ``home`` (a higher layer)."""

from django.db import migrations

EDITORS_GROUP = "Moderators"
RIGHTS = (
    ("listing", "view_listing"),
    ("listing", "change_listing"),
    ("booking", "view_booking"),
)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name=EDITORS_GROUP).first()
    if group is None:
        return
    for model, codename in RIGHTS:
        content_type, _ = ContentType.objects.get_or_create(app_label="resources", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.split('_', 1)[0]} {model}"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0005_listing_photo"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
