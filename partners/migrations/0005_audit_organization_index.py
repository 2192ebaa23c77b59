"""On PostgreSQL, an index on what the audit trail says an entry is about.

An organization's activity page (``organization_activity``) reads its own page's log entries
and every entry whose ``data`` names it (``data -> 'organization'``: projects it joined or left,
say). The log grows with every edit in the cluster; without this index that second half read the
whole log. SQLite has no expression index on JSON and needs none at its sizes.
"""

from django.db import migrations

NAME = "partners_audit_organization_idx"

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_pagelogentry ((data -> 'organization'))"
)
DROP = f"DROP INDEX IF EXISTS {NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_profile_texts"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_index, drop_index)]
