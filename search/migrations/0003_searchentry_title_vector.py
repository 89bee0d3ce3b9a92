"""The title's own full-text vector, GIN-indexed (PostgreSQL only; SQLite has no GIN).

Search reads the entries whose title matches first; with its own index that costs
the title matches, not every entry that mentions the word. ``rebuild_search_index``
(or ``republish``) fills it after the migration.
"""

import django.contrib.postgres.search
from django.db import migrations

INDEX = "search_searchentry_title_vector_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry USING gin (title_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_vector_gin_index")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
