"""On PostgreSQL, a text search configuration that ignores accents and case.

Wagtail's database backend builds its tsvectors with ``WAGTAILSEARCH_BACKENDS["default"]
["SEARCH_CONFIG"]``; PostgreSQL's stock configurations keep accents ("formació" and "formacio"
are different lexemes). ``cluster_unaccent`` is ``simple`` (no stemming: the content is in
Catalan, Spanish and English) with the ``unaccent`` dictionary in front. Creating the extension
needs a role allowed to (a superuser, or the database owner on PostgreSQL 13+ for trusted
extensions; ``unaccent`` is trusted). SQLite needs nothing: its FTS5 tokenizer (unicode61)
already folds case and removes diacritics.
"""

from django.db import migrations

CONFIG = "cluster_unaccent"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION {CONFIG}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
    END IF;
END
$$;
"""

DROP = f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG};"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]
    operations = [migrations.RunPython(create_config, drop_config)]
