"""PostgreSQL's search index: a refresh leaves a document that comes out unchanged as it
is, and the triggers stand aside inside a bulk load, which rebuilds the index once at its
end (tracker/models/search.py `deferred`). The functions are replaced; the triggers stay."""

from django.db import migrations

from tracker.models import search_pg


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_pg.refresh_functions_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0030_search_postgres")]
    # Going back keeps the new functions: they read and write the same tables.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
