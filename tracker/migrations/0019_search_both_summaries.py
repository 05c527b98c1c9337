"""Full-text search reads both evidence summaries (Russian and English): the GIN index of
0009 is rebuilt over the same expression tracker/models/search.py builds."""

from django.db import migrations

OLD = "to_tsvector('russian'::regconfig, COALESCE(summary, ''))"
NEW = "to_tsvector('russian'::regconfig, COALESCE(summary_ru, '') || ' ' || COALESCE(summary, ''))"


def rebuild(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS evidence_search_idx")
        schema_editor.execute(f"CREATE INDEX evidence_search_idx ON tracker_evidence USING gin (({expression}))")

    return run


class Migration(migrations.Migration):
    dependencies = [("tracker", "0018_evidence_has_a_summary")]
    operations = [migrations.RunPython(rebuild(NEW), rebuild(OLD))]
