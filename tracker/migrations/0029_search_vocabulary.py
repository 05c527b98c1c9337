"""How many projects hold each word of the editors' search index (SQLite: an fts5vocab
table over it, read by the news matcher to leave the commonest words out of its pool query;
it reads the index itself, so it is always in step). Nothing on PostgreSQL."""

from django.db import migrations

from tracker.models.search import ALL

VOCABULARY = "tracker_search_vocab"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE {VOCABULARY} USING fts5vocab({ALL}, 'row')")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {VOCABULARY}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0028_news_inbox")]
    operations = [migrations.RunPython(forward, backward)]
