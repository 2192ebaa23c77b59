import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The portal's links to a project's workspace or an organization's page carry its page id: the
# rows written before notifications knew what they were about are grouped by it.
PORTAL_PAGE = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?portal/(?:projects|organizations)/(\d+)/")


def about_from_links(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Page = apps.get_model("wagtailcore", "Page")
    found = {}
    for pk, url in Notification.objects.filter(about__isnull=True).values_list("id", "url"):
        match = PORTAL_PAGE.match(url or "")
        if match:
            found.setdefault(int(match.group(1)), []).append(pk)
    existing = set(Page.objects.filter(pk__in=found).values_list("pk", flat=True))
    for page_id, ids in found.items():
        if page_id in existing:
            Notification.objects.filter(pk__in=ids).update(about_id=page_id)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_preferences_digests_mail_queue"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="about",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.WAGTAIL_PAGE_MODEL,
                verbose_name="about",
            ),
        ),
        migrations.RunPython(about_from_links, migrations.RunPython.noop),
    ]
