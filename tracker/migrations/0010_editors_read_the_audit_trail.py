from django.db import migrations


def sync(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from tracker.roles import sync_groups

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0009_search_indexes"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
