from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Uploaded spreadsheets wait here between preview and confirmation (no files on disk).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def give_editors_import(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from tracker.roles import sync_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_import_permissions"),
        ("ratings", "0002_import_permissions"),
    ]
    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.RunPython(give_editors_import, migrations.RunPython.noop),
    ]
