"""Search by words: on SQLite an FTS5 index of stemmed words kept in step by triggers
(tracker/models/search.py); on PostgreSQL the projects' GIN index also covers the location."""

from django.db import migrations, models

import tracker.models.search

from tracker.models import search

PROJECT_OLD = (
    "to_tsvector('russian'::regconfig, COALESCE(title_ru, '') || ' ' || "
    "COALESCE(title_en, '') || ' ' || COALESCE(reference, ''))"
)
PROJECT_NEW = (
    "to_tsvector('russian'::regconfig, COALESCE(title_ru, '') || ' ' || COALESCE(title_en, '') || ' ' || "
    "COALESCE(reference, '') || ' ' || COALESCE(location, ''))"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in search.forward_sql():
            schema_editor.execute(statement)
        search.rebuild(schema_editor.connection.alias)
    elif schema_editor.connection.vendor == "postgresql":
        _project_index(schema_editor, PROJECT_NEW)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in search.backward_sql():
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        _project_index(schema_editor, PROJECT_OLD)


def _project_index(schema_editor, expression):
    schema_editor.execute("DROP INDEX IF EXISTS project_search_idx")
    schema_editor.execute(f"CREATE INDEX project_search_idx ON tracker_project USING gin (({expression}))")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0026_evidence_in_edition"), ("ratings", "0007_rating_edition_commentary")]
    operations = [
        migrations.CreateModel(
            name='SearchRowAll',
            fields=[
                ('rank', models.FloatField()),
                ('project', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=models.DO_NOTHING, primary_key=True, related_name='search_all', serialize=False, to='tracker.project')),
                ('document', tracker.models.search.DocumentField(db_column='tracker_search')),
            ],
            options={
                'db_table': 'tracker_search',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='SearchRowPublic',
            fields=[
                ('rank', models.FloatField()),
                ('project', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=models.DO_NOTHING, primary_key=True, related_name='search_public', serialize=False, to='tracker.project')),
                ('document', tracker.models.search.DocumentField(db_column='tracker_search_public')),
            ],
            options={
                'db_table': 'tracker_search_public',
                'managed': False,
            },
        ),
        migrations.RunPython(forward, backward),
    ]
