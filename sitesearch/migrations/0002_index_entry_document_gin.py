"""On PostgreSQL, a GIN index on the whole document Wagtail's database backend matches.

The backend's filter is ``(title || body) @@ query``: an expression, so the separate GIN
indexes Wagtail keeps on ``title`` and on ``body`` cannot serve it and every search evaluated
the match on every index entry (a cost that grew with the number of pages). This index has the
same expression, so the planner finds the matching entries in it. SQLite uses FTS5 and needs
nothing.
"""

from django.db import migrations

NAME = "sitesearch_indexentry_document_gin"

CREATE = (
    f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailsearch_indexentry USING gin ((title || body))"
)
DROP = f"DROP INDEX IF EXISTS {NAME}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("sitesearch", "0001_unaccent_search_config")]
    operations = [migrations.RunPython(create_index, drop_index)]
