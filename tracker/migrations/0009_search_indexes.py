"""GIN indexes for full-text search on PostgreSQL (tracker/search.py builds the same
expressions, so the planner can use them). SQLite searches by substring and needs none."""

from django.db import migrations

INDEXES = {
    # Projects list search: titles and reference.
    "project_search_idx": (
        "tracker_project",
        "to_tsvector('russian'::regconfig, COALESCE(title_ru, '') || ' ' || "
        "COALESCE(title_en, '') || ' ' || COALESCE(reference, ''))",
    ),
    # Projects list search: evidence summaries.
    "evidence_search_idx": ("tracker_evidence", "to_tsvector('russian'::regconfig, COALESCE(summary, ''))"),
    # Projects list search: partner names.
    "organization_search_idx": (
        "tracker_organization",
        "to_tsvector('russian'::regconfig, COALESCE(name, '') || ' ' || COALESCE(name_en, ''))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_restore_effective_in_cycle_trigger")]
    operations = [migrations.RunPython(create, drop)]
