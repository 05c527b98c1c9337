"""Search on PostgreSQL through the same two per-project index tables as on SQLite: one
weighted `tsvector` document per project with a GIN index, kept in step by statement-level
triggers (tracker/models/search_pg.py), filled from the existing rows."""

from django.db import migrations

from tracker.models import search_pg


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in [*search_pg.forward_sql(), *search_pg.rebuild_sql()]:
            schema_editor.execute(statement)
        # The news pool reads the commonest words from the statistics ANALYZE gathers.
        schema_editor.execute(f"ANALYZE {search_pg.ALL}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_pg.backward_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0029_search_vocabulary")]
    operations = [migrations.RunPython(forward, backward)]
