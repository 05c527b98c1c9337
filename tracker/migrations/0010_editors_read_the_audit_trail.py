from django.db import migrations

from tracker.ops.roles import sync_groups_in_migration


class Migration(migrations.Migration):
    dependencies = [("tracker", "0009_search_indexes"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(sync_groups_in_migration, migrations.RunPython.noop)]
