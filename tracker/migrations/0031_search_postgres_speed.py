"""PostgreSQL's search index, faster:

- a refresh leaves a document that comes out unchanged as it is, and the triggers stand
  aside inside a bulk load, which rebuilds the index once at its end
  (tracker/models/search.py `deferred`): the functions are replaced, the triggers stay;
- the projects' ids with the cycle each was first reported in, in one index, so that
  joining the matches back to the projects the reader may see reads the index alone
  (SQLite reads a project by its rowid already)."""

from django.db import migrations

from tracker.models import search_pg

COVERING = "project_id_first_number_idx"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_pg.refresh_functions_sql():
            schema_editor.execute(statement)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {COVERING} ON tracker_project (id) INCLUDE (first_number)"
        )


def backward(apps, schema_editor):
    # The functions stay as they are: they read and write the same tables.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0030_search_postgres")]
    operations = [migrations.RunPython(forward, backward)]
