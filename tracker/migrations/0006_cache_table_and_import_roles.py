from django.core.management import call_command
from django.db import migrations

from tracker.ops.roles import sync_groups_in_migration


def create_cache_table(apps, schema_editor):
    # Uploaded spreadsheets wait here between preview and confirmation (no files on disk).
    # Django's table comes with its two indexes: the primary key on cache_key (every get and
    # set) and one on expires (culling expired entries).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_import_permissions"),
        ("ratings", "0002_import_permissions"),
    ]
    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.RunPython(sync_groups_in_migration, migrations.RunPython.noop),
    ]
