"""PostgreSQL: a GIN index of each search document's head — its titles, reference,
location and partners' names (weights A and B: tracker/models/search.py `HEAD`) — so that
a search that finds most projects can list first, from the index, those whose head holds
its words (tracker/pages/search.py `BroadResults`). SQLite filters the FTS columns."""

from django.db import migrations

from tracker.models.search import ALL, HEAD, PUBLIC


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in (ALL, PUBLIC):
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_head ON {table} USING gin (({HEAD.format(table)}))")
            schema_editor.execute(f"ANALYZE {table}")  # the planner's figures of the new expression


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in (ALL, PUBLIC):
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_head")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0031_search_postgres_speed")]
    operations = [migrations.RunPython(forward, backward)]
