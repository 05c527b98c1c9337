"""Search on PostgreSQL through the same two per-project index tables as on SQLite: one
weighted `tsvector` document per project with a GIN index, kept in step by statement-level
triggers (tracker/models/search_pg.py), filled from the existing rows. The expression
indexes the search read before (migrations 0009, 0019, 0027) have no reader left and go."""

from django.db import migrations

from tracker.models import search_pg

OLD_INDEXES = {
    "project_search_idx": (
        "tracker_project",
        "to_tsvector('russian'::regconfig, COALESCE(title_ru, '') || ' ' || COALESCE(title_en, '') || ' ' || "
        "COALESCE(reference, '') || ' ' || COALESCE(location, ''))",
    ),
    "evidence_search_idx": (
        "tracker_evidence",
        "to_tsvector('russian'::regconfig, COALESCE(summary_ru, '') || ' ' || COALESCE(summary, ''))",
    ),
    "organization_search_idx": (
        "tracker_organization",
        "to_tsvector('russian'::regconfig, COALESCE(name, '') || ' ' || COALESCE(name_en, ''))",
    ),
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in [*search_pg.forward_sql(), *search_pg.rebuild_sql()]:
            schema_editor.execute(statement)
        # The news pool reads the commonest words from the statistics ANALYZE gathers.
        schema_editor.execute(f"ANALYZE {search_pg.ALL}")
        for name in OLD_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in search_pg.backward_sql():
            schema_editor.execute(statement)
        for name, (table, expression) in OLD_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0029_search_vocabulary")]
    operations = [migrations.RunPython(forward, backward)]
